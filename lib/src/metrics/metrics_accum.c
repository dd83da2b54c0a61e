/* Pools per-frame SSIM/PSNR scores of one video into mean, 5th percentile and minimum.
 * The encode pipeline keeps one lean accumulator per view and rendition thread (the four
 * figures quality.json keeps, 32 bytes a frame) and feeds it frame pairs by index;
 * `sobre quality` keeps whole records (its --per-frame prints every figure). Means are
 * running sums in frame order, the same additions either way. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "metrics_internal.h"
#include "sobre/metrics.h"

struct SobreQualityAccum {
    SobreQualityFrame *frames; /* whole records (public constructor), or NULL */
    SobreQualityKept *kept;    /* lean: the pooled figures only */
    size_t count, cap;
    int depth; /* of the first frame; every frame must share it (pooled PSNR peak) */
    double sum_ssim[4], sum_mse[4]; /* Y, U, V, All, in frame order */
};

static int cmp_double(const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;
    return (a > b) - (a < b);
}

double sobre_metrics_percentile(double *v, size_t n, double p)
{
    double pos, frac, lo, hi;
    size_t i;
    if (!n)
        return 0;
    qsort(v, n, sizeof(*v), cmp_double);
    if (!(p > 0))
        return v[0];
    if (p >= 1)
        return v[n - 1];
    pos = p * (double)(n - 1);
    i = (size_t)pos;
    frac = pos - (double)i;
    lo = v[i];
    hi = i + 1 < n ? v[i + 1] : lo;
    if (frac == 0 || lo == hi)
        return lo;
    if (isinf(hi))
        return hi; /* interpolating towards +inf (identical frames) */
    return lo + frac * (hi - lo);
}

static int accum_new(SobreQualityAccum **out, size_t expected_frames, int lean, SobreError *err)
{
    SobreQualityAccum *acc = calloc(1, sizeof(*acc));
    *out = NULL;
    if (!acc)
        goto fail;
    acc->cap = expected_frames ? expected_frames : 256;
    if (lean)
        acc->kept = calloc(acc->cap, sizeof(*acc->kept));
    else
        acc->frames = calloc(acc->cap, sizeof(*acc->frames));
    if (!acc->frames && !acc->kept)
        goto fail;
    *out = acc;
    return 0;
fail:
    sobre_quality_accum_free(&acc);
    return sobre_fail(err, -ENOMEM, "out of memory for the quality scores of %zu frames",
                      expected_frames);
}

int sobre_quality_accum_new(SobreQualityAccum **out, size_t expected_frames, SobreError *err)
{
    return accum_new(out, expected_frames, 0, err);
}

int sobre_quality_accum_new_lean(SobreQualityAccum **out, size_t expected_frames, SobreError *err)
{
    return accum_new(out, expected_frames, 1, err);
}

void sobre_quality_accum_free(SobreQualityAccum **acc)
{
    if (!acc || !*acc)
        return;
    free((*acc)->frames);
    free((*acc)->kept);
    free(*acc);
    *acc = NULL;
}

size_t sobre_quality_accum_count(const SobreQualityAccum *acc)
{
    return acc ? acc->count : 0;
}

static int reserve_one(SobreQualityAccum *acc)
{
    size_t cap;
    if (acc->count < acc->cap)
        return 0;
    cap = acc->cap * 2;
    if (acc->kept) {
        SobreQualityKept *grown = realloc(acc->kept, cap * sizeof(*grown));
        if (!grown)
            return -ENOMEM;
        acc->kept = grown;
    } else {
        SobreQualityFrame *grown = realloc(acc->frames, cap * sizeof(*grown));
        if (!grown)
            return -ENOMEM;
        acc->frames = grown;
    }
    acc->cap = cap;
    return 0;
}

SobreQualityKept sobre_quality_accum_kept(const SobreQualityAccum *acc, size_t i)
{
    const SobreQualityFrame *f;
    if (acc->kept)
        return acc->kept[i];
    f = &acc->frames[i];
    return (SobreQualityKept){f->ssim[0], f->ssim_all, f->psnr[0], f->psnr_all};
}

/* Pools frame f: the running sums in frame order, then its record (or the kept figures). */
static void keep(SobreQualityAccum *acc, const SobreQualityFrame *f)
{
    for (int c = 0; c < 3; c++) {
        acc->sum_ssim[c] += f->ssim[c];
        acc->sum_mse[c] += f->mse[c];
    }
    acc->sum_ssim[3] += f->ssim_all;
    acc->sum_mse[3] += f->mse_all;
    if (acc->kept)
        acc->kept[acc->count++] =
            (SobreQualityKept){f->ssim[0], f->ssim_all, f->psnr[0], f->psnr_all};
    else
        acc->frames[acc->count++] = *f;
}

int sobre_quality_accum_add(SobreQualityAccum *acc, const SobrePlanes *ref, const SobrePlanes *dist,
                            SobreError *err)
{
    SobreQualityFrame f;
    int ret, depth;
    if (!acc || !ref || !dist)
        return sobre_fail(err, SOBRE_E_INVALID, "quality accumulator: missing argument");
    depth = ref->plane[0].depth ? ref->plane[0].depth : 8;
    if (acc->count && depth != acc->depth)
        return sobre_fail(err, SOBRE_E_INVALID, "frame %zu is %d-bit, the previous ones %d-bit",
                          acc->count, depth, acc->depth);
    ret = sobre_metrics_frame(ref, dist, &f, err);
    if (ret < 0)
        return ret;
    acc->depth = depth;
    if (reserve_one(acc) < 0)
        return sobre_fail(err, -ENOMEM, "out of memory for the quality scores of %zu frames",
                          acc->count + 1);
    keep(acc, &f);
    return 0;
}

int sobre_quality_accum_add_frame(SobreQualityAccum *acc, const SobreQualityFrame *f, int depth,
                                  SobreError *err)
{
    if (!acc || !f)
        return sobre_fail(err, SOBRE_E_INVALID, "quality accumulator: missing argument");
    depth = depth ? depth : 8;
    if (acc->count && depth != acc->depth)
        return sobre_fail(err, SOBRE_E_INVALID, "frame %zu is %d-bit, the previous ones %d-bit",
                          acc->count, depth, acc->depth);
    if (reserve_one(acc) < 0)
        return sobre_fail(err, -ENOMEM, "out of memory for the quality scores of %zu frames",
                          acc->count + 1);
    acc->depth = depth;
    keep(acc, f); /* the same additions as sobre_quality_accum_add() made */
    return 0;
}

/* Which per-frame value a statistic is taken on. */
enum Field { F_SSIM_Y, F_SSIM_ALL, F_PSNR_Y, F_PSNR_ALL };

static double field(SobreQualityKept k, enum Field which)
{
    switch (which) {
    case F_SSIM_Y:
        return k.ssim_y;
    case F_SSIM_ALL:
        return k.ssim_all;
    case F_PSNR_Y:
        return k.psnr_y;
    default:
        return k.psnr_all;
    }
}

static SobreQualityStat stat_of(const SobreQualityAccum *acc, enum Field which, double mean,
                                double *scratch)
{
    SobreQualityStat s;
    for (size_t i = 0; i < acc->count; i++)
        scratch[i] = field(sobre_quality_accum_kept(acc, i), which);
    s.mean = mean;
    s.p5 = sobre_metrics_percentile(scratch, acc->count, 0.05);
    s.min = scratch[0]; /* sorted by the percentile */
    return s;
}

int sobre_quality_accum_result(SobreQualityAccum *acc, SobreQualitySummary *out, SobreError *err)
{
    const double *sum_ssim = acc ? acc->sum_ssim : NULL, *sum_mse = acc ? acc->sum_mse : NULL;
    double n, *scratch;
    memset(out, 0, sizeof(*out));
    if (!acc || !acc->count)
        return 0;
    scratch = malloc(acc->count * sizeof(*scratch));
    if (!scratch)
        return sobre_fail(err, -ENOMEM, "out of memory while pooling quality scores");
    n = (double)acc->count;
    out->frames = acc->count;
    out->ssim_y = stat_of(acc, F_SSIM_Y, sum_ssim[0] / n, scratch);
    out->ssim_all = stat_of(acc, F_SSIM_ALL, sum_ssim[3] / n, scratch);
    /* PSNR pools like FFmpeg: the PSNR of the mean MSE, not the mean of the dBs. */
    out->psnr_y = stat_of(acc, F_PSNR_Y, sobre_metrics_psnr(sum_mse[0] / n, acc->depth), scratch);
    out->psnr_all =
        stat_of(acc, F_PSNR_ALL, sobre_metrics_psnr(sum_mse[3] / n, acc->depth), scratch);
    out->ssim_u = sum_ssim[1] / n;
    out->ssim_v = sum_ssim[2] / n;
    out->psnr_u = sobre_metrics_psnr(sum_mse[1] / n, acc->depth);
    out->psnr_v = sobre_metrics_psnr(sum_mse[2] / n, acc->depth);
    out->mse_y = sum_mse[0] / n;
    out->mse_all = sum_mse[3] / n;
    out->per_frame = acc->frames; /* NULL for a lean accumulator */
    free(scratch);
    return 0;
}
