/* What an episode carries besides its renditions: the captions file (checked copy of the
 * user's WebVTT, or the cues converted from the input's subtitle stream) and the order
 * of renditions in the report (the ladder's order, whatever was kept or re-made). */
#include <errno.h>
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
