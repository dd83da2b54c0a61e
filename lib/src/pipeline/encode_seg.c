/* Segment-parallel encoding (when: sobre_plan_parallel() in sobre/plan.h). The episode is
 * cut at its keyframe times into segments; each segment is decoded from the source
 * keyframe before it and encoded for every video rung by encoders of its own (threads
 * fixed by the plan, never by the host), a few segments at once. Segments are files
 * under .sobre/seg/ (segfile.h): a killed encode resumes at its first missing segment,
 * and other hosts can make some of them. encode_join.c joins them. */
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <libavutil/avstring.h>

#include "clock.h"
#include "job.h"
#include "segfile.h"
#include "vquality.h"

typedef struct SegTask {
    struct SobreEncodeJob *job;
    int k;            /* segment index (0 = the first) */
    int busy, done;   /* started; ended (under job->seg_lock) */
    atomic_int ready; /* its renditions are open: progress may read them */
    pthread_t thread;
    VRend *vr[SOBRE_LADDER_MAX_RUNGS];
    int rung[SOBRE_LADDER_MAX_RUNGS];
    int nb;
    double cpu_s;      /* the decode thread's */
    int64_t poster_us; /* the most detailed frame the segment's reader saw, and its score */
    double poster_score;
    int ret;
    SobreError err;
} SegTask;

static int have(const struct SobreEncodeJob *job, int rung, int k)
{
    return job->have && job->have[rung * job->par.nb_segments + k];
}

int sobre_encode_seg_threads(const struct SobreEncodeJob *job, int rung)
{
    return job->ladder.rungs[rung].threads > 0 ? job->ladder.rungs[rung].threads : 1;
}

double sobre_encode_seg_from(const struct SobreEncodeJob *job, int k)
{
    return k * job->par.segment_s;
}

/* The end of segment k, 0 for the last one (it takes the rest). */
static double seg_to(const struct SobreEncodeJob *job, int k)
{
    return k + 1 < job->par.nb_segments ? (k + 1) * job->par.segment_s : 0;
}

void sobre_encode_seg_path(const struct SobreEncodeJob *job, int rung, int k, char *out,
                           size_t size)
{
    snprintf(out, size, "%s/%04d.seg", job->segdir[rung], k + 1);
}

int sobre_encode_seg_eligible(const struct SobreEncodeJob *job, char *why, size_t size)
{
    const Input *in = job->in;
    if (!job->geom.has_video || in->vidx < 0 || job->geom.width <= 0 || in->video_error[0])
        snprintf(why, size, "no video stream to cut");
    else if (!(in->duration_s > 0))
        snprintf(why, size, "its duration is unknown");
    else if (in->fmt->iformat->flags & AVFMT_TS_DISCONT)
        snprintf(why, size, "its format (%s) allows timestamp jumps, so it is read from the start",
                 in->fmt->iformat->name);
    else if (!in->fmt->pb || !(in->fmt->pb->seekable & AVIO_SEEKABLE_NORMAL))
        snprintf(why, size, "it cannot be read from the middle (not seekable)");
    /* HDR: the peak is measured once and the conversion runs in the one reader before the
     * fan-out, and the HDR rendition takes the decoded pictures from that reader too */
    else if (job->hdr_rung >= 0)
        snprintf(why, size,
                 "an HDR rendition (--hdr keep) is made from the pictures as decoded, "
                 "before the tone mapping of the one reader");
    else if (job->colour.conv != SOBRE_COLOUR_AS_IS)
        snprintf(why, size,
                 "its colours (%s) are converted once, in the one reader before the fan-out",
                 job->colour.from[0] ? job->colour.from : "Dolby Vision without a base layer");
    else
        return 1;
    return 0;
}

static int make_dir(const char *path, SobreError *err)
{
    if (mkdir(path, 0755) < 0 && errno != EEXIST)
        return sobre_fail(err, -errno, "%s: cannot create folder: %s", path, strerror(errno));
    return 0;
}

/* Removes the temporary files a killed run left in a segment folder. */
static void remove_parts(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    while (d && (e = readdir(d))) {
        size_t n = strlen(e->d_name);
        char p[4600];
        if (n > 5 && !strcmp(e->d_name + n - 5, ".part")) {
            snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
            unlink(p);
        }
    }
    if (d)
        closedir(d);
}

/* .sobre/seg/<id>-<key>: the key covers the rung's settings (its report hash) and the
 * segment plan, so segments of other settings are never joined. */
int sobre_encode_seg_scan(struct SobreEncodeJob *job, int *found, SobreError *err)
{
    int n = job->par.nb_segments;
    char base[4104];
    *found = 0;
    free(job->have);
    if (!(job->have = calloc((size_t)job->ladder.nb_rungs * (size_t)n, 1)))
        return sobre_fail(err, -ENOMEM, "out of memory");
    snprintf(base, sizeof(base), "%s/seg", job->work);
    for (int i = 0; i < job->ladder.nb_rungs; i++) {
        char hash[32], desc[128], key[17];
        if (!job->todo[i] || !job->ladder.rungs[i].video)
            continue;
        sobre_encode_rung_hash(job, i, hash, sizeof(hash));
        snprintf(desc, sizeof(desc), "%s|%.6f|%d|%d|%lld", hash, job->par.segment_s, n,
                 sobre_encode_seg_threads(job, i), (long long)job->anchor_us);
        sobre_seg_hex(sobre_seg_fnv(SOBRE_SEG_FNV0, desc, strlen(desc)), key);
        snprintf(job->segdir[i], sizeof(job->segdir[i]), "%s/%s-%s", base, job->ladder.rungs[i].id,
                 key);
        if (!job->segment_only) /* we hold the folder alone */
            remove_parts(job->segdir[i]);
        for (int k = 0; k < n; k++) {
            char path[4300];
            json_t *m;
            sobre_encode_seg_path(job, i, k, path, sizeof(path));
            if ((m = sobre_seg_meta(path))) {
                job->have[i * n + k] = 1;
                *found = 1;
                json_decref(m);
            }
        }
    }
    return 0;
}

/* The folders the segments are written into (made when something is encoded). */
static int make_dirs(struct SobreEncodeJob *job, SobreError *err)
{
    char base[4104];
    int ret;
    snprintf(base, sizeof(base), "%s/seg", job->work);
    if ((ret = make_dir(base, err)) < 0)
        return ret;
    for (int i = 0; i < job->ladder.nb_rungs; i++)
        if (job->todo[i] && job->ladder.rungs[i].video && (ret = make_dir(job->segdir[i], err)) < 0)
            return ret;
    return 0;
}

/* ---- encoding one segment ---- */

static json_t *frames_json(const SobreQualityFrame *f, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++) {
        const double v[8] = {f[i].ssim[0], f[i].ssim[1], f[i].ssim[2], f[i].ssim_all,
                             f[i].mse[0],  f[i].mse[1],  f[i].mse[2],  f[i].mse_all};
        for (int c = 0; c < 8; c++)
            json_array_append_new(a, json_real(v[c]));
    }
    return a;
}

/* What the join needs of a segment's quality: every frame's scores, full precision (the
 * segment's VQuality keeps whole records: VQ_MEASURE_WHOLE). */
static int quality_json(VQuality *vq, json_t **out, SobreError *err)
{
    const SobreQualityFrame *f;
    size_t n;
    int same, disp, w, h, ret;
    int64_t unpaired;
    double score_s, decode_s;
    sobre_vq_shape(vq, &same, &disp, &w, &h, &unpaired, &score_s, &decode_s);
    *out = json_pack("{s:b, s:b, s:i, s:i, s:I, s:f, s:f}", "same", same, "display", disp, "width",
                     w, "height", h, "unpaired", (json_int_t)unpaired, "cpu_s", score_s,
                     "decode_cpu_s", decode_s);
    if (!*out)
        return sobre_fail(err, -ENOMEM, "out of memory");
    if ((ret = sobre_vq_frame_scores(vq, 0, &f, &n, err)) < 0)
        return ret;
    json_object_set_new(*out, "own", frames_json(f, n));
    if (disp && !same) {
        if ((ret = sobre_vq_frame_scores(vq, 1, &f, &n, err)) < 0)
            return ret;
        json_object_set_new(*out, "disp", frames_json(f, n));
    }
    return 0;
}

static int commit(SegTask *t, int j, SobreError *err)
{
    struct SobreEncodeJob *job = t->job;
    VRend *vr = t->vr[j];
    int i = t->rung[j], ret;
    char host[256] = "", by[300], extra[17];
    json_t *m, *q = NULL;
    gethostname(host, sizeof(host) - 1);
    snprintf(by, sizeof(by), "%s/%d", host, (int)getpid()); /* which run made it, where */
    sobre_seg_hex(
        sobre_seg_fnv(SOBRE_SEG_FNV0, vr->enc->extradata,
                      (size_t)(vr->enc->extradata_size > 0 ? vr->enc->extradata_size : 0)),
        extra);
    m = json_pack("{s:i, s:i, s:f, s:f, s:f, s:s, s:i, s:i, s:[i,i], s:s, s:I, s:I, s:f, s:f, s:f, "
                  "s:s}",
                  "segment", t->k + 1, "of", job->par.nb_segments, "segment_s", job->par.segment_s,
                  "from_s", sobre_encode_seg_from(job, t->k), "to_s", seg_to(job, t->k), "rung",
                  job->ladder.rungs[i].id, "crf", job->plan[i].crf, "threads",
                  sobre_encode_seg_threads(job, i), "time_base", vr->enc->time_base.num,
                  vr->enc->time_base.den, "extradata", extra, "frames", (json_int_t)vr->frames_out,
                  /* frames its packets decoded to (the decode check, verify on) */
                  "decoded", (json_int_t)(vr->vq ? sobre_vq_frames(vr->vq) : 0), "cpu_s", vr->cpu_s,
                  "wall_s", vr->wall_s, "decode_cpu_s", t->cpu_s, "host", by);
    if (!m)
        return sobre_fail(err, -ENOMEM, "out of memory");
    if (vr->vq && vr->cfg.quality && (ret = quality_json(vr->vq, &q, err)) < 0) {
        json_decref(q);
        json_decref(m);
        return ret;
    }
    if (q)
        json_object_set_new(m, "quality", q);
    if (t->poster_us >= 0) /* the join decodes the best segment's frame again for the poster */
        json_object_set_new(
            m, "poster",
            json_pack("{s:I, s:f}", "us", (json_int_t)t->poster_us, "score", t->poster_score));
    ret = sobre_seg_commit(&vr->seg, m, err);
    json_decref(m);
    return ret;
}

/* Ends the segment's rendition threads; the first real failure wins. */
static int stop_task(SegTask *t, int failed, SobreError *err)
{
    int ret = 0;
    for (int j = 0; j < t->nb; j++)
        (failed ? sobre_queue_abort : sobre_queue_finish)(t->vr[j]->frames);
    for (int j = 0; j < t->nb; j++) {
        int r = sobre_vrend_join(t->vr[j]);
        if (r < 0 && (ret == 0 || ret == SOBRE_E_CANCELLED)) {
            ret = r;
            if (r != SOBRE_E_CANCELLED || !err->detail[0])
                *err = t->vr[j]->err;
        }
    }
    return ret;
}

static int open_task(SegTask *t, SobreError *err)
{
    struct SobreEncodeJob *job = t->job;
    char host[64] = "host";
    int ret;
    gethostname(host, sizeof(host) - 1);
    for (int i = 0; i < job->ladder.nb_rungs; i++) {
        char tmp[4400], path[4300];
        VRendConfig c;
        if (!job->todo[i] || !job->ladder.rungs[i].video || have(job, i, t->k))
            continue;
        sobre_encode_seg_path(job, i, t->k, path, sizeof(path));
        snprintf(tmp, sizeof(tmp), "%s.%s-%d.part", path, host, (int)getpid());
        c = (VRendConfig){.enc = sobre_encode_venc_params(job, i),
                          .rotation = job->geom.rotation,
                          .keyint_s = job->ladder.keyint_s,
                          .quality = job->quality,
                          .verify = job->verify,
                          .disp_w = job->disp_w,
                          .disp_h = job->disp_h,
                          .cancel = &job->seg_abort,
                          .segment = 1,
                          .anchor_s = job->anchor_us / 1e6,
                          .from_s = sobre_encode_seg_from(job, t->k),
                          .to_s = seg_to(job, t->k),
                          .seg_tmp = tmp,
                          .seg_path = path};
        if ((ret = sobre_vrend_open(&t->vr[t->nb], &c, err)) < 0)
            return ret;
        t->rung[t->nb++] = i;
        if ((ret = sobre_vrend_start(t->vr[t->nb - 1], err)) < 0)
            return ret;
    }
    return 0;
}

/* One segment: its own reader from the keyframe before it, its renditions, its files. */
static int encode_segment(SegTask *t, SobreError *err)
{
    struct SobreEncodeJob *job = t->job;
    SobreQueue *frames[SOBRE_LADDER_MAX_RUNGS];
    double c0 = sobre_clock_thread_cpu(), to = seg_to(job, t->k);
    double frame = job->geom.fps > 0 ? 1 / job->geom.fps : 0.1;
    Input *in = NULL;
    InputSinks k = {.video = frames,
                    .disp_w = job->quality ? job->disp_w : 0,
                    .disp_h = job->quality ? job->disp_h : 0,
                    .cancel = &job->seg_abort,
                    .windowed = 1,
                    /* in source time; a frame more at the end: the rungs' windows start at
                     * the slot of the first frame, up to half a frame after it */
                    .from_us = job->anchor_us + llround(sobre_encode_seg_from(job, t->k) * 1e6),
                    .to_us = to > 0 ? job->anchor_us + llround((to + frame) * 1e6) : INT64_MAX,
                    /* the frame before the window fills up to a GOP of missing slots */
                    .lead_us = llround((job->ladder.keyint_s + 1) * 1e6),
                    /* poster candidates in the window, as rung-parallel's reader keeps */
                    .poster = 1};
    int ret;
    if ((ret = sobre_input_open(&in, job->input, &job->logger, err)) < 0 ||
        (ret = sobre_input_streams(in, job->probe, &job->geom, err)) < 0 ||
        (ret = open_task(t, err)) < 0) {
        stop_task(t, 1, err);
        goto end;
    }
    atomic_store(&t->ready, 1);
    for (int j = 0; j < t->nb; j++)
        frames[j] = t->vr[j]->frames;
    k.nb_video = t->nb;
    ret = sobre_input_run(in, &k, err);
    if (ret < 0) {
        SobreError terr = {0, ""};
        int tr = stop_task(t, 1, &terr);
        if (ret == SOBRE_E_CANCELLED && tr < 0 && tr != SOBRE_E_CANCELLED)
            ret = tr, *err = terr;
        goto end;
    }
    if ((ret = stop_task(t, 0, err)) < 0)
        goto end;
    t->cpu_s = sobre_clock_thread_cpu() - c0;
    t->poster_us = in->poster_frame ? in->poster_frame->pts : -1;
    t->poster_score = in->poster_frame ? in->poster_score : -1;
    for (int j = 0; j < t->nb && ret >= 0; j++)
        ret = commit(t, j, err);
end:
    sobre_input_free(&in);
    return ret;
}

static void *task_main(void *arg)
{
    SegTask *t = arg;
    struct SobreEncodeJob *job = t->job;
    t->ret = encode_segment(t, &t->err);
    if (t->ret < 0)
        atomic_store(&job->seg_abort, 1); /* the other segments stop too */
    pthread_mutex_lock(&job->seg_lock);
    t->done = 1;
    pthread_cond_broadcast(&job->seg_cond);
    pthread_mutex_unlock(&job->seg_lock);
    return NULL;
}

static void task_clear(SegTask *t)
{
    for (int j = 0; j < t->nb; j++)
        sobre_vrend_free(&t->vr[j]);
    memset(t, 0, sizeof(*t));
}

/* Source seconds done: complete segments, and how far the running ones have got. */
static double seg_progress(struct SobreEncodeJob *job, const SegTask *tasks, int nt)
{
    double done = 0;
    for (int k = 0; k < job->par.nb_segments; k++) {
        int all = 1;
        double len = seg_to(job, k) > 0 ? job->par.segment_s
                                        : job->in->duration_s - sobre_encode_seg_from(job, k);
        for (int i = 0; i < job->ladder.nb_rungs; i++)
            if (job->todo[i] && job->ladder.rungs[i].video && !have(job, i, k))
                all = 0;
        if (all)
            done += len > 0 ? len : 0;
    }
    for (int s = 0; s < nt; s++) {
        const SegTask *t = &tasks[s];
        double least = -1;
        if (!t->busy || !atomic_load(&t->ready))
            continue;
        for (int j = 0; j < t->nb; j++) {
            double d = atomic_load(&t->vr[j]->done_us) / 1e6 - sobre_encode_seg_from(job, t->k);
            if (least < 0 || d < least)
                least = d;
        }
        if (least > 0)
            done += fmin(least, job->par.segment_s);
    }
    return done;
}

void sobre_encode_seg_progress(struct SobreEncodeJob *job, double done)
{
    SobreEncodeProgress p = {done, job->in->duration_s, sobre_clock_wall() - job->run_start,
                             job->pending, "encode"};
    if (job->progress)
        job->progress(job->progress_opaque, &p);
}

/* The crf a target search chose may differ from the one a segment was made with: such a
 * segment is made again. */
static void recheck_crf(struct SobreEncodeJob *job)
{
    for (int i = 0; i < job->ladder.nb_rungs; i++)
        for (int k = 0; k < job->par.nb_segments; k++) {
            char path[4300];
            json_t *m;
            if (!have(job, i, k))
                continue;
            sobre_encode_seg_path(job, i, k, path, sizeof(path));
            m = sobre_seg_meta(path);
            if (!m || json_integer_value(json_object_get(m, "crf")) != job->plan[i].crf)
                job->have[i * job->par.nb_segments + k] = 0;
            json_decref(m);
        }
}

static int sync_init(struct SobreEncodeJob *job, SobreError *err)
{
    if (job->seg_sync)
        return 0;
    if (pthread_mutex_init(&job->seg_lock, NULL) != 0)
        return sobre_fail(err, -ENOMEM, "cannot create a mutex");
    if (pthread_cond_init(&job->seg_cond, NULL) != 0) {
        pthread_mutex_destroy(&job->seg_lock);
        return sobre_fail(err, -ENOMEM, "cannot create a condition variable");
    }
    job->seg_sync = 1;
    return 0;
}

/* Waits until a running task ends (progress every 250 ms meanwhile); returns its slot. */
static int wait_task(struct SobreEncodeJob *job, SegTask *tasks, int nt)
{
    int found = -1;
    pthread_mutex_lock(&job->seg_lock);
    while (found < 0) {
        for (int s = 0; s < nt && found < 0; s++)
            if (tasks[s].busy && tasks[s].done)
                found = s;
        if (found >= 0)
            break;
        sobre_clock_cond_wait_ms(&job->seg_cond, &job->seg_lock, 250);
        pthread_mutex_unlock(&job->seg_lock);
        if (atomic_load(&job->cancel))
            atomic_store(&job->seg_abort, 1);
        sobre_encode_seg_progress(job, seg_progress(job, tasks, nt));
        pthread_mutex_lock(&job->seg_lock);
    }
    pthread_mutex_unlock(&job->seg_lock);
    pthread_join(tasks[found].thread, NULL);
    return found;
}

int sobre_encode_seg_run(struct SobreEncodeJob *job, SobreError *err)
{
    int n = job->par.nb_segments, nt = job->segment_only ? 1 : job->par.at_once;
    int todo[4096], ntodo = 0, next = 0, running = 0, ret = 0;
    SegTask *tasks;
    recheck_crf(job);
    for (int k = 0; k < n && ntodo < 4096; k++) {
        int missing = 0;
        if (job->segment_only && k != job->segment_only - 1)
            continue;
        for (int i = 0; i < job->ladder.nb_rungs; i++)
            missing |= job->todo[i] && job->ladder.rungs[i].video && !have(job, i, k);
        if (missing)
            todo[ntodo++] = k;
    }
    if (!ntodo)
        return 0;
    if ((ret = make_dirs(job, err)) < 0 || (ret = sync_init(job, err)) < 0)
        return ret;
    if (!(tasks = calloc((size_t)(nt < 1 ? 1 : nt), sizeof(*tasks))))
        return sobre_fail(err, -ENOMEM, "out of memory");
    atomic_store(&job->seg_abort, atomic_load(&job->cancel));
    for (;;) {
        int s;
        for (s = 0; s < nt && next < ntodo && !atomic_load(&job->seg_abort); s++) {
            SegTask *t = &tasks[s];
            if (t->busy)
                continue;
            t->job = job;
            t->k = todo[next++];
            t->busy = 1;
            if (pthread_create(&t->thread, NULL, task_main, t) != 0) {
                t->busy = 0;
                ret = sobre_fail(err, -EAGAIN, "cannot start a thread for segment %d", t->k + 1);
                atomic_store(&job->seg_abort, 1);
                break;
            }
            running++;
        }
        if (!running)
            break;
        s = wait_task(job, tasks, nt);
        running--;
        if (tasks[s].ret < 0) {
            /* the first real failure explains the cancelled others */
            if (ret == 0 || (ret == SOBRE_E_CANCELLED && tasks[s].ret != SOBRE_E_CANCELLED)) {
                ret = tasks[s].ret;
                *err = tasks[s].err;
            }
        } else {
            for (int j = 0; j < tasks[s].nb; j++)
                job->have[tasks[s].rung[j] * n + tasks[s].k] = 1;
        }
        task_clear(&tasks[s]);
    }
    free(tasks);
    if (atomic_load(&job->cancel) && (ret == 0 || ret == SOBRE_E_CANCELLED))
        ret = sobre_fail(err, SOBRE_E_CANCELLED,
                         "%s: cancelled; the segments made so far are kept for the next run",
                         job->dir);
    return ret;
}

static void free_packet(void *p)
{
    AVPacket *k = p;
    av_packet_free(&k);
}

void sobre_encode_seg_free(struct SobreEncodeJob *job)
{
    for (int i = 0; i < SOBRE_LADDER_MAX_RUNGS; i++)
        sobre_queue_free(&job->aq[i], free_packet);
    free(job->have);
    job->have = NULL;
    json_decref(job->seg_stats);
    job->seg_stats = NULL;
    if (job->seg_sync) {
        pthread_mutex_destroy(&job->seg_lock);
        pthread_cond_destroy(&job->seg_cond);
        job->seg_sync = 0;
    }
}
