/* sobre quality's command line: REFERENCE DISTORTED [options] into a QualityOpts. */
#include <stdlib.h>
#include <string.h>

#include "args_cmd.h"

enum { OPT_JSON = 1, OPT_PER_FRAME, OPT_SIZE, OPT_QUIET, OPT_VERBOSE, OPT_HELP };

static const ArgsOption quality_options[] = {
    {"--json", 0, NULL, OPT_JSON, 0, NULL},
    {"--per-frame", 0, NULL, OPT_PER_FRAME, 0, NULL},
    {"--size", 0, "WxH", OPT_SIZE, 0, NULL},
    {"--quiet", 'q', NULL, OPT_QUIET, 0, NULL},
    {"--verbose", 'v', NULL, OPT_VERBOSE, 0, NULL},
    {"--help", 'h', NULL, OPT_HELP, 0, NULL},
    {NULL, 0, NULL, 0, 0, NULL},
};

static int parse_size(const char *s, int *w, int *h)
{
    char *end;
    long a = strtol(s, &end, 10), b;
    if (end == s || (*end != 'x' && *end != 'X'))
        return -1;
    s = end + 1;
    b = strtol(s, &end, 10);
    if (end == s || *end || a < 1 || b < 1 || a > 16384 || b > 16384)
        return -1;
    *w = (int)a;
    *h = (int)b;
    return 0;
}

int args_parse_quality(QualityOpts *o, int argc, char **argv, CliArgError *err)
{
    ArgsParser p;
    char **files;
    int id, nb;
    memset(o, 0, sizeof(*o));
    args_begin(&p, argc, argv, err);
    args_add(&p, quality_options, 0);
    while ((id = args_next(&p)) > 0) {
        switch (id) {
        case OPT_JSON:
            o->json = 1;
            break;
        case OPT_PER_FRAME:
            o->per_frame = 1;
            break;
        case OPT_SIZE:
            if (parse_size(p.value, &o->width, &o->height) < 0)
                return args_fail(err, "--size '%s': expected WxH, e.g. 1280x720", p.value);
            break;
        case OPT_QUIET:
            o->quiet = 1;
            break;
        case OPT_VERBOSE:
            o->verbose = 1;
            break;
        case OPT_HELP:
            o->help = 1;
            return 0;
        }
    }
    if (id < 0)
        return CLI_USAGE;
    files = args_operands(&p, &nb);
    if (nb > 2)
        return args_fail(err, "one reference and one distorted file, got a third: '%s'", files[2]);
    if (nb < 2)
        return args_fail(err, "needs two files: REFERENCE and DISTORTED");
    o->ref = files[0];
    o->dist = files[1];
    return 0;
}
