/**
 * @file report.h
 * The episode report (EPISODE_DIR/report.json, schema docs/report.schema.json): what
 * `sobre encode` made, read back by footprint and publish.
 *
 * `sobre encode` is its only writer. The other commands keep what they compute in files
 * of their own (quality.json, footprint.json) or compute it when they need it; publish
 * only reads. Loading keeps every JSON member this version does not model (e.g.
 * "quality", "target"), and saving writes them back. The sections the tools read have
 * typed accessors (sobre_report_quality()). Strings are UTF-8 and owned by the report.
 */
#ifndef SOBRE_REPORT_H
#define SOBRE_REPORT_H

#include <stdint.h>

#include "sobre/common.h"
#include "sobre/metrics.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SOBRE_REPORT_SCHEMA "sobre.report/1"

typedef struct SobreReportVideo {
    char codec[32];
    int width, height;                 /**< coded size of the stream */
    int display_width, display_height; /**< after SAR and rotation (source only) */
    double fps;
    int vfr, interlaced, rotation;
    char pix_fmt[32];
    int crf;              /**< renditions: CRF used, -1 if none */
    int max_kbps;         /**< renditions: bitrate cap, 0 if none */
    int keyint_frames;    /**< renditions: GOP length in frames */
    int threads;          /**< renditions: encoder threads (0 if not recorded) */
    char x264_params[64]; /**< H.264 renditions: libx264's x264-params ("" if none) */
    double keyint_s;
    int64_t bitrate_bps; /**< renditions: measured video bitrate */
} SobreReportVideo;

typedef struct SobreReportAudio {
    char codec[32];
    int channels, sample_rate;
    int64_t bitrate_bps; /**< target bitrate for renditions, measured if known */
    char layout[64];
} SobreReportAudio;

typedef struct SobreReportRendition {
    char id[64];    /**< [a-z0-9][a-z0-9._-]*, also the file stem */
    char label[96]; /**< e.g. "480p (sobre)" */
    char kind[8];   /**< "video" or "audio" */
    char role[16];  /**< audio, sobre, standard, high, fallback, extra */
    char file[128]; /**< base name inside the episode folder */
    char container[8];
    char mime[128]; /**< full type with codecs */
    int64_t bytes;
    double duration_s;
    int64_t bitrate_bps; /**< bytes * 8 / duration */
    int has_video, has_audio;
    SobreReportVideo video;
    SobreReportAudio audio;
    double cpu_s, wall_s; /**< encoder thread CPU seconds, wall seconds */
    char settings_hash[72];
} SobreReportRendition;

typedef struct SobreReportCaption {
    char file[128];
    char lang[16];
    char label[64];
    char origin[8]; /**< "file" or "stream" */
} SobreReportCaption;

typedef struct SobreReportSkip {
    char id[64];
    char reason[256];
} SobreReportSkip;

#define SOBRE_REPORT_MAX_CAPTIONS   8
#define SOBRE_REPORT_MAX_RENDITIONS 32

typedef struct SobreReport {
    char sobre_version[16];
    char created[32];
    char *title;       /**< owned, never NULL after load/new */
    char *description; /**< owned, never NULL after load/new */
    char language[16];
    struct {
        char file[256];
        int64_t bytes;
        double duration_s;
        double start_time_s;
        char container[64];
        char fingerprint[96];
        int has_video, has_audio;
        SobreReportVideo video;
        SobreReportAudio audio;
    } source;
    struct {
        char name[64];
        char file[512];
    } preset;
    struct {
        double wall_s, cpu_s;
        int64_t energy_uj; /**< -1 when not measured */
        int cores;
    } encode;
    struct {
        int present;
        char file[128];
        int width, height;
        int64_t bytes;
    } poster;
    SobreReportCaption captions[SOBRE_REPORT_MAX_CAPTIONS];
    int nb_captions;
    SobreReportRendition renditions[SOBRE_REPORT_MAX_RENDITIONS];
    int nb_renditions;
    SobreReportSkip skipped[SOBRE_REPORT_MAX_RENDITIONS];
    int nb_skipped;
    char **notes; /**< owned array of owned strings */
    int nb_notes;
    void *priv; /**< members this version does not model (opaque) */
} SobreReport;

/** Allocates an empty report (title and description ""). */
SOBRE_API int sobre_report_new(SobreReport **out, SobreError *err);

/**
 * Reads path (a report.json, or an episode folder containing one). Checks the schema
 * tag, required members, types, sizes >= 0 and that every file name is a plain base
 * name (no '/', no "..", not hidden). On failure *out is NULL and err names the file
 * and the member.
 */
SOBRE_API int sobre_report_load(SobreReport **out, const char *path, SobreError *err);

/** Same, from a buffer (name is used in messages). */
SOBRE_API int sobre_report_parse(SobreReport **out, const char *name, const char *json, size_t len,
                                 SobreError *err);

/** Writes the report to path atomically (temp file + rename), pretty-printed UTF-8. */
SOBRE_API int sobre_report_save(const SobreReport *r, const char *path, SobreError *err);

/** Serialises to a newly allocated NUL-terminated string (free() it). */
SOBRE_API int sobre_report_to_string(const SobreReport *r, char **out, SobreError *err);

/** Replaces title/description (copies). */
SOBRE_API int sobre_report_set_text(SobreReport *r, const char *title, const char *description);
/** Appends a note (copied). */
SOBRE_API int sobre_report_add_note(SobreReport *r, const char *note);

/**
 * Sets a top-level section this version does not model ("footprint", ...) from a JSON
 * text; the section is kept as it is on save. Fails on invalid JSON or a modelled name.
 */
SOBRE_API int sobre_report_set_section(SobreReport *r, const char *name, const char *json,
                                       SobreError *err);
/** Returns a newly allocated JSON text of a section or of a rendition's member
 * (rendition = its id, NULL for top level), or NULL when absent. free() it. */
SOBRE_API char *sobre_report_get_section(const SobreReport *r, const char *rendition,
                                         const char *name);
/** Sets a member of a rendition this version does not model ("quality", ...). */
SOBRE_API int sobre_report_set_rendition_section(SobreReport *r, const char *rendition,
                                                 const char *name, const char *json,
                                                 SobreError *err);

/** Pooled quality of one comparison of a rendition: what `sobre encode` measured. */
typedef struct SobreReportQualityView {
    int present;               /**< 0 when the report has no such comparison */
    int width, height;         /**< size the frames were compared at */
    int64_t frames;            /**< frame pairs compared */
    SobreQualityStat ssim_y;   /**< luma SSIM: mean, 5th percentile, minimum */
    SobreQualityStat ssim_all; /**< weighted Y'CbCr SSIM */
    SobreQualityStat psnr_y;   /**< dB; +INFINITY where the report says null (identical) */
    SobreQualityStat psnr_all;
} SobreReportQualityView;

/** The "quality" member of a rendition (docs/quality.md). */
typedef struct SobreReportQuality {
    SobreReportQualityView own;     /**< against the frames the encoder got */
    SobreReportQualityView display; /**< against the source at a common display size */
    double cpu_s;                   /**< CPU seconds the measure cost */
    int64_t unpaired_frames;        /**< frames left without a partner */
} SobreReportQuality;

/**
 * Reads the quality a rendition's encode measured.
 * @return 0 and fills out; -ENOENT when the rendition is unknown or has no quality
 *         (encoded with --quality off, or by an older version); SOBRE_E_INVALID when the
 *         member is not of the documented shape. out is zeroed on failure.
 */
SOBRE_API int sobre_report_quality(const SobreReport *r, const char *rendition,
                                   SobreReportQuality *out);

/**
 * The sentence saying what was done to an HDR or wide-gamut source's colours (the
 * "colour" section's summary, e.g. "tone mapped from HLG (BT.2020, 10-bit) to SDR BT.709
 * (mobius, peak 100 nits)"), copied into out (truncated to size).
 * @return 0; -ENOENT when the report has no colour section (an SDR BT.709 source);
 *         SOBRE_E_INVALID when it is not of the documented shape.
 */
SOBRE_API int sobre_report_colour_summary(const SobreReport *r, char *out, size_t size);

/** The loudness figures of the report (its "loudness" section) or of one rendition. */
typedef struct SobreReportLoudness {
    int on;                 /**< normalisation was on (the top-level "mode") */
    double target_lufs;     /**< the integrated loudness aimed at (top level) */
    double integrated_lufs; /**< input (top level) or the rendition's output; NAN: below the gate */
    double true_peak_dbtp;  /**< the same; NAN: silence or not measured */
    int measured;           /**< the figures above were measured */
} SobreReportLoudness;

/**
 * Loudness figures: rendition NULL gives the episode's (mode, target and the input as
 * measured before the encode), a rendition id gives that output's as decoded by the
 * verify step.
 * @return 0; -ENOENT when absent (no audio, or an older report); SOBRE_E_INVALID when the
 *         section is not of the documented shape. out is zeroed on failure.
 */
SOBRE_API int sobre_report_loudness(const SobreReport *r, const char *rendition,
                                    SobreReportLoudness *out);

/** Swaps renditions a and b, with the sections attached to them (for reordering). */
SOBRE_API void sobre_report_swap_renditions(SobreReport *r, int a, int b);

/** Finds a rendition by id, NULL if absent. */
SOBRE_API const SobreReportRendition *sobre_report_rendition(const SobreReport *r, const char *id);

SOBRE_API void sobre_report_free(SobreReport **r);

/** 1 when name is a plain file name safe to open inside a folder. */
SOBRE_API int sobre_report_safe_name(const char *name);

#ifdef __cplusplus
}
#endif
#endif
