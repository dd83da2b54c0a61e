/* What each command's command line parses into, and the parsers (tools/args_<cmd>.c).
 * A parser only reads strings and numbers: it never prints, opens files or loads presets
 * (the command does that after parsing), so tests/unit/test_args_*.c run without media.
 * Each returns 0 (options filled; help set when --help was given, which stops parsing)
 * or CLI_USAGE with the message in err. Operands point into argv, which getopt_long
 * reorders (options first). */
#ifndef SOBRE_TOOLS_ARGS_CMD_H
#define SOBRE_TOOLS_ARGS_CMD_H

#include "args.h"
#include "sobre/footprint.h"
#include "sobre/publish.h"

/* sobre probe [options] FILE... */
typedef struct ProbeOpts {
    int help, json, verbose, no_end_check;
    double scan_s; /* < 0: the library's default */
    char **files;
    int nb_files;
} ProbeOpts;
int args_parse_probe(ProbeOpts *o, int argc, char **argv, CliArgError *err);

/* sobre quality REFERENCE DISTORTED [options] */
typedef struct QualityOpts {
    int help;
    const char *ref, *dist;
    int json, per_frame, quiet, verbose;
    int width, height; /* 0: the reference's size */
} QualityOpts;
int args_parse_quality(QualityOpts *o, int argc, char **argv, CliArgError *err);

/* sobre footprint EPISODE_DIR|report.json... [options] */
#define FOOTPRINT_MAX_INPUTS  64
#define FOOTPRINT_MAX_FACTORS 6
typedef struct FootprintOpts {
    int help;
    const char *inputs[FOOTPRINT_MAX_INPUTS];
    int nb_inputs;
    const char *factors[FOOTPRINT_MAX_FACTORS];
    int nb_factors;
    SobreFootprintOptions fp;   /* method ademe, every device and network */
    int format, explain, write; /* format: SOBRE_FOOTPRINT_TEXT... */
    const char *svg;
} FootprintOpts;
int args_parse_footprint(FootprintOpts *o, int argc, char **argv, CliArgError *err);

/* sobre publish EPISODE_DIR... -o SITE [options] */
typedef struct PublishOpts {
    int help;
    SobrePublishSettings set; /* sobre_publish_default_settings(), then the options */
    const char *out;
    const char **episodes;
    int nb_episodes;
    int json, quiet, verbose;
} PublishOpts;
int args_parse_publish(PublishOpts *o, int argc, char **argv, CliArgError *err);

#endif
