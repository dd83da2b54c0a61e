/* report.json: round trip, unknown sections kept, the typed quality reader, hostile or
 * broken reports refused. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include "sobre/report.h"
#include "t.h"

static const char *good =
    "{\"schema\":\"sobre.report/1\",\"sobre_version\":\"0.1.0\",\"title\":\"<b>Épisode</b>\","
    "\"source\":{\"file\":\"m.mp4\",\"bytes\":100,\"duration_s\":30.0,"
    "\"video\":{\"codec\":\"h264\",\"width\":1280,\"height\":720,\"fps\":30}},"
    "\"renditions\":[{\"id\":\"vp9-480p\",\"kind\":\"video\",\"role\":\"sobre\","
    "\"file\":\"vp9-480p.webm\",\"mime\":\"video/webm\",\"bytes\":1000,\"duration_s\":30,"
    "\"bitrate_bps\":266,\"video\":{\"codec\":\"vp9\",\"width\":854,\"height\":480},"
    "\"quality\":{\"ssim\":0.98}}],"
    "\"footprint\":{\"method\":\"ademe\"}}";

static void test_roundtrip(void)
{
    SobreReport *r = NULL, *back = NULL;
    SobreError err;
    char *text = NULL, *q;
    T_EQ_INT(sobre_report_parse(&r, "r.json", good, strlen(good), &err), 0);
    if (!r)
        return;
    T_EQ_STR(r->title, "<b>Épisode</b>");
    T_EQ_INT(r->nb_renditions, 1);
    T_EQ_INT(r->renditions[0].video.width, 854);
    T_EQ_INT(r->source.video.height, 720);
    T_EQ_INT(r->encode.energy_uj, -1);
    T_CHECK(sobre_report_rendition(r, "vp9-480p") != NULL, "find rendition");
    T_CHECK(sobre_report_rendition(r, "nope") == NULL, "absent rendition");
    T_EQ_INT(sobre_report_set_section(r, "extra", "[1,2]", &err), 0);
    /* a second rendition, swapped in front: the quality section follows its rendition */
    r->renditions[1] = r->renditions[0];
    snprintf(r->renditions[1].id, sizeof(r->renditions[1].id), "audio");
    r->nb_renditions = 2;
    sobre_report_swap_renditions(r, 0, 1);
    T_EQ_STR(r->renditions[0].id, "audio");
    q = sobre_report_get_section(r, "audio", "quality");
    T_CHECK(q == NULL, "no section moved onto the other rendition");
    free(q);
    sobre_report_swap_renditions(r, 1, 0);
    T_EQ_STR(r->renditions[0].id, "vp9-480p");
    T_CHECK(sobre_report_set_section(r, "title", "1", &err) < 0, "modelled member refused");
    T_CHECK(sobre_report_set_section(r, "bad", "{", &err) == SOBRE_E_PARSE, "invalid json");
    snprintf(r->renditions[0].video.x264_params, sizeof(r->renditions[0].video.x264_params),
             "scenecut=0:asm=SSE2Fast,AVX2");
    T_EQ_INT(sobre_report_to_string(r, &text, &err), 0);
    T_EQ_INT(sobre_report_parse(&back, "back.json", text, strlen(text), &err), 0);
    if (back) {
        T_EQ_STR(back->renditions[0].video.x264_params, "scenecut=0:asm=SSE2Fast,AVX2");
        T_EQ_STR(back->renditions[1].video.x264_params, "");
        q = sobre_report_get_section(back, "vp9-480p", "quality");
        T_CHECK(q && !strcmp(q, "{\"ssim\":0.98}"), "quality kept: %s", q ? q : "(null)");
        free(q);
        q = sobre_report_get_section(back, NULL, "footprint");
        T_CHECK(q && strstr(q, "ademe"), "footprint kept");
        free(q);
        q = sobre_report_get_section(back, NULL, "extra");
        T_CHECK(q && !strcmp(q, "[1,2]"), "extra set: %s", q ? q : "(null)");
        free(q);
        T_EQ_STR(back->title, r->title);
    }
    free(text);
    sobre_report_free(&r);
    sobre_report_free(&back);
    T_CHECK(r == NULL && back == NULL, "free NULLs");
}

static void test_rejects(void)
{
    static const struct {
        const char *json, *msg;
    } bad[] = {
        {"{", "r.json:1:"},
        {"[]", "must be a JSON object"},
        {"{\"schema\":\"other/1\"}", "member 'schema'"},
        {"{\"schema\":\"sobre.report/1\",\"title\":\"t\",\"source\":{\"file\":\"m\",\"bytes\":-1,"
         "\"duration_s\":1},\"renditions\":[]}",
         "member 'bytes' must be a whole number >= 0"},
        {"{\"schema\":\"sobre.report/1\",\"title\":\"t\",\"source\":{\"file\":\"m\",\"bytes\":1,"
         "\"duration_s\":1},\"renditions\":[{\"id\":\"a\",\"kind\":\"video\",\"role\":\"sobre\","
         "\"file\":\"../../etc/passwd\",\"mime\":\"v\",\"bytes\":1,\"duration_s\":1,"
         "\"bitrate_bps\":8}]}",
         "must be a plain file name"},
        {"{\"schema\":\"sobre.report/1\",\"title\":\"t\",\"source\":{\"file\":\"m\",\"bytes\":1,"
         "\"duration_s\":1},\"renditions\":[{\"id\":\"a\",\"kind\":\"video\",\"role\":\"sobre\","
         "\"file\":\"a.webm\",\"mime\":\"v\",\"duration_s\":1,\"bitrate_bps\":8}]}",
         "member 'bytes' is missing"},
        {"{\"schema\":\"sobre.report/1\",\"title\":\"t\",\"source\":{\"file\":\"m\",\"bytes\":1,"
         "\"duration_s\":1},\"renditions\":[{\"id\":\"a\",\"kind\":\"video\",\"role\":\"sobre\","
         "\"file\":\"a.mp4\",\"mime\":\"v\",\"bytes\":1,\"duration_s\":1,\"bitrate_bps\":8,"
         "\"video\":{\"codec\":\"h264\",\"x264_params\":\"scenecut=0:asm=AVX2:"
         "aaaaaaaaaaaaaaaaaaaaaa"
         "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"}}]}",
         "member 'x264_params'"},
        {"{\"schema\":\"sobre.report/1\",\"title\":\"t\"}", "member 'source'"},
        {"{\"schema\":\"sobre.report/1\",\"schema\":\"x\"}", "duplicate"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        SobreReport *r = NULL;
        SobreError err;
        sobre_error_clear(&err);
        T_CHECK(sobre_report_parse(&r, "r.json", bad[i].json, strlen(bad[i].json), &err) < 0,
                "case %zu must fail", i);
        T_CHECK(r == NULL, "no report on failure");
        T_CONTAINS(err.detail, bad[i].msg);
    }
    T_EQ_INT(sobre_report_safe_name("a.webm"), 1);
    T_EQ_INT(sobre_report_safe_name(".hidden"), 0);
    T_EQ_INT(sobre_report_safe_name("a/b"), 0);
    T_EQ_INT(sobre_report_safe_name(""), 0);
}

/* The quality section as sobre encode writes it (quality/vquality.c), read typed. */
static void test_quality(void)
{
    static const char *rep =
        "{\"schema\":\"sobre.report/1\",\"title\":\"t\",\"source\":{\"file\":\"m\",\"bytes\":1,"
        "\"duration_s\":1},\"renditions\":["
        "{\"id\":\"a\",\"kind\":\"video\",\"role\":\"sobre\",\"file\":\"a.webm\",\"mime\":\"v\","
        "\"bytes\":1,\"duration_s\":1,\"bitrate_bps\":8,\"quality\":{"
        "\"own\":{\"width\":640,\"height\":360,\"frames\":30,"
        "\"ssim_y\":{\"mean\":0.99,\"p5\":0.98,\"min\":0.97},"
        "\"ssim_all\":{\"mean\":0.991,\"p5\":0.981,\"min\":0.971},"
        "\"psnr_y\":{\"mean\":null,\"p5\":40,\"min\":39},"
        "\"psnr_all\":{\"mean\":42,\"p5\":41,\"min\":40}},"
        "\"display\":{\"width\":1280,\"height\":720,\"frames\":30,"
        "\"ssim_y\":{\"mean\":0.95,\"p5\":0.94,\"min\":0.93},"
        "\"ssim_all\":{\"mean\":0.9612,\"p5\":0.95,\"min\":0.94},"
        "\"psnr_y\":{\"mean\":35,\"p5\":34,\"min\":33},"
        "\"psnr_all\":{\"mean\":36,\"p5\":35,\"min\":34}},\"cpu_s\":1.5,"
        "\"unpaired_frames\":2}},"
        "{\"id\":\"b\",\"kind\":\"video\",\"role\":\"sobre\",\"file\":\"b.webm\",\"mime\":\"v\","
        "\"bytes\":1,\"duration_s\":1,\"bitrate_bps\":8},"
        "{\"id\":\"c\",\"kind\":\"video\",\"role\":\"sobre\",\"file\":\"c.webm\",\"mime\":\"v\","
        "\"bytes\":1,\"duration_s\":1,\"bitrate_bps\":8,\"quality\":{\"ssim\":0.98}}]}";
    SobreReport *r = NULL;
    SobreReportQuality q;
    SobreError err;
    T_EQ_INT(sobre_report_parse(&r, "q.json", rep, strlen(rep), &err), 0);
    if (!r)
        return;
    T_EQ_INT(sobre_report_quality(r, "a", &q), 0);
    T_EQ_INT(q.own.present, 1);
    T_EQ_INT(q.display.present, 1);
    T_EQ_INT(q.display.width, 1280);
    T_EQ_INT((int)q.own.frames, 30);
    T_CHECK(q.display.ssim_all.mean == 0.9612, "display SSIM All %g", q.display.ssim_all.mean);
    T_CHECK(q.own.ssim_y.min == 0.97, "own SSIM Y min %g", q.own.ssim_y.min);
    T_CHECK(isinf(q.own.psnr_y.mean), "null PSNR (identical frames) reads as infinity");
    T_CHECK(q.cpu_s == 1.5 && q.unpaired_frames == 2, "cpu_s %g, unpaired %d", q.cpu_s,
            (int)q.unpaired_frames);
    T_EQ_INT(sobre_report_quality(r, "b", &q), -ENOENT); /* measured off */
    T_EQ_INT(sobre_report_quality(r, "z", &q), -ENOENT); /* no such rendition */
    T_EQ_INT(sobre_report_quality(r, "c", &q), 0);       /* no view at all: both absent */
    T_EQ_INT(q.own.present + q.display.present, 0);
    sobre_report_free(&r);
    /* a view of the wrong shape is an error, not zeros taken for a measure */
    static const char *bad =
        "{\"schema\":\"sobre.report/1\",\"title\":\"t\",\"source\":{\"file\":\"m\",\"bytes\":1,"
        "\"duration_s\":1},\"renditions\":[{\"id\":\"a\",\"kind\":\"video\",\"role\":\"sobre\","
        "\"file\":\"a.webm\",\"mime\":\"v\",\"bytes\":1,\"duration_s\":1,\"bitrate_bps\":8,"
        "\"quality\":{\"own\":{\"ssim_y\":\"high\"}}}]}";
    T_EQ_INT(sobre_report_parse(&r, "q.json", bad, strlen(bad), &err), 0);
    if (r)
        T_EQ_INT(sobre_report_quality(r, "a", &q), SOBRE_E_INVALID);
    sobre_report_free(&r);
}

int main(void)
{
    test_roundtrip();
    test_quality();
    test_rejects();
    return t_done();
}
