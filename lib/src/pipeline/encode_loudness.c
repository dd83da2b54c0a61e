/* The job's loudness: the pre-pass (loudpass.h) measures the input at the layout of
 * every audio setting this run encodes and decides each setting's level, which the audio
 * encoders then apply (aenc.h), once per setting, shared by every rendition carrying it.
 * The pass runs in a thread of its own beside the video encode (it reads the input again,
 * audio only): the audio encoders hold the decoded audio until their level is known
 * (sobre_encode_loudness_level), so nothing waits for the pass but the audio. After the
 * encode, report.json gets the figures: the top-level "loudness" (input, decisions) and,
 * per rendition, its audio as decoded by the verify step (docs/report.schema.json). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "job.h"

static void add_notes(struct SobreEncodeJob *job)
{
    for (int k = 0; k < job->lp.nb_audio; k++) {
        const char *note = job->lp.audio[k].first.note;
        int seen = 0;
        for (int j = 0; j < k; j++)
            seen |= !strcmp(job->lp.audio[j].first.note, note);
        if (note[0] && !seen)
            sobre_report_add_note(job->report, note);
    }
}

/* The pre-pass thread. Its result is published under lp_lock (lp_finished). */
static void *pass_main(void *arg)
{
    struct SobreEncodeJob *job = arg;
    SobreError perr = {0, ""};
    int ret = sobre_loudpass_run(&job->lp, &job->lp_cfg, &perr);
    if (ret >= 0) {
        job->lp_done = 1;
    } else if (ret != SOBRE_E_CANCELLED && !atomic_load(&job->lp_stop)) {
        /* an audio stream that does not decode: the encode copes with it (silence or no
         * audio rendition), so the loudness step stands aside and says why */
        snprintf(job->lp_note, sizeof(job->lp_note),
                 "audio: loudness not measured (%s): its level is left as it is", perr.detail);
        memset(&job->lp, 0, sizeof(job->lp));
        job->lp.target = job->loud;
        ret = 0;
    }
    pthread_mutex_lock(&job->lp_lock);
    job->lp_ret = ret;
    job->lp_err = perr;
    job->lp_finished = 1;
    pthread_cond_broadcast(&job->lp_cond);
    pthread_mutex_unlock(&job->lp_lock);
    return NULL;
}

int sobre_encode_loudness_start(struct SobreEncodeJob *job, SobreError *err)
{
    int any = 0;
    memset(&job->lp, 0, sizeof(job->lp));
    job->lp.target = job->loud;
    job->lp_done = 0;
    if (job->in->aidx < 0 || job->segment_only) /* one segment: video only, no levels */
        return 0;
    memset(job->lp_used, 0, sizeof(job->lp_used));
    for (int i = 0; i < job->ladder.nb_rungs; i++)
        if (job->todo[i] && job->ladder.rungs[i].audio >= 0)
            job->lp_used[job->ladder.rungs[i].audio] = any = 1;
    if (!any || !job->loud.enabled)
        return 0;
    job->lp_cfg = (LoudPassConfig){.input = job->input,
                                   .stream = job->in->aidx,
                                   .ladder = &job->ladder,
                                   .used = job->lp_used,
                                   .target = job->loud,
                                   .cancel = &job->lp_stop,
                                   .logger = &job->logger};
    atomic_store(&job->lp_stop, 0);
    job->lp_finished = 0;
    job->lp_note[0] = 0;
    if (pthread_mutex_init(&job->lp_lock, NULL) != 0)
        return sobre_fail(err, AVERROR(ENOMEM), "cannot start the loudness pass");
    if (pthread_cond_init(&job->lp_cond, NULL) != 0) {
        pthread_mutex_destroy(&job->lp_lock);
        return sobre_fail(err, AVERROR(ENOMEM), "cannot start the loudness pass");
    }
    if (pthread_create(&job->lp_thread, NULL, pass_main, job) != 0) {
        pthread_cond_destroy(&job->lp_cond);
        pthread_mutex_destroy(&job->lp_lock);
        return sobre_fail(err, AVERROR(EAGAIN), "cannot start the loudness pass");
    }
    job->lp_running = 1;
    return 0;
}

int sobre_encode_loudness_level(void *opaque, int setting, int block, const AudioLevel **level)
{
    struct SobreEncodeJob *job = opaque;
    int ret;
    pthread_mutex_lock(&job->lp_lock);
    while (block && !job->lp_finished) {
        if (atomic_load(&job->cancel)) {
            atomic_store(&job->lp_stop, 1); /* the pass stops at its next packet */
            pthread_mutex_unlock(&job->lp_lock);
            return SOBRE_E_CANCELLED;
        }
        sobre_clock_cond_wait_ms(&job->lp_cond, &job->lp_lock, 50);
    }
    ret = !job->lp_finished ? 0 : job->lp_ret < 0 ? job->lp_ret : 1;
    pthread_mutex_unlock(&job->lp_lock);
    if (ret == 1)
        *level = sobre_loudpass_level(job->lp_done ? &job->lp : NULL, setting);
    return ret;
}

int sobre_encode_loudness_wait(struct SobreEncodeJob *job, int stop, SobreError *err)
{
    if (!job->lp_running)
        return 0;
    if (stop || atomic_load(&job->cancel))
        atomic_store(&job->lp_stop, 1);
    pthread_join(job->lp_thread, NULL);
    pthread_cond_destroy(&job->lp_cond);
    pthread_mutex_destroy(&job->lp_lock);
    job->lp_running = 0;
    if (job->lp_ret < 0) { /* cancelled */
        if (err && !stop)
            *err = job->lp_err;
        return stop ? 0 : job->lp_ret;
    }
    if (job->lp_note[0]) {
        sobre_log(&job->logger, SOBRE_LOG_WARNING, "%s", job->lp_note);
        sobre_report_add_note(job->report, job->lp_note);
    }
    if (job->lp_done)
        add_notes(job);
    return 0;
}

static int set_json(SobreReport *r, const char *rendition, const char *name, json_t *v,
                    SobreError *err)
{
    char *text = v ? json_dumps(v, JSON_COMPACT | JSON_REAL_PRECISION(10)) : NULL;
    int ret;
    if (!text)
        ret = sobre_fail(err, AVERROR(ENOMEM), "out of memory");
    else if (rendition)
        ret = sobre_report_set_rendition_section(r, rendition, name, text, err);
    else
        ret = sobre_report_set_section(r, name, text, err);
    free(text);
    json_decref(v);
    return ret;
}

static int copy_previous(struct SobreEncodeJob *job, const char *rendition, SobreError *err)
{
    char *text =
        job->previous ? sobre_report_get_section(job->previous, rendition, "loudness") : NULL;
    int ret = 0;
    if (text)
        ret = rendition ? sobre_report_set_rendition_section(job->report, rendition, "loudness",
                                                             text, err)
                        : sobre_report_set_section(job->report, "loudness", text, err);
    free(text);
    return ret;
}

/* One rendition made now: its audio as decoded, and the level it was given. */
static json_t *rendition_json(const struct SobreEncodeJob *job, int rung)
{
    const LoudMeterResult *out = &job->out_loud[rung];
    const AudioLevel *lv =
        sobre_loudpass_level(job->lp_done ? &job->lp : NULL, job->ladder.rungs[rung].audio);
    json_t *o = out->channels
                    ? sobre_loud_result_json(out)
                    : json_pack("{s:n, s:n, s:n}", "integrated_lufs", "range_lu", "true_peak_dbtp");
    json_object_set_new(o, "measured", json_string(out->channels ? "decoded output" : "no"));
    json_object_set_new(o, "gain_db", json_real(lv && lv->on ? round(lv->gain_db * 100) / 100 : 0));
    json_object_set_new(o, "limiter", json_boolean(lv && lv->on && lv->limiter_db < -0.005));
    return o;
}

int sobre_encode_loudness_report(struct SobreEncodeJob *job, SobreError *err)
{
    SobreReport *rep = job->report;
    int ret = 0;
    if (!job->report->source.has_audio)
        return 0;
    if (job->lp_done || (!job->loud.enabled && job->pending))
        ret = set_json(rep, NULL, "loudness", sobre_loudpass_json(&job->lp, &job->ladder), err);
    else
        ret = copy_previous(job, NULL, err);
    for (int i = 0; ret >= 0 && i < rep->nb_renditions; i++) {
        const SobreReportRendition *d = &rep->renditions[i];
        int rung = -1;
        for (int k = 0; k < job->ladder.nb_rungs; k++)
            if (!strcmp(job->ladder.rungs[k].id, d->id))
                rung = k;
        if (!d->has_audio)
            continue;
        if (rung >= 0 && job->todo[rung])
            ret = set_json(rep, d->id, "loudness", rendition_json(job, rung), err);
        else
            ret = copy_previous(job, d->id, err);
    }
    return ret;
}
