/* sobre encode: placeholder until its issue lands. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cmd.h"

int cmd_encode(int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "--help")) {
        printf("Usage: sobre encode ...\n(not implemented yet)\n");
        return cli_finish_stdout("encode", CLI_OK);
    }
    cli_error("encode", "not implemented yet");
    return CLI_FAIL;
}
