/**
 * @file metrics.h
 * Full-reference picture quality (SSIM, PSNR) on plain plane views, computed exactly as
 * FFmpeg's `ssim` and `psnr` filters do, and an accumulator that pools per-frame scores
 * (mean, 5th percentile, minimum) for one video.
 *
 * Pure C, no FFmpeg types: a plane is a pointer, a stride and a size. Every function
 * here is reentrant; an accumulator belongs to one thread at a time (use one per
 * rendition thread). No global state.
 *
 * Definitions (see docs/quality.md for the derivations and the checks against FFmpeg):
 * - SSIM of a plane: the plane is cut into 4x4 blocks (the right and bottom remainders
 *   of a size that is not a multiple of 4 are ignored), each 8x8 window made of 2x2
 *   neighbouring blocks (windows overlap by 4 pixels) is scored with x264's integer
 *   constants, and the plane's SSIM is the mean over windows. A plane with fewer than
 *   8 rows or columns has no such window: it is scored as one window over all of its
 *   pixels, with the same effective constants (FFmpeg divides by zero there).
 * - SSIM "all": the per-plane SSIMs weighted by the planes' pixel counts.
 * - PSNR of a plane: 10*log10(max^2 / MSE); "all": the MSEs weighted by pixel counts
 *   (FFmpeg's "average"). A zero MSE gives +INFINITY (identical planes).
 * - Pooled over frames: SSIM mean = mean of per-frame values; PSNR mean = PSNR of the
 *   mean MSE (what FFmpeg prints at the end); p5 and min are taken on per-frame values.
 */
#ifndef SOBRE_METRICS_H
#define SOBRE_METRICS_H

#include <stddef.h>
#include <stdint.h>

#include "sobre/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** One plane of samples. 8-bit samples are uint8_t; depth 9..16 means native uint16_t. */
typedef struct SobrePlane {
    const void *data;  /**< first sample of the top row; not owned */
    ptrdiff_t stride;  /**< bytes from one row to the next (may be negative) */
    int width, height; /**< in samples, >= 1 */
    int depth;         /**< bits per sample: 0 or 8 for 8-bit, 9..16 for 16-bit storage */
} SobrePlane;

/** A Y'CbCr picture as three planes (for yuv420p: chroma planes are ceil(w/2) x ceil(h/2)). */
typedef struct SobrePlanes {
    SobrePlane plane[3]; /**< Y, Cb (U), Cr (V) */
} SobrePlanes;

/** Scores of one frame pair. Plane index 0 = Y, 1 = U, 2 = V. */
typedef struct SobreQualityFrame {
    double ssim[3];  /**< per-plane SSIM, in [-1, 1], 1 = identical */
    double ssim_all; /**< SSIM weighted by plane sizes (FFmpeg's "All") */
    double mse[3];   /**< per-plane mean squared error */
    double mse_all;  /**< MSE weighted by plane sizes (FFmpeg's "mse_avg") */
    double psnr[3];  /**< per-plane PSNR in dB; +INFINITY when the MSE is 0 */
    double psnr_all; /**< PSNR of mse_all (FFmpeg's "psnr_avg"); +INFINITY when 0 */
} SobreQualityFrame;

/** A pooled statistic over frames. */
typedef struct SobreQualityStat {
    double mean; /**< SSIM: mean of per-frame values; PSNR: PSNR of the mean MSE */
    double p5;   /**< 5th percentile of per-frame values (linear interpolation) */
    double min;  /**< smallest per-frame value */
} SobreQualityStat;

/** Pooled scores of a whole video; filled by sobre_quality_accum_result(). */
typedef struct SobreQualitySummary {
    size_t frames;             /**< frame pairs scored; the stats are 0 when it is 0 */
    SobreQualityStat ssim_y;   /**< luma SSIM */
    SobreQualityStat ssim_all; /**< weighted Y'CbCr SSIM (FFmpeg "All") */
    SobreQualityStat psnr_y;   /**< luma PSNR, dB */
    SobreQualityStat psnr_all; /**< weighted PSNR, dB (FFmpeg "average") */
    double ssim_u, ssim_v;     /**< mean chroma SSIMs */
    double psnr_u, psnr_v;     /**< chroma PSNR of the mean MSE, dB */
    double mse_y, mse_all;     /**< mean MSEs over frames */
    /** Per-frame scores, `frames` entries, owned by the accumulator: valid until the
     *  next sobre_quality_accum_add() or sobre_quality_accum_free(). */
    const SobreQualityFrame *per_frame;
} SobreQualitySummary;

/**
 * SSIM of two planes of the same size and depth.
 * @param ref, dist the planes (order does not matter: SSIM is symmetric)
 * @param[out] out the SSIM, 1.0 for identical planes
 * @return 0, SOBRE_E_INVALID (sizes or depths differ, empty plane, NULL data) or -ENOMEM
 */
SOBRE_API int sobre_metrics_ssim_plane(const SobrePlane *ref, const SobrePlane *dist, double *out);

/**
 * Sum of squared differences of two planes of the same size and depth.
 * @return 0 or SOBRE_E_INVALID
 */
SOBRE_API int sobre_metrics_sse_plane(const SobrePlane *ref, const SobrePlane *dist, uint64_t *out);

/** PSNR in dB of an MSE for samples of the given depth (8 -> peak 255); +INFINITY if 0. */
SOBRE_API double sobre_metrics_psnr(double mse, int depth);

/**
 * All scores of one frame pair. Both pictures must have the same plane sizes and depth.
 * @return 0, SOBRE_E_INVALID (with a message in err) or -ENOMEM
 */
SOBRE_API int sobre_metrics_frame(const SobrePlanes *ref, const SobrePlanes *dist,
                                  SobreQualityFrame *out, SobreError *err);

/**
 * p-th percentile (p in [0, 1]) of n values, linear interpolation between closest ranks
 * (numpy's default). Sorts v in place. +INFINITY values sort last. Returns 0 if n == 0.
 */
SOBRE_API double sobre_metrics_percentile(double *v, size_t n, double p);

/** Pools per-frame scores of one video. Opaque. */
typedef struct SobreQualityAccum SobreQualityAccum;

/**
 * Creates an accumulator.
 * @param[out] out the new accumulator, or NULL on failure; free with sobre_quality_accum_free()
 * @param expected_frames how many frames to reserve room for (a hint; 0 is fine, it grows)
 * @return 0 or -ENOMEM
 */
SOBRE_API int sobre_quality_accum_new(SobreQualityAccum **out, size_t expected_frames,
                                      SobreError *err);

/**
 * Scores one frame pair (frames are paired by the caller, by index) and keeps it.
 * @return 0, SOBRE_E_INVALID (plane sizes differ, with a message) or -ENOMEM; on error
 *         the accumulator is unchanged
 */
SOBRE_API int sobre_quality_accum_add(SobreQualityAccum *acc, const SobrePlanes *ref,
                                      const SobrePlanes *dist, SobreError *err);

/**
 * Keeps the scores of a frame measured elsewhere (the segments of an encode, joined in
 * order): f as sobre_metrics_frame() gave it, for samples of `depth` bits (0 = 8).
 * @return 0, SOBRE_E_INVALID (another depth than the frames before) or -ENOMEM
 */
SOBRE_API int sobre_quality_accum_add_frame(SobreQualityAccum *acc, const SobreQualityFrame *f,
                                            int depth, SobreError *err);

/** Frames added so far. */
SOBRE_API size_t sobre_quality_accum_count(const SobreQualityAccum *acc);

/**
 * Pools what was added so far into out (callable any number of times).
 * @return 0 or -ENOMEM
 */
SOBRE_API int sobre_quality_accum_result(SobreQualityAccum *acc, SobreQualitySummary *out,
                                         SobreError *err);

/** Frees the accumulator and sets *acc to NULL. acc or *acc may be NULL. */
SOBRE_API void sobre_quality_accum_free(SobreQualityAccum **acc);

#ifdef __cplusplus
}
#endif
#endif
