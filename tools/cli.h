/* What the subcommands share: exit codes, messages on stderr, finding the data files
 * (presets/) and a TTY-aware progress line. */
#ifndef SOBRE_TOOLS_CLI_H
#define SOBRE_TOOLS_CLI_H

#include <stddef.h>
#include <stdio.h>

#include "sobre/common.h"
#include "sobre/preset.h"
#include "sobre/footprint.h"

enum { CLI_OK = 0, CLI_FAIL = 1, CLI_USAGE = 2, CLI_INTERRUPTED = 130 };

#if defined(__GNUC__)
#define CLI_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define CLI_PRINTF(a, b)
#endif

/** "sobre <cmd>: message" on stderr. */
void cli_error(const char *cmd, const char *fmt, ...) CLI_PRINTF(2, 3);
/** Usage error: message, then "Try 'sobre <cmd> --help'."; returns CLI_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...) CLI_PRINTF(2, 3);
/** Prints err->detail (or the code's text) prefixed by the command; returns CLI_FAIL. */
int cli_report(const char *cmd, const SobreError *err, int code);

/** Logger for library contexts: prints warnings and errors on stderr (level from -v/-q). */
void cli_log_callback(void *opaque, int level, const char *msg);

/**
 * Path of a data file shipped in presets/ (e.g. "ladders/default.yaml"): looks in
 * $SOBRE_DATADIR, then ../share/sobre next to the executable (an installed tree, even
 * moved), then the source tree the binary was built from, then the configured install
 * prefix. Returns 0 and fills out, or -ENOENT.
 */
int cli_data_path(const char *rel, char *out, size_t size);

/**
 * The ladder for --preset NAME|FILE (a shipped name such as "minimal", or a YAML file)
 * with --enable / --only applied (NULL: not given). Returns 0, or a negative code with
 * err filled and *ladder NULL (cli_preset.c).
 */
int cli_ladder_load(const char *preset, const char *enable, const char *only, SobreLadder **ladder,
                    SobreError *err);

/**
 * Loads the default factors (presets/factors/fr-2024.yaml) and overlays each override,
 * a file or the name of a shipped preset ("eu-2024"). Returns -1 to go on (*f set), or
 * the exit code after printing the error (*f NULL).
 */
int cli_load_factors(const char *cmd, const char *const *overrides, int n, SobreFactors **f);

/** Flushes stdout and reports a write error (full disk, closed pipe). Returns code or 1. */
int cli_finish_stdout(const char *cmd, int code);

/** Progress line: redrawn in place on a TTY, one line per ~5 % otherwise; off if quiet. */
typedef struct CliProgress {
    int enabled;
    int tty;
    int json; /* one JSON object per line on stderr (--progress json) */
    double last_draw;
    double last_percent;
    int drawn;
} CliProgress;

void cli_progress_init(CliProgress *p, int quiet, int json);
/** label: what runs; percent in [0,100]; speed (x realtime, <= 0 unknown); eta_s (< 0 unknown). */
void cli_progress_update(CliProgress *p, const char *label, double percent, double speed,
                         double eta_s);
void cli_progress_done(CliProgress *p);

/** Monotonic clock in seconds. */
double cli_now(void);

/** Path of the running sobre executable (/proc/self/exe). Returns 0, or -1 when unknown. */
int cli_self_exe(char *out, size_t size);

/** "812 kB" / "1.9 MB" (decimal units, as file managers show them). */
void cli_human_bytes(long long bytes, char *out, size_t size);

#endif
