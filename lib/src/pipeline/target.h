/* Quality-targeted encoding: before the encode, for every rung with a target SSIM, find
 * the highest CRF whose display-view SSIM All meets it on a few short samples of the
 * input (decoded once, scaled once per rung), then encode the rung with it. */
#ifndef SOBRE_MEDIA_TARGET_H
#define SOBRE_MEDIA_TARGET_H

#include "sobre/common.h"

struct SobreEncodeJob;

typedef struct TargetResult {
    int active;    /* a CRF was chosen for this rung in this run */
    double target; /* display-view mean SSIM All aimed at */
    int crf, met;  /* chosen CRF; met = a CRF of the range met the target on the samples */
    double pred_ssim, pred_bytes_per_s; /* on the samples, at the chosen CRF (video only) */
    int evaluations, cached;            /* sample encodes made / taken from the cache */
    double cpu_s;                       /* CPU seconds the search took (decode thread) */
    char note[256];
} TargetResult;

/* Searches every pending rung with target_ssim > 0, sets its crf in job->ladder and
 * fills job->target[]. Uses and updates EPISODE_DIR/.sobre/target-cache.json. */
int sobre_target_run(struct SobreEncodeJob *job, SobreError *err);

#endif
