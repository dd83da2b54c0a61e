/* sobre footprint: placeholder until its issue lands. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cmd.h"

int cmd_footprint(int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "--help")) {
        printf("Usage: sobre footprint ...\n(not implemented yet)\n");
        return cli_finish_stdout("footprint", CLI_OK);
    }
    cli_error("footprint", "not implemented yet");
    return CLI_FAIL;
}
