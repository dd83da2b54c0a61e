/**
 * @file quality.h
 * Compare two video files (a reference and a distorted version, e.g. a rendition) with
 * SSIM and PSNR, as FFmpeg's `ssim` and `psnr` filters would, without their timestamp
 * pairing: frames are paired by decode order (frame index), which survives VFR input,
 * odd time bases and different start times.
 *
 * Both files are decoded and converted to 8-bit 4:2:0 (yuv420p; full-range yuvj420p is
 * compared as it is). The distorted video is scaled to the reference's size (or both to
 * an explicit size) with libswscale, flags exactly SWS_BICUBIC, i.e. what FFmpeg's
 * `scale=W:H:flags=bicubic` filter does. Comparison stops at the shorter video; the
 * frame counts of both are reported. Rotation metadata and the sample aspect ratio are
 * ignored: the coded pictures are compared.
 *
 * Threads: one call runs on the caller's thread; concurrent calls are independent.
 */
#ifndef SOBRE_QUALITY_H
#define SOBRE_QUALITY_H

#include <stdint.h>

#include "sobre/common.h"
#include "sobre/metrics.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Progress callback, called after each scored frame pair.
 * @param done frames scored so far
 * @param expected frames expected (from the reference's header), or -1 when unknown
 * @return 0 to continue, non-zero to cancel (the call then returns SOBRE_E_CANCELLED)
 */
typedef int (*SobreQualityProgress)(void *opaque, int64_t done, int64_t expected);

/** What to compare and how. Initialise with sobre_quality_default_settings(). */
typedef struct SobreQualitySettings {
    const char *reference;         /**< path of the reference video (required) */
    const char *distorted;         /**< path of the distorted video (required) */
    int width, height;             /**< comparison size; 0 x 0 = the reference's size */
    SobreLogger logger;            /**< warnings (corrupt packets, range mismatch) */
    SobreQualityProgress progress; /**< may be NULL */
    void *progress_opaque;
} SobreQualitySettings;

/** One input as it was read. */
typedef struct SobreQualityInput {
    int64_t frames;     /**< video frames decoded (all of them, also past the comparison) */
    int width, height;  /**< size of the first decoded frame */
    char codec[32];     /**< decoder name, e.g. "h264" */
    char pix_fmt[32];   /**< pixel format of the first decoded frame, e.g. "yuv420p" */
    int corrupt_frames; /**< packets the decoder rejected (skipped, as ffmpeg does) */
} SobreQualityInput;

/** Result of sobre_quality_compare(); free with sobre_quality_report_free(). */
typedef struct SobreQualityReport {
    SobreQualityInput reference, distorted;
    int width, height;           /**< the size the frames were compared at */
    SobreQualitySummary summary; /**< pooled and per-frame scores (per_frame owned here) */
    SobreQualityAccum *accum;    /**< internal: owns summary.per_frame */
} SobreQualityReport;

/** Fills s with defaults (no files, the reference's size, no logger, no progress). */
SOBRE_API void sobre_quality_default_settings(SobreQualitySettings *s);

/**
 * Decodes both files, pairs their frames by index and scores every pair.
 * @param[out] out the report (owned by the caller), NULL on failure
 * @return 0; a negative errno/AVERROR from opening or decoding (err->detail names the
 *         file, e.g. "b.mp4: not a media file (invalid data found ...)");
 *         SOBRE_E_NOVIDEO (a file has no video stream or no decodable frame);
 *         SOBRE_E_INVALID (bad settings); SOBRE_E_CANCELLED (the progress callback
 *         asked to stop); -ENOMEM
 */
SOBRE_API int sobre_quality_compare(const SobreQualitySettings *s, SobreQualityReport **out,
                                    SobreError *err);

/** Frees a report and sets *r to NULL. r or *r may be NULL. */
SOBRE_API void sobre_quality_report_free(SobreQualityReport **r);

#ifdef __cplusplus
}
#endif
#endif
