/* Human and spreadsheet renderings of a footprint table: aligned text, CSV (RFC 4180,
 * formula-safe) and Markdown, plus the --explain text (method, formula, every factor
 * with its source). Titles and labels are untrusted and always go through an escaper. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "footprint_internal.h"
#include "strbuf.h"

/* 3 significant digits, never in exponent form (0.000123, 12.3, 1230). */
static const char *fmt3(char *buf, size_t size, double x)
{
    int dec;
    if (x == 0 || !isfinite(x)) {
        snprintf(buf, size, "0");
        return buf;
    }
    dec = 2 - (int)floor(log10(fabs(x)));
    if (dec < 0)
        dec = 0;
    if (dec > 9)
        dec = 9;
    snprintf(buf, size, "%.*f", dec, x);
    return buf;
}

/* Markdown table cell: inline HTML and table syntax made inert. */
static void put_md(SobreBuf *b, const char *s)
{
    SobreBuf tmp;
    sobre_buf_init(&tmp);
    sobre_buf_put_html(&tmp, s); /* & < > " ' as entities, invalid UTF-8 and controls handled */
    for (const char *p = sobre_buf_str(&tmp); *p; p++) {
        if (*p == '\n' || *p == '\r' || *p == '\t')
            sobre_buf_putn(b, " ", 1);
        else if (strchr("\\|`*_[]", *p)) {
            sobre_buf_putn(b, "\\", 1);
            sobre_buf_putn(b, p, 1);
        } else
            sobre_buf_putn(b, p, 1);
    }
    sobre_buf_free(&tmp);
}

static void put_text(SobreBuf *b, const char *s, int md)
{
    if (md)
        put_md(b, s);
    else
        sobre_buf_put_m3u(b, s); /* one line, no control characters (no terminal escapes) */
}

static void heading(SobreBuf *b, const SobreFootprintTable *t, int md)
{
    sobre_buf_puts(b, md ? "## Footprint of one view: " : "Footprint of one view: ");
    put_text(b, *t->r->title ? t->r->title : t->name, md);
    sobre_buf_printf(b, "%s\nmethod %s: %s; factors ", md ? "\n" : "",
                     sobre_method_name(t->opt.method), sobre_method_title(t->opt.method));
    put_text(b, sobre_factors_label(t->f), md);
    sobre_buf_puts(b, " ");
    put_text(b, sobre_factors_version(t->f), md);
    sobre_buf_puts(b, md ? "\n\n" : "\n");
    sobre_buf_puts(b, "gCO2e = operational (device use, network, data centre); embodied = the "
                      "viewing device's manufacturing share; sorted heaviest first");
    sobre_buf_puts(b, md ? "\n\n" : "\n\n");
}

static void text_row(SobreBuf *b, const SobreFootprintTable *t, const FootRow *w, double heaviest)
{
    char a[7][32], range[72];
    const SobreFootprintView *v = &w->v;
    snprintf(range, sizeof(range), "%s-%s", fmt3(a[5], 32, v->gco2e_low + v->embodied_low),
             fmt3(a[6], 32, v->gco2e_high + v->embodied_high));
    sobre_buf_printf(
        b, "%-12s %-10s %-13s %9s %9s %9s %9s %9s %17s %5.2f", t->r->renditions[w->rend].id,
        sobre_device_name(w->device), sobre_network_name(w->network), fmt3(a[0], 32, v->mb),
        fmt3(a[1], 32, v->wh), fmt3(a[2], 32, v->gco2e), fmt3(a[3], 32, v->embodied),
        fmt3(a[4], 32, v->gco2e + v->embodied), range, heaviest > 0 ? row_total(w) / heaviest : 0);
    if (t->opt.views > 0)
        sobre_buf_printf(b, " %11s %11s", fmt3(a[1], 32, v->wh * (double)t->opt.views),
                         fmt3(a[2], 32, row_total(w) * (double)t->opt.views));
    sobre_buf_puts(b, v->derived ? " *\n" : "\n");
}

static void encode_text(SobreBuf *b, const SobreFootprintTable *t)
{
    const SobreEncodeEnergy *e = &t->encode;
    char a[5][32];
    if (e->measured)
        sobre_buf_printf(b, "Encoding: %s Wh measured (RAPL package energy)",
                         fmt3(a[0], 32, e->wh));
    else
        sobre_buf_printf(b, "Encoding: %s CPU-s x %s W per busy core = %s Wh (%s-%s)",
                         fmt3(a[0], 32, e->cpu_s), fmt3(a[1], 32, t->f->f[F_ENCODE_CPU_POWER].v[1]),
                         fmt3(a[2], 32, e->wh), fmt3(a[3], 32, e->wh_low),
                         fmt3(a[4], 32, e->wh_high));
    sobre_buf_printf(b, ", %s gCO2e, %s Wh per encoded minute\n", fmt3(a[0], 32, e->gco2e),
                     fmt3(a[1], 32, e->wh_per_minute));
    for (int i = 0; i < t->r->nb_renditions; i++) {
        const SobreEncodeEnergy *x = &t->encode_r[i];
        const SobreFootprintView *v = &t->typical[i];
        double delivery = v->wh_network + v->wh_dc;
        if (!(x->cpu_s > 0))
            continue;
        sobre_buf_printf(b, "  %-12s %s CPU-s = %s Wh, %s Wh per encoded minute",
                         t->r->renditions[i].id, fmt3(a[0], 32, x->cpu_s), fmt3(a[1], 32, x->wh),
                         fmt3(a[2], 32, x->wh_per_minute));
        if (delivery > 0)
            sobre_buf_printf(b, "; delivery (network + data centre) outweighs it after %.0f view%s",
                             ceil(x->wh / delivery), ceil(x->wh / delivery) > 1 ? "s" : "");
        if (t->opt.views > 0)
            sobre_buf_printf(b, "; %s Wh per view over %ld views",
                             fmt3(a[3], 32, x->wh / (double)t->opt.views), t->opt.views);
        sobre_buf_puts(b, "\n");
    }
    if (t->opt.views > 0)
        sobre_buf_printf(b, "  whole encode over %ld views: %s Wh per view\n", t->opt.views,
                         fmt3(a[0], 32, e->wh / (double)t->opt.views));
}

static void typical_text(SobreBuf *b, const SobreFootprintTable *t)
{
    char a[6][32];
    sobre_buf_puts(b, "Typical viewing format of each rendition (footprint.json renditions):\n");
    for (int i = 0; i < t->r->nb_renditions; i++) {
        const SobreFootprintView *v = &t->typical[i];
        sobre_buf_printf(b, "  %-12s %-10s %-13s %s MB, %s Wh, %s gCO2e + %s embodied (%s-%s)\n",
                         t->r->renditions[i].id, sobre_device_name(t->typical_device[i]),
                         sobre_network_name(t->typical_network[i]), fmt3(a[0], 32, v->mb),
                         fmt3(a[1], 32, v->wh), fmt3(a[2], 32, v->gco2e),
                         fmt3(a[3], 32, v->embodied), fmt3(a[4], 32, v->gco2e_low),
                         fmt3(a[5], 32, v->gco2e_high));
    }
}

static void render_text(SobreBuf *b, const SobreFootprintTable *t, int flags)
{
    double heaviest = t->nb_shown ? row_total(t->shown[0]) : 0;
    heading(b, t, 0);
    sobre_buf_printf(b, "%-12s %-10s %-13s %9s %9s %9s %9s %9s %17s %5s", "rendition", "device",
                     "network", "MB", "Wh", "gCO2e", "embodied", "total", "total low-high",
                     "ratio");
    if (t->opt.views > 0)
        sobre_buf_printf(b, " %11s %11s", "Wh x views", "g x views");
    sobre_buf_puts(b, "\n");
    for (int i = 0; i < t->nb_shown; i++)
        text_row(b, t, t->shown[i], heaviest);
    if (shown_derived(t))
        sobre_buf_puts(b, "* uses derived factors (5G), see --explain\n");
    sobre_buf_puts(b, "\n");
    typical_text(b, t);
    sobre_buf_puts(b, "\n");
    encode_text(b, t);
    if (flags & SOBRE_FOOTPRINT_EXPLAIN) {
        sobre_buf_puts(b, "\n");
        sobre_footprint_explain_buf(b, t->f, t->opt.method, 0);
    }
}

static void render_md(SobreBuf *b, const SobreFootprintTable *t, int flags)
{
    double heaviest = t->nb_shown ? row_total(t->shown[0]) : 0;
    char a[8][32];
    heading(b, t, 1);
    sobre_buf_puts(b,
                   "| rendition | device | network | MB/view | Wh/view | gCO2e/view | + embodied "
                   "| total | low-high | ratio |\n|---|---|---|--:|--:|--:|--:|--:|--:|--:|\n");
    for (int i = 0; i < t->nb_shown; i++) {
        const FootRow *w = t->shown[i];
        const SobreFootprintView *v = &w->v;
        sobre_buf_puts(b, "| ");
        put_md(b, *t->r->renditions[w->rend].label ? t->r->renditions[w->rend].label
                                                   : t->r->renditions[w->rend].id);
        sobre_buf_printf(b, " | %s | %s%s | %s | %s | %s | %s | %s | %s-%s | %.2f |\n",
                         sobre_device_title(w->device), sobre_network_title(w->network),
                         v->derived ? " \\*" : "", fmt3(a[0], 32, v->mb), fmt3(a[1], 32, v->wh),
                         fmt3(a[2], 32, v->gco2e), fmt3(a[3], 32, v->embodied),
                         fmt3(a[4], 32, row_total(w)),
                         fmt3(a[5], 32, v->gco2e_low + v->embodied_low),
                         fmt3(a[6], 32, v->gco2e_high + v->embodied_high),
                         heaviest > 0 ? row_total(w) / heaviest : 0);
    }
    if (shown_derived(t))
        sobre_buf_puts(b, "\n\\* uses derived factors (5G)\n");
    sobre_buf_puts(b, "\n");
    if (flags & SOBRE_FOOTPRINT_EXPLAIN)
        sobre_footprint_explain_buf(b, t->f, t->opt.method, 1);
}

static void csv_num(SobreBuf *b, double x)
{
    sobre_buf_printf(b, ",%.6g", sobre_footprint_round(x));
}

static void render_csv(SobreBuf *b, const SobreFootprintTable *t, int flags)
{
    double heaviest = t->nb_shown ? row_total(t->shown[0]) : 0;
    if (!(flags & SOBRE_FOOTPRINT_NO_HEADER)) {
        sobre_buf_puts(b, "episode,rendition,label,role,device,network,duration_s,mb_per_view,"
                          "wh_per_view,wh_low,wh_high,gco2e_per_view,gco2e_low,gco2e_high,"
                          "embodied_gco2e_per_view,embodied_low,embodied_high,"
                          "total_gco2e_per_view,ratio,derived,method,factors");
        if (t->opt.views > 0)
            sobre_buf_puts(b, ",views,wh_for_views,gco2e_for_views");
        sobre_buf_puts(b, "\r\n");
    }
    for (int i = 0; i < t->nb_shown; i++) {
        const FootRow *w = t->shown[i];
        const SobreReportRendition *x = &t->r->renditions[w->rend];
        const SobreFootprintView *v = &w->v;
        sobre_buf_put_csv(b, t->r->title);
        sobre_buf_puts(b, ",");
        sobre_buf_put_csv(b, x->id);
        sobre_buf_puts(b, ",");
        sobre_buf_put_csv(b, x->label);
        sobre_buf_printf(b, ",%s,%s,%s", x->role, sobre_device_name(w->device),
                         sobre_network_name(w->network));
        csv_num(b, x->duration_s);
        csv_num(b, v->mb);
        csv_num(b, v->wh);
        csv_num(b, v->wh_low);
        csv_num(b, v->wh_high);
        csv_num(b, v->gco2e);
        csv_num(b, v->gco2e_low);
        csv_num(b, v->gco2e_high);
        csv_num(b, v->embodied);
        csv_num(b, v->embodied_low);
        csv_num(b, v->embodied_high);
        csv_num(b, row_total(w));
        csv_num(b, heaviest > 0 ? row_total(w) / heaviest : 0);
        sobre_buf_printf(b, ",%s,%s,", v->derived ? "yes" : "no", sobre_method_name(t->opt.method));
        sobre_buf_put_csv(b, sobre_factors_label(t->f));
        if (t->opt.views > 0) {
            sobre_buf_printf(b, ",%ld", t->opt.views);
            csv_num(b, v->wh * (double)t->opt.views);
            csv_num(b, row_total(w) * (double)t->opt.views);
        }
        sobre_buf_puts(b, "\r\n");
    }
}

static int finish(SobreBuf *b, char **out, SobreError *err)
{
    if (b->oom) {
        sobre_buf_free(b);
        return sobre_fail(err, -ENOMEM, "out of memory while rendering the footprint");
    }
    *out = strdup(sobre_buf_str(b));
    sobre_buf_free(b);
    if (!*out)
        return sobre_fail(err, -ENOMEM, "out of memory while rendering the footprint");
    return 0;
}

int sobre_footprint_render(const SobreFootprintTable *t, int format, int flags, char **out,
                           SobreError *err)
{
    SobreBuf b;
    *out = NULL;
    if (format == SOBRE_FOOTPRINT_JSON)
        return sobre_footprint_render_json(t, out, err);
    sobre_buf_init(&b);
    if (format == SOBRE_FOOTPRINT_TEXT)
        render_text(&b, t, flags);
    else if (format == SOBRE_FOOTPRINT_CSV)
        render_csv(&b, t, flags);
    else if (format == SOBRE_FOOTPRINT_MD)
        render_md(&b, t, flags);
    else
        return sobre_fail(err, SOBRE_E_INVALID, "unknown footprint output format %d", format);
    return finish(&b, out, err);
}

/* Factors as written in the file (6 significant digits), for --explain. */
static const char *num6(char *buf, size_t size, double x)
{
    snprintf(buf, size, "%.6g", x);
    return buf;
}

static void explain_factor(SobreBuf *b, const SobreFactorInfo *fi, int md)
{
    char a[3][32];
    const char *base = strrchr(fi->file, '/');
    sobre_buf_puts(b, md ? "- `" : "  ");
    sobre_buf_printf(b, "%s%s = %s %s", fi->id, md ? "`" : "", num6(a[0], 32, fi->central),
                     fi->unit);
    if (fi->low != fi->central || fi->high != fi->central)
        sobre_buf_printf(b, " (low %s, high %s)", num6(a[1], 32, fi->low),
                         num6(a[2], 32, fi->high));
    if (fi->derived)
        sobre_buf_puts(b, " [DERIVED]");
    sobre_buf_puts(b, ": ");
    put_text(b, fi->source, md);
    if (*fi->low_source) {
        sobre_buf_puts(b, "; low: ");
        put_text(b, fi->low_source, md);
    }
    if (*fi->high_source) {
        sobre_buf_puts(b, "; high: ");
        put_text(b, fi->high_source, md);
    }
    if (*fi->note) {
        sobre_buf_puts(b, "; note: ");
        put_text(b, fi->note, md);
    }
    sobre_buf_puts(b, " [");
    put_text(b, base ? base + 1 : fi->file, md);
    sobre_buf_printf(b, ":%d]\n", fi->line);
}

void sobre_footprint_explain_buf(SobreBuf *b, const SobreFactors *f, int method, int md)
{
    unsigned char used[F_COUNT];
    SobreFactorInfo fi;
    sobre_buf_printf(b, "%sMethod %s: %s\n%s", md ? "### " : "", sobre_method_name(method),
                     sobre_method_title(method), md ? "\n" : "");
    sobre_buf_printf(b, "Formula (per view): %s.\n", sobre_footprint_formula(method));
    sobre_buf_puts(b, "D = watched hours (the rendition's duration, one full view); B = GB "
                      "delivered (the encoded file's real size, 10^9 bytes); grid = the grid "
                      "factor. Low/high: every factor at its low/high value.\n");
    sobre_buf_puts(b, "Encoding: Wh = CPU seconds x encode_cpu_power / 3600 (or the RAPL package "
                      "energy when the encode measured it); gCO2e = Wh x grid.\n");
    sobre_buf_printf(b, "%sFactors used (", md ? "\n" : "");
    put_text(b, sobre_factors_label(f), md);
    sobre_buf_puts(b, " ");
    put_text(b, sobre_factors_version(f), md);
    sobre_buf_printf(b, "):\n%s", md ? "\n" : "");
    sobre_footprint_used(f, method, used);
    for (int i = 0; i < F_COUNT; i++)
        if (used[i] && sobre_factors_info(f, i, &fi) == 0)
            explain_factor(b, &fi, md);
    sobre_buf_printf(b, "%sTypical viewing formats:", md ? "\n" : "");
    for (int r = 0; sobre_roles[r]; r++)
        sobre_buf_printf(b, "%s %s = %s on %s", r ? ";" : "", sobre_roles[r],
                         sobre_device_name(f->typical_device[r]),
                         sobre_network_name(f->typical_network[r]));
    sobre_buf_puts(b, ".\n");
}

int sobre_footprint_explain(const SobreFactors *f, int method, char **out, SobreError *err)
{
    SobreBuf b;
    *out = NULL;
    if (!sobre_method_name(method))
        return sobre_fail(err, SOBRE_E_INVALID, "unknown footprint method %d", method);
    sobre_buf_init(&b);
    sobre_footprint_explain_buf(&b, f, method, 0);
    return finish(&b, out, err);
}
