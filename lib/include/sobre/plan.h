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
    int tile_columns;     /**< VP9 log2 tile columns (0 = one tile), set with threads */
    double work;          /**< CPU seconds per second of content, estimated or learned */
    int learned;          /**< 1 = work comes from the CPU an earlier report measured */
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
 * Estimates every pending video rung's work (plans[i].work, CPU seconds per second of
 * content): learned[i] > 0 is what an earlier encode of rung i measured and is taken as
 * it is (learned = 1); the others follow the model pixels x frame rate x codec cost plus
 * a per-frame part (scaling, muxing, the quality measurement when quality != 0),
 * scaled by what the learned rungs measured against the model. learned may be NULL.
 */
SOBRE_API void sobre_plan_work(const SobreLadder *ladder, SobreRungPlan *plans, const int *pending,
                               const double *learned, int quality);

/**
 * Encoder threads of the rungs made in this run (pending[i] != 0; others get 0) on
 * `cores` cores, when the rungs run side by side: every rung starts with one thread, and
 * the rung that ends last in a simulation of the encode on those cores (see
 * sobre_plan_simulate) gets one more while that shortens the encode by at least 3 %
 * and its encoder can use it: libvpx row-mt feeds about a thread per four 64-pixel
 * columns, tile columns (plans[i].tile_columns, chosen as few as possible, each at
 * least 256 pixels wide) add more; x264 and SVT-AV1 take their share the same way. A
 * preset's `threads` wins. Uses plans[i].work (sobre_plan_work() first).
 */
SOBRE_API void sobre_plan_threads(const SobreLadder *ladder, SobreRungPlan *plans,
                                  const int *pending, int cores);

/** Most threads a rung's encoder can keep busy with log2 tile columns `tiles` (VP9), or
 *  at its size (x264, SVT-AV1). */
SOBRE_API int sobre_plan_feed(SobreCodec codec, int width, int height, int tiles);
/** The most log2 tile columns VP9 allows at this width (tiles at least 256 pixels). */
SOBRE_API int sobre_plan_max_tiles(int width);
/** CPU time of an encoder with t threads relative to one thread (threading overhead). */
SOBRE_API double sobre_plan_thread_cost(int threads);

/** One task of a schedule: CPU seconds on `threads` threads, in a group (segment). */
typedef struct SobreSimTask {
    double cpu_s; /**< CPU seconds it needs, threading overhead included */
    int threads;  /**< its threads */
    int group;    /**< 0.. : groups start in order, at most `at_once` of them running */
} SobreSimTask;

/**
 * Wall time of a schedule on `cores` cores: groups start in order, at most at_once
 * groups run at a time (a group ends when its last task ends), and the cores are shared
 * among the running tasks' threads (as the kernel does), a task never using more than
 * its threads can (0.86 of a core per thread beyond the first, measured for libvpx
 * row-mt). finish (may be NULL) gets each task's end time. Returns the end of the last
 * task (0 for no task), or a negative value on bad arguments (n > 4096).
 */
SOBRE_API double sobre_plan_simulate(const SobreSimTask *tasks, int n, int at_once, int cores,
                                     double *finish);

/** How an encode uses the machine: sobre_plan_parallel() fills it. */
typedef enum SobreSegmentMode {
    SOBRE_SEGMENTS_AUTO = 0, /**< on when it pays (see sobre_plan_parallel) */
    SOBRE_SEGMENTS_ON,
    SOBRE_SEGMENTS_OFF
} SobreSegmentMode;

typedef struct SobreParallelPlan {
    int cores;                   /**< cores planned for */
    int segments;                /**< 1 = segment-parallel, 0 = rung-parallel */
    char reason[200];            /**< why this mode, for the report */
    double segment_s;            /**< segment length: a whole multiple of keyint_s */
    int nb_segments;             /**< segments of the episode */
    int at_once;                 /**< segments encoded at once */
    double predicted_rungs_s;    /**< simulated wall of the encode, rung-parallel */
    double predicted_segments_s; /**< simulated wall, segment-parallel */
} SobreParallelPlan;

/** The segment plan aims at this many segments (enough for 32 cores), each at most: */
#define SOBRE_PLAN_SEGMENTS      32
#define SOBRE_PLAN_SEGMENT_MAX_S 60.0

/**
 * The segment plan of an episode, from its duration and keyframe interval only (never
 * from the machine, so that every host cuts it the same way): segments of a whole
 * multiple of keyint_s, about duration / SOBRE_PLAN_SEGMENTS long, at most
 * SOBRE_PLAN_SEGMENT_MAX_S (rounded down to the keyframe interval), at least min_s
 * (rounded up to it) and one interval; the last one takes the rest. Returns the number
 * of segments (>= 1).
 */
SOBRE_API int sobre_plan_segments(double duration_s, double keyint_s, double min_s,
                                  double *segment_s);

/**
 * Chooses rung-parallel or segment-parallel for the pending rungs (their work and
 * threads planned) of an episode of duration_s on `cores` cores. `eligible` = the input
 * can be cut (seekable, no timestamp jumps, a video stream); `why_not` says why when it
 * cannot (may be NULL). decode_work: CPU seconds per second of content the decode
 * costs. The rule, in auto: segments when the simulated segment-parallel encode is at
 * least 10 % faster than the rung-parallel one (the rungs and their threads cannot fill
 * the cores), whatever the episode's length (SOBRE_SEGMENTS_ON for a long encode that
 * resumes at its first missing segment when killed). Segment encoders use one thread each (or the
 * preset's), so a segment's bytes do not depend on the host.
 */
SOBRE_API void sobre_plan_parallel(const SobreLadder *ladder, const SobreRungPlan *plans,
                                   const int *pending, double duration_s, double decode_work,
                                   int cores, SobreSegmentMode mode, int eligible,
                                   const char *why_not, SobreParallelPlan *out);

/** Segments at once on `cores` cores with `rungs` video rungs per segment: two threads
 *  per core, so that the cores stay busy while each segment's heaviest rung ends (at
 *  least 2 from 2 cores, 1 on one core). */
SOBRE_API int sobre_plan_segments_at_once(int cores, int rungs, int nb_segments);

/** What the encode does to the source's colours (sobre_colour_plan()). */
typedef enum SobreColourConv {
    SOBRE_COLOUR_AS_IS = 0, /**< SDR (BT.709, BT.601 or untagged): pictures as decoded */
    SOBRE_COLOUR_HLG,       /**< HLG (ARIB STD-B67): tone mapped to SDR BT.709 */
    SOBRE_COLOUR_PQ,        /**< PQ (SMPTE ST 2084, HDR10): tone mapped to SDR BT.709 */
    SOBRE_COLOUR_GAMUT,     /**< SDR with BT.2020 primaries: gamut-mapped to BT.709 */
    SOBRE_COLOUR_DV_NO_BASE /**< Dolby Vision with no HDR10/HLG/SDR base layer (profile 5):
                                 no conversion can be right, pictures as decoded */
} SobreColourConv;

/** The colour decision for one video stream. Strings are FFmpeg's names. */
typedef struct SobreColourPlan {
    SobreColourConv conv;
    char transfer[24];  /**< what the source is read as: "arib-std-b67", "smpte2084", ... */
    char primaries[24]; /**< "bt2020", "bt709", ... ("" unknown) */
    char matrix[24];    /**< "bt2020nc", "bt709", ... ("" unknown) */
    char from[48];      /**< "HLG", "PQ", "BT.2020 SDR", "" as is */
    char via[64]; /**< where the facts came from: "stream tags", "Dolby Vision 8.4 base layer" */
    int hdr_rung; /**< 1: an HDR rendition is added (HLG or PQ source and SOBRE_HDR_KEEP) */
} SobreColourPlan;

/** The operator sobre tone maps with ("mobius"), for reports. */
#define SOBRE_TONEMAP_OPERATOR "mobius"

/**
 * Decides what happens to the colours of video stream v: HLG and PQ (from the stream's
 * transfer tag, else from its Dolby Vision base-layer compatibility) are tone mapped to
 * SDR BT.709; SDR in BT.2020 primaries is gamut-mapped; everything else stays as decoded.
 * mode SOBRE_HDR_KEEP adds an HDR rendition for HLG and PQ sources. v may be NULL (as is).
 */
SOBRE_API void sobre_colour_plan(const SobreProbeStream *v, SobreHdrMode mode,
                                 SobreColourPlan *out);

/**
 * One sentence for reports and summaries, e.g. "tone mapped from HLG (BT.2020, 10-bit) to
 * SDR BT.709 (mobius, peak 1000 nits)"; peak_nits <= 0 leaves the peak out. "" when the
 * pictures are kept as decoded and nothing needs saying.
 */
SOBRE_API void sobre_colour_describe(const SobreColourPlan *p, int bit_depth, double peak_nits,
                                     char *out, size_t size);

/**
 * The light level (cd/m2, "nits") the tone mapping brings down to SDR white: the peak
 * measured in the pictures (measured_nits, <= 0 when not measured), never above what the
 * stream's metadata declares (max_cll, else the mastering display's maximum; <= 0 absent)
 * or the format's ceiling (HLG 1000, PQ 10000). A peak within SDR's own headroom (109 %
 * video level, 123 nits) gives SDR white (100): such pictures are left as they are (the
 * mobius curve is then the identity). Without a measure: the metadata, else 1000.
 */
SOBRE_API double sobre_tonemap_peak_nits(SobreColourConv conv, double measured_nits, double max_cll,
                                         double mastering_max);

/**
 * The size colour conversion works at: the source's stored size w x h, made smaller when
 * every consumer (rungs, quality view) needs less: the smallest size, aspect kept and
 * even, that is still at least need_w x need_h (stored orientation). need <= 0: w x h.
 */
SOBRE_API void sobre_tonemap_size(int w, int h, int need_w, int need_h, int *out_w, int *out_h);

/**
 * The HDR rendition `hdr: keep` adds: a copy of the largest VP9 rung planned to be made
 * (id "<id>-hdr", label "<label> HDR", role hdr, same size, rate, GOP and CRF, no
 * target). Fills *rung and *plan and returns the model's index, or -1 when no VP9 rung
 * is made (then nothing is added).
 */
SOBRE_API int sobre_plan_hdr_rung(const SobreLadder *ladder, const SobreRungPlan *plans,
                                  SobreRung *rung, SobreRungPlan *plan);

#ifdef __cplusplus
}
#endif
#endif
