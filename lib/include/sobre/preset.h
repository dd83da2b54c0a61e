/**
 * @file preset.h
 * Ladder presets: the renditions ("rungs") `sobre encode` makes, read from a YAML file in
 * presets/ladders/ (format documented in presets/ladders/README.md). Pure data: no
 * FFmpeg. Every value is validated when loaded; errors name the file, the line, the
 * field and what is allowed.
 */
#ifndef SOBRE_PRESET_H
#define SOBRE_PRESET_H

#include "sobre/common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum SobreCodec {
    SOBRE_CODEC_VP9 = 0,
    SOBRE_CODEC_AV1,
    SOBRE_CODEC_H264,
    SOBRE_CODEC_OPUS,
    SOBRE_CODEC_AAC,
    SOBRE_CODEC_NB
} SobreCodec;

typedef enum SobreRole {
    SOBRE_ROLE_AUDIO = 0, /**< audio only ("Écouter seulement", podcast) */
    SOBRE_ROLE_LOW,       /**< below the sobre rung (360p): very slow links, on choice */
    SOBRE_ROLE_SOBRE,     /**< the light rung for phones and slow links (<= 480p) */
    SOBRE_ROLE_STANDARD,  /**< <= 720p */
    SOBRE_ROLE_HIGH,      /**< on demand only, flagged as heavy */
    SOBRE_ROLE_FALLBACK,  /**< H.264/AAC for old browsers, offered last */
    SOBRE_ROLE_EXTRA,     /**< optional efficient codec (AV1), offered first */
    SOBRE_ROLE_HDR,       /**< the 10-bit HDR rendition `hdr: keep` adds (never a preset rung) */
    SOBRE_ROLE_NB
} SobreRole;

typedef enum SobreContainer {
    SOBRE_CONTAINER_WEBM = 0,
    SOBRE_CONTAINER_MP4,
    SOBRE_CONTAINER_M4A,
    SOBRE_CONTAINER_NB
} SobreContainer;

/** An audio encoding shared by every rung that names it (encoded once). */
typedef struct SobreAudioSetting {
    char name[32];
    SobreCodec codec; /**< OPUS or AAC */
    int channels;     /**< 1 or 2 */
    int sample_rate;  /**< Hz */
    int bitrate_kbps;
    int frame_ms; /**< Opus frame duration: 10, 20, 40 or 60 */
    int voip;     /**< Opus application: 1 = voip (speech), 0 = audio */
} SobreAudioSetting;

typedef struct SobreRung {
    char id[48];    /**< [a-z0-9][a-z0-9._-]*: file stem and key in the report */
    char label[64]; /**< human name, e.g. "480p (sobre)" */
    SobreRole role;
    int video;        /**< 0 for audio-only rungs */
    SobreCodec codec; /**< video codec (video rungs) */
    SobreContainer container;
    int width, height; /**< bounding box; the picture keeps its aspect inside it */
    int crf;
    int max_kbps; /**< video bitrate cap (0 = none) */
    double max_fps;
    int speed;          /**< VP9 cpu-used / SVT-AV1 preset / x264 preset index */
    int threads;        /**< encoder threads (0 = decided by the pipeline) */
    int audio;          /**< index in SobreLadder.audio, -1 = no audio */
    int enabled;        /**< 0 = made only on request (--enable) */
    double target_ssim; /**< 0 = fixed crf; else the display-view SSIM All to aim for:
                             the pipeline searches the highest CRF that meets it */
} SobreRung;

/** What to make of an HDR (HLG or PQ) source: the ladder's `hdr` key, `--hdr`. */
typedef enum SobreHdrMode {
    SOBRE_HDR_SDR = 0, /**< (default) every rendition tone mapped to SDR BT.709, 8-bit */
    SOBRE_HDR_KEEP,    /**< the same, plus one 10-bit VP9 Profile 2 rendition kept in HDR */
} SobreHdrMode;

/** Loudness normalisation of every rendition's audio (EBU R128 / ITU-R BS.1770-4): one
 *  gain towards an integrated loudness, a true-peak limiter when that gain would push
 *  peaks over the ceiling. Preset key `loudness: {target: -16, true_peak: -1}` or
 *  `loudness: off`; `sobre encode --loudness off|TARGET`. */
typedef struct SobreLoudnessTarget {
    int enabled;           /**< 0: the audio keeps the source's level */
    double target_lufs;    /**< integrated loudness to reach, LUFS */
    double true_peak_dbtp; /**< true-peak ceiling of the outputs, dBTP */
} SobreLoudnessTarget;

/** Defaults (spoken-word podcasts and the web: AES TD1008, Apple) and allowed ranges. */
#define SOBRE_LOUDNESS_DEFAULT_LUFS (-16.0)
#define SOBRE_LOUDNESS_DEFAULT_PEAK (-1.0)
#define SOBRE_LOUDNESS_MIN_LUFS     (-36.0)
#define SOBRE_LOUDNESS_MAX_LUFS     (-10.0)
#define SOBRE_LOUDNESS_MIN_PEAK     (-9.0)
#define SOBRE_LOUDNESS_MAX_PEAK     (0.0)

/** Default shortest segment: each segment restarts the encoders' rate control, which
 * made the 360p-480p files 4-9 % smaller at 4 s segments on a 30 s master and within
 * 1 % at 16 s (docs/bench.md, "Segment length"). */
#define SOBRE_SEGMENT_MIN_S 16.0

#define SOBRE_LADDER_MAX_RUNGS 16
#define SOBRE_LADDER_MAX_AUDIO 8

typedef struct SobreLadder {
    char name[64];
    char file[512];
    char description[256];
    double keyint_s;      /**< keyframe interval, identical in every video rung */
    double segment_min_s; /**< segment-parallel: segments at least this long (default
                               SOBRE_SEGMENT_MIN_S); each start costs bytes (rate control) */
    SobreHdrMode hdr;     /**< HDR sources: SDR ladder only (default), or an HDR rendition too */
    SobreLoudnessTarget loudness; /**< default: on, -16 LUFS, -1 dBTP */
    SobreAudioSetting audio[SOBRE_LADDER_MAX_AUDIO];
    int nb_audio;
    SobreRung rungs[SOBRE_LADDER_MAX_RUNGS];
    int nb_rungs;
} SobreLadder;

/** Loads and validates a ladder file. *out is NULL on failure. */
SOBRE_API int sobre_ladder_load(SobreLadder **out, const char *path, SobreError *err);
/** Same from a buffer; name is used in messages. */
SOBRE_API int sobre_ladder_parse(SobreLadder **out, const char *name, const char *text, size_t len,
                                 SobreError *err);
SOBRE_API void sobre_ladder_free(SobreLadder **ladder);

/**
 * Turns rungs on: a comma-separated list of ids ("av1-720p,vp9-1080p"), or "all".
 * Unknown ids are an error that lists the known ones.
 */
SOBRE_API int sobre_ladder_enable(SobreLadder *ladder, const char *ids, SobreError *err);
/** Keeps only the listed rungs (enabled), disabling the others. */
SOBRE_API int sobre_ladder_only(SobreLadder *ladder, const char *ids, SobreError *err);

/** "sdr" or "keep" into *mode; -1 (mode untouched) for anything else. */
SOBRE_API int sobre_hdr_mode_parse(const char *name, SobreHdrMode *mode);

/** Names: "vp9", "webm", "sobre"... (static strings). */
SOBRE_API const char *sobre_codec_name(SobreCodec c);
SOBRE_API const char *sobre_role_name(SobreRole r);
SOBRE_API const char *sobre_container_name(SobreContainer c);
/** File extension for a container, with the dot: ".webm", ".mp4", ".m4a". */
SOBRE_API const char *sobre_container_ext(SobreContainer c);

#ifdef __cplusplus
}
#endif
#endif
