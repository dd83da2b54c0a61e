/* The pure site generator: hostile titles inert in every output, <source> order,
 * pagination, footprint shown or absent, French and English strings, transcripts,
 * number formats. No file is read: episodes are built from report JSON in memory. */
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

/* A report whose renditions come in a scrambled order; title/description untrusted. */
static SobreReport *make_report(const char *title, const char *desc, int footprint)
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
    if (footprint)
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
    s->doc.eps = calloc((size_t)nb, sizeof(SiteEpisode));
    for (int i = 0; i < nb; i++) {
        char t[64];
        snprintf(t, sizeof(t), "Épisode %d", i + 1);
        T_EQ_INT(site_episode_init(&s->doc.eps[i],
                                   make_report(nb == 1 ? title : t, title, footprint), "/tmp/ep",
                                   &err),
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
    default:
        site_render_eco(&s->doc, &b);
        break;
    }
    T_CHECK(!b.oom && b.len > 0, "render %d", what);
    return b.data;
}

static void test_hostile_everywhere(void)
{
    Site s;
    site_open(&s, "fr", 1, 12, 0, HOSTILE);
    for (int what = 0; what < 5; what++) {
        char *out = render(&s, what);
        /* HTML and XML outputs: markup escaped; M3U and JSON carry the text as data. */
        int markup = what == 0 || what == 2 || what == 4;
        T_CHECK(!markup || !strstr(out, "<script>"), "raw <script> in output %d", what);
        T_CHECK(!markup || !strstr(out, "alert(\"x\")"), "raw quote in %d", what);
        if (what == 0 || what == 2 || what == 4)
            T_CHECK(!strstr(out, "../../etc/passwd\"") && !strstr(out, "\"../"), "path in %d",
                    what);
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
            T_CHECK(!strstr(sobre_buf_str(&b), "<nav"), "no pager on a single page");
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

static void test_footprint(void)
{
    Site s;
    site_open(&s, "fr", 1, 12, 1, "Empreinte");
    char *out = render(&s, 0);
    T_CONTAINS(out, "≈ 0,0049 Wh · 0,25 g CO₂e par vue</p>");
    T_CONTAINS(out,
               "(énergie, et carbone hors fabrication du terminal) — &lt;i&gt;ademe&lt;/i&gt;, "
               "fr-2024.</p>");
    free(out);
    out = render(&s, 3);
    T_CONTAINS(out, "\"wh_per_view\": 0.0049");
    T_CONTAINS(out, "\"device\": \"smartphone\"");
    T_CONTAINS(out, "\"method\": \"<i>ademe</i>\"");
    free(out);
    site_close(&s);

    site_open(&s, "fr", 1, 12, 0, "Sans");
    out = render(&s, 0);
    T_CHECK(!strstr(out, " Wh"), "footprint shown without data");
    T_CHECK(!strstr(out, "sobre footprint"), "footprint note without data");
    free(out);
    out = render(&s, 4);
    T_CONTAINS(out, "non calculée");
    free(out);
    out = render(&s, 3);
    T_CONTAINS(out, "\"footprint\": null");
    free(out);
    site_close(&s);
}

static void test_languages(void)
{
    static const struct {
        const char *lang, *want[5];
    } cases[] = {
        {"fr",
         {"<html lang=\"fr\">", "Écouter seulement", "Transcription", "Aller au contenu",
          "Déclaration d'écoconception"}},
        {"en",
         {"<html lang=\"en\">", "Listen only", "Transcript", "Skip to content",
          "Eco-design statement"}},
    };
    for (size_t c = 0; c < 2; c++) {
        Site s;
        site_open(&s, cases[c].lang, 1, 12, 1, "T");
        char *out = render(&s, 0);
        for (int k = 0; k < 5; k++)
            T_CONTAINS(out, cases[c].want[k]);
        T_CONTAINS(out, c ? "125 kB" : "125 ko");
        T_CONTAINS(out, c ? "0.0049 Wh" : "0,0049 Wh");
        free(out);
        out = render(&s, 4);
        T_CONTAINS(out, c ? "Measured bitrate" : "Débit mesuré");
        T_CONTAINS(out, "100 kbit/s");
        T_CONTAINS(out, c ? "constant quality CRF 38" : "qualité constante CRF 38");
        free(out);
        site_close(&s);
    }
    T_CHECK(site_strings("de") == NULL, "unknown language");
}

static void test_transcript(void)
{
    static const struct {
        const char *in, *want;
    } cases[] = {
        {"WEBVTT\n\n00:00.000 --> 00:01.000\nHello\n", "Hello"},
        {"WEBVTT - title\r\n\r\nNOTE hidden\r\nnote\r\n\r\nid-1\r\n00:00.000 --> 00:01.000 "
         "line:0\r\n<v Ann>Hi &amp; <i>bye</i></v>\r\ntwo\r\n\r\n00:01.000 --> 00:02.000\r\nnext",
         "Hi & bye two\nnext"},
        {"WEBVTT\n\nSTYLE\n::cue { color: red }\n\n00:00.000 --> 00:01.000\n&lt;script&gt;\n\n"
         "00:01.000 --> 00:02.000\n&lt;script&gt;\n",
         "<script>"},
        {"\xEF\xBB\xBFWEBVTT\n", ""},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *t = site_vtt_transcript(cases[i].in, strlen(cases[i].in));
        T_CHECK(t && !strcmp(t, cases[i].want), "case %zu: got '%s'", i, t ? t : "(null)");
        T_EQ_INT(site_vtt_check(cases[i].in, strlen(cases[i].in)), 0);
        free(t);
    }
    T_EQ_INT(site_vtt_check("WEBVTTX\n", 8), -1);
    T_EQ_INT(site_vtt_check("1\n00:00:00,000 --> 00:00:01,000\n", 32), -1);
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
    } nums[] = {{0.0049, "0,0049"}, {0.25, "0,25"}, {1.5, "1,5"}, {12.3, "12"}, {0, "0"}};
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
    test_hostile_everywhere();
    test_source_order();
    test_no_standard();
    test_hdr_source();
    test_pagination();
    test_footprint();
    test_languages();
    test_transcript();
    test_numbers();
    test_rss();
    return t_done();
}
