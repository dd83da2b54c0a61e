/* The pure site generator: hostile titles inert in every output, <source> order,
 * pagination, the series (numbers, list, next episode, own pages), the footprint
 * computed from the factors on stated viewing formats or absent, the honest RGESN
 * statuses, the footprint page, French and English strings, number formats. Episodes are
 * built from report JSON in memory; only the factors file is read. */
#include <jansson.h>
#include <stdlib.h>

#include "site.h"
#include "t.h"

#define HOSTILE                                                                                    \
    "<script>alert(\"x\")</script> ' ../../etc/passwd 🎬 \xE2\x80\xAEעברית\n#EXTINF:1,evil"

static json_t *rendition(const char *id, const char *role, const char *kind, const char *mime)
{
    json_t *r = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:i,s:f,s:i}", "id", id, "label", id,
                          "kind", kind, "role", role, "file", id, "container", "webm", "mime", mime,
                          "bytes", 125000, "duration_s", 10.0, "bitrate_bps", 100000);
    if (!strcmp(kind, "video"))
        json_object_set_new(r, "video",
                            json_pack("{s:s,s:i,s:i,s:i,s:i}", "codec", "vp9", "width", 640,
                                      "height", 360, "crf", 38, "max_kbps", 450));
    json_object_set_new(r, "audio", json_pack("{s:s,s:i}", "codec", "opus", "channels", 1));
    return r;
}

static int without_standard; /* make_report() leaves out the standard rung */
static int with_hdr;         /* make_report() adds the HDR rendition of hdr: keep */

/* A report whose renditions come in a scrambled order; title/description untrusted.
 * An old "footprint" section is there to show that publish no longer reads it. */
static SobreReport *make_report(const char *title, const char *desc)
{
    json_t *root = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s}", "schema", SOBRE_REPORT_SCHEMA,
                             "sobre_version", "0.1.0", "title", title, "description", desc,
                             "language", "fr", "created", "2026-11-28T21:40:00Z");
    json_t *rends = json_array();
    SobreReport *rep = NULL;
    SobreError err = {0};
    json_object_set_new(
        root, "source",
        json_pack("{s:s,s:i,s:f}", "file", "m.mp4", "bytes", 1, "duration_s", 10.0));
    json_object_set_new(root, "poster",
                        json_pack("{s:s,s:i,s:i,s:i}", "file", "poster.webp", "width", 640,
                                  "height", 360, "bytes", 9000));
    json_object_set_new(root, "captions",
                        json_pack("[{s:s,s:s,s:s}]", "file", "captions.vtt", "lang", "fr", "label",
                                  "<b>\"c\"</b>"));
    json_array_append_new(rends, rendition("h264.mp4", "fallback", "video",
                                           "video/mp4; codecs=\"avc1.4D401E, mp4a.40.2\""));
    if (!without_standard)
        json_array_append_new(rends, rendition("vp9-720p.webm", "standard", "video",
                                               "video/webm; codecs=\"vp09.00.31.08, opus\""));
    json_array_append_new(rends,
                          rendition("audio.webm", "audio", "audio", "audio/webm; codecs=\"opus\""));
    json_array_append_new(rends, rendition("vp9-1080p.webm", "high", "video",
                                           "video/webm; codecs=\"vp09.00.40.08, opus\""));
    json_array_append_new(rends, rendition("av1-720p.webm", "extra", "video",
                                           "video/webm; codecs=\"av01.0.05M.08, opus\""));
    json_array_append_new(rends, rendition("vp9-360p.webm", "sobre", "video",
                                           "video/webm; codecs=\"vp09.00.21.08, opus\""));
    json_array_append_new(rends, rendition("vp9-240p.webm", "low", "video",
                                           "video/webm; codecs=\"vp09.00.20.08, opus\""));
    if (with_hdr)
        json_array_append_new(
            rends, rendition("vp9-720p-hdr.webm", "hdr", "video",
                             "video/webm; codecs=\"vp09.02.31.10.01.09.18.09.00, opus\""));
    json_object_set_new(root, "renditions", rends);
    json_object_set_new(root, "footprint",
                        json_pack("{s:s,s:s,s:{s:{s:f,s:f,s:s}}}", "method", "<i>ademe</i>",
                                  "factors", "fr-2024", "renditions", "vp9-360p.webm",
                                  "wh_per_view", 0.0049, "gco2e_per_view", 0.25, "device",
                                  "smartphone"));
    char *text = json_dumps(root, 0);
    json_decref(root);
    int ret = sobre_report_parse(&rep, "test.json", text, strlen(text), &err);
    T_CHECK(ret == 0, "report parse: %s", err.detail);
    free(text);
    return rep;
}

typedef struct Site {
    SobrePublishSettings set;
    SiteDoc doc;
} Site;

static SobreFactors *factors; /* presets/factors/fr-2024.yaml */

static void load_factors(void)
{
    const char *src = getenv("SOBRE_SRC");
    char path[4096];
    SobreError err = {0};
    snprintf(path, sizeof(path), "%s/presets/factors/fr-2024.yaml", src ? src : ".");
    T_EQ_INT(sobre_factors_load(&factors, path, &err), 0);
}

static void site_open(Site *s, const char *lang, int nb, int per_page, int footprint,
                      const char *title)
{
    SobreError err = {0};
    sobre_publish_default_settings(&s->set);
    s->set.lang = lang;
    s->set.title = title;
    s->set.description = title;
    s->set.per_page = per_page;
    memset(&s->doc, 0, sizeof(s->doc));
    s->doc.set = &s->set;
    s->doc.t = site_strings(lang);
    s->doc.title = title;
    s->doc.per_page = per_page;
    s->doc.fp = footprint ? factors : NULL;
    s->doc.method = SOBRE_METHOD_ADEME;
    snprintf(s->doc.date, sizeof(s->doc.date), "2026-12-07");
    s->doc.eps = calloc((size_t)nb, sizeof(SiteEpisode));
    for (int i = 0; i < nb; i++) {
        char t[64];
        snprintf(t, sizeof(t), "Épisode %d", i + 1);
        T_EQ_INT(site_episode_init(&s->doc.eps[i], make_report(nb == 1 ? title : t, title),
                                   "/tmp/ep", &err),
                 0);
        s->doc.eps[i].transcript = strdup(title);
        s->doc.nb_eps++;
    }
    T_EQ_INT(site_doc_layout(&s->doc, &err), 0);
}

static void site_close(Site *s)
{
    for (int i = 0; i < s->doc.nb_eps; i++)
        site_episode_clear(&s->doc.eps[i]);
    free(s->doc.eps);
    free(s->doc.budget);
}

static char *render(Site *s, int what)
{
    SobreBuf b;
    SobreError err = {0};
    sobre_buf_init(&b);
    switch (what) {
    case 0:
        site_render_page(&s->doc, 1, &b);
        break;
    case 1:
        site_render_m3u(&s->doc, 0, &b);
        break;
    case 2:
        site_render_rss(&s->doc, &b);
        break;
    case 3:
        site_render_manifest(&s->doc, &b, &err);
        break;
    case 4:
        site_render_eco(&s->doc, &b);
        break;
    case 5:
        site_render_footprint(&s->doc, &b);
        break;
    default:
        site_render_episode_page(&s->doc, &s->doc.eps[0], &b);
        break;
    }
    T_CHECK(!b.oom && b.len > 0, "render %d", what);
    return b.data;
}

static void test_hostile_everywhere(void)
{
    Site s;
    site_open(&s, "fr", 1, 12, 0, HOSTILE);
    for (int what = 0; what < 7; what++) {
        char *out = render(&s, what);
        /* HTML and XML outputs: markup escaped; M3U and JSON carry the text as data. */
        int markup = what != 1 && what != 3;
        T_CHECK(!markup || !strstr(out, "<script>"), "raw <script> in output %d", what);
        T_CHECK(!markup || !strstr(out, "alert(\"x\")"), "raw quote in %d", what);
        if (markup && what != 6) /* the episode's own page links to ../../style.css */
            T_CHECK(!strstr(out, "../../etc/passwd\"") && !strstr(out, "\"../"), "path in %d",
                    what);
        if (what == 6)
            T_CHECK(!strstr(out, "../../etc/passwd\""), "path in the episode page");
        if (what == 0) {
            T_CONTAINS(out, "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &#39;");
            T_CONTAINS(out, "🎬");
            T_CONTAINS(out, "<h2 dir=\"auto\">");
            T_CONTAINS(out, "label=\"&lt;b&gt;&quot;c&quot;&lt;/b&gt;\""); /* caption label */
            /* the slug is the only name taken from the title: it cannot escape */
            T_CONTAINS(out, "episodes/script-alert-x-script-etc-passwd");
        }
        if (what == 1) { /* M3U: the newline cannot forge a new #EXTINF line */
            T_CONTAINS(out, "#EXTINF:10,<script>");
            T_CHECK(!strstr(out, "\n#EXTINF:1,evil"), "m3u line forged: %s", out);
        }
        if (what == 3) { /* JSON: round-trips exactly */
            json_t *root = json_loads(out, 0, NULL);
            json_t *ep = json_array_get(json_object_get(root, "episodes"), 0);
            T_CHECK(root != NULL, "manifest does not parse");
            T_EQ_STR(json_string_value(json_object_get(ep, "title")), HOSTILE);
            json_decref(root);
        }
        free(out);
    }
    site_close(&s);
}

static void test_source_order(void)
{
    Site s;
    site_open(&s, "fr", 1, 12, 0, "Ordre");
    char *out = render(&s, 0);
    static const char *const order[] = {"av1-720p.webm", "vp9-360p.webm", "vp9-720p.webm",
                                        "h264.mp4"};
    const char *p = out;
    for (size_t i = 0; i < 4; i++) {
        char needle[96];
        snprintf(needle, sizeof(needle), "<source src=\"episodes/ordre/%s\"", order[i]);
        const char *q = strstr(p, needle);
        T_CHECK(q != NULL, "source %s missing or out of order", order[i]);
        if (q)
            p = q;
    }
    T_CHECK(!strstr(out, "<source src=\"episodes/ordre/vp9-1080p"), "high must not be a source");
    T_CHECK(!strstr(out, "<source src=\"episodes/ordre/vp9-240p"), "low must not be a source");
    T_CONTAINS(out, "data-role=\"low\">vp9-240p.webm — WebM VP9 + Opus, 125 ko</a>");
    T_CONTAINS(out, "<option value=\"low\">Très léger (≤ 360p)</option>");
    T_CONTAINS(out, "vp9-1080p.webm\" type=\"video/webm; codecs=&quot;vp09.00.40.08, "
                    "opus&quot;\" data-role=\"high\">");
    T_CONTAINS(out, "(lourd)</a>");
    T_CONTAINS(out, "av1-720p.webm\" type=\"video/webm; codecs=&quot;av01.0.05M.08, opus&quot;\" "
                    "media=\"(min-width:701px)\">");
    T_CONTAINS(out, "vp9-360p.webm\" type=\"video/webm; codecs=&quot;vp09.00.21.08, opus&quot;\" "
                    "media=\"(max-width:700px)\">");
    T_CONTAINS(out, "<video controls preload=\"none\" poster=\"episodes/ordre/poster.webp\" "
                    "width=\"640\" height=\"360\">");
    T_CHECK(!strstr(out, "autoplay"), "autoplay");
    T_CONTAINS(out, "<track kind=\"captions\" src=\"episodes/ordre/captions.vtt\" srclang=\"fr\"");
    T_CONTAINS(out, "data-role=\"audio\">Écouter seulement — WebM Opus, 125 ko</a>");
    T_CONTAINS(out, "Content-Security-Policy\" content=\"default-src 'self';");
    T_CHECK(!strstr(out, "http://") && !strstr(out, "https://"), "external URL");
    free(out);
    site_close(&s);
}

/* A 480p source has no standard rung: the light rung must then serve every screen,
 * never leave desktops to the H.264 fallback. */
static void test_no_standard(void)
{
    Site s;
    without_standard = 1;
    site_open(&s, "fr", 1, 12, 0, "Petit");
    without_standard = 0;
    char *out = render(&s, 0);
    T_CONTAINS(out, "<source src=\"episodes/petit/vp9-360p.webm\" type=\"video/webm; "
                    "codecs=&quot;vp09.00.21.08, opus&quot;\">");
    T_CHECK(!strstr(out, "max-width:700px"), "media query without a standard rung");
    free(out);
    site_close(&s);
}

/* hdr: keep: the HDR rendition comes first, for HDR screens only; it is listed with the
 * files and in the eco-design statement. */
static void test_hdr_source(void)
{
    Site s;
    const char *a, *b;
    with_hdr = 1;
    site_open(&s, "fr", 1, 12, 0, "HDR");
    with_hdr = 0;
    char *out = render(&s, 0), *eco = render(&s, 4);
    T_CONTAINS(out, "<source src=\"episodes/hdr/vp9-720p-hdr.webm\" type=\"video/webm; "
                    "codecs=&quot;vp09.02.31.10.01.09.18.09.00, opus&quot;\" "
                    "media=\"(dynamic-range:high) and (min-width:701px)\">");
    a = strstr(out, "<source src=\"episodes/hdr/vp9-720p-hdr.webm\"");
    b = strstr(out, "<source src=\"episodes/hdr/av1-720p.webm\"");
    T_CHECK(a && b && a < b, "the HDR source comes first");
    T_CONTAINS(out, "data-role=\"hdr\">vp9-720p-hdr.webm — ");
    T_CONTAINS(eco, "Écrans HDR");
    free(out);
    free(eco);
    site_close(&s);
}

static void test_pagination(void)
{
    static const struct {
        int nb, per_page, pages, on_last;
    } cases[] = {{1, 12, 1, 1}, {12, 12, 1, 12}, {13, 12, 2, 1}, {25, 12, 3, 1}, {5, 2, 3, 1}};
    for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
        Site s;
        SobreBuf b;
        int count = 0;
        site_open(&s, "fr", cases[c].nb, cases[c].per_page, 0, "Série");
        T_EQ_INT(s.doc.nb_pages, cases[c].pages);
        sobre_buf_init(&b);
        site_render_page(&s.doc, s.doc.nb_pages, &b);
        for (const char *p = sobre_buf_str(&b); (p = strstr(p, "<article")); p++)
            count++;
        T_EQ_INT(count, cases[c].on_last);
        if (cases[c].pages > 1) {
            T_CONTAINS(sobre_buf_str(&b), "rel=\"prev\">Page précédente</a>");
            char want[64];
            snprintf(want, sizeof(want), "Page %d sur %d", cases[c].pages, cases[c].pages);
            T_CONTAINS(sobre_buf_str(&b), want);
        } else {
            T_CHECK(!strstr(sobre_buf_str(&b), "<nav class=\"pages\""),
                    "no pager on a single page");
        }
        T_CHECK(s.doc.budget[s.doc.nb_pages - 1].requests == 3 + cases[c].on_last, "requests %d",
                s.doc.budget[s.doc.nb_pages - 1].requests);
        /* slugs stay unique even with equal titles */
        for (int i = 1; i < s.doc.nb_eps; i++)
            T_CHECK(strcmp(s.doc.eps[i].slug, s.doc.eps[i - 1].slug), "slug %s twice",
                    s.doc.eps[i].slug);
        sobre_buf_free(&b);
        site_close(&s);
    }
}

/* The figure a page must show for a rendition of make_report() (125000 bytes, 10 s). */
static void expect_figure(char *out, size_t size, int device, int network)
{
    const SiteStrings *t = site_strings("fr");
    SobreFootprintView v;
    SobreError err = {0};
    SobreBuf g, o, w;
    T_EQ_INT(
        sobre_footprint_view(factors, SOBRE_METHOD_ADEME, 125000, 10.0, device, network, &v, &err),
        0);
    sobre_buf_init(&g);
    sobre_buf_init(&o);
    sobre_buf_init(&w);
    site_put_num(&g, t, v.gco2e + v.embodied);
    site_put_num(&o, t, v.gco2e);
    site_put_num(&w, t, v.wh);
    snprintf(out, size,
             "≈ 125 ko · ≈ %s g CO₂e par vue (fabrication de l'appareil comprise ; usage seul : %s "
             "g) · %s Wh",
             sobre_buf_str(&g), sobre_buf_str(&o), sobre_buf_str(&w));
    sobre_buf_free(&g);
    sobre_buf_free(&o);
    sobre_buf_free(&w);
}

static void test_footprint(void)
{
    Site s;
    char want[512], line[700];
    site_open(&s, "fr", 1, 12, 1, "Empreinte");
    char *out = render(&s, 0);
    /* what a phone plays (the light rung) on the phone's format, stated */
    expect_figure(want, sizeof(want), SOBRE_DEVICE_SMARTPHONE, SOBRE_NETWORK_MOBILE_4G_FR);
    snprintf(line, sizeof(line),
             "<p class=\"meta w s\" data-p=\"Durée 10 s · Sur smartphone, réseau mobile 4G "
             "(France) : \">Durée 10 s · Sur smartphone, réseau mobile 4G (France) : "
             "vp9-360p.webm %s</p>",
             want);
    T_CONTAINS(out, line);
    /* what a larger screen plays without a choice (AV1 first) on a laptop, fixed line */
    expect_figure(want, sizeof(want), SOBRE_DEVICE_LAPTOP, SOBRE_NETWORK_FIXED_FR);
    snprintf(line, sizeof(line), "ordinateur portable, réseau fixe (France) : av1-720p.webm %s</p>",
             want);
    T_CONTAINS(out, line);
    /* the files compared on one stated format */
    T_CONTAINS(out, "<p class=\"files\">Fichiers, par vue sur smartphone, réseau mobile 4G "
                    "(France) :\n<a class=\"listen\" data-fp=\"audio.webm|125 ko|");
    T_CONTAINS(out, "data-role=\"audio\">Écouter seulement — WebM Opus, 125 ko</a> ≈ ");
    T_CONTAINS(out, " g CO₂e (usage seul : ");
    /* the method, from the library, not from report.json's old section */
    T_CONTAINS(out, "avec la méthode ADEME Impact CO2");
    T_CONTAINS(out, ", facteurs fr-2024.");
    T_CHECK(!strstr(out, "&lt;i&gt;ademe") && !strstr(out, "0,0049"),
            "report.json's footprint section used");
    T_CONTAINS(out, "data-w=\"{l} ≈ {s} · ≈ {g} g CO₂e par vue");
    free(out);
    out = render(&s, 3);
    T_CONTAINS(out, "\"device\": \"smartphone\"");
    T_CONTAINS(out, "\"network\": \"mobile-4g-fr\"");
    T_CONTAINS(out, "\"total_gco2e_per_view\": ");
    T_CONTAINS(out, "\"large_screen\": {");
    T_CONTAINS(out, "\"page\": \"empreinte.html\"");
    free(out);
    site_close(&s);

    site_open(&s, "fr", 1, 12, 0, "Sans");
    out = render(&s, 0);
    T_CHECK(!strstr(out, " Wh"), "footprint shown without factors");
    T_CHECK(!strstr(out, "CO₂e"), "carbon shown without factors");
    T_CONTAINS(out, "Empreinte par vue : non calculée");
    T_CONTAINS(out, "Sur un écran de 700 px au plus : vp9-360p.webm ≈ 125 ko</p>");
    free(out);
    out = render(&s, 4);
    T_CONTAINS(out, "non calculée");
    free(out);
    out = render(&s, 3);
    T_CONTAINS(out, "\"footprint\": null");
    free(out);
    out = render(&s, 5);
    T_CONTAINS(out, "pas reçu de fichier de facteurs");
    free(out);
    site_close(&s);
}

static void test_languages(void)
{
    static const struct {
        const char *lang, *want[7];
    } cases[] = {
        {"fr",
         {"<html lang=\"fr\">", "Écouter seulement", "Transcription", "Aller au contenu",
          "Déclaration d'écoconception", " g CO₂e par vue (fabrication de l'appareil comprise ; ",
          "Empreinte de chaque format"}},
        {"en",
         {"<html lang=\"en\">", "Listen only", "Transcript", "Skip to content",
          "Eco-design statement", " g CO₂e per view (making the device included; use alone: ",
          "Footprint of every format"}},
    };
    for (size_t c = 0; c < 2; c++) {
        Site s;
        site_open(&s, cases[c].lang, 1, 12, 1, "T");
        char *out = render(&s, 0);
        for (int k = 0; k < 7; k++)
            T_CONTAINS(out, cases[c].want[k]);
        T_CONTAINS(out, c ? "125 kB" : "125 ko");
        T_CONTAINS(out, c ? "On a smartphone, 4G mobile (France): " : "Sur smartphone, ");
        free(out);
        out = render(&s, 4);
        T_CONTAINS(out, c ? "Measured bitrate" : "Débit mesuré");
        T_CONTAINS(out, "100 kbit/s");
        T_CONTAINS(out, c ? "constant quality CRF 38" : "qualité constante CRF 38");
        T_CONTAINS(out, c ? "<td class=\"na\">Not applicable</td>"
                          : "<td class=\"na\">Non applicable</td>");
        free(out);
        out = render(&s, 5);
        T_CONTAINS(out, c ? "Every viewing format" : "Tous les formats de visionnage");
        free(out);
        site_close(&s);
    }
    T_CHECK(site_strings("de") == NULL, "unknown language");
}

/* Numbers, the list at the top, "next episode", and each episode's own page. */
static void test_series(void)
{
    Site s;
    site_open(&s, "fr", 3, 2, 1, "Série");
    char *out = render(&s, 0);
    T_CONTAINS(out, "<nav class=\"toc\" aria-label=\"Épisodes de la série\"><ol start=\"1\">"
                    "<li><a href=\"#e-episode-1\" dir=\"auto\">Épisode 1</a></li>");
    T_CONTAINS(out, "<h2 dir=\"auto\"><a href=\"episodes/episode-1/index.html\">1. Épisode 1"
                    "</a></h2>");
    T_CONTAINS(out, "<a class=\"next\" href=\"#e-episode-2\">Épisode suivant : 2. Épisode 2</a>");
    /* the last one on page 1 leads to page 2 */
    T_CONTAINS(out, "<a class=\"next\" href=\"page-2.html#e-episode-3\">Épisode suivant : 3. "
                    "Épisode 3</a>");
    T_CONTAINS(out, "<select id=\"def\" disabled>");
    free(out);
    /* the episode's own page: everything relative to episodes/<slug>/ */
    out = render(&s, 6);
    T_CONTAINS(out, "<link rel=\"stylesheet\" href=\"../../style.css\">");
    T_CONTAINS(out, "<script src=\"../../sobre.js\" defer></script>");
    T_CONTAINS(out, "<h1 dir=\"auto\">1. Épisode 1</h1>");
    T_CONTAINS(out, "<source src=\"vp9-360p.webm\"");
    T_CONTAINS(out, "poster=\"poster.webp\"");
    T_CONTAINS(out, "<a class=\"next\" href=\"../episode-2/index.html\">");
    T_CONTAINS(out, "<a href=\"../../index.html#e-episode-1\">Toute la série</a>");
    T_CONTAINS(out, "href=\"../../empreinte.html\"");
    T_CHECK(!strstr(out, "class=\"toc\""), "a list on a one-episode page");
    T_EQ_INT(s.doc.eps[0].budget.requests, 4);
    T_CHECK(s.doc.eps[0].budget.elements > 20 && s.doc.eps[0].budget.elements < 120, "elements %d",
            s.doc.eps[0].budget.elements);
    free(out);
    site_close(&s);
    /* the last episode has no "next" */
    site_open(&s, "fr", 1, 12, 1, "Seul");
    out = render(&s, 0);
    T_CHECK(!strstr(out, "class=\"next\""), "next link after the last episode");
    T_CHECK(!strstr(out, "class=\"toc\""), "list for a single episode");
    free(out);
    site_close(&s);
}

/* The page states its own weight, and states it right. */
static void test_budget_stated(void)
{
    Site s;
    SobreBuf b, want;
    site_open(&s, "fr", 2, 12, 1, "Poids");
    s.doc.css_bytes = 2500;
    s.doc.js_bytes = 2600;
    sobre_buf_init(&b);
    sobre_buf_init(&want);
    site_render_page(&s.doc, 1, &b);
    T_EQ_INT((int)s.doc.budget[0].html_bytes, (int)b.len);
    T_EQ_INT(s.doc.budget[0].elements, site_count_elements(&b, 0));
    sobre_buf_printf(&want, "chargés (%d requêtes, ", s.doc.budget[0].requests);
    site_put_size(&want, site_strings("fr"), (int64_t)b.len + 2500 + 2600 + 2 * 9000);
    sobre_buf_puts(&want, ")");
    T_CONTAINS(sobre_buf_str(&b), sobre_buf_str(&want));
    sobre_buf_free(&b);
    sobre_buf_free(&want);
    site_close(&s);
}

/* Statuses follow the files: no claim without the evidence. */
static void test_declaration(void)
{
    Site s;
    site_open(&s, "fr", 1, 12, 1, "Décl");
    char *out = render(&s, 4);
    T_CONTAINS(out, "établie par sobre ");
    T_CONTAINS(out, " le 2026-12-07 ");
    T_CONTAINS(out, "<th scope=\"row\">5.5 Mode « écoute seule »</th><td class=\"ok\">Conforme");
    T_CONTAINS(out, "<th scope=\"row\">5.7 Format des documents</th><td class=\"na\">");
    /* one poster size for every screen: 6.4 is not met, and says why */
    T_CONTAINS(out, "<th scope=\"row\">6.4 Images aux dimensions d'affichage</th><td "
                    "class=\"ko\">Non conforme");
    /* the make_report() poster is not a WebP file on disk (no file read here): 5.1 not met */
    T_CONTAINS(out, "0 affiche(s) sur 1 au format WebP");
    T_CONTAINS(out, "<th scope=\"row\">Limite (chaque page)</th><td>15</td><td>150 ko</td>"
                    "<td>300</td>");
    T_CONTAINS(out, "<div class=\"scroll\" tabindex=\"0\" role=\"region\"");
    T_CONTAINS(out, "href=\"empreinte.html\"");
    free(out);
    site_close(&s);
}

static void test_footprint_page(void)
{
    Site s;
    site_open(&s, "fr", 2, 12, 1, "Réf");
    char *out = render(&s, 5);
    T_CONTAINS(out, "<h1>Empreinte par vue — tous les formats de la série</h1>");
    T_CONTAINS(out, "ADEME Impact CO2");
    T_CONTAINS(out, "<img src=\"empreinte.svg\" width=\"700\" height=\"");
    T_CONTAINS(out, "kg CO₂e pour 1000 vues");
    T_CONTAINS(out, "Negaoctet"); /* a source of the factors */
    T_CONTAINS(out, "<pre>gCO2e = ");
    /* 7 renditions x 5 devices x 5 networks, plus the header */
    int rows = 0;
    const char *p = strstr(out, "Tous les formats de visionnage");
    const char *end = p ? strstr(p, "</table>") : NULL;
    for (; p && end && (p = strstr(p, "<tr>")) && p < end; p++)
        rows++;
    T_EQ_INT(rows, 7 * 25 + 1);
    free(out);
    SobreBuf svg;
    int w = 0, h = 0;
    sobre_buf_init(&svg);
    site_render_chart(&s.doc, &svg, &w, &h);
    T_EQ_INT(w, 700);
    T_CHECK(h > 100, "chart height %d", h);
    T_CONTAINS(sobre_buf_str(&svg), "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"700\"");
    T_CONTAINS(sobre_buf_str(&svg), "vp9-360p.webm · smartphone</text>");
    sobre_buf_free(&svg);
    site_close(&s);
}

static void test_numbers(void)
{
    const SiteStrings *fr = site_strings("fr"), *en = site_strings("en");
    static const struct {
        int en;
        int64_t bytes;
        const char *want;
    } sizes[] = {{0, 999, "999 o"},        {0, 1000, "1,0 ko"},    {0, 56000, "56 ko"},
                 {0, 9440000, "9,4 Mo"},   {1, 9440000, "9.4 MB"}, {1, 12600000, "13 MB"},
                 {1, 2500000000, "2.5 GB"}};
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        SobreBuf b;
        sobre_buf_init(&b);
        site_put_size(&b, sizes[i].en ? en : fr, sizes[i].bytes);
        T_EQ_STR(sobre_buf_str(&b), sizes[i].want);
        sobre_buf_free(&b);
    }
    static const struct {
        double v;
        const char *want;
    } nums[] = {{0.0049, "0,0049"}, {0.25, "0,25"},    {1.5, "1,5"}, {12.3, "12"},
                {0, "0"},           {0.09996, "0,10"}, {9.96, "10"}};
    for (size_t i = 0; i < sizeof(nums) / sizeof(nums[0]); i++) {
        SobreBuf b;
        sobre_buf_init(&b);
        site_put_num(&b, fr, nums[i].v);
        T_EQ_STR(sobre_buf_str(&b), nums[i].want);
        sobre_buf_free(&b);
    }
    static const struct {
        double s;
        const char *want;
    } durs[] = {{2.5, "3 s"}, {65, "1 min 05 s"}, {3725, "1 h 02 min"}, {0.1, "1 s"}};
    for (size_t i = 0; i < sizeof(durs) / sizeof(durs[0]); i++) {
        SobreBuf b;
        sobre_buf_init(&b);
        site_put_duration(&b, durs[i].s);
        T_EQ_STR(sobre_buf_str(&b), durs[i].want);
        sobre_buf_free(&b);
    }
}

static void test_rss(void)
{
    Site s;
    site_open(&s, "fr", 2, 12, 0, "Flux");
    s.set.base_url = "https://intranet.example/videos";
    char *out = render(&s, 2);
    T_CONTAINS(out, "<rss version=\"2.0\">");
    T_CONTAINS(out, "<enclosure url=\"https://intranet.example/videos/episodes/episode-1/"
                    "audio.webm\" length=\"125000\" type=\"audio/webm\"/>");
    T_CONTAINS(out, "<pubDate>Sat, 28 Nov 2026 21:40:00 +0000</pubDate>");
    free(out);
    site_close(&s);
}

int main(void)
{
    load_factors();
    test_hostile_everywhere();
    test_source_order();
    test_no_standard();
    test_hdr_source();
    test_pagination();
    test_footprint();
    test_languages();
    test_series();
    test_budget_stated();
    test_declaration();
    test_footprint_page();
    test_numbers();
    test_rss();
    sobre_factors_free(&factors);
    return t_done();
}
