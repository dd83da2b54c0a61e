/* sobre footprint's command line: EPISODE_DIR|report.json... [options] into a
 * FootprintOpts. Device, network and method names are checked here (pure lookups);
 * factors files and reports are read by the command afterwards. */
#include <stdio.h>
#include <string.h>

#include "args_cmd.h"

enum {
    OPT_DEVICE = 1,
    OPT_NETWORK,
    OPT_METHOD,
    OPT_VIEWS,
    OPT_FACTORS,
    OPT_FORMAT,
    OPT_JSON,
    OPT_SVG,
    OPT_EXPLAIN,
    OPT_WRITE,
    OPT_HELP
};

static const ArgsOption footprint_options[] = {
    {"--device", 0, "D", OPT_DEVICE, 0, NULL},      {"--network", 0, "N", OPT_NETWORK, 0, NULL},
    {"--method", 0, "M", OPT_METHOD, 0, NULL},      {"--views", 0, "N", OPT_VIEWS, 0, NULL},
    {"--factors", 0, "FILE", OPT_FACTORS, 0, NULL}, {"--format", 0, "F", OPT_FORMAT, 0, NULL},
    {"--json", 0, NULL, OPT_JSON, 0, NULL},         {"--svg", 0, "FILE", OPT_SVG, 0, NULL},
    {"--explain", 0, NULL, OPT_EXPLAIN, 0, NULL},   {"--write", 0, NULL, OPT_WRITE, 0, NULL},
    {"--help", 'h', NULL, OPT_HELP, 0, NULL},       {NULL, 0, NULL, 0, 0, NULL},
};

static const char DEVICES[] = "smartphone, tablet, laptop, desktop, tv";
static const char NETWORKS[] = "fixed-fr, mobile-4g-fr, 5g-fr, fixed-eu, mobile-eu";

/* "a,b" (or repeated options) into a bit mask of the names parse knows. */
static int add_mask(const char *list, int (*parse)(const char *), const char *what,
                    const char *known, unsigned *mask, CliArgError *err)
{
    char buf[256], *save = NULL, *tok;
    if (strlen(list) >= sizeof(buf))
        return args_fail(err, "--%s: value too long", what);
    snprintf(buf, sizeof(buf), "%s", list);
    for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        int v = parse(tok);
        if (v < 0)
            return args_fail(err, "unknown %s '%s'; known: %s", what, tok, known);
        *mask |= 1u << v;
    }
    if (!*mask)
        return args_fail(err, "--%s needs a value; known: %s", what, known);
    return 0;
}

static int apply(FootprintOpts *o, int id, const char *v, CliArgError *err)
{
    int i;
    switch (id) {
    case OPT_DEVICE:
        return add_mask(v, sobre_device_from_name, "device", DEVICES, &o->fp.device_mask, err);
    case OPT_NETWORK:
        return add_mask(v, sobre_network_from_name, "network", NETWORKS, &o->fp.network_mask, err);
    case OPT_METHOD:
        return args_method(v, &o->fp.method, err);
    case OPT_VIEWS:
        return args_views(v, &o->fp.views, err);
    case OPT_FORMAT:
        /* same order as SOBRE_FOOTPRINT_TEXT... */
        if ((i = args_choice(v, "text|csv|json|md")) < 0)
            return args_fail(err, "--format '%s': expected text, csv, json or md", v);
        o->format = i;
        return 0;
    case OPT_JSON:
        o->format = SOBRE_FOOTPRINT_JSON;
        return 0;
    case OPT_FACTORS:
        return args_factors(v, o->factors, &o->nb_factors, err);
    case OPT_SVG:
        if (!*v)
            return args_fail(err, "--svg needs a file name");
        o->svg = v;
        return 0;
    case OPT_EXPLAIN:
        o->explain = 1;
        return 0;
    case OPT_WRITE:
        o->write = 1;
        return 0;
    }
    return 0;
}

/* The footprint options sobre publish takes too (it computes the same footprint). */
int args_method(const char *v, int *method, CliArgError *err)
{
    int m = sobre_method_from_name(v);
    if (m < 0)
        return args_fail(
            err, "unknown method '%s'; known: ademe, attributional, power, swd4, onebyte", v);
    *method = m;
    return 0;
}

int args_views(const char *v, long *views, CliArgError *err)
{
    if (args_long(v, 1, 1000000000000L, views) < 0)
        return args_fail(err, "--views '%s': expected a whole number of views from 1", v);
    return 0;
}

int args_factors(const char *v, const char **list, int *n, CliArgError *err)
{
    if (!*v)
        return args_fail(err, "--factors needs a file");
    if (*n >= FOOTPRINT_MAX_FACTORS)
        return args_fail(err, "at most %d --factors files", FOOTPRINT_MAX_FACTORS);
    list[(*n)++] = v;
    return 0;
}

int args_parse_footprint(FootprintOpts *o, int argc, char **argv, CliArgError *err)
{
    ArgsParser p;
    char **inputs;
    int id, nb;
    memset(o, 0, sizeof(*o));
    o->fp.method = SOBRE_METHOD_ADEME;
    args_begin(&p, argc, argv, err);
    args_add(&p, footprint_options, 0);
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
    inputs = args_operands(&p, &nb);
    if (nb > FOOTPRINT_MAX_INPUTS)
        return args_fail(err, "at most %d episodes at once", FOOTPRINT_MAX_INPUTS);
    for (int i = 0; i < nb; i++)
        o->inputs[o->nb_inputs++] = inputs[i];
    if (!o->nb_inputs && !o->explain)
        return args_fail(err, "which episode? give an EPISODE_DIR or a report.json");
    if (o->svg && o->nb_inputs != 1)
        return args_fail(err, "--svg charts one episode; give exactly one");
    return 0;
}
