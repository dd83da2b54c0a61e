/* Every viewing format of an episode: each rendition of a report (its real bytes and
 * duration) x every device x every network under one method, the typical format of each
 * rendition, and the encode's energy shared out by CPU time. Renderers read the result. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "footprint_internal.h"

double sobre_footprint_round(double x)
{
    char buf[32];
    if (!isfinite(x) || x == 0)
        return 0;
    snprintf(buf, sizeof(buf), "%.6g", x);
    return strtod(buf, NULL);
}

void sobre_footprint_used(const SobreFactors *f, int method, unsigned char used[F_COUNT])
{
    FactorCtx c;
    SobreFootprintView v;
    memset(&c, 0, sizeof(c));
    c.f = f;
    c.level = LEVEL_CENTRAL;
    for (int d = 0; d < SOBRE_DEVICE_COUNT; d++)
        for (int n = 0; n < SOBRE_NETWORK_COUNT; n++)
            sobre_footprint_eval(&c, method, 1e6, 60, d, n, &v);
    memcpy(used, c.used, F_COUNT);
    used[F_ENCODE_CPU_POWER] = 1;
    used[F_GRID] = 1; /* the encode's carbon */
}

static int check_report(const SobreReport *r, const char *name, SobreError *err)
{
    if (r->nb_renditions <= 0)
        return sobre_fail(err, SOBRE_E_INVALID,
                          "%s: 'renditions' is empty: there is nothing to view (run sobre encode)",
                          name);
    for (int i = 0; i < r->nb_renditions; i++) {
        const SobreReportRendition *x = &r->renditions[i];
        if (x->bytes <= 0)
            return sobre_fail(err, SOBRE_E_INVALID,
                              "%s: renditions[%d] ('%s'): field 'bytes' is %lld; the footprint "
                              "needs the real size of the encoded file",
                              name, i, x->id, (long long)x->bytes);
        if (!(x->duration_s > 0) || !isfinite(x->duration_s))
            return sobre_fail(err, SOBRE_E_INVALID,
                              "%s: renditions[%d] ('%s'): field 'duration_s' is %g; the footprint "
                              "needs the duration of the encoded file",
                              name, i, x->id, x->duration_s);
    }
    return 0;
}

static int cmp_rows(const void *a, const void *b)
{
    const FootRow *x = *(const FootRow *const *)a, *y = *(const FootRow *const *)b;
    double tx = row_total(x), ty = row_total(y);
    if (tx != ty)
        return tx > ty ? -1 : 1;
    return x < y ? -1 : (x > y); /* stable: report, device, network order */
}

static int shown(const SobreFootprintOptions *o, int device, int network)
{
    return (!o->device_mask || (o->device_mask & (1u << device))) &&
           (!o->network_mask || (o->network_mask & (1u << network)));
}

static int compute_rows(SobreFootprintTable *t, SobreError *err)
{
    const SobreReport *r = t->r;
    int ret, k = 0;
    for (int i = 0; i < r->nb_renditions; i++) {
        const SobreReportRendition *x = &r->renditions[i];
        for (int d = 0; d < SOBRE_DEVICE_COUNT; d++)
            for (int n = 0; n < SOBRE_NETWORK_COUNT; n++, k++) {
                FootRow *w = &t->rows[k];
                w->rend = i;
                w->device = d;
                w->network = n;
                if ((ret = sobre_footprint_view(t->f, t->opt.method, x->bytes, x->duration_s, d, n,
                                                &w->v, err)) < 0)
                    return ret;
                t->any_derived |= w->v.derived;
            }
        sobre_factors_typical(t->f, x->role, &t->typical_device[i], &t->typical_network[i]);
        ret =
            sobre_footprint_view(t->f, t->opt.method, x->bytes, x->duration_s, t->typical_device[i],
                                 t->typical_network[i], &t->typical[i], err);
        if (ret < 0)
            return ret;
    }
    return 0;
}

/* Job energy from RAPL when measured, else CPU time; per rendition by CPU time (a
 * measured job energy is shared out in proportion to each rendition's CPU seconds). */
static int compute_encode(SobreFootprintTable *t, SobreError *err)
{
    const SobreReport *r = t->r;
    double media = r->source.duration_s > 0 ? r->source.duration_s : 0;
    int ret = sobre_footprint_encode(t->f, r->encode.cpu_s > 0 ? r->encode.cpu_s : 0,
                                     r->encode.energy_uj, media, &t->encode, err);
    if (ret < 0)
        return ret;
    for (int i = 0; i < r->nb_renditions; i++) {
        const SobreReportRendition *x = &r->renditions[i];
        SobreEncodeEnergy *e = &t->encode_r[i];
        if (!(x->cpu_s > 0))
            continue;
        if ((ret = sobre_footprint_encode(t->f, x->cpu_s, -1, x->duration_s, e, err)) < 0)
            return ret;
        if (t->encode.measured && r->encode.cpu_s > 0) {
            double share = x->cpu_s / r->encode.cpu_s;
            e->measured = 1;
            e->wh = e->wh_low = e->wh_high = t->encode.wh * share;
            e->gco2e = t->encode.gco2e * share;
            e->wh_per_minute = e->wh / (x->duration_s / 60);
        }
    }
    return 0;
}

int sobre_footprint_table_new(SobreFootprintTable **out, const SobreReport *r, const char *name,
                              const SobreFactors *f, const SobreFootprintOptions *opt,
                              SobreError *err)
{
    SobreFootprintTable *t;
    int ret;
    *out = NULL;
    if (!sobre_method_name(opt->method))
        return sobre_fail(err, SOBRE_E_INVALID, "unknown footprint method %d", opt->method);
    if (opt->views < 0)
        return sobre_fail(err, SOBRE_E_INVALID, "the number of views must be >= 0");
    if ((ret = check_report(r, name, err)) < 0)
        return ret;
    t = calloc(1, sizeof(*t));
    if (!t)
        return sobre_fail(err, -ENOMEM, "out of memory");
    t->r = r;
    t->f = f;
    t->opt = *opt;
    snprintf(t->name, sizeof(t->name), "%s", name);
    t->nb_rows = r->nb_renditions * SOBRE_DEVICE_COUNT * SOBRE_NETWORK_COUNT;
    t->rows = calloc((size_t)t->nb_rows, sizeof(*t->rows));
    t->shown = calloc((size_t)t->nb_rows, sizeof(*t->shown));
    t->all = calloc((size_t)t->nb_rows, sizeof(*t->all));
    if (!t->rows || !t->shown || !t->all) {
        ret = sobre_fail(err, -ENOMEM, "out of memory");
        goto fail;
    }
    if ((ret = compute_rows(t, err)) < 0 || (ret = compute_encode(t, err)) < 0)
        goto fail;
    for (int i = 0; i < t->nb_rows; i++) {
        t->all[i] = &t->rows[i];
        if (shown(opt, t->rows[i].device, t->rows[i].network))
            t->shown[t->nb_shown++] = &t->rows[i];
    }
    qsort(t->all, (size_t)t->nb_rows, sizeof(*t->all), cmp_rows);
    qsort(t->shown, (size_t)t->nb_shown, sizeof(*t->shown), cmp_rows);
    sobre_footprint_used(f, opt->method, t->used);
    *out = t;
    return 0;
fail:
    sobre_footprint_table_free(&t);
    return ret;
}

void sobre_footprint_table_free(SobreFootprintTable **t)
{
    if (!t || !*t)
        return;
    free((*t)->rows);
    free((*t)->shown);
    free((*t)->all);
    free(*t);
    *t = NULL;
}

int sobre_footprint_table_size(const SobreFootprintTable *t)
{
    return t ? t->nb_shown : 0;
}
