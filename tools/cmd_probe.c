/* sobre probe: placeholder until its issue lands. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cmd.h"

int cmd_probe(int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "--help")) {
        printf("Usage: sobre probe ...\n(not implemented yet)\n");
        return cli_finish_stdout("probe", CLI_OK);
    }
    cli_error("probe", "not implemented yet");
    return CLI_FAIL;
}
