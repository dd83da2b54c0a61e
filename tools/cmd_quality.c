/* sobre quality: placeholder until its issue lands. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cmd.h"

int cmd_quality(int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "--help")) {
        printf("Usage: sobre quality ...\n(not implemented yet)\n");
        return cli_finish_stdout("quality", CLI_OK);
    }
    cli_error("quality", "not implemented yet");
    return CLI_FAIL;
}
