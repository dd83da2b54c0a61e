/* sobre footprint's option parser: defaults, every option in its forms, device/network
 * lists, methods, formats, view counts, limits, conflicting options and the episode
 * operands, one table row per command line. */
#include "args_cmd.h"
#include "t_args.h"

static int parse(void *o, int argc, char **argv, CliArgError *err)
{
    return args_parse_footprint(o, argc, argv, err);
}

static void dump(const void *opts, TDump *d)
{
    const FootprintOpts *o = opts;
    char inputs[512] = "", factors[512] = "";
    for (int i = 0; i < o->nb_inputs; i++)
        snprintf(inputs + strlen(inputs), sizeof(inputs) - strlen(inputs), "%s%s", i ? "," : "",
                 o->inputs[i]);
    for (int i = 0; i < o->nb_factors; i++)
        snprintf(factors + strlen(factors), sizeof(factors) - strlen(factors), "%s%s", i ? "," : "",
                 o->factors[i]);
    t_field(d, "help", "%d", o->help);
    t_field(d, "inputs", "%s", inputs);
    t_field(d, "factors", "%s", factors);
    t_field(d, "method", "%s", sobre_method_name(o->fp.method));
    t_field(d, "views", "%ld", o->fp.views);
    t_field(d, "devices", "%#x", o->fp.device_mask);
    t_field(d, "networks", "%#x", o->fp.network_mask);
    t_field(d, "format", "%d", o->format);
    t_field(d, "explain", "%d", o->explain);
    t_field(d, "write", "%d", o->write);
    t_field(d, "svg", "%s", t_str(o->svg));
}

#define DEVICES  "smartphone, tablet, laptop, desktop, tv"
#define NETWORKS "fixed-fr, mobile-4g-fr, 5g-fr, fixed-eu, mobile-eu"

static const TArgsRow rows[] = {
    /* every option, --opt value and --opt=value, anywhere */
    {{"ep"}, 0, ""},
    {{"--device", "tv", "ep"}, 0, "devices=0x10"},
    {{"--device=smartphone,tablet", "ep"}, 0, "devices=0x3"},
    {{"ep", "--device", "laptop", "--device", "desktop"}, 0, "devices=0xc"}, /* repeatable */
    {{"--network", "5g-fr", "ep"}, 0, "networks=0x4"},
    {{"--network=fixed-fr,mobile-eu", "ep"}, 0, "networks=0x11"},
    {{"--method", "swd4", "ep"}, 0, "method=swd4"},
    {{"--method=onebyte", "ep"}, 0, "method=onebyte"},
    {{"--method", "power", "--method", "attributional", "ep"}, 0, "method=attributional"},
    {{"--views", "1000", "ep"}, 0, "views=1000"},
    {{"--views=1", "ep"}, 0, "views=1"},
    {{"--views", "1000000000000", "ep"}, 0, "views=1000000000000"},
    {{"--factors", "eu-2024", "ep"}, 0, "factors=eu-2024"},
    {{"--factors=a.yaml", "--factors", "b.yaml", "ep"}, 0, "factors=a.yaml,b.yaml"},
    {{"--format", "csv", "ep"}, 0, "format=1"},
    {{"--format=json", "ep"}, 0, "format=2"},
    {{"--format", "md", "ep"}, 0, "format=3"},
    {{"--format", "csv", "--format", "text", "ep"}, 0, ""},
    {{"--json", "ep"}, 0, "format=2"},
    {{"--format", "csv", "--json", "ep"}, 0, "format=2"}, /* the last one wins */
    {{"--json", "--format", "md", "ep"}, 0, "format=3"},
    {{"--svg", "c.svg", "ep"}, 0, "svg=c.svg"},
    {{"--svg=c.svg", "ep"}, 0, "svg=c.svg"},
    {{"--explain", "ep"}, 0, "explain=1"},
    {{"--write", "ep"}, 0, "write=1"},
    {{"-h"}, 0, "help=1 inputs="},
    {{"--help", "--views", "0"}, 0, "help=1 inputs="},
    /* operands */
    {{"a", "b/report.json", "c"}, 0, "inputs=a,b/report.json,c"},
    {{"--explain"}, 0, "inputs= explain=1"}, /* the only command line without an episode */
    {{"--explain", "--method", "swd4", "--factors", "eu-2024"},
     0,
     "inputs= factors=eu-2024 method=swd4 explain=1"},
    {{NULL}, CLI_USAGE, "which episode? give an EPISODE_DIR or a report.json"},
    {{"--write"}, CLI_USAGE, "which episode? give an EPISODE_DIR or a report.json"},
    {{"--", "--ep"}, 0, "inputs=--ep"},
    /* conflicting options */
    {{"--svg", "c.svg", "a", "b"}, CLI_USAGE, "--svg charts one episode; give exactly one"},
    {{"--svg", "c.svg", "--explain"}, CLI_USAGE, "--svg charts one episode; give exactly one"},
    /* bad values */
    {{"--device", "watch", "ep"}, CLI_USAGE, "unknown device 'watch'; known: " DEVICES},
    {{"--device", "tv,watch", "ep"}, CLI_USAGE, "unknown device 'watch'; known: " DEVICES},
    {{"--device", "", "ep"}, CLI_USAGE, "--device needs a value; known: " DEVICES},
    {{"--device", ",", "ep"}, CLI_USAGE, "--device needs a value; known: " DEVICES},
    {{"--network", "6g", "ep"}, CLI_USAGE, "unknown network '6g'; known: " NETWORKS},
    {{"--method", "co2", "ep"},
     CLI_USAGE,
     "unknown method 'co2'; known: ademe, attributional, power, swd4, onebyte"},
    {{"--views", "0", "ep"}, CLI_USAGE, "--views '0': expected a whole number of views from 1"},
    {{"--views", "-3", "ep"}, CLI_USAGE, "--views '-3': expected a whole number of views from 1"},
    {{"--views", "1.5", "ep"}, CLI_USAGE, "--views '1.5': expected a whole number of views from 1"},
    {{"--views", "1000000000001", "ep"},
     CLI_USAGE,
     "--views '1000000000001': expected a whole number of views from 1"},
    {{"--format", "xml", "ep"}, CLI_USAGE, "--format 'xml': expected text, csv, json or md"},
    {{"--factors", "", "ep"}, CLI_USAGE, "--factors needs a file"},
    {{"--factors", "1", "--factors", "2", "--factors", "3", "--factors", "4", "--factors", "5",
      "--factors", "6", "--factors", "7", "ep"},
     CLI_USAGE,
     "at most 6 --factors files"},
    {{"--svg=", "ep"}, CLI_USAGE, "--svg needs a file name"},
    /* missing values, unknown options */
    {{"ep", "--views"}, CLI_USAGE, "--views needs a value (N)"},
    {{"ep", "--device"}, CLI_USAGE, "--device needs a value (D)"},
    {{"ep", "--svg"}, CLI_USAGE, "--svg needs a value (FILE)"},
    {{"ep", "--write=yes"}, CLI_USAGE, "--write takes no value"},
    {{"ep", "--colour"}, CLI_USAGE, "unknown option '--colour'"},
    {{"ep", "-j"}, CLI_USAGE, "unknown option '-j'"},
};

/* 65 episodes: one more than a run takes. */
static void test_too_many(void)
{
    static char names[65][8];
    FootprintOpts o;
    CliArgError err;
    char *argv[67];
    argv[0] = "footprint";
    for (int i = 0; i < 65; i++) {
        snprintf(names[i], sizeof(names[i]), "ep%d", i);
        argv[i + 1] = names[i];
    }
    argv[66] = NULL;
    T_EQ_INT(args_parse_footprint(&o, 66, argv, &err), CLI_USAGE);
    T_EQ_STR(err.msg, "at most 64 episodes at once");
    argv[65] = NULL;
    T_EQ_INT(args_parse_footprint(&o, 65, argv, &err), 0);
    T_EQ_INT(o.nb_inputs, 64);
    T_EQ_STR(o.inputs[63], "ep63");
}

int main(void)
{
    FootprintOpts o;
    TDump d = {0};
    CliArgError err;
    char text[1024];
    long printed;
    static const char *const base[] = {"ep", NULL};

    T_EQ_INT(t_parse_quiet(parse, &o, "footprint", base, &err, &printed), 0);
    dump(&o, &d);
    t_dump_diff(&d, NULL, text, sizeof(text));
    T_EQ_STR(text, "help=0 inputs=ep factors= method=ademe views=0 devices=0 networks=0 format=0 "
                   "explain=0 write=0 svg=NULL");
    t_args_table("footprint", rows, sizeof(rows) / sizeof(rows[0]), &o, base, parse, dump, NULL);
    test_too_many();
    return t_done();
}
