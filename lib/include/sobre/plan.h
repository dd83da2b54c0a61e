/**
 * @file plan.h
 * From a ladder and the source's geometry to what each rung will really make: output
 * size (aspect kept inside the rung's box, even, never above the source), frame rate,
 * or why the rung is skipped. Pure arithmetic, no FFmpeg.
 */
#ifndef SOBRE_PLAN_H
#define SOBRE_PLAN_H

#include "sobre/common.h"
#include "sobre/preset.h"

#ifdef __cplusplus
extern "C" {
#endif

/** What the pipeline knows of the source before encoding. */
typedef struct SobreSourceGeom {
    int has_video, has_audio;
    int width, height;    /**< coded size */
    int sar_num, sar_den; /**< sample aspect ratio (0/0 or 0/1 = square) */
    int rotation;         /**< clockwise degrees a player applies: 0, 90, 180, 270 */
    double fps;           /**< average frame rate, 0 if unknown */
} SobreSourceGeom;

typedef struct SobreRungPlan {
    int make;             /**< 1 = encode this rung */
    char reason[256];     /**< why it is skipped (when make == 0 and the rung was enabled) */
    int enabled;          /**< the rung was enabled in the ladder */
    int scale_w, scale_h; /**< size to scale the decoded picture to (before rotation) */
    int out_w, out_h;     /**< displayed size of the output (after rotation) */
    double fps;           /**< output frame rate cap actually used */
    int keyint_frames;    /**< keyframe interval in output frames */
} SobreRungPlan;

/** Display size of the source: SAR applied to the width, then rotation. */
SOBRE_API void sobre_source_display_size(const SobreSourceGeom *src, int *w, int *h);

/**
 * Plans every rung of ladder (plans has ladder->nb_rungs entries, in ladder order).
 * Fails only when nothing at all can be made (e.g. no audio and no video).
 */
SOBRE_API int sobre_ladder_plan(const SobreLadder *ladder, const SobreSourceGeom *src,
                                SobreRungPlan *plans, SobreError *err);

#ifdef __cplusplus
}
#endif
#endif
