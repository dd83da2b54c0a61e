/* What an episode carries besides its renditions: the captions file (checked copy of the
 * user's WebVTT, or the cues converted from the input's subtitle stream) and the order
 * of renditions in the report (the ladder's order, whatever was kept or re-made). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <libavutil/avstring.h>

#include "job.h"

static const char *lang_label(const char *lang)
{
    static const char *const labels[][2] = {{"fr", "Français"}, {"en", "English"},
                                            {"de", "Deutsch"},  {"es", "Español"},
                                            {"it", "Italiano"}, {"br", "Brezhoneg"}};
    for (size_t i = 0; i < sizeof(labels) / sizeof(labels[0]); i++)
        if (!strcmp(lang, labels[i][0]))
            return labels[i][1];
    return lang;
}

static int read_file(const char *path, SobreBuf *b, SobreError *err)
{
    char chunk[8192];
    size_t n;
    FILE *f = fopen(path, "rb");
    if (!f)
        return sobre_fail(err, -errno, "%s: cannot open: %s", path, strerror(errno));
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        sobre_buf_putn(b, chunk, n);
    fclose(f);
    return b->oom ? sobre_fail(err, -ENOMEM, "%s: out of memory", path) : 0;
}

int sobre_encode_write_captions(struct SobreEncodeJob *job, SobreError *err)
{
    SobreReport *rep = job->report;
    SobreReportCaption *c = &rep->captions[0];
    char path[4400];
    const char *lang = job->language, *origin = "file";
    SobreBuf copy;
    const SobreBuf *text = NULL;
    int ret = 0;

    sobre_buf_init(&copy);
    snprintf(path, sizeof(path), "%s/captions.vtt", job->dir);
    if (job->captions[0]) {
        if ((ret = read_file(job->captions, &copy, err)) < 0)
            goto end;
        text = &copy;
    } else if (job->in->nb_cues > 0) {
        text = &job->in->subs;
        origin = "stream";
        if (job->in->sub_lang[0])
            lang = job->in->sub_lang;
    } else if (job->previous && job->previous->nb_captions) {
        struct stat st;
        snprintf(path, sizeof(path), "%s/%s", job->dir, job->previous->captions[0].file);
        if (stat(path, &st) == 0)
            *c = job->previous->captions[0], rep->nb_captions = 1;
        goto end;
    } else {
        goto end;
    }
    if ((ret = sobre_buf_write_file(text, path, err)) < 0)
        goto end;
    memset(c, 0, sizeof(*c));
    av_strlcpy(c->file, "captions.vtt", sizeof(c->file));
    av_strlcpy(c->lang, lang, sizeof(c->lang));
    av_strlcpy(c->label, lang_label(lang), sizeof(c->label));
    av_strlcpy(c->origin, origin, sizeof(c->origin));
    rep->nb_captions = 1;
end:
    sobre_buf_free(&copy);
    return ret;
}

static int rung_index(const struct SobreEncodeJob *job, const char *id)
{
    for (int i = 0; i < job->ladder.nb_rungs; i++)
        if (!strcmp(job->ladder.rungs[i].id, id))
            return i;
    return SOBRE_LADDER_MAX_RUNGS;
}

void sobre_encode_sort_renditions(struct SobreEncodeJob *job)
{
    SobreReport *r = job->report;
    for (int i = 1; i < r->nb_renditions; i++)
        for (int j = i; j > 0; j--) {
            if (rung_index(job, r->renditions[j - 1].id) <= rung_index(job, r->renditions[j].id))
                break;
            sobre_report_swap_renditions(r, j - 1, j); /* sections move with them */
        }
}

static json_t *phases(double search, double encode, double join, double finish)
{
    return json_pack("{s:f, s:f, s:f, s:f}", "search", round(search * 1000) / 1000, "encode",
                     round(encode * 1000) / 1000, "join", round(join * 1000) / 1000, "finish",
                     round(finish * 1000) / 1000);
}

/* report.json "plan": how this encode used the machine, and (segments) what each
 * segment cost where it was made: scripts/bench-scaling.sh computes other machines'
 * schedules from it (sobre_plan_simulate). */
int sobre_encode_plan_section(struct SobreEncodeJob *job, SobreError *err)
{
    const SobreParallelPlan *p = &job->par;
    json_t *o = json_object(), *rends = json_object();
    char *text;
    int ret;
    json_object_set_new(o, "cores", json_integer(p->cores));
    json_object_set_new(o, "cores_from", json_string(job->cpus.source));
    json_object_set_new(o, "affinity", json_integer(job->cpus.affinity));
    json_object_set_new(o, "online", json_integer(job->cpus.online));
    json_object_set_new(o, "cgroup_quota",
                        job->cpus.quota > 0 ? json_real(job->cpus.quota) : json_null());
    if (job->cpus.quota > 0)
        json_object_set_new(o, "cgroup_file", json_string(job->cpus.quota_from));
    json_object_set_new(o, "mode", json_string(p->segments ? "segments" : "rungs"));
    json_object_set_new(o, "reason", json_string(p->reason));
    json_object_set_new(o, "segment_s", json_real(p->segment_s));
    json_object_set_new(o, "segments", json_integer(p->nb_segments));
    json_object_set_new(o, "segments_at_once", json_integer(p->segments ? p->at_once : 0));
    json_object_set_new(o, "predicted_wall_s",
                        json_pack("{s:f, s:f}", "rungs", round(p->predicted_rungs_s * 10) / 10,
                                  "segments", round(p->predicted_segments_s * 10) / 10));
    for (int i = 0; i < job->ladder.nb_rungs; i++) {
        const SobreRungPlan *rp = &job->plan[i];
        if (!job->todo[i] || !job->ladder.rungs[i].video)
            continue;
        json_object_set_new(rends, job->ladder.rungs[i].id,
                            json_pack("{s:i, s:i, s:f, s:b}", "threads", rp->threads,
                                      "tile_columns", rp->tile_columns, "work",
                                      round(rp->work * 1000) / 1000, "learned", rp->learned));
    }
    json_object_set_new(o, "renditions", rends);
    if (!p->segments && job->decode_cpu_s > 0)
        json_object_set_new(o, "decode_cpu_s", json_real(round(job->decode_cpu_s * 1000) / 1000));
    if (job->seg_stats)
        json_object_set(o, "segment_stats", job->seg_stats);
    if (job->report->encode.wall_s > 0) /* after run: where the wall time went */
        json_object_set_new(
            o, "phases_s",
            phases(job->phase_search, job->phase_encode, job->phase_join, job->phase_finish));
    if (job->report->encode.wall_s > 0) /* ...and their CPU: one thread but for encoding */
        json_object_set_new(
            o, "phases_cpu_s",
            phases(job->cpu_search, job->cpu_encode, job->cpu_join, job->cpu_finish));
    text = json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(10));
    json_decref(o);
    if (!text)
        return sobre_fail(err, -ENOMEM, "out of memory");
    ret = sobre_report_set_section(job->report, "plan", text, err);
    free(text);
    return ret;
}
