/**
 * @file plan.h
 * From a ladder and the source (as sobre_probe_file() describes it) to what each rung will
 * really make: output size (aspect kept inside the rung's box, even, never above the
 * source's display size), frame rate, CRF, encoder threads, or why the rung is skipped.
 * Pure arithmetic, no FFmpeg. The plan holds every value the encode uses; the ladder it
 * comes from is never written after loading.
 */
#ifndef SOBRE_PLAN_H
#define SOBRE_PLAN_H

#include "sobre/common.h"
#include "sobre/preset.h"
#include "sobre/probe.h"

#ifdef __cplusplus
extern "C" {
#endif

/** What the plan needs of the source: sobre_source_from_probe() fills it. */
typedef struct SobreSourceGeom {
    int has_video, has_audio;
    int width, height;    /**< coded size */
    int sar_num, sar_den; /**< sample aspect ratio (0/0 or 0/1 = square) */
    int rotation;         /**< clockwise degrees a player applies: 0, 90, 180, 270 */
    double fps;           /**< frame rate (fps_num / fps_den), 0 if unknown */
    int fps_num, fps_den; /**< the same as a fraction, 0/0 if unknown */
} SobreSourceGeom;

typedef struct SobreRungPlan {
    int make;             /**< 1 = encode this rung */
    char reason[256];     /**< why it is skipped (when make == 0 and the rung was enabled) */
    int enabled;          /**< the rung was enabled in the ladder */
    int scale_w, scale_h; /**< size to scale the decoded picture to (before rotation) */
    int out_w, out_h;     /**< displayed size of the output (after rotation) */
    double fps;           /**< output frame rate cap actually used */
    int keyint_frames;    /**< keyframe interval in output frames */
    int crf;              /**< the encoder's CRF: the rung's, or the one the search chose */
    double target_ssim;   /**< > 0: the CRF is searched for this display-view SSIM All */
    int threads;          /**< encoder threads (set by sobre_plan_threads(), else 0) */
} SobreRungPlan;

/**
 * The size a player shows the source at, and the one rule for it everywhere (probe,
 * plan, report): the stored picture is stretched by its SAR without ever shrinking it
 * (wider pixels widen it, narrower pixels make it taller, as Chromium and Firefox do),
 * then the sides swap for a quarter turn.
 */
SOBRE_API void sobre_source_display_size(const SobreSourceGeom *src, int *w, int *h);

/** The plan's view of a probed file: its best video and audio streams (info->video,
 *  info->audio). */
SOBRE_API void sobre_source_from_probe(const SobreProbeInfo *info, SobreSourceGeom *src);

/**
 * Plans every rung of ladder (plans has ladder->nb_rungs entries, in ladder order).
 * Fails only when nothing at all can be made (e.g. no audio and no video).
 */
SOBRE_API int sobre_ladder_plan(const SobreLadder *ladder, const SobreSourceGeom *src,
                                SobreRungPlan *plans, SobreError *err);

/**
 * Encoder threads of the rungs made in this run (pending[i] != 0; others get 0): the
 * preset's `threads` when set, else 2 for the VP9 rung with the most pixels per second
 * when cores >= 2 (it is the critical path), else 1.
 */
SOBRE_API void sobre_plan_threads(const SobreLadder *ladder, SobreRungPlan *plans,
                                  const int *pending, int cores);

#ifdef __cplusplus
}
#endif
#endif
