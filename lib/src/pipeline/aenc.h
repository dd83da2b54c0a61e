/* One distinct audio setting (aenc.c): decoded audio in, resampled once, kept on the
 * input's timestamps, encoded once, and every packet handed by reference to the video
 * renditions' queues and written to the audio-only outputs that carry this setting. */
#ifndef SOBRE_PIPELINE_AENC_H
#define SOBRE_PIPELINE_AENC_H

#include <libavcodec/avcodec.h>
#include <libavutil/audio_fifo.h>
#include <libswresample/swresample.h>

#include "error.h"
#include "limiter.h"
#include "output.h"
#include "queue.h"
#include "sobre/preset.h"

/* The loudness level of one audio setting (decided by encode_loudness.c): one gain, then
 * a true-peak limiter when that gain would push peaks over the ceiling. With a level the
 * encoder is fed float samples (libopus takes float as well as s16), so the gain and the
 * limiter work before any rounding and the downmix is the one the pre-pass measured. */
typedef struct AudioLevel {
    int on; /* 0: the decoded level as it is */
    double gain_db;
    int limit;
    double ceiling_dbtp;
    double limiter_db; /* for the report: the deepest cut the trial measured (<= 0) */
} AudioLevel;

/* Settles the level of audio setting `setting`: 1 and *level (NULL: as decoded) when it
 * is known, 0 when it is not yet (block 0), < 0 when the job stopped (block 1 waits). */
typedef int (*AudioLevelFn)(void *opaque, int setting, int block, const AudioLevel **level);

/* Decoded audio a pending encoder holds at most (seconds) before it waits for its level:
 * below the muxer's 10 s interleaving window (max_interleave_delta), so the video packets
 * written meanwhile wait in the muxer for their audio and the file is interleaved as if
 * the level had been known from the start. */
#define AENC_PENDING_MAX_S 6.0

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
    float gain;        /* the loudness gain (1: none), applied when there is no limiter */
    SobreLimiter *lim; /* the gain and the true-peak limiter, when the level needs one */
    /* consumers: video renditions (through their queues) and audio-only outputs */
    SobreQueue *queues[SOBRE_LADDER_MAX_RUNGS];
    int nb_queues;
    Output *direct[SOBRE_LADDER_MAX_RUNGS];
    int nb_direct;
    /* or a packet callback (the loudness pre-pass's trial encode, loudpass.c) */
    int (*on_packet)(void *opaque, const AVPacket *pkt, SobreError *err);
    void *on_packet_opaque;
    double cpu_s;
    /* a level still being decided (the pre-pass runs beside the encode): the decoded
     * frames wait here, by reference, until level_fn settles it (sobre_aenc_open_pending) */
    AudioLevelFn level_fn;
    void *level_opaque;
    int level_setting;
    struct PendingAudio *pending;
    int nb_pending, max_pending;
    double pending_s;
    double held_s, wait_s; /* audio held until the level came; wall time spent waiting */
} AudioEnc;

/* level may be NULL (the decoded level as it is). */
int sobre_aenc_open(AudioEnc **out, const SobreAudioSetting *set, const AudioLevel *level,
                    SobreError *err);
/* An encoder whose level is not known yet: opened as with a level (float samples) for the
 * stream parameters the outputs take, it asks fn for the level before it encodes
 * anything, holding up to AENC_PENDING_MAX_S of decoded audio meanwhile
 * (sobre_aenc_flush() waits for it), then is opened again as sobre_aenc_open() would open
 * it with that level: the packets are that open's. */
int sobre_aenc_open_pending(AudioEnc **out, const SobreAudioSetting *set, AudioLevelFn fn,
                            void *opaque, int setting, SobreError *err);
/* start_sample: the frame's position in output samples from the start of the input, or
 * AV_NOPTS_VALUE when unknown (the frame then follows the previous one). */
int sobre_aenc_send(AudioEnc *ae, const AVFrame *in, int64_t start_sample, SobreError *err);
int sobre_aenc_flush(AudioEnc *ae, SobreError *err);
void sobre_aenc_free(AudioEnc **ae);

#endif
