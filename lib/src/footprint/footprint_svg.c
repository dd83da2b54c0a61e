/* A self-contained SVG bar chart of a footprint table (no script, no external font or
 * stylesheet), for the published page to embed: one row per viewing format, the
 * operational and embodied carbon stacked, the low-high bracket as a whisker. Every
 * label goes through the XML escaper. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "footprint_internal.h"
#include "strbuf.h"

enum { W = 760, LABEL_W = 330, BAR_X = 340, BAR_W = 330, ROW_H = 22, TOP = 64 };

static const char *fmt_g(char *buf, size_t size, double x)
{
    int dec = x > 0 ? 2 - (int)floor(log10(x)) : 0;
    snprintf(buf, size, "%.*f", dec < 0 ? 0 : (dec > 9 ? 9 : dec), x);
    return buf;
}

/* At most max code points of s, with an ellipsis when cut (labels are right-aligned, a
 * long one would run off the left edge). */
static void put_short(SobreBuf *b, const char *s, int max)
{
    char buf[256];
    size_t n = 0;
    int cps = 0;
    while (s[n] && n < sizeof(buf) - 4) {
        if (((unsigned char)s[n] & 0xC0) != 0x80 && ++cps > max)
            break;
        n++;
    }
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80) /* never cut inside a character */
        n--;
    memcpy(buf, s, n);
    buf[n] = '\0';
    if (s[n])
        strcat(buf, "\xe2\x80\xa6");
    sobre_buf_put_xml(b, buf);
}

static void row_label(SobreBuf *b, const SobreFootprintTable *t, const FootRow *w, int full)
{
    const SobreReportRendition *x = &t->r->renditions[w->rend];
    const char *label = *x->label ? x->label : x->id;
    if (full)
        sobre_buf_put_xml(b, label);
    else
        put_short(b, label, 20);
    sobre_buf_printf(b, " \xc2\xb7 %s \xc2\xb7 %s%s", sobre_device_title(w->device),
                     sobre_network_title(w->network), w->v.derived ? " *" : "");
}

static void svg_row(SobreBuf *b, const SobreFootprintTable *t, const FootRow *w, int i,
                    double scale)
{
    const SobreFootprintView *v = &w->v;
    double y = TOP + i * ROW_H, op = v->gco2e * scale, emb = v->embodied * scale;
    double lo = BAR_X + (v->gco2e_low + v->embodied_low) * scale;
    double hi = BAR_X + (v->gco2e_high + v->embodied_high) * scale;
    char a[4][32];
    sobre_buf_printf(b, "<g class=\"row\"><title>");
    row_label(b, t, w, 1);
    sobre_buf_printf(b, ": %s gCO2e operational + %s gCO2e embodied per view, %s Wh</title>\n",
                     fmt_g(a[0], 32, v->gco2e), fmt_g(a[1], 32, v->embodied),
                     fmt_g(a[2], 32, v->wh));
    sobre_buf_printf(b, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" class=\"label\">", LABEL_W,
                     y + 15);
    row_label(b, t, w, 0);
    sobre_buf_puts(b, "</text>\n");
    sobre_buf_printf(b,
                     "<rect class=\"op\" x=\"%d\" y=\"%.1f\" width=\"%.2f\" height=\"14\" "
                     "fill=\"#1b5e46\"/>",
                     BAR_X, y + 4, op);
    sobre_buf_printf(b,
                     "<rect class=\"emb\" x=\"%.2f\" y=\"%.1f\" width=\"%.2f\" height=\"14\" "
                     "fill=\"#9ccbb5\"/>",
                     BAR_X + op, y + 4, emb);
    sobre_buf_printf(b,
                     "<path d=\"M%.2f %.1fH%.2fM%.2f %.1fv6M%.2f %.1fv6\" stroke=\"#333\" "
                     "stroke-width=\"1\"/>",
                     lo, y + 11, hi, lo, y + 8, hi, y + 8);
    sobre_buf_printf(b, "<text x=\"%.2f\" y=\"%.1f\" class=\"value\">%s g</text></g>\n", hi + 4,
                     y + 15, fmt_g(a[3], 32, row_total(w)));
}

int sobre_footprint_svg(const SobreFootprintTable *t, char **out, SobreError *err)
{
    SobreBuf b;
    double maxv = 0, scale;
    int h = TOP + t->nb_shown * ROW_H + 44;
    *out = NULL;
    for (int i = 0; i < t->nb_shown; i++) {
        const SobreFootprintView *v = &t->shown[i]->v;
        if (v->gco2e_high + v->embodied_high > maxv)
            maxv = v->gco2e_high + v->embodied_high;
    }
    scale = maxv > 0 ? BAR_W / maxv : 0;
    sobre_buf_init(&b);
    sobre_buf_printf(&b,
                     "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                     "viewBox=\"0 0 %d %d\" role=\"img\" aria-labelledby=\"sobre-fp-title "
                     "sobre-fp-desc\" font-family=\"system-ui, sans-serif\" font-size=\"12\" "
                     "fill=\"#111\">\n<title id=\"sobre-fp-title\">Footprint of one view: ",
                     W, h, W, h);
    sobre_buf_put_xml(&b, *t->r->title ? t->r->title : t->name);
    sobre_buf_printf(&b,
                     "</title>\n<desc id=\"sobre-fp-desc\">gCO2e per view for each viewing "
                     "format, method %s, factors ",
                     sobre_method_name(t->opt.method));
    sobre_buf_put_xml(&b, sobre_factors_label(t->f));
    sobre_buf_puts(&b, ". Dark: operational (device use, network, data centre); light: the viewing "
                       "device's manufacturing share; whisker: low-high bracket.</desc>\n");
    sobre_buf_printf(&b, "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/>\n", W, h);
    sobre_buf_puts(&b, "<text x=\"10\" y=\"22\" font-size=\"15\" font-weight=\"bold\">");
    sobre_buf_put_xml(&b, *t->r->title ? t->r->title : t->name);
    sobre_buf_printf(&b, "</text>\n<text x=\"10\" y=\"42\">gCO2e per view, method %s (",
                     sobre_method_name(t->opt.method));
    sobre_buf_put_xml(&b, sobre_method_title(t->opt.method));
    sobre_buf_puts(&b, "), factors ");
    sobre_buf_put_xml(&b, sobre_factors_label(t->f));
    sobre_buf_puts(&b, "</text>\n");
    for (int i = 0; i < t->nb_shown; i++)
        svg_row(&b, t, t->shown[i], i, scale);
    sobre_buf_printf(&b,
                     "<g class=\"legend\" transform=\"translate(%d %d)\"><rect width=\"12\" "
                     "height=\"12\" fill=\"#1b5e46\"/><text x=\"16\" y=\"10\">operational</text>"
                     "<rect x=\"110\" width=\"12\" height=\"12\" fill=\"#9ccbb5\"/><text x=\"126\" "
                     "y=\"10\">device manufacturing</text><path d=\"M270 6h24M270 3v6M294 3v6\" "
                     "stroke=\"#333\"/><text x=\"300\" y=\"10\">low-high%s</text></g>\n</svg>\n",
                     BAR_X - 200, TOP + t->nb_shown * ROW_H + 16,
                     shown_derived(t) ? "; * derived factors (5G)" : "");
    if (b.oom) {
        sobre_buf_free(&b);
        return sobre_fail(err, -ENOMEM, "out of memory while drawing the footprint chart");
    }
    *out = strdup(sobre_buf_str(&b));
    sobre_buf_free(&b);
    if (!*out)
        return sobre_fail(err, -ENOMEM, "out of memory while drawing the footprint chart");
    return 0;
}
