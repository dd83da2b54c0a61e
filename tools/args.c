/* The getopt_long wrapper every command parses with (args.h): builds getopt's tables
 * from the command's option rows, turns getopt's error returns into one-line messages
 * (opterr = 0: getopt itself prints nothing), and parses numbers and choices. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"

/* getopt_long returns LONG_BASE + row for a long option, the letter for a short one, so
 * an error's optopt tells which of the two the user typed. */
enum { LONG_BASE = 256 };

void args_begin(ArgsParser *p, int argc, char **argv, CliArgError *err)
{
    memset(p, 0, sizeof(*p));
    p->argc = argc;
    p->argv = argv;
    p->err = err;
    err->msg[0] = '\0';
}

void args_add(ArgsParser *p, const ArgsOption *table, unsigned need)
{
    for (const ArgsOption *o = table; o->name; o++) {
        if ((o->flags & need) != need)
            continue;
        if (p->nb == ARGS_MAX)
            p->overflow = 1;
        else
            p->opts[p->nb++] = o;
    }
}

/* Two rows with one name (say batch and a new encode option both called --jobs) would
 * make getopt_long pick one silently: refuse every parse instead, so tests see it. */
static int duplicate(const ArgsParser *p, char *name, size_t size)
{
    for (int i = 0; i < p->nb; i++)
        for (int j = 0; j < i; j++) {
            const ArgsOption *a = p->opts[i], *b = p->opts[j];
            if (!strcmp(a->name, b->name) || (a->letter && a->letter == b->letter)) {
                snprintf(name, size, "%s", a->name);
                return 1;
            }
        }
    return 0;
}

static void build_tables(ArgsParser *p)
{
    size_t n = 0;
    p->shortopts[n++] = ':'; /* a missing value returns ':', not '?' */
    for (int i = 0; i < p->nb; i++) {
        const ArgsOption *o = p->opts[i];
        p->longopts[i] = (struct option){o->name + 2, o->arg ? required_argument : no_argument,
                                         NULL, LONG_BASE + i};
        if (o->letter) {
            p->shortopts[n++] = (char)o->letter;
            if (o->arg)
                p->shortopts[n++] = ':';
        }
    }
    p->shortopts[n] = '\0';
    p->longopts[p->nb] = (struct option){NULL, 0, NULL, 0};
}

static const ArgsOption *by_code(const ArgsParser *p, int code)
{
    if (code >= LONG_BASE && code < LONG_BASE + p->nb)
        return p->opts[code - LONG_BASE];
    for (int i = 0; i < p->nb; i++)
        if (p->opts[i]->letter && p->opts[i]->letter == code)
            return p->opts[i];
    return NULL;
}

/* "--bogus" (or "--bogus=1") that getopt did not take: unknown, or a prefix of several. */
static int unknown_long(ArgsParser *p, const char *arg)
{
    size_t len = strcspn(arg, "=");
    char list[256] = "";
    int matches = 0;
    for (int i = 0; i < p->nb && len > 2; i++)
        if (!strncmp(p->opts[i]->name, arg, len)) {
            size_t used = strlen(list);
            snprintf(list + used, sizeof(list) - used, "%s%s", matches++ ? ", " : "",
                     p->opts[i]->name);
        }
    if (matches > 1)
        return args_fail(p->err, "ambiguous option '%.*s' (%s)", (int)len, arg, list);
    return args_fail(p->err, "unknown option '%.*s'", (int)len, arg);
}

static int getopt_error(ArgsParser *p, int c)
{
    const ArgsOption *o = by_code(p, optopt);
    const char *typed = optind > 0 && optind <= p->argc ? p->argv[optind - 1] : "";
    if (c == ':' && o && optopt >= LONG_BASE)
        return args_fail(p->err, "%s needs a value (%s)", o->name, o->arg);
    if (c == ':' && o)
        return args_fail(p->err, "-%c needs a value (%s)", o->letter, o->arg);
    if (o && optopt >= LONG_BASE)
        return args_fail(p->err, "%s takes no value", o->name);
    if (optopt != 0 && optopt < LONG_BASE) { /* a short option; a byte >= 0x80 is < 0 */
        unsigned char b = (unsigned char)optopt;
        if (isgraph(b))
            return args_fail(p->err, "unknown option '-%c'", b);
        return args_fail(p->err, "unknown option: byte 0x%02x after '-'", b);
    }
    return unknown_long(p, typed);
}

int args_next(ArgsParser *p)
{
    char name[64];
    int c;
    if (!p->started) {
        build_tables(p);
        p->started = 1;
        if (p->overflow)
            return args_fail(p->err, "option table: more than %d options", ARGS_MAX), -1;
        if (duplicate(p, name, sizeof(name)))
            return args_fail(p->err, "option table: %s declared twice", name), -1;
        opterr = 0; /* parsing never prints: errors become messages */
        optind = 0; /* 0, not 1: glibc then forgets any earlier parse entirely */
    }
    p->opt = NULL;
    p->value = NULL;
    c = getopt_long(p->argc, p->argv, p->shortopts, p->longopts, NULL);
    if (c == -1)
        return 0;
    if (c == '?' || c == ':') {
        getopt_error(p, c);
        return -1;
    }
    p->opt = by_code(p, c);
    p->value = optarg;
    if (!p->opt)
        return args_fail(p->err, "unexpected option code %d", c), -1;
    return p->opt->id;
}

char **args_operands(const ArgsParser *p, int *count)
{
    int first = optind < 1 ? 1 : optind;
    *count = p->argc > first ? p->argc - first : 0;
    return p->argv + first;
}

int args_fail(CliArgError *err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
    va_end(ap);
    return CLI_USAGE;
}

int args_long(const char *s, long min, long max, long *out)
{
    char *end;
    long v;
    errno = 0;
    v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < min || v > max)
        return -1;
    *out = v;
    return 0;
}

int args_double(const char *s, double min, double max, double *out)
{
    char *end;
    double v = strtod(s, &end);
    if (end == s || *end || !isfinite(v) || !(v >= min && v <= max))
        return -1;
    *out = v;
    return 0;
}

int args_choice(const char *s, const char *choices)
{
    size_t len = strlen(s);
    int i = 0;
    for (const char *c = choices; *c; i++) {
        size_t n = strcspn(c, "|");
        if (n == len && !strncmp(c, s, n))
            return i;
        c += n + (c[n] == '|');
    }
    return -1;
}

int args_choice_fail(CliArgError *err, const char *name, const char *choices)
{
    char text[256];
    size_t used = 0;
    int left = 0;
    for (const char *c = choices; *c; c++)
        left += *c == '|';
    for (const char *c = choices; *c && used < sizeof(text); left--) {
        size_t n = strcspn(c, "|");
        const char *sep = c == choices ? "" : left == 0 ? " or " : ", ";
        used += (size_t)snprintf(text + used, sizeof(text) - used, "%s%.*s", sep, (int)n, c);
        c += n + (c[n] == '|');
    }
    return args_fail(err, "%s takes %s", name, text);
}

void args_print_options(FILE *out, const ArgsOption *table, unsigned need)
{
    for (const ArgsOption *o = table; o->name; o++) {
        char left[64];
        const char *line;
        if ((o->flags & need) != need || !o->help)
            continue;
        snprintf(left, sizeof(left), "%s%s%s", o->name, o->arg ? " " : "", o->arg ? o->arg : "");
        if (o->letter)
            fprintf(out, "  -%c, %-18s ", o->letter, left);
        else
            fprintf(out, "      %-18s ", left);
        for (line = o->help; *line;) {
            size_t n = strcspn(line, "\n");
            fprintf(out, "%s%.*s\n", line == o->help ? "" : "                         ", (int)n,
                    line);
            line += n + (line[n] == '\n');
        }
    }
}
