/* sobre quality's option parser: defaults, every option in its forms, --size values,
 * unknown options and the two file operands, one table row per command line. */
#include "args_cmd.h"
#include "t_args.h"

static int parse(void *o, int argc, char **argv, CliArgError *err)
{
    return args_parse_quality(o, argc, argv, err);
}

static void dump(const void *opts, TDump *d)
{
    const QualityOpts *o = opts;
    t_field(d, "help", "%d", o->help);
    t_field(d, "ref", "%s", t_str(o->ref));
    t_field(d, "dist", "%s", t_str(o->dist));
    t_field(d, "json", "%d", o->json);
    t_field(d, "per_frame", "%d", o->per_frame);
    t_field(d, "quiet", "%d", o->quiet);
    t_field(d, "verbose", "%d", o->verbose);
    t_field(d, "size", "%dx%d", o->width, o->height);
}

static const TArgsRow rows[] = {
    /* every option, short and long, --opt=value, anywhere */
    {{"r.mp4", "d.webm"}, 0, ""},
    {{"--json", "r.mp4", "d.webm"}, 0, "json=1"},
    {{"r.mp4", "d.webm", "--json"}, 0, "json=1"},
    {{"r.mp4", "--per-frame", "d.webm"}, 0, "per_frame=1"},
    {{"-q", "r.mp4", "d.webm"}, 0, "quiet=1"},
    {{"--quiet", "r.mp4", "d.webm"}, 0, "quiet=1"},
    {{"-v", "r.mp4", "d.webm"}, 0, "verbose=1"},
    {{"--verbose", "r.mp4", "d.webm"}, 0, "verbose=1"},
    {{"-qv", "r.mp4", "d.webm"}, 0, "quiet=1 verbose=1"},
    {{"--size", "1280x720", "r.mp4", "d.webm"}, 0, "size=1280x720"},
    {{"--size=640X360", "r.mp4", "d.webm"}, 0, "size=640x360"},
    {{"--size", "16384x1", "r.mp4", "d.webm"}, 0, "size=16384x1"},
    {{"--size", "10x10", "--size", "20x20", "r.mp4", "d.webm"}, 0, "size=20x20"}, /* last wins */
    {{"-h"}, 0, "help=1 ref=NULL dist=NULL"},
    {{"r.mp4", "--help"}, 0, "help=1 ref=NULL dist=NULL"},
    {{"--json", "--per-frame", "-q", "-v", "--size", "2x2", "a", "b"},
     0,
     "ref=a dist=b json=1 per_frame=1 quiet=1 verbose=1 size=2x2"},
    {{"--", "-r.mp4", "-d.webm"}, 0, "ref=-r.mp4 dist=-d.webm"},
    /* operands */
    {{NULL}, CLI_USAGE, "needs two files: REFERENCE and DISTORTED"},
    {{"r.mp4"}, CLI_USAGE, "needs two files: REFERENCE and DISTORTED"},
    {{"--json"}, CLI_USAGE, "needs two files: REFERENCE and DISTORTED"},
    {{"a", "b", "c"}, CLI_USAGE, "one reference and one distorted file, got a third: 'c'"},
    /* bad and missing values */
    {{"--size", "x", "a", "b"}, CLI_USAGE, "--size 'x': expected WxH, e.g. 1280x720"},
    {{"--size", "0x10", "a", "b"}, CLI_USAGE, "--size '0x10': expected WxH, e.g. 1280x720"},
    {{"--size", "16385x10", "a", "b"}, CLI_USAGE, "--size '16385x10': expected WxH, e.g. 1280x720"},
    {{"--size", "-3x2", "a", "b"}, CLI_USAGE, "--size '-3x2': expected WxH, e.g. 1280x720"},
    {{"--size", "12x", "a", "b"}, CLI_USAGE, "--size '12x': expected WxH, e.g. 1280x720"},
    {{"--size", "", "a", "b"}, CLI_USAGE, "--size '': expected WxH, e.g. 1280x720"},
    {{"a", "b", "--size"}, CLI_USAGE, "--size needs a value (WxH)"},
    {{"--per-frame=1", "a", "b"}, CLI_USAGE, "--per-frame takes no value"},
    /* unknown options */
    {{"--bogus", "a", "b"}, CLI_USAGE, "unknown option '--bogus'"},
    {{"-z", "a", "b"}, CLI_USAGE, "unknown option '-z'"},
};

int main(void)
{
    QualityOpts o;
    TDump d = {0};
    CliArgError err;
    char text[1024];
    long printed;
    static const char *const base[] = {"r.mp4", "d.webm", NULL};

    T_EQ_INT(t_parse_quiet(parse, &o, "quality", base, &err, &printed), 0);
    dump(&o, &d);
    t_dump_diff(&d, NULL, text, sizeof(text));
    T_EQ_STR(text, "help=0 ref=r.mp4 dist=d.webm json=0 per_frame=0 quiet=0 verbose=0 size=0x0");
    t_args_table("quality", rows, sizeof(rows) / sizeof(rows[0]), &o, base, parse, dump, NULL);
    return t_done();
}
