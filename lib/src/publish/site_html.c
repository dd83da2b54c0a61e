/* The index pages: one <article> per episode with a native <video preload="none">, its
 * sources in the right order, captions, transcript, and every file's size, format and
 * footprint shown before any transfer. Every user text goes through sobre_buf_put_html;
 * the Content-Security-Policy allows only the site itself. */
#include <stdio.h>
#include <string.h>

#include "site.h"

/* No inline script or style anywhere, so 'self' is enough for everything. */
#define SITE_CSP                                                                                   \
    "default-src 'self'; img-src 'self' data:; media-src 'self'; style-src 'self'; "               \
    "script-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'"

void site_put_head(SobreBuf *b, const SiteDoc *d, const char *title, int script)
{
    sobre_buf_printf(b, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n",
                     d->t->lang);
    sobre_buf_puts(b, "<meta http-equiv=\"Content-Security-Policy\" content=\"" SITE_CSP "\">\n"
                      "<meta name=\"referrer\" content=\"no-referrer\">\n"
                      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                      "<title>");
    sobre_buf_put_html(b, title);
    /* An empty icon: no /favicon.ico request on every visit. */
    sobre_buf_puts(b, "</title>\n<link rel=\"icon\" href=\"data:,\">\n"
                      "<link rel=\"stylesheet\" href=\"style.css\">\n");
    if (script) {
        sobre_buf_puts(b, "<link rel=\"alternate\" type=\"application/rss+xml\" "
                          "href=\"podcast.xml\" title=\"");
        sobre_buf_put_html(b, d->title);
        sobre_buf_puts(b, "\">\n<script src=\"sobre.js\" defer></script>\n");
    }
    sobre_buf_puts(b, "</head>\n<body>\n");
}

static void put_url(SobreBuf *b, const SiteEpisode *e, const char *name)
{
    sobre_buf_puts(b, "episodes/");
    sobre_buf_put_html(b, e->slug);
    sobre_buf_puts(b, "/");
    sobre_buf_put_html(b, name);
}

/* "WebM VP9 + Opus, 56 ko" */
static void put_format(SobreBuf *b, const SiteStrings *t, const SiteRend *sr)
{
    const SobreReportRendition *r = sr->r;
    if (r->container[0]) {
        sobre_buf_put_html(b, site_codec_name(r->container));
        sobre_buf_puts(b, " ");
    }
    if (r->has_video || r->video.codec[0])
        sobre_buf_put_html(b, site_codec_name(r->video.codec));
    if ((r->has_video || r->video.codec[0]) && r->audio.codec[0])
        sobre_buf_puts(b, " + ");
    if (r->audio.codec[0])
        sobre_buf_put_html(b, site_codec_name(r->audio.codec));
    sobre_buf_puts(b, ", ");
    site_put_size(b, t, sr->bytes);
}

static void put_label(SobreBuf *b, const SiteRend *sr)
{
    if (sr->r->label[0])
        sobre_buf_put_html(b, sr->r->label);
    else if (sr->r->video.height > 0)
        sobre_buf_printf(b, "%dp", sr->r->video.height);
    else
        sobre_buf_put_html(b, sr->r->id);
}

static void put_link(SobreBuf *b, const SiteDoc *d, const SiteEpisode *e, const SiteRend *sr,
                     const char *text)
{
    sobre_buf_puts(b, "<a href=\"");
    put_url(b, e, sr->name);
    sobre_buf_puts(b, "\" type=\"");
    sobre_buf_put_html(b, sr->r->mime);
    sobre_buf_printf(b, "\" data-role=\"%s\">", sr->r->role);
    if (text)
        sobre_buf_puts(b, text);
    else
        put_label(b, sr);
    sobre_buf_puts(b, " — ");
    put_format(b, d->t, sr);
    if (sr->role == SITE_ROLE_HIGH)
        sobre_buf_printf(b, " (%s)", d->t->heavy);
    sobre_buf_puts(b, "</a>");
    if (sr->has_fp) {
        sobre_buf_puts(b, " ");
        site_put_footprint(b, d->t, sr->wh, sr->gco2e);
    }
}

/* "Durée 2 s · 180p ≈ 56 ko · audio ≈ 11 ko · ≈ 0,0049 Wh · 0,25 g CO₂e par vue" */
static void put_meta(SobreBuf *b, const SiteDoc *d, const SiteEpisode *e)
{
    const SiteStrings *t = d->t;
    sobre_buf_printf(b, "<p class=\"meta\">%s ", t->duration);
    site_put_duration(b, e->report->source.duration_s > 0
                             ? e->report->source.duration_s
                             : e->rend[e->headline >= 0 ? e->headline : e->audio].r->duration_s);
    if (e->headline >= 0) {
        const SiteRend *h = &e->rend[e->headline];
        sobre_buf_puts(b, " · ");
        put_label(b, h);
        sobre_buf_puts(b, " ≈ ");
        site_put_size(b, t, h->bytes);
    }
    if (e->audio >= 0) {
        sobre_buf_printf(b, " · %s ≈ ", t->audio);
        site_put_size(b, t, e->rend[e->audio].bytes);
    }
    const SiteRend *fp = &e->rend[e->headline >= 0 ? e->headline : e->audio];
    if (fp->has_fp) {
        sobre_buf_puts(b, " · ");
        site_put_footprint(b, t, fp->wh, fp->gco2e);
        sobre_buf_printf(b, " %s", t->per_view);
    }
    sobre_buf_puts(b, "</p>\n");
}

static int has_role(const SiteEpisode *e, int role)
{
    for (int k = 0; k < e->nb_sources; k++)
        if (e->rend[e->sources[k]].role == role)
            return 1;
    return 0;
}

static void put_player(SobreBuf *b, const SiteDoc *d, const SiteEpisode *e)
{
    const SobreReport *rep = e->report;
    int video = e->nb_sources > 0, w = 640, h = 360;
    (void)d;
    if (rep->poster.present && rep->poster.width > 0 && rep->poster.height > 0)
        w = rep->poster.width, h = rep->poster.height;
    else if (e->headline >= 0 && e->rend[e->headline].r->video.width > 0)
        w = e->rend[e->headline].r->video.width, h = e->rend[e->headline].r->video.height;
    sobre_buf_printf(b, "<%s controls preload=\"none\"", video ? "video" : "audio");
    if (video && e->poster[0]) {
        sobre_buf_puts(b, " poster=\"");
        put_url(b, e, e->poster);
        sobre_buf_puts(b, "\"");
    }
    if (video)
        sobre_buf_printf(b, " width=\"%d\" height=\"%d\"", w, h);
    sobre_buf_puts(b, ">\n");
    for (int k = 0; k < (video ? e->nb_sources : 1); k++) {
        const SiteRend *sr = &e->rend[video ? e->sources[k] : e->audio];
        sobre_buf_puts(b, "<source src=\"");
        put_url(b, e, sr->name);
        sobre_buf_puts(b, "\" type=\"");
        sobre_buf_put_html(b, sr->r->mime);
        sobre_buf_puts(b, "\"");
        /* Small screens skip AV1 (its rung is large) and take the light rung; larger
         * ones skip the light rung only when a standard one follows (never for H.264). */
        if (video && sr->role == SITE_ROLE_EXTRA)
            sobre_buf_puts(b, " media=\"(min-width:701px)\"");
        if (video && sr->role == SITE_ROLE_HDR)
            sobre_buf_puts(b, " media=\"(dynamic-range:high) and (min-width:701px)\"");
        if (video && sr->role == SITE_ROLE_SOBRE && has_role(e, SITE_ROLE_STANDARD))
            sobre_buf_puts(b, " media=\"(max-width:700px)\"");
        sobre_buf_puts(b, ">\n");
    }
    for (int i = 0; i < e->nb_caps; i++) {
        sobre_buf_puts(b, "<track kind=\"captions\" src=\"");
        put_url(b, e, e->caps[i].name);
        sobre_buf_puts(b, "\" srclang=\"");
        sobre_buf_put_html(b, e->caps[i].c->lang);
        sobre_buf_puts(b, "\" label=\"");
        sobre_buf_put_html(b, e->caps[i].c->label[0] ? e->caps[i].c->label : d->t->captions);
        sobre_buf_puts(b, "\">\n");
    }
    sobre_buf_printf(b, "</%s>\n", video ? "video" : "audio");
}

static void put_files(SobreBuf *b, const SiteDoc *d, const SiteEpisode *e)
{
    static const int roles[] = {SITE_ROLE_LOW,  SITE_ROLE_SOBRE, SITE_ROLE_STANDARD,
                                SITE_ROLE_HIGH, SITE_ROLE_EXTRA, SITE_ROLE_FALLBACK,
                                SITE_ROLE_HDR};
    int n = 0;
    if (e->audio >= 0) {
        sobre_buf_puts(b, "<p class=\"listen\">");
        put_link(b, d, e, &e->rend[e->audio], d->t->listen);
        if (e->rend[e->audio].has_fp)
            sobre_buf_printf(b, " %s", d->t->per_view);
        sobre_buf_puts(b, "</p>\n");
    }
    for (size_t k = 0; k < sizeof(roles) / sizeof(roles[0]); k++)
        for (int i = 0; i < e->nb_rend; i++) {
            if (e->rend[i].role != roles[k] || strcmp(e->rend[i].r->kind, "video"))
                continue;
            sobre_buf_puts(b, n++ ? " ·\n" : "<p class=\"files\">");
            put_link(b, d, e, &e->rend[i], NULL);
        }
    if (n)
        sobre_buf_puts(b, "</p>\n");
}

static void put_episode(SobreBuf *b, const SiteDoc *d, const SiteEpisode *e)
{
    const SobreReport *rep = e->report;
    sobre_buf_puts(b, "<article id=\"e-");
    sobre_buf_put_html(b, e->slug);
    sobre_buf_puts(b, "\"");
    if (rep->language[0] && strcmp(rep->language, d->t->lang)) {
        sobre_buf_puts(b, " lang=\"");
        sobre_buf_put_html(b, rep->language);
        sobre_buf_puts(b, "\"");
    }
    sobre_buf_puts(b, ">\n<h2 dir=\"auto\">");
    sobre_buf_put_html(b, rep->title[0] ? rep->title : e->slug);
    sobre_buf_puts(b, "</h2>\n");
    if (rep->description[0]) {
        sobre_buf_puts(b, "<p class=\"desc\" dir=\"auto\">");
        sobre_buf_put_html(b, rep->description);
        sobre_buf_puts(b, "</p>\n");
    }
    put_meta(b, d, e);
    put_player(b, d, e);
    put_files(b, d, e);
    if (e->transcript && e->transcript[0]) {
        sobre_buf_printf(b, "<details><summary>%s</summary><p class=\"tr\">", d->t->transcript);
        sobre_buf_put_html(b, e->transcript);
        sobre_buf_puts(b, "</p></details>\n");
    }
    sobre_buf_puts(b, "</article>\n");
}

/* The definition menu, shown by sobre.js only (without it the screen size decides). */
static void put_chooser(SobreBuf *b, const SiteDoc *d, int page)
{
    static const int roles[] = {SITE_ROLE_LOW, SITE_ROLE_SOBRE, SITE_ROLE_STANDARD, SITE_ROLE_HIGH};
    const SiteStrings *t = d->t;
    sobre_buf_printf(b,
                     "<p class=\"def\" hidden><label for=\"def\">%s</label>\n<select id=\"def\">"
                     "<option value=\"\">%s</option>",
                     t->definition, t->automatic);
    for (size_t k = 0; k < sizeof(roles) / sizeof(roles[0]); k++) {
        int maxh = 0, found = 0;
        for (int i = 0; i < d->nb_eps; i++) {
            const SiteEpisode *e = &d->eps[i];
            for (int j = 0; e->page == page && j < e->nb_rend; j++)
                if (e->rend[j].role == roles[k] && !strcmp(e->rend[j].r->kind, "video")) {
                    found = 1;
                    if (e->rend[j].r->video.height > maxh)
                        maxh = e->rend[j].r->video.height;
                }
        }
        if (!found)
            continue;
        sobre_buf_printf(b, "<option value=\"%s\">%s", site_role_name(roles[k]), t->role[roles[k]]);
        if (maxh > 0)
            sobre_buf_printf(b, " (≤ %dp)", maxh);
        if (roles[k] == SITE_ROLE_HIGH)
            sobre_buf_printf(b, " — %s", t->heavy);
        sobre_buf_puts(b, "</option>");
    }
    sobre_buf_puts(b, "</select></p>\n");
}

/* Says how the per-view figures were made, once per page, from the first episode that
 * has them (method and factors come from report.json: escaped). */
static void put_fp_note(SobreBuf *b, const SiteDoc *d, int page)
{
    for (int i = 0; i < d->nb_eps; i++) {
        const SiteEpisode *e = &d->eps[i];
        int fp = 0;
        for (int j = 0; j < e->nb_rend; j++)
            fp |= e->rend[j].has_fp;
        if (e->page != page || !fp)
            continue;
        sobre_buf_printf(b, " %s", d->t->fp_note);
        if (e->fp_method[0]) {
            sobre_buf_puts(b, " — ");
            sobre_buf_put_html(b, e->fp_method);
            if (e->fp_factors[0]) {
                sobre_buf_puts(b, ", ");
                sobre_buf_put_html(b, e->fp_factors);
            }
        }
        sobre_buf_puts(b, ".");
        return;
    }
}

static void put_pager(SobreBuf *b, const SiteDoc *d, int page)
{
    char name[32];
    if (d->nb_pages < 2)
        return;
    sobre_buf_printf(b, "<nav class=\"pages\" aria-label=\"%s\">", d->t->pages_label);
    if (page > 1) {
        site_page_name(page - 1, name, sizeof(name));
        sobre_buf_printf(b, "<a href=\"%s\" rel=\"prev\">%s</a> ", name, d->t->prev);
    }
    sobre_buf_puts(b, "<span aria-current=\"page\">");
    sobre_buf_printf(b, d->t->page_of, page, d->nb_pages);
    sobre_buf_puts(b, "</span>");
    if (page < d->nb_pages) {
        site_page_name(page + 1, name, sizeof(name));
        sobre_buf_printf(b, " <a href=\"%s\" rel=\"next\">%s</a>", name, d->t->next);
    }
    sobre_buf_puts(b, "</nav>\n");
}

static void put_footer(SobreBuf *b, const SiteDoc *d)
{
    const SiteStrings *t = d->t;
    sobre_buf_printf(b,
                     "<footer>\n<h2>%s</h2>\n<p><a href=\"serie.m3u\" type=\"audio/mpegurl\">%s</a>"
                     " · <a href=\"serie-audio.m3u\" type=\"audio/mpegurl\">%s</a>"
                     " · <a href=\"podcast.xml\" type=\"application/rss+xml\">%s</a>"
                     " · <a href=\"manifest.json\" type=\"application/json\">%s</a>"
                     " · <a href=\"ecoconception.html\">%s</a></p>\n</footer>\n",
                     t->playlists, t->m3u_video, t->m3u_audio, t->podcast, t->manifest,
                     t->declaration);
}

void site_render_page(SiteDoc *d, int page, SobreBuf *b)
{
    size_t start = b->len;
    SitePageBudget *bud = &d->budget[page - 1];
    char title[1024];
    if (d->nb_pages > 1 && page > 1) {
        char of[64];
        snprintf(of, sizeof(of), d->t->page_of, page, d->nb_pages);
        snprintf(title, sizeof(title), "%s — %s", d->title, of);
    } else {
        snprintf(title, sizeof(title), "%s", d->title);
    }
    site_put_head(b, d, title, 1);
    sobre_buf_printf(b, "<a class=\"skip\" href=\"#main\">%s</a>\n<header>\n<h1>", d->t->skip);
    sobre_buf_put_html(b, d->title);
    sobre_buf_puts(b, "</h1>\n");
    if (d->set && d->set->description && d->set->description[0]) {
        sobre_buf_puts(b, "<p>");
        sobre_buf_put_html(b, d->set->description);
        sobre_buf_puts(b, "</p>\n");
    }
    sobre_buf_printf(b, "</header>\n<main id=\"main\">\n<p class=\"intro\">%s", d->t->intro);
    put_fp_note(b, d, page);
    sobre_buf_puts(b, "</p>\n");
    put_chooser(b, d, page);
    bud->poster_bytes = 0;
    bud->requests = 3; /* the page, style.css, sobre.js */
    for (int i = 0; i < d->nb_eps; i++) {
        const SiteEpisode *e = &d->eps[i];
        if (e->page != page)
            continue;
        put_episode(b, d, e);
        if (e->poster[0] && e->nb_sources > 0) {
            bud->poster_bytes += e->report->poster.bytes;
            bud->requests++;
        }
    }
    put_pager(b, d, page);
    sobre_buf_puts(b, "</main>\n");
    put_footer(b, d);
    sobre_buf_puts(b, "</body>\n</html>\n");
    bud->html_bytes = (int64_t)(b->len - start);
}
