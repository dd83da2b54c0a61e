/* Rung planning on the source shapes users bring: 16:9, 4:3, scope, SAR, rotation,
 * portrait, tiny, audio only. */
#include <stdlib.h>
#include <string.h>

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
    all[3] = 0; /* 720p kept from an earlier run: 360p, 480p and h264 share 2 cores evenly */
    sobre_plan_threads(l, p, all, 2);
    T_EQ_INT(p[3].threads, 0);
    T_EQ_INT(p[2].threads, 1);
    sobre_plan_threads(l, p, none, 2);
    T_EQ_INT(p[2].threads, 0);
}

/* Threads by share of the work on bigger machines: the critical rungs get more while
 * their encoder can use them (libvpx row-mt, then tile columns), a preset's value wins. */
static void test_threads_cores(SobreLadder *l)
{
    static const struct {
        int cores;
        int threads[5], tiles[5]; /* audio, 360p, 480p, 720p, h264 */
    } cases[] = {
        {1, {0, 1, 1, 1, 1}, {0, 0, 0, 0, 0}},  {2, {0, 1, 1, 2, 1}, {0, 0, 0, 0, 0}},
        {4, {0, 1, 1, 2, 1}, {0, 0, 0, 0, 0}},  {8, {0, 2, 2, 4, 1}, {0, 0, 0, 0, 0}},
        {16, {0, 3, 4, 7, 3}, {0, 0, 0, 2, 0}}, {32, {0, 3, 4, 7, 3}, {0, 0, 0, 2, 0}},
    };
    SobreSourceGeom hd = {1, 1, 1280, 720, 1, 1, 0, 30, 30, 1};
    SobreRungPlan p[SOBRE_LADDER_MAX_RUNGS];
    int all[SOBRE_LADDER_MAX_RUNGS] = {0};
    SobreError err;
    T_EQ_INT(sobre_ladder_plan(l, &hd, p, &err), 0);
    for (int i = 0; i < l->nb_rungs; i++)
        all[i] = p[i].make;
    sobre_plan_work(l, p, all, NULL, 1);
    for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
        sobre_plan_threads(l, p, all, cases[c].cores);
        for (int i = 0; i < 5; i++) {
            T_CHECK(p[i].threads == cases[c].threads[i], "%d cores, rung %s: %d threads, want %d",
                    cases[c].cores, l->rungs[i].id, p[i].threads, cases[c].threads[i]);
            T_CHECK(p[i].tile_columns == cases[c].tiles[i],
                    "%d cores, rung %s: %d tile columns, want %d", cases[c].cores, l->rungs[i].id,
                    p[i].tile_columns, cases[c].tiles[i]);
            if (l->rungs[i].codec == SOBRE_CODEC_VP9 && p[i].threads > 0)
                T_CHECK(sobre_plan_feed(SOBRE_CODEC_VP9, p[i].out_w, p[i].out_h,
                                        p[i].tile_columns) >= p[i].threads,
                        "%d cores, rung %s: more threads than its encoder can use", cases[c].cores,
                        l->rungs[i].id);
        }
    }
    l->rungs[1].threads = 3; /* the preset says */
    sobre_plan_threads(l, p, all, 2);
    T_EQ_INT(p[1].threads, 3);
    l->rungs[1].threads = 0;
}

/* Work: the model per rung, scaled by what the learned rungs measured against it. */
static void test_work(SobreLadder *l)
{
    SobreSourceGeom hd = {1, 1, 1280, 720, 1, 1, 0, 30, 30, 1};
    SobreRungPlan p[SOBRE_LADDER_MAX_RUNGS], q[SOBRE_LADDER_MAX_RUNGS];
    int all[SOBRE_LADDER_MAX_RUNGS] = {0};
    double learned[SOBRE_LADDER_MAX_RUNGS] = {0};
    SobreError err;
    T_EQ_INT(sobre_ladder_plan(l, &hd, p, &err), 0);
    for (int i = 0; i < l->nb_rungs; i++)
        all[i] = p[i].make;
    memcpy(q, p, sizeof(p));
    sobre_plan_work(l, p, all, NULL, 1);
    /* calibrated on the 30 s sample: 720p 44.9 CPU-s, 360p 21.0 */
    T_NEAR(p[3].work, 1.497, 0.01);
    T_NEAR(p[1].work, 0.700, 0.01);
    T_CHECK(p[4].work < p[2].work, "x264 costs less than VP9 at 480p");
    T_EQ_INT(p[0].work, 0);     /* audio */
    learned[3] = 2 * p[3].work; /* this machine: twice the model */
    sobre_plan_work(l, q, all, learned, 1);
    T_NEAR(q[3].work, learned[3], 1e-12);
    T_EQ_INT(q[3].learned, 1);
    T_EQ_INT(q[2].learned, 0);
    T_NEAR(q[2].work, 2 * p[2].work, 1e-9);
    sobre_plan_work(l, q, all, NULL, 0); /* no quality measurement: cheaper */
    T_CHECK(q[1].work < p[1].work, "without quality %.3f < %.3f", q[1].work, p[1].work);
}

static void test_feed(void)
{
    static const struct {
        SobreCodec codec;
        int w, h, tiles, feed;
    } cases[] = {
        {SOBRE_CODEC_VP9, 640, 360, 0, 3},   {SOBRE_CODEC_VP9, 640, 360, 1, 4},
        {SOBRE_CODEC_VP9, 1280, 720, 0, 5},  {SOBRE_CODEC_VP9, 1280, 720, 2, 8},
        {SOBRE_CODEC_VP9, 1920, 1080, 0, 8}, {SOBRE_CODEC_VP9, 256, 144, 0, 1},
        {SOBRE_CODEC_H264, 854, 480, 0, 12}, {SOBRE_CODEC_H264, 16, 16, 0, 1},
        {SOBRE_CODEC_AV1, 1280, 720, 0, 16},
    };
    static const int widths[][2] = {{256, 0},  {320, 0},  {640, 1},  {854, 1},
                                    {1280, 2}, {1920, 2}, {3840, 3}, {16, 0}};
    for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++)
        T_CHECK(sobre_plan_feed(cases[c].codec, cases[c].w, cases[c].h, cases[c].tiles) ==
                    cases[c].feed,
                "case %zu: feed %d, want %d", c,
                sobre_plan_feed(cases[c].codec, cases[c].w, cases[c].h, cases[c].tiles),
                cases[c].feed);
    for (size_t c = 0; c < sizeof(widths) / sizeof(widths[0]); c++)
        T_CHECK(sobre_plan_max_tiles(widths[c][0]) == widths[c][1], "width %d: %d tiles, want %d",
                widths[c][0], sobre_plan_max_tiles(widths[c][0]), widths[c][1]);
    T_NEAR(sobre_plan_thread_cost(1), 1.0, 0);
    T_NEAR(sobre_plan_thread_cost(2), 1.13, 1e-9);
    T_NEAR(sobre_plan_thread_cost(4), 1.26, 1e-9);
}

/* The schedule simulation on cases worked out by hand. */
static void test_simulate(void)
{
    static const struct {
        const char *name;
        SobreSimTask t[6];
        int n, at_once, cores;
        double wall, first_end;
    } cases[] = {
        {"one task, more cores than it can use", {{10, 1, 0}}, 1, 1, 4, 10, 10},
        {"two tasks share one core", {{10, 1, 0}, {10, 1, 0}}, 2, 1, 1, 20, 20},
        {"four tasks on two cores",
         {{10, 1, 0}, {10, 1, 0}, {10, 1, 0}, {10, 1, 0}},
         4,
         1,
         2,
         20,
         20},
        {"two threads keep 1.72 cores busy", {{10, 2, 0}}, 1, 1, 2, 10 / 1.72, 10 / 1.72},
        {"a long task ends alone", {{10, 1, 0}, {10, 1, 0}, {20, 1, 0}}, 3, 1, 2, 25, 15},
        {"groups two at a time", {{10, 1, 0}, {10, 1, 1}, {10, 1, 2}, {10, 1, 3}}, 4, 2, 2, 20, 10},
        {"groups one at a time", {{10, 1, 0}, {10, 1, 1}, {10, 1, 2}, {10, 1, 3}}, 4, 1, 2, 40, 10},
        {"a group waits for its last task",
         {{10, 1, 0}, {2, 1, 0}, {10, 1, 1}, {2, 1, 1}},
         4,
         1,
         2,
         20,
         10},
        {"threads share by count",
         {{10, 2, 0}, {10, 1, 0}},
         2,
         1,
         2,
         /* 2/3 of 2 cores = 1.333 each for the 2-thread task, 0.667 for the other: the
          * first ends at 7.5 (the other has 5 left), then 5 alone at 1 core */
         12.5,
         7.5},
        {"no task", {{0, 1, 0}}, 0, 1, 2, 0, 0},
    };
    for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
        double finish[6], w = sobre_plan_simulate(cases[c].t, cases[c].n, cases[c].at_once,
                                                  cases[c].cores, finish);
        T_CHECK(fabs(w - cases[c].wall) < 1e-6, "%s: wall %.6f, want %.6f", cases[c].name, w,
                cases[c].wall);
        if (cases[c].n)
            T_CHECK(fabs(finish[0] - cases[c].first_end) < 1e-6, "%s: first ends %.6f, want %.6f",
                    cases[c].name, finish[0], cases[c].first_end);
    }
    {
        SobreSimTask bad = {1, 0, 0};
        T_CHECK(sobre_plan_simulate(&bad, 1, 1, 2, NULL) < 0, "0 threads refused");
        T_CHECK(sobre_plan_simulate(&bad, 5000, 1, 2, NULL) < 0, "too many tasks refused");
        bad.threads = 1;
        T_CHECK(sobre_plan_simulate(&bad, 1, 1, 0, NULL) < 0, "0 cores refused");
    }
}

/* The segment plan depends on the duration and keyframe interval only. */
static void test_segments(void)
{
    static const struct {
        double duration, keyint, min;
        int n;
        double seg;
    } cases[] = {
        {3, 1, 1, 3, 1},          /* the tests' clips: keyint 1 s, 3 s: three segments */
        {3.02, 1, 1, 3, 1},       /* a sliver joins the last segment */
        {3.6, 1, 1, 4, 1},        /* more than half a segment is one */
        {30, 4, 0.5, 8, 4},       /* short, no minimum: one keyframe interval each */
        {30, 4, 16, 2, 16},       /* the default minimum: two segments of 16 s */
        {30, 4, 10, 3, 12},       /* the minimum rounded up to whole intervals */
        {20, 4, 16, 1, 16},       /* shorter than 1.5 minimums: one segment */
        {1200, 4, 16, 33, 36},    /* 20 minutes: about 32 segments */
        {7200, 4, 16, 120, 60},   /* two hours: at most 60 s each */
        {7200, 4, 90, 120, 60},   /* ... even with a longer minimum */
        {36000, 4, 16, 300, 120}, /* ten hours: at most 512 segments */
        {0.5, 4, 16, 1, 16},      /* shorter than one segment */
        {0, 4, 16, 1, 0},         /* unknown duration: one segment */
        {600, 2.5, 16, 30, 20},   /* a multiple of the interval */
    };
    for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
        double seg = -1;
        int n = sobre_plan_segments(cases[c].duration, cases[c].keyint, cases[c].min, &seg);
        T_CHECK(n == cases[c].n && fabs(seg - cases[c].seg) < 1e-9,
                "%g s / %g, min %g: %d x %g, want %d x %g", cases[c].duration, cases[c].keyint,
                cases[c].min, n, seg, cases[c].n, cases[c].seg);
    }
    T_EQ_INT(sobre_plan_segments_at_once(1, 4, 8), 1);
    T_EQ_INT(sobre_plan_segments_at_once(2, 4, 8), 2);
    T_EQ_INT(sobre_plan_segments_at_once(8, 4, 8), 4);
    T_EQ_INT(sobre_plan_segments_at_once(32, 4, 8), 8); /* no more than there are */
    T_EQ_INT(sobre_plan_segments_at_once(32, 4, 100), 16);
    T_EQ_INT(sobre_plan_segments_at_once(4, 0, 3), 3);
}

/* Rung- or segment-parallel, and why. */
static void test_parallel(SobreLadder *l)
{
    static const struct {
        int cores, mode, eligible;
        double duration;
        int segments;
        const char *reason;
    } cases[] = {
        {2, SOBRE_SEGMENTS_AUTO, 1, 30, 0, "the rungs fill 2 cores"},
        {1, SOBRE_SEGMENTS_AUTO, 1, 30, 0, "the rungs fill 1 cores"},
        {32, SOBRE_SEGMENTS_AUTO, 1, 120, 1, "the rungs cannot fill 32 cores"},
        {16, SOBRE_SEGMENTS_AUTO, 1, 120, 1, "the rungs cannot fill 16 cores"},
        /* 30 s: two segments of 16 s (SOBRE_SEGMENT_MIN_S) do not pay on 32 cores */
        {32, SOBRE_SEGMENTS_AUTO, 1, 30, 0, "the rungs fill 32 cores"},
        /* long but the rungs fill the cores: no segments for the resume alone */
        {2, SOBRE_SEGMENTS_AUTO, 1, 1200, 0, "the rungs fill 2 cores"},
        {32, SOBRE_SEGMENTS_AUTO, 1, 1200, 1, "the rungs cannot fill 32 cores"},
        {2, SOBRE_SEGMENTS_ON, 1, 30, 1, "segments on"},
        {32, SOBRE_SEGMENTS_OFF, 1, 1200, 0, "segments off"},
        {32, SOBRE_SEGMENTS_AUTO, 0, 1200, 0, "cannot be cut into segments: not seekable"},
        {32, SOBRE_SEGMENTS_ON, 0, 30, 0, "cannot be cut into segments: not seekable"},
        {32, SOBRE_SEGMENTS_AUTO, 1, 3, 0, "one segment only"},
    };
    SobreSourceGeom hd = {1, 1, 1280, 720, 1, 1, 0, 30, 30, 1};
    SobreRungPlan p[SOBRE_LADDER_MAX_RUNGS];
    int all[SOBRE_LADDER_MAX_RUNGS] = {0}, none[SOBRE_LADDER_MAX_RUNGS] = {0};
    SobreParallelPlan o;
    SobreError err;
    T_EQ_INT(sobre_ladder_plan(l, &hd, p, &err), 0);
    for (int i = 0; i < l->nb_rungs; i++)
        all[i] = p[i].make;
    sobre_plan_work(l, p, all, NULL, 1);
    for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
        sobre_plan_threads(l, p, all, cases[c].cores);
        sobre_plan_parallel(l, p, all, cases[c].duration, 0.166, cases[c].cores, cases[c].mode,
                            cases[c].eligible, "not seekable", &o);
        T_CHECK(o.segments == cases[c].segments, "case %zu: segments %d (%s)", c, o.segments,
                o.reason);
        T_CONTAINS(o.reason, cases[c].reason);
        T_EQ_INT(o.cores, cases[c].cores);
        T_CHECK(o.predicted_rungs_s > 0 && o.predicted_segments_s > 0,
                "case %zu: predictions %g %g", c, o.predicted_rungs_s, o.predicted_segments_s);
        T_CHECK(o.segments ? o.at_once >= 1 : o.at_once == 1, "case %zu: %d at once", c, o.at_once);
    }
    sobre_plan_parallel(l, p, none, 30, 0.166, 8, SOBRE_SEGMENTS_ON, 1, NULL, &o);
    T_EQ_INT(o.segments, 0);
    T_CONTAINS(o.reason, "no video rendition");
}

int main(void)
{
    SobreLadder *l = load_default();
    T_CHECK(l != NULL, "default ladder loads");
    if (l) {
        test_sizes(l);
        test_details(l);
        test_plan_values(l);
        test_threads_cores(l);
        test_work(l);
        test_parallel(l);
    }
    test_feed();
    test_simulate();
    test_segments();
    test_display_size();
    sobre_ladder_free(&l);
    return t_done();
}
