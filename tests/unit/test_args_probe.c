/* sobre probe's option parser: defaults, every option in its forms, bad values, unknown
 * options and the FILE operands, one table row per command line. */
#include "args_cmd.h"
#include "t_args.h"

static int parse(void *o, int argc, char **argv, CliArgError *err)
{
    return args_parse_probe(o, argc, argv, err);
}

static void dump(const void *opts, TDump *d)
{
    const ProbeOpts *o = opts;
    char files[512] = "";
    for (int i = 0; i < o->nb_files; i++)
        snprintf(files + strlen(files), sizeof(files) - strlen(files), "%s%s", i ? "," : "",
                 o->files[i]);
    t_field(d, "help", "%d", o->help);
    t_field(d, "json", "%d", o->json);
    t_field(d, "verbose", "%d", o->verbose);
    t_field(d, "no_end_check", "%d", o->no_end_check);
    t_field(d, "no_loudness", "%d", o->no_loudness);
    t_field(d, "scan_s", "%g", o->scan_s);
    t_field(d, "files", "%s", files);
}

static const TArgsRow rows[] = {
    /* every option, short and long, --opt=value */
    {{"a.mp4"}, 0, ""},
    {{"--json", "a.mp4"}, 0, "json=1"},
    {{"a.mp4", "--json"}, 0, "json=1"}, /* options after operands too */
    {{"-v", "a.mp4"}, 0, "verbose=1"},
    {{"--verbose", "a.mp4"}, 0, "verbose=1"},
    {{"--no-end-check", "a.mp4"}, 0, "no_end_check=1"},
    {{"--scan", "0", "a.mp4"}, 0, "scan_s=0"},
    {{"--scan=2.5", "a.mp4"}, 0, "scan_s=2.5"},
    {{"--scan", "3600", "a.mp4"}, 0, "scan_s=3600"},
    {{"--sc", "1", "a.mp4"}, 0, "scan_s=1"}, /* an unambiguous prefix, as getopt_long allows */
    {{"-h"}, 0, "help=1 files="},
    {{"--help", "--bogus"}, 0, "help=1 files="}, /* help stops parsing */
    {{"--json", "--scan", "1", "-v", "--no-end-check", "a", "b"},
     0,
     "json=1 verbose=1 no_end_check=1 scan_s=1 files=a,b"},
    /* operands */
    {{"a.mp4", "b.mkv", "c.webm"}, 0, "files=a.mp4,b.mkv,c.webm"},
    {{"--", "-dash.mp4"}, 0, "files=-dash.mp4"},
    {{"-"}, 0, "files=-"},
    {{NULL}, CLI_USAGE, "no FILE given"},
    {{"--json"}, CLI_USAGE, "no FILE given"},
    /* bad values, missing values */
    {{"--scan", "abc", "a.mp4"}, CLI_USAGE, "--scan wants seconds between 0 and 3600"},
    {{"--scan", "-1", "a.mp4"}, CLI_USAGE, "--scan wants seconds between 0 and 3600"},
    {{"--scan", "", "a.mp4"}, CLI_USAGE, "--scan wants seconds between 0 and 3600"},
    {{"--scan", "2x", "a.mp4"}, CLI_USAGE, "--scan wants seconds between 0 and 3600"},
    {{"--scan=3601", "a.mp4"}, CLI_USAGE, "--scan wants seconds between 0 and 3600"},
    {{"--scan", "nan", "a.mp4"}, CLI_USAGE, "--scan wants seconds between 0 and 3600"},
    {{"a.mp4", "--scan"}, CLI_USAGE, "--scan needs a value (SECONDS)"},
    {{"--json=1", "a.mp4"}, CLI_USAGE, "--json takes no value"},
    /* unknown options */
    {{"--bogus", "a.mp4"}, CLI_USAGE, "unknown option '--bogus'"},
    {{"--bogus=3", "a.mp4"}, CLI_USAGE, "unknown option '--bogus'"},
    {{"-x", "a.mp4"}, CLI_USAGE, "unknown option '-x'"},
    {{"-vx", "a.mp4"}, CLI_USAGE, "unknown option '-x'"},
    {{"--no-e", "a.mp4"}, 0, "no_end_check=1"},
    {{"--n", "a.mp4"}, CLI_USAGE, "ambiguous option '--n' (--no-end-check, --no-loudness)"},
    {{"--no-loudness", "a.mp4"}, 0, "no_loudness=1"},
};

int main(void)
{
    ProbeOpts o;
    TDump d = {0};
    CliArgError err;
    char text[1024];
    long printed;
    static const char *const base[] = {"a.mp4", NULL};

    T_EQ_INT(t_parse_quiet(parse, &o, "probe", base, &err, &printed), 0);
    dump(&o, &d);
    t_dump_diff(&d, NULL, text, sizeof(text));
    T_EQ_STR(text, "help=0 json=0 verbose=0 no_end_check=0 no_loudness=0 scan_s=-1 files=a.mp4");
    t_args_table("probe", rows, sizeof(rows) / sizeof(rows[0]), &o, base, parse, dump, NULL);
    return t_done();
}
