/* ecoconception.html: the media part of an RGESN 2024 declaration, filled from what was
 * really published: one row per rendition (codecs, channels, definition, measured
 * bitrate range, encoding mode, footprint), the measured page budget, and the criteria
 * the player meets by construction. */
#include <stdio.h>
#include <string.h>

#include "site.h"

typedef struct EcoRow {
    const SiteRend *first;
    int count, fp_count;
    int64_t min_bps, max_bps;
    int min_h, max_h, min_w, max_w;
    double min_wh, max_wh;
} EcoRow;

#define ECO_MAX_ROWS 64

static void add_to_row(EcoRow *row, const SiteRend *sr)
{
    const SobreReportVideo *v = &sr->r->video;
    if (!row->count++) {
        row->first = sr;
        row->min_bps = row->max_bps = sr->bitrate_bps;
        row->min_h = row->max_h = v->height;
        row->min_w = row->max_w = v->width;
    }
    row->min_bps = sr->bitrate_bps < row->min_bps ? sr->bitrate_bps : row->min_bps;
    row->max_bps = sr->bitrate_bps > row->max_bps ? sr->bitrate_bps : row->max_bps;
    row->min_h = v->height < row->min_h ? v->height : row->min_h;
    row->max_h = v->height > row->max_h ? v->height : row->max_h;
    row->min_w = v->width < row->min_w ? v->width : row->min_w;
    row->max_w = v->width > row->max_w ? v->width : row->max_w;
    if (sr->has_fp) {
        if (!row->fp_count++)
            row->min_wh = row->max_wh = sr->wh;
        row->min_wh = sr->wh < row->min_wh ? sr->wh : row->min_wh;
        row->max_wh = sr->wh > row->max_wh ? sr->wh : row->max_wh;
    }
}

/* One row per rendition id (ids come from the preset, so they match across episodes),
 * in the order a viewer meets them. */
static int collect_rows(const SiteDoc *d, EcoRow *rows)
{
    static const int order[] = {SITE_ROLE_LOW,  SITE_ROLE_SOBRE, SITE_ROLE_STANDARD,
                                SITE_ROLE_HIGH, SITE_ROLE_EXTRA, SITE_ROLE_FALLBACK,
                                SITE_ROLE_HDR,  SITE_ROLE_AUDIO};
    int n = 0;
    memset(rows, 0, sizeof(*rows) * ECO_MAX_ROWS);
    for (size_t k = 0; k < sizeof(order) / sizeof(order[0]); k++)
        for (int i = 0; i < d->nb_eps; i++)
            for (int j = 0; j < d->eps[i].nb_rend; j++) {
                const SiteRend *sr = &d->eps[i].rend[j];
                int r;
                if (sr->role != order[k])
                    continue;
                for (r = 0; r < n; r++)
                    if (!strcmp(rows[r].first->r->id, sr->r->id))
                        break;
                if (r == n && n == ECO_MAX_ROWS)
                    continue;
                if (r == n)
                    n++;
                add_to_row(&rows[r], sr);
            }
    return n;
}

static void put_channels(SobreBuf *b, const SiteStrings *t, int ch)
{
    if (ch == 1)
        sobre_buf_printf(b, " %s", t->eco_mono);
    else if (ch == 2)
        sobre_buf_printf(b, " %s", t->eco_stereo);
    else if (ch > 2) {
        sobre_buf_puts(b, " ");
        sobre_buf_printf(b, t->eco_channels, ch);
    }
}

static void put_mode(SobreBuf *b, const SiteStrings *t, const SobreReportRendition *r)
{
    sobre_buf_puts(b, t->eco_vbr);
    if (strcmp(r->kind, "video"))
        return;
    if (r->video.crf >= 0) {
        sobre_buf_puts(b, ", ");
        sobre_buf_printf(b, t->eco_crf, r->video.crf);
    }
    if (r->video.max_kbps > 0) {
        sobre_buf_puts(b, ", ");
        sobre_buf_printf(b, t->eco_cap, r->video.max_kbps);
    }
    if (r->video.keyint_s > 0) {
        sobre_buf_puts(b, ", ");
        sobre_buf_printf(b, t->eco_keyint, r->video.keyint_s);
    }
}

static void put_row(SobreBuf *b, const SiteDoc *d, const EcoRow *row)
{
    const SiteStrings *t = d->t;
    const SobreReportRendition *r = row->first->r;
    sobre_buf_puts(b, "<tr><th scope=\"row\">");
    sobre_buf_put_html(b, r->label[0] ? r->label : r->id);
    sobre_buf_printf(b, "</th><td>%s</td><td>", t->terminal[row->first->role]);
    if (r->video.codec[0] && !strcmp(r->kind, "video")) {
        sobre_buf_put_html(b, site_codec_name(r->video.codec));
        sobre_buf_puts(b, " + ");
    }
    sobre_buf_put_html(b, site_codec_name(r->audio.codec));
    put_channels(b, t, r->audio.channels);
    sobre_buf_puts(b, ", ");
    sobre_buf_put_html(b, site_codec_name(r->container));
    sobre_buf_puts(b, "</td><td>");
    if (strcmp(r->kind, "video"))
        sobre_buf_puts(b, "—");
    else if (row->min_h == row->max_h)
        sobre_buf_printf(b, "%d×%d", row->max_w, row->max_h);
    else
        sobre_buf_printf(b, "%dp–%dp", row->min_h, row->max_h);
    sobre_buf_printf(b, "</td><td>%lld", (long long)((row->min_bps + 500) / 1000));
    if ((row->max_bps + 500) / 1000 != (row->min_bps + 500) / 1000)
        sobre_buf_printf(b, "–%lld", (long long)((row->max_bps + 500) / 1000));
    sobre_buf_puts(b, " kbit/s</td><td>");
    put_mode(b, t, r);
    sobre_buf_puts(b, "</td><td>");
    if (row->fp_count) {
        site_put_num(b, t, row->min_wh);
        if (row->max_wh > row->min_wh) {
            sobre_buf_puts(b, "–");
            site_put_num(b, t, row->max_wh);
        }
        sobre_buf_puts(b, " Wh");
    } else {
        sobre_buf_puts(b, t->eco_fp_none);
    }
    sobre_buf_puts(b, "</td></tr>\n");
}

static void put_budget(SobreBuf *b, const SiteDoc *d)
{
    const SiteStrings *t = d->t;
    sobre_buf_printf(b, "<h2>%s</h2>\n<table>\n<tr>", t->eco_budget);
    for (int c = 0; c < 6; c++)
        sobre_buf_printf(b, "<th scope=\"col\">%s</th>", t->eco_budget_cols[c]);
    sobre_buf_puts(b, "</tr>\n");
    for (int p = 1; p <= d->nb_pages; p++) {
        const SitePageBudget *bud = &d->budget[p - 1];
        char name[32];
        site_page_name(p, name, sizeof(name));
        sobre_buf_printf(b, "<tr><th scope=\"row\"><a href=\"%s\">%s</a></th><td>%d</td><td>", name,
                         name, bud->requests);
        site_put_size(b, t, bud->html_bytes);
        sobre_buf_puts(b, "</td><td>");
        site_put_size(b, t, d->css_bytes + d->js_bytes);
        sobre_buf_puts(b, "</td><td>");
        site_put_size(b, t, bud->poster_bytes);
        sobre_buf_puts(b, "</td><td>");
        site_put_size(b, t, bud->html_bytes + d->css_bytes + d->js_bytes + bud->poster_bytes);
        sobre_buf_puts(b, "</td></tr>\n");
    }
    sobre_buf_puts(b, "</table>\n");
}

static void put_summary(SobreBuf *b, const SiteDoc *d)
{
    SobreBuf dur, size;
    double total_s = 0;
    int64_t bytes = 0;
    sobre_buf_init(&dur);
    sobre_buf_init(&size);
    for (int i = 0; i < d->nb_eps; i++) {
        total_s += d->eps[i].report->source.duration_s;
        for (int j = 0; j < d->eps[i].nb_rend; j++)
            bytes += d->eps[i].rend[j].bytes;
    }
    site_put_duration(&dur, total_s);
    site_put_size(&size, d->t, bytes);
    sobre_buf_puts(b, "<p>");
    sobre_buf_printf(b, d->t->eco_episodes, d->nb_eps, sobre_buf_str(&dur), sobre_buf_str(&size));
    sobre_buf_puts(b, "</p>\n");
    b->oom |= dur.oom | size.oom;
    sobre_buf_free(&dur);
    sobre_buf_free(&size);
}

void site_render_eco(const SiteDoc *d, SobreBuf *b)
{
    const SiteStrings *t = d->t;
    EcoRow rows[ECO_MAX_ROWS];
    int n = collect_rows(d, rows);
    site_put_head(b, d, t->eco_title, 0);
    sobre_buf_printf(b, "<main id=\"main\">\n<h1>%s</h1>\n<p>", t->eco_title);
    sobre_buf_printf(b, t->eco_intro, sobre_version());
    sobre_buf_puts(b, "</p>\n");
    put_summary(b, d);
    sobre_buf_printf(b, "<h2>%s</h2>\n<div class=\"scroll\"><table>\n<tr>", t->eco_media);
    for (int c = 0; c < 7; c++)
        sobre_buf_printf(b, "<th scope=\"col\">%s</th>", t->eco_cols[c]);
    sobre_buf_puts(b, "</tr>\n");
    for (int r = 0; r < n; r++)
        put_row(b, d, &rows[r]);
    sobre_buf_puts(b, "</table></div>\n");
    for (int r = 0; r < n; r++)
        if (rows[r].fp_count) {
            sobre_buf_printf(b, "<p>%s.</p>\n", t->fp_note);
            break;
        }
    put_budget(b, d);
    sobre_buf_printf(b,
                     "<h2>%s</h2>\n<table>\n<tr><th scope=\"col\">%s</th><th scope=\"col\">%s"
                     "</th></tr>\n",
                     t->eco_criteria, t->eco_crit_cols[0], t->eco_crit_cols[1]);
    for (int c = 0; c < 10; c++) {
        sobre_buf_printf(b, "<tr><th scope=\"row\">%s</th><td>", t->eco_crit[c][0]);
        sobre_buf_put_html(b, t->eco_crit[c][1]);
        sobre_buf_puts(b, "</td></tr>\n");
    }
    sobre_buf_printf(b,
                     "</table>\n<p><a href=\"index.html\">%s</a></p>\n</main>\n</body>\n</html>\n",
                     t->eco_back);
}
