/* How an encode fills the machine: each rung's work (a model, or what an earlier encode
 * measured), encoder threads by share of the work, the segment plan, and a simulation of
 * the schedule that both the thread rule and the choice between rung-parallel and
 * segment-parallel encoding rest on. Pure arithmetic: the same numbers on every host. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "sobre/plan.h"

/* The work model, calibrated on the 30 s 720p sample with the default ladder (README:
 * vp9-360p 21.0, vp9-480p 29.6, vp9-720p 44.9, h264-480p 18.6 CPU-s): CPU seconds per
 * pixel for VP9 at cpu-used 4, the other codecs relative to it (x264 "fast" 0.39,
 * SVT-AV1 preset 8 0.9 from ENCODING.md), and a part per frame whatever the size
 * (scaling from the source, muxing, and the quality measurement at the display size). */
#define PX_COST         3.84e-8
#define FRAME_COST      14.5e-3
#define FRAME_COST_NOQ  8.7e-3
#define THREAD_OVERHEAD 0.13 /* CPU per doubling of libvpx threads (ENCODING.md) */
#define THREAD_USE      0.86 /* cores a thread beyond the first keeps busy (1.52x at 2) */
#define THREAD_GAIN     0.97 /* a thread more must shorten the encode by 3 % */
#define SIM_MAX_TASKS   4096

static double codec_cost(SobreCodec c)
{
    return c == SOBRE_CODEC_H264 ? 0.39 : c == SOBRE_CODEC_AV1 ? 0.9 : 1.0;
}

static double model(const SobreRung *r, const SobreRungPlan *p, int quality)
{
    double fps = p->fps > 0 ? p->fps : 25;
    return fps * ((double)p->out_w * p->out_h * PX_COST * codec_cost(r->codec) +
                  (quality ? FRAME_COST : FRAME_COST_NOQ));
}

void sobre_plan_work(const SobreLadder *l, SobreRungPlan *p, const int *pending,
                     const double *learned, int quality)
{
    double got = 0, modelled = 0, k = 1;
    for (int i = 0; i < l->nb_rungs; i++) {
        p[i].work = 0;
        p[i].learned = 0;
        if (!pending[i] || !l->rungs[i].video)
            continue;
        p[i].work = model(&l->rungs[i], &p[i], quality);
        if (learned && learned[i] > 0) {
            got += learned[i];
            modelled += p[i].work;
            p[i].work = learned[i];
            p[i].learned = 1;
        }
    }
    if (got > 0 && modelled > 0)
        k = got / modelled; /* this machine and this content, against the model */
    for (int i = 0; i < l->nb_rungs; i++)
        if (p[i].work > 0 && !p[i].learned)
            p[i].work *= k;
}

double sobre_plan_thread_cost(int threads)
{
    return threads > 1 ? 1.0 + THREAD_OVERHEAD * log2((double)threads) : 1.0;
}

int sobre_plan_max_tiles(int width)
{
    int sb = (width + 63) / 64, k = 0;
    while (k < 6 && (sb >> (k + 1)) >= 4)
        k++;
    return k;
}

int sobre_plan_feed(SobreCodec codec, int width, int height, int tiles)
{
    int n;
    switch (codec) {
    case SOBRE_CODEC_VP9: {
        /* row-mt: rows of 64-pixel blocks in a wavefront, about one busy thread per four
         * block columns of a tile (WebM's VOD settings: 4 threads at 360p, 8 at 720p) */
        int per = ((width + 63) / 64) >> tiles;
        n = (1 << tiles) * (per > 4 ? (per + 3) / 4 : 1);
        break;
    }
    case SOBRE_CODEC_H264:
        n = height / 40; /* frame threads, bounded by the vertical motion range */
        break;
    case SOBRE_CODEC_AV1:
        n = (int)((double)width * height / 57600);
        break;
    default:
        n = 1;
    }
    return n < 1 ? 1 : n;
}

static int group_count(const SobreSimTask *t, int n)
{
    int g = 0;
    for (int i = 0; i < n; i++)
        if (t[i].group + 1 > g)
            g = t[i].group + 1;
    return g;
}

/* Cores each running task gets: shares by threads (the kernel's fair share), none above
 * what its threads can use; what a capped task leaves goes to the others. */
static void share(const SobreSimTask *t, const int *active, int n, int cores, double *rate)
{
    double avail = cores, weight = 0;
    int open[SIM_MAX_TASKS], left = 0;
    for (int i = 0; i < n; i++) {
        rate[i] = 0;
        if (active[i]) {
            open[left++] = i;
            weight += t[i].threads;
        }
    }
    for (int changed = 1; changed && left > 0;) {
        changed = 0;
        for (int k = 0; k < left; k++) {
            int i = open[k], th = t[i].threads;
            double cap = th > 1 ? th * THREAD_USE : 1.0;
            if (avail * th / weight > cap) {
                rate[i] = cap;
                avail -= cap;
                weight -= th;
                open[k--] = open[--left];
                changed = 1;
            }
        }
    }
    for (int k = 0; k < left; k++)
        rate[open[k]] = avail * t[open[k]].threads / weight;
}

double sobre_plan_simulate(const SobreSimTask *t, int n, int at_once, int cores, double *finish)
{
    double left[SIM_MAX_TASKS], rate[SIM_MAX_TASKS], now = 0;
    int active[SIM_MAX_TASKS], groups, next = 0, running = 0;
    int group_left[SIM_MAX_TASKS];
    if (n < 0 || n > SIM_MAX_TASKS || cores < 1)
        return -1;
    if (at_once < 1)
        at_once = 1;
    groups = group_count(t, n);
    for (int g = 0; g < groups; g++)
        group_left[g] = 0;
    for (int i = 0; i < n; i++) {
        if (t[i].group < 0 || t[i].threads < 1)
            return -1;
        left[i] = t[i].cpu_s > 0 ? t[i].cpu_s : 0;
        active[i] = 0;
        if (finish)
            finish[i] = 0;
        if (left[i] > 0)
            group_left[t[i].group]++;
    }
    for (;;) {
        double dt = INFINITY;
        int any = 0;
        while (running < at_once && next < groups) { /* groups start in order */
            for (int i = 0; i < n; i++)
                if (t[i].group == next && left[i] > 0)
                    active[i] = 1;
            if (group_left[next++] > 0)
                running++;
        }
        for (int i = 0; i < n; i++)
            any |= active[i];
        if (!any)
            break;
        share(t, active, n, cores, rate);
        for (int i = 0; i < n; i++)
            if (active[i] && rate[i] > 0 && left[i] / rate[i] < dt)
                dt = left[i] / rate[i];
        now += dt;
        for (int i = 0; i < n; i++) {
            if (!active[i])
                continue;
            left[i] -= rate[i] * dt;
            if (left[i] <= 1e-9 * (1 + t[i].cpu_s)) {
                left[i] = 0;
                active[i] = 0;
                if (finish)
                    finish[i] = now;
                if (--group_left[t[i].group] == 0)
                    running--;
            }
        }
    }
    return now;
}

/* The rungs side by side (rung-parallel), one second of content each. */
static double simulate_rungs(const SobreLadder *l, const SobreRungPlan *p, const int *pending,
                             const int *threads, int cores, double *finish, int *index)
{
    SobreSimTask t[SOBRE_LADDER_MAX_RUNGS];
    int n = 0;
    for (int i = 0; i < l->nb_rungs; i++)
        if (pending[i] && l->rungs[i].video && p[i].work > 0) {
            t[n] = (SobreSimTask){p[i].work * sobre_plan_thread_cost(threads[i]), threads[i], 0};
            index[n++] = i;
        }
    return sobre_plan_simulate(t, n, 1, cores, finish);
}

/* Tile columns for t threads: as few as make the encoder able to use them, -1 if none. */
static int tiles_for(const SobreRung *r, const SobreRungPlan *p, int t)
{
    if (r->codec != SOBRE_CODEC_VP9)
        return sobre_plan_feed(r->codec, p->out_w, p->out_h, 0) >= t ? 0 : -1;
    for (int k = 0; k <= sobre_plan_max_tiles(p->out_w); k++)
        if (sobre_plan_feed(r->codec, p->out_w, p->out_h, k) >= t)
            return k;
    return -1;
}

void sobre_plan_threads(const SobreLadder *l, SobreRungPlan *p, const int *pending, int cores)
{
    int threads[SOBRE_LADDER_MAX_RUNGS], tiles[SOBRE_LADDER_MAX_RUNGS];
    int index[SOBRE_LADDER_MAX_RUNGS], n = 0;
    double finish[SOBRE_LADDER_MAX_RUNGS];
    for (int i = 0; i < l->nb_rungs; i++) {
        int made = pending[i] && l->rungs[i].video;
        threads[i] = !made ? 0 : l->rungs[i].threads > 0 ? l->rungs[i].threads : 1;
        tiles[i] = 0;
        if (made && p[i].work <= 0) /* no estimate given: the model, quality on */
            p[i].work = model(&l->rungs[i], &p[i], 1);
    }
    /* Each round gives one more thread to every rung that ends (within 3 %) with the
     * last one: the rungs on the critical path; kept only if the encode gets shorter. */
    for (int round = 0; cores > 1 && round < 256; round++) {
        double wall = simulate_rungs(l, p, pending, threads, cores, finish, index);
        int next[SOBRE_LADDER_MAX_RUNGS], ntiles[SOBRE_LADDER_MAX_RUNGS], ok = 1;
        n = 0;
        for (int i = 0; i < l->nb_rungs; i++)
            if (pending[i] && l->rungs[i].video && p[i].work > 0)
                n++;
        memcpy(next, threads, sizeof(next));
        memcpy(ntiles, tiles, sizeof(ntiles));
        for (int k = 0; k < n && ok; k++) {
            int i = index[k];
            if (finish[k] < wall * THREAD_GAIN)
                continue;
            /* the preset fixed its threads, or its encoder could not use one more */
            if (l->rungs[i].threads > 0 ||
                (ntiles[i] = tiles_for(&l->rungs[i], &p[i], threads[i] + 1)) < 0)
                ok = 0;
            next[i]++;
        }
        if (!ok || simulate_rungs(l, p, pending, next, cores, finish, index) > wall * THREAD_GAIN)
            break;
        memcpy(threads, next, sizeof(next));
        memcpy(tiles, ntiles, sizeof(ntiles));
    }
    for (int i = 0; i < l->nb_rungs; i++) {
        p[i].threads = threads[i];
        p[i].tile_columns = tiles[i];
    }
}

int sobre_plan_segments(double duration_s, double keyint_s, double min_s, double *segment_s)
{
    long k, kmax, kmin, n;
    if (!(duration_s > 0) || !(keyint_s > 0)) {
        *segment_s = duration_s > 0 ? duration_s : 0;
        return 1;
    }
    k = lround(duration_s / SOBRE_PLAN_SEGMENTS / keyint_s);
    kmax = (long)floor(SOBRE_PLAN_SEGMENT_MAX_S / keyint_s + 1e-9);
    kmin = (long)ceil(min_s / keyint_s - 1e-9);
    if (k < kmin)
        k = kmin;
    if (k > kmax)
        k = kmax;
    if (k < 1)
        k = 1;
    while (duration_s / ((double)k * keyint_s) > SIM_MAX_TASKS / 8) /* very long: fewer */
        k *= 2;
    *segment_s = (double)k * keyint_s;
    /* the last segment takes the rest: a sliver under half a segment joins it */
    n = (long)floor(duration_s / *segment_s + 0.5);
    return n < 1 ? 1 : (int)n;
}

int sobre_plan_segments_at_once(int cores, int rungs, int nb_segments)
{
    int j;
    if (cores <= 1 || nb_segments <= 1)
        return 1;
    if (rungs < 1)
        rungs = 1;
    j = (2 * cores + rungs - 1) / rungs;
    if (j < 2)
        j = 2;
    return j < nb_segments ? j : nb_segments;
}

/* The predicted wall of both ways on `cores` cores for the whole episode. */
static void predict(const SobreLadder *l, const SobreRungPlan *p, const int *pending, double dur,
                    double decode_work, int cores, SobreParallelPlan *o)
{
    static const double overlap_s = 1.0; /* decoded before a segment's start, on average */
    SobreSimTask t[SIM_MAX_TASKS];
    int n = 0, rungs = 0;
    for (int i = 0; i < l->nb_rungs; i++)
        if (pending[i] && l->rungs[i].video) {
            t[n++] = (SobreSimTask){p[i].work * dur * sobre_plan_thread_cost(p[i].threads),
                                    p[i].threads > 0 ? p[i].threads : 1, 0};
            rungs++;
        }
    t[n++] = (SobreSimTask){decode_work * dur, 1, 0};
    o->predicted_rungs_s = sobre_plan_simulate(t, n, 1, cores, NULL);
    n = 0;
    for (int k = 0; k < o->nb_segments && n + rungs + 1 <= SIM_MAX_TASKS; k++) {
        double len = k + 1 < o->nb_segments ? o->segment_s : dur - k * o->segment_s;
        if (len < 0)
            len = 0;
        for (int i = 0; i < l->nb_rungs; i++)
            if (pending[i] && l->rungs[i].video) {
                int th = l->rungs[i].threads > 0 ? l->rungs[i].threads : 1;
                t[n++] = (SobreSimTask){p[i].work * len * sobre_plan_thread_cost(th), th, k};
            }
        t[n++] = (SobreSimTask){decode_work * (len + (k ? overlap_s : 0)), 1, k};
    }
    o->predicted_segments_s = sobre_plan_simulate(t, n, o->at_once, cores, NULL);
}

void sobre_plan_parallel(const SobreLadder *l, const SobreRungPlan *p, const int *pending,
                         double duration_s, double decode_work, int cores, SobreSegmentMode mode,
                         int eligible, const char *why_not, SobreParallelPlan *o)
{
    int rungs = 0;
    memset(o, 0, sizeof(*o));
    o->cores = cores < 1 ? 1 : cores;
    for (int i = 0; i < l->nb_rungs; i++)
        rungs += pending[i] && l->rungs[i].video;
    o->nb_segments = sobre_plan_segments(duration_s, l->keyint_s, l->segment_min_s, &o->segment_s);
    o->at_once = sobre_plan_segments_at_once(o->cores, rungs, o->nb_segments);
    if (rungs && duration_s > 0)
        predict(l, p, pending, duration_s, decode_work, o->cores, o);
    if (mode == SOBRE_SEGMENTS_OFF) {
        snprintf(o->reason, sizeof(o->reason), "segments off (--segments off)");
    } else if (!rungs) {
        snprintf(o->reason, sizeof(o->reason), "no video rendition to encode");
    } else if (!eligible) {
        snprintf(o->reason, sizeof(o->reason), "the input cannot be cut into segments: %s",
                 why_not && why_not[0] ? why_not : "unknown reason");
    } else if (mode == SOBRE_SEGMENTS_ON) {
        o->segments = 1;
        snprintf(o->reason, sizeof(o->reason), "segments on (--segments on)");
    } else if (o->nb_segments < 2) {
        snprintf(o->reason, sizeof(o->reason), "one segment only (%.1f s)", duration_s);
    } else if (o->predicted_rungs_s >= 1.10 * o->predicted_segments_s) {
        o->segments = 1;
        snprintf(o->reason, sizeof(o->reason),
                 "the rungs cannot fill %d cores: predicted %.0f s rung-parallel, %.0f s in "
                 "segments",
                 o->cores, o->predicted_rungs_s, o->predicted_segments_s);
    } else {
        /* Long episodes too: segments for the resume alone cost a 10-minute 1080p cut on
         * 2 cores 8.6 % more CPU, 7 % more time and 2.4x the memory of rung-parallel
         * (docs/bench.md, "Growth with duration"); --segments on asks for them. */
        snprintf(o->reason, sizeof(o->reason),
                 "the rungs fill %d cores: predicted %.0f s rung-parallel, %.0f s in segments",
                 o->cores, o->predicted_rungs_s, o->predicted_segments_s);
    }
    if (!o->segments)
        o->at_once = 1;
}
