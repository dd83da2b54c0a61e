/* sobre publish's command line: EPISODE_DIR... -o SITE [options] into a PublishOpts. */
#include <string.h>

#include "args_cmd.h"

enum {
    OPT_OUTPUT = 1,
    OPT_TITLE,
    OPT_DESCRIPTION,
    OPT_LANG,
    OPT_BASE_URL,
    OPT_PER_PAGE,
    OPT_FACTORS,
    OPT_METHOD,
    OPT_VIEWS,
    OPT_JSON,
    OPT_QUIET,
    OPT_VERBOSE,
    OPT_HELP
};

static const ArgsOption publish_options[] = {
    {"--output", 'o', "SITE", OPT_OUTPUT, 0, NULL},
    {"--title", 0, "T", OPT_TITLE, 0, NULL},
    {"--description", 0, "D", OPT_DESCRIPTION, 0, NULL},
    {"--lang", 0, "fr|en", OPT_LANG, 0, NULL},
    {"--base-url", 0, "URL", OPT_BASE_URL, 0, NULL},
    {"--per-page", 0, "N", OPT_PER_PAGE, 0, NULL},
    {"--factors", 0, "FILE|NAME", OPT_FACTORS, 0, NULL},
    {"--method", 0, "M", OPT_METHOD, 0, NULL},
    {"--views", 0, "N", OPT_VIEWS, 0, NULL},
    {"--json", 0, NULL, OPT_JSON, 0, NULL},
    {"--quiet", 'q', NULL, OPT_QUIET, 0, NULL},
    {"--verbose", 'v', NULL, OPT_VERBOSE, 0, NULL},
    {"--help", 'h', NULL, OPT_HELP, 0, NULL},
    {NULL, 0, NULL, 0, 0, NULL},
};

static int apply(PublishOpts *o, int id, const char *v, CliArgError *err)
{
    long n;
    switch (id) {
    case OPT_OUTPUT:
        o->out = v;
        break;
    case OPT_TITLE:
        o->set.title = v;
        break;
    case OPT_DESCRIPTION:
        o->set.description = v;
        break;
    case OPT_LANG:
        o->set.lang = v;
        break;
    case OPT_BASE_URL:
        o->set.base_url = v;
        break;
    case OPT_PER_PAGE:
        if (args_long(v, 1, 100, &n) < 0)
            return args_fail(err, "--per-page: '%s' is not a number from 1 to 100", v);
        o->set.per_page = (int)n;
        break;
    case OPT_FACTORS: /* the site computes the footprint itself (issue 14) */
        return args_factors(v, o->factors, &o->nb_factors, err);
    case OPT_METHOD:
        return args_method(v, &o->set.method, err);
    case OPT_VIEWS:
        return args_views(v, &o->set.views, err);
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

int args_parse_publish(PublishOpts *o, int argc, char **argv, CliArgError *err)
{
    ArgsParser p;
    int id;
    memset(o, 0, sizeof(*o));
    sobre_publish_default_settings(&o->set);
    args_begin(&p, argc, argv, err);
    args_add(&p, publish_options, 0);
    while ((id = args_next(&p)) > 0) {
        if (id == OPT_HELP) {
            o->help = 1;
            return 0;
        }
        if (apply(o, id, p.value, err))
            return CLI_USAGE;
    }
    if (id < 0)
        return CLI_USAGE;
    o->episodes = (const char **)args_operands(&p, &o->nb_episodes);
    if (!o->out)
        return args_fail(err, "no site folder: give -o SITE");
    if (o->nb_episodes == 0)
        return args_fail(err, "no episode folder given");
    if (strcmp(o->set.lang, "fr") && strcmp(o->set.lang, "en"))
        return args_fail(err, "--lang: '%s' is not available (fr, en)", o->set.lang);
    return 0;
}
