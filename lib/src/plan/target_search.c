/* Sample placement and the CRF bisection of quality-targeted encoding (pure: the
 * measurements come from lib/src/media/target.c). SSIM falls as the CRF rises, so the
 * highest CRF meeting the target is found by bisection in about log2(range) encodes. */
#include "target_search.h"

int sobre_target_samples(double duration_s, int n, double len_s, double *start, double *dur)
{
    if (n < 1)
        n = 1;
    if (n > SOBRE_TARGET_MAX_SAMPLES)
        n = SOBRE_TARGET_MAX_SAMPLES;
    if (duration_s <= 0) { /* unknown length: the first seconds */
        start[0] = 0;
        dur[0] = n * len_s;
        return 1;
    }
    if (duration_s < n * len_s + 2) {
        start[0] = 0;
        dur[0] = duration_s < 8 ? duration_s : 8;
        return 1;
    }
    for (int k = 0; k < n; k++) {
        start[k] = duration_s * (2 * k + 1) / (2.0 * n) - len_s / 2;
        if (start[k] < 0)
            start[k] = 0;
        dur[k] = len_s;
    }
    return n;
}

int sobre_target_crf_range(int codec, int *lo, int *hi)
{
    static const int range[3][2] = {{24, 56}, {20, 60}, {18, 40}}; /* VP9, AV1, H.264 */
    if (codec < 0 || codec > 2)
        return -1;
    *lo = range[codec][0];
    *hi = range[codec][1];
    return 0;
}

void sobre_target_search_init(SobreTargetSearch *s, double target, int min, int max)
{
    if (max - min > 63)
        max = min + 63;
    s->target = target;
    s->min = s->lo = min;
    s->max = s->hi = max;
    s->best = -1;
    s->evaluations = 0;
    for (int i = 0; i < 64; i++)
        s->ssim[i] = -2;
}

/* Invariant: the answer is best or lies in [lo, hi]: every CRF measured below lo met
 * the target, every one above hi missed it. */
int sobre_target_search_next(const SobreTargetSearch *s)
{
    return s->lo > s->hi ? -1 : s->lo + (s->hi - s->lo + 1) / 2;
}

void sobre_target_search_feed(SobreTargetSearch *s, int crf, double ssim)
{
    if (crf < s->min || crf > s->max)
        return;
    s->ssim[crf - s->min] = ssim;
    s->evaluations++;
    if (ssim >= s->target) {
        if (crf > s->best)
            s->best = crf;
        s->lo = crf + 1;
    } else {
        s->hi = crf - 1;
    }
}

int sobre_target_search_result(const SobreTargetSearch *s, int *met)
{
    *met = s->best >= 0;
    return s->best >= 0 ? s->best : s->min;
}
