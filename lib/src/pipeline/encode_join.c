/* The join of segment-parallel encoding (encode_seg.c makes the segments): the audio
 * encoded once for the whole episode, the poster, and each video rung's segments checked
 * against their sidecars and remuxed in order, with the audio, into its output; the
 * quality figures joined in order; the segments removed once the outputs are in place. */
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libavutil/avstring.h>

#include "job.h"
#include "segfile.h"
#include "vquality.h"

#define POSTER_POINTS 8 /* where the poster is looked for: as rung-parallel's every 1/8 */

static const char *str_or(const char *s)
{
    return s ? s : "";
}

/* The audio, once for the whole episode: audio-only outputs as rung-parallel makes them,
 * the video rungs' packets in memory for the join; the subtitles are read on the way. */
static int audio_pass(struct SobreEncodeJob *job, SobreError *err)
{
    InputSinks k = {.audio = job->ae, .cancel = &job->cancel};
    int ret;
    for (int i = 0; i < job->ladder.nb_rungs; i++)
        if (job->todo[i] && job->ladder.rungs[i].video && job->ladder.rungs[i].audio >= 0 &&
            job->in->aidx >= 0 && (ret = sobre_queue_new(&job->aq[i], 0)) < 0)
            return sobre_fail(err, ret, "out of memory");
    if ((ret = sobre_encode_wire_audio(job, job->aq, err)) < 0)
        return ret;
    k.nb_audio = job->nb_ae;
    /* the video is not read at all where the demuxer can skip it (MP4: not even from disk) */
    if (job->in->vidx >= 0)
        job->in->fmt->streams[job->in->vidx]->discard = AVDISCARD_ALL;
    ret = sobre_input_run(job->in, &k, err);
    if (job->in->vidx >= 0)
        job->in->fmt->streams[job->in->vidx]->discard = AVDISCARD_DEFAULT;
    if (ret < 0)
        return ret;
    for (int i = 0; i < SOBRE_LADDER_MAX_RUNGS; i++)
        if (job->aq[i])
            sobre_queue_finish(job->aq[i]);
    job->report->source.duration_s = job->in->duration_s;
    return 0;
}

/* A windowed read that keeps the first frame at or after `at` as a poster candidate. */
static int poster_at(struct SobreEncodeJob *job, int64_t at, SobreError *err)
{
    InputSinks k = {.cancel = &job->cancel, .windowed = 1, .from_us = at, .to_us = at, .poster = 1};
    return sobre_input_run(job->in, &k, err);
}

/* The poster: the most detailed frame any segment's reader saw (one seek to decode it
 * again), else the most detailed of the first frames at every eighth of the video. */
static int poster_pass(struct SobreEncodeJob *job, SobreError *err)
{
    int64_t best_us = -1;
    double best = -1;
    for (int i = 0; i < job->ladder.nb_rungs; i++)
        for (int k = 0; job->todo[i] && job->ladder.rungs[i].video && k < job->par.nb_segments;
             k++) {
            char path[4300];
            json_t *m, *p;
            sobre_encode_seg_path(job, i, k, path, sizeof(path));
            if (!(m = sobre_seg_meta(path)))
                continue;
            p = json_object_get(m, "poster");
            if (p && json_number_value(json_object_get(p, "score")) > best) {
                best = json_number_value(json_object_get(p, "score"));
                best_us = json_integer_value(json_object_get(p, "us"));
            }
            json_decref(m);
        }
    if (best_us >= 0)
        return poster_at(job, best_us, err);
    for (int j = 0; j < POSTER_POINTS; j++) {
        int ret = poster_at(job, llround(job->in->duration_s * j / POSTER_POINTS * 1e6), err);
        if (ret < 0)
            return ret;
    }
    return 0;
}

/* The scores a segment kept, into the joined accumulators. */
static int add_frames(SobreQualityAccum *acc, json_t *a, SobreError *err)
{
    size_t n = json_array_size(a) / 8;
    for (size_t i = 0; i < n; i++) {
        SobreQualityFrame f;
        double v[8];
        int ret;
        for (int c = 0; c < 8; c++)
            v[c] = json_number_value(json_array_get(a, i * 8 + (size_t)c));
        memset(&f, 0, sizeof(f));
        for (int c = 0; c < 3; c++) {
            f.ssim[c] = v[c];
            f.mse[c] = v[4 + c];
            f.psnr[c] = sobre_metrics_psnr(f.mse[c], 8);
        }
        f.ssim_all = v[3];
        f.mse_all = v[7];
        f.psnr_all = sobre_metrics_psnr(f.mse_all, 8);
        if ((ret = sobre_quality_accum_add_frame(acc, &f, 8, err)) < 0)
            return ret;
    }
    return 0;
}

typedef struct Joined {
    SobreQualityAccum *own, *disp; /* lean, as a rendition's own VQuality keeps them */
    int same, w, h, measured;
    int64_t unpaired;
    double score_s, decode_s;
} Joined;

static int join_quality(Joined *jq, json_t *q, SobreError *err)
{
    int ret;
    if (!q) {
        jq->measured = -1; /* a segment without scores: no figures for the rendition */
        return 0;
    }
    if (!jq->own && ((ret = sobre_vq_accum_new(&jq->own, err)) < 0 ||
                     (ret = sobre_vq_accum_new(&jq->disp, err)) < 0))
        return ret;
    if (!jq->measured)
        jq->measured = 1;
    jq->same = json_is_true(json_object_get(q, "same"));
    jq->w = (int)json_integer_value(json_object_get(q, "width"));
    jq->h = (int)json_integer_value(json_object_get(q, "height"));
    jq->unpaired += json_integer_value(json_object_get(q, "unpaired"));
    jq->score_s += json_number_value(json_object_get(q, "cpu_s"));
    jq->decode_s += json_number_value(json_object_get(q, "decode_cpu_s"));
    if ((ret = add_frames(jq->own, json_object_get(q, "own"), err)) < 0)
        return ret;
    return add_frames(jq->disp, json_object_get(q, "disp"), err);
}

/* Segment k of rung i: its sidecar, checked against the plan and the encoder. */
static json_t *segment_meta(struct SobreEncodeJob *job, int i, int k, const AVCodecContext *enc,
                            char *path, size_t size, SobreError *err)
{
    char extra[17];
    json_t *m, *tb;
    sobre_encode_seg_path(job, i, k, path, size);
    if (!(m = sobre_seg_meta(path))) {
        sobre_fail(err, SOBRE_E_INVALID, "%s: segment %d of %d of '%s' is missing", job->dir, k + 1,
                   job->par.nb_segments, job->ladder.rungs[i].id);
        return NULL;
    }
    sobre_seg_hex(sobre_seg_fnv(SOBRE_SEG_FNV0, enc->extradata,
                                (size_t)(enc->extradata_size > 0 ? enc->extradata_size : 0)),
                  extra);
    tb = json_object_get(m, "time_base");
    if (json_integer_value(json_object_get(m, "crf")) != job->plan[i].crf ||
        strcmp(str_or(json_string_value(json_object_get(m, "extradata"))), extra) ||
        json_integer_value(json_array_get(tb, 0)) != enc->time_base.num ||
        json_integer_value(json_array_get(tb, 1)) != enc->time_base.den) {
        sobre_fail(err, SOBRE_E_INVALID,
                   "%s: was made with other encoder settings than this join's (another sobre "
                   "or FFmpeg version?); remove it to make it again",
                   path);
        json_decref(m);
        return NULL;
    }
    return m;
}

/* Writes the audio packets up to video time (dts, tb); all of them when pkt is NULL. */
static int audio_until(Output *o, SobreQueue *q, AVPacket **next, const AVPacket *v, AVRational tb,
                       SobreError *err)
{
    void *item;
    int ret;
    for (;;) {
        if (!*next) {
            if (!q || sobre_queue_try_pop(q, &item) != 0)
                return 0;
            *next = item;
        }
        if (v && av_compare_ts((*next)->dts, o->atb, v->dts, tb) > 0)
            return 0;
        ret = sobre_output_write(o, *next, o->astream, o->atb, err);
        av_packet_free(next);
        if (ret < 0)
            return ret;
    }
}

/* One segment's packets into the output, checked against its checksum. */
static int copy_segment(struct SobreEncodeJob *job, int i, Output *o, const char *path, json_t *m,
                        AVRational tb, AVPacket **anext, SobreError *err)
{
    SegReader r;
    AVPacket *pkt = av_packet_alloc();
    int ret;
    if (!pkt)
        return sobre_fail(err, AVERROR(ENOMEM), "out of memory");
    if ((ret = sobre_seg_open(&r, path, err)) < 0)
        goto end;
    while ((ret = sobre_seg_read(&r, pkt, err)) == 0) {
        if ((ret = audio_until(o, job->aq[i], anext, pkt, tb, err)) < 0 ||
            (ret = sobre_output_write(o, pkt, o->vstream, tb, err)) < 0)
            break;
    }
    if (ret == 1)
        ret = sobre_seg_check(&r, m, err);
end:
    sobre_seg_close(&r);
    av_packet_free(&pkt);
    return ret;
}

/* The per-segment figures for the report's plan section. */
static void note_segment(struct SobreEncodeJob *job, int i, int k, json_t *m)
{
    json_t *s = json_array_get(job->seg_stats, (size_t)k);
    if (!s) {
        s = json_pack("{s:i, s:f, s:s, s:f, s:{}}", "segment", k + 1, "start_s",
                      sobre_encode_seg_from(job, k), "host",
                      str_or(json_string_value(json_object_get(m, "host"))), "decode_cpu_s",
                      json_number_value(json_object_get(m, "decode_cpu_s")), "cpu_s");
        json_array_append_new(job->seg_stats, s);
    }
    json_object_set_new(
        json_object_get(s, "cpu_s"), job->ladder.rungs[i].id,
        json_real(round(json_number_value(json_object_get(m, "cpu_s")) * 1000) / 1000));
}

/* The rendition's quality section; its joined scores go to Made for quality.json. */
static int finish_quality(struct SobreEncodeJob *job, Made *made, Joined *jq, SobreError *err)
{
    SobreQualitySummary sum;
    SobreQualityAccum *disp;
    int ret;
    if (jq->measured != 1)
        return 0;
    disp = jq->same ? jq->own : sobre_quality_accum_count(jq->disp) ? jq->disp : NULL;
    ret = sobre_vq_result_from(jq->own, jq->same ? NULL : disp, jq->same, jq->w, jq->h, job->disp_w,
                               job->disp_h, jq->unpaired, jq->score_s, jq->decode_s, &made->quality,
                               err);
    if (ret >= 0 && (ret = sobre_quality_accum_result(disp ? disp : jq->own, &sum, err)) >= 0)
        made->display_ssim = sum.frames ? sum.ssim_all.mean : -1;
    if (ret < 0)
        return ret;
    made->own = jq->own; /* Made owns them now */
    made->disp = disp;
    if (disp != jq->disp)
        sobre_quality_accum_free(&jq->disp);
    jq->own = jq->disp = NULL;
    return 0;
}

/* Rung i: its segments in order into EPISODE_DIR/.sobre/<id>.part, with the audio. The
 * encoder is opened once (not used) for the stream parameters every segment shares. */
static int join_rung(struct SobreEncodeJob *job, int i, SobreError *err)
{
    const SobreRung *r = &job->ladder.rungs[i];
    VEncParams vp = sobre_encode_venc_params(job, i);
    AudioEnc *ae = job->aq[i] ? sobre_encode_audio_of(job, i) : NULL;
    AVCodecContext *enc = NULL;
    AVPacket *anext = NULL;
    Joined jq = {0};
    Made *made = &job->made[job->nb_made];
    char tmp[4200], fin[4200], vc[64];
    Output *o;
    int ret;

    memset(made, 0, sizeof(*made));
    made->rung = i;
    made->display_ssim = -1;
    if ((ret = sobre_venc_open(&enc, &vp, job->plan[i].crf, sobre_encode_seg_threads(job, i),
                               err)) < 0)
        return ret;
    if (!(o = made->out = av_mallocz(sizeof(*o)))) {
        avcodec_free_context(&enc);
        return sobre_fail(err, AVERROR(ENOMEM), "out of memory");
    }
    made->owned = 1;
    job->nb_made++;
    o->vstream = o->astream = -1;
    snprintf(tmp, sizeof(tmp), "%s/%s%s.part", job->work, r->id, sobre_container_ext(r->container));
    snprintf(fin, sizeof(fin), "%s/%s%s", job->dir, r->id, sobre_container_ext(r->container));
    if ((ret = sobre_output_open(o, tmp, fin, r->container, err)) < 0)
        goto end;
    o->fmt->flags |= AVFMT_FLAG_BITEXACT; /* no random ids: the same segments, the same file */
    if ((ret = sobre_output_add_stream(o, enc, &o->vstream, err)) < 0)
        goto end;
    if (ae) {
        o->atb = ae->ctx->time_base;
        if ((ret = sobre_output_add_stream(o, ae->ctx, &o->astream, err)) < 0)
            goto end;
    }
    if ((ret = sobre_output_write_header(o, err)) < 0)
        goto end;
    for (int k = 0; k < job->par.nb_segments && ret >= 0; k++) {
        char path[4300];
        json_t *m = segment_meta(job, i, k, enc, path, sizeof(path), err);
        if (!m) {
            ret = SOBRE_E_INVALID;
            break;
        }
        ret = copy_segment(job, i, o, path, m, enc->time_base, &anext, err);
        made->cpu_s += json_number_value(json_object_get(m, "cpu_s"));
        made->wall_s += json_number_value(json_object_get(m, "wall_s"));
        /* segments of a sobre that did not count decoded frames: the encoder's count */
        made->frames += json_integer_value(
            json_object_get(m, json_object_get(m, "decoded") ? "decoded" : "frames"));
        if (ret >= 0 && job->quality)
            ret = join_quality(&jq, json_object_get(m, "quality"), err);
        note_segment(job, i, k, m);
        json_decref(m);
    }
    if (ret >= 0 && (ret = audio_until(o, job->aq[i], &anext, NULL, enc->time_base, err)) >= 0)
        ret = sobre_output_finish(o, err);
    /* the segments' packets were decode-checked as they were made; the joined file gets
     * the container check every output gets (tallies of what was written, its audio
     * decoded and measured, its duration) */
    if (ret >= 0 && job->verify)
        ret = sobre_output_check(o, &made->duration_s, &made->loud, err);
    if (ret >= 0 && job->quality)
        ret = finish_quality(job, made, &jq, err);
    sobre_codec_string(enc, vc, sizeof(vc));
    if (ae) {
        char ac[32];
        sobre_codec_string(ae->ctx, ac, sizeof(ac));
        snprintf(made->codecs, sizeof(made->codecs), "%s, %s", vc, ac);
    } else {
        av_strlcpy(made->codecs, vc, sizeof(made->codecs));
    }
end:
    av_packet_free(&anext);
    sobre_quality_accum_free(&jq.own);
    sobre_quality_accum_free(&jq.disp);
    avcodec_free_context(&enc);
    return ret;
}

int sobre_encode_seg_join(struct SobreEncodeJob *job, SobreError *err)
{
    int ret;
    json_decref(job->seg_stats);
    job->seg_stats = json_array();
    if ((job->in->aidx >= 0 || job->in->sidx >= 0) && (ret = audio_pass(job, err)) < 0)
        return ret;
    if (job->in->aidx < 0 && job->in->sidx < 0 &&
        (ret = sobre_encode_wire_audio(job, NULL, err)) < 0)
        return ret;
    if ((ret = poster_pass(job, err)) < 0)
        return ret;
    sobre_encode_seg_progress(job, job->in->duration_s);
    for (int i = 0; i < job->ladder.nb_rungs; i++)
        if (job->todo[i] && job->ladder.rungs[i].video && (ret = join_rung(job, i, err)) < 0)
            return atomic_load(&job->cancel) ? sobre_fail(err, SOBRE_E_CANCELLED,
                                                          "%s: cancelled; the segments made so "
                                                          "far are kept for the next run",
                                                          job->dir)
                                             : ret;
    return 0;
}

/* After a successful run: the segments of the renditions now in place go. */
void sobre_encode_seg_cleanup(struct SobreEncodeJob *job)
{
    char base[4200];
    DIR *d;
    struct dirent *e;
    snprintf(base, sizeof(base), "%s/seg", job->work);
    if (job->segment_only || !(d = opendir(base)))
        return;
    while ((e = readdir(d))) {
        int mine = 0;
        for (int k = 0; k < job->nb_made && !mine; k++) {
            const char *id = job->ladder.rungs[job->made[k].rung].id;
            size_t n = strlen(id);
            mine = !strncmp(e->d_name, id, n) && e->d_name[n] == '-';
        }
        if (mine) {
            char dir[4500];
            DIR *sd;
            struct dirent *f;
            snprintf(dir, sizeof(dir), "%s/%s", base, e->d_name);
            if ((sd = opendir(dir))) {
                while ((f = readdir(sd))) {
                    char p[4800];
                    if (f->d_name[0] == '.')
                        continue;
                    snprintf(p, sizeof(p), "%s/%s", dir, f->d_name);
                    unlink(p);
                }
                closedir(sd);
            }
            rmdir(dir);
        }
    }
    closedir(d);
    rmdir(base); /* fails while other rungs' segments are still there */
}
