/* empreinte.html: the footprint page for référents, static, no script. For the whole
 * series: every viewing format (rendition x device x network) with energy, operational
 * and total carbon, the low-high bracket and totals for a number of views; the same per
 * episode on the site's two formats; the bar chart (empreinte.svg, site_chart.c); the
 * method, its formula and every factor it uses with its source.
 *
 * A series figure is one view of every episode that has the rendition: each method is
 * linear in the bytes and the hours watched, so it is the model applied to the summed
 * bytes and durations, exactly the sum of the episodes' figures. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "footprint_internal.h"
#include "site.h"

typedef struct Row {
    int rend; /* index in the series renditions */
    int device, network;
    SobreFootprintView v;
} Row;

static void put_num(SobreBuf *b, const SiteDoc *d, double v)
{
    site_put_num(b, d->t, v);
}

static void put_total_bracket(SobreBuf *b, const SiteDoc *d, const SobreFootprintView *v)
{
    put_num(b, d, v->gco2e_low + v->embodied_low);
    sobre_buf_puts(b, "–");
    put_num(b, d, v->gco2e_high + v->embodied_high);
}

int site_series_collect(const SiteDoc *d, SiteSeriesRend *out, int max)
{
    static const int order[] = {SITE_ROLE_LOW,  SITE_ROLE_SOBRE, SITE_ROLE_STANDARD,
                                SITE_ROLE_HIGH, SITE_ROLE_EXTRA, SITE_ROLE_FALLBACK,
                                SITE_ROLE_HDR,  SITE_ROLE_AUDIO};
    int n = 0;
    for (size_t k = 0; k < sizeof(order) / sizeof(order[0]); k++)
        for (int i = 0; i < d->nb_eps; i++)
            for (int j = 0; j < d->eps[i].nb_rend; j++) {
                const SiteRend *sr = &d->eps[i].rend[j];
                int r;
                if (sr->role != order[k] || !sr->fp[SITE_FMT_SMALL].ok)
                    continue;
                for (r = 0; r < n; r++)
                    if (!strcmp(out[r].first->r->id, sr->r->id))
                        break;
                if (r == n) {
                    if (n == max)
                        continue;
                    memset(&out[n], 0, sizeof(out[n]));
                    out[n++].first = sr;
                }
                out[r].bytes += sr->bytes;
                out[r].duration_s += sr->r->duration_s;
                out[r].episodes++;
            }
    for (int r = 0; r < n; r++)
        for (int f = 0; f < SITE_FMTS; f++)
            out[r].fp[f].ok =
                sobre_footprint_view(d->fp, d->method, out[r].bytes, out[r].duration_s,
                                     d->device[f], d->network[f], &out[r].fp[f].v, NULL) == 0;
    return n;
}

void site_series_label(SobreBuf *b, const SiteDoc *d, const SiteSeriesRend *s)
{
    const SobreReportRendition *r = s->first->r;
    char text[160];
    if (s->episodes < d->nb_eps) {
        snprintf(text, sizeof(text), d->t->fp_covers, r->label[0] ? r->label : r->id, s->episodes,
                 d->nb_eps);
        sobre_buf_put_html(b, text);
    } else {
        sobre_buf_put_html(b, r->label[0] ? r->label : r->id);
    }
}

static int by_total(const void *a, const void *b)
{
    const Row *x = a, *y = b;
    double tx = x->v.gco2e + x->v.embodied, ty = y->v.gco2e + y->v.embodied;
    if (tx != ty)
        return tx > ty ? -1 : 1;
    return (x->rend - y->rend) * 100 + (x->device - y->device) * 10 + (x->network - y->network);
}

static void open_table(SobreBuf *b, const char *label)
{
    sobre_buf_puts(b, "<div class=\"scroll\" tabindex=\"0\" role=\"region\" aria-label=\"");
    sobre_buf_put_html(b, label);
    sobre_buf_puts(b, "\"><table>\n");
}

static void put_brief(SobreBuf *b, const SiteDoc *d, const SiteSeriesRend *s, int n)
{
    const SiteStrings *t = d->t;
    SobreBuf dur;
    double total = 0;
    sobre_buf_init(&dur);
    for (int i = 0; i < d->nb_eps; i++)
        total += d->eps[i].report->source.duration_s;
    site_put_duration(&dur, total);
    sobre_buf_printf(b, "<h2>%s</h2>\n<p>", t->fp_series);
    sobre_buf_printf(b, t->fp_series_line, d->nb_eps, sobre_buf_str(&dur));
    sobre_buf_puts(b, "</p>\n");
    open_table(b, t->fp_series);
    sobre_buf_printf(b, "<tr><th scope=\"col\">%s</th>", t->fp_cols[0]);
    for (int f = 0; f < SITE_FMTS; f++) {
        sobre_buf_puts(b, "<th scope=\"col\">");
        sobre_buf_printf(b, t->fp_ep_cols[4 + f], t->device[d->device[f]],
                         t->network[d->network[f]]);
        sobre_buf_puts(b, "</th>");
    }
    sobre_buf_puts(b, "</tr>\n");
    for (int r = 0; r < n; r++) {
        sobre_buf_puts(b, "<tr><th scope=\"row\">");
        site_series_label(b, d, &s[r]);
        sobre_buf_puts(b, "</th>");
        for (int f = 0; f < SITE_FMTS; f++) {
            const SobreFootprintView *v = &s[r].fp[f].v;
            sobre_buf_puts(b, "<td>");
            put_num(b, d, v->gco2e + v->embodied);
            sobre_buf_printf(b, " g CO₂e (%s ", t->fp_usage);
            put_num(b, d, v->gco2e);
            sobre_buf_puts(b, " g) · ");
            put_num(b, d, v->wh);
            sobre_buf_puts(b, " Wh</td>");
        }
        sobre_buf_puts(b, "</tr>\n");
    }
    sobre_buf_puts(b, "</table></div>\n");
    b->oom |= dur.oom;
    sobre_buf_free(&dur);
}

static void put_chart(SobreBuf *b, const SiteDoc *d)
{
    SobreBuf svg;
    int w = 0, h = 0;
    sobre_buf_init(&svg);
    site_render_chart(d, &svg, &w, &h); /* only for its size: publish writes the file */
    sobre_buf_printf(b,
                     "<figure><img src=\"empreinte.svg\" width=\"%d\" height=\"%d\" alt=\"%s\">"
                     "<figcaption>%s</figcaption></figure>\n",
                     w, h, d->t->fp_chart_alt, d->t->fp_chart_caption);
    sobre_buf_free(&svg);
}

static void put_all(SobreBuf *b, const SiteDoc *d, const SiteSeriesRend *s, int n)
{
    const SiteStrings *t = d->t;
    int nb = n * SOBRE_DEVICE_COUNT * SOBRE_NETWORK_COUNT, k = 0, derived = 0;
    Row *rows = calloc((size_t)(nb ? nb : 1), sizeof(*rows));
    double heaviest;
    if (!rows) {
        b->oom = 1;
        return;
    }
    for (int r = 0; r < n; r++)
        for (int dev = 0; dev < SOBRE_DEVICE_COUNT; dev++)
            for (int net = 0; net < SOBRE_NETWORK_COUNT; net++) {
                Row *w = &rows[k];
                w->rend = r, w->device = dev, w->network = net;
                if (sobre_footprint_view(d->fp, d->method, s[r].bytes, s[r].duration_s, dev, net,
                                         &w->v, NULL) == 0)
                    k++;
            }
    qsort(rows, (size_t)k, sizeof(*rows), by_total);
    heaviest = k ? rows[0].v.gco2e + rows[0].v.embodied : 0;
    sobre_buf_printf(b, "<h2>%s</h2>\n<p>", t->fp_all);
    sobre_buf_printf(b, t->fp_all_intro, d->views);
    sobre_buf_puts(b, "</p>\n");
    open_table(b, t->fp_all);
    sobre_buf_puts(b, "<tr>");
    for (int c = 0; c < 10; c++) {
        sobre_buf_puts(b, "<th scope=\"col\">");
        sobre_buf_printf(b, t->fp_cols[c], d->views);
        sobre_buf_puts(b, "</th>");
    }
    sobre_buf_puts(b, "</tr>\n");
    for (int i = 0; i < k; i++) {
        const SobreFootprintView *v = &rows[i].v;
        double total = v->gco2e + v->embodied;
        sobre_buf_puts(b, "<tr><th scope=\"row\">");
        site_series_label(b, d, &s[rows[i].rend]);
        sobre_buf_printf(b, "</th><td>%s</td><td>%s%s</td><td>", t->device[rows[i].device],
                         t->network[rows[i].network], v->derived ? " *" : "");
        derived |= v->derived;
        put_num(b, d, v->mb);
        sobre_buf_puts(b, "</td><td>");
        put_num(b, d, v->wh);
        sobre_buf_puts(b, "</td><td>");
        put_num(b, d, v->gco2e);
        sobre_buf_puts(b, "</td><td>");
        put_num(b, d, total);
        sobre_buf_puts(b, "</td><td>");
        put_total_bracket(b, d, v);
        sobre_buf_puts(b, "</td><td>");
        put_num(b, d, heaviest > 0 ? total / heaviest : 0);
        sobre_buf_puts(b, "</td><td>");
        put_num(b, d, total * (double)d->views / 1000.0);
        sobre_buf_puts(b, "</td></tr>\n");
    }
    sobre_buf_puts(b, "</table></div>\n");
    if (derived)
        sobre_buf_printf(b, "<p>%s</p>\n", t->fp_derived);
    free(rows);
}

static void put_episodes(SobreBuf *b, const SiteDoc *d)
{
    const SiteStrings *t = d->t;
    sobre_buf_printf(b, "<h2>%s</h2>\n", t->fp_by_episode);
    open_table(b, t->fp_by_episode);
    sobre_buf_puts(b, "<tr>");
    for (int c = 0; c < 6; c++) {
        sobre_buf_puts(b, "<th scope=\"col\">");
        if (c >= 4)
            sobre_buf_printf(b, t->fp_ep_cols[c], t->device[d->device[c - 4]],
                             t->network[d->network[c - 4]]);
        else
            sobre_buf_puts(b, t->fp_ep_cols[c]);
        sobre_buf_puts(b, "</th>");
    }
    sobre_buf_puts(b, "</tr>\n");
    for (int i = 0; i < d->nb_eps; i++) {
        const SiteEpisode *e = &d->eps[i];
        for (int j = 0; j < e->nb_rend; j++) {
            const SiteRend *sr = &e->rend[j];
            if (!sr->fp[SITE_FMT_SMALL].ok)
                continue;
            sobre_buf_puts(b, "<tr><td dir=\"auto\">");
            sobre_buf_printf(b, "%d. ", e->number);
            sobre_buf_put_html(b, e->report->title[0] ? e->report->title : e->slug);
            sobre_buf_puts(b, "</td><td>");
            sobre_buf_put_html(b, sr->r->label[0] ? sr->r->label : sr->r->id);
            sobre_buf_puts(b, "</td><td>");
            site_put_size(b, t, sr->bytes);
            sobre_buf_puts(b, "</td><td>");
            site_put_duration(b, sr->r->duration_s);
            for (int f = 0; f < SITE_FMTS; f++) {
                const SobreFootprintView *v = &sr->fp[f].v;
                sobre_buf_puts(b, "</td><td>");
                put_num(b, d, v->gco2e + v->embodied);
                sobre_buf_printf(b, " g (%s ", t->fp_usage);
                put_num(b, d, v->gco2e);
                sobre_buf_puts(b, " g)");
            }
            sobre_buf_puts(b, "</td></tr>\n");
        }
    }
    sobre_buf_puts(b, "</table></div>\n");
}

static void put_method(SobreBuf *b, const SiteDoc *d)
{
    const SiteStrings *t = d->t;
    unsigned char used[F_COUNT];
    sobre_footprint_used(d->fp, d->method, used);
    sobre_buf_printf(b, "<h2>%s</h2>\n<p>%s</p>\n<pre>", t->fp_method, t->fp_formula);
    sobre_buf_put_html(b, sobre_footprint_formula(d->method));
    sobre_buf_puts(b, "</pre>\n");
    open_table(b, t->fp_method);
    sobre_buf_puts(b, "<tr>");
    for (int c = 0; c < 5; c++)
        sobre_buf_printf(b, "<th scope=\"col\">%s</th>", t->fp_factor_cols[c]);
    sobre_buf_puts(b, "</tr>\n");
    for (int i = 0; i < sobre_factors_count(); i++) {
        SobreFactorInfo fi;
        if (i == F_ENCODE_CPU_POWER || !used[i] || sobre_factors_info(d->fp, i, &fi) < 0)
            continue;
        sobre_buf_puts(b, "<tr><th scope=\"row\">");
        sobre_buf_put_html(b, fi.id);
        sobre_buf_printf(b, "%s</th><td>", fi.derived ? " *" : "");
        put_num(b, d, fi.central);
        sobre_buf_puts(b, "</td><td>");
        if (fi.low != fi.central || fi.high != fi.central) {
            put_num(b, d, fi.low);
            sobre_buf_puts(b, "–");
            put_num(b, d, fi.high);
        } else {
            sobre_buf_puts(b, "—");
        }
        sobre_buf_puts(b, "</td><td>");
        sobre_buf_put_html(b, fi.unit);
        sobre_buf_puts(b, "</td><td>");
        sobre_buf_put_html(b, fi.source);
        if (fi.low_source && fi.low_source[0]) {
            sobre_buf_puts(b, t->fp_low_src);
            sobre_buf_put_html(b, fi.low_source);
        }
        if (fi.high_source && fi.high_source[0]) {
            sobre_buf_puts(b, t->fp_high_src);
            sobre_buf_put_html(b, fi.high_source);
        }
        sobre_buf_puts(b, "</td></tr>\n");
    }
    sobre_buf_puts(b, "</table></div>\n");
}

void site_render_footprint(const SiteDoc *d, SobreBuf *b)
{
    const SiteStrings *t = d->t;
    SiteSeriesRend s[SITE_SERIES_MAX];
    int n = 0;
    site_put_head(b, d, t->fp_title, "", 0);
    sobre_buf_printf(b, "<main id=\"main\">\n<h1>%s</h1>\n", t->fp_title);
    if (!site_has_footprint(d)) {
        sobre_buf_printf(b, "<p>%s</p>\n</main>\n", t->fp_none);
        site_put_footer(b, d, "");
        sobre_buf_puts(b, "</body>\n</html>\n");
        return;
    }
    n = site_series_collect(d, s, SITE_SERIES_MAX);
    sobre_buf_puts(b, "<p>");
    sobre_buf_printf(b, t->fp_intro, sobre_version(), d->date);
    sobre_buf_put_html(b, sobre_method_title(d->method));
    sobre_buf_printf(b, " (%s), %s ", sobre_method_name(d->method), t->fp_factors);
    sobre_buf_put_html(b, sobre_factors_label(d->fp));
    sobre_buf_puts(b, " ");
    sobre_buf_put_html(b, sobre_factors_version(d->fp));
    sobre_buf_printf(b, ".</p>\n<p>%s</p>\n", t->fp_meaning);
    put_brief(b, d, s, n);
    put_chart(b, d);
    put_all(b, d, s, n);
    put_episodes(b, d);
    put_method(b, d);
    sobre_buf_puts(b, "</main>\n");
    site_put_footer(b, d, "");
    sobre_buf_puts(b, "</body>\n</html>\n");
}
