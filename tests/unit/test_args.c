/* The getopt_long wrapper every command parses with (tools/args.c): the error messages
 * it builds from getopt's returns, operands after reordering, a second parse in the same
 * process, tables filtered by flags, number and choice helpers, and the --help layout. */
#include <stdlib.h>

#include "t_args.h"

enum { T_OUT = 1, T_PRESET, T_PROGRESS, T_FORCE, T_QUIET, T_JSON };

static const ArgsOption table[] = {
    {"--output", 'o', "DIR", T_OUT, 0, "where to write"},
    {"--preset", 'p', "NAME|FILE", T_PRESET, 1,
     "ladder preset: default, minimal, or a file\n"
     "(default: default)"},
    {"--progress", 0, "MODE", T_PROGRESS, 0, "auto, json or none"},
    {"--force", 'f', NULL, T_FORCE, 1, "redo everything"},
    {"--quiet", 'q', NULL, T_QUIET, 0, NULL},
    {"--json", 0, NULL, T_JSON, 0, "print JSON"},
    {NULL, 0, NULL, 0, 0, NULL},
};

/* Parses argv (NULL-terminated, after "cmd") and writes what came out, one token per
 * option ("o=DIR", "f") then "| operands", or "error: message". */
static void trace(const char *const *args, unsigned need, char *out, size_t size)
{
    char *argv[T_ARGS_MAX + 1];
    int argc = 0, id, nb;
    size_t used = 0;
    ArgsParser p;
    CliArgError err;
    char **ops;
    argv[argc++] = "cmd";
    for (int i = 0; args[i]; i++)
        argv[argc++] = (char *)args[i];
    argv[argc] = NULL;
    args_begin(&p, argc, argv, &err);
    args_add(&p, table, need);
    out[0] = '\0';
    while ((id = args_next(&p)) > 0)
        used += (size_t)snprintf(out + used, size - used, "%s%d%s%s", used ? " " : "", id,
                                 p.value ? "=" : "", p.value ? p.value : "");
    if (id < 0) {
        snprintf(out, size, "error: %s", err.msg);
        return;
    }
    ops = args_operands(&p, &nb);
    used += (size_t)snprintf(out + used, size - used, "%s|", used ? " " : "");
    for (int i = 0; i < nb; i++)
        used += (size_t)snprintf(out + used, size - used, " %s", ops[i]);
}

static void test_next(void)
{
    static const struct {
        const char *argv[T_ARGS_MAX];
        unsigned need;
        const char *want;
    } cases[] = {
        {{NULL}, 0, "|"},
        {{"a", "b"}, 0, "| a b"},
        {{"-o", "d", "a"}, 0, "1=d | a"},
        {{"-od", "a"}, 0, "1=d | a"},
        {{"--output", "d"}, 0, "1=d |"},
        {{"--output=d"}, 0, "1=d |"},
        {{"--output="}, 0, "1= |"},
        {{"--out", "d"}, 0, "1=d |"},
        {{"a", "-fq", "b", "--json", "c"}, 0, "4 5 6 | a b c"},
        {{"-o", "-x"}, 0, "1=-x |"}, /* a value may start with '-' */
        {{"--", "-f", "--json"}, 0, "| -f --json"},
        {{"a", "--", "-f"}, 0, "| a -f"},
        {{"-f", "-"}, 0, "4 | -"},
        {{"-o"}, 0, "error: -o needs a value (DIR)"},
        {{"--output"}, 0, "error: --output needs a value (DIR)"},
        {{"a", "--progress"}, 0, "error: --progress needs a value (MODE)"},
        {{"--json=yes"}, 0, "error: --json takes no value"},
        {{"--force=1"}, 0, "error: --force takes no value"},
        {{"--bogus"}, 0, "error: unknown option '--bogus'"},
        {{"--bogus=1"}, 0, "error: unknown option '--bogus'"},
        {{"a", "b", "--bogus"}, 0, "error: unknown option '--bogus'"},
        {{"-x"}, 0, "error: unknown option '-x'"},
        {{"-fx"}, 0, "error: unknown option '-x'"},
        {{"-\xc3\xa9"}, 0, "error: unknown option: byte 0xc3 after '-'"},
        {{"-?"}, 0, "error: unknown option '-?'"},
        {{"--pr", "x"}, 0, "error: ambiguous option '--pr' (--preset, --progress)"},
        {{"--pre", "x"}, 0, "2=x |"},
        /* a filtered table: the other rows are unknown */
        {{"-p", "x", "-f"}, 1, "2=x 4 |"},
        {{"--json"}, 1, "error: unknown option '--json'"},
        {{"-o", "d"}, 1, "error: unknown option '-o'"},
        {{"--pr", "x"}, 1, "2=x |"},
    };
    char out[1024];
    for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
        trace(cases[c].argv, cases[c].need, out, sizeof(out));
        T_CHECK(!strcmp(out, cases[c].want), "case %zu: '%s', want '%s'", c, out, cases[c].want);
    }
}

static void test_numbers(void)
{
    static const struct {
        const char *s;
        int ok;
        long want;
    } longs[] = {
        {"1", 1, 1},    {"64", 1, 64}, {"0", 0, 0},   {"65", 0, 0},
        {"-3", 0, 0},   {"", 0, 0},    {"2x", 0, 0},  {" 3", 1, 3},
        {"0x10", 0, 0}, {"1e1", 0, 0}, {"3.5", 0, 0}, {"99999999999999999999", 0, 0},
    };
    static const struct {
        const char *s;
        int ok;
        double want;
    } doubles[] = {
        {"0.5", 1, 0.5}, {"0.999", 1, 0.999}, {"2", 0, 0},    {"0.4", 0, 0},    {"nan", 0, 0},
        {"inf", 0, 0},   {"", 0, 0},          {"0.9x", 0, 0}, {"9e-1", 1, 0.9},
    };
    for (size_t i = 0; i < sizeof(longs) / sizeof(longs[0]); i++) {
        long v = -99;
        int ret = args_long(longs[i].s, 1, 64, &v);
        T_CHECK((ret == 0) == longs[i].ok, "args_long('%s') = %d", longs[i].s, ret);
        T_CHECK(!longs[i].ok || v == longs[i].want, "args_long('%s') -> %ld", longs[i].s, v);
    }
    for (size_t i = 0; i < sizeof(doubles) / sizeof(doubles[0]); i++) {
        double v = -99;
        int ret = args_double(doubles[i].s, 0.5, 0.999, &v);
        T_CHECK((ret == 0) == doubles[i].ok, "args_double('%s') = %d", doubles[i].s, ret);
        T_CHECK(!doubles[i].ok || v == doubles[i].want, "args_double('%s') -> %g", doubles[i].s, v);
    }
}

static void test_choices(void)
{
    CliArgError err;
    T_EQ_INT(args_choice("auto", "auto|json|none"), 0);
    T_EQ_INT(args_choice("json", "auto|json|none"), 1);
    T_EQ_INT(args_choice("none", "auto|json|none"), 2);
    T_EQ_INT(args_choice("jso", "auto|json|none"), -1);
    T_EQ_INT(args_choice("", "auto|json|none"), -1);
    T_EQ_INT(args_choice("json|none", "auto|json|none"), -1);
    T_EQ_INT(args_choice_fail(&err, "--progress", "auto|json|none"), CLI_USAGE);
    T_EQ_STR(err.msg, "--progress takes auto, json or none");
    args_choice_fail(&err, "--quality", "full|off");
    T_EQ_STR(err.msg, "--quality takes full or off");
    args_choice_fail(&err, "--x", "only");
    T_EQ_STR(err.msg, "--x takes only");
}

static void test_help(void)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    args_print_options(f, table, 0);
    fclose(f);
    T_EQ_STR(text, "  -o, --output DIR       where to write\n"
                   "  -p, --preset NAME|FILE ladder preset: default, minimal, or a file\n"
                   "                         (default: default)\n"
                   "      --progress MODE    auto, json or none\n"
                   "  -f, --force            redo everything\n"
                   "      --json             print JSON\n");
    free(text);
    f = open_memstream(&text, &len);
    args_print_options(f, table, 1);
    fclose(f);
    T_EQ_STR(text, "  -p, --preset NAME|FILE ladder preset: default, minimal, or a file\n"
                   "                         (default: default)\n"
                   "  -f, --force            redo everything\n");
    free(text);
}

/* Two rows with one name or letter, or too many rows: every parse fails, saying so, so
 * a test sees it. */
static void test_duplicate(void)
{
    static const ArgsOption mine[] = {
        {"--jobs", 'j', "N", 1, 0, NULL},
        {"--force", 'f', NULL, 2, 0, NULL},
        {NULL, 0, NULL, 0, 0, NULL},
    };
    static const ArgsOption theirs[] = {
        {"--jobs", 0, "N", 3, 0, NULL},
        {NULL, 0, NULL, 0, 0, NULL},
    };
    static const ArgsOption letter[] = {
        {"--fast", 'f', NULL, 3, 0, NULL},
        {NULL, 0, NULL, 0, 0, NULL},
    };
    char *argv[] = {"cmd", "a", NULL};
    ArgsParser p;
    CliArgError err;
    args_begin(&p, 2, argv, &err);
    args_add(&p, mine, 0);
    args_add(&p, theirs, 0);
    T_EQ_INT(args_next(&p), -1);
    T_EQ_STR(err.msg, "option table: --jobs declared twice");
    args_begin(&p, 2, argv, &err);
    args_add(&p, mine, 0);
    args_add(&p, letter, 0);
    T_EQ_INT(args_next(&p), -1);
    T_EQ_STR(err.msg, "option table: --fast declared twice");
    args_begin(&p, 2, argv, &err); /* and more rows than a parser holds */
    for (int i = 0; i < ARGS_MAX / 2 + 1; i++)
        args_add(&p, mine, 0);
    T_EQ_INT(args_next(&p), -1);
    T_EQ_STR(err.msg, "option table: more than 64 options");
}

int main(void)
{
    test_next();
    test_next(); /* a second round in the same process: nothing left from the first */
    test_numbers();
    test_choices();
    test_help();
    test_duplicate();
    return t_done();
}
