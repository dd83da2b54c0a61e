/* sobre probe's command line: [options] FILE... into a ProbeOpts (args_cmd.h). */
#include <string.h>

#include "args_cmd.h"

enum { OPT_JSON = 1, OPT_SCAN, OPT_NO_END_CHECK, OPT_NO_LOUDNESS, OPT_VERBOSE, OPT_HELP };

static const ArgsOption probe_options[] = {
    {"--json", 0, NULL, OPT_JSON, 0, NULL},
    {"--scan", 0, "SECONDS", OPT_SCAN, 0, NULL},
    {"--no-end-check", 0, NULL, OPT_NO_END_CHECK, 0, NULL},
    {"--no-loudness", 0, NULL, OPT_NO_LOUDNESS, 0, NULL},
    {"--verbose", 'v', NULL, OPT_VERBOSE, 0, NULL},
    {"--help", 'h', NULL, OPT_HELP, 0, NULL},
    {NULL, 0, NULL, 0, 0, NULL},
};

int args_parse_probe(ProbeOpts *o, int argc, char **argv, CliArgError *err)
{
    ArgsParser p;
    int id;
    memset(o, 0, sizeof(*o));
    o->scan_s = -1;
    args_begin(&p, argc, argv, err);
    args_add(&p, probe_options, 0);
    while ((id = args_next(&p)) > 0) {
        switch (id) {
        case OPT_JSON:
            o->json = 1;
            break;
        case OPT_SCAN:
            if (args_double(p.value, 0, 3600, &o->scan_s) < 0)
                return args_fail(err, "--scan wants seconds between 0 and 3600");
            break;
        case OPT_NO_END_CHECK:
            o->no_end_check = 1;
            break;
        case OPT_NO_LOUDNESS:
            o->no_loudness = 1;
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
    o->files = args_operands(&p, &o->nb_files);
    if (o->nb_files == 0)
        return args_fail(err, "no FILE given");
    return 0;
}
