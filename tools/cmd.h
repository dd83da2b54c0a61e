/* The subcommands of the `sobre` CLI. Each returns the process exit code:
 * 0 success, 1 failure, 2 usage error, 130 interrupted. */
#ifndef SOBRE_TOOLS_CMD_H
#define SOBRE_TOOLS_CMD_H

int cmd_probe(int argc, char **argv);
int cmd_encode(int argc, char **argv);
int cmd_quality(int argc, char **argv);
int cmd_footprint(int argc, char **argv);
int cmd_publish(int argc, char **argv);
int cmd_batch(int argc, char **argv);
int cmd_plan(int argc, char **argv);

#endif
