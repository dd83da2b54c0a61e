/* sobre plan's option parser: defaults, every option, bad values, unknown options and the
 * EPISODE_DIR operand, one table row per command line. */
#include "args_cmd.h"
#include "t_args.h"

static int parse(void *o, int argc, char **argv, CliArgError *err)
{
    return args_parse_plan(o, argc, argv, err);
}

static void dump(const void *opts, TDump *d)
{
    const PlanOpts *o = opts;
    char cores[256] = "";
    for (int i = 0; i < o->nb_cores; i++)
        snprintf(cores + strlen(cores), sizeof(cores) - strlen(cores), "%s%d", i ? "," : "",
                 o->cores[i]);
    t_field(d, "help", "%d", o->help);
    t_field(d, "dir", "%s", o->dir ? o->dir : "(null)");
    t_field(d, "rungs", "%s", o->rungs ? o->rungs : "(null)");
    t_field(d, "cores", "%s", cores);
    t_field(d, "json", "%d", o->json);
}

static const TArgsRow rows[] = {
    {{"ep"}, 0, ""},
    {{"ep", "--json"}, 0, "json=1"},
    {{"--rungs", "r", "ep"}, 0, "rungs=r"},
    {{"--rungs=r", "ep"}, 0, "rungs=r"},
    {{"--cores", "4", "ep"}, 0, "cores=4"},
    {{"--cores=1,64,4096", "ep"}, 0, "cores=1,64,4096"},
    {{"--cores", "1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16", "ep"},
     0,
     "cores=1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16"},
    {{"-h"}, 0, "help=1 dir=(null)"},
    {{"--help", "--bogus"}, 0, "help=1 dir=(null)"},
    {{"--", "-ep"}, 0, "dir=-ep"},
    {{NULL}, CLI_USAGE, "missing EPISODE_DIR"},
    {{"a", "b"}, CLI_USAGE, "one episode at a time"},
    {{"--cores", "0", "ep"},
     CLI_USAGE,
     "--cores takes numbers from 1 to 4096, comma-separated (at most 16)"},
    {{"--cores", "2,,4", "ep"},
     CLI_USAGE,
     "--cores takes numbers from 1 to 4096, comma-separated (at most 16)"},
    {{"--cores", "4097", "ep"},
     CLI_USAGE,
     "--cores takes numbers from 1 to 4096, comma-separated (at most 16)"},
    {{"--cores", "2,4,", "ep"},
     CLI_USAGE,
     "--cores takes numbers from 1 to 4096, comma-separated (at most 16)"},
    {{"--cores", "1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17", "ep"},
     CLI_USAGE,
     "--cores takes numbers from 1 to 4096, comma-separated (at most 16)"},
    {{"ep", "--rungs"}, CLI_USAGE, "--rungs needs a value (DIR)"},
    {{"--json=1", "ep"}, CLI_USAGE, "--json takes no value"},
    {{"--bogus", "ep"}, CLI_USAGE, "unknown option '--bogus'"},
};

int main(void)
{
    PlanOpts o;
    TDump d = {0};
    CliArgError err;
    char text[1024];
    long printed;
    static const char *const base[] = {"ep", NULL};

    T_EQ_INT(t_parse_quiet(parse, &o, "plan", base, &err, &printed), 0);
    dump(&o, &d);
    t_dump_diff(&d, NULL, text, sizeof(text));
    T_EQ_STR(text, "help=0 dir=ep rungs=(null) cores=2,4,8,16,32 json=0");
    t_args_table("plan", rows, sizeof(rows) / sizeof(rows[0]), &o, base, parse, dump, NULL);
    return t_done();
}
