/* Table-driven tests of a command's option parser (tests/unit/test_args_*.c). A row is a
 * command line and what it gives: the fields that differ from the defaults, written
 * "json=1 files=a.mp4" in the order the test's dump function lists them, or the usage
 * error's whole message. Every parse also runs with stdout and stderr redirected, to
 * check that parsing prints nothing. */
#ifndef SOBRE_TEST_T_ARGS_H
#define SOBRE_TEST_T_ARGS_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "args.h"
#include "t.h"

#define T_ARGS_MAX 16

typedef struct TArgsRow {
    const char *argv[T_ARGS_MAX]; /* after the command name, NULL-terminated */
    int ret;                      /* 0 or CLI_USAGE */
    const char *want;             /* ret 0: changed fields ("" none); else the message */
} TArgsRow;

/* An options struct as "name=value" fields, in a fixed order. */
typedef struct TDump {
    char f[48][256];
    int n;
} TDump;

typedef int (*TParseFn)(void *opts, int argc, char **argv, CliArgError *err);
typedef void (*TDumpFn)(const void *opts, TDump *d);
typedef void (*TFreeFn)(void *opts); /* what a parse allocated, or NULL */

static inline void t_field(TDump *d, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static inline void t_field(TDump *d, const char *name, const char *fmt, ...)
{
    va_list ap;
    int n;
    if (d->n >= 48)
        return;
    n = snprintf(d->f[d->n], sizeof(d->f[0]), "%s=", name);
    va_start(ap, fmt);
    vsnprintf(d->f[d->n] + n, sizeof(d->f[0]) - (size_t)n, fmt, ap);
    va_end(ap);
    d->n++;
}

static inline const char *t_str(const char *s)
{
    return s ? s : "NULL";
}

/* Fields of got that differ from def, joined by spaces (all of them when def is NULL). */
static inline void t_dump_diff(const TDump *got, const TDump *def, char *out, size_t size)
{
    size_t used = 0;
    out[0] = '\0';
    for (int i = 0; i < got->n && used < size; i++)
        if (!def || i >= def->n || strcmp(got->f[i], def->f[i]))
            used += (size_t)snprintf(out + used, size - used, "%s%s", used ? " " : "", got->f[i]);
}

/* Runs parse on "cmd args..." with stdout and stderr sent to a temporary file; returns
 * what parse returned and sets *printed to the bytes written there. The options point
 * into an argv that lives until the next call. */
static inline int t_parse_quiet(TParseFn parse, void *opts, const char *cmd,
                                const char *const *args, CliArgError *err, long *printed)
{
    static char *argv[T_ARGS_MAX + 1];
    int argc = 0, ret, saved_out, saved_err;
    FILE *tmp = tmpfile();
    struct stat st;
    argv[argc++] = (char *)cmd;
    for (int i = 0; args[i] && argc < T_ARGS_MAX; i++)
        argv[argc++] = (char *)args[i];
    argv[argc] = NULL;
    fflush(stdout);
    fflush(stderr);
    saved_out = dup(STDOUT_FILENO);
    saved_err = dup(STDERR_FILENO);
    dup2(fileno(tmp), STDOUT_FILENO);
    dup2(fileno(tmp), STDERR_FILENO);
    ret = parse(opts, argc, argv, err);
    fflush(stdout);
    fflush(stderr);
    dup2(saved_out, STDOUT_FILENO);
    dup2(saved_err, STDERR_FILENO);
    close(saved_out);
    close(saved_err);
    *printed = fstat(fileno(tmp), &st) == 0 ? (long)st.st_size : -1;
    fclose(tmp);
    return ret;
}

/* The whole table; base: the arguments whose parse gives the defaults to compare with. */
static inline void t_args_table(const char *cmd, const TArgsRow *rows, size_t n, void *opts,
                                const char *const *base, TParseFn parse, TDumpFn dump,
                                TFreeFn release)
{
    TDump def = {0}, got;
    CliArgError err;
    long printed;
    char text[4096];
    T_EQ_INT(t_parse_quiet(parse, opts, cmd, base, &err, &printed), 0);
    dump(opts, &def);
    if (release)
        release(opts);
    for (size_t r = 0; r < n; r++) {
        const TArgsRow *row = &rows[r];
        int ret = t_parse_quiet(parse, opts, cmd, row->argv, &err, &printed);
        if (ret == 0) {
            memset(&got, 0, sizeof(got));
            dump(opts, &got);
        }
        if (release)
            release(opts);
        T_CHECK(ret == row->ret, "%s row %zu: returned %d, want %d (%s)", cmd, r, ret, row->ret,
                err.msg);
        T_CHECK(printed == 0, "%s row %zu: parsing printed %ld bytes", cmd, r, printed);
        if (ret != row->ret)
            continue;
        if (ret != 0) {
            T_CHECK(!strcmp(err.msg, row->want), "%s row %zu: message '%s', want '%s'", cmd, r,
                    err.msg, row->want);
            T_CHECK(!strchr(err.msg, '\n'), "%s row %zu: message on one line", cmd, r);
            continue;
        }
        t_dump_diff(&got, &def, text, sizeof(text));
        T_CHECK(!strcmp(text, row->want), "%s row %zu: got '%s', want '%s'", cmd, r, text,
                row->want);
    }
}

#endif
