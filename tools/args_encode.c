/* sobre encode's command line: INPUT -o EPISODE_DIR [options] into an EncodeOpts. The
 * option table is also batch's: the rows marked ENCODE_FOR_BATCH are options of batch,
 * which checks them with args_encode_apply() and passes them to every episode. */
#include <string.h>

#include "args_cmd.h"
#include "sobre/plan.h"

enum {
    OPT_OUTPUT = 1,
    OPT_PRESET,
    OPT_ENABLE,
    OPT_ONLY,
    OPT_TITLE,
    OPT_DESCRIPTION,
    OPT_LANG,
    OPT_CAPTIONS,
    OPT_FORCE,
    OPT_NO_VERIFY,
    OPT_QUALITY,
    OPT_TARGET_SSIM,
    OPT_HDR,
    OPT_LOUDNESS,
    OPT_THREADS,
    OPT_SEGMENTS,
    OPT_SEGMENT,
    OPT_PLAN,
    OPT_PROGRESS,
    OPT_QUIET,
    OPT_JSON,
    OPT_VERBOSE,
    OPT_HELP
};

#define BATCH ENCODE_FOR_BATCH

const ArgsOption encode_options[] = {
    {"--output", 'o', "DIR", OPT_OUTPUT, 0, "episode folder to create or update (required)"},
    {"--preset", 'p', "NAME|FILE", OPT_PRESET, BATCH,
     "ladder preset: default, minimal, or a YAML file\n"
     "(default: default)"},
    {"--enable", 0, "IDS", OPT_ENABLE, BATCH,
     "also make rungs that are off by default, e.g.\n"
     "av1-720p,vp9-1080p (or 'all')"},
    {"--only", 0, "IDS", OPT_ONLY, BATCH, "make only these rungs"},
    {"--title", 't', "TEXT", OPT_TITLE, 0,
     "episode title (default: the input's title tag, else its name)"},
    {"--description", 'd', "TEXT", OPT_DESCRIPTION, 0, "episode description"},
    {"--lang", 0, "CODE", OPT_LANG, BATCH,
     "language of the episode and its captions (default: fr)"},
    {"--captions", 'c', "FILE", OPT_CAPTIONS, 0,
     "WebVTT captions to check and publish (default: the\n"
     "input's first text subtitle stream, if any)"},
    {"--force", 'f', NULL, OPT_FORCE, BATCH, "re-encode renditions even when they are up to date"},
    {"--no-verify", 0, NULL, OPT_NO_VERIFY, BATCH,
     "skip the decode check of each output (not advised)"},
    {"--quality", 0, "MODE", OPT_QUALITY, BATCH,
     "full: measure SSIM/PSNR of every video rendition while\n"
     "encoding (report.json and quality.json); off: do not\n"
     "(benchmarks) (default: full)"},
    {"--target-ssim", 0, "X", OPT_TARGET_SSIM, BATCH,
     "aim every video rung at this SSIM (0.5 to 0.999, display\n"
     "view, SSIM All): the highest CRF meeting it is searched on\n"
     "short samples first (overrides the preset's target_ssim)"},
    {"--hdr", 0, "MODE", OPT_HDR, BATCH,
     "HDR sources (HLG, PQ): sdr tone maps every rendition to\n"
     "SDR BT.709; keep also makes one 10-bit VP9 Profile 2\n"
     "rendition kept in HDR (default: the preset's hdr key, sdr)"},
    {"--loudness", 0, "off|LUFS", OPT_LOUDNESS, BATCH,
     "level every audio rendition at this integrated\n"
     "loudness (EBU R128, -36 to -10; true peaks held under\n"
     "the preset's ceiling, -1 dBTP), or keep the source's\n"
     "level (default: the preset's, -16 LUFS)"},
    {"--threads", 0, "N", OPT_THREADS, BATCH,
     "plan for N cores (default: the cores this process may\n"
     "use: its CPU affinity, capped by its cgroup's CPU quota)"},
    {"--segments", 0, "MODE", OPT_SEGMENTS, BATCH,
     "auto: cut the episode into segments encoded side by side\n"
     "when that is faster on these cores; on: segments anyway\n"
     "(a killed encode resumes at its first missing segment);\n"
     "off: rungs side by side only (default: auto)"},
    {"--segment", 0, "K", OPT_SEGMENT, BATCH,
     "encode only segment K (1 = the first) of every video\n"
     "rendition, for a join later by a run without --segment\n"
     "(segments of one episode on several hosts; batch: with\n"
     "one --episode)"},
    {"--plan", 0, NULL, OPT_PLAN, 0,
     "print how the encode would use this machine (cores,\n"
     "threads, segments) and stop; with --json, as JSON"},
    {"--progress", 0, "MODE", OPT_PROGRESS, 0,
     "auto (a line on a terminal), json (one JSON object per\n"
     "line on stderr) or none (default: auto)"},
    {"--quiet", 'q', NULL, OPT_QUIET, 0, "no progress, no summary"},
    {"--json", 0, NULL, OPT_JSON, 0, "print report.json on stdout when done"},
    {"--verbose", 'v', NULL, OPT_VERBOSE, 0, "show FFmpeg's own warnings"},
    {"--help", 'h', NULL, OPT_HELP, 0, "this help"},
    {NULL, 0, NULL, 0, 0, NULL},
};

void args_encode_defaults(EncodeOpts *o)
{
    memset(o, 0, sizeof(*o));
    o->preset = "default";
    o->hdr = -1;
    o->quality = ENCODE_QUALITY_FULL;
    o->progress = PROGRESS_AUTO;
}

int args_encode_apply(EncodeOpts *o, const ArgsOption *opt, const char *v, CliArgError *err)
{
    int i;
    switch (opt->id) {
    case OPT_OUTPUT:
        o->output = v;
        break;
    case OPT_PRESET:
        o->preset = v;
        break;
    case OPT_ENABLE:
        o->enable = v;
        break;
    case OPT_ONLY:
        o->only = v;
        break;
    case OPT_TITLE:
        o->title = v;
        break;
    case OPT_DESCRIPTION:
        o->description = v;
        break;
    case OPT_LANG:
        o->lang = v;
        break;
    case OPT_CAPTIONS:
        o->captions = v;
        break;
    case OPT_FORCE:
        o->force = 1;
        break;
    case OPT_NO_VERIFY:
        o->no_verify = 1;
        break;
    case OPT_QUALITY:
        if ((i = args_choice(v, "full|off")) < 0) /* ENCODE_QUALITY_* order */
            return args_choice_fail(err, opt->name, "full|off");
        o->quality = i;
        break;
    case OPT_TARGET_SSIM:
        if (args_double(v, 0.5, 0.999, &o->target_ssim) < 0)
            return args_fail(err, "%s takes a number from 0.5 to 0.999", opt->name);
        break;
    case OPT_HDR: {
        SobreHdrMode mode;
        if (sobre_hdr_mode_parse(v, &mode) < 0)
            return args_fail(err, "%s takes sdr or keep", opt->name);
        o->hdr = (int)mode;
        break;
    }
    case OPT_LOUDNESS:
        if (!strcmp(v, "off")) {
            o->loudness = SOBRE_LOUDNESS_OFF;
            break;
        }
        if (args_double(v, SOBRE_LOUDNESS_MIN_LUFS, SOBRE_LOUDNESS_MAX_LUFS, &o->loudness_lufs) < 0)
            return args_fail(err,
                             "%s takes off or a loudness in LUFS from -36 to -10 (e.g. -16, or "
                             "-23 for EBU R128 broadcast)",
                             opt->name);
        o->loudness = SOBRE_LOUDNESS_ON;
        break;
    case OPT_THREADS: {
        long n;
        if (args_long(v, 1, 1024, &n) < 0)
            return args_fail(err, "%s takes a number from 1 to 1024", opt->name);
        o->threads = (int)n;
        break;
    }
    case OPT_SEGMENTS:
        if ((i = args_choice(v, "auto|on|off")) < 0) /* SobreSegmentMode order */
            return args_choice_fail(err, opt->name, "auto|on|off");
        o->segments = i;
        break;
    case OPT_SEGMENT: {
        long n;
        if (args_long(v, 1, 100000, &n) < 0)
            return args_fail(err, "%s takes a segment number from 1", opt->name);
        o->segment = (int)n;
        break;
    }
    case OPT_PLAN:
        o->plan = 1;
        break;
    case OPT_PROGRESS:
        if ((i = args_choice(v, PROGRESS_CHOICES)) < 0)
            return args_choice_fail(err, opt->name, PROGRESS_CHOICES);
        o->progress = i;
        break;
    case OPT_QUIET:
        o->quiet = 1;
        break;
    case OPT_JSON:
        o->json = 1;
        break;
    case OPT_VERBOSE:
        o->verbose = 1;
        break;
    case OPT_HELP:
        o->help = 1;
        break;
    }
    return 0;
}

int args_encode_check(const EncodeOpts *o, CliArgError *err)
{
    if (o->segment && o->segments == SOBRE_SEGMENTS_OFF)
        return args_fail(err, "--segment needs segments (not --segments off)");
    return 0;
}

int args_parse_encode(EncodeOpts *o, int argc, char **argv, CliArgError *err)
{
    ArgsParser p;
    char **inputs;
    int id, nb;
    args_encode_defaults(o);
    args_begin(&p, argc, argv, err);
    args_add(&p, encode_options, 0);
    while ((id = args_next(&p)) > 0) {
        if (args_encode_apply(o, p.opt, p.value, err))
            return CLI_USAGE;
        if (o->help)
            return 0;
    }
    if (id < 0)
        return CLI_USAGE;
    inputs = args_operands(&p, &nb);
    if (nb != 1)
        return args_fail(err, nb == 0 ? "missing INPUT" : "one INPUT at a time");
    o->input = inputs[0];
    if (!o->output)
        return args_fail(err, "missing -o EPISODE_DIR");
    return args_encode_check(o, err);
}
