/* sobre encode's option parser and option table: defaults, every option in its forms,
 * bad values, missing values, unknown options and the INPUT operand, one table row per
 * command line; then the table itself (what batch takes from it) and its --help lines. */
#include <stdlib.h>

#include "args_cmd.h"
#include "t_args.h"

static int parse(void *o, int argc, char **argv, CliArgError *err)
{
    return args_parse_encode(o, argc, argv, err);
}

static void dump(const void *opts, TDump *d)
{
    const EncodeOpts *o = opts;
    t_field(d, "help", "%d", o->help);
    t_field(d, "input", "%s", t_str(o->input));
    t_field(d, "output", "%s", t_str(o->output));
    t_field(d, "preset", "%s", t_str(o->preset));
    t_field(d, "enable", "%s", t_str(o->enable));
    t_field(d, "only", "%s", t_str(o->only));
    t_field(d, "title", "%s", t_str(o->title));
    t_field(d, "description", "%s", t_str(o->description));
    t_field(d, "lang", "%s", t_str(o->lang));
    t_field(d, "captions", "%s", t_str(o->captions));
    t_field(d, "force", "%d", o->force);
    t_field(d, "no_verify", "%d", o->no_verify);
    t_field(d, "quality", "%s", o->quality == ENCODE_QUALITY_FULL ? "full" : "off");
    t_field(d, "target_ssim", "%g", o->target_ssim);
    t_field(d, "hdr", "%d", o->hdr);
    t_field(d, "loudness", "%d/%g", o->loudness, o->loudness_lufs);
    t_field(d, "threads", "%d", o->threads);
    t_field(d, "segments", "%d", o->segments);
    t_field(d, "segment", "%d", o->segment);
    t_field(d, "plan", "%d", o->plan);
    t_field(d, "progress", "%d", o->progress);
    t_field(d, "quiet", "%d", o->quiet);
    t_field(d, "json", "%d", o->json);
    t_field(d, "verbose", "%d", o->verbose);
}

#define IO "in.mp4", "-o", "ep"

static const TArgsRow rows[] = {
    /* every option, short and long, --opt=value, anywhere */
    {{IO}, 0, ""},
    {{"-o", "ep", "in.mp4"}, 0, ""},
    {{"in.mp4", "--output", "other"}, 0, "output=other"},
    {{"--output=other", "in.mp4"}, 0, "output=other"},
    {{"-oother", "in.mp4"}, 0, "output=other"},
    {{IO, "-p", "minimal"}, 0, "preset=minimal"},
    {{IO, "--preset", "my.yaml"}, 0, "preset=my.yaml"},
    {{IO, "--preset=minimal"}, 0, "preset=minimal"},
    {{IO, "--enable", "av1-720p,vp9-1080p"}, 0, "enable=av1-720p,vp9-1080p"},
    {{IO, "--only=audio"}, 0, "only=audio"},
    {{IO, "-t", "Épisode 1"}, 0, "title=Épisode 1"},
    {{IO, "--title", "T"}, 0, "title=T"},
    {{IO, "-d", "D"}, 0, "description=D"},
    {{IO, "--description=D"}, 0, "description=D"},
    {{IO, "--lang", "en"}, 0, "lang=en"},
    {{IO, "-c", "ep.vtt"}, 0, "captions=ep.vtt"},
    {{IO, "--captions", "ep.vtt"}, 0, "captions=ep.vtt"},
    {{IO, "-f"}, 0, "force=1"},
    {{IO, "--force"}, 0, "force=1"},
    {{IO, "--no-verify"}, 0, "no_verify=1"},
    {{IO, "--quality", "off"}, 0, "quality=off"},
    {{IO, "--quality=off", "--quality", "full"}, 0, ""},
    {{IO, "--target-ssim", "0.98"}, 0, "target_ssim=0.98"},
    {{IO, "--target-ssim=0.5"}, 0, "target_ssim=0.5"},
    {{IO, "--target-ssim", "0.999"}, 0, "target_ssim=0.999"},
    {{IO, "--hdr", "keep"}, 0, "hdr=1"},
    {{IO, "--hdr=sdr"}, 0, "hdr=0"},
    {{IO, "--loudness", "off"}, 0, "loudness=1/0"},
    {{IO, "--loudness", "-23"}, 0, "loudness=2/-23"},
    {{IO, "--loudness=-16"}, 0, "loudness=2/-16"},
    {{IO, "--threads", "4"}, 0, "threads=4"},
    {{IO, "--threads=1024"}, 0, "threads=1024"},
    {{IO, "--segments", "on"}, 0, "segments=1"},
    {{IO, "--segments=off"}, 0, "segments=2"},
    {{IO, "--segments", "auto"}, 0, ""},
    {{IO, "--segment", "3"}, 0, "segment=3"},
    {{IO, "--segment=1", "--segments", "on"}, 0, "segments=1 segment=1"},
    {{IO, "--plan"}, 0, "plan=1"},
    {{IO, "--plan", "--json"}, 0, "plan=1 json=1"},
    {{IO, "--progress", "json"}, 0, "progress=1"},
    {{IO, "--progress=none"}, 0, "progress=2"},
    {{IO, "--progress", "auto"}, 0, ""},
    {{IO, "-q"}, 0, "quiet=1"},
    {{IO, "--quiet"}, 0, "quiet=1"},
    {{IO, "--json"}, 0, "json=1"},
    {{IO, "-v"}, 0, "verbose=1"},
    {{IO, "--verbose"}, 0, "verbose=1"},
    {{IO, "-fqv"}, 0, "force=1 quiet=1 verbose=1"},
    {{"-h"}, 0, "help=1 input=NULL output=NULL"},
    {{"--help", "--bogus"}, 0, "help=1 input=NULL output=NULL"},
    {{"--", "-in.mp4", "-o", "ep"}, CLI_USAGE, "one INPUT at a time"},
    {{"-o", "ep", "--", "-in.mp4"}, 0, "input=-in.mp4"},
    /* operands and the required -o */
    {{NULL}, CLI_USAGE, "missing INPUT"},
    {{"-o", "ep"}, CLI_USAGE, "missing INPUT"},
    {{"a.mp4", "b.mp4", "-o", "ep"}, CLI_USAGE, "one INPUT at a time"},
    {{"in.mp4"}, CLI_USAGE, "missing -o EPISODE_DIR"},
    {{"in.mp4", "-t", "T"}, CLI_USAGE, "missing -o EPISODE_DIR"},
    /* bad values */
    {{IO, "--quality", "half"}, CLI_USAGE, "--quality takes full or off"},
    {{IO, "--target-ssim", "2"}, CLI_USAGE, "--target-ssim takes a number from 0.5 to 0.999"},
    {{IO, "--hdr", "hdr10"}, CLI_USAGE, "--hdr takes sdr or keep"},
    {{IO, "--loudness", "-5"},
     CLI_USAGE,
     "--loudness takes off or a loudness in LUFS from -36 to -10 (e.g. -16, or -23 for EBU "
     "R128 broadcast)"},
    {{IO, "--loudness", "loud"},
     CLI_USAGE,
     "--loudness takes off or a loudness in LUFS from -36 to -10 (e.g. -16, or -23 for EBU "
     "R128 broadcast)"},
    {{IO, "--hdr"}, CLI_USAGE, "--hdr needs a value (MODE)"},
    {{IO, "--target-ssim", "0.49"}, CLI_USAGE, "--target-ssim takes a number from 0.5 to 0.999"},
    {{IO, "--target-ssim", "high"}, CLI_USAGE, "--target-ssim takes a number from 0.5 to 0.999"},
    {{IO, "--target-ssim", ""}, CLI_USAGE, "--target-ssim takes a number from 0.5 to 0.999"},
    {{IO, "--progress", "sometimes"}, CLI_USAGE, "--progress takes auto, json or none"},
    {{IO, "--threads", "0"}, CLI_USAGE, "--threads takes a number from 1 to 1024"},
    {{IO, "--threads", "1025"}, CLI_USAGE, "--threads takes a number from 1 to 1024"},
    {{IO, "--threads", "two"}, CLI_USAGE, "--threads takes a number from 1 to 1024"},
    {{IO, "--segments", "yes"}, CLI_USAGE, "--segments takes auto, on or off"},
    {{IO, "--segment", "0"}, CLI_USAGE, "--segment takes a segment number from 1"},
    {{IO, "--segment", "x"}, CLI_USAGE, "--segment takes a segment number from 1"},
    {{IO, "--segment", "2", "--segments", "off"},
     CLI_USAGE,
     "--segment needs segments (not --segments off)"},
    {{IO, "--plan=1"}, CLI_USAGE, "--plan takes no value"},
    {{IO, "--seg", "1"}, CLI_USAGE, "ambiguous option '--seg' (--segments, --segment)"},
    /* missing values, unknown options */
    {{"in.mp4", "-o"}, CLI_USAGE, "-o needs a value (DIR)"},
    {{IO, "--preset"}, CLI_USAGE, "--preset needs a value (NAME|FILE)"},
    {{IO, "-p"}, CLI_USAGE, "-p needs a value (NAME|FILE)"},
    {{IO, "--target-ssim"}, CLI_USAGE, "--target-ssim needs a value (X)"},
    {{IO, "--force=yes"}, CLI_USAGE, "--force takes no value"},
    {{"--bogus", "x", "-o", "ep"}, CLI_USAGE, "unknown option '--bogus'"},
    {{IO, "-z"}, CLI_USAGE, "unknown option '-z'"},
    {{IO, "--pro", "json"}, 0, "progress=1"},
    {{IO, "--p", "x"}, CLI_USAGE, "ambiguous option '--p' (--preset, --plan, --progress)"},
};

/* Whether a row is also a batch option: batch has its own -o/--progress/--quiet/--json/
 * --verbose/--help, and takes title, description and captions from the series. */
static int for_batch(const char *name)
{
    for (const ArgsOption *o = encode_options; o->name; o++)
        if (!strcmp(o->name, name))
            return (o->flags & ENCODE_FOR_BATCH) != 0;
    return -1;
}

static void test_table(void)
{
    static const char *const yes[] = {"--preset", "--enable",    "--only",     "--lang",
                                      "--force",  "--no-verify", "--quality",  "--target-ssim",
                                      "--hdr",    "--threads",   "--segments", "--segment"};
    static const char *const no[] = {"--output",   "--title", "--description", "--captions",
                                     "--progress", "--quiet", "--json",        "--verbose",
                                     "--help",     "--plan"};
    char *text = NULL;
    size_t len = 0;
    FILE *f;
    for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
        T_CHECK(for_batch(yes[i]) == 1, "%s is passed on by batch", yes[i]);
    for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++)
        T_CHECK(for_batch(no[i]) == 0, "%s is not a batch option", no[i]);
    for (const ArgsOption *o = encode_options; o->name; o++)
        T_CHECK(o->help && o->help[0], "%s has a help text", o->name);

    f = open_memstream(&text, &len);
    args_print_options(f, encode_options, 0);
    fclose(f);
    T_CONTAINS(text, "  -o, --output DIR       episode folder to create or update (required)\n"
                     "  -p, --preset NAME|FILE ladder preset: default, minimal, or a YAML file\n"
                     "                         (default: default)\n"
                     "      --enable IDS       also make rungs that are off by default, e.g.\n");
    T_CONTAINS(text, "  -h, --help             this help\n");
    free(text);
}

int main(void)
{
    EncodeOpts o;
    TDump d = {0};
    CliArgError err;
    char text[2048];
    long printed;
    static const char *const base[] = {IO, NULL};

    T_EQ_INT(t_parse_quiet(parse, &o, "encode", base, &err, &printed), 0);
    dump(&o, &d);
    t_dump_diff(&d, NULL, text, sizeof(text));
    T_EQ_STR(text,
             "help=0 input=in.mp4 output=ep preset=default enable=NULL only=NULL title=NULL "
             "description=NULL lang=NULL captions=NULL force=0 no_verify=0 quality=full "
             "target_ssim=0 hdr=-1 loudness=0/0 threads=0 segments=0 segment=0 plan=0 progress=0 "
             "quiet=0 json=0 verbose=0");
    t_args_table("encode", rows, sizeof(rows) / sizeof(rows[0]), &o, base, parse, dump, NULL);
    test_table();
    return t_done();
}
