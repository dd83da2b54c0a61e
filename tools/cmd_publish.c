/* sobre publish: placeholder until its issue lands. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cmd.h"

int cmd_publish(int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "--help")) {
        printf("Usage: sobre publish ...\n(not implemented yet)\n");
        return cli_finish_stdout("publish", CLI_OK);
    }
    cli_error("publish", "not implemented yet");
    return CLI_FAIL;
}
