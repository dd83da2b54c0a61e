/* The job's loudness: before the encode, the pre-pass (loudpass.h) measures the input at
 * the layout of every audio setting this run encodes and decides each setting's level,
 * which the audio encoders then apply (aenc.h), once per setting, shared by every
 * rendition carrying it. After the encode, report.json gets the figures: the top-level
 * "loudness" (input, decisions) and, per rendition, its audio as decoded by the verify
 * step (docs/report.schema.json). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "job.h"

static void loud_tick(void *opaque, double done_s)
{
    sobre_encode_progress(opaque, "loudness", done_s);
}

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

int sobre_encode_loudness(struct SobreEncodeJob *job, SobreError *err)
{
    int used[SOBRE_LADDER_MAX_AUDIO] = {0}, any = 0, ret;
    SobreError perr = {0, ""};
    LoudPassConfig c = {.input = job->input,
                        .stream = job->in->aidx,
                        .ladder = &job->ladder,
                        .used = used,
                        .target = job->loud,
                        .cancel = &job->cancel,
                        .tick = loud_tick,
                        .opaque = job,
                        .logger = &job->logger};
    memset(&job->lp, 0, sizeof(job->lp));
    job->lp.target = job->loud;
    if (job->in->aidx < 0)
        return 0;
    for (int i = 0; i < job->ladder.nb_rungs; i++)
        if (job->todo[i] && job->ladder.rungs[i].audio >= 0)
            used[job->ladder.rungs[i].audio] = any = 1;
    if (!any || !job->loud.enabled)
        return 0;
    sobre_encode_progress(job, "loudness", 0);
    if ((ret = sobre_loudpass_run(&job->lp, &c, &perr)) < 0) {
        char note[SOBRE_ERROR_DETAIL + 96];
        if (ret == SOBRE_E_CANCELLED || atomic_load(&job->cancel)) {
            if (err)
                *err = perr;
            return SOBRE_E_CANCELLED;
        }
        /* an audio stream that does not decode: the encode copes with it (silence or no
         * audio rendition), so the loudness step stands aside and says why */
        snprintf(note, sizeof(note),
                 "audio: loudness not measured (%s): its level is left as "
                 "it is",
                 perr.detail);
        sobre_log(&job->logger, SOBRE_LOG_WARNING, "%s", note);
        sobre_report_add_note(job->report, note);
        memset(&job->lp, 0, sizeof(job->lp));
        job->lp.target = job->loud;
        return 0;
    }
    job->lp_done = 1;
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
