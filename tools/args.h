/* Option parsing shared by the sobre commands, after curl's tool_getparam.c: a command
 * describes its options in a table, parses argv with getopt_long into its options
 * struct, and parsing never prints: a usage error comes back as CLI_USAGE with its
 * message in a CliArgError, for the command to print (cli_usage_error). */
#ifndef SOBRE_TOOLS_ARGS_H
#define SOBRE_TOOLS_ARGS_H

#include <getopt.h>
#include <stdio.h>

#include "cli.h"

/** What a failed parse says; one line, without the command name. */
typedef struct CliArgError {
    char msg[512];
} CliArgError;

/** One option of a command. A table of them ends with a row whose name is NULL. */
typedef struct ArgsOption {
    const char *name; /* long name with its dashes: "--output" */
    int letter;       /* short name ('o'), or 0 */
    const char *arg;  /* the value as --help names it ("DIR"); NULL: takes no value */
    int id;           /* what args_next() returns for it (> 0) */
    unsigned flags;   /* the command's own use (encode: whether batch passes it on) */
    const char *help; /* --help text, '\n' between lines; NULL: not listed */
} ArgsOption;

#define ARGS_MAX 64

/** getopt_long over one or more tables; re-entrant between parses (optind is reset). */
typedef struct ArgsParser {
    int argc;
    char **argv;
    const ArgsOption *opts[ARGS_MAX];
    struct option longopts[ARGS_MAX + 1];
    char shortopts[3 * ARGS_MAX + 2];
    int nb;
    int overflow; /* more than ARGS_MAX rows added: every parse fails, naming it */
    int started;
    CliArgError *err;
    const ArgsOption *opt; /* the option args_next() last returned */
    const char *value;     /* its value; NULL for an option without one */
} ArgsParser;

/** argv[0] is the command name; options and operands follow, in any order. */
void args_begin(ArgsParser *p, int argc, char **argv, CliArgError *err);

/** Adds the rows of table whose flags include every bit of need (0: every row). */
void args_add(ArgsParser *p, const ArgsOption *table, unsigned need);

/** The next option's id; 0 when the options end (operands are then argv[optind..argc-1],
 * see args_operands); -1 on a usage error (unknown or ambiguous option, missing value,
 * value given to an option without one), with the message in err. */
int args_next(ArgsParser *p);

/** After args_next() returned 0: the operands (getopt_long moved them to the end). */
char **args_operands(const ArgsParser *p, int *count);

/** Fills err->msg; returns CLI_USAGE. */
int args_fail(CliArgError *err, const char *fmt, ...) CLI_PRINTF(2, 3);

/** Whole number in [min, max], nothing else in s. Returns 0, or -1. */
int args_long(const char *s, long min, long max, long *out);
/** Decimal number in [min, max], nothing else in s. Returns 0, or -1. */
int args_double(const char *s, double min, double max, double *out);
/** Index of s in a '|'-separated list of choices ("auto|json|none"), or -1. */
int args_choice(const char *s, const char *choices);
/** "--progress takes auto, json or none"; returns CLI_USAGE. */
int args_choice_fail(CliArgError *err, const char *name, const char *choices);

/** Prints the rows of table having every bit of need (0: all) as --help lines:
 * "  -o, --output DIR       text", continuation lines at column 25. */
void args_print_options(FILE *out, const ArgsOption *table, unsigned need);

#endif
