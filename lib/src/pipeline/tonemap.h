/* Colour conversion of decoded video, once per frame before the fan-out (tonemap.c): HLG
 * and PQ pictures tone mapped to SDR BT.709, BT.2020 SDR gamut-mapped to BT.709, with
 * libavfilter's zscale (zimg: linear light, BT.2020 -> BT.709 primaries) and tonemap
 * (mobius on the brightest component) filters. What to do and the peak to bring down to
 * SDR white are plan/colour.c's decisions; this carries them out. The Input owns one for
 * the encode, the CRF search another for its samples: both see the same pictures. */
#ifndef SOBRE_PIPELINE_TONEMAP_H
#define SOBRE_PIPELINE_TONEMAP_H

#include <libavformat/avformat.h>
#include <libavutil/frame.h>

#include "error.h"
#include "sobre/plan.h"

typedef struct TonemapConfig {
    SobreColourConv conv;            /* HLG, PQ or GAMUT; anything else converts nothing */
    int transfer, primaries, matrix; /* what the source is (AVColor* values) */
    double peak_nits;                /* brought down to SDR white (HLG, PQ) */
    int need_w, need_h;              /* > 0: work at the smallest size still this large (stored
                                        orientation, sobre_tonemap_size()); else the source's */
    int threads;                     /* filter slice threads */
} TonemapConfig;

typedef struct Tonemap Tonemap;

/* Fills c from the colour plan (peak_nits 0, no size limit, one thread). 0, or
 * SOBRE_E_UNSUPPORTED when the plan converts nothing or names a colour FFmpeg does not
 * know. */
int sobre_tonemap_config(TonemapConfig *c, const SobreColourPlan *p, SobreError *err);

int sobre_tonemap_open(Tonemap **out, const TonemapConfig *c, SobreError *err);
/* A new reference-counted yuv420p SDR BT.709 picture made from in (timestamps and
 * properties kept, HDR metadata removed) in *out. The graph follows size or format
 * changes of the input. */
int sobre_tonemap_frame(Tonemap *tm, const AVFrame *in, AVFrame **out, SobreError *err);
/* CPU seconds spent converting (the calling thread's). */
double sobre_tonemap_cpu_s(const Tonemap *tm);
void sobre_tonemap_free(Tonemap **tm);

/* The light the source's pictures really reach, and what its metadata declares. */
typedef struct TonemapMeasure {
    double peak_nits;     /* highest 99.9th percentile of max(R,G,B) of the frames read, in
                             linear BT.709 light, at an eighth of the size; 0: none decoded */
    int frames;           /* frames measured */
    double max_cll;       /* content light level (stream or frame side data), 0 absent */
    double mastering_max; /* mastering display maximum luminance, 0 absent */
    double cpu_s;
} TonemapMeasure;

/* Reads up to n frames spread over the video stream vstream of path (the first decoded
 * after a seek to each of n evenly spaced times) and measures them as c converts them. */
int sobre_tonemap_measure(const char *path, int vstream, double duration_s, const TonemapConfig *c,
                          int n, TonemapMeasure *m, SobreError *err);

#endif
