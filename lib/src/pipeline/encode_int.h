/* Internal structures of the encode job, shared by its files:
 *   encode_job.c  public API, planning, resume, report, orchestration
 *   input.c       demux + decode of the master (the only reader of the input)
 *   vrend.c       one video rendition: scale, rotate, encode, mux, on its own thread
 *   aenc.c        one audio setting: resample, FIFO, encode once, fan packets out
 *   output.c      muxer set-up, codec strings for HTML `type`, decode check */
#ifndef SOBRE_ENCODE_INT_H
#define SOBRE_ENCODE_INT_H

#include <pthread.h>
#include <stdatomic.h>

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/audio_fifo.h>
#include <libswresample/swresample.h>
#include <libswscale/swscale.h>

#include "avhelp.h"
#include "error.h"
#include "queue.h"
#include "strbuf.h"
#include "target.h"
#include "timeline.h"
#include "sobre/encode.h"
#include "sobre/plan.h"
#include "sobre/probe.h"

#define VQUEUE_FRAMES 8 /* frames buffered per rendition: ~0.3 s, a few MB at 720p */

/* One output file being written (video rendition or audio-only rendition). */
typedef struct Output {
    AVFormatContext *fmt;
    char tmp_path[4096];   /* .sobre/<id>.part */
    char final_path[4096]; /* EPISODE_DIR/<file> */
    int vstream, astream;  /* stream indexes, -1 if none */
    AVRational atb;        /* time base of the audio packets it receives */
    int header_written;
} Output;

/* One distinct audio setting: decoded audio in, encoded packets out to its consumers. */
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

/* One video rendition and its thread. */
typedef struct VRend {
    struct SobreEncodeJob *job;
    int rung; /* index in the ladder */
    const SobreRung *r;
    const SobreRungPlan *plan;
    AVCodecContext *enc;
    struct SwsContext *sws;
    AVFrame *scaled, *rotated;
    AVFrame *pass;     /* reference to a decoded frame already at the rung size */
    AVFrame *prev_out; /* last picture sent (scaled, rotated or pass), to fill gaps */
    AVFrame *prev_in;  /* reference to its source frame (quality pairing) */
    AVPacket *pkt;
    Output out;
    SobreQueue *frames; /* AVFrame* from the decode thread */
    SobreQueue *apkts;  /* AVPacket* from the audio encoder (may be NULL) */
    pthread_t thread;
    int thread_started;
    int64_t last_pts;  /* last output pts (encoder time base), dedups on the grid */
    double next_key_s; /* forced keyframe schedule, output seconds */
    int64_t frames_out;
    atomic_llong done_us; /* source time encoded so far, for progress */
    double cpu_s, wall_s;
    int ret; /* thread result */
    SobreError err;
    char codec_string[64];
    struct VQuality *vq; /* in-pipeline SSIM/PSNR, NULL when not measured */
} VRend;

struct SobreEncodeJob {
    SobreLogger logger;
    char input[4096];
    char dir[4096];
    char work[4096]; /* dir/.sobre */
    char title[1024];
    char description[4096];
    char language[16];
    char captions[4096];
    int force, verify;
    int quality;             /* measure every video rendition while encoding */
    int disp_w, disp_h;      /* the quality "display" view size (source display, <= 1080p) */
    struct SwsContext *qsws; /* input.c: source frame to the display view picture */
    double qcpu_s;           /* decode thread CPU seconds spent on display pictures */
    TargetResult target[SOBRE_LADDER_MAX_RUNGS]; /* CRF search results (target.c) */
    SobreProgressCallback progress;
    void *progress_opaque;

    SobreLadder ladder;
    SobreRungPlan plan[SOBRE_LADDER_MAX_RUNGS];
    int todo[SOBRE_LADDER_MAX_RUNGS]; /* 1 = encode in this run */
    int pending;
    int lock_fd;
    SobreReport *report;
    SobreReport *previous; /* report.json found in the folder, for resume */

    /* input */
    AVFormatContext *ifmt;
    int vidx, aidx, sidx;
    AVCodecContext *vdec, *adec;
    int64_t t0_us; /* subtracted from every timestamp: outputs start at 0 */
    double duration_s;
    SobreProbeInfo *probe; /* the one analysis of the source: plan, report, streams */
    SobreSourceGeom geom;  /* the plan's view of it (sobre_source_from_probe) */
    char video_error[160]; /* why a video stream with no picture size does not decode */
    /* timestamp discontinuities (MPEG-TS: joined recordings) closed while reading */
    SobreTimeline tl;

    VRend *vr[SOBRE_LADDER_MAX_RUNGS];
    int nb_vr;
    int heavy_rung; /* the VP9 rung with the most pixels per second in this run, or -1 */
    AudioEnc *ae[SOBRE_LADDER_MAX_AUDIO];
    int nb_ae;
    Output *aout[SOBRE_LADDER_MAX_RUNGS]; /* audio-only outputs, indexed by rung */

    /* captions converted from the input's first text subtitle stream */
    AVCodecContext *sdec;
    SobreBuf subs;
    int nb_cues;
    char sub_lang[16];

    /* poster candidates: frames kept by reference */
    AVFrame *poster_frame;
    double poster_score;
    double poster_next_s;

    atomic_int cancel;
    double run_start;
    double last_progress;
    int64_t video_frames_in, decode_errors;
    double video_end_s; /* last decoded video time, to notice truncated inputs */
};

/* input.c */
/* Opens the container and reads its stream information. */
int sobre_input_open(struct SobreEncodeJob *job, SobreError *err);
/* Takes the streams probe chose and opens their decoders. */
int sobre_input_streams(struct SobreEncodeJob *job, const SobreProbeInfo *probe, SobreError *err);
void sobre_input_close(struct SobreEncodeJob *job);
/* Reads the whole input, decoding once and handing frames to the renditions. */
int sobre_input_run(struct SobreEncodeJob *job, SobreError *err);

/* aenc.c */
int sobre_aenc_open(AudioEnc **out, const SobreAudioSetting *set, SobreError *err);
/* start_sample: the frame's position in output samples from the start of the input, or
 * AV_NOPTS_VALUE when unknown (the frame then follows the previous one). */
int sobre_aenc_send(AudioEnc *ae, const AVFrame *in, int64_t start_sample, SobreError *err);
int sobre_aenc_flush(AudioEnc *ae, SobreError *err);
void sobre_aenc_free(AudioEnc **ae);

/* vrend.c */
int sobre_vrend_open(VRend **out, struct SobreEncodeJob *job, int rung, SobreError *err);
/** Encoder threads of a rung in this run: the preset's value, else 2 for the heavy rung
 *  (see pick_heavy_rung in encode_run.c), else 1. */
int sobre_rung_threads(const struct SobreEncodeJob *job, int rung);
int sobre_vrend_start(VRend *vr, SobreError *err);
int sobre_vrend_join(VRend *vr);
void sobre_vrend_free(VRend **vr);

/* Opens rung's video encoder as the pipeline configures it, with crf; threads 0 = the
 * rung's own setting. Also used by the CRF search (target.c). */
int sobre_venc_open(AVCodecContext **out, const struct SobreEncodeJob *job, int rung, int crf,
                    int threads, SobreError *err);

/* output.c */
int sobre_output_open(Output *o, const char *tmp_path, const char *final_path,
                      SobreContainer container, SobreError *err);
int sobre_output_add_stream(Output *o, const AVCodecContext *enc, int *index, SobreError *err);
int sobre_output_write_header(Output *o, SobreError *err);
int sobre_output_write(Output *o, AVPacket *pkt, int stream, AVRational tb, SobreError *err);
int sobre_output_finish(Output *o, SobreError *err);
void sobre_output_close(Output *o); /* frees; removes tmp file if still there */
/* Decodes every stream of path completely; fails on any decode error. */
int sobre_output_verify(const char *path, int64_t *frames, double *duration_s, SobreError *err);
/* "vp09.00.30.08", "av01.0.05M.08", "avc1.64001e", "opus", "mp4a.40.2" */
void sobre_codec_string(const AVCodecContext *enc, char *out, size_t size);

/* encode_job.c / encode_side.c */
void sobre_encode_rung_hash(const struct SobreEncodeJob *job, int rung, char *out, size_t size);
int sobre_encode_write_captions(struct SobreEncodeJob *job, SobreError *err);
void sobre_encode_sort_renditions(struct SobreEncodeJob *job);

#endif
