/* ecoconception.html: the media part of an RGESN 2024 declaration, filled from what was
 * really published: one row per rendition (codecs, channels, definition, measured
 * bitrate range, encoding mode, footprint), the page budget as a limit and as measured,
 * and each criterion it cites with a status (met, not met, not applicable) decided from
 * the files and the evidence that decided it. Nothing is claimed by construction alone:
 * a criterion the files do not support is "not met", with the reason. The criteria's
 * wording sits here, beside the test that decides each one (L() picks the language). */
#include <stdio.h>
#include <string.h>

#include "site.h"

typedef struct EcoRow {
    const SiteRend *first;
    int count, fp_count;
    int64_t min_bps, max_bps;
    int min_h, max_h, min_w, max_w;
    double min_g, max_g, min_o, max_o; /* total and use per view, comparison format */
} EcoRow;

#define ECO_MAX_ROWS 64

static const char *L(const SiteDoc *d, const char *fr, const char *en)
{
    return strcmp(d->t->lang, "en") ? fr : en;
}

static void add_to_row(EcoRow *row, const SiteRend *sr)
{
    const SobreReportVideo *v = &sr->r->video;
    const SobreFootprintView *f = &sr->fp[SITE_FMT_SMALL].v;
    double g = f->gco2e + f->embodied;
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
    if (sr->fp[SITE_FMT_SMALL].ok) {
        if (!row->fp_count++) {
            row->min_g = row->max_g = g;
            row->min_o = row->max_o = f->gco2e;
        }
        row->min_g = g < row->min_g ? g : row->min_g;
        row->max_g = g > row->max_g ? g : row->max_g;
        row->min_o = f->gco2e < row->min_o ? f->gco2e : row->min_o;
        row->max_o = f->gco2e > row->max_o ? f->gco2e : row->max_o;
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

/* VBR is claimed only where report.json says how the rendition was encoded. */
static int mode_known(const SobreReportRendition *r)
{
    return strcmp(r->kind, "video") || r->video.crf >= 0 || r->video.max_kbps > 0;
}

static void put_mode(SobreBuf *b, const SiteStrings *t, const SobreReportRendition *r)
{
    if (!mode_known(r)) {
        sobre_buf_puts(b, t->eco_mode_unknown);
        return;
    }
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

static void put_range(SobreBuf *b, const SiteStrings *t, double lo, double hi)
{
    site_put_num(b, t, lo);
    if (hi > lo) {
        SobreBuf a, c;
        sobre_buf_init(&a);
        sobre_buf_init(&c);
        site_put_num(&a, t, lo);
        site_put_num(&c, t, hi);
        if (strcmp(sobre_buf_str(&a), sobre_buf_str(&c))) {
            sobre_buf_puts(b, "–");
            sobre_buf_puts(b, sobre_buf_str(&c));
        }
        sobre_buf_free(&a);
        sobre_buf_free(&c);
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
        put_range(b, t, row->min_g, row->max_g);
        sobre_buf_puts(b, " g (");
        put_range(b, t, row->min_o, row->max_o);
        sobre_buf_puts(b, " g)");
    } else {
        sobre_buf_puts(b, t->eco_fp_none);
    }
    sobre_buf_puts(b, "</td></tr>\n");
}

static void open_table(SobreBuf *b, const char *label)
{
    sobre_buf_puts(b, "<div class=\"scroll\" tabindex=\"0\" role=\"region\" aria-label=\"");
    sobre_buf_put_html(b, label);
    sobre_buf_puts(b, "\"><table>\n");
}

static int page_ok(const SitePageBudget *bud, const SiteDoc *d)
{
    return bud->requests <= SOBRE_PUBLISH_MAX_REQUESTS &&
           bud->html_bytes + d->css_bytes + d->js_bytes + bud->poster_bytes <=
               SOBRE_PUBLISH_MAX_BYTES &&
           bud->elements <= SOBRE_PUBLISH_MAX_ELEMENTS;
}

static void budget_row(SobreBuf *b, const SiteDoc *d, const char *href, const char *name,
                       const SitePageBudget *bud)
{
    sobre_buf_puts(b, "<tr><th scope=\"row\"><a href=\"");
    sobre_buf_put_html(b, href);
    sobre_buf_puts(b, "\">");
    sobre_buf_put_html(b, name);
    sobre_buf_printf(b, "</a></th><td>%d</td><td>", bud->requests);
    site_put_size(b, d->t, bud->html_bytes + d->css_bytes + d->js_bytes + bud->poster_bytes);
    sobre_buf_printf(b, "</td><td>%d</td><td>%s</td></tr>\n", bud->elements,
                     d->t->eco_status[page_ok(bud, d) ? SITE_OK : SITE_NOT_OK]);
}

static void put_budget(SobreBuf *b, const SiteDoc *d)
{
    const SiteStrings *t = d->t;
    sobre_buf_printf(b, "<h2>%s</h2>\n", t->eco_budget);
    open_table(b, t->eco_budget);
    sobre_buf_puts(b, "<tr>");
    for (int c = 0; c < 5; c++)
        sobre_buf_printf(b, "<th scope=\"col\">%s</th>", t->eco_budget_cols[c]);
    sobre_buf_printf(b, "</tr>\n<tr><th scope=\"row\">%s</th><td>%d</td><td>", t->eco_limit,
                     SOBRE_PUBLISH_MAX_REQUESTS);
    site_put_size(b, t, SOBRE_PUBLISH_MAX_BYTES);
    sobre_buf_printf(b, "</td><td>%d</td><td>—</td></tr>\n", SOBRE_PUBLISH_MAX_ELEMENTS);
    for (int p = 1; p <= d->nb_pages; p++) {
        char name[32];
        site_page_name(p, name, sizeof(name));
        budget_row(b, d, name, name, &d->budget[p - 1]);
    }
    for (int i = 0; i < d->nb_eps; i++) {
        char href[128];
        snprintf(href, sizeof(href), "episodes/%s/index.html", d->eps[i].slug);
        budget_row(b, d, href, href, &d->eps[i].budget);
    }
    sobre_buf_puts(b, "</table></div>\n");
}

/* ---- the criteria ---- */

typedef struct Facts {
    int eps, video_eps, audio_ok, files, players, high;
    int posters, webp, poster_min_w, poster_max_w;
    int64_t poster_min, poster_max;
    int light_ok;        /* video episodes with a light rung <= 480p */
    int64_t light_worst; /* highest, over episodes, of an episode's lightest video bitrate */
    int big_inefficient; /* >= 720p renditions neither VP9, AV1 nor HEVC (fallback aside) */
    int mode_unknown;    /* video renditions whose encoding mode report.json omits */
    int audio_files, audio_bad;
    int pages_ok, pages;
    int max_requests, max_elements;
    int64_t max_bytes;
} Facts;

static int efficient_video(const char *c)
{
    return !strcmp(c, "vp9") || !strcmp(c, "av1") || !strcmp(c, "hevc");
}

static int efficient_audio(const char *c)
{
    return !strcmp(c, "opus") || !strcmp(c, "aac");
}

static void page_fact(Facts *f, const SiteDoc *d, const SitePageBudget *bud)
{
    int64_t bytes = bud->html_bytes + d->css_bytes + d->js_bytes + bud->poster_bytes;
    f->pages++;
    f->pages_ok += page_ok(bud, d);
    f->max_requests = bud->requests > f->max_requests ? bud->requests : f->max_requests;
    f->max_elements = bud->elements > f->max_elements ? bud->elements : f->max_elements;
    f->max_bytes = bytes > f->max_bytes ? bytes : f->max_bytes;
}

static void episode_facts(Facts *f, const SiteEpisode *e)
{
    int64_t lightest = -1;
    int light = 0;
    f->players++;
    f->files += e->nb_rend;
    if (e->nb_sources) {
        f->video_eps++;
        f->audio_ok += e->audio >= 0;
    }
    if (e->poster[0] && e->nb_sources) {
        int w = e->report->poster.width;
        f->webp += e->poster_webp;
        if (!f->posters++ || e->poster_bytes < f->poster_min)
            f->poster_min = e->poster_bytes;
        f->poster_max = e->poster_bytes > f->poster_max ? e->poster_bytes : f->poster_max;
        if (f->posters == 1 || w < f->poster_min_w)
            f->poster_min_w = w;
        f->poster_max_w = w > f->poster_max_w ? w : f->poster_max_w;
    }
    for (int j = 0; j < e->nb_rend; j++) {
        const SiteRend *sr = &e->rend[j];
        const SobreReportRendition *r = sr->r;
        if (!strcmp(r->kind, "video")) {
            f->high += sr->role == SITE_ROLE_HIGH;
            if ((sr->role == SITE_ROLE_SOBRE || sr->role == SITE_ROLE_LOW) && r->video.height > 0 &&
                r->video.height <= 480)
                light = 1;
            if (lightest < 0 || sr->bitrate_bps < lightest)
                lightest = sr->bitrate_bps;
            if (r->video.height >= 720 && sr->role != SITE_ROLE_FALLBACK &&
                !efficient_video(r->video.codec))
                f->big_inefficient++;
            f->mode_unknown += !mode_known(r);
        }
        if (r->audio.codec[0]) {
            f->audio_files++;
            f->audio_bad += !efficient_audio(r->audio.codec);
        }
    }
    if (e->nb_sources) {
        f->light_ok += light;
        f->light_worst = lightest > f->light_worst ? lightest : f->light_worst;
    }
}

static void gather(const SiteDoc *d, Facts *f)
{
    memset(f, 0, sizeof(*f));
    f->eps = d->nb_eps;
    for (int i = 0; i < d->nb_eps; i++) {
        episode_facts(f, &d->eps[i]);
        page_fact(f, d, &d->eps[i].budget);
    }
    for (int p = 0; p < d->nb_pages; p++)
        page_fact(f, d, &d->budget[p]);
}

static void crit(SobreBuf *b, const SiteDoc *d, const char *id, const char *title, int status,
                 const SobreBuf *why)
{
    static const char *const cls[] = {"ok", "ko", "na"};
    sobre_buf_printf(b, "<tr><th scope=\"row\">%s %s</th><td class=\"%s\">%s</td><td>", id, title,
                     cls[status], d->t->eco_status[status]);
    sobre_buf_puts(b, sobre_buf_str(why)); /* built from constants and numbers */
    sobre_buf_puts(b, "</td></tr>\n");
}

static void crit_ux(SobreBuf *b, const SiteDoc *d, const Facts *f, SobreBuf *w)
{
    sobre_buf_reset(w);
    sobre_buf_printf(w,
                     L(d,
                       "%d lecteur(s), tous avec preload=\"none\" et sans autoplay ; sobre.js ne "
                       "lance une lecture qu'après un clic.",
                       "%d player(s), all with preload=\"none\" and no autoplay; sobre.js starts "
                       "playing only after a click."),
                     f->players);
    crit(b, d, "4.1", L(d, "Lecture automatique désactivée", "No autoplay"), SITE_OK, w);
    sobre_buf_reset(w);
    sobre_buf_printf(
        w,
        L(d,
          "Pagination : %d épisode(s) par page au plus, %d page(s), aucun chargement au "
          "défilement.",
          "Pagination: at most %d episode(s) per page, %d page(s), nothing loads on scrolling."),
        d->per_page, d->nb_pages);
    crit(b, d, "4.2", L(d, "Pas de défilement infini", "No infinite scroll"), SITE_OK, w);
    sobre_buf_reset(w);
    sobre_buf_puts(w, L(d,
                        "Lecteur &lt;video controls&gt; du navigateur, &lt;details&gt; et "
                        "&lt;select&gt; natifs ; aucun composant JavaScript.",
                        "The browser's &lt;video controls&gt; player, native &lt;details&gt; and "
                        "&lt;select&gt;; no JavaScript component."));
    crit(b, d, "4.5", L(d, "Composants natifs", "Native components"), SITE_OK, w);
    sobre_buf_reset(w);
    sobre_buf_puts(w, L(d, "Aucune police téléchargée : polices du système (style.css).",
                        "No downloaded font: system fonts (style.css)."));
    crit(b, d, "4.8", L(d, "Polices téléchargées limitées", "Few downloaded fonts"), SITE_OK, w);
    sobre_buf_reset(w);
    sobre_buf_printf(
        w,
        L(d,
          "Poids et format affichés à côté de chacun des %d fichiers publiés, avant tout "
          "transfert.",
          "Size and format shown beside each of the %d published files, before any transfer."),
        f->files);
    crit(b, d, "4.11",
         L(d, "Poids et format avant le transfert", "Size and format before transfer"), SITE_OK, w);
    sobre_buf_reset(w);
    if (f->high)
        sobre_buf_printf(
            w,
            L(d,
              "%d fichier(s) haute définition marqué(s) « lourd », jamais choisi(s) "
              "automatiquement. ",
              "%d high-definition file(s) flagged \"heavy\", never chosen automatically. "),
            f->high);
    else
        sobre_buf_puts(w,
                       L(d, "Aucune haute définition publiée. ", "No high definition published. "));
    sobre_buf_puts(w, site_has_footprint(d)
                          ? L(d, "Empreinte par vue affichée pour chaque fichier.",
                              "Footprint per view shown for every file.")
                          : L(d, "Aucune empreinte affichée (pas de facteurs).",
                              "No footprint shown (no factors)."));
    crit(b, d, "4.12", L(d, "Fonctionnalités à fort impact signalées", "Heavy features flagged"),
         SITE_OK, w); /* flagged, or none published: both validate the criterion */
    sobre_buf_reset(w);
    if (site_has_footprint(d))
        sobre_buf_puts(w, L(d,
                            "Empreinte par vue de chaque fichier et de ce qui est regardé ; mode "
                            "sobre : menu « Définition » mémorisé, rendu léger par défaut sur les "
                            "écrans ≤ 700 px, « Écouter seulement ». Gains : voir empreinte.html.",
                            "Footprint per view of every file and of what is watched; sober mode: "
                            "the remembered \"Definition\" menu, the light rendition by default on "
                            "screens up to 700 px, \"Listen only\". Savings: see empreinte.html."));
    else
        sobre_buf_puts(
            w,
            L(d,
              "Aucune information d'empreinte affichée : sobre publish n'a pas reçu de facteurs.",
              "No footprint information shown: sobre publish was given no factors."));
    crit(b, d, "4.15",
         L(d, "Moyen de suivre et réduire l'impact", "Means to follow and reduce the impact"),
         site_has_footprint(d) && f->light_ok ? SITE_OK : SITE_NOT_OK, w);
}

static void crit_images(SobreBuf *b, const SiteDoc *d, const Facts *f, SobreBuf *w)
{
    SobreBuf lo, hi;
    sobre_buf_init(&lo);
    sobre_buf_init(&hi);
    site_put_size(&lo, d->t, f->poster_min);
    site_put_size(&hi, d->t, f->poster_max);
    sobre_buf_reset(w);
    if (f->posters)
        sobre_buf_printf(
            w, L(d, "%d affiche(s) sur %d au format WebP.", "%d of %d poster(s) in WebP."), f->webp,
            f->posters);
    else
        sobre_buf_puts(w, L(d, "Aucune affiche publiée.", "No poster published."));
    crit(b, d, "5.1", L(d, "Format des images", "Image format"),
         !f->posters ? SITE_NA : (f->webp * 4 > f->posters * 3 ? SITE_OK : SITE_NOT_OK), w);
    sobre_buf_reset(w);
    if (f->posters)
        sobre_buf_printf(w,
                         L(d,
                           "Affiches de %s à %s, une seule résolution ; qualité choisie par sobre "
                           "encode pour rester sous 15 ko.",
                           "Posters of %s to %s, one resolution; quality chosen by sobre encode to "
                           "stay under 15 kB."),
                         sobre_buf_str(&lo), sobre_buf_str(&hi));
    else
        sobre_buf_puts(w, L(d, "Aucune affiche publiée.", "No poster published."));
    crit(b, d, "5.2", L(d, "Compression des images", "Image compression"),
         !f->posters ? SITE_NA : (f->poster_max <= 15000 ? SITE_OK : SITE_NOT_OK), w);
    b->oom |= lo.oom | hi.oom;
    sobre_buf_free(&lo);
    sobre_buf_free(&hi);
}

static void crit_bandwidth(SobreBuf *b, const SiteDoc *d, const Facts *f, SobreBuf *w)
{
    sobre_buf_reset(w);
    sobre_buf_printf(w,
                     L(d,
                       "Rendu le plus léger de chaque épisode : %lld kbit/s au plus (mesuré sur "
                       "les fichiers) ; audio seul proposé.",
                       "Lightest rendition of each episode: %lld kbit/s at most (measured on the "
                       "files); audio only offered."),
                     (long long)((f->light_worst + 500) / 1000));
    crit(b, d, "2.3",
         L(d, "Utilisable en bas débit (512 kbit/s)", "Usable on a slow link (512 kbit/s)"),
         !f->video_eps ? SITE_NA : (f->light_worst <= 512000 ? SITE_OK : SITE_NOT_OK), w);
}

static void crit_media(SobreBuf *b, const SiteDoc *d, const Facts *f, SobreBuf *w)
{
    sobre_buf_reset(w);
    sobre_buf_printf(w,
                     L(d,
                       "%d épisode(s) vidéo sur %d avec un rendu léger ≤ 480p, servi aux écrans ≤ "
                       "700 px ; standard au-delà, haute définition sur demande ; choix mémorisé "
                       "(menu « Définition »). Détail : tableau des rendus.",
                       "%d of %d video episode(s) with a light rendition up to 480p, served to "
                       "screens up to 700 px; standard above, high definition on demand; choice "
                       "remembered (\"Definition\" menu). Detail: the renditions table."),
                     f->light_ok, f->video_eps);
    crit(b, d, "5.3", L(d, "Définition adaptée", "Definition fitted to the device"),
         !f->video_eps ? SITE_NA : (f->light_ok == f->video_eps ? SITE_OK : SITE_NOT_OK), w);
    sobre_buf_reset(w);
    sobre_buf_printf(
        w,
        L(d,
          "Rendus ≥ 720p hors VP9, AV1 ou HEVC : %d (H.264 seulement en secours) ; rendus sans "
          "mode d'encodage connu : %d ; codecs et modes : tableau des rendus.",
          "Renditions of 720p or more in neither VP9, AV1 nor HEVC: %d (H.264 only as a fallback); "
          "renditions whose encoding mode is unknown: %d; codecs and modes: the renditions table."),
        f->big_inefficient, f->mode_unknown);
    crit(b, d, "5.4", L(d, "Compression vidéo efficace", "Efficient video compression"),
         !f->video_eps ? SITE_NA
                       : (!f->big_inefficient && !f->mode_unknown ? SITE_OK : SITE_NOT_OK),
         w);
    sobre_buf_reset(w);
    sobre_buf_printf(
        w,
        L(d,
          "%d épisode(s) vidéo sur %d ont un fichier audio seul. « Écouter seulement », sous "
          "chaque vidéo, fait passer le lecteur sur ce fichier au même instant, sous-titres et "
          "transcription gardés, puis revenir à la vidéo ; la page masquée, sobre.js passe à "
          "l'audio seul ; sans JavaScript, le lien ouvre le fichier audio.",
          "%d of %d video episode(s) have an audio-only file. \"Listen only\", under each video, "
          "switches the player to it at the same time, captions and transcript kept, then back to "
          "the video; when the page is hidden, sobre.js switches to audio only; without JavaScript "
          "the link opens the audio file."),
        f->audio_ok, f->video_eps);
    crit(b, d, "5.5", L(d, "Mode « écoute seule »", "\"Listen only\" mode"),
         !f->video_eps ? SITE_NA : (f->audio_ok == f->video_eps ? SITE_OK : SITE_NOT_OK), w);
    sobre_buf_reset(w);
    sobre_buf_printf(w,
                     L(d,
                       "%d fichier(s) avec du son, %d dans un codec autre qu'Opus ou AAC ; débit "
                       "et canaux : tableau des rendus.",
                       "%d file(s) with sound, %d in a codec other than Opus or AAC; bitrate and "
                       "channels: the renditions table."),
                     f->audio_files, f->audio_bad);
    crit(b, d, "5.6", L(d, "Compression audio adaptée", "Fitting audio compression"),
         !f->audio_files ? SITE_NA : (!f->audio_bad ? SITE_OK : SITE_NOT_OK), w);
    sobre_buf_reset(w);
    sobre_buf_puts(w, L(d,
                        "Aucun document (PDF, bureautique) publié ; sous-titres et transcriptions "
                        "sont du texte (WebVTT, HTML).",
                        "No document (PDF, office) published; captions and transcripts are text "
                        "(WebVTT, HTML)."));
    crit(b, d, "5.7", L(d, "Format des documents", "Document format"), SITE_NA, w);
}

/* 6.4 wants fluid images in several sizes: a poster has one. Said, not hidden. */
static void crit_image_size(SobreBuf *b, const SiteDoc *d, const Facts *f, SobreBuf *w)
{
    char widths[32];
    if (f->poster_min_w == f->poster_max_w)
        snprintf(widths, sizeof(widths), "%d", f->poster_max_w);
    else
        snprintf(widths, sizeof(widths), "%d–%d", f->poster_min_w, f->poster_max_w);
    sobre_buf_reset(w);
    if (f->posters)
        sobre_buf_printf(
            w,
            L(d,
              "Affiches de %s px de large, affichées à leur taille sur les écrans assez "
              "larges (lecteur limité à cette largeur) ; réduites sur les écrans plus étroits, "
              "faute de variante plus petite (l'attribut poster n'en accepte qu'une).",
              "Posters %s px wide, shown at their size on screens wide enough (the player is "
              "capped at that width); scaled down on narrower screens, with no smaller variant "
              "(the poster attribute takes only one)."),
            widths);
    else
        sobre_buf_puts(w, L(d, "Aucune affiche publiée.", "No poster published."));
    crit(b, d, "6.4", L(d, "Images aux dimensions d'affichage", "Images at their display size"),
         f->posters ? SITE_NOT_OK : SITE_NA, w);
}

static void crit_front(SobreBuf *b, const SiteDoc *d, const Facts *f, SobreBuf *w)
{
    SobreBuf lim, max;
    sobre_buf_init(&lim);
    sobre_buf_init(&max);
    site_put_size(&lim, d->t, SOBRE_PUBLISH_MAX_BYTES);
    site_put_size(&max, d->t, f->max_bytes);
    sobre_buf_reset(w);
    sobre_buf_printf(
        w,
        L(d,
          "Limite par page vidéo, avant un clic : %d requêtes, %s, %d éléments HTML. Mesuré (la "
          "plus lourde des %d pages) : %d requêtes, %s, %d éléments ; %d page(s) dans la limite.",
          "Limit per video page, before a click: %d requests, %s, %d HTML elements. Measured (the "
          "heaviest of %d pages): %d requests, %s, %d elements; %d page(s) within the limit."),
        SOBRE_PUBLISH_MAX_REQUESTS, sobre_buf_str(&lim), SOBRE_PUBLISH_MAX_ELEMENTS, f->pages,
        f->max_requests, sobre_buf_str(&max), f->max_elements, f->pages_ok);
    crit(b, d, "6.1",
         L(d, "Poids et requêtes maximum par écran", "Maximum weight and requests per screen"),
         f->pages_ok == f->pages ? SITE_OK : SITE_NOT_OK, w);
    crit_image_size(b, d, f, w);
    sobre_buf_reset(w);
    sobre_buf_printf(w,
                     L(d,
                       "Avant un clic : la page, style.css, sobre.js (%lld o) et les affiches ; ni "
                       "vidéo, ni son, ni sous-titres avant la lecture.",
                       "Before a click: the page, style.css, sobre.js (%lld B) and the posters; no "
                       "video, sound or captions before playing."),
                     (long long)d->js_bytes);
    crit(b, d, "6.5", L(d, "Pas de ressource chargée inutilement", "No resource loaded needlessly"),
         SITE_OK, w);
    b->oom |= lim.oom | max.oom;
    sobre_buf_free(&lim);
    sobre_buf_free(&max);
}

static void put_criteria(SobreBuf *b, const SiteDoc *d)
{
    const SiteStrings *t = d->t;
    Facts f;
    SobreBuf w;
    gather(d, &f);
    sobre_buf_init(&w);
    sobre_buf_printf(b, "<h2>%s</h2>\n", t->eco_criteria);
    open_table(b, t->eco_criteria);
    sobre_buf_printf(b,
                     "<tr><th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s"
                     "</th></tr>\n",
                     t->eco_crit_cols[0], t->eco_crit_cols[1], t->eco_crit_cols[2]);
    /* in the order of the referential */
    crit_bandwidth(b, d, &f, &w);
    crit_ux(b, d, &f, &w);
    crit_images(b, d, &f, &w);
    crit_media(b, d, &f, &w);
    crit_front(b, d, &f, &w);
    sobre_buf_puts(b, "</table></div>\n");
    b->oom |= w.oom;
    sobre_buf_free(&w);
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
    site_put_head(b, d, t->eco_title, "", 0);
    sobre_buf_printf(b, "<main id=\"main\">\n<h1>%s</h1>\n<p>", t->eco_title);
    sobre_buf_printf(b, t->eco_intro, sobre_version(), d->date);
    sobre_buf_puts(b, "</p>\n");
    put_summary(b, d);
    sobre_buf_printf(b, "<h2>%s</h2>\n", t->eco_media);
    open_table(b, t->eco_media);
    sobre_buf_puts(b, "<tr>");
    for (int c = 0; c < 7; c++)
        sobre_buf_printf(b, "<th scope=\"col\">%s</th>", t->eco_cols[c]);
    sobre_buf_puts(b, "</tr>\n");
    for (int r = 0; r < n; r++)
        put_row(b, d, &rows[r]);
    sobre_buf_puts(b, "</table></div>\n");
    if (site_has_footprint(d)) {
        sobre_buf_puts(b, "<p>");
        sobre_buf_printf(b, t->eco_fp_note, t->device[d->device[SITE_FMT_SMALL]],
                         t->network[d->network[SITE_FMT_SMALL]]);
        sobre_buf_printf(b, "<a href=\"empreinte.html\">empreinte.html</a>.</p>\n");
    }
    put_criteria(b, d);
    put_budget(b, d);
    sobre_buf_puts(b, "</main>\n");
    site_put_footer(b, d, "");
    sobre_buf_puts(b, "</body>\n</html>\n");
}
