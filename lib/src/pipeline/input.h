/* The master (input.c): opened once, demuxed and decoded once. Video frames go by
 * reference to every rendition queue (HDR converted to SDR BT.709 first when a colour
 * conversion is set, then deinterlaced when flagged interlaced), audio
 * frames to each distinct audio encoder, text subtitles become WebVTT cues, and a few
 * detailed frames are kept as poster candidates. Timestamps leave in microseconds from
 * the start of the input, with the clock jumps of joined MPEG-TS recordings closed
 * (probe/timeline.h). Knows nothing of the job: what it feeds is an InputSinks. */
#ifndef SOBRE_PIPELINE_INPUT_H
#define SOBRE_PIPELINE_INPUT_H

#include <stdatomic.h>

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libswscale/swscale.h>

#include "aenc.h"
#include "error.h"
#include "queue.h"
#include "sobre/plan.h"
#include "sobre/probe.h"
#include "strbuf.h"
#include "timeline.h"
#include "tonemap.h"

typedef struct Input {
    SobreLogger logger;
    char path[4096];
    AVFormatContext *fmt;
    int vidx, aidx, sidx; /* the streams probe chose, and the first subtitle stream */
    AVCodecContext *vdec, *adec, *sdec;
    int64_t t0_us;     /* subtracted from every timestamp: outputs start at 0 */
    double duration_s; /* the container's; after a run that closed jumps, the content's */
    SobreSourceGeom geom;
    char video_error[160]; /* why a video stream with no picture size does not decode */
    SobreTimeline tl;      /* timestamp discontinuities closed while reading */

    /* what a run leaves behind */
    SobreBuf subs; /* WebVTT converted from the first text subtitle stream */
    int nb_cues;
    char sub_lang[16];
    AVFrame *poster_frame; /* the most detailed frame seen at a few points */
    double poster_score, poster_next_s;
    int64_t video_frames_in, decode_errors;
    double video_end_s;             /* last decoded video time, to notice truncated inputs */
    int stop, late, seen, at_start; /* a windowed run's state (see InputSinks.windowed) */
    struct SwsContext *qsws;
    double qcpu_s;                  /* CPU seconds spent on the quality display pictures */
    Tonemap *tm;                    /* colour conversion before the fan-out, NULL: none */
    const struct InputSinks *sinks; /* during a run */
} Input;

/* Where a run sends what it decodes. */
struct InputSinks {
    SobreQueue **video; /* frame queues of the video renditions */
    int nb_video;
    const int *video_hdr; /* per queue, 1: the decoded pictures, before colour conversion
                             (the HDR rendition); NULL: none */
    AudioEnc **audio;     /* the distinct audio settings */
    int nb_audio;
    int disp_w, disp_h;       /* > 0: attach the quality display-view picture to each frame */
    const atomic_int *cancel; /* checked at every packet */
    /* called after every video frame with its time in seconds (progress) */
    void (*tick)(void *opaque, double t);
    void *opaque;
    /* A window of the source (a segment): seek to a keyframe before from_us - lead_us
     * (further back if the seek lands late), send no frame before that, stop after the
     * first video frame at or past to_us (itself sent: it closes gaps). Subtitles are read
     * only by runs without a window. */
    int windowed;
    int64_t from_us, to_us, lead_us;
    int poster; /* windowed: keep poster candidates (decoding video even without a sink) */
};
typedef struct InputSinks InputSinks;

/* Opens the container and reads its stream information. */
int sobre_input_open(Input **out, const char *path, const SobreLogger *logger, SobreError *err);
/* Takes the streams probe chose and opens their decoders; geom: the plan's view. */
int sobre_input_streams(Input *in, const SobreProbeInfo *probe, const SobreSourceGeom *geom,
                        SobreError *err);
/* Reads the whole input once, feeding the sinks; flushes the audio encoders at the end. */
int sobre_input_run(Input *in, const InputSinks *sinks, SobreError *err);
/* The time of the first video frame, in microseconds from the start as runs give them
 * (the keyframe schedule's origin). 0 when none. The reader is used up: a seek back to
 * the start may land after audio packets that came before the first video frame. */
int sobre_input_first_video(Input *in, int64_t *us, SobreError *err);
/* Converts every video frame with c (tonemap.h) before the fan-out. */
int sobre_input_set_tonemap(Input *in, const TonemapConfig *c, SobreError *err);
/* The colour tags of the pictures the renditions get (for the encoders): BT.709 after a
 * conversion, else the stream's as the container gives them (fixed for the whole run);
 * "unspecified" without video. */
void sobre_input_colour(const Input *in, int *primaries, int *trc, int *space);
void sobre_input_free(Input **in);

#endif
