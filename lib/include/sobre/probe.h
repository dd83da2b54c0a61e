/**
 * @file probe.h
 * Describe a media file cheaply and list the problems an encode would hit.
 *
 * sobre_probe_file() opens the file, reads its headers and a couple of seconds of
 * packets (never a full decode: at most the first video frame when the container does
 * not say whether the video is interlaced), and fills a plain struct: container,
 * duration, size, bitrate, every stream (codec, picture geometry, frame rate, colour,
 * audio layout, language), chapters, and problems as bit flags with a sentence each.
 *
 * Files that cannot be described at all (missing, a directory, empty, not a media
 * file, an MP4 whose index is lost) make sobre_probe_file() fail with a message that
 * names the file and the problem. Files that open but carry something an encode must
 * handle (no audio, variable frame rate, interlacing, odd sizes, rotation, truncation)
 * succeed, with the problem flagged in SobreProbeInfo.problems.
 *
 * Callers that only need the essentials use info->video and info->audio (the best
 * streams, NULL when absent): codec, width/height, display_width/height, fps, vfr,
 * interlaced, rotation, pix_fmt; sample_rate, channels, channel_layout.
 *
 * Thread rules: no global state; distinct calls may run on distinct threads.
 */
#ifndef SOBRE_PROBE_H
#define SOBRE_PROBE_H

#include <stdint.h>

#include "sobre/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** What a stream carries. */
typedef enum SobreStreamKind {
    SOBRE_STREAM_OTHER = 0,
    SOBRE_STREAM_VIDEO = 1,
    SOBRE_STREAM_AUDIO = 2,
    SOBRE_STREAM_SUBTITLE = 3,
    SOBRE_STREAM_DATA = 4,
    SOBRE_STREAM_ATTACHMENT = 5,
} SobreStreamKind;

/** Problems an encode would hit, as bit flags (SobreProbeInfo.problems). */
enum SobreProbeProblem {
    SOBRE_PROBLEM_NO_VIDEO = 1u << 0,     /**< no video stream (cover art does not count) */
    SOBRE_PROBLEM_NO_AUDIO = 1u << 1,     /**< no audio stream */
    SOBRE_PROBLEM_VFR = 1u << 2,          /**< frame durations vary: variable frame rate */
    SOBRE_PROBLEM_INTERLACED = 1u << 3,   /**< interlaced video: needs deinterlacing */
    SOBRE_PROBLEM_ODD_SIZE = 1u << 4,     /**< odd width or height: 4:2:0 needs even sizes */
    SOBRE_PROBLEM_ROTATED = 1u << 5,      /**< display matrix rotates the picture */
    SOBRE_PROBLEM_TRUNCATED = 1u << 6,    /**< data ends before the declared duration */
    SOBRE_PROBLEM_UNREADABLE = 1u << 7,   /**< read or decode errors in the sampled data */
    SOBRE_PROBLEM_NO_DECODER = 1u << 8,   /**< the best video/audio codec cannot be decoded */
    SOBRE_PROBLEM_HDR = 1u << 9,          /**< HLG/PQ or BT.2020: converted to SDR BT.709 */
    SOBRE_PROBLEM_NO_DURATION = 1u << 10, /**< the duration is unknown */
    SOBRE_PROBLEM_TS_JUMP = 1u << 11,     /**< timestamps jump (joined recordings) */
};

/** Number of problem flags defined above (bits 0 .. SOBRE_PROBLEM_COUNT-1). */
#define SOBRE_PROBLEM_COUNT 12

/** One stream. Strings are NUL-terminated, "" when unknown; numbers 0 when unknown. */
typedef struct SobreProbeStream {
    int index;            /**< index in the container */
    SobreStreamKind kind; /**< video, audio, subtitle... */
    char codec[32];       /**< short codec name, e.g. "h264", "aac", "subrip" */
    char codec_long[96];  /**< descriptive codec name, e.g. "H.264 / AVC / MPEG-4 AVC..." */
    char profile[48];     /**< e.g. "High", "LC"; "" when none */
    char language[16];    /**< language tag as stored (ISO 639-2, e.g. "fra"), "" if none */
    char title[128];      /**< stream title tag, "" if none */
    int is_default;       /**< default disposition */
    int is_forced;        /**< forced disposition (subtitles) */
    int is_attached_pic;  /**< cover art: a still picture, not a video */
    int has_decoder;      /**< this FFmpeg build can decode the codec */
    int64_t bitrate;      /**< bit/s declared by the container or codec, 0 unknown */
    double duration_s;    /**< stream duration, < 0 when unknown */

    /* Video. */
    int width, height;      /**< stored (coded) picture size */
    int sar_num, sar_den;   /**< sample aspect ratio, 1:1 when unknown */
    int dar_num, dar_den;   /**< display aspect ratio of the stored picture */
    int display_width;      /**< width a player shows: SAR applied (never shrinks), rotation */
    int display_height;     /**< height a player shows, as display_width */
    int fps_num, fps_den;   /**< frame rate as FFmpeg guesses it for output, 0/0 unknown */
    double fps;             /**< fps_num / fps_den, 0 unknown */
    int vfr;                /**< 1 when sampled frame durations vary significantly */
    double frame_dur_min_s; /**< shortest sampled frame duration, 0 if not measured */
    double frame_dur_max_s; /**< longest sampled frame duration, 0 if not measured */
    int interlaced;         /**< 1 interlaced, 0 progressive or unknown */
    char field_order[16];   /**< "progressive", "tt", "bb", "tb", "bt" (FFmpeg names), "" unknown */
    int rotation;           /**< clockwise degrees a player applies: 0, 90, 180, 270 */
    char pix_fmt[32];       /**< e.g. "yuv420p" */
    int bit_depth;          /**< bits per luma sample, 0 unknown */
    char color_range[16];   /**< "tv", "pc" or "" */
    char color_primaries[24]; /**< e.g. "bt709" or "" */
    char color_transfer[24];  /**< e.g. "bt709", "smpte2084" or "" */
    char color_matrix[24];    /**< e.g. "bt709" or "" */
    /** Dolby Vision configuration (dvcC/dvvC, Matroska block addition mapping): profile
     *  (5, 7, 8...), level, and the base layer's compatibility id (0 none, 1 HDR10,
     *  2 SDR, 4 HLG, 6 Blu-ray HDR10); all 0 and dv_present 0 without Dolby Vision. */
    int dv_present, dv_profile, dv_level, dv_bl_compat;

    /* Audio. */
    int sample_rate;         /**< Hz */
    int channels;            /**< channel count */
    char channel_layout[64]; /**< e.g. "stereo", "5.1(side)", "" unknown */
    char sample_fmt[16];     /**< e.g. "fltp" */
} SobreProbeStream;

/** One chapter. */
typedef struct SobreProbeChapter {
    double start_s;  /**< start, seconds */
    double end_s;    /**< end, seconds */
    char title[256]; /**< title tag, "" if none */
} SobreProbeChapter;

/** One problem: its flag and a sentence with the measured facts. */
typedef struct SobreProbeIssue {
    unsigned flag;     /**< one SOBRE_PROBLEM_* bit */
    char message[256]; /**< e.g. "odd dimensions 721x405: 4:2:0 encoders need even sizes" */
} SobreProbeIssue;

/**
 * Loudness of the best audio stream per ITU-R BS.1770-4 / EBU R128 (libebur128), at the
 * stream's own channels and rate. Measured only when SobreProbeSettings.loudness is set:
 * that decodes the whole audio stream (about 1 s per 10 minutes of stereo 48 kHz audio).
 */
typedef struct SobreProbeLoudness {
    int measured;           /**< 1 when measured; 0 when not asked, no audio, or failed */
    double integrated_lufs; /**< integrated loudness, LUFS; -HUGE_VAL (math.h) when every
                                 block is below the absolute gate of -70 LUFS (silence) */
    double range_lu;        /**< loudness range (LRA), LU */
    double true_peak_dbtp;  /**< true peak over every channel, dBTP; -HUGE_VAL for zeros */
    double seconds;         /**< audio decoded and measured */
    char error[192];        /**< why it was not measured when asked ("" otherwise) */
} SobreProbeLoudness;

/** Everything sobre_probe_file() learnt about a file. Owned by the library. */
typedef struct SobreProbeInfo {
    char format[64];       /**< demuxer short name, e.g. "matroska,webm" */
    char format_long[128]; /**< e.g. "Matroska / WebM" */
    char title[256];       /**< title tag of the file, "" if none */
    double duration_s;     /**< duration, < 0 when unknown */
    double start_time_s;   /**< first timestamp, 0 when unknown */
    int64_t bytes;         /**< file size */
    int64_t bitrate;       /**< overall bit/s (container's, else bytes*8/duration), 0 unknown */

    int nb_streams;
    SobreProbeStream *streams; /**< nb_streams entries, container order */
    int nb_chapters;
    SobreProbeChapter *chapters; /**< nb_chapters entries, time order */

    const SobreProbeStream *video; /**< best video stream (in streams[]), NULL if none */
    const SobreProbeStream *audio; /**< best audio stream (in streams[]), NULL if none */

    unsigned problems; /**< OR of SOBRE_PROBLEM_* */
    int nb_issues;     /**< entries used in issues[], one per set problem bit */
    SobreProbeIssue issues[SOBRE_PROBLEM_COUNT];

    SobreProbeLoudness loudness; /**< of the best audio stream, when asked in the settings */
} SobreProbeInfo;

/** Probe settings. Fill with sobre_probe_default_settings(), then change fields. */
typedef struct SobreProbeSettings {
    SobreLogger logger; /**< debug lines about what was measured; NULL callback: silent */
    double scan_s;      /**< seconds of packets read from the start for the frame-rate and
                             interlace checks (default 2); 0 skips them (no VFR verdict, no
                             frame decoded; the end check still runs) */
    int check_end;      /**< 1 (default): read packets near the end to detect truncation */
    int loudness;       /**< 1: measure the loudness of the best audio stream (decodes all
                             of it; SobreProbeInfo.loudness). Default 0: probe stays cheap */
} SobreProbeSettings;

/** Fill s with the defaults (no logger, scan 2 s, end check on, no loudness). */
SOBRE_API void sobre_probe_default_settings(SobreProbeSettings *s);

/**
 * Describe one file.
 *
 * @param out      receives a new SobreProbeInfo on success (free with sobre_probe_free());
 *                 set to NULL on failure.
 * @param path     file to read (a regular file; directories and devices are refused).
 * @param settings may be NULL for the defaults.
 * @param err      may be NULL; on failure receives "PATH: problem", e.g.
 *                 "in.mp4: empty file (0 bytes)".
 * @return 0 on success; on failure a negative code: -ENOENT (missing), -EISDIR
 *         (directory), -EACCES, SOBRE_E_INVALID (empty or not a regular file),
 *         AVERROR_INVALIDDATA-like codes for files that are not media (or truncated
 *         beyond use), SOBRE_E_NOMEDIA (no audio or video stream), -ENOMEM.
 */
SOBRE_API int sobre_probe_file(SobreProbeInfo **out, const char *path,
                               const SobreProbeSettings *settings, SobreError *err);

/** Free *info and set it to NULL. info and *info may be NULL. */
SOBRE_API void sobre_probe_free(SobreProbeInfo **info);

/**
 * Short identifier of one problem flag, e.g. "no-audio", "vfr", "odd-dimensions"
 * (static storage). Returns "unknown" for anything that is not exactly one known bit.
 */
SOBRE_API const char *sobre_probe_problem_name(unsigned flag);

/** Name of a stream kind: "video", "audio", "subtitle", "data", "attachment", "other". */
SOBRE_API const char *sobre_probe_kind_name(SobreStreamKind kind);

#ifdef __cplusplus
}
#endif
#endif
