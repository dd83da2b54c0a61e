/* `sobre quality` in the library: decode a reference and a distorted video side by side,
 * pair frames by index (never by timestamp), bring both to one size in 8-bit 4:2:0 and
 * score every pair with the metrics core. The longer input is decoded to its end so
 * both frame counts can be reported. */
#include <errno.h>
#include <string.h>

#include <libavutil/pixdesc.h>

#include "error.h"
#include "quality_input.h"
#include "sobre/quality.h"

enum { MAX_SIDE = 16384 };

void sobre_quality_default_settings(SobreQualitySettings *s)
{
    memset(s, 0, sizeof(*s));
    s->logger.level = SOBRE_LOG_WARNING;
}

void sobre_quality_report_free(SobreQualityReport **r)
{
    if (!r || !*r)
        return;
    sobre_quality_accum_free(&(*r)->accum);
    av_freep(r);
}

static int check_settings(const SobreQualitySettings *s, SobreError *err)
{
    if (!s || !s->reference || !s->distorted || !s->reference[0] || !s->distorted[0])
        return sobre_fail(err, SOBRE_E_INVALID,
                          "quality: a reference and a distorted file are "
                          "both needed");
    if ((s->width || s->height) &&
        (s->width < 1 || s->height < 1 || s->width > MAX_SIDE || s->height > MAX_SIDE))
        return sobre_fail(err, SOBRE_E_INVALID,
                          "quality: comparison size %dx%d is invalid (1 to %d on each side)",
                          s->width, s->height, MAX_SIDE);
    return 0;
}

/* Both frames of pair n as plane views at the comparison size, then scored. */
static int score_pair(const SobreQualitySettings *s, SobreQualityReport *r, QualityInput *ref,
                      QualityInput *dist, SobreError *err)
{
    SobrePlanes pr, pd;
    int ret;
    if (!r->width) {
        r->width = s->width ? s->width : ref->frame->width;
        r->height = s->height ? s->height : ref->frame->height;
        if (ref->frame->color_range != dist->frame->color_range &&
            ref->frame->color_range != AVCOL_RANGE_UNSPECIFIED &&
            dist->frame->color_range != AVCOL_RANGE_UNSPECIFIED)
            sobre_log(&s->logger, SOBRE_LOG_WARNING,
                      "%s is %s range and %s is %s range: the scores compare unlike samples",
                      s->reference, av_color_range_name(ref->frame->color_range), s->distorted,
                      av_color_range_name(dist->frame->color_range));
    }
    ret = sobre_quality_input_planes(ref, r->width, r->height, &pr, err);
    if (ret >= 0)
        ret = sobre_quality_input_planes(dist, r->width, r->height, &pd, err);
    if (ret >= 0)
        ret = sobre_quality_accum_add(r->accum, &pr, &pd, err);
    av_frame_unref(ref->frame);
    av_frame_unref(dist->frame);
    return ret;
}

/* Decodes what is left of one input, only to count its frames. */
static int drain(QualityInput *in, int more, SobreError *err)
{
    while (more == 1) {
        av_frame_unref(in->frame);
        more = sobre_quality_input_next(in, err);
    }
    return more;
}

static int run(const SobreQualitySettings *s, SobreQualityReport *r, QualityInput *ref,
               QualityInput *dist, SobreError *err)
{
    int a, b, ret;
    for (;;) {
        a = sobre_quality_input_next(ref, err);
        if (a < 0)
            return a;
        b = sobre_quality_input_next(dist, err);
        if (b < 0)
            return b;
        if (a == 0 || b == 0)
            break;
        ret = score_pair(s, r, ref, dist, err);
        if (ret < 0)
            return ret;
        if (s->progress && s->progress(s->progress_opaque,
                                       (int64_t)sobre_quality_accum_count(r->accum), ref->expected))
            return sobre_fail(err, SOBRE_E_CANCELLED, "quality: cancelled");
    }
    if ((ret = drain(ref, a, err)) < 0 || (ret = drain(dist, b, err)) < 0)
        return ret;
    if (!ref->info.frames)
        return sobre_fail(err, SOBRE_E_NOVIDEO, "%s: no video frame could be decoded",
                          s->reference);
    if (!dist->info.frames)
        return sobre_fail(err, SOBRE_E_NOVIDEO, "%s: no video frame could be decoded",
                          s->distorted);
    return 0;
}

int sobre_quality_compare(const SobreQualitySettings *s, SobreQualityReport **out, SobreError *err)
{
    QualityInput *ref = NULL, *dist = NULL;
    SobreQualityReport *r = NULL;
    int ret;
    *out = NULL;
    if ((ret = check_settings(s, err)) < 0)
        return ret;
    if ((ret = sobre_quality_input_open(&ref, s->reference, &s->logger, err)) < 0)
        goto fail;
    if ((ret = sobre_quality_input_open(&dist, s->distorted, &s->logger, err)) < 0)
        goto fail;
    r = av_mallocz(sizeof(*r));
    if (!r) {
        ret = sobre_fail(err, AVERROR(ENOMEM), "out of memory");
        goto fail;
    }
    /* the header's count is only a hint (and may be absurd): reserve at most ~1 h at 25 fps */
    ret = sobre_quality_accum_new(
        &r->accum, ref->expected > 0 && ref->expected < 90000 ? (size_t)ref->expected : 0, err);
    if (ret < 0)
        goto fail;
    if ((ret = run(s, r, ref, dist, err)) < 0)
        goto fail;
    if ((ret = sobre_quality_accum_result(r->accum, &r->summary, err)) < 0)
        goto fail;
    r->reference = ref->info;
    r->distorted = dist->info;
    sobre_quality_input_close(&ref);
    sobre_quality_input_close(&dist);
    *out = r;
    return 0;
fail:
    sobre_quality_input_close(&ref);
    sobre_quality_input_close(&dist);
    sobre_quality_report_free(&r);
    return ret;
}
