/* One side of `sobre quality`: a video file decoded frame by frame in decode order and
 * handed out as 8-bit 4:2:0 plane views at the comparison size. */
#ifndef SOBRE_MEDIA_QUALITY_INPUT_H
#define SOBRE_MEDIA_QUALITY_INPUT_H

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libswscale/swscale.h>

#include "sobre/metrics.h"
#include "sobre/quality.h"

typedef struct QualityInput {
    const char *path;
    const SobreLogger *logger;
    AVFormatContext *fmt;
    AVCodecContext *dec;
    AVPacket *pkt;
    AVFrame *frame; /* the last decoded frame */
    AVFrame *conv;  /* frame converted to the comparison size/format (owned buffers) */
    struct SwsContext *sws;
    int stream;
    int demux_done, flushed;
    int64_t expected; /* frames announced by the header, -1 if unknown */
    SobreQualityInput info;
} QualityInput;

/* Opens path and its best video stream's decoder. Returns 0 or a negative code with a
 * message naming the file; *out is NULL on failure. */
int sobre_quality_input_open(QualityInput **out, const char *path, const SobreLogger *logger,
                             SobreError *err);

/* Decodes the next frame into in->frame. Returns 1 (a frame), 0 (end) or < 0. */
int sobre_quality_input_next(QualityInput *in, SobreError *err);

/* Plane views of in->frame at w x h in 8-bit 4:2:0 (converted with SWS_BICUBIC when the
 * size or format differ). Valid until the next call on in. */
int sobre_quality_input_planes(QualityInput *in, int w, int h, SobrePlanes *out, SobreError *err);

void sobre_quality_input_close(QualityInput **in);

#endif
