/* Quality-targeted encoding, pure half: sample windows, the CRF bisection on synthetic
 * SSIM curves (it must find the highest CRF meeting the target in ~log2(range) steps,
 * and say when no CRF can), and the preset's target_ssim field. */
#include <math.h>
#include <string.h>

#include "sobre/preset.h"
#include "t.h"
#include "target_search.h"

/* a decreasing SSIM curve: 0.999 at crf 0, minus slope per crf */
static double curve(int crf, double top, double slope)
{
    return top - slope * crf;
}

static void search_case(double target, double top, double slope, int expect_crf, int expect_met)
{
    SobreTargetSearch s;
    int lo, hi, crf, met, steps = 0;
    T_EQ_INT(sobre_target_crf_range(0, &lo, &hi), 0);
    sobre_target_search_init(&s, target, lo, hi);
    while ((crf = sobre_target_search_next(&s)) >= 0 && steps < 40) {
        T_CHECK(crf >= lo && crf <= hi, "crf %d outside %d..%d", crf, lo, hi);
        sobre_target_search_feed(&s, crf, curve(crf, top, slope));
        steps++;
    }
    crf = sobre_target_search_result(&s, &met);
    T_EQ_INT(crf, expect_crf);
    T_EQ_INT(met, expect_met);
    T_CHECK(steps <= 7, "%d encodes for a 33-value range", steps);
    /* the choice was measured: its SSIM is known */
    T_CHECK(s.ssim[crf - lo] > -1, "crf %d not measured", crf);
}

static void test_search(void)
{
    /* ssim = 1.0 - 0.001 * crf: target 0.96 -> crf 40 exactly meets it */
    search_case(0.96, 1.0, 0.001, 40, 1);
    search_case(0.9605, 1.0, 0.001, 39, 1);
    /* everything meets: the highest CRF of the range */
    search_case(0.5, 1.0, 0.001, 56, 1);
    /* nothing meets: the lowest CRF (best quality allowed), not met */
    search_case(0.99, 0.98, 0.001, 24, 0);
    /* only the lowest meets */
    search_case(0.976, 1.0, 0.001, 24, 1);
}

static void test_ranges(void)
{
    int lo, hi;
    T_EQ_INT(sobre_target_crf_range(SOBRE_CODEC_VP9, &lo, &hi), 0);
    T_EQ_INT(lo, 24);
    T_EQ_INT(hi, 56);
    T_EQ_INT(sobre_target_crf_range(SOBRE_CODEC_AV1, &lo, &hi), 0);
    T_EQ_INT(hi, 60);
    T_EQ_INT(sobre_target_crf_range(SOBRE_CODEC_H264, &lo, &hi), 0);
    T_EQ_INT(lo, 18);
    T_EQ_INT(hi, 40);
    T_EQ_INT(sobre_target_crf_range(SOBRE_CODEC_OPUS, &lo, &hi), -1);
}

static void test_samples(void)
{
    static const struct {
        double duration;
        int n;
        double start0, dur0, start2;
    } cases[] = {
        {30, 3, 4, 2, 24}, /* centred at 5, 15, 25 s */
        {6, 1, 0, 6, -1},  /* short: one window over all of it */
        {20, 3, 0, 0, 0},  /* checked apart below: centred at 3.3, 10, 16.7 s */
        {0, 1, 0, 6, -1},  /* unknown duration: the first 6 s */
        {7.9, 1, 0, 7.9, -1},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        double start[SOBRE_TARGET_MAX_SAMPLES], dur[SOBRE_TARGET_MAX_SAMPLES];
        int n = sobre_target_samples(cases[i].duration, 3, 2.0, start, dur);
        if (cases[i].duration == 20) {
            T_EQ_INT(n, 3);
            T_NEAR(start[1], 9, 1e-9);
            continue;
        }
        T_EQ_INT(n, cases[i].n);
        T_NEAR(start[0], cases[i].start0, 1e-9);
        T_NEAR(dur[0], cases[i].dur0, 1e-9);
        if (n == 3)
            T_NEAR(start[2], cases[i].start2, 1e-9);
        for (int k = 0; k < n; k++)
            T_CHECK(start[k] >= 0 &&
                        (cases[i].duration <= 0 || start[k] + dur[k] <= cases[i].duration + 1e-9),
                    "window %d outside the video", k);
    }
}

static const char *ladder_text(const char *extra, const char *codec)
{
    static char buf[1024];
    snprintf(buf, sizeof(buf),
             "name: t\n"
             "audio:\n  a:\n    codec: opus\n    channels: 1\n    sample_rate: 48000\n"
             "    bitrate_kbps: 32\n"
             "rungs:\n  - id: r\n    role: %s\n    codec: %s\n    container: webm\n%s%s",
             strcmp(codec, "none") ? "sobre" : "audio", codec,
             strcmp(codec, "none") ? "    width: 640\n    height: 360\n" : "    audio: a\n", extra);
    return buf;
}

static void test_preset(void)
{
    SobreLadder *l = NULL;
    SobreError err = {0, ""};
    const char *t = ladder_text("    target_ssim: 0.97\n", "vp9");
    T_EQ_INT(sobre_ladder_parse(&l, "t.yaml", t, strlen(t), &err), 0);
    T_NEAR(l ? l->rungs[0].target_ssim : 0, 0.97, 1e-12);
    sobre_ladder_free(&l);
    t = ladder_text("", "vp9");
    T_EQ_INT(sobre_ladder_parse(&l, "t.yaml", t, strlen(t), &err), 0);
    T_NEAR(l ? l->rungs[0].target_ssim : 1, 0, 0);
    sobre_ladder_free(&l);
    t = ladder_text("    target_ssim: 1.5\n", "vp9");
    T_CHECK(sobre_ladder_parse(&l, "t.yaml", t, strlen(t), &err) < 0, "1.5 accepted");
    T_CONTAINS(err.detail, "target_ssim");
    T_CONTAINS(err.detail, "t.yaml:");
    t = ladder_text("    target_ssim: 0.9\n", "none");
    T_CHECK(sobre_ladder_parse(&l, "t.yaml", t, strlen(t), &err) < 0, "audio target accepted");
    T_CONTAINS(err.detail, "video rungs only");
    sobre_ladder_free(&l);
}

int main(void)
{
    test_search();
    test_ranges();
    test_samples();
    test_preset();
    (void)curve;
    return t_done();
}
