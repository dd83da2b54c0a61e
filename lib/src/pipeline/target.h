/* Quality-targeted encoding (target.c): before the encode, for every rung with a target
 * SSIM, find the highest CRF whose display-view SSIM All meets it on a few short samples
 * of the input (decoded once, scaled once per rung), and write it into the rung's plan.
 * It reads its own copy of the input and never sees the job. */
#ifndef SOBRE_PIPELINE_TARGET_H
#define SOBRE_PIPELINE_TARGET_H

#include <stdatomic.h>
#include <stdint.h>

#include "error.h"
#include "sobre/plan.h"
#include "sobre/preset.h"
#include "tonemap.h"
#include "vrend.h"

typedef struct TargetResult {
    int active;    /* a CRF was chosen for this rung in this run */
    double target; /* display-view mean SSIM All aimed at */
    int crf, met;  /* chosen CRF; met = a CRF of the range met the target on the samples */
    double pred_ssim, pred_bytes_per_s; /* on the samples, at the chosen CRF (video only) */
    int evaluations, cached;            /* sample encodes made / taken from the cache */
    double cpu_s;                       /* CPU seconds the search took (decode thread) */
    char note[256];
} TargetResult;

typedef struct TargetContext {
    const char *input; /* the master, read again here */
    int vstream;       /* its video stream index */
    int64_t t0_us;     /* its start time */
    double duration_s;
    int rotation;
    int disp_w, disp_h; /* the quality display view */
    const SobreLadder *ladder;
    SobreRungPlan *plans; /* crf is written for every searched rung */
    const int *pending;   /* rungs made in this run */
    AVRational src_rate;  /* for the encoders, as the renditions open them */
    VColour colour;
    const TonemapConfig *tonemap; /* the encode's colour conversion, NULL: none */
    const char *work_dir;         /* holds target-cache.json */
    const char *fingerprint;      /* of the input, part of the cache key */
    const SobreLogger *logger;
    const atomic_int *cancel;
    void (*progress)(void *opaque); /* called before each sample encode */
    void *opaque;
} TargetContext;

/* Searches every pending video rung whose plan has target_ssim > 0, sets its plan's crf
 * and fills results[i]. Uses and updates WORK_DIR/target-cache.json. */
int sobre_target_run(const TargetContext *c, TargetResult *results, SobreError *err);

#endif
