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
