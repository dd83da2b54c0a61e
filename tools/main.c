/* `sobre` entry point: a dispatch table of subcommands, after dav1d's and curl's tools.
 * Each subcommand parses its own options and returns the exit code. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cmd.h"
#include "sobre/common.h"

static const struct {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} commands[] = {
    {"probe", cmd_probe, "describe media files and the problems an encode would hit"},
    {"encode", cmd_encode, "encode one master into a sober rendition ladder"},
    {"quality", cmd_quality, "compare two videos (SSIM, PSNR)"},
    {"footprint", cmd_footprint, "energy and carbon of one view, for every viewing format"},
    {"publish", cmd_publish, "build the static playlist site from encoded episodes"},
    {"batch", cmd_batch, "encode a whole series (CSV or folder), then publish it"},
    {"plan", cmd_plan, "what an encode would take on more cores, from its measurements"},
};

static void usage(FILE *out)
{
    fprintf(out, "Usage: sobre <command> [options]\n\n"
                 "sobre makes public-sector video sober: small renditions, an honest\n"
                 "per-view footprint and a static site any intranet can host.\n\n"
                 "Commands:\n");
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(out, "\nRun 'sobre <command> --help' for the options of a command.\n"
                 "Options: --help, --version\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return CLI_USAGE;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        usage(stdout);
        return cli_finish_stdout("help", CLI_OK);
    }
    if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
        printf("sobre %s\n", sobre_version());
        return cli_finish_stdout("version", CLI_OK);
    }
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        if (!strcmp(argv[1], commands[i].name))
            return commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "sobre: unknown command '%s'\n\n", argv[1]);
    usage(stderr);
    return CLI_USAGE;
}
