/* Rung planning on the source shapes users bring: 16:9, 4:3, scope, SAR, rotation,
 * portrait, tiny, audio only. */
#include <stdlib.h>

#include "sobre/plan.h"
#include "sobre/preset.h"
#include "t.h"

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

/* Expected output sizes for: audio, vp9-360p, vp9-480p, vp9-720p, h264-480p
 * (0x0 = skipped). */
static void test_sizes(SobreLadder *l)
{
    static const struct {
        SobreSourceGeom src;
        int want[5][2];
    } cases[] = {
        {{1, 1, 1280, 720, 1, 1, 0, 30, 30, 1},
         {{0, 0}, {640, 360}, {854, 480}, {1280, 720}, {854, 480}}},
        {{1, 1, 1920, 1080, 0, 0, 0, 25, 25, 1},
         {{0, 0}, {640, 360}, {854, 480}, {1280, 720}, {854, 480}}},
        {{1, 1, 640, 480, 1, 1, 0, 30, 30, 1},
         {{0, 0}, {480, 360}, {640, 480}, {0, 0}, {640, 480}}},
        {{1, 1, 800, 332, 1, 1, 0, 24, 24, 1},
         {{0, 0}, {640, 266}, {800, 332}, {0, 0}, {800, 332}}},
        {{1, 1, 480, 480, 4, 3, 0, 25, 25, 1},
         {{0, 0}, {480, 360}, {640, 480}, {0, 0}, {640, 480}}},
        {{1, 1, 1280, 720, 1, 1, 90, 30, 30, 1},
         {{0, 0}, {360, 640}, {480, 854}, {720, 1280}, {480, 854}}},
        {{1, 1, 721, 405, 1, 1, 0, 25, 25, 1},
         {{0, 0}, {640, 360}, {720, 404}, {0, 0}, {720, 404}}},
        {{1, 1, 16, 16, 1, 1, 0, 25, 25, 1}, {{0, 0}, {0, 0}, {16, 16}, {0, 0}, {16, 16}}},
        {{1, 1, 320, 240, 1, 1, 0, 25, 25, 1}, {{0, 0}, {0, 0}, {320, 240}, {0, 0}, {320, 240}}},
        {{1, 0, 1280, 720, 1, 1, 0, 30, 30, 1},
         {{0, 0}, {640, 360}, {854, 480}, {1280, 720}, {854, 480}}},
    };
    for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
        SobreRungPlan p[SOBRE_LADDER_MAX_RUNGS];
        SobreError err;
        T_EQ_INT(sobre_ladder_plan(l, &cases[c].src, p, &err), 0);
        T_EQ_INT(p[0].make, cases[c].src.has_audio);
        for (int i = 1; i < 5; i++) {
            int w = cases[c].want[i][0], h = cases[c].want[i][1];
            T_CHECK(p[i].make == (w > 0), "case %zu rung %d make=%d (%s)", c, i, p[i].make,
                    p[i].reason);
            if (w > 0 && p[i].make)
                T_CHECK(p[i].out_w == w && p[i].out_h == h, "case %zu rung %d: %dx%d, want %dx%d",
                        c, i, p[i].out_w, p[i].out_h, w, h);
            if (w == 0)
                T_CHECK(p[i].reason[0] != '\0', "skipped rung %d gives a reason", i);
        }
        T_EQ_INT(p[5].make, 0); /* av1 off by default */
        T_CONTAINS(p[5].reason, "--enable av1-720p");
    }
}

static void test_details(SobreLadder *l)
{
    SobreRungPlan p[SOBRE_LADDER_MAX_RUNGS];
    SobreError err;
    SobreSourceGeom rot = {1, 1, 1280, 720, 1, 1, 270, 60, 60, 1};
    SobreSourceGeom audio = {0, 1, 0, 0, 0, 0, 0, 0, 0, 0};
    SobreSourceGeom none = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    int w, h;

    T_EQ_INT(sobre_ladder_plan(l, &rot, p, &err), 0);
    T_EQ_INT(p[2].scale_w, 854); /* scaled before rotation */
    T_EQ_INT(p[2].scale_h, 480);
    T_NEAR(p[2].fps, 30, 1e-9); /* capped */
    T_EQ_INT(p[2].keyint_frames, 120);
    sobre_source_display_size(&rot, &w, &h);
    T_EQ_INT(w, 720);
    T_EQ_INT(h, 1280);

    T_EQ_INT(sobre_ladder_plan(l, &audio, p, &err), 0);
    T_EQ_INT(p[0].make, 1);
    T_EQ_INT(p[2].make, 0);
    T_CONTAINS(p[2].reason, "no video");

    T_EQ_INT(sobre_ladder_plan(l, &none, p, &err), SOBRE_E_NOMEDIA);
}

/* One display-size rule (plan.h), the one players use: stretch by the SAR, never shrink. */
static void test_display_size(void)
{
    static const struct {
        SobreSourceGeom src;
        int w, h;
    } cases[] = {
        {{1, 0, 720, 480, 8, 9, 0, 0, 0, 0}, 720, 540},     /* NTSC 4:3: taller, not narrower */
        {{1, 0, 720, 480, 10, 11, 0, 0, 0, 0}, 720, 528},   /* NTSC 4:3, ITU SAR */
        {{1, 0, 720, 576, 16, 15, 0, 0, 0, 0}, 768, 576},   /* PAL 4:3: wider */
        {{1, 0, 1440, 1080, 4, 3, 0, 0, 0, 0}, 1920, 1080}, /* HDV */
        {{1, 0, 720, 480, 8, 9, 90, 0, 0, 0}, 540, 720},    /* SAR, then the quarter turn */
        {{1, 0, 640, 480, 0, 0, 0, 0, 0, 0}, 640, 480},     /* unknown SAR: square */
        {{1, 0, 640, 480, 1, 1, 180, 0, 0, 0}, 640, 480},
    };
    for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
        int w, h;
        sobre_source_display_size(&cases[c].src, &w, &h);
        T_CHECK(w == cases[c].w && h == cases[c].h, "case %zu: %dx%d, want %dx%d", c, w, h,
                cases[c].w, cases[c].h);
    }
}

/* The plan carries every chosen value: the rung's CRF and target, and the threads. */
static void test_plan_values(SobreLadder *l)
{
    SobreRungPlan p[SOBRE_LADDER_MAX_RUNGS];
    SobreSourceGeom hd = {1, 1, 1280, 720, 1, 1, 0, 30, 30, 1};
    int all[SOBRE_LADDER_MAX_RUNGS] = {0}, none[SOBRE_LADDER_MAX_RUNGS] = {0};
    SobreError err;
    T_EQ_INT(sobre_ladder_plan(l, &hd, p, &err), 0);
    for (int i = 0; i < l->nb_rungs; i++) {
        all[i] = p[i].make;
        if (p[i].make && l->rungs[i].video)
            T_CHECK(p[i].crf == l->rungs[i].crf, "rung %s: plan crf %d, preset %d", l->rungs[i].id,
                    p[i].crf, l->rungs[i].crf);
    }
    sobre_plan_threads(l, p, all, 2);
    T_EQ_INT(p[0].threads, 0); /* audio */
    T_EQ_INT(p[1].threads, 1); /* vp9-360p */
    T_EQ_INT(p[3].threads, 2); /* vp9-720p: the heaviest VP9 rung */
    T_EQ_INT(p[4].threads, 1); /* h264 */
    sobre_plan_threads(l, p, all, 1);
    T_EQ_INT(p[3].threads, 1); /* one core: one thread each */
    all[3] = 0;                /* 720p kept from an earlier run: 480p is now the heaviest */
    sobre_plan_threads(l, p, all, 2);
    T_EQ_INT(p[3].threads, 0);
    T_EQ_INT(p[2].threads, 2);
    sobre_plan_threads(l, p, none, 2);
    T_EQ_INT(p[2].threads, 0);
}

int main(void)
{
    SobreLadder *l = load_default();
    T_CHECK(l != NULL, "default ladder loads");
    if (l) {
        test_sizes(l);
        test_details(l);
        test_plan_values(l);
    }
    test_display_size();
    sobre_ladder_free(&l);
    return t_done();
}
