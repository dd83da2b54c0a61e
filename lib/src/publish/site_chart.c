/* empreinte.svg: the bar chart of the footprint page, in the site's language. One bar
 * per rendition of the series on each of the site's two viewing formats: use (dark) and
 * the device's manufacturing (light) stacked, the low-high bracket as a whisker. A
 * self-contained SVG (no script, no external font), every label XML-escaped. */
#include <stdio.h>
#include <string.h>

#include "site.h"

enum { W = 700, LABEL_W = 330, BAR_X = 338, BAR_W = 310, ROW_H = 22, TOP = 8 };

/* At most max code points of an (escaped) label, with an ellipsis: a long one would run
 * off the left edge. Entities count as one and are never cut. */
static void put_short(SobreBuf *b, const char *s, int max)
{
    int cps = 0;
    const char *p = s;
    while (*p && cps < max) {
        const char *q = p + 1;
        if (*p == '&') {
            const char *semi = strchr(p, ';');
            q = semi ? semi + 1 : q;
        } else
            while ((*q & 0xC0) == 0x80)
                q++;
        p = q;
        cps++;
    }
    sobre_buf_putn(b, s, (size_t)(p - s));
    if (*p)
        sobre_buf_puts(b, "…");
}

static void put_value(SobreBuf *b, const SiteDoc *d, double v)
{
    SobreBuf tmp;
    sobre_buf_init(&tmp);
    site_put_num(&tmp, d->t, v);
    sobre_buf_put_xml(b, sobre_buf_str(&tmp));
    b->oom |= tmp.oom;
    sobre_buf_free(&tmp);
}

static void bar(SobreBuf *b, const SiteDoc *d, const SiteSeriesRend *s, int f, int row,
                double scale)
{
    const SobreFootprintView *v = &s->fp[f].v;
    double y = TOP + row * ROW_H, op = v->gco2e * scale, emb = v->embodied * scale;
    double lo = BAR_X + (v->gco2e_low + v->embodied_low) * scale;
    double hi = BAR_X + (v->gco2e_high + v->embodied_high) * scale;
    SobreBuf label;
    sobre_buf_init(&label);
    site_series_label(&label, d, s); /* HTML-escaped, which is also valid XML text */
    sobre_buf_printf(b, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">", LABEL_W, y + 15);
    put_short(b, sobre_buf_str(&label), 30);
    sobre_buf_printf(b, " · %s</text>\n", d->t->device[d->device[f]]);
    sobre_buf_printf(b,
                     "<rect x=\"%d\" y=\"%.1f\" width=\"%.2f\" height=\"14\" fill=\"#1b5e46\"/>"
                     "<rect x=\"%.2f\" y=\"%.1f\" width=\"%.2f\" height=\"14\" fill=\"#9ccbb5\"/>"
                     "<path d=\"M%.2f %.1fH%.2fM%.2f %.1fv6M%.2f %.1fv6\" stroke=\"#333\"/>",
                     BAR_X, y + 4, op, BAR_X + op, y + 4, emb, lo, y + 11, hi, lo, y + 8, hi,
                     y + 8);
    sobre_buf_printf(b, "<text x=\"%.2f\" y=\"%.1f\">", hi + 4, y + 15);
    put_value(b, d, v->gco2e + v->embodied);
    sobre_buf_puts(b, " g</text>\n");
    b->oom |= label.oom;
    sobre_buf_free(&label);
}

void site_render_chart(const SiteDoc *d, SobreBuf *b, int *w, int *h)
{
    SiteSeriesRend s[SITE_SERIES_MAX];
    int n = d->fp ? site_series_collect(d, s, SITE_SERIES_MAX) : 0, rows = 0;
    double maxv = 0, scale;
    for (int r = 0; r < n; r++)
        for (int f = 0; f < SITE_FMTS; f++)
            if (s[r].fp[f].ok) {
                const SobreFootprintView *v = &s[r].fp[f].v;
                rows++;
                if (v->gco2e_high + v->embodied_high > maxv)
                    maxv = v->gco2e_high + v->embodied_high;
            }
    scale = maxv > 0 ? (BAR_W - 40) / maxv : 0;
    *w = W;
    *h = TOP + rows * ROW_H + 30;
    sobre_buf_printf(b,
                     "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                     "viewBox=\"0 0 %d %d\" font-family=\"system-ui, sans-serif\" font-size=\"12\" "
                     "fill=\"#161616\">\n<title>",
                     *w, *h, *w, *h);
    sobre_buf_put_xml(b, d->t->fp_chart_caption);
    sobre_buf_printf(b, "</title>\n<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/>\n", *w, *h);
    rows = 0;
    for (int r = 0; r < n; r++)
        for (int f = 0; f < SITE_FMTS; f++)
            if (s[r].fp[f].ok)
                bar(b, d, &s[r], f, rows++, scale);
    sobre_buf_printf(b,
                     "<g transform=\"translate(%d %d)\"><rect width=\"12\" height=\"12\" "
                     "fill=\"#1b5e46\"/><text x=\"16\" y=\"10\">",
                     BAR_X - 100, TOP + rows * ROW_H + 10);
    sobre_buf_put_xml(b, d->t->fp_usage);
    sobre_buf_puts(b, "</text><rect x=\"110\" width=\"12\" height=\"12\" fill=\"#9ccbb5\"/>"
                      "<text x=\"126\" y=\"10\">");
    sobre_buf_put_xml(b, d->t->fp_making);
    sobre_buf_puts(b, "</text></g>\n</svg>\n");
}
