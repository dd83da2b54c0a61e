/* Shared CLI plumbing: messages, data-file lookup, stdout checks and the progress line.
 * Diagnostics and progress go to stderr, data to stdout, so `--json | jq` stays clean. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

void cli_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "sobre %s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "sobre %s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry 'sobre %s --help'.\n", cmd);
    return CLI_USAGE;
}

int cli_report(const char *cmd, const SobreError *err, int code)
{
    char buf[128];
    if (err && err->detail[0])
        cli_error(cmd, "%s", err->detail);
    else
        cli_error(cmd, "%s", sobre_strerror(code, buf, sizeof(buf)));
    return code == SOBRE_E_CANCELLED ? CLI_INTERRUPTED : CLI_FAIL;
}

void cli_log_callback(void *opaque, int level, const char *msg)
{
    const char *what = opaque ? (const char *)opaque : "sobre";
    static const char *const names[] = {"error", "warning", "info", "debug"};
    if (level < 0 || level > 3)
        level = 3;
    fprintf(stderr, "sobre %s: %s: %s\n", what, names[level], msg);
}

static int readable(const char *path)
{
    return access(path, R_OK) == 0;
}

int cli_self_exe(char *out, size_t size)
{
    ssize_t n = readlink("/proc/self/exe", out, size - 1);
    if (n <= 0)
        return -1;
    out[n] = '\0';
    return 0;
}

void cli_human_bytes(long long b, char *out, size_t size)
{
    if (b >= 1000000)
        snprintf(out, size, "%.1f MB", b / 1e6);
    else
        snprintf(out, size, "%.0f kB", b / 1e3);
}

/* <dir of the executable>/../share/sobre: an installed tree that was moved. */
static void exe_datadir(char *out, size_t size)
{
    char exe[4096];
    char *slash;
    out[0] = '\0';
    if (cli_self_exe(exe, sizeof(exe)) < 0)
        return;
    if ((slash = strrchr(exe, '/')))
        *slash = '\0';
    snprintf(out, size, "%s/../share/sobre", exe);
}

int cli_data_path(const char *rel, char *out, size_t size)
{
    const char *env = getenv("SOBRE_DATADIR");
    char near_exe[4200];
    const char *roots[4] = {env, near_exe, SOBRE_SOURCE_DATADIR, SOBRE_INSTALL_DATADIR};
    exe_datadir(near_exe, sizeof(near_exe));
    for (int i = 0; i < 4; i++) {
        if (!roots[i] || !roots[i][0])
            continue;
        snprintf(out, size, "%s/presets/%s", roots[i], rel);
        if (readable(out))
            return 0;
    }
    return -ENOENT;
}

int cli_finish_stdout(const char *cmd, int code)
{
    if (fflush(stdout) != 0 || ferror(stdout)) {
        cli_error(cmd, "cannot write to standard output: %s", strerror(errno));
        return code ? code : CLI_FAIL;
    }
    return code;
}

double cli_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

void cli_progress_init(CliProgress *p, int quiet, int json)
{
    memset(p, 0, sizeof(*p));
    p->enabled = !quiet;
    p->json = json;
    p->tty = isatty(STDERR_FILENO);
    p->last_percent = -100;
}

static void fmt_eta(char *buf, size_t size, double eta)
{
    if (eta < 0) {
        snprintf(buf, size, "--:--");
        return;
    }
    int s = (int)(eta + 0.5);
    snprintf(buf, size, "%d:%02d", s / 60, s % 60);
}

void cli_progress_update(CliProgress *p, const char *label, double percent, double speed,
                         double eta_s)
{
    double now = cli_now();
    char eta[32];
    if (!p->enabled)
        return;
    if (p->json) {
        if (now - p->last_draw < 0.5 && percent < 100)
            return;
        fprintf(stderr, "{\"progress\":%.1f,\"stage\":\"%s\",\"speed\":%.3f,\"eta_s\":%.1f}\n",
                percent, label, speed > 0 ? speed : 0, eta_s);
        p->last_draw = now;
        return;
    }
    fmt_eta(eta, sizeof(eta), eta_s);
    if (p->tty) {
        if (now - p->last_draw < 0.2 && percent < 100)
            return;
        fprintf(stderr, "\r\033[K%s %5.1f%%  %.2fx  ETA %s", label, percent, speed > 0 ? speed : 0,
                eta);
        p->drawn = 1;
    } else {
        if (percent - p->last_percent < 5 && percent < 100)
            return;
        fprintf(stderr, "%s %5.1f%%  %.2fx  ETA %s\n", label, percent, speed > 0 ? speed : 0, eta);
        p->last_percent = percent;
    }
    p->last_draw = now;
    fflush(stderr);
}

void cli_progress_done(CliProgress *p)
{
    if (p->enabled && p->tty && p->drawn && !p->json)
        fputc('\n', stderr);
    p->drawn = 0;
}

/* "eu-2024" -> presets/factors/eu-2024.yaml when such a preset exists; else a path. */
static const char *factors_path(const char *arg, char *buf, size_t size)
{
    char rel[300];
    if (strchr(arg, '/') || strlen(arg) > 200)
        return arg;
    snprintf(rel, sizeof(rel), "factors/%s.yaml", arg);
    if (cli_data_path(rel, buf, size) == 0)
        return buf;
    return arg;
}

int cli_load_factors(const char *cmd, const char *const *overrides, int n, SobreFactors **f)
{
    char path[4096];
    SobreError err = {0};
    int ret;
    *f = NULL;
    if (cli_data_path("factors/fr-2024.yaml", path, sizeof(path)) < 0) {
        cli_error(cmd, "presets/factors/fr-2024.yaml not found (set SOBRE_DATADIR to the folder "
                       "that holds presets/)");
        return CLI_FAIL;
    }
    if ((ret = sobre_factors_load(f, path, &err)) < 0)
        return cli_report(cmd, &err, ret);
    for (int i = 0; i < n; i++) {
        const char *p = factors_path(overrides[i], path, sizeof(path));
        if ((ret = sobre_factors_overlay_file(*f, p, &err)) < 0) {
            sobre_factors_free(f);
            return cli_report(cmd, &err, ret);
        }
    }
    return -1;
}
