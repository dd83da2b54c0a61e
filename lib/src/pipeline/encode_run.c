/* sobre_encode_run(): wire the audio encoders to their renditions, start one thread per
 * video rendition, decode the master once; every rendition thread decode-checks its
 * packets as they are made and checks its file once finished, while the main thread
 * checks the audio-only files and writes the poster; then every output takes its final
 * name, with the captions and report.json. Nothing reaches its final name before it is
 * complete and verified. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <libavutil/avstring.h>
#include <libavutil/pixdesc.h>

#include "clock.h"
#include "job.h"
#include "poster.h"
#include "vquality.h"

#include <jansson.h>

/* RAPL package energy in microjoules, or -1 where the machine does not expose it. */
static long long rapl_uj(void)
{
    long long v = -1;
    FILE *f = fopen("/sys/class/powercap/intel-rapl:0/energy_uj", "r");
    if (f) {
        if (fscanf(f, "%lld", &v) != 1)
            v = -1;
        fclose(f);
    }
    return v;
}

static AudioEnc *audio_for(struct SobreEncodeJob *job, int setting, SobreError *err, int *ret)
{
    const SobreAudioSetting *set = &job->ladder.audio[setting];
    for (int i = 0; i < job->nb_ae; i++)
        if (job->ae[i]->set == set)
            return job->ae[i];
    /* the pre-pass still running: the encoder holds the audio until its level is known */
    *ret =
        job->lp_running
            ? sobre_aenc_open_pending(&job->ae[job->nb_ae], set, sobre_encode_loudness_level, job,
                                      setting, err)
            : sobre_aenc_open(&job->ae[job->nb_ae], set,
                              sobre_loudpass_level(job->lp_done ? &job->lp : NULL, setting), err);
    if (*ret < 0)
        return NULL;
    return job->ae[job->nb_ae++];
}

static int add_audio_stream(Output *o, AudioEnc *ae, SobreError *err)
{
    o->atb = ae->ctx->time_base;
    return sobre_output_add_stream(o, ae->ctx, &o->astream, err);
}

VEncParams sobre_encode_venc_params(const struct SobreEncodeJob *job, int rung)
{
    VEncParams p = {&job->ladder.rungs[rung],
                    &job->plan[rung],
                    (AVRational){job->geom.fps_num, job->geom.fps_den},
                    {0, 0, 0},
                    AV_PIX_FMT_YUV420P};
    if (rung == job->hdr_rung) { /* the decoded HDR pictures, tagged as the source is */
        p.colour.primaries = av_color_primaries_from_name(job->colour.primaries);
        p.colour.trc = av_color_transfer_from_name(job->colour.transfer);
        p.colour.space = av_color_space_from_name(job->colour.matrix);
        p.pix_fmt = AV_PIX_FMT_YUV420P10;
        return p;
    }
    sobre_input_colour(job->in, &p.colour.primaries, &p.colour.trc, &p.colour.space);
    return p;
}

static int open_video(struct SobreEncodeJob *job, int i, SobreError *err)
{
    const SobreRung *r = &job->ladder.rungs[i];
    char tmp[4200], fin[4200];
    VRendConfig c = {.enc = sobre_encode_venc_params(job, i),
                     .rotation = job->geom.rotation,
                     .keyint_s = job->ladder.keyint_s,
                     .tmp_path = tmp,
                     .final_path = fin,
                     /* SSIM/PSNR compare with SDR pictures: not the HDR rendition */
                     .quality = job->quality && i != job->hdr_rung,
                     .verify = job->verify,
                     .disp_w = job->disp_w,
                     .disp_h = job->disp_h,
                     .cancel = &job->cancel,
                     .hdr_meta = i == job->hdr_rung ? job->in->fmt->streams[job->in->vidx] : NULL};
    snprintf(tmp, sizeof(tmp), "%s/%s%s.part", job->work, r->id, sobre_container_ext(r->container));
    snprintf(fin, sizeof(fin), "%s/%s%s", job->dir, r->id, sobre_container_ext(r->container));
    job->vr_rung[job->nb_vr] = i;
    return sobre_vrend_open(&job->vr[job->nb_vr++], &c, err);
}

static int open_audio_only(struct SobreEncodeJob *job, int i, AudioEnc *ae, SobreError *err)
{
    const SobreRung *r = &job->ladder.rungs[i];
    char tmp[4200], fin[4200];
    Output *o = job->aout[i] = av_mallocz(sizeof(*o));
    int ret;
    if (!o)
        return sobre_fail(err, AVERROR(ENOMEM), "out of memory");
    snprintf(tmp, sizeof(tmp), "%s/%s%s.part", job->work, r->id, sobre_container_ext(r->container));
    snprintf(fin, sizeof(fin), "%s/%s%s", job->dir, r->id, sobre_container_ext(r->container));
    if ((ret = sobre_output_open(o, tmp, fin, r->container, err)) < 0)
        return ret;
    if (job->par.segments) /* the joined files are deterministic: no random ids */
        o->fmt->flags |= AVFMT_FLAG_BITEXACT;
    if ((ret = add_audio_stream(o, ae, err)) < 0 || (ret = sobre_output_write_header(o, err)) < 0)
        return ret;
    ae->direct[ae->nb_direct++] = o;
    return 0;
}

AudioEnc *sobre_encode_audio_of(const struct SobreEncodeJob *job, int rung)
{
    const SobreRung *r = &job->ladder.rungs[rung];
    for (int a = 0; r->audio >= 0 && a < job->nb_ae; a++)
        if (job->ae[a]->set == &job->ladder.audio[r->audio])
            return job->ae[a];
    return NULL;
}

int sobre_encode_wire_audio(struct SobreEncodeJob *job, SobreQueue **queues, SobreError *err)
{
    int ret = 0;
    for (int i = 0; i < job->ladder.nb_rungs; i++) {
        const SobreRung *r = &job->ladder.rungs[i];
        AudioEnc *ae;
        if (!job->todo[i] || r->audio < 0 || job->in->aidx < 0)
            continue;
        if (!(ae = audio_for(job, r->audio, err, &ret)))
            return ret;
        if (r->video && queues && queues[i])
            ae->queues[ae->nb_queues++] = queues[i];
        else if (!r->video && (ret = open_audio_only(job, i, ae, err)) < 0)
            return ret;
    }
    return 0;
}

/* Wires the phases: one encoder per distinct audio setting, one VRend per video rung
 * (fed by the audio encoder's queue when it carries audio), one output per audio-only
 * rung; then starts the rendition threads. */
static int setup(struct SobreEncodeJob *job, SobreError *err)
{
    SobreQueue *queues[SOBRE_LADDER_MAX_RUNGS] = {NULL};
    int ret = 0;
    for (int i = 0; i < job->ladder.nb_rungs; i++) {
        const SobreRung *r = &job->ladder.rungs[i];
        AudioEnc *ae = NULL;
        VRend *vr;
        if (!job->todo[i] || !r->video)
            continue;
        if (r->audio >= 0 && job->in->aidx >= 0 && !(ae = audio_for(job, r->audio, err, &ret)))
            return ret;
        if ((ret = open_video(job, i, err)) < 0)
            return ret;
        vr = job->vr[job->nb_vr - 1];
        if (ae) {
            if ((ret = sobre_vrend_add_audio(vr, ae->ctx, err)) < 0)
                return ret;
            queues[i] = vr->apkts;
        }
    }
    if ((ret = sobre_encode_wire_audio(job, queues, err)) < 0)
        return ret;
    for (int i = 0; i < job->nb_vr; i++)
        if ((ret = sobre_vrend_start(job->vr[i], err)) < 0)
            return ret;
    return 0;
}

/* Ends the threads: normally (queues finished) or at once (queues aborted). */
static int stop_threads(struct SobreEncodeJob *job, int failed, SobreError *err)
{
    int ret = 0;
    for (int i = 0; i < job->nb_vr; i++) {
        if (failed) {
            sobre_queue_abort(job->vr[i]->frames);
            if (job->vr[i]->apkts)
                sobre_queue_abort(job->vr[i]->apkts);
        } else {
            sobre_queue_finish(job->vr[i]->frames);
            if (job->vr[i]->apkts)
                sobre_queue_finish(job->vr[i]->apkts);
        }
    }
    for (int i = 0; i < job->nb_vr; i++) {
        int r = sobre_vrend_join(job->vr[i]);
        /* The first real failure explains the others (which were aborted by it). */
        if (r < 0 && (ret == 0 || ret == SOBRE_E_CANCELLED)) {
            ret = r;
            if (err && (r != SOBRE_E_CANCELLED || !err->detail[0]))
                *err = job->vr[i]->err;
        }
    }
    return ret;
}

static void describe(struct SobreEncodeJob *job, int i, SobreReportRendition *d, const char *codecs)
{
    const SobreRung *r = &job->ladder.rungs[i];
    const SobreRungPlan *p = &job->plan[i];
    memset(d, 0, sizeof(*d));
    av_strlcpy(d->id, r->id, sizeof(d->id));
    av_strlcpy(d->label, r->label, sizeof(d->label));
    av_strlcpy(d->kind, r->video ? "video" : "audio", sizeof(d->kind));
    av_strlcpy(d->role, sobre_role_name(r->role), sizeof(d->role));
    snprintf(d->file, sizeof(d->file), "%s%s", r->id, sobre_container_ext(r->container));
    av_strlcpy(d->container, sobre_container_name(r->container), sizeof(d->container));
    snprintf(d->mime, sizeof(d->mime), "%s/%s; codecs=\"%s\"", r->video ? "video" : "audio",
             r->container == SOBRE_CONTAINER_WEBM ? "webm" : "mp4", codecs);
    if (r->video) {
        d->has_video = 1;
        av_strlcpy(d->video.codec, sobre_codec_name(r->codec), sizeof(d->video.codec));
        d->video.width = p->out_w;
        d->video.height = p->out_h;
        d->video.fps = p->fps;
        d->video.crf = p->crf;
        d->video.max_kbps = r->max_kbps;
        d->video.keyint_frames = p->keyint_frames;
        d->video.threads = p->threads;
        d->video.keyint_s = job->ladder.keyint_s;
        if (r->codec == SOBRE_CODEC_H264)
            av_strlcpy(d->video.x264_params, sobre_vrend_x264_params(),
                       sizeof(d->video.x264_params));
        av_strlcpy(d->video.pix_fmt, i == job->hdr_rung ? "yuv420p10le" : "yuv420p",
                   sizeof(d->video.pix_fmt));
    }
    if (r->audio >= 0 && job->in->aidx >= 0) {
        const SobreAudioSetting *a = &job->ladder.audio[r->audio];
        d->has_audio = 1;
        av_strlcpy(d->audio.codec, sobre_codec_name(a->codec), sizeof(d->audio.codec));
        d->audio.channels = a->channels;
        d->audio.sample_rate = a->sample_rate;
        d->audio.bitrate_bps = a->bitrate_kbps * 1000L;
    }
}

/* Describes a verified output (frames: video frames its stream decoded to; dur: its
 * container's duration, 0 if unchecked) in the report; it is renamed into place by
 * move_into_place() once every output has passed. */
static int finalize(struct SobreEncodeJob *job, int i, Output *o, const char *codecs, double cpu,
                    double wall_s, int64_t frames, double dur, SobreError *err)
{
    SobreReport *rep = job->report;
    SobreReportRendition *d = &rep->renditions[rep->nb_renditions];
    struct stat st;

    describe(job, i, d, codecs);
    if (job->verify && job->ladder.rungs[i].video && frames == 0)
        return sobre_fail(err, SOBRE_E_VERIFY,
                          "%s: no video frame was encoded (is the input's "
                          "video stream empty?)",
                          o->final_path);
    if (stat(o->tmp_path, &st) < 0)
        return sobre_fail(err, -errno, "%s: %s", o->tmp_path, strerror(errno));
    d->bytes = st.st_size;
    d->duration_s = dur > 0 ? dur : job->in->duration_s;
    d->bitrate_bps = d->duration_s > 0 ? (int64_t)(d->bytes * 8 / d->duration_s) : 0;
    if (d->has_video) /* the audio figure is nominal: never below zero on odd inputs */
        d->video.bitrate_bps = FFMAX(0, d->bitrate_bps - (d->has_audio ? d->audio.bitrate_bps : 0));
    d->cpu_s = cpu;
    d->wall_s = wall_s;
    sobre_encode_rung_hash(job, i, d->settings_hash, sizeof(d->settings_hash));
    rep->nb_renditions++;
    return 0;
}

/* Every output has been verified: only now does any of them take its final name, so a
 * failure in one leaves the folder as it was. */
static int move_into_place(struct SobreEncodeJob *job, SobreError *err)
{
    for (int k = 0; k < job->nb_made; k++)
        if (rename(job->made[k].out->tmp_path, job->made[k].out->final_path) < 0)
            return sobre_fail(err, -errno, "%s: cannot move into place: %s",
                              job->made[k].out->final_path, strerror(errno));
    for (int i = 0; i < SOBRE_LADDER_MAX_RUNGS; i++)
        if (job->aout[i] && rename(job->aout[i]->tmp_path, job->aout[i]->final_path) < 0)
            return sobre_fail(err, -errno, "%s: cannot move into place: %s",
                              job->aout[i]->final_path, strerror(errno));
    return 0;
}

/* The poster is encoded while the rendition threads finish their last frames (the main
 * thread has nothing else to do then) into a temporary name; it takes its final name with
 * the renditions, in write_side_files(). */
static int make_poster(struct SobreEncodeJob *job, SobreError *err)
{
    SobreReport *rep = job->report;
    char tmp[4200];
    int ret;
    if (!job->in->poster_frame)
        return 0;
    snprintf(tmp, sizeof(tmp), "%s/poster.webp.part", job->work);
    ret = sobre_poster_write(job->in->poster_frame, &job->geom, tmp, &rep->poster.width,
                             &rep->poster.height, &rep->poster.bytes, err);
    av_frame_free(&job->in->poster_frame); /* a decoded picture less held */
    if (ret < 0) {
        unlink(tmp);
        return ret;
    }
    rep->poster.present = 1;
    av_strlcpy(rep->poster.file, "poster.webp", sizeof(rep->poster.file));
    return 0;
}

static int write_side_files(struct SobreEncodeJob *job, SobreError *err)
{
    SobreReport *rep = job->report;
    char tmp[4200], fin[4200];
    if (rep->poster.present) {
        snprintf(tmp, sizeof(tmp), "%s/poster.webp.part", job->work);
        snprintf(fin, sizeof(fin), "%s/poster.webp", job->dir);
        if (rename(tmp, fin) < 0) {
            unlink(tmp);
            return sobre_fail(err, -errno, "%s: cannot move into place", fin);
        }
    } else if (job->previous && job->previous->poster.present) {
        rep->poster = job->previous->poster;
    }
    return sobre_encode_write_captions(job, err);
}

/* Nothing to encode: the previous report stays the truth (with the sections other tools
 * added to it); it is rewritten only when the title, description or language changed. */
static int keep_previous_report(struct SobreEncodeJob *job, SobreError *err)
{
    SobreReport *prev = job->previous;
    char path[4200];
    int same = !strcmp(prev->title, job->report->title) &&
               !strcmp(prev->description, job->report->description) &&
               !strcmp(prev->language, job->report->language);
    job->previous = job->report;
    job->report = prev;
    if (same)
        return 0;
    if (sobre_report_set_text(prev, job->previous->title, job->previous->description) < 0)
        return sobre_fail(err, AVERROR(ENOMEM), "out of memory");
    av_strlcpy(prev->language, job->previous->language, sizeof(prev->language));
    snprintf(path, sizeof(path), "%s/report.json", job->dir);
    return sobre_report_save(prev, path, err);
}

static json_t *target_json(const TargetResult *t, const Made *m, const SobreReportRendition *d)
{
    double achieved = m && m->quality ? m->display_ssim : -1;
    double abps = d && d->duration_s > 0 ? d->video.bitrate_bps / 8.0 : -1;
    json_t *o = json_pack("{s:f, s:i, s:f, s:f, s:i, s:i}", "ssim", t->target, "crf", t->crf,
                          "predicted_ssim", round(t->pred_ssim * 1e5) / 1e5,
                          "predicted_bytes_per_s", round(t->pred_bytes_per_s), "evaluations",
                          t->evaluations, "cached_evaluations", t->cached);
    json_object_set_new(o, "achieved_ssim",
                        achieved >= -1 ? json_real(round(achieved * 1e5) / 1e5) : json_null());
    json_object_set_new(o, "achieved_bytes_per_s",
                        abps >= 0 ? json_real(round(abps)) : json_null());
    /* met: the encode landed at the target or above, within the documented 0.005 */
    json_object_set_new(o, "met",
                        json_boolean(achieved >= -1 ? achieved >= t->target - 0.005 : t->met));
    json_object_set_new(o, "search_cpu_s", json_real(round(t->cpu_s * 100) / 100));
    if (t->note[0])
        json_object_set_new(o, "note", json_string(t->note));
    return o;
}

static int set_section(SobreReport *r, const char *id, const char *name, json_t *v, SobreError *err)
{
    char *text = v ? json_dumps(v, JSON_COMPACT | JSON_REAL_PRECISION(10)) : NULL;
    int ret = text ? sobre_report_set_rendition_section(r, id, name, text, err)
                   : sobre_fail(err, AVERROR(ENOMEM), "out of memory");
    free(text);
    return ret;
}

static int encoded_now(const struct SobreEncodeJob *job, const char *id)
{
    for (int i = 0; i < job->ladder.nb_rungs; i++)
        if (!strcmp(job->ladder.rungs[i].id, id))
            return job->todo[i];
    return 0;
}

/* The output of id made now when its quality was measured now, else NULL. */
static const Made *measured(const struct SobreEncodeJob *job, const char *id)
{
    /* the decode check runs without scoring where quality is off (the HDR rendition):
     * such outputs have no quality section */
    for (int k = 0; job->quality && k < job->nb_made; k++)
        if (job->made[k].quality && !strcmp(job->ladder.rungs[job->made[k].rung].id, id))
            return &job->made[k];
    return NULL;
}

/* One rendition's arrays, from its VQuality or from its segments' joined scores. */
static int write_made_frames(const Made *m, FILE *f)
{
    return m->vq ? sobre_vq_write_frames(m->vq, f) : sobre_vq_write_accums(f, m->own, m->disp);
}

/* EPISODE_DIR/quality.json: per-frame figures of every rendition, merged with what a
 * previous run wrote for the renditions it kept. Written as it goes, one array at a time:
 * an hour-long episode must not hold them all as a JSON tree. */
static int write_per_frame(struct SobreEncodeJob *job, SobreError *err)
{
    char path[4200], tmp[4300];
    json_t *root = NULL, *old;
    const SobreReport *rep = job->report;
    const size_t flags = JSON_COMPACT | JSON_REAL_PRECISION(7);
    FILE *f;
    int ret = 0, n = 0;
    snprintf(path, sizeof(path), "%s/quality.json", job->dir);
    snprintf(tmp, sizeof(tmp), "%s/quality.json.part", job->work);
    old = json_object_get(root = json_load_file(path, 0, NULL), "renditions");
    if (!(f = fopen(tmp, "w"))) {
        json_decref(root);
        return sobre_fail(err, -errno, "%s: cannot write: %s", tmp, strerror(errno));
    }
    fputs("{\"schema\":\"sobre.quality/1\",\"pairing\":\"frame index\",\"renditions\":{", f);
    for (int i = 0; i < rep->nb_renditions && ret == 0; i++) {
        const char *id = rep->renditions[i].id;
        const Made *m = measured(job, id);
        json_t *v = m || encoded_now(job, id) ? NULL : json_object_get(old, id), *key;
        if (!m && !v) /* no figures, or a re-encoded rung's old ones, which must go */
            continue;
        if (n++)
            fputc(',', f);
        key = json_string(id);
        if (!key || json_dumpf(key, f, JSON_ENCODE_ANY) < 0)
            ret = -ENOMEM;
        json_decref(key);
        fputc(':', f);
        if (ret == 0)
            ret = m ? write_made_frames(m, f) : json_dumpf(v, f, flags) < 0 ? -EIO : 0;
    }
    fputs("}}", f);
    json_decref(root);
    if (fclose(f) != 0 && ret == 0)
        ret = -EIO;
    if (ret < 0 || rename(tmp, path) < 0) {
        unlink(tmp);
        return sobre_fail(err, ret < 0 ? ret : -EIO, "%s: cannot write", path);
    }
    return 0;
}

/* After sorting (the report's extra members follow the rendition index): "quality" and
 * "target" for what was encoded now, copied from the previous report for what was kept. */
static int quality_sections(struct SobreEncodeJob *job, SobreError *err)
{
    SobreReport *rep = job->report;
    char path[4200];
    int ret = 0, any = 0;
    for (int i = 0; i < rep->nb_renditions && ret >= 0; i++) {
        SobreReportRendition *d = &rep->renditions[i];
        Made *m = NULL;
        for (int k = 0; k < job->nb_made; k++)
            if (!strcmp(job->ladder.rungs[job->made[k].rung].id, d->id))
                m = &job->made[k];
        if (!m) {
            for (int k = 0; job->previous && k < 2; k++) {
                const char *name = k ? "target" : "quality";
                char *text = sobre_report_get_section(job->previous, d->id, name);
                if (text)
                    ret = sobre_report_set_rendition_section(rep, d->id, name, text, err);
                any |= text && !k;
                free(text);
            }
            continue;
        }
        if (measured(job, d->id)) {
            ret = set_section(rep, d->id, "quality", m->quality, err);
            any = 1;
        }
        if (ret >= 0 && job->target[m->rung].active) {
            json_t *t = target_json(&job->target[m->rung], m, d);
            ret = set_section(rep, d->id, "target", t, err);
            json_decref(t);
        }
    }
    snprintf(path, sizeof(path), "%s/quality.json", job->dir);
    /* also without fresh figures: a re-encoded rung's old arrays must go */
    if (ret >= 0 && (any || access(path, F_OK) == 0))
        ret = write_per_frame(job, err);
    return ret;
}

void sobre_encode_progress(struct SobreEncodeJob *job, const char *stage, double done_s)
{
    SobreEncodeProgress p = {done_s, job->in->duration_s, sobre_clock_wall() - job->run_start,
                             job->pending, stage};
    if (job->progress)
        job->progress(job->progress_opaque, &p);
}

static void target_progress(void *opaque)
{
    sobre_encode_progress(opaque, "target", 0);
}

/* The CRF search writes the chosen CRFs into the plan; its notes go to the report. */
static int target_search(struct SobreEncodeJob *job, SobreError *err)
{
    TargetContext c = {.input = job->input,
                       .vstream = job->in->vidx,
                       .t0_us = job->in->t0_us,
                       .duration_s = job->in->duration_s,
                       .rotation = job->geom.rotation,
                       .disp_w = job->disp_w,
                       .disp_h = job->disp_h,
                       .ladder = &job->ladder,
                       .plans = job->plan,
                       .pending = job->todo,
                       .src_rate = {job->geom.fps_num, job->geom.fps_den},
                       .work_dir = job->work,
                       .fingerprint = job->report->source.fingerprint,
                       .logger = &job->logger,
                       .cancel = &job->cancel,
                       .progress = target_progress,
                       .opaque = job};
    int ret;
    sobre_input_colour(job->in, &c.colour.primaries, &c.colour.trc, &c.colour.space);
    c.tonemap = job->tonemapping ? &job->tonemap : NULL;
    ret = sobre_target_run(&c, job->target, err);
    for (int i = 0; i < job->ladder.nb_rungs; i++)
        if (job->target[i].active && !job->target[i].met && job->target[i].note[0])
            sobre_report_add_note(job->report, job->target[i].note);
    return ret;
}

/* The smallest picture every rung made now and the quality view still get without
 * upscaling (stored orientation): conversion works at that size. */
static void conversion_need(const struct SobreEncodeJob *job, int *w, int *h)
{
    int turn = job->geom.rotation == 90 || job->geom.rotation == 270;
    *w = *h = 0;
    for (int i = 0; i < job->ladder.nb_rungs; i++)
        if (job->todo[i] && job->ladder.rungs[i].video && i != job->hdr_rung) {
            *w = FFMAX(*w, job->plan[i].scale_w);
            *h = FFMAX(*h, job->plan[i].scale_h);
        }
    if (job->quality) {
        *w = FFMAX(*w, turn ? job->disp_h : job->disp_w);
        *h = FFMAX(*h, turn ? job->disp_w : job->disp_h);
    }
}

static json_t *jname(const char *s)
{
    return s && s[0] ? json_string(s) : json_null();
}

/* report.json "colour": what the source is, what was done to it, with what (schema). */
static int colour_section(struct SobreEncodeJob *job, SobreError *err)
{
    const char *summary = job->colour_summary;
    const SobreColourPlan *c = &job->colour;
    const SobreProbeStream *v = job->probe->video;
    const TonemapMeasure *m = &job->light;
    int tonemap = c->conv == SOBRE_COLOUR_HLG || c->conv == SOBRE_COLOUR_PQ;
    static const char *const conv[] = {"none", "tonemap", "tonemap", "gamut", "none"};
    json_t *o = json_object(), *src = json_object();
    char *text;
    int ret;
    json_object_set_new(src, "transfer", jname(c->transfer));
    json_object_set_new(src, "primaries", jname(c->primaries));
    json_object_set_new(src, "matrix", jname(c->matrix));
    json_object_set_new(src, "bit_depth", json_integer(v->bit_depth));
    json_object_set_new(src, "from", jname(c->via));
    json_object_set_new(src, "dolby_vision",
                        v->dv_present
                            ? json_pack("{s:i, s:i, s:i}", "profile", v->dv_profile, "level",
                                        v->dv_level, "bl_compat_id", v->dv_bl_compat)
                            : json_null());
    json_object_set_new(o, "source", src);
    json_object_set_new(o, "conversion", json_string(conv[c->conv]));
    json_object_set_new(o, "from", jname(c->from));
    json_object_set_new(o, "operator", tonemap ? json_string(SOBRE_TONEMAP_OPERATOR) : json_null());
    json_object_set_new(o, "peak_nits", tonemap ? json_real(job->tonemap.peak_nits) : json_null());
    json_object_set_new(o, "measured_peak_nits",
                        tonemap && m->frames ? json_real(m->peak_nits) : json_null());
    json_object_set_new(o, "frames_measured", json_integer(m->frames));
    json_object_set_new(o, "max_cll", m->max_cll > 0 ? json_real(m->max_cll) : json_null());
    json_object_set_new(o, "mastering_max_nits",
                        m->mastering_max > 0 ? json_real(m->mastering_max) : json_null());
    json_object_set_new(o, "output",
                        job->tonemapping ? json_pack("{s:s, s:s, s:s, s:s, s:i}", "primaries",
                                                     "bt709", "transfer", "bt709", "matrix",
                                                     "bt709", "range", "tv", "bit_depth", 8)
                                         : json_null());
    json_object_set_new(o, "hdr_rendition",
                        job->hdr_rung >= 0 ? json_string(job->ladder.rungs[job->hdr_rung].id)
                                           : json_null());
    json_object_set_new(o, "summary", json_string(summary));
    /* measuring, then converting every frame in the reader (known once the input is read) */
    json_object_set_new(
        o, "cpu_s", json_real(round((m->cpu_s + sobre_tonemap_cpu_s(job->in->tm)) * 100) / 100));
    text = json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(10));
    json_decref(o);
    if (!text)
        return sobre_fail(err, AVERROR(ENOMEM), "out of memory");
    ret = sobre_report_set_section(job->report, "colour", text, err);
    free(text);
    return ret;
}

/* HDR and wide-gamut sources: measure the light the pictures reach, set the conversion the
 * reader (and the CRF search) apply before the fan-out, and say so in the report. */
static int colour_setup(struct SobreEncodeJob *job, SobreError *err)
{
    const SobreColourPlan *c = &job->colour;
    char *summary = job->colour_summary;
    size_t size = sizeof(job->colour_summary);
    int ret, video = 0, bit_depth = job->probe->video ? job->probe->video->bit_depth : 0;
    for (int i = 0; i < job->ladder.nb_rungs; i++)
        video |= job->todo[i] && job->ladder.rungs[i].video;
    if (c->conv == SOBRE_COLOUR_AS_IS || !video)
        return 0;
    if (c->conv != SOBRE_COLOUR_DV_NO_BASE) {
        if ((ret = sobre_tonemap_config(&job->tonemap, c, err)) < 0)
            return ret;
        conversion_need(job, &job->tonemap.need_w, &job->tonemap.need_h);
        job->tonemap.threads = FFMIN(4, FFMAX(1, (int)sysconf(_SC_NPROCESSORS_ONLN)));
        if (c->conv != SOBRE_COLOUR_GAMUT) {
            if ((ret = sobre_tonemap_measure(job->input, job->in->vidx, job->in->duration_s,
                                             &job->tonemap, 10, &job->light, err)) < 0)
                return ret;
            job->tonemap.peak_nits = sobre_tonemap_peak_nits(
                c->conv, job->light.peak_nits, job->light.max_cll, job->light.mastering_max);
        }
        if ((ret = sobre_input_set_tonemap(job->in, &job->tonemap, err)) < 0)
            return ret;
        job->tonemapping = 1;
    }
    sobre_colour_describe(c, bit_depth, job->tonemap.peak_nits, summary, size);
    sobre_log(&job->logger, c->conv == SOBRE_COLOUR_DV_NO_BASE ? SOBRE_LOG_WARNING : SOBRE_LOG_INFO,
              "%s: %s", job->input, summary);
    if (sobre_report_add_note(job->report, summary) < 0)
        return sobre_fail(err, AVERROR(ENOMEM), "out of memory");
    return colour_section(job, err);
}

/* Every ~250 ms of decoding: how far the slowest rendition has got. */
static void encode_tick(void *opaque, double t)
{
    struct SobreEncodeJob *job = opaque;
    double now = sobre_clock_wall();
    long long done = -1;
    if (!job->progress || now - job->last_progress < 0.25)
        return;
    job->last_progress = now;
    for (int i = 0; i < job->nb_vr; i++) {
        long long d = atomic_load(&job->vr[i]->done_us);
        if (done < 0 || d < done)
            done = d;
    }
    sobre_encode_progress(job, "encode", done < 0 ? t : done / 1e6);
}

static int read_input(struct SobreEncodeJob *job, SobreError *err)
{
    SobreQueue *frames[SOBRE_LADDER_MAX_RUNGS];
    int decoded[SOBRE_LADDER_MAX_RUNGS];
    InputSinks k = {.video = frames,
                    .nb_video = job->nb_vr,
                    .video_hdr = decoded,
                    .audio = job->ae,
                    .nb_audio = job->nb_ae,
                    .disp_w = job->quality ? job->disp_w : 0,
                    .disp_h = job->quality ? job->disp_h : 0,
                    .cancel = &job->cancel,
                    .tick = encode_tick,
                    .opaque = job};
    int ret;
    double c0 = sobre_clock_thread_cpu();
    for (int i = 0; i < job->nb_vr; i++) {
        frames[i] = job->vr[i]->frames;
        decoded[i] = job->vr_rung[i] == job->hdr_rung;
    }
    ret = sobre_input_run(job->in, &k, err);
    job->decode_cpu_s = sobre_clock_thread_cpu() - c0; /* audio encoding included */
    if (ret < 0)
        return ret;
    job->report->source.duration_s = job->in->duration_s; /* joined recordings: the content's */
    if (job->colour_summary[0] && (ret = colour_section(job, err)) < 0) /* now with its CPU */
        return ret;
    sobre_encode_progress(job, "encode", job->in->duration_s);
    return 0;
}

/* The audio-only outputs, complete once the input is read: finished and checked (their
 * loudness measured) in this thread. */
static int finish_audio_only(struct SobreEncodeJob *job, SobreError *err)
{
    int ret = 0;
    for (int i = 0; i < SOBRE_LADDER_MAX_RUNGS && ret >= 0; i++)
        if (job->aout[i] && (ret = sobre_output_finish(job->aout[i], err)) >= 0 && job->verify &&
            sobre_encode_audio_of(job, i)->started)
            ret = sobre_output_check(job->aout[i], &job->aout_dur[i], &job->out_loud[i], err);
    return ret;
}

/* Rung-parallel: the VRends, the decode in this thread; then what each made. */
static int run_rungs(struct SobreEncodeJob *job, SobreError *err)
{
    int ret;
    if ((ret = setup(job, err)) < 0 || (ret = read_input(job, err)) < 0) {
        if (atomic_load(&job->cancel) && ret != SOBRE_E_CANCELLED)
            ret = SOBRE_E_CANCELLED;
        /* a failing rendition may hold the real reason */
        SobreError terr = {0, ""};
        int tr = stop_threads(job, 1, &terr);
        if (ret == SOBRE_E_CANCELLED && tr < 0 && tr != SOBRE_E_CANCELLED) {
            ret = tr;
            if (err)
                *err = terr;
        }
        if (ret == SOBRE_E_CANCELLED)
            sobre_fail(err, ret, "%s: cancelled; nothing was changed", job->dir);
        return ret;
    }
    /* the audio-only files are complete once the input is read: finish and check them,
     * and make the poster, while the rendition threads still encode */
    if ((ret = finish_audio_only(job, err)) >= 0)
        ret = make_poster(job, err);
    if (ret < 0) {
        stop_threads(job, 1, NULL);
        return ret;
    }
    if ((ret = stop_threads(job, 0, err)) < 0)
        return ret;
    for (int a = 0; a < job->nb_ae; a++)
        if (job->ae[a]->held_s > 0)
            sobre_log(&job->logger, SOBRE_LOG_INFO,
                      "audio '%s': %.1f s of decoded audio held until the loudness pass gave "
                      "its level (the decode waited %.2f s for it)",
                      job->ae[a]->set->name, job->ae[a]->held_s, job->ae[a]->wait_s);
    for (int k = 0; k < job->nb_vr; k++) {
        VRend *vr = job->vr[k];
        AudioEnc *ae = sobre_encode_audio_of(job, job->vr_rung[k]);
        Made *m = &job->made[job->nb_made++];
        m->rung = job->vr_rung[k];
        m->out = &vr->out;
        m->cpu_s = vr->cpu_s;
        m->wall_s = vr->wall_s;
        m->frames = vr->vq ? sobre_vq_frames(vr->vq) : 0; /* checked in the VRend's thread */
        m->duration_s = vr->duration_s;
        m->loud = vr->loud;
        m->display_ssim = -1;
        if (ae) {
            char ac[32];
            sobre_codec_string(ae->ctx, ac, sizeof(ac));
            snprintf(m->codecs, sizeof(m->codecs), "%s, %s", vr->codec_string, ac);
        } else {
            av_strlcpy(m->codecs, vr->codec_string, sizeof(m->codecs));
        }
        if (vr->vq && vr->cfg.quality) {
            if ((ret = sobre_vq_result(vr->vq, &m->quality, err)) < 0)
                return ret;
            m->vq = vr->vq;
            m->display_ssim = sobre_vq_display_ssim(vr->vq);
        }
    }
    return 0;
}

/* Describes every output made now (each checked already: the video renditions in their
 * threads or by the join, the audio-only ones by finish_audio_only()), then moves them
 * all into place. */
static int finish_outputs(struct SobreEncodeJob *job, SobreError *err)
{
    int ret;
    sobre_encode_progress(job, "verify", job->in->duration_s);
    for (int k = 0; k < job->nb_made; k++) {
        Made *m = &job->made[k];
        job->out_loud[m->rung] = m->loud;
        if ((ret = finalize(job, m->rung, m->out, m->codecs, m->cpu_s, m->wall_s, m->frames,
                            m->duration_s, err)) < 0)
            return ret;
    }
    for (int i = 0; i < SOBRE_LADDER_MAX_RUNGS; i++) {
        AudioEnc *ae;
        char ac[32];
        if (!job->aout[i])
            continue;
        ae = sobre_encode_audio_of(job, i);
        if (!ae->started) { /* an audio stream without a single sample */
            SobreReportSkip *sk = &job->report->skipped[job->report->nb_skipped++];
            av_strlcpy(sk->id, job->ladder.rungs[i].id, sizeof(sk->id));
            av_strlcpy(sk->reason, "the input's audio stream holds no sound", sizeof(sk->reason));
            sobre_output_close(job->aout[i]);
            av_freep(&job->aout[i]);
            continue;
        }
        sobre_codec_string(ae->ctx, ac, sizeof(ac));
        if ((ret = finalize(job, i, job->aout[i], ac, ae->cpu_s, 0, 0, job->aout_dur[i], err)) < 0)
            return ret;
    }
    if ((ret = move_into_place(job, err)) < 0 || (ret = write_side_files(job, err)) < 0)
        return ret;
    return 0;
}

/* Segment-parallel: the missing segments, then (unless this run makes one segment for
 * a join elsewhere) the audio pass, the poster and the join. */
static int run_segments(struct SobreEncodeJob *job, SobreError *err)
{
    double t0 = sobre_clock_wall(), c0 = sobre_clock_process_cpu();
    int ret = sobre_encode_seg_run(job, err);
    job->phase_encode = sobre_clock_wall() - t0;
    job->cpu_encode = sobre_clock_process_cpu() - c0;
    /* the audio pass below needs the levels */
    if (ret >= 0 && !job->segment_only)
        ret = sobre_encode_loudness_wait(job, 0, err);
    if (ret < 0 || job->segment_only)
        return ret;
    if ((ret = sobre_encode_seg_join(job, err)) >= 0 && (ret = finish_audio_only(job, err)) >= 0)
        ret = make_poster(job, err);
    job->phase_join = sobre_clock_wall() - t0 - job->phase_encode;
    job->cpu_join = sobre_clock_process_cpu() - c0 - job->cpu_encode;
    return ret;
}

int sobre_encode_run(SobreEncodeJob *job, SobreError *err)
{
    double c0 = sobre_clock_process_cpu();
    long long e0 = rapl_uj();
    char path[4200];
    int ret;

    job->run_start = sobre_clock_wall();
    if (job->pending) {
        /* the loudness pre-pass runs beside the CRF search and the encode */
        if ((ret = colour_setup(job, err)) < 0 ||
            (ret = sobre_encode_loudness_start(job, err)) < 0 ||
            (ret = target_search(job, err)) < 0) {
            sobre_encode_loudness_wait(job, 1, NULL);
            if (atomic_load(&job->cancel))
                ret = sobre_fail(err, SOBRE_E_CANCELLED, "%s: cancelled; nothing was changed",
                                 job->dir);
            return ret;
        }
        job->phase_search = sobre_clock_wall() - job->run_start;
        job->cpu_search = sobre_clock_process_cpu() - c0;
        if (job->par.segments) {
            ret = run_segments(job, err);
        } else {
            ret = run_rungs(job, err);
            job->phase_encode = sobre_clock_wall() - job->run_start - job->phase_search;
            job->cpu_encode = sobre_clock_process_cpu() - c0 - job->cpu_search;
        }
        /* joined by now unless the run failed (or made one segment): then it is stopped */
        if (ret >= 0 && !job->segment_only)
            ret = sobre_encode_loudness_wait(job, 0, err);
        else
            sobre_encode_loudness_wait(job, 1, NULL);
        if (ret < 0 || job->segment_only)
            goto drop_poster;
        if ((ret = finish_outputs(job, err)) < 0)
            goto drop_poster;
        sobre_encode_seg_cleanup(job);
    } else if (job->segment_only) {
        return 0; /* every rendition is complete: no segment to make */
    } else if (job->previous) {
        return keep_previous_report(job, err);
    }
    sobre_encode_sort_renditions(job);
    if ((ret = quality_sections(job, err)) < 0 ||
        (ret = sobre_encode_loudness_report(job, err)) < 0)
        return ret;
    job->report->encode.wall_s = sobre_clock_wall() - job->run_start;
    job->report->encode.cpu_s = sobre_clock_process_cpu() - c0;
    job->phase_finish =
        job->report->encode.wall_s - job->phase_search - job->phase_encode - job->phase_join;
    job->cpu_finish = job->report->encode.cpu_s - job->cpu_search - job->cpu_encode - job->cpu_join;
    job->report->encode.cores = job->par.cores;
    if (e0 >= 0 && job->pending) {
        long long e1 = rapl_uj();
        job->report->encode.energy_uj = e1 >= e0 ? e1 - e0 : -1;
    }
    if ((ret = sobre_encode_plan_section(job, err)) < 0)
        return ret;
    snprintf(path, sizeof(path), "%s/report.json", job->dir);
    return sobre_report_save(job->report, path, err);
drop_poster: /* the outputs' temporary files go when the job closes */
    snprintf(path, sizeof(path), "%s/poster.webp.part", job->work);
    unlink(path);
    return ret;
}
