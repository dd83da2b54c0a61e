/* sobre plan's command line: EPISODE_DIR [--rungs DIR] [--cores LIST] [--json] into a
 * PlanOpts (args_cmd.h). */
#include <stdlib.h>
#include <string.h>

#include "args_cmd.h"

enum { OPT_RUNGS = 1, OPT_CORES, OPT_JSON, OPT_HELP };

static const ArgsOption plan_options[] = {
    {"--rungs", 0, "DIR", OPT_RUNGS, 0, NULL},
    {"--cores", 0, "LIST", OPT_CORES, 0, NULL},
    {"--json", 0, NULL, OPT_JSON, 0, NULL},
    {"--help", 'h', NULL, OPT_HELP, 0, NULL},
    {NULL, 0, NULL, 0, 0, NULL},
};

/* "2,4,8": whole numbers from 1 to 4096, at most PLAN_MAX_CORES of them. */
static int parse_cores(const char *list, int *cores, int *n)
{
    const char *p = list;
    *n = 0;
    for (;;) {
        char tok[16];
        size_t len = strcspn(p, ",");
        long v;
        if (!len || len >= sizeof(tok) || *n >= PLAN_MAX_CORES)
            return -1;
        memcpy(tok, p, len);
        tok[len] = 0;
        if (args_long(tok, 1, 4096, &v) < 0)
            return -1;
        cores[(*n)++] = (int)v;
        if (!p[len])
            return 0;
        p += len + 1;
    }
}

int args_parse_plan(PlanOpts *o, int argc, char **argv, CliArgError *err)
{
    ArgsParser p;
    char **dirs;
    int id, nb;
    memset(o, 0, sizeof(*o));
    parse_cores("2,4,8,16,32", o->cores, &o->nb_cores);
    args_begin(&p, argc, argv, err);
    args_add(&p, plan_options, 0);
    while ((id = args_next(&p)) > 0) {
        switch (id) {
        case OPT_RUNGS:
            o->rungs = p.value;
            break;
        case OPT_CORES:
            if (parse_cores(p.value, o->cores, &o->nb_cores) < 0)
                return args_fail(err, "--cores takes numbers from 1 to 4096, comma-separated "
                                      "(at most 16)");
            break;
        case OPT_JSON:
            o->json = 1;
            break;
        case OPT_HELP:
            o->help = 1;
            return 0;
        }
    }
    if (id < 0)
        return CLI_USAGE;
    dirs = args_operands(&p, &nb);
    if (nb != 1)
        return args_fail(err, nb == 0 ? "missing EPISODE_DIR" : "one episode at a time");
    o->dir = dirs[0];
    return 0;
}
