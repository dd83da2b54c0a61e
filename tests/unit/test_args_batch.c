/* sobre batch's option parser: defaults, its own options, encode's options taken from
 * encode's table (checked as encode checks them, kept as given, in order, for every
 * episode), bad values, unknown options and the series operand, one row per command
 * line. */
#include <stdlib.h>

#include "args_cmd.h"
#include "t_args.h"

static int parse(void *o, int argc, char **argv, CliArgError *err)
{
    return args_parse_batch(o, argc, argv, err);
}

static void release(void *o)
{
    args_batch_free(o);
}

static void dump(const void *opts, TDump *d)
{
    const BatchOpts *o = opts;
    char eps[512] = "", fwd[1024] = "";
    for (int i = 0; i < o->nb_episodes; i++)
        snprintf(eps + strlen(eps), sizeof(eps) - strlen(eps), "%s%s", i ? "," : "",
                 o->episodes[i]);
    for (int i = 0; i < o->nb_forward; i++)
        snprintf(fwd + strlen(fwd), sizeof(fwd) - strlen(fwd), "%s%s%s%s", i ? "," : "",
                 o->forward[i].opt->name, o->forward[i].value ? "=" : "",
                 o->forward[i].value ? o->forward[i].value : "");
    t_field(d, "help", "%d", o->help);
    t_field(d, "source", "%s", t_str(o->source));
    t_field(d, "out", "%s", t_str(o->out));
    t_field(d, "jobs", "%d", o->jobs);
    t_field(d, "site", "%s", t_str(o->site));
    t_field(d, "site_title", "%s", t_str(o->site_title));
    t_field(d, "site_description", "%s", t_str(o->site_description));
    t_field(d, "base_url", "%s", t_str(o->base_url));
    t_field(d, "episodes", "%s", eps);
    t_field(d, "list", "%d", o->list);
    t_field(d, "progress", "%d", o->progress);
    t_field(d, "json", "%d", o->json);
    t_field(d, "quiet", "%d", o->quiet);
    t_field(d, "verbose", "%d", o->verbose);
    t_field(d, "forward", "%s", fwd);
    /* the encode options as batch checked them */
    t_field(d, "preset", "%s", t_str(o->encode.preset));
    t_field(d, "lang", "%s", t_str(o->encode.lang));
    t_field(d, "quality", "%d", o->encode.quality);
    t_field(d, "target_ssim", "%g", o->encode.target_ssim);
}

#define SO "s.csv", "-o", "out"

static const TArgsRow rows[] = {
    /* batch's own options */
    {{SO}, 0, ""},
    {{"-o", "out", "s.csv"}, 0, ""},
    {{"s.csv", "--output=x"}, 0, "out=x"},
    {{SO, "-j", "2"}, 0, "jobs=2"},
    {{SO, "--jobs", "64"}, 0, "jobs=64"},
    {{SO, "--jobs=1"}, 0, "jobs=1"},
    {{SO, "--publish", "site"}, 0, "site=site"},
    {{SO, "--site-title", "Série"}, 0, "site_title=Série"},
    {{SO, "--site-description=D"}, 0, "site_description=D"},
    {{SO, "--base-url", "https://x.fr/"}, 0, "base_url=https://x.fr/"},
    {{SO, "--episode", "un"}, 0, "episodes=un"},
    {{SO, "--episode", "un", "--episode=deux"}, 0, "episodes=un,deux"},
    {{"s.csv", "--list"}, 0, "out=NULL list=1"}, /* --list needs no -o */
    {{SO, "--progress", "json"}, 0, "progress=1"},
    {{SO, "--progress=none"}, 0, "progress=2"},
    {{SO, "--json"}, 0, "json=1"},
    {{SO, "-q"}, 0, "quiet=1"},
    {{SO, "--quiet"}, 0, "quiet=1"},
    {{SO, "-v"}, 0, "verbose=1"},
    {{SO, "--verbose"}, 0, "verbose=1"},
    {{"-h"}, 0, "help=1 source=NULL out=NULL"},
    {{"--help", "--jobs", "0"}, 0, "help=1 source=NULL out=NULL"},
    /* encode's options: checked, then kept as given and in order */
    {{SO, "-p", "fast.yaml"}, 0, "forward=--preset=fast.yaml preset=fast.yaml"},
    {{SO, "--preset=minimal"}, 0, "forward=--preset=minimal preset=minimal"},
    {{SO, "--enable", "av1-720p"}, 0, "forward=--enable=av1-720p"},
    {{SO, "--only", "audio"}, 0, "forward=--only=audio"},
    {{SO, "--lang", "en"}, 0, "forward=--lang=en lang=en"},
    {{SO, "-f"}, 0, "forward=--force"},
    {{SO, "--force"}, 0, "forward=--force"},
    {{SO, "--no-verify"}, 0, "forward=--no-verify"},
    {{SO, "--quality", "off"}, 0, "forward=--quality=off quality=1"},
    {{SO, "--target-ssim", "0.98"}, 0, "forward=--target-ssim=0.98 target_ssim=0.98"},
    {{SO, "--hdr", "keep"}, 0, "forward=--hdr=keep"},
    {{SO, "--loudness", "-23"}, 0, "forward=--loudness=-23"},
    {{SO, "--threads", "2"}, 0, "forward=--threads=2"},
    {{SO, "--segments", "on"}, 0, "forward=--segments=on"},
    {{SO, "--episode", "e1", "--segment", "2"}, 0, "episodes=e1 forward=--segment=2"},
    {{"-f", SO, "--quality=off", "-p", "a.yaml", "-p", "b.yaml"},
     0,
     "forward=--force,--quality=off,--preset=a.yaml,--preset=b.yaml preset=b.yaml quality=1"},
    {{SO, "-fqv"}, 0, "quiet=1 verbose=1 forward=--force"},
    /* operands */
    {{"-o", "out"}, CLI_USAGE, "missing SERIES.csv or SOURCE_DIR"},
    {{NULL}, CLI_USAGE, "missing SERIES.csv or SOURCE_DIR"},
    {{"a.csv", "b.csv", "-o", "out"}, CLI_USAGE, "one series at a time"},
    {{"s.csv"}, CLI_USAGE, "missing -o OUT_DIR"},
    {{"-o", "out", "--", "-s.csv"}, 0, "source=-s.csv"},
    /* bad values: batch's own, then encode's (refused before any episode starts) */
    {{SO, "--jobs", "0"}, CLI_USAGE, "--jobs takes a number from 1 to 64"},
    {{SO, "--jobs", "65"}, CLI_USAGE, "--jobs takes a number from 1 to 64"},
    {{SO, "-j", "-3"}, CLI_USAGE, "--jobs takes a number from 1 to 64"},
    {{SO, "-j", "two"}, CLI_USAGE, "--jobs takes a number from 1 to 64"},
    {{SO, "--progress", "sometimes"}, CLI_USAGE, "--progress takes auto, json or none"},
    {{SO, "--quality", "half"}, CLI_USAGE, "--quality takes full or off"},
    {{SO, "--target-ssim", "2"}, CLI_USAGE, "--target-ssim takes a number from 0.5 to 0.999"},
    {{SO, "--threads", "0"}, CLI_USAGE, "--threads takes a number from 1 to 1024"},
    {{SO, "--segments", "sometimes"}, CLI_USAGE, "--segments takes auto, on or off"},
    {{SO, "--segment", "2"}, CLI_USAGE, "--segment takes one --episode ID"},
    {{SO, "--episode", "a", "--episode", "b", "--segment", "2"},
     CLI_USAGE,
     "--segment takes one --episode ID"},
    {{SO, "--episode", "a", "--segment", "2", "--segments", "off"},
     CLI_USAGE,
     "--segment needs segments (not --segments off)"},
    /* encode options batch does not take: it has its own, or the series gives them */
    {{SO, "--title", "T"}, CLI_USAGE, "unknown option '--title'"},
    {{SO, "--plan"}, CLI_USAGE, "unknown option '--plan'"},
    {{SO, "-t", "T"}, CLI_USAGE, "unknown option '-t'"},
    {{SO, "--captions", "c.vtt"}, CLI_USAGE, "unknown option '--captions'"},
    {{SO, "-d", "D"}, CLI_USAGE, "unknown option '-d'"},
    /* missing values, unknown options */
    {{SO, "--jobs"}, CLI_USAGE, "--jobs needs a value (N)"},
    {{SO, "-p"}, CLI_USAGE, "-p needs a value (NAME|FILE)"},
    {{SO, "--episode"}, CLI_USAGE, "--episode needs a value (ID)"},
    {{SO, "--list=1"}, CLI_USAGE, "--list takes no value"},
    {{SO, "--bogus"}, CLI_USAGE, "unknown option '--bogus'"},
    {{SO, "-x"}, CLI_USAGE, "unknown option '-x'"},
    {{SO, "--p", "x"}, CLI_USAGE, "ambiguous option '--p' (--publish, --progress, --preset)"},
    {{SO, "--site", "x"},
     CLI_USAGE,
     "ambiguous option '--site' (--site-title, --site-description)"},
};

/* 64 encode options at most (a fixed array), then a usage error. */
static void test_many(void)
{
    static char *argv[4 + 65 + 1];
    BatchOpts o;
    CliArgError err;
    int argc = 0;
    argv[argc++] = "batch";
    argv[argc++] = "s.csv";
    argv[argc++] = "-o";
    argv[argc++] = "out";
    for (int i = 0; i < 64; i++)
        argv[argc++] = "-f";
    T_EQ_INT(args_parse_batch(&o, argc, argv, &err), 0);
    T_EQ_INT(o.nb_forward, 64);
    args_batch_free(&o);
    argv[argc++] = "-f";
    T_EQ_INT(args_parse_batch(&o, argc, argv, &err), CLI_USAGE);
    T_EQ_STR(err.msg, "at most 64 encode options");
    args_batch_free(&o);
}

int main(void)
{
    BatchOpts o;
    TDump d = {0};
    CliArgError err;
    char text[2048];
    long printed;
    static const char *const base[] = {SO, NULL};

    T_EQ_INT(t_parse_quiet(parse, &o, "batch", base, &err, &printed), 0);
    dump(&o, &d);
    args_batch_free(&o);
    t_dump_diff(&d, NULL, text, sizeof(text));
    T_EQ_STR(text, "help=0 source=s.csv out=out jobs=0 site=NULL site_title=NULL "
                   "site_description=NULL base_url=NULL episodes= list=0 progress=0 json=0 "
                   "quiet=0 verbose=0 forward= preset=default lang=NULL quality=0 target_ssim=0");
    t_args_table("batch", rows, sizeof(rows) / sizeof(rows[0]), &o, base, parse, dump, release);
    test_many();
    return t_done();
}
