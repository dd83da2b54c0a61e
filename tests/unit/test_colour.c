/* Colour decisions (plan/colour.c): which sources are tone mapped or gamut-mapped and
 * from what, Dolby Vision base layers, the peak the tone mapping aims at, the sentence
 * reports carry, and the HDR rendition `hdr: keep` adds. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sobre/plan.h"
#include "sobre/preset.h"
#include "t.h"

static void test_decisions(void)
{
    static const struct {
        const char *trc, *pri, *mat;
        int dv, dv_profile, dv_compat;
        SobreHdrMode mode;
        SobreColourConv want;
        const char *want_trc, *want_pri, *want_mat, *want_via;
        int want_hdr_rung;
    } cases[] = {
        /* phones: HEVC Main 10 HLG, tagged */
        {"arib-std-b67", "bt2020", "bt2020nc", 0, 0, 0, SOBRE_HDR_SDR, SOBRE_COLOUR_HLG,
         "arib-std-b67", "bt2020", "bt2020nc", "stream tags", 0},
        {"arib-std-b67", "bt2020", "bt2020nc", 0, 0, 0, SOBRE_HDR_KEEP, SOBRE_COLOUR_HLG,
         "arib-std-b67", "bt2020", "bt2020nc", "stream tags", 1},
        /* cameras and screen recorders: PQ (HDR10) */
        {"smpte2084", "bt2020", "bt2020nc", 0, 0, 0, SOBRE_HDR_SDR, SOBRE_COLOUR_PQ, "smpte2084",
         "bt2020", "bt2020nc", "stream tags", 0},
        /* HLG with its primaries and matrix untagged: BT.2100 says BT.2020 */
        {"arib-std-b67", "", "", 0, 0, 0, SOBRE_HDR_SDR, SOBRE_COLOUR_HLG, "arib-std-b67", "bt2020",
         "bt2020nc", "stream tags", 0},
        /* SDR */
        {"bt709", "bt709", "bt709", 0, 0, 0, SOBRE_HDR_KEEP, SOBRE_COLOUR_AS_IS, "bt709", "bt709",
         "bt709", "", 0},
        {"", "", "", 0, 0, 0, SOBRE_HDR_SDR, SOBRE_COLOUR_AS_IS, "", "", "", "", 0},
        {"smpte170m", "smpte170m", "smpte170m", 0, 0, 0, SOBRE_HDR_SDR, SOBRE_COLOUR_AS_IS,
         "smpte170m", "smpte170m", "smpte170m", "", 0},
        /* BT.2020 SDR (wide gamut, no HDR): gamut-mapped, never an HDR rendition */
        {"bt2020-10", "bt2020", "bt2020nc", 0, 0, 0, SOBRE_HDR_KEEP, SOBRE_COLOUR_GAMUT,
         "bt2020-10", "bt2020", "bt2020nc", "stream tags", 0},
        {"", "bt2020", "", 0, 0, 0, SOBRE_HDR_SDR, SOBRE_COLOUR_GAMUT, "bt2020-10", "bt2020",
         "bt2020nc", "stream tags", 0},
        /* Dolby Vision: the tags win when they say HDR... */
        {"arib-std-b67", "bt2020", "bt2020nc", 1, 8, 4, SOBRE_HDR_SDR, SOBRE_COLOUR_HLG,
         "arib-std-b67", "bt2020", "bt2020nc", "stream tags", 0},
        /* ...else the base layer's compatibility: 8.4 HLG, 8.1 HDR10, 8.2 SDR */
        {"", "", "", 1, 8, 4, SOBRE_HDR_KEEP, SOBRE_COLOUR_HLG, "arib-std-b67", "bt2020",
         "bt2020nc", "Dolby Vision 8.4 base layer", 1},
        {"", "", "", 1, 8, 1, SOBRE_HDR_SDR, SOBRE_COLOUR_PQ, "smpte2084", "bt2020", "bt2020nc",
         "Dolby Vision 8.1 base layer", 0},
        {"", "", "", 1, 7, 6, SOBRE_HDR_SDR, SOBRE_COLOUR_PQ, "smpte2084", "bt2020", "bt2020nc",
         "Dolby Vision 7.6 base layer", 0},
        {"", "", "", 1, 8, 2, SOBRE_HDR_SDR, SOBRE_COLOUR_AS_IS, "", "", "",
         "Dolby Vision 8.2 base layer", 0},
        /* profile 5 has no displayable base layer, whatever its tags say */
        {"smpte2084", "bt2020", "bt2020nc", 1, 5, 0, SOBRE_HDR_KEEP, SOBRE_COLOUR_DV_NO_BASE,
         "smpte2084", "bt2020", "bt2020nc", "Dolby Vision profile 5", 0},
    };
    for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
        SobreProbeStream v;
        SobreColourPlan p;
        memset(&v, 0, sizeof(v));
        snprintf(v.color_transfer, sizeof(v.color_transfer), "%s", cases[c].trc);
        snprintf(v.color_primaries, sizeof(v.color_primaries), "%s", cases[c].pri);
        snprintf(v.color_matrix, sizeof(v.color_matrix), "%s", cases[c].mat);
        v.dv_present = cases[c].dv;
        v.dv_profile = cases[c].dv_profile;
        v.dv_bl_compat = cases[c].dv_compat;
        sobre_colour_plan(&v, cases[c].mode, &p);
        T_CHECK(p.conv == cases[c].want, "case %zu: conv %d, want %d", c, p.conv, cases[c].want);
        T_CHECK(!strcmp(p.transfer, cases[c].want_trc), "case %zu: transfer '%s'", c, p.transfer);
        T_CHECK(!strcmp(p.primaries, cases[c].want_pri), "case %zu: primaries '%s'", c,
                p.primaries);
        T_CHECK(!strcmp(p.matrix, cases[c].want_mat), "case %zu: matrix '%s'", c, p.matrix);
        T_CHECK(!strcmp(p.via, cases[c].want_via), "case %zu: via '%s'", c, p.via);
        T_CHECK(p.hdr_rung == cases[c].want_hdr_rung, "case %zu: hdr_rung %d", c, p.hdr_rung);
    }
    {
        SobreColourPlan p;
        sobre_colour_plan(NULL, SOBRE_HDR_KEEP, &p);
        T_EQ_INT(p.conv, SOBRE_COLOUR_AS_IS);
        T_EQ_INT(p.hdr_rung, 0);
    }
}

static void test_peak(void)
{
    static const struct {
        SobreColourConv conv;
        double measured, cll, mastering, want;
    } cases[] = {
        {SOBRE_COLOUR_HLG, 80, 0, 0, 100},         /* in range: left as it is (SDR white) */
        {SOBRE_COLOUR_HLG, 100, 0, 0, 100},        /* exactly SDR white */
        {SOBRE_COLOUR_HLG, 123, 0, 0, 100},        /* SDR superwhite headroom: still SDR */
        {SOBRE_COLOUR_HLG, 124, 0, 0, 124},        /* above it: tone mapped */
        {SOBRE_COLOUR_HLG, 450, 0, 0, 450},        /* what the pictures hold */
        {SOBRE_COLOUR_HLG, 2000, 0, 0, 1000},      /* HLG's nominal display peak */
        {SOBRE_COLOUR_PQ, 2000, 0, 0, 2000},       /* PQ reaches 10000 */
        {SOBRE_COLOUR_PQ, 12000, 0, 0, 10000},     /* never above the format */
        {SOBRE_COLOUR_PQ, 2000, 1000, 4000, 1000}, /* MaxCLL bounds the measure */
        {SOBRE_COLOUR_PQ, 500, 1000, 0, 500},      /* the measure within it stands */
        {SOBRE_COLOUR_PQ, 0, 0, 4000, 4000},       /* nothing measured: the mastering display */
        {SOBRE_COLOUR_PQ, 0, 600, 4000, 600},      /* MaxCLL before the mastering display */
        {SOBRE_COLOUR_PQ, 0, 0, 0, 1000},          /* nothing known: the common grade */
        {SOBRE_COLOUR_PQ, 0, 50, 0, 100},          /* a declared dim peak: SDR white */
    };
    for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
        double got = sobre_tonemap_peak_nits(cases[c].conv, cases[c].measured, cases[c].cll,
                                             cases[c].mastering);
        T_CHECK(fabs(got - cases[c].want) < 1e-9, "peak case %zu: %g, want %g", c, got,
                cases[c].want);
    }
}

static void test_describe(void)
{
    SobreProbeStream v;
    SobreColourPlan p;
    char text[256];
    memset(&v, 0, sizeof(v));
    snprintf(v.color_transfer, sizeof(v.color_transfer), "arib-std-b67");
    sobre_colour_plan(&v, SOBRE_HDR_SDR, &p);
    sobre_colour_describe(&p, 10, 100, text, sizeof(text));
    T_EQ_STR(text, "tone mapped from HLG (BT.2020, 10-bit) to SDR BT.709 (mobius, peak 100 nits)");
    snprintf(v.color_transfer, sizeof(v.color_transfer), "smpte2084");
    sobre_colour_plan(&v, SOBRE_HDR_SDR, &p);
    sobre_colour_describe(&p, 0, 0, text, sizeof(text));
    T_EQ_STR(text, "tone mapped from PQ (BT.2020) to SDR BT.709 (mobius)");
    snprintf(v.color_transfer, sizeof(v.color_transfer), "bt2020-10");
    snprintf(v.color_primaries, sizeof(v.color_primaries), "bt2020");
    sobre_colour_plan(&v, SOBRE_HDR_SDR, &p);
    sobre_colour_describe(&p, 10, 0, text, sizeof(text));
    T_EQ_STR(text, "gamut-mapped from BT.2020, 10-bit to SDR BT.709");
    snprintf(v.color_transfer, sizeof(v.color_transfer), "bt709");
    snprintf(v.color_primaries, sizeof(v.color_primaries), "bt709");
    sobre_colour_plan(&v, SOBRE_HDR_SDR, &p);
    sobre_colour_describe(&p, 8, 0, text, sizeof(text));
    T_EQ_STR(text, "");
    v.dv_present = 1;
    v.dv_profile = 5;
    sobre_colour_plan(&v, SOBRE_HDR_SDR, &p);
    sobre_colour_describe(&p, 10, 0, text, sizeof(text));
    T_CONTAINS(text, "Dolby Vision profile 5 has no HDR10, HLG or SDR base layer");
}

static void test_size(void)
{
    static const struct {
        int w, h, nw, nh, ww, wh;
    } cases[] = {
        {3840, 2160, 1920, 1080, 1920, 1080}, /* 4K phone, 1080p display view */
        {3840, 2160, 1280, 720, 1280, 720},   /* quality off: the 720p rung */
        {1920, 1080, 1920, 1080, 1920, 1080}, /* already the size */
        {1280, 720, 1920, 1080, 1280, 720},   /* never larger */
        {3840, 2160, 1080, 1920, 3414, 1920}, /* a need not turned to the stored orientation
                                                 keeps its height: callers turn it first */
        {3840, 2160, 1920, 1200, 2134, 1200}, /* the taller need wins, width rounded up even */
        {3840, 1634, 1280, 545, 1282, 546},   /* scope: rounded up to even on both sides */
        {640, 360, 0, 0, 640, 360},           /* nothing to go by */
    };
    for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
        int w, h;
        sobre_tonemap_size(cases[c].w, cases[c].h, cases[c].nw, cases[c].nh, &w, &h);
        T_CHECK(w == cases[c].ww && h == cases[c].wh, "size case %zu: %dx%d, want %dx%d", c, w, h,
                cases[c].ww, cases[c].wh);
    }
}

static SobreLadder *load_default(void)
{
    const char *src = getenv("SOBRE_SRC");
    char path[1024];
    SobreLadder *l = NULL;
    SobreError err;
    snprintf(path, sizeof(path), "%s/presets/ladders/default.yaml", src ? src : ".");
    if (sobre_ladder_load(&l, path, &err) < 0)
        fprintf(stderr, "%s\n", err.detail);
    return l;
}

static void test_hdr_rung(SobreLadder *l)
{
    static const struct {
        SobreSourceGeom src;
        const char *only;
        int want_model;
        const char *want_id;
        int w, h;
    } cases[] = {
        {{1, 1, 1920, 1080, 1, 1, 0, 30, 30, 1}, NULL, 3, "vp9-720p-hdr", 1280, 720},
        {{1, 1, 640, 480, 1, 1, 0, 30, 30, 1}, NULL, 2, "vp9-480p-hdr", 640, 480},
        /* a portrait phone clip: the largest VP9 rung, turned */
        {{1, 1, 1920, 1080, 1, 1, 90, 30, 30, 1}, NULL, 3, "vp9-720p-hdr", 720, 1280},
        {{1, 1, 1920, 1080, 1, 1, 0, 30, 30, 1}, "vp9-360p,audio", 1, "vp9-360p-hdr", 640, 360},
        /* no VP9 rung made: nothing added */
        {{1, 1, 1920, 1080, 1, 1, 0, 30, 30, 1}, "h264-480p,audio", -1, NULL, 0, 0},
        {{0, 1, 0, 0, 0, 0, 0, 0, 0, 0}, NULL, -1, NULL, 0, 0},
    };
    for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
        SobreLadder lad = *l;
        SobreRungPlan p[SOBRE_LADDER_MAX_RUNGS], hp;
        SobreRung hr;
        SobreError err;
        int m;
        if (cases[c].only)
            T_EQ_INT(sobre_ladder_only(&lad, cases[c].only, &err), 0);
        lad.rungs[3].target_ssim = 0.98; /* the HDR rung never searches */
        T_EQ_INT(sobre_ladder_plan(&lad, &cases[c].src, p, &err), 0);
        m = sobre_plan_hdr_rung(&lad, p, &hr, &hp);
        T_CHECK(m == cases[c].want_model, "hdr case %zu: model %d, want %d", c, m,
                cases[c].want_model);
        if (m < 0 || cases[c].want_model < 0)
            continue;
        T_EQ_STR(hr.id, cases[c].want_id);
        T_EQ_INT(hr.role, SOBRE_ROLE_HDR);
        T_EQ_INT(hr.codec, SOBRE_CODEC_VP9);
        T_EQ_INT(hr.audio, lad.rungs[m].audio);
        T_CHECK(hp.make && hp.out_w == cases[c].w && hp.out_h == cases[c].h,
                "hdr case %zu: %dx%d make %d", c, hp.out_w, hp.out_h, hp.make);
        T_EQ_INT(hp.crf, lad.rungs[m].crf);
        T_NEAR(hp.target_ssim, 0, 0);
        T_NEAR(hr.target_ssim, 0, 0);
        T_CONTAINS(hr.label, " HDR");
    }
    {
        /* a 47-character id still leaves room for "-hdr" */
        SobreLadder lad = *l;
        SobreRungPlan p[SOBRE_LADDER_MAX_RUNGS], hp;
        SobreRung hr;
        SobreError err;
        SobreSourceGeom g = {1, 1, 1280, 720, 1, 1, 0, 30, 30, 1};
        memset(lad.rungs[3].id, 'a', 47);
        lad.rungs[3].id[47] = '\0';
        T_EQ_INT(sobre_ladder_plan(&lad, &g, p, &err), 0);
        T_EQ_INT(sobre_plan_hdr_rung(&lad, p, &hr, &hp), 3);
        T_EQ_INT(strlen(hr.id), 47);
        T_CHECK(!strcmp(hr.id + 43, "-hdr"), "'%s' ends in -hdr", hr.id);
    }
}

static void test_preset_key(void)
{
    static const char *yaml = "name: t\nhdr: keep\nrungs:\n"
                              "  - {id: v, role: sobre, codec: vp9, container: webm, width: 320, "
                              "height: 180}\n";
    static const char *bad = "name: t\nrungs:\n"
                             "  - {id: v, role: hdr, codec: vp9, container: webm, width: 320, "
                             "height: 180}\n";
    static const char *badkey = "name: t\nhdr: yes\nrungs:\n"
                                "  - {id: v, role: sobre, codec: vp9, container: webm, width: "
                                "320, height: 180}\n";
    SobreLadder *l = NULL;
    SobreError err;
    SobreHdrMode m = SOBRE_HDR_SDR;
    T_EQ_INT(sobre_ladder_parse(&l, "t.yaml", yaml, strlen(yaml), &err), 0);
    T_EQ_INT(l ? (int)l->hdr : -1, SOBRE_HDR_KEEP);
    sobre_ladder_free(&l);
    T_CHECK(sobre_ladder_parse(&l, "t.yaml", bad, strlen(bad), &err) < 0, "role hdr refused");
    T_CONTAINS(err.detail, "t.yaml:3: rung 'v': role 'hdr'");
    T_CHECK(sobre_ladder_parse(&l, "t.yaml", badkey, strlen(badkey), &err) < 0, "hdr: yes refused");
    T_CONTAINS(err.detail, "hdr");
    T_EQ_INT(sobre_hdr_mode_parse("keep", &m), 0);
    T_EQ_INT(m, SOBRE_HDR_KEEP);
    T_EQ_INT(sobre_hdr_mode_parse("sdr", &m), 0);
    T_EQ_INT(m, SOBRE_HDR_SDR);
    T_EQ_INT(sobre_hdr_mode_parse("off", &m), -1);
    T_EQ_INT(m, SOBRE_HDR_SDR);
    T_EQ_STR(sobre_role_name(SOBRE_ROLE_HDR), "hdr");
}

int main(void)
{
    SobreLadder *l = load_default();
    test_decisions();
    test_peak();
    test_describe();
    test_size();
    T_CHECK(l != NULL, "default ladder loads");
    if (l)
        test_hdr_rung(l);
    test_preset_key();
    sobre_ladder_free(&l);
    return t_done();
}
