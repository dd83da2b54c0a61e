/* The JSON shape of a footprint table: what `sobre footprint --write` stores in
 * EPISODE/footprint.json (renditions[id].wh_per_view / gco2e_per_view ...) and
 * `--format json`. The shape is documented in docs/footprint.md and
 * docs/footprint.schema.json; numbers are rounded to 6 significant digits. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "error.h"
#include "footprint_internal.h"

static json_t *num(double x)
{
    return json_real(sobre_footprint_round(x));
}

/* Sets the per-view figures shared by table rows and typical renditions. */
static void put_view(json_t *o, const SobreFootprintView *v)
{
    json_object_set_new(o, "mb_per_view", num(v->mb));
    json_object_set_new(o, "wh_per_view", num(v->wh));
    json_object_set_new(o, "wh_low", num(v->wh_low));
    json_object_set_new(o, "wh_high", num(v->wh_high));
    json_object_set_new(o, "gco2e_per_view", num(v->gco2e));
    json_object_set_new(o, "low", num(v->gco2e_low));
    json_object_set_new(o, "high", num(v->gco2e_high));
    json_object_set_new(o, "embodied_gco2e_per_view", num(v->embodied));
    json_object_set_new(o, "embodied_low", num(v->embodied_low));
    json_object_set_new(o, "embodied_high", num(v->embodied_high));
    json_object_set_new(o, "total_gco2e_per_view", num(v->gco2e + v->embodied));
    json_object_set_new(o, "total_low", num(v->gco2e_low + v->embodied_low));
    json_object_set_new(o, "total_high", num(v->gco2e_high + v->embodied_high));
    json_object_set_new(o, "derived", json_boolean(v->derived));
    json_object_set_new(o, "segments",
                        json_pack("{s:{s:o,s:o,s:o},s:{s:o,s:o,s:o}}", "wh", "device",
                                  num(v->wh_device), "network", num(v->wh_network), "data_centre",
                                  num(v->wh_dc), "gco2e", "device", num(v->g_device), "network",
                                  num(v->g_network), "data_centre", num(v->g_dc)));
}

static json_t *row_json(const SobreFootprintTable *t, const FootRow *w, double heaviest)
{
    const SobreReportRendition *x = &t->r->renditions[w->rend];
    json_t *o = json_object();
    json_object_set_new(o, "rendition", json_string(x->id));
    json_object_set_new(o, "label", json_string(x->label));
    json_object_set_new(o, "role", json_string(x->role));
    json_object_set_new(o, "device", json_string(sobre_device_name(w->device)));
    json_object_set_new(o, "network", json_string(sobre_network_name(w->network)));
    json_object_set_new(o, "duration_s", num(x->duration_s));
    put_view(o, &w->v);
    json_object_set_new(o, "ratio", num(heaviest > 0 ? row_total(w) / heaviest : 0));
    if (t->opt.views > 0) {
        json_object_set_new(o, "wh_for_views", num(w->v.wh * (double)t->opt.views));
        json_object_set_new(o, "gco2e_for_views",
                            num((w->v.gco2e + w->v.embodied) * (double)t->opt.views));
    }
    return o;
}

static json_t *encode_json(const SobreEncodeEnergy *e)
{
    return json_pack("{s:o,s:b,s:o,s:o,s:o,s:o,s:o}", "cpu_s", num(e->cpu_s), "measured",
                     e->measured, "wh", num(e->wh), "wh_low", num(e->wh_low), "wh_high",
                     num(e->wh_high), "gco2e", num(e->gco2e), "wh_per_encoded_minute",
                     num(e->wh_per_minute));
}

static json_t *rendition_json(const SobreFootprintTable *t, int i)
{
    const SobreReportRendition *x = &t->r->renditions[i];
    const SobreFootprintView *v = &t->typical[i];
    const SobreEncodeEnergy *e = &t->encode_r[i];
    json_t *o = json_object();
    double delivery = v->wh_network + v->wh_dc;
    json_object_set_new(o, "label", json_string(x->label));
    json_object_set_new(o, "role", json_string(x->role));
    json_object_set_new(o, "device", json_string(sobre_device_name(t->typical_device[i])));
    json_object_set_new(o, "network", json_string(sobre_network_name(t->typical_network[i])));
    json_object_set_new(o, "duration_s", num(x->duration_s));
    put_view(o, v);
    if (e->cpu_s > 0) {
        json_object_set_new(o, "encode", encode_json(e));
        if (delivery > 0)
            json_object_set_new(o, "views_to_outweigh_encoding",
                                json_integer((json_int_t)ceil(e->wh / delivery)));
        if (t->opt.views > 0)
            json_object_set_new(o, "encode_wh_per_view", num(e->wh / (double)t->opt.views));
    }
    return o;
}

static json_t *factors_used_json(const SobreFactors *f, const unsigned char *used)
{
    json_t *a = json_array();
    for (int i = 0; i < F_COUNT; i++) {
        SobreFactorInfo fi;
        const char *base;
        json_t *o;
        if (!used[i] || sobre_factors_info(f, i, &fi) < 0)
            continue;
        base = strrchr(fi.file, '/');
        o = json_pack("{s:s,s:s,s:o,s:o,s:o,s:s,s:b,s:s}", "id", fi.id, "unit", fi.unit, "central",
                      num(fi.central), "low", num(fi.low), "high", num(fi.high), "source",
                      fi.source, "derived", fi.derived, "file", base ? base + 1 : fi.file);
        if (o && *fi.low_source)
            json_object_set_new(o, "low_source", json_string(fi.low_source));
        if (o && *fi.high_source)
            json_object_set_new(o, "high_source", json_string(fi.high_source));
        if (o && *fi.note)
            json_object_set_new(o, "note", json_string(fi.note));
        json_array_append_new(a, o);
    }
    return a;
}

static json_t *files_json(const SobreFactors *f)
{
    json_t *a = json_array();
    for (int i = 0; i < sobre_factors_files(f); i++) {
        const char *p = sobre_factors_file_path(f, i), *base = strrchr(p, '/');
        json_array_append_new(a, json_pack("{s:s,s:s}", "name", sobre_factors_file_name(f, i),
                                           "file", base ? base + 1 : p));
    }
    return a;
}

static json_t *section_json(const SobreFootprintTable *t, const FootRow *const *rows, int n)
{
    const SobreReport *r = t->r;
    json_t *o = json_object(), *rend = json_object(), *table = json_array(), *enc;
    double heaviest = n > 0 ? row_total(rows[0]) : 0;
    json_object_set_new(o, "schema", json_string("sobre.footprint/1"));
    json_object_set_new(o, "method", json_string(sobre_method_name(t->opt.method)));
    json_object_set_new(o, "method_title", json_string(sobre_method_title(t->opt.method)));
    json_object_set_new(o, "formula", json_string(sobre_footprint_formula(t->opt.method)));
    json_object_set_new(o, "factors", json_string(sobre_factors_label(t->f)));
    json_object_set_new(o, "factors_version", json_string(sobre_factors_version(t->f)));
    json_object_set_new(o, "factors_files", files_json(t->f));
    if (t->opt.views > 0)
        json_object_set_new(o, "views", json_integer(t->opt.views));
    for (int i = 0; i < r->nb_renditions; i++)
        json_object_set_new(rend, r->renditions[i].id, rendition_json(t, i));
    json_object_set_new(o, "renditions", rend);
    for (int i = 0; i < n; i++)
        json_array_append_new(table, row_json(t, rows[i], heaviest));
    json_object_set_new(o, "table", table);
    enc = encode_json(&t->encode);
    json_object_set_new(enc, "wall_s", num(r->encode.wall_s));
    json_object_set_new(enc, "energy_uj",
                        r->encode.energy_uj >= 0 ? json_integer(r->encode.energy_uj) : json_null());
    json_object_set_new(enc, "cpu_power_w", num(t->f->f[F_ENCODE_CPU_POWER].v[1]));
    if (t->opt.views > 0)
        json_object_set_new(enc, "wh_per_view", num(t->encode.wh / (double)t->opt.views));
    json_object_set_new(o, "encoding", enc);
    json_object_set_new(o, "factors_used", factors_used_json(t->f, t->used));
    return o;
}

static int dump(json_t *o, char **out, SobreError *err)
{
    *out = o ? json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10)) : NULL;
    json_decref(o);
    if (!*out)
        return sobre_fail(err, -ENOMEM, "out of memory while writing the footprint JSON");
    return 0;
}

int sobre_footprint_section(const SobreFootprintTable *t, char **out, SobreError *err)
{
    *out = NULL;
    return dump(section_json(t, t->all, t->nb_rows), out, err);
}

/* `--format json`: the same shape, with the shown rows only. */
int sobre_footprint_render_json(const SobreFootprintTable *t, char **out, SobreError *err)
{
    *out = NULL;
    return dump(section_json(t, t->shown, t->nb_shown), out, err);
}
