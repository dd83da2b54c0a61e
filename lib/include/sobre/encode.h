/**
 * @file encode.h
 * The encode job: one master in, an episode folder out (every planned rendition, a
 * poster, captions and report.json). Demuxes and decodes once; each video rendition
 * scales and encodes on its own thread, fed frame references through bounded queues;
 * each distinct audio setting is encoded once and muxed into every rendition using it.
 *
 * Life cycle (dav1d style): sobre_encode_default_settings(), sobre_encode_open() (reads
 * the input header, plans the ladder, takes the folder lock), sobre_encode_run(),
 * sobre_encode_report(), sobre_encode_close(). One thread drives a job; only
 * sobre_encode_cancel() may be called from elsewhere (another thread or a signal handler).
 */
#ifndef SOBRE_ENCODE_H
#define SOBRE_ENCODE_H

#include "sobre/common.h"
#include "sobre/preset.h"
#include "sobre/report.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct SobreEncodeJob SobreEncodeJob;

/** Progress snapshot passed to the callback (about every 250 ms of work). */
typedef struct SobreEncodeProgress {
    double done_s;     /**< source seconds fully encoded by the slowest rendition */
    double total_s;    /**< source duration (0 if unknown) */
    double elapsed_s;  /**< wall seconds since run started */
    int renditions;    /**< renditions being encoded in this run */
    const char *stage; /**< "target", "encode", "verify", "poster", "done" */
} SobreEncodeProgress;

typedef void (*SobreProgressCallback)(void *opaque, const SobreEncodeProgress *p);

/** SobreEncodeSettings.loudness. */
typedef enum SobreLoudnessMode {
    SOBRE_LOUDNESS_FROM_PRESET = 0, /**< what the preset's `loudness:` says (default: on) */
    SOBRE_LOUDNESS_OFF = 1,         /**< keep the source's level */
    SOBRE_LOUDNESS_ON = 2,          /**< aim at loudness_lufs (the preset's ceiling stays) */
} SobreLoudnessMode;

typedef struct SobreEncodeSettings {
    SobreLogger logger;
    const char *input;         /**< master file (required) */
    const char *output_dir;    /**< episode folder, created if missing (required) */
    const SobreLadder *ladder; /**< required; copied at open */
    const char *title;         /**< default: the input's title tag, else its file name */
    const char *description;   /**< default: the input's comment tag, else "" */
    const char *language;      /**< BCP 47 for captions and the site, default "fr" */
    const char *captions;      /**< a WebVTT file to check and copy, or NULL */
    int force;                 /**< re-encode renditions that are already complete */
    int verify;                /**< decode-check every output before keeping it (default 1) */
    /** Measure SSIM and PSNR of every video rendition while it is encoded (default 1):
     *  each packet is decoded in the rendition's thread and compared, by frame index,
     *  with the picture the encoder got ("own" view) and with the source at a common
     *  display size ("display" view). Results: report.json "quality" per rendition and
     *  the per-frame figures in EPISODE_DIR/quality.json. See docs/quality.md. */
    int quality;
    /** > 0: aim every video rung at this display-view mean SSIM All instead of its
     *  fixed crf (overrides the preset's target_ssim); the CRF is searched on short
     *  samples of the input before encoding. 0 = the preset's per-rung targets. */
    double target_ssim;
    /** Cores to plan for; 0 = the cores this process may use (its CPU affinity, capped by
     *  its cgroup's CPU quota, v2 cpu.max or v1 cfs quota). Threads per rung and the
     *  choice of segments follow (sobre/plan.h); report.json "plan" says what was used. */
    int threads;
    /** SOBRE_SEGMENTS_AUTO (default: on when it pays, sobre_plan_parallel()), _ON, _OFF. */
    int segments;
    /** > 0: encode only segment number `segment` (1 = the first) of every video rendition
     *  still to make, into EPISODE_DIR/.sobre/seg/, for a join later (a run without it,
     *  on this or another host, with the same input and settings). Implies segments on;
     *  writes no report.json and takes the folder lock shared, so segments of one folder
     *  can be made by several processes at once. */
    int segment;
    /** HDR sources (HLG, PQ): SOBRE_HDR_SDR tone maps every rendition to SDR BT.709;
     *  SOBRE_HDR_KEEP also makes one 10-bit VP9 Profile 2 rendition kept in HDR (id
     *  "<largest VP9 rung>-hdr", role "hdr"). -1 (default): the preset's `hdr` key. */
    int hdr;
    /** Loudness normalisation (SobreLoudnessTarget in preset.h): beside the encode, a fast
     *  audio-only pass measures the input at each audio setting's layout (libebur128,
     *  ITU-R BS.1770-4); each setting then gets one gain towards the target and, when that
     *  gain would push true peaks over the ceiling, a look-ahead true-peak limiter, checked
     *  by trial encodes of the audio decoded and measured; the audio waits for it.
     *  Every output is measured again when verified. report.json "loudness" holds the
     *  figures; near silence and the +20 LU cap are notes. */
    SobreLoudnessMode loudness;
    double loudness_lufs; /**< with SOBRE_LOUDNESS_ON: SOBRE_LOUDNESS_MIN_LUFS to _MAX_LUFS */
    SobreProgressCallback progress;
    void *progress_opaque;
} SobreEncodeSettings;

/** Fills defaults (verify on, quality on, no target, hdr from the preset, language "fr",
 *  no logger, threads and segments chosen from the machine). */
SOBRE_API void sobre_encode_default_settings(SobreEncodeSettings *s);

/**
 * Opens the input, plans the renditions and locks the output folder.
 * Errors: unreadable input, no audio nor video, folder not writable, folder locked by
 * another encode (SOBRE_E_LOCKED), bad captions file. On failure *out is NULL and
 * nothing was written.
 */
SOBRE_API int sobre_encode_open(SobreEncodeJob **out, const SobreEncodeSettings *s,
                                SobreError *err);

/**
 * Runs the job to completion. Renditions whose file is complete and made from the
 * same input and settings are kept (unless force). Outputs appear under their final
 * names only once complete and verified; on failure or cancel, temporary files are
 * removed and existing good files are left as they were.
 * @return 0, SOBRE_E_CANCELLED, or a negative error (detail in err).
 */
SOBRE_API int sobre_encode_run(SobreEncodeJob *job, SobreError *err);

/** Asks a running job to stop soon. Async-signal-safe (sets an atomic flag). */
SOBRE_API void sobre_encode_cancel(SobreEncodeJob *job);

/** The report (valid until close): after open, the plan; after run, the results. */
SOBRE_API const SobreReport *sobre_encode_report(const SobreEncodeJob *job);

/** The number of segments of the plan (1 when rung-parallel), after open. */
SOBRE_API int sobre_encode_segments(const SobreEncodeJob *job);

/** Number of renditions run() will encode (0 = everything is already up to date). */
SOBRE_API int sobre_encode_pending(const SobreEncodeJob *job);

/** Releases the job and its lock; NULLs *job. Accepts a half-built job. */
SOBRE_API void sobre_encode_close(SobreEncodeJob **job);

#ifdef __cplusplus
}
#endif
#endif
