/* One video rendition on its own thread (vrend.c): takes decoded frames by reference from
 * a bounded queue, maps them onto the rung's frame-rate grid, scales (and rotates),
 * forces keyframes on the shared schedule, encodes and muxes, with its audio packets from
 * the shared audio encoder's queue. Everything it needs comes in a VRendConfig: it never
 * sees the job. */
#ifndef SOBRE_PIPELINE_VREND_H
#define SOBRE_PIPELINE_VREND_H

#include <pthread.h>
#include <stdatomic.h>

#include <libavcodec/avcodec.h>
#include <libswscale/swscale.h>

#include "error.h"
#include "output.h"
#include "queue.h"
#include "segfile.h"
#include "sobre/plan.h"
#include "vquality.h"

/* Decoded frames buffered per rendition. The decoder is paced by the slowest rung either
 * way (it decodes a frame in a few ms, a rung encodes it in tens), so a deeper queue only
 * holds more source pictures: 4 instead of 8 saved 12.5 MB of peak RSS on a 1080p master
 * (3.1 MB each) for the same wall and CPU time (2 interleaved rounds). */
#define VQUEUE_FRAMES 4

/* Colour tags the encoder writes (AVColorPrimaries, AVColorTransferCharacteristic,
 * AVColorSpace values). */
typedef struct VColour {
    int primaries, trc, space;
} VColour;

/* How a rung's video encoder is opened: by the rendition and by the CRF search alike. */
typedef struct VEncParams {
    const SobreRung *rung;
    const SobreRungPlan *plan; /* sizes, frame rate, GOP, crf, threads */
    AVRational src_rate;       /* the source's frame rate, 0/0 unknown */
    VColour colour;
    int pix_fmt; /* the encoder's input: AV_PIX_FMT_YUV420P (0), or yuv420p10le for the
                    HDR rendition (VP9 Profile 2) */
} VEncParams;

typedef struct VRendConfig {
    VEncParams enc;
    int rotation;             /* clockwise degrees applied after scaling */
    double keyint_s;          /* forced keyframe interval, output seconds */
    const char *tmp_path;     /* written here... */
    const char *final_path;   /* ...then renamed here by the job */
    int quality;              /* measure SSIM/PSNR while encoding */
    int verify;               /* decode-check the new stream, then check the finished file */
    int disp_w, disp_h;       /* the quality display view size */
    const atomic_int *cancel; /* the job's cancel flag */
    const AVStream *hdr_meta; /* the HDR rendition: the source stream whose HDR10 metadata
                                 (mastering display, MaxCLL) it carries; NULL otherwise */
    /* Segment mode: only the output slots in [T0 + from_s, T0 + to_s) are encoded (to_s
     * <= 0: to the end), where T0 is the slot of the episode's first video frame
     * (anchor_s), as in one continuous encode; keyframes fall every keyint_s from T0
     * (from_s is a multiple of it); the packets go to a segment file (seg_tmp, renamed
     * seg_path) instead of a muxer. */
    int segment;
    double anchor_s, from_s, to_s;
    const char *seg_tmp, *seg_path;
} VRendConfig;

typedef struct VRend {
    VRendConfig cfg;
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
    double duration_s;    /* the finished file's, from its check (verify) */
    LoudMeterResult loud; /* its audio as decoded by the check (channels 0: none) */
    int ret;              /* thread result */
    SobreError err;
    char codec_string[64];
    VQuality *vq; /* in-pipeline decode check and SSIM/PSNR, NULL when neither is on */
    /* segment mode */
    SegWriter seg;
    int64_t win_first, win_end; /* output slots of the window */
    AVFrame *pre;               /* last source frame before the window (fills its start) */
    int64_t pre_pts;            /* its slot */
    int seg_done;               /* a frame past the window came: nothing more to encode */
} VRend;

/* Opens the rung's video encoder as the pipeline configures it, at crf with threads
 * (0: the plan's). Also used by the CRF search (target.c). */
int sobre_venc_open(AVCodecContext **out, const VEncParams *p, int crf, int threads,
                    SobreError *err);

int sobre_vrend_open(VRend **out, const VRendConfig *cfg, SobreError *err);
/* The x264-params every libx264 encoder of this process gets (report.json records them
 * per H.264 rendition, scripts/bench.sh gives ffmpeg the same). */
const char *sobre_vrend_x264_params(void);
/* Adds the audio stream of the setting ae encodes; packets then come through vr->apkts. */
int sobre_vrend_add_audio(VRend *vr, const AVCodecContext *aenc, SobreError *err);
int sobre_vrend_start(VRend *vr, SobreError *err);
int sobre_vrend_join(VRend *vr);
void sobre_vrend_free(VRend **vr);

#endif
