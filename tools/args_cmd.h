/* What each command's command line parses into, and the parsers (tools/args_<cmd>.c).
 * A parser only reads strings and numbers: it never prints, opens files or loads presets
 * (the command does that after parsing), so tests/unit/test_args_*.c run without media.
 * Each returns 0 (options filled; help set when --help was given, which stops parsing)
 * or CLI_USAGE with the message in err. Operands point into argv, which getopt_long
 * reorders (options first). */
#ifndef SOBRE_TOOLS_ARGS_CMD_H
#define SOBRE_TOOLS_ARGS_CMD_H

#include "args.h"
#include "sobre/encode.h"
#include "sobre/footprint.h"
#include "sobre/publish.h"

/* --progress of encode and batch, in the order of PROGRESS_CHOICES */
enum { PROGRESS_AUTO, PROGRESS_JSON, PROGRESS_NONE };
#define PROGRESS_CHOICES "auto|json|none"

/* sobre probe [options] FILE... */
typedef struct ProbeOpts {
    int help, json, verbose, no_end_check, no_loudness;
    double scan_s; /* < 0: the library's default */
    char **files;
    int nb_files;
} ProbeOpts;
int args_parse_probe(ProbeOpts *o, int argc, char **argv, CliArgError *err);

/* sobre encode INPUT -o EPISODE_DIR [options] */
enum { ENCODE_QUALITY_FULL, ENCODE_QUALITY_OFF };
typedef struct EncodeOpts {
    int help;
    const char *input, *output, *preset, *enable, *only;
    const char *title, *description, *lang, *captions; /* NULL: the library's default */
    int force, no_verify, quality, progress, quiet, json, verbose;
    double target_ssim;   /* 0: the preset's */
    int hdr;              /* SOBRE_HDR_*, -1: the preset's */
    int loudness;         /* SOBRE_LOUDNESS_* (DEFAULT: the preset's) */
    double loudness_lufs; /* with SOBRE_LOUDNESS_ON */
    int threads;          /* cores to plan for, 0: the cores this process may use */
    int segments;         /* SobreSegmentMode (AUTO, ON, OFF) */
    int segment;          /* > 0: only this segment (1 = the first) */
    int plan;             /* --plan: print the plan and stop */
} EncodeOpts;

/* encode's options in --help order (args_encode.c). Rows flagged ENCODE_FOR_BATCH are
 * batch options too: batch checks them up front and passes them, as given, to every
 * episode's encode. Adding an encode option: a row in that table, a case in
 * args_encode_apply(), a field in EncodeOpts (and its use in cmd_encode.c); batch's
 * parsing, forwarding and --help follow from the row. */
enum { ENCODE_FOR_BATCH = 1u << 0 };
extern const ArgsOption encode_options[];

void args_encode_defaults(EncodeOpts *o);
/** Stores one row of encode_options (value: its value, NULL for a flag) in o. */
int args_encode_apply(EncodeOpts *o, const ArgsOption *opt, const char *value, CliArgError *err);
/** What no single row can check (options that exclude each other), after every row. */
int args_encode_check(const EncodeOpts *o, CliArgError *err);
int args_parse_encode(EncodeOpts *o, int argc, char **argv, CliArgError *err);

/* sobre quality REFERENCE DISTORTED [options] */
typedef struct QualityOpts {
    int help;
    const char *ref, *dist;
    int json, per_frame, quiet, verbose;
    int width, height; /* 0: the reference's size */
} QualityOpts;
int args_parse_quality(QualityOpts *o, int argc, char **argv, CliArgError *err);

/* sobre footprint EPISODE_DIR|report.json... [options] */
#define FOOTPRINT_MAX_INPUTS  64
#define FOOTPRINT_MAX_FACTORS 6
typedef struct FootprintOpts {
    int help;
    const char *inputs[FOOTPRINT_MAX_INPUTS];
    int nb_inputs;
    const char *factors[FOOTPRINT_MAX_FACTORS];
    int nb_factors;
    SobreFootprintOptions fp;   /* method ademe, every device and network */
    int format, explain, write; /* format: SOBRE_FOOTPRINT_TEXT... */
    const char *svg;
} FootprintOpts;
/* --method, --views and --factors of footprint and publish (args_footprint.c). */
int args_method(const char *v, int *method, CliArgError *err);
int args_views(const char *v, long *views, CliArgError *err);
int args_factors(const char *v, const char **list, int *n, CliArgError *err);
int args_parse_footprint(FootprintOpts *o, int argc, char **argv, CliArgError *err);

/* sobre publish EPISODE_DIR... -o SITE [options] */
typedef struct PublishOpts {
    int help;
    SobrePublishSettings set; /* sobre_publish_default_settings(), then the options */
    const char *out;
    const char **episodes;
    int nb_episodes;
    int json, quiet, verbose;
    const char *factors[FOOTPRINT_MAX_FACTORS]; /* --factors, on top of fr-2024 */
    int nb_factors;
} PublishOpts;
int args_parse_publish(PublishOpts *o, int argc, char **argv, CliArgError *err);

/* sobre plan EPISODE_DIR [--rungs DIR] [--cores LIST] [--json] */
#define PLAN_MAX_CORES 16
typedef struct PlanOpts {
    int help;
    const char *dir, *rungs; /* rungs: a rung-parallel encode of the same master, or NULL */
    int cores[PLAN_MAX_CORES];
    int nb_cores; /* default 2,4,8,16,32 */
    int json;
} PlanOpts;
int args_parse_plan(PlanOpts *o, int argc, char **argv, CliArgError *err);

/* sobre batch SERIES.csv|SOURCE_DIR -o OUT_DIR [options] */
#define BATCH_MAX_FORWARD 64
typedef struct BatchOpts {
    int help;
    const char *source, *out, *site, *site_title, *site_description, *base_url;
    const char **episodes; /* --episode IDs (allocated: args_batch_free) */
    int nb_episodes;
    int jobs; /* 0: the default (cores / 2, at least 1) */
    int list, json, quiet, verbose, progress;
    /* encode's options (ENCODE_FOR_BATCH rows) as given, for every episode's encode... */
    struct {
        const ArgsOption *opt;
        const char *value;
    } forward[BATCH_MAX_FORWARD];
    int nb_forward;
    EncodeOpts encode; /* ...and as encode parses them: checked, preset and lang at hand */
} BatchOpts;
int args_parse_batch(BatchOpts *o, int argc, char **argv, CliArgError *err);
/** Frees what a parse allocated (also after a failed one). */
void args_batch_free(BatchOpts *o);

#endif
