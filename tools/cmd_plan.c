/* sobre plan: what an episode's encode would take on other machines, computed from what
 * its encode measured (report.json "plan": each segment's and rung's CPU time, the
 * serial phases) with the library's schedule simulation (sobre/plan.h). Nothing here is
 * measured on the other machines: scripts/bench-scaling.sh labels it so. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "args_cmd.h"
#include "cli.h"
#include "cmd.h"
#include "sobre/plan.h"
#include "sobre/preset.h"
#include "sobre/report.h"

#define MAX_SEGMENT 4096

static void usage(FILE *out)
{
    fprintf(out, "Usage: sobre plan EPISODE_DIR [--rungs EPISODE_DIR] [--cores LIST] [--json]\n\n"
                 "Computes the wall time an episode's encode would take on machines with more\n"
                 "cores, from what its encode measured here (report.json \"plan\"): today's\n"
                 "rung-parallel plan (one encoder thread per rung, two for the heaviest VP9\n"
                 "rung), the rung-parallel plan with threads by share of the work on N cores,\n"
                 "and the segment-parallel plan on N cores. EPISODE_DIR must have been encoded\n"
                 "in segments (sobre encode --segments on): its report holds each segment's CPU\n"
                 "time per rendition. --rungs gives a rung-parallel encode of the same master,\n"
                 "whose rungs' and decode's CPU time the rung plans then use.\n\n"
                 "Each plan's schedule is simulated (sobre_plan_simulate: the cores shared among\n"
                 "the running threads, segments started in order, a few at once), and the parts\n"
                 "of the encode that do not run in parallel (CRF search, join, verify, report)\n"
                 "are added as measured. These are computed figures, not measurements.\n\n"
                 "Options:\n"
                 "      --rungs DIR    a rung-parallel encode of the same master (report.json)\n"
                 "      --cores LIST   core counts, comma-separated (default 2,4,8,16,32)\n"
                 "      --json         the table as JSON on stdout\n"
                 "  -h, --help         this help\n");
}

typedef struct Episode {
    SobreReport *rep;
    json_t *plan; /* the report's "plan" section */
    double duration;
    int n; /* video renditions */
    const char *id[SOBRE_LADDER_MAX_RUNGS];
    SobreCodec codec[SOBRE_LADDER_MAX_RUNGS];
    int w[SOBRE_LADDER_MAX_RUNGS], h[SOBRE_LADDER_MAX_RUNGS];
    double fps[SOBRE_LADDER_MAX_RUNGS], cpu[SOBRE_LADDER_MAX_RUNGS];
    int threads[SOBRE_LADDER_MAX_RUNGS];
} Episode;

static SobreCodec codec_of(const char *name)
{
    return !strcmp(name, "h264")  ? SOBRE_CODEC_H264
           : !strcmp(name, "av1") ? SOBRE_CODEC_AV1
                                  : SOBRE_CODEC_VP9;
}

/* A serial phase's time on a quiet machine: its CPU time (one thread), else its wall. */
static double phase(const Episode *e, const char *name)
{
    json_t *c = json_object_get(json_object_get(e->plan, "phases_cpu_s"), name);
    if (json_is_number(c))
        return json_number_value(c);
    return json_number_value(json_object_get(json_object_get(e->plan, "phases_s"), name));
}

static int load(Episode *e, const char *dir)
{
    SobreError err = {0, ""};
    char *text;
    memset(e, 0, sizeof(*e));
    if (sobre_report_load(&e->rep, dir, &err) < 0)
        return cli_report("plan", &err, err.code);
    text = sobre_report_get_section(e->rep, NULL, "plan");
    e->plan = text ? json_loads(text, 0, NULL) : NULL;
    free(text);
    if (!e->plan) {
        cli_error("plan", "%s: report.json has no \"plan\" (encoded by an older sobre?)", dir);
        return CLI_FAIL;
    }
    e->duration = e->rep->source.duration_s;
    for (int i = 0; i < e->rep->nb_renditions && e->n < SOBRE_LADDER_MAX_RUNGS; i++) {
        const SobreReportRendition *d = &e->rep->renditions[i];
        if (!d->has_video)
            continue;
        e->id[e->n] = d->id;
        e->codec[e->n] = codec_of(d->video.codec);
        e->w[e->n] = d->video.width;
        e->h[e->n] = d->video.height;
        e->fps[e->n] = d->video.fps;
        e->cpu[e->n] = d->cpu_s;
        e->threads[e->n] = d->video.threads > 0 ? d->video.threads : 1;
        e->n++;
    }
    if (!e->n || !(e->duration > 0)) {
        cli_error("plan", "%s: no video rendition, or no duration, to plan", dir);
        return CLI_FAIL;
    }
    return 0;
}

static void unload(Episode *e)
{
    json_decref(e->plan);
    sobre_report_free(&e->rep);
}

static int find(const Episode *e, const char *id)
{
    for (int i = 0; i < e->n; i++)
        if (!strcmp(e->id[i], id))
            return i;
    return -1;
}

/* The rungs side by side with these threads, each rung's CPU at one thread given. */
static double rungs_wall(const Episode *e, const double *work1, const int *threads, double decode,
                         int cores)
{
    SobreSimTask t[SOBRE_LADDER_MAX_RUNGS + 1];
    int n = 0;
    for (int i = 0; i < e->n; i++)
        t[n++] = (SobreSimTask){work1[i] * sobre_plan_thread_cost(threads[i]), threads[i], 0};
    t[n++] = (SobreSimTask){decode, 1, 0};
    return sobre_plan_simulate(t, n, 1, cores, NULL);
}

/* Today's rule, the one before core-aware plans: two threads for the VP9 rung with the
 * most pixels per second when there are two cores or more, one for the others. */
static void today_threads(const Episode *e, int cores, int *threads)
{
    int heavy = -1;
    double best = 0;
    for (int i = 0; i < e->n; i++) {
        double load = (double)e->w[i] * e->h[i] * e->fps[i];
        if (cores >= 2 && e->codec[i] == SOBRE_CODEC_VP9 && load > best)
            best = load, heavy = i;
    }
    for (int i = 0; i < e->n; i++)
        threads[i] = i == heavy ? 2 : 1;
}

/* The rule of this version: sobre_plan_threads() on a ladder made of the renditions. */
static void share_threads(const Episode *e, const double *work1, int cores, int *threads)
{
    SobreLadder l;
    SobreRungPlan p[SOBRE_LADDER_MAX_RUNGS];
    int pending[SOBRE_LADDER_MAX_RUNGS] = {0};
    memset(&l, 0, sizeof(l));
    memset(p, 0, sizeof(p));
    l.nb_rungs = e->n;
    for (int i = 0; i < e->n; i++) {
        l.rungs[i].video = 1;
        l.rungs[i].enabled = 1;
        l.rungs[i].codec = e->codec[i];
        p[i].make = 1;
        p[i].out_w = e->w[i];
        p[i].out_h = e->h[i];
        p[i].fps = e->fps[i];
        p[i].work = work1[i] / e->duration;
        pending[i] = 1;
    }
    sobre_plan_threads(&l, p, pending, cores);
    for (int i = 0; i < e->n; i++)
        threads[i] = p[i].threads;
}

/* The segments as they were made: each one's decode and each rung's CPU, at most
 * sobre_plan_segments_at_once() at a time. */
static double segments_wall(const Episode *e, int cores, int *at_once)
{
    static SobreSimTask t[MAX_SEGMENT];
    json_t *stats = json_object_get(e->plan, "segment_stats"), *s;
    size_t k;
    int n = 0;
    json_array_foreach(stats, k, s)
    {
        const char *id;
        json_t *v;
        if (n + e->n + 1 > MAX_SEGMENT)
            break;
        t[n++] = (SobreSimTask){json_number_value(json_object_get(s, "decode_cpu_s")), 1, (int)k};
        json_object_foreach(json_object_get(s, "cpu_s"), id, v) t[n++] =
            (SobreSimTask){json_number_value(v), 1, (int)k};
    }
    *at_once = sobre_plan_segments_at_once(cores, e->n, (int)json_array_size(stats));
    return sobre_plan_simulate(t, n, *at_once, cores, NULL);
}

static json_t *threads_json(const Episode *e, const int *threads)
{
    json_t *o = json_object();
    for (int i = 0; i < e->n; i++)
        json_object_set_new(o, e->id[i], json_integer(threads[i]));
    return o;
}

static json_t *table(const Episode *seg, const Episode *rung, const int *cores, int nc)
{
    json_t *rows = json_array(), *stats = json_object_get(seg->plan, "segment_stats"), *s;
    double work1[SOBRE_LADDER_MAX_RUNGS] = {0}, decode = 0, seg_decode = 0;
    double serial_r, serial_s;
    size_t k;
    /* each rung's CPU at one thread: the rung-parallel encode's, else its segments' */
    json_array_foreach(stats, k, s)
    {
        const char *id;
        json_t *v;
        seg_decode += json_number_value(json_object_get(s, "decode_cpu_s"));
        json_object_foreach(json_object_get(s, "cpu_s"), id, v)
        {
            int i = find(seg, id);
            if (i >= 0)
                work1[i] += json_number_value(v);
        }
    }
    decode = seg_decode;
    for (int i = 0; rung && i < seg->n; i++) {
        int j = find(rung, seg->id[i]);
        if (j >= 0)
            work1[i] = rung->cpu[j] / sobre_plan_thread_cost(rung->threads[j]);
    }
    if (rung && json_is_number(json_object_get(rung->plan, "decode_cpu_s")))
        decode = json_number_value(json_object_get(rung->plan, "decode_cpu_s"));
    serial_s = phase(seg, "search") + phase(seg, "join") + phase(seg, "finish");
    serial_r = rung ? phase(rung, "search") + phase(rung, "finish")
                    : phase(seg, "search") + phase(seg, "finish");
    for (int c = 0; c < nc; c++) {
        int today[SOBRE_LADDER_MAX_RUNGS], share[SOBRE_LADDER_MAX_RUNGS], at_once;
        double sw;
        today_threads(seg, cores[c], today);
        share_threads(seg, work1, cores[c], share);
        sw = segments_wall(seg, cores[c], &at_once);
        json_array_append_new(
            rows,
            json_pack("{s:i, s:f, s:f, s:f, s:o, s:o, s:i}", "cores", cores[c], "today_s",
                      serial_r + rungs_wall(seg, work1, today, decode, cores[c]), "share_s",
                      serial_r + rungs_wall(seg, work1, share, decode, cores[c]), "segments_s",
                      serial_s + sw, "today_threads", threads_json(seg, today), "share_threads",
                      threads_json(seg, share), "segments_at_once", at_once));
    }
    return json_pack("{s:f, s:i, s:f, s:f, s:f, s:f, s:f, s:f, s:o}", "duration_s", seg->duration,
                     "segments", (int)json_array_size(stats), "segment_s",
                     json_number_value(json_object_get(seg->plan, "segment_s")), "serial_rungs_s",
                     serial_r, "serial_segments_s", serial_s, "measured_segments_wall_s",
                     seg->rep->encode.wall_s, "measured_rungs_wall_s",
                     rung ? rung->rep->encode.wall_s : 0.0, "decode_cpu_s", decode, "rows", rows);
}

static void print_text(const char *dir, json_t *t)
{
    json_t *row;
    size_t i;
    printf("%s: %.1f s, %d segments of %g s (computed from this machine's measurements)\n", dir,
           json_number_value(json_object_get(t, "duration_s")),
           (int)json_integer_value(json_object_get(t, "segments")),
           json_number_value(json_object_get(t, "segment_s")));
    printf("%6s %16s %16s %16s\n", "cores", "today's rungs", "rungs by share", "segments");
    json_array_foreach(json_object_get(t, "rows"), i, row) printf(
        "%6d %14.1f s %14.1f s %14.1f s\n", (int)json_integer_value(json_object_get(row, "cores")),
        json_number_value(json_object_get(row, "today_s")),
        json_number_value(json_object_get(row, "share_s")),
        json_number_value(json_object_get(row, "segments_s")));
    printf("measured here: segments %.1f s",
           json_number_value(json_object_get(t, "measured_segments_wall_s")));
    if (json_number_value(json_object_get(t, "measured_rungs_wall_s")) > 0)
        printf(", rungs %.1f s", json_number_value(json_object_get(t, "measured_rungs_wall_s")));
    printf(" (report.json encode.wall_s)\n");
}

int cmd_plan(int argc, char **argv)
{
    PlanOpts o;
    CliArgError usage_err;
    Episode seg, rung;
    json_t *t;
    int ret;

    if (args_parse_plan(&o, argc, argv, &usage_err))
        return cli_usage_error("plan", "%s", usage_err.msg);
    if (o.help) {
        usage(stdout);
        return cli_finish_stdout("plan", CLI_OK);
    }
    if ((ret = load(&seg, o.dir)) != 0)
        return ret;
    if (!json_array_size(json_object_get(seg.plan, "segment_stats"))) {
        unload(&seg);
        cli_error("plan",
                  "%s: not encoded in segments (sobre encode --segments on): no "
                  "per-segment CPU time to plan from",
                  o.dir);
        return CLI_FAIL;
    }
    if (o.rungs && (ret = load(&rung, o.rungs)) != 0) {
        unload(&seg);
        return ret;
    }
    t = table(&seg, o.rungs ? &rung : NULL, o.cores, o.nb_cores);
    if (o.json) {
        char *text = json_dumps(t, JSON_INDENT(2) | JSON_REAL_PRECISION(6));
        printf("%s\n", text ? text : "{}");
        free(text);
    } else {
        print_text(o.dir, t);
    }
    json_decref(t);
    unload(&seg);
    if (o.rungs)
        unload(&rung);
    return cli_finish_stdout("plan", CLI_OK);
}
