/* Footprint factors files (presets/factors/NAME.yaml): the list of known factors with their
 * units and plausible ranges, the validating reader (every mistake is reported with
 * file, line and factor), and overrides that replace only the factors a file names. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "footprint_internal.h"
#include "yamldoc.h"

#define DEV(kind, unit, max)                                                                       \
    {kind ".smartphone", unit, max}, {kind ".tablet", unit, max}, {kind ".laptop", unit, max},     \
        {kind ".desktop", unit, max},                                                              \
    {                                                                                              \
        kind ".tv", unit, max                                                                      \
    }
#define NET(kind, unit, max)                                                                       \
    {kind ".fixed-fr", unit, max}, {kind ".mobile-4g-fr", unit, max}, {kind ".5g-fr", unit, max},  \
        {kind ".fixed-eu", unit, max},                                                             \
    {                                                                                              \
        kind ".mobile-eu", unit, max                                                               \
    }

/* Order follows the F_* enum. The maxima only catch absurd values (a unit slip of a
 * thousand); they are not factors. */
const FactorDef sobre_factor_defs[F_COUNT] = {
    {"grid", "gCO2e/kWh", 2000},
    {"grid_eu", "gCO2e/kWh", 2000},
    DEV("device_power", "W", 2000),
    DEV("device_embodied", "gCO2e/h", 1000),
    NET("network_lca", "gCO2e/GB", 2000),
    NET("network_energy", "kWh/GB", 10),
    {"home_router_power", "W", 200},
    {"power_base.fixed", "W", 200},
    {"power_per_mbps.fixed", "W/Mbps", 100},
    {"power_base.4g", "W", 200},
    {"power_per_mbps.4g", "W/Mbps", 100},
    {"power_base.5g", "W", 200},
    {"power_per_mbps.5g", "W/Mbps", 100},
    {"dc_energy", "Wh/GB", 1000},
    {"dc_embodied", "gCO2e/h", 100},
    {"swd4.operational.dc", "kWh/GB", 10},
    {"swd4.operational.network", "kWh/GB", 10},
    {"swd4.operational.device", "kWh/GB", 10},
    {"swd4.embodied.dc", "kWh/GB", 10},
    {"swd4.embodied.network", "kWh/GB", 10},
    {"swd4.embodied.device", "kWh/GB", 10},
    {"swd4.embodied_grid", "gCO2e/kWh", 2000},
    {"onebyte.dc", "kWh/GB", 10},
    {"onebyte.network_wired", "kWh/GB", 10},
    {"onebyte.network_wifi", "kWh/GB", 10},
    {"onebyte.network_4g", "kWh/GB", 10},
    {"onebyte.grid", "gCO2e/kWh", 2000},
    {"encode_cpu_power", "W", 500},
};

const char *const sobre_roles[ROLE_COUNT + 1] = {"audio",    "sobre", "standard", "high",
                                                 "fallback", "extra", NULL};

int sobre_factors_count(void)
{
    return F_COUNT;
}

int sobre_factors_find(const char *id)
{
    for (int i = 0; id && i < F_COUNT; i++)
        if (!strcmp(sobre_factor_defs[i].id, id))
            return i;
    return -1;
}

static void factor_clear(Factor *x)
{
    free(x->source);
    free(x->low_source);
    free(x->high_source);
    free(x->note);
    memset(x, 0, sizeof(*x));
}

static void factors_clear(SobreFactors *f)
{
    for (int i = 0; i < F_COUNT; i++)
        factor_clear(&f->f[i]);
    for (int i = 0; i < f->nb_files; i++) {
        free(f->file_path[i]);
        free(f->file_name[i]);
        free(f->file_version[i]);
    }
}

void sobre_factors_free(SobreFactors **f)
{
    if (!f || !*f)
        return;
    factors_clear(*f);
    free(*f);
    *f = NULL;
}

/* A parsed file before it is merged: the factors it names and its typical formats. */
typedef struct Staging {
    SobreFactors s; /* only f[], typical_* used; typical -1 when not named */
    char name[64];
    char version[64];
} Staging;

static int parse_number(const SobreYaml *y, int entry, int line, const char *id, const char *key,
                        int required, double max, double *out, SobreError *err)
{
    int v = sobre_yaml_get(y, entry, key);
    const char *t;
    char *end;
    double d;
    if (!v) {
        if (required)
            return sobre_fail(err, SOBRE_E_INVALID, "%s:%d: factor '%s': missing field '%s'",
                              sobre_yaml_name(y), line, id, key);
        return 0;
    }
    t = sobre_yaml_scalar(y, v);
    if (!t)
        return sobre_fail(err, SOBRE_E_INVALID, "%s:%d: factor '%s': field '%s' must be a number",
                          sobre_yaml_name(y), sobre_yaml_line(y, v), id, key);
    errno = 0;
    d = strtod(t, &end);
    if (end == t || *end || errno || !isfinite(d))
        return sobre_fail(err, SOBRE_E_INVALID,
                          "%s:%d: factor '%s': field '%s' must be a number, got '%s'",
                          sobre_yaml_name(y), sobre_yaml_line(y, v), id, key, t);
    if (d < 0)
        return sobre_fail(err, SOBRE_E_INVALID,
                          "%s:%d: factor '%s': field '%s' is negative (%s); factors are >= 0",
                          sobre_yaml_name(y), sobre_yaml_line(y, v), id, key, t);
    if (d > max)
        return sobre_fail(
            err, SOBRE_E_INVALID,
            "%s:%d: factor '%s': field '%s' is absurd (%s): above %g %s, check the unit",
            sobre_yaml_name(y), sobre_yaml_line(y, v), id, key, t, max,
            sobre_factor_defs[sobre_factors_find(id)].unit);
    *out = d;
    return 1;
}

static int parse_text(const SobreYaml *y, int entry, int line, const char *id, const char *key,
                      int required, char **out, SobreError *err)
{
    int v = sobre_yaml_get(y, entry, key);
    const char *t;
    if (!v) {
        if (required)
            return sobre_fail(err, SOBRE_E_INVALID, "%s:%d: factor '%s': missing field '%s'",
                              sobre_yaml_name(y), line, id, key);
        return 0;
    }
    t = sobre_yaml_scalar(y, v);
    if (!t || !*t || strlen(t) > 1000)
        return sobre_fail(err, SOBRE_E_INVALID,
                          "%s:%d: factor '%s': field '%s' must be a text of 1 to 1000 characters",
                          sobre_yaml_name(y), sobre_yaml_line(y, v), id, key);
    *out = strdup(t);
    if (!*out)
        return sobre_fail(err, -ENOMEM, "out of memory");
    return 1;
}

static const char *const entry_keys[] = {"unit",       "central",     "low",  "high",    "source",
                                         "low_source", "high_source", "note", "derived", NULL};

static int parse_factor(const SobreYaml *y, int key, int entry, int file, Staging *st,
                        SobreError *err)
{
    const char *id = sobre_yaml_scalar(y, key);
    int idx = sobre_factors_find(id), ret, unit_node;
    const char *unit;
    Factor *x;

    if (idx < 0)
        return sobre_fail(err, SOBRE_E_INVALID,
                          "%s:%d: unknown factor '%s' (the names are those of "
                          "presets/factors/fr-2024.yaml)",
                          sobre_yaml_name(y), sobre_yaml_line(y, key), id ? id : "(not a name)");
    x = &st->s.f[idx];
    if (x->set)
        return sobre_fail(err, SOBRE_E_INVALID,
                          "%s:%d: factor '%s' is given twice (first at line %d)",
                          sobre_yaml_name(y), sobre_yaml_line(y, key), id, x->line);
    if (sobre_yaml_type(y, entry) != SOBRE_YAML_MAP)
        return sobre_fail(err, SOBRE_E_INVALID,
                          "%s:%d: factor '%s' must be a mapping (unit, central, low, high, source)",
                          sobre_yaml_name(y), sobre_yaml_line(y, entry), id);
    if ((ret = sobre_yaml_check_keys(y, entry, entry_keys, err)) < 0)
        return ret;
    x->set = 1;
    x->file = file;
    x->line = sobre_yaml_line(y, key);
    unit_node = sobre_yaml_get(y, entry, "unit");
    if (!unit_node)
        return sobre_fail(err, SOBRE_E_INVALID, "%s:%d: factor '%s': missing field 'unit' (%s)",
                          sobre_yaml_name(y), x->line, id, sobre_factor_defs[idx].unit);
    unit = sobre_yaml_scalar(y, unit_node);
    if (!unit || strcmp(unit, sobre_factor_defs[idx].unit))
        return sobre_fail(err, SOBRE_E_INVALID,
                          "%s:%d: factor '%s': field 'unit' must be '%s', got '%s'",
                          sobre_yaml_name(y), sobre_yaml_line(y, unit_node), id,
                          sobre_factor_defs[idx].unit, unit ? unit : "(not a text)");
    double max = sobre_factor_defs[idx].max;
    if ((ret = parse_number(y, entry, x->line, id, "central", 1, max, &x->v[1], err)) < 0)
        return ret;
    x->v[0] = x->v[2] = x->v[1];
    if ((ret = parse_number(y, entry, x->line, id, "low", 0, max, &x->v[0], err)) < 0 ||
        (ret = parse_number(y, entry, x->line, id, "high", 0, max, &x->v[2], err)) < 0)
        return ret;
    if (x->v[0] > x->v[1] || x->v[1] > x->v[2])
        return sobre_fail(err, SOBRE_E_INVALID,
                          "%s:%d: factor '%s': low %g, central %g, high %g are not in order",
                          sobre_yaml_name(y), x->line, id, x->v[0], x->v[1], x->v[2]);
    if ((ret = parse_text(y, entry, x->line, id, "source", 1, &x->source, err)) < 0 ||
        (ret = parse_text(y, entry, x->line, id, "low_source", 0, &x->low_source, err)) < 0 ||
        (ret = parse_text(y, entry, x->line, id, "high_source", 0, &x->high_source, err)) < 0 ||
        (ret = parse_text(y, entry, x->line, id, "note", 0, &x->note, err)) < 0)
        return ret;
    return sobre_yaml_bool(y, entry, "derived", 0, &x->derived, err);
}

static int name_index(const char *(*namef)(int), int count, const char *name)
{
    for (int i = 0; name && i < count; i++)
        if (!strcmp(namef(i), name))
            return i;
    return -1;
}

static int parse_typical(const SobreYaml *y, int map, Staging *st, SobreError *err)
{
    static const char *const keys[] = {"device", "network", NULL};
    int ret;
    if ((ret = sobre_yaml_expect_map(y, map, "'typical'", err)) < 0)
        return ret;
    for (size_t i = 0; i < sobre_yaml_len(y, map); i++) {
        int k = sobre_yaml_key(y, map, i), v = sobre_yaml_value(y, map, i), role = -1;
        const char *rname = sobre_yaml_scalar(y, k), *dev, *net;
        for (int r = 0; rname && r < ROLE_COUNT; r++)
            if (!strcmp(sobre_roles[r], rname))
                role = r;
        if (role < 0)
            return sobre_fail(err, SOBRE_E_INVALID,
                              "%s:%d: typical: unknown role '%s'; roles: audio, sobre, standard, "
                              "high, fallback, extra",
                              sobre_yaml_name(y), sobre_yaml_line(y, k), rname ? rname : "?");
        if ((ret = sobre_yaml_expect_map(y, v, "a typical viewing format", err)) < 0 ||
            (ret = sobre_yaml_check_keys(y, v, keys, err)) < 0)
            return ret;
        dev = sobre_yaml_scalar(y, sobre_yaml_get(y, v, "device"));
        net = sobre_yaml_scalar(y, sobre_yaml_get(y, v, "network"));
        st->s.typical_device[role] = name_index(sobre_device_name, SOBRE_DEVICE_COUNT, dev);
        st->s.typical_network[role] = name_index(sobre_network_name, SOBRE_NETWORK_COUNT, net);
        if (st->s.typical_device[role] < 0 || st->s.typical_network[role] < 0)
            return sobre_fail(err, SOBRE_E_INVALID,
                              "%s:%d: typical '%s': device must be one of smartphone, tablet, "
                              "laptop, desktop, tv and network one of fixed-fr, mobile-4g-fr, "
                              "5g-fr, fixed-eu, mobile-eu (got '%s', '%s')",
                              sobre_yaml_name(y), sobre_yaml_line(y, v), rname, dev ? dev : "",
                              net ? net : "");
    }
    return 0;
}

static int parse_doc(const SobreYaml *y, int file, Staging *st, SobreError *err)
{
    static const char *const top[] = {"name",    "version", "title", "description",
                                      "typical", "factors", NULL};
    int root = sobre_yaml_root(y), ret, map;
    for (int r = 0; r < ROLE_COUNT; r++)
        st->s.typical_device[r] = st->s.typical_network[r] = -1;
    if ((ret = sobre_yaml_expect_map(y, root, "a factors file", err)) < 0 ||
        (ret = sobre_yaml_check_keys(y, root, top, err)) < 0 ||
        (ret = sobre_yaml_string(y, root, "name", 0, st->name, sizeof(st->name), err)) < 0 ||
        (ret = sobre_yaml_string(y, root, "version", 0, st->version, sizeof(st->version), err)) < 0)
        return ret;
    if ((map = sobre_yaml_get(y, root, "typical")) && (ret = parse_typical(y, map, st, err)) < 0)
        return ret;
    map = sobre_yaml_get(y, root, "factors");
    if (!map)
        return sobre_fail(err, SOBRE_E_INVALID, "%s:%d: missing field 'factors'",
                          sobre_yaml_name(y), sobre_yaml_line(y, root));
    if ((ret = sobre_yaml_expect_map(y, map, "'factors'", err)) < 0)
        return ret;
    for (size_t i = 0; i < sobre_yaml_len(y, map); i++)
        if ((ret = parse_factor(y, sobre_yaml_key(y, map, i), sobre_yaml_value(y, map, i), file, st,
                                err)) < 0)
            return ret;
    return 0;
}

static void stem_of(const char *path, char *out, size_t size)
{
    const char *b = strrchr(path, '/');
    size_t n;
    b = b ? b + 1 : path;
    n = strcspn(b, ".");
    if (n == 0)
        n = strlen(b);
    snprintf(out, size, "%.*s", (int)n, b);
}

static void relabel(SobreFactors *f)
{
    size_t a = 0, b = 0;
    f->label[0] = f->version[0] = '\0';
    for (int i = 0; i < f->nb_files; i++) {
        a += (size_t)snprintf(f->label + a, a < sizeof(f->label) ? sizeof(f->label) - a : 0, "%s%s",
                              i ? " + " : "", f->file_name[i]);
        b += (size_t)snprintf(f->version + b, b < sizeof(f->version) ? sizeof(f->version) - b : 0,
                              "%s%s", i ? " + " : "", f->file_version[i]);
        if (a >= sizeof(f->label))
            a = sizeof(f->label);
        if (b >= sizeof(f->version))
            b = sizeof(f->version);
    }
}

/* Moves a validated staging file into f (cannot fail after the file record is added). */
static int merge(SobreFactors *f, Staging *st, const char *path, SobreError *err)
{
    char stem[64];
    int i = f->nb_files;
    if (i >= FACTORS_MAX_FILES)
        return sobre_fail(err, SOBRE_E_INVALID, "%s: too many factors files (at most %d)", path,
                          FACTORS_MAX_FILES);
    stem_of(path, stem, sizeof(stem));
    f->file_path[i] = strdup(path);
    f->file_name[i] = strdup(st->name[0] ? st->name : stem);
    f->file_version[i] = strdup(st->version[0] ? st->version : "unversioned");
    if (!f->file_path[i] || !f->file_name[i] || !f->file_version[i]) {
        free(f->file_path[i]);
        free(f->file_name[i]);
        free(f->file_version[i]);
        f->file_path[i] = f->file_name[i] = f->file_version[i] = NULL;
        return sobre_fail(err, -ENOMEM, "out of memory");
    }
    f->nb_files++;
    for (int k = 0; k < F_COUNT; k++) {
        if (!st->s.f[k].set)
            continue;
        factor_clear(&f->f[k]);
        f->f[k] = st->s.f[k];
        memset(&st->s.f[k], 0, sizeof(st->s.f[k]));
    }
    for (int r = 0; r < ROLE_COUNT; r++)
        if (st->s.typical_device[r] >= 0) {
            f->typical_device[r] = st->s.typical_device[r];
            f->typical_network[r] = st->s.typical_network[r];
        }
    relabel(f);
    return 0;
}

static int check_complete(const SobreFactors *f, const Staging *st, const SobreYaml *y,
                          SobreError *err)
{
    for (int k = 0; k < F_COUNT; k++)
        if (!st->s.f[k].set)
            return sobre_fail(err, SOBRE_E_INVALID,
                              "%s: factor '%s' (%s) is missing: the default factors file must "
                              "give every factor",
                              sobre_yaml_name(y), sobre_factor_defs[k].id,
                              sobre_factor_defs[k].unit);
    for (int r = 0; r < ROLE_COUNT; r++)
        if (st->s.typical_device[r] < 0)
            return sobre_fail(err, SOBRE_E_INVALID,
                              "%s: typical viewing format of role '%s' is missing",
                              sobre_yaml_name(y), sobre_roles[r]);
    (void)f;
    return 0;
}

/* Parses y into f: complete = the default file, else an override. */
static int apply(SobreFactors *f, const SobreYaml *y, int complete, SobreError *err)
{
    Staging *st = calloc(1, sizeof(*st));
    int ret;
    if (!st)
        return sobre_fail(err, -ENOMEM, "out of memory");
    ret = parse_doc(y, f->nb_files, st, err);
    if (ret >= 0 && complete)
        ret = check_complete(f, st, y, err);
    if (ret >= 0)
        ret = merge(f, st, sobre_yaml_name(y), err);
    factors_clear(&st->s);
    free(st);
    return ret < 0 ? ret : 0;
}

static int load_new(SobreFactors **out, SobreYaml *y, SobreError *err)
{
    SobreFactors *f = calloc(1, sizeof(*f));
    int ret;
    *out = NULL;
    if (!f) {
        sobre_yaml_free(&y);
        return sobre_fail(err, -ENOMEM, "out of memory");
    }
    ret = apply(f, y, 1, err);
    sobre_yaml_free(&y);
    if (ret < 0) {
        sobre_factors_free(&f);
        return ret;
    }
    *out = f;
    return 0;
}

int sobre_factors_load(SobreFactors **out, const char *path, SobreError *err)
{
    SobreYaml *y;
    int ret;
    *out = NULL;
    if ((ret = sobre_yaml_load_file(&y, path, err)) < 0)
        return ret;
    return load_new(out, y, err);
}

int sobre_factors_parse(SobreFactors **out, const char *name, const char *yaml, size_t len,
                        SobreError *err)
{
    SobreYaml *y;
    int ret;
    *out = NULL;
    if ((ret = sobre_yaml_load_buffer(&y, name, yaml, len, err)) < 0)
        return ret;
    return load_new(out, y, err);
}

int sobre_factors_overlay_file(SobreFactors *f, const char *path, SobreError *err)
{
    SobreYaml *y;
    int ret;
    if ((ret = sobre_yaml_load_file(&y, path, err)) < 0)
        return ret;
    ret = apply(f, y, 0, err);
    sobre_yaml_free(&y);
    return ret;
}

int sobre_factors_overlay(SobreFactors *f, const char *name, const char *yaml, size_t len,
                          SobreError *err)
{
    SobreYaml *y;
    int ret;
    if ((ret = sobre_yaml_load_buffer(&y, name, yaml, len, err)) < 0)
        return ret;
    ret = apply(f, y, 0, err);
    sobre_yaml_free(&y);
    return ret;
}

int sobre_factors_info(const SobreFactors *f, int i, SobreFactorInfo *out)
{
    const Factor *x;
    if (!f || i < 0 || i >= F_COUNT)
        return SOBRE_E_INVALID;
    x = &f->f[i];
    out->id = sobre_factor_defs[i].id;
    out->unit = sobre_factor_defs[i].unit;
    out->low = x->v[0];
    out->central = x->v[1];
    out->high = x->v[2];
    out->source = x->source ? x->source : "";
    out->low_source = x->low_source ? x->low_source : "";
    out->high_source = x->high_source ? x->high_source : "";
    out->note = x->note ? x->note : "";
    out->derived = x->derived;
    out->file = x->file < f->nb_files ? f->file_path[x->file] : "";
    out->line = x->line;
    return 0;
}

const char *sobre_factors_label(const SobreFactors *f)
{
    return f->label;
}

const char *sobre_factors_version(const SobreFactors *f)
{
    return f->version;
}

int sobre_factors_files(const SobreFactors *f)
{
    return f->nb_files;
}

const char *sobre_factors_file_name(const SobreFactors *f, int i)
{
    return i >= 0 && i < f->nb_files ? f->file_name[i] : NULL;
}

const char *sobre_factors_file_path(const SobreFactors *f, int i)
{
    return i >= 0 && i < f->nb_files ? f->file_path[i] : NULL;
}

void sobre_factors_typical(const SobreFactors *f, const char *role, int *device, int *network)
{
    int r = ROLE_COUNT - 1; /* "extra" stands for unknown roles */
    for (int i = 0; role && i < ROLE_COUNT; i++)
        if (!strcmp(sobre_roles[i], role))
            r = i;
    *device = f->typical_device[r];
    *network = f->typical_network[r];
}
