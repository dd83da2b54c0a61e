/* sobre batch's command line: SERIES.csv|SOURCE_DIR -o OUT_DIR [options] into a
 * BatchOpts. Besides its own options, batch takes encode's rows flagged
 * ENCODE_FOR_BATCH (args_encode.c): each is checked as encode would check it, then kept
 * as given, to be passed to every episode's encode. */
#include <stdlib.h>
#include <string.h>

#include "args_cmd.h"

enum {
    OPT_OUTPUT = 1,
    OPT_JOBS,
    OPT_PUBLISH,
    OPT_SITE_TITLE,
    OPT_SITE_DESCRIPTION,
    OPT_BASE_URL,
    OPT_EPISODE,
    OPT_LIST,
    OPT_PROGRESS,
    OPT_JSON,
    OPT_QUIET,
    OPT_VERBOSE,
    OPT_HELP
};

/* flags 0: none of these is an encode row (see args_parse_batch) */
static const ArgsOption batch_options[] = {
    {"--output", 'o', "DIR", OPT_OUTPUT, 0, NULL},
    {"--jobs", 'j', "N", OPT_JOBS, 0, NULL},
    {"--publish", 0, "SITE", OPT_PUBLISH, 0, NULL},
    {"--site-title", 0, "T", OPT_SITE_TITLE, 0, NULL},
    {"--site-description", 0, "D", OPT_SITE_DESCRIPTION, 0, NULL},
    {"--base-url", 0, "URL", OPT_BASE_URL, 0, NULL},
    {"--episode", 0, "ID", OPT_EPISODE, 0, NULL},
    {"--list", 0, NULL, OPT_LIST, 0, NULL},
    {"--progress", 0, "MODE", OPT_PROGRESS, 0, NULL},
    {"--json", 0, NULL, OPT_JSON, 0, NULL},
    {"--quiet", 'q', NULL, OPT_QUIET, 0, NULL},
    {"--verbose", 'v', NULL, OPT_VERBOSE, 0, NULL},
    {"--help", 'h', NULL, OPT_HELP, 0, NULL},
    {NULL, 0, NULL, 0, 0, NULL},
};

static int add_episode(BatchOpts *o, const char *id, CliArgError *err)
{
    const char **n = realloc(o->episodes, (size_t)(o->nb_episodes + 1) * sizeof(*n));
    if (!n)
        return args_fail(err, "out of memory");
    o->episodes = n;
    o->episodes[o->nb_episodes++] = id;
    return 0;
}

static int apply(BatchOpts *o, int id, const char *v, CliArgError *err)
{
    long n;
    int i;
    switch (id) {
    case OPT_OUTPUT:
        o->out = v;
        break;
    case OPT_JOBS:
        if (args_long(v, 1, 64, &n) < 0)
            return args_fail(err, "--jobs takes a number from 1 to 64");
        o->jobs = (int)n;
        break;
    case OPT_PUBLISH:
        o->site = v;
        break;
    case OPT_SITE_TITLE:
        o->site_title = v;
        break;
    case OPT_SITE_DESCRIPTION:
        o->site_description = v;
        break;
    case OPT_BASE_URL:
        o->base_url = v;
        break;
    case OPT_EPISODE:
        return add_episode(o, v, err);
    case OPT_LIST:
        o->list = 1;
        break;
    case OPT_PROGRESS:
        if ((i = args_choice(v, PROGRESS_CHOICES)) < 0)
            return args_choice_fail(err, "--progress", PROGRESS_CHOICES);
        o->progress = i;
        break;
    case OPT_JSON:
        o->json = 1;
        break;
    case OPT_QUIET:
        o->quiet = 1;
        break;
    case OPT_VERBOSE:
        o->verbose = 1;
        break;
    }
    return 0;
}

/* An encode option: checked into o->encode, kept as given for the episodes. */
static int forward(BatchOpts *o, const ArgsOption *opt, const char *v, CliArgError *err)
{
    if (args_encode_apply(&o->encode, opt, v, err))
        return CLI_USAGE;
    if (o->nb_forward >= BATCH_MAX_FORWARD)
        return args_fail(err, "at most %d encode options", BATCH_MAX_FORWARD);
    o->forward[o->nb_forward].opt = opt;
    o->forward[o->nb_forward].value = v;
    o->nb_forward++;
    return 0;
}

int args_parse_batch(BatchOpts *o, int argc, char **argv, CliArgError *err)
{
    ArgsParser p;
    char **sources;
    int id, nb;
    memset(o, 0, sizeof(*o));
    o->progress = PROGRESS_AUTO;
    args_encode_defaults(&o->encode);
    args_begin(&p, argc, argv, err);
    args_add(&p, batch_options, 0);
    args_add(&p, encode_options, ENCODE_FOR_BATCH);
    while ((id = args_next(&p)) > 0) {
        if (id == OPT_HELP && !(p.opt->flags & ENCODE_FOR_BATCH)) {
            o->help = 1;
            return 0;
        }
        if (p.opt->flags & ENCODE_FOR_BATCH ? forward(o, p.opt, p.value, err)
                                            : apply(o, id, p.value, err))
            return CLI_USAGE;
    }
    if (id < 0)
        return CLI_USAGE;
    sources = args_operands(&p, &nb);
    if (nb != 1)
        return args_fail(err,
                         nb == 0 ? "missing SERIES.csv or SOURCE_DIR" : "one series at a time");
    o->source = sources[0];
    if (!o->out && !o->list)
        return args_fail(err, "missing -o OUT_DIR");
    if (o->encode.segment && o->nb_episodes != 1)
        return args_fail(err, "--segment takes one --episode ID");
    return args_encode_check(&o->encode, err);
}

void args_batch_free(BatchOpts *o)
{
    free(o->episodes);
    o->episodes = NULL;
    o->nb_episodes = 0;
}
