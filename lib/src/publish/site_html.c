/* The video pages: the index pages (one <article> per episode) and each episode's own
 * page, episodes/<slug>/index.html, its permanent link. Each article has a native
 * <video preload="none">, its sources in the right order, captions, the transcript, and
 * every file's size, format and per-view footprint shown before any transfer, the files
 * compared on one stated viewing format. Every user text goes through sobre_buf_put_html;
 * the Content-Security-Policy allows only the site itself. */
#include <stdio.h>
#include <string.h>

#include "site.h"

/* No inline script or style anywhere, so 'self' is enough for everything. */
#define SITE_CSP                                                                                   \
    "default-src 'self'; img-src 'self' data:; media-src 'self'; style-src 'self'; "               \
    "script-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'"

static const char *root_of(const SiteDoc *d)
{
    return d->solo ? "../../" : "";
}

void site_put_head(SobreBuf *b, const SiteDoc *d, const char *title, const char *root, int script)
{
    const char *desc = d->set && d->set->description ? d->set->description : "";
    sobre_buf_printf(b, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n",
                     d->t->lang);
    sobre_buf_puts(b, "<meta http-equiv=\"Content-Security-Policy\" content=\"" SITE_CSP "\">\n"
                      "<meta name=\"referrer\" content=\"no-referrer\">\n"
                      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                      "<meta name=\"description\" content=\"");
    if (desc[0]) {
        sobre_buf_put_html(b, desc);
    } else {
        char text[512];
        snprintf(text, sizeof(text), d->t->description, d->nb_eps);
        sobre_buf_put_html(b, text);
    }
    sobre_buf_puts(b, "\">\n<title>");
    sobre_buf_put_html(b, title);
    /* An empty icon: no /favicon.ico request on every visit. */
    sobre_buf_printf(b,
                     "</title>\n<link rel=\"icon\" href=\"data:,\">\n"
                     "<link rel=\"stylesheet\" href=\"%sstyle.css\">\n",
                     root);
    if (script) {
        sobre_buf_printf(b,
                         "<link rel=\"alternate\" type=\"application/rss+xml\" href=\"%s"
                         "podcast.xml\" title=\"",
                         root);
        sobre_buf_put_html(b, d->title);
        sobre_buf_printf(b, "\">\n<script src=\"%ssobre.js\" defer></script>\n", root);
    }
    sobre_buf_puts(b, "</head>\n<body>\n");
}

int site_count_elements(const SobreBuf *b, size_t start)
{
    int n = 0;
    for (size_t i = start; i + 1 < b->len; i++)
        if (b->data[i] == '<' && ((b->data[i + 1] | 0x20) >= 'a' && (b->data[i + 1] | 0x20) <= 'z'))
            n++;
    return n;
}

void site_put_format(SobreBuf *b, const SiteDoc *d, int device, int network)
{
    sobre_buf_printf(b, "%s, %s", d->t->device[device], d->t->network[network]);
}

/* A file of the episode, relative to the page being written. */
static void put_url(SobreBuf *b, const SiteDoc *d, const SiteEpisode *e, const char *name)
{
    if (d->solo != e) {
        sobre_buf_printf(b, "%sepisodes/", root_of(d));
        sobre_buf_put_html(b, e->slug);
        sobre_buf_puts(b, "/");
    }
    sobre_buf_put_html(b, name);
}

/* Where an episode is read: its article on an index page, or its own page. */
static void put_episode_link(SobreBuf *b, const SiteDoc *d, const SiteEpisode *e, int own_page)
{
    char page[32];
    if (own_page) {
        sobre_buf_puts(b, d->solo ? "../" : "episodes/");
        sobre_buf_put_html(b, e->slug);
        sobre_buf_puts(b, "/index.html");
        return;
    }
    site_page_name(e->page, page, sizeof(page));
    if (d->solo || e->page != d->cur_page)
        sobre_buf_printf(b, "%s%s", root_of(d), page);
    sobre_buf_puts(b, "#e-");
    sobre_buf_put_html(b, e->slug);
}

static void rend_label(const SiteRend *sr, char *out, size_t size)
{
    if (sr->r->label[0])
        snprintf(out, size, "%s", sr->r->label);
    else if (sr->r->video.height > 0)
        snprintf(out, size, "%dp", sr->r->video.height);
    else
        snprintf(out, size, "%s", sr->r->id);
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

/* The fields of sobre.js's template: label, size, then total, use and Wh on the small
 * and the large screen's format. '|' separates them, so a label cannot add one. */
static void put_fields(SobreBuf *b, const SiteDoc *d, const SiteRend *sr)
{
    SobreBuf tmp;
    char label[128];
    rend_label(sr, label, sizeof(label));
    for (char *p = label; *p; p++)
        if (*p == '|')
            *p = '/';
    sobre_buf_init(&tmp);
    sobre_buf_printf(&tmp, "%s|", label);
    site_put_size(&tmp, d->t, sr->bytes);
    for (int f = 0; sr->fp[SITE_FMT_SMALL].ok && f < SITE_FMTS; f++) {
        const SobreFootprintView *v = &sr->fp[f].v;
        sobre_buf_puts(&tmp, "|");
        site_put_num(&tmp, d->t, v->gco2e + v->embodied);
        sobre_buf_puts(&tmp, "|");
        site_put_num(&tmp, d->t, v->gco2e);
        sobre_buf_puts(&tmp, "|");
        site_put_num(&tmp, d->t, v->wh);
    }
    sobre_buf_put_html(b, sobre_buf_str(&tmp));
    b->oom |= tmp.oom;
    sobre_buf_free(&tmp);
}

/* The template of sobre.js, expanded here the same way for the page as written. */
static void put_figure(SobreBuf *b, const SiteDoc *d, const SiteRend *sr, int f)
{
    const char *t = sr->fp[f].ok ? d->t->fig_long : d->t->fig_plain;
    const SobreFootprintView *v = &sr->fp[f].v;
    char label[128];
    rend_label(sr, label, sizeof(label));
    for (; *t; t++) {
        if (t[0] != '{' || !t[1] || t[2] != '}') {
            sobre_buf_putn(b, t, 1);
            continue;
        }
        switch (t[1]) {
        case 'l':
            sobre_buf_put_html(b, label);
            break;
        case 's':
            site_put_size(b, d->t, sr->bytes);
            break;
        case 'g':
            site_put_num(b, d->t, v->gco2e + v->embodied);
            break;
        case 'o':
            site_put_num(b, d->t, v->gco2e);
            break;
        default:
            site_put_num(b, d->t, v->wh);
            break;
        }
        t += 2;
    }
}

static void put_prefix(SobreBuf *b, const SiteDoc *d, const SiteEpisode *e, int f)
{
    double dur = e->report->source.duration_s > 0 ? e->report->source.duration_s
                                                  : e->rend[e->shown[f]].r->duration_s;
    sobre_buf_printf(b, "%s ", d->t->duration);
    site_put_duration(b, dur);
    sobre_buf_puts(b, " · ");
    if (e->rend[e->shown[f]].fp[f].ok)
        sobre_buf_printf(b, d->t->on_format, d->t->device[d->device[f]],
                         d->t->network[d->network[f]]);
    else
        sobre_buf_puts(b, d->t->screen[f]);
}

/* "What you are watching": one line per screen size, CSS shows the one that applies (as
 * the <source> media queries choose the file); sobre.js rewrites it for the file
 * actually played. */
static void put_meta(SobreBuf *b, const SiteDoc *d, const SiteEpisode *e)
{
    for (int f = 0; f < SITE_FMTS; f++) {
        SobreBuf prefix;
        sobre_buf_init(&prefix);
        put_prefix(&prefix, d, e, f);
        sobre_buf_printf(b, "<p class=\"meta w %s\" data-p=\"", f == SITE_FMT_SMALL ? "s" : "l");
        sobre_buf_put_html(b, sobre_buf_str(&prefix));
        sobre_buf_puts(b, "\">");
        sobre_buf_puts(b, sobre_buf_str(&prefix)); /* built from escaped parts */
        put_figure(b, d, &e->rend[e->shown[f]], f);
        sobre_buf_puts(b, "</p>\n");
        b->oom |= prefix.oom;
        sobre_buf_free(&prefix);
    }
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
    const SiteRend *big = video ? &e->rend[e->shown[SITE_FMT_LARGE]] : NULL;
    if (rep->poster.present && rep->poster.width > 0 && rep->poster.height > 0)
        w = rep->poster.width, h = rep->poster.height;
    else if (big && big->r->video.width > 0)
        w = big->r->video.width, h = big->r->video.height;
    sobre_buf_printf(b, "<%s controls preload=\"none\"", video ? "video" : "audio");
    if (video && e->poster[0]) {
        sobre_buf_puts(b, " poster=\"");
        put_url(b, d, e, e->poster);
        sobre_buf_puts(b, "\"");
    }
    if (video)
        sobre_buf_printf(b, " width=\"%d\" height=\"%d\"", w, h);
    sobre_buf_puts(b, ">\n");
    for (int k = 0; k < (video ? e->nb_sources : 1); k++) {
        const SiteRend *sr = &e->rend[video ? e->sources[k] : e->audio];
        sobre_buf_puts(b, "<source src=\"");
        put_url(b, d, e, sr->name);
        sobre_buf_puts(b, "\" type=\"");
        sobre_buf_put_html(b, sr->r->mime);
        sobre_buf_puts(b, "\"");
        /* Small screens skip AV1 (its rung is large) and take the light rung; larger
         * ones skip the light rung only when a standard one follows (never for H.264).
         * site_model.c's pick_shown() follows the same rules. */
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
        put_url(b, d, e, e->caps[i].name);
        sobre_buf_puts(b, "\" srclang=\"");
        sobre_buf_put_html(b, e->caps[i].c->lang);
        sobre_buf_puts(b, "\" label=\"");
        sobre_buf_put_html(b, e->caps[i].c->label[0] ? e->caps[i].c->label : d->t->captions);
        sobre_buf_puts(b, "\">\n");
    }
    sobre_buf_printf(b, "</%s>\n", video ? "video" : "audio");
}

/* One file: a link with its size and format (data-fp before href: sobre.js reads it),
 * then its footprint on the comparison format the paragraph states. */
static void put_link(SobreBuf *b, const SiteDoc *d, const SiteEpisode *e, const SiteRend *sr,
                     int listen)
{
    const SobreFootprintView *v = &sr->fp[SITE_FMT_SMALL].v;
    char label[128];
    sobre_buf_printf(b, "<a%s data-fp=\"", listen ? " class=\"listen\"" : "");
    put_fields(b, d, sr);
    sobre_buf_puts(b, "\" href=\"");
    put_url(b, d, e, sr->name);
    sobre_buf_puts(b, "\" type=\"");
    sobre_buf_put_html(b, sr->r->mime);
    sobre_buf_printf(b, "\" data-role=\"%s\">", sr->r->role);
    rend_label(sr, label, sizeof(label));
    if (listen)
        sobre_buf_puts(b, d->t->listen);
    else
        sobre_buf_put_html(b, label);
    sobre_buf_puts(b, " — ");
    put_format(b, d->t, sr);
    if (sr->role == SITE_ROLE_HIGH)
        sobre_buf_printf(b, " (%s)", d->t->heavy);
    sobre_buf_puts(b, "</a>");
    if (sr->fp[SITE_FMT_SMALL].ok) {
        SobreBuf g, o;
        sobre_buf_init(&g);
        sobre_buf_init(&o);
        site_put_num(&g, d->t, v->gco2e + v->embodied);
        site_put_num(&o, d->t, v->gco2e);
        sobre_buf_puts(b, " ");
        sobre_buf_printf(b, d->t->fig_short, sobre_buf_str(&g), sobre_buf_str(&o));
        b->oom |= g.oom | o.oom;
        sobre_buf_free(&g);
        sobre_buf_free(&o);
    }
}

/* Every file compared on the same viewing format, said once at the start; one file a
 * line (style.css keeps the newlines: no element per line). */
static void put_files(SobreBuf *b, const SiteDoc *d, const SiteEpisode *e)
{
    static const int roles[] = {SITE_ROLE_LOW,  SITE_ROLE_SOBRE, SITE_ROLE_STANDARD,
                                SITE_ROLE_HIGH, SITE_ROLE_EXTRA, SITE_ROLE_FALLBACK,
                                SITE_ROLE_HDR};
    int any = e->audio >= 0 ? e->rend[e->audio].fp[SITE_FMT_SMALL].ok : 0;
    for (int i = 0; i < e->nb_rend; i++)
        any |= e->rend[i].fp[SITE_FMT_SMALL].ok;
    sobre_buf_puts(b, "<p class=\"files\">");
    if (any)
        sobre_buf_printf(b, d->t->files_on, d->t->device[d->device[SITE_FMT_SMALL]],
                         d->t->network[d->network[SITE_FMT_SMALL]]);
    else
        sobre_buf_puts(b, d->t->files_plain);
    if (e->audio >= 0) {
        sobre_buf_puts(b, "\n");
        put_link(b, d, e, &e->rend[e->audio], 1);
    }
    for (size_t k = 0; k < sizeof(roles) / sizeof(roles[0]); k++)
        for (int i = 0; i < e->nb_rend; i++) {
            if (e->rend[i].role != roles[k] || strcmp(e->rend[i].r->kind, "video"))
                continue;
            sobre_buf_puts(b, "\n");
            put_link(b, d, e, &e->rend[i], 0);
        }
    sobre_buf_puts(b, "</p>\n");
}

static void put_title(SobreBuf *b, const SiteEpisode *e)
{
    sobre_buf_printf(b, "%d. ", e->number);
    sobre_buf_put_html(b, e->report->title[0] ? e->report->title : e->slug);
}

static void put_episode(SobreBuf *b, const SiteDoc *d, const SiteEpisode *e)
{
    const SobreReport *rep = e->report;
    const char *h = d->solo ? "h1" : "h2";
    sobre_buf_puts(b, "<article id=\"e-");
    sobre_buf_put_html(b, e->slug);
    sobre_buf_puts(b, "\"");
    if (rep->language[0] && strcmp(rep->language, d->t->lang)) {
        sobre_buf_puts(b, " lang=\"");
        sobre_buf_put_html(b, rep->language);
        sobre_buf_puts(b, "\"");
    }
    /* On an index page the title links to the episode's own page: its permanent link. */
    sobre_buf_printf(b, ">\n<%s dir=\"auto\">", h);
    if (!d->solo) {
        sobre_buf_puts(b, "<a href=\"");
        put_episode_link(b, d, e, 1);
        sobre_buf_puts(b, "\">");
    }
    put_title(b, e);
    sobre_buf_printf(b, "%s</%s>\n", d->solo ? "" : "</a>", h);
    /* The player first: on a phone it is then in the first screen. */
    put_player(b, d, e);
    put_meta(b, d, e);
    if (rep->description[0]) {
        sobre_buf_puts(b, "<p class=\"desc\" dir=\"auto\">");
        sobre_buf_put_html(b, rep->description);
        sobre_buf_puts(b, "</p>\n");
    }
    put_files(b, d, e);
    if (e->transcript && e->transcript[0]) {
        sobre_buf_printf(b, "<details class=\"tr\"><summary>%s</summary>", d->t->transcript);
        sobre_buf_put_html(b, e->transcript);
        sobre_buf_puts(b, "</details>\n");
    }
    if (e->number < d->nb_eps) {
        const SiteEpisode *n = &d->eps[e->number];
        sobre_buf_puts(b, "<a class=\"next\" href=\"");
        put_episode_link(b, d, n, d->solo != NULL);
        sobre_buf_printf(b, "\">%s", d->t->next_episode);
        put_title(b, n);
        sobre_buf_puts(b, "</a>\n");
    }
    sobre_buf_puts(b, "</article>\n");
}

/* The definition menu: written disabled, so the page does not move when sobre.js enables
 * it; without the script it reads "automatic", which is what happens. */
static void put_chooser(SobreBuf *b, const SiteDoc *d, int page)
{
    static const int roles[] = {SITE_ROLE_LOW, SITE_ROLE_SOBRE, SITE_ROLE_STANDARD, SITE_ROLE_HIGH};
    const SiteStrings *t = d->t;
    int any = 0;
    for (int i = 0; i < d->nb_eps; i++)
        if ((d->solo ? d->solo == &d->eps[i] : d->eps[i].page == page) && d->eps[i].nb_sources)
            any = 1;
    if (!any)
        return;
    sobre_buf_printf(b,
                     "<p class=\"def\"><label for=\"def\">%s</label>\n<select id=\"def\" "
                     "disabled><option value=\"\">%s</option>",
                     t->definition, t->automatic);
    for (size_t k = 0; k < sizeof(roles) / sizeof(roles[0]); k++) {
        int maxh = 0, found = 0;
        for (int i = 0; i < d->nb_eps; i++) {
            const SiteEpisode *e = &d->eps[i];
            if (d->solo ? d->solo != e : e->page != page)
                continue;
            for (int j = 0; j < e->nb_rend; j++)
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

/* What the page loads and how its figures are made, folded: on a phone the first
 * player must stay in the first screen. The numbers are the page's measured budget. */
static void put_about(SobreBuf *b, const SiteDoc *d, const SitePageBudget *bud)
{
    const SiteStrings *t = d->t;
    SobreBuf size;
    sobre_buf_init(&size);
    site_put_size(&size, t, bud->html_bytes + d->css_bytes + d->js_bytes + bud->poster_bytes);
    sobre_buf_printf(b, "<details class=\"about\"><summary>%s</summary><p>", t->about);
    sobre_buf_printf(b, t->about_load, bud->requests, sobre_buf_str(&size));
    sobre_buf_puts(b, " ");
    if (site_has_footprint(d)) {
        sobre_buf_puts(b, t->about_fp1);
        sobre_buf_put_html(b, sobre_method_title(d->method));
        sobre_buf_puts(b, t->about_fp2);
        sobre_buf_put_html(b, sobre_factors_label(d->fp));
        sobre_buf_printf(b, "%s<a href=\"%sempreinte.html\">%s</a>.", t->about_fp3, root_of(d),
                         t->about_fp_link);
    } else {
        sobre_buf_puts(b, t->about_none);
    }
    sobre_buf_puts(b, "</p></details>\n");
    b->oom |= size.oom;
    sobre_buf_free(&size);
}

/* The series at the top: numbered, each linking to its article. */
static void put_toc(SobreBuf *b, const SiteDoc *d, int page)
{
    int first = -1, n = 0;
    for (int i = 0; i < d->nb_eps; i++)
        if (d->eps[i].page == page) {
            if (first < 0)
                first = i;
            n++;
        }
    if (n < 2)
        return;
    sobre_buf_printf(b, "<nav class=\"toc\" aria-label=\"%s\"><ol start=\"%d\">",
                     d->t->episodes_label, first + 1);
    for (int i = first; i < first + n; i++) {
        const SiteEpisode *e = &d->eps[i];
        sobre_buf_puts(b, "<li><a href=\"#e-");
        sobre_buf_put_html(b, e->slug);
        sobre_buf_puts(b, "\" dir=\"auto\">");
        sobre_buf_put_html(b, e->report->title[0] ? e->report->title : e->slug);
        sobre_buf_puts(b, "</a></li>");
    }
    sobre_buf_puts(b, "</ol></nav>\n");
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

void site_put_footer(SobreBuf *b, const SiteDoc *d, const char *root)
{
    const SiteStrings *t = d->t;
    sobre_buf_printf(b, "<footer>\n<p>%s", t->playlists);
    sobre_buf_printf(b,
                     "<a href=\"%sserie.m3u\" type=\"audio/mpegurl\">%s</a>"
                     " · <a href=\"%sserie-audio.m3u\" type=\"audio/mpegurl\">%s</a>"
                     " · <a href=\"%spodcast.xml\" type=\"application/rss+xml\">%s</a>"
                     " · <a href=\"%smanifest.json\" type=\"application/json\">%s</a>"
                     " · <a href=\"%secoconception.html\">%s</a>"
                     " · <a href=\"%sempreinte.html\">%s</a></p>\n</footer>\n",
                     root, t->m3u_video, root, t->m3u_audio, root, t->podcast, root, t->manifest,
                     root, t->declaration, root, t->footprint_page);
}

/* The episodes' posters a first visit loads (one request each). */
static void poster_budget(const SiteDoc *d, int page, const SiteEpisode *only, SitePageBudget *bud)
{
    bud->poster_bytes = 0;
    bud->requests = 3; /* the page, style.css, sobre.js */
    for (int i = 0; i < d->nb_eps; i++) {
        const SiteEpisode *e = &d->eps[i];
        if (only ? only != e : e->page != page)
            continue;
        if (e->poster[0] && e->nb_sources > 0) {
            bud->poster_bytes += e->poster_bytes;
            bud->requests++;
        }
    }
}

static void render_index(SiteDoc *d, int page, const SitePageBudget *bud, SobreBuf *b)
{
    char title[1024];
    if (d->nb_pages > 1 && page > 1) {
        char of[64];
        snprintf(of, sizeof(of), d->t->page_of, page, d->nb_pages);
        snprintf(title, sizeof(title), "%s — %s", d->title, of);
    } else {
        snprintf(title, sizeof(title), "%s", d->title);
    }
    site_put_head(b, d, title, "", 1);
    sobre_buf_printf(b, "<a class=\"skip\" href=\"#main\">%s</a>\n<header>\n<h1>", d->t->skip);
    sobre_buf_put_html(b, d->title);
    sobre_buf_puts(b, "</h1>\n");
    if (d->set && d->set->description && d->set->description[0]) {
        sobre_buf_puts(b, "<p>");
        sobre_buf_put_html(b, d->set->description);
        sobre_buf_puts(b, "</p>\n");
    }
    sobre_buf_puts(b, "</header>\n<main id=\"main\" data-w=\"");
    sobre_buf_put_html(b, site_has_footprint(d) ? d->t->fig_long : d->t->fig_plain);
    sobre_buf_printf(b, "\" data-b=\"%s\">\n", d->t->listen_back);
    put_about(b, d, bud);
    put_chooser(b, d, page);
    put_toc(b, d, page);
    for (int i = 0; i < d->nb_eps; i++)
        if (d->eps[i].page == page)
            put_episode(b, d, &d->eps[i]);
    put_pager(b, d, page);
    sobre_buf_puts(b, "</main>\n");
    site_put_footer(b, d, "");
    sobre_buf_puts(b, "</body>\n</html>\n");
}

static void render_solo(SiteDoc *d, const SiteEpisode *e, const SitePageBudget *bud, SobreBuf *b)
{
    char title[1024];
    snprintf(title, sizeof(title), "%s — %s", e->report->title[0] ? e->report->title : e->slug,
             d->title);
    site_put_head(b, d, title, "../../", 1);
    sobre_buf_printf(b, "<a class=\"skip\" href=\"#main\">%s</a>\n<header>\n<p>", d->t->skip);
    sobre_buf_puts(b, "<a href=\"");
    put_episode_link(b, d, e, 0);
    sobre_buf_printf(b, "\">%s</a> — ", d->t->back_to_series);
    sobre_buf_put_html(b, d->title);
    sobre_buf_puts(b, "</p>\n</header>\n<main id=\"main\" data-w=\"");
    sobre_buf_put_html(b, site_has_footprint(d) ? d->t->fig_long : d->t->fig_plain);
    sobre_buf_printf(b, "\" data-b=\"%s\">\n", d->t->listen_back);
    put_chooser(b, d, e->page);
    put_episode(b, d, e);
    put_about(b, d, bud);
    sobre_buf_puts(b, "</main>\n");
    site_put_footer(b, d, "../../");
    sobre_buf_puts(b, "</body>\n</html>\n");
}

/* Renders until the weight the page states of itself is the weight it has (the number
 * is rounded, so this settles in two or three passes). */
static void render_measured(SiteDoc *d, int page, const SiteEpisode *solo, SitePageBudget *bud,
                            SobreBuf *b)
{
    size_t start = b->len;
    char said[64] = "";
    poster_budget(d, page, solo, bud);
    bud->html_bytes = 0;
    for (int pass = 0; pass < 4; pass++) {
        SobreBuf now;
        b->len = start;
        if (b->data)
            b->data[start] = '\0';
        d->solo = solo;
        if (solo)
            render_solo(d, solo, bud, b);
        else
            render_index(d, page, bud, b);
        d->solo = NULL;
        sobre_buf_init(&now);
        site_put_size(&now, d->t,
                      (int64_t)(b->len - start) + d->css_bytes + d->js_bytes + bud->poster_bytes);
        int stable = !strcmp(sobre_buf_str(&now), said);
        snprintf(said, sizeof(said), "%s", sobre_buf_str(&now));
        sobre_buf_free(&now);
        bud->html_bytes = (int64_t)(b->len - start);
        if (stable || b->oom)
            break;
    }
    bud->elements = site_count_elements(b, start);
}

void site_render_page(SiteDoc *d, int page, SobreBuf *b)
{
    d->cur_page = page;
    render_measured(d, page, NULL, &d->budget[page - 1], b);
}

void site_render_episode_page(SiteDoc *d, SiteEpisode *e, SobreBuf *b)
{
    d->cur_page = 0;
    render_measured(d, e->page, e, &e->budget, b);
}
