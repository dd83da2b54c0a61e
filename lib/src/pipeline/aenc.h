/* One distinct audio setting (aenc.c): decoded audio in, resampled once, kept on the
 * input's timestamps, encoded once, and every packet handed by reference to the video
 * renditions' queues and written to the audio-only outputs that carry this setting. */
#ifndef SOBRE_PIPELINE_AENC_H
#define SOBRE_PIPELINE_AENC_H

#include <libavcodec/avcodec.h>
#include <libavutil/audio_fifo.h>
#include <libswresample/swresample.h>

#include "error.h"
#include "output.h"
#include "queue.h"
#include "sobre/preset.h"

typedef struct AudioEnc {
    const SobreAudioSetting *set;
    AVCodecContext *ctx;
    SwrContext *swr;
    AVAudioFifo *fifo;
    AVFrame *frame;
    int64_t next_pts; /* in samples (encoder time base 1/sample_rate) */
    int64_t shift;    /* added to input positions after a reset beyond ASYNC_MAX_S */
    int started;
    int64_t padded, dropped; /* samples of silence inserted / of audio dropped to follow
                              * the input timestamps (gaps and overlaps) */
    int in_rate, in_fmt;
    AVChannelLayout in_layout;
    /* consumers: video renditions (through their queues) and audio-only outputs */
    SobreQueue *queues[SOBRE_LADDER_MAX_RUNGS];
    int nb_queues;
    Output *direct[SOBRE_LADDER_MAX_RUNGS];
    int nb_direct;
    double cpu_s;
} AudioEnc;

int sobre_aenc_open(AudioEnc **out, const SobreAudioSetting *set, SobreError *err);
/* start_sample: the frame's position in output samples from the start of the input, or
 * AV_NOPTS_VALUE when unknown (the frame then follows the previous one). */
int sobre_aenc_send(AudioEnc *ae, const AVFrame *in, int64_t start_sample, SobreError *err);
int sobre_aenc_flush(AudioEnc *ae, SobreError *err);
void sobre_aenc_free(AudioEnc **ae);

#endif
