/* FFmpeg helpers shared by the media modules (probe, quality, pipeline): an FFmpeg error
 * code as a SobreError message, and the encoders' picture format. Together with
 * ffcompat.h, the only FFmpeg-facing code outside those modules. */
#ifndef SOBRE_AVHELP_H
#define SOBRE_AVHELP_H

#include <libavutil/frame.h>
#include <libswresample/swresample.h>

#include "error.h"

/* Records "FILE: WHAT: ffmpeg's text for CODE" (or "WHAT: ..." when file is NULL) in err
 * and returns code. */
int sobre_fail_av(SobreError *err, int code, const char *what, const char *file);

/* The one audio conversion of a decoded frame to an encoder's layout, format and rate:
 * the audio encoder (aenc.c) and the loudness meter (loudmeter.c) both use it, so the
 * loudness measured at a rendition's layout is that of the samples it encodes (the
 * downmix coefficients depend on the output format: float keeps -3 dB per channel,
 * integer formats are normalised). *swr is freed and replaced. */
int sobre_audio_converter(SwrContext **swr, const AVChannelLayout *out_layout, int out_fmt,
                          int out_rate, const AVFrame *in, SobreError *err);

/* Allocates *f as a w x h yuv420p picture (the encoders' input format). */
int sobre_alloc_picture(AVFrame **f, int w, int h);
/* The same in another pixel format (yuv420p10le for the HDR rendition). */
int sobre_alloc_picture_fmt(AVFrame **f, int w, int h, int format);

#endif
