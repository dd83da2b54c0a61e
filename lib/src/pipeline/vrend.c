/* One video rendition on its own thread: takes decoded frames by reference from a
 * bounded queue, maps them onto the rung's frame-rate grid, scales (and rotates) into a
 * reused buffer, forces keyframes on the shared schedule, encodes and muxes, taking its
 * audio packets from the shared audio encoder's queue. */
#include <errno.h>
#include <math.h>
#include <string.h>
#include <time.h>

#include <libavutil/imgutils.h>
#include <libavutil/opt.h>

#include "avhelp.h"
#include "clock.h"
#include "cpufeat.h"
#include "ffcompat.h"
#include "planes.h"
#include "vrend.h"

static const char *const x264_presets[] = {"placebo",   "veryslow", "slower", "slow",
                                           "medium",    "fast",     "faster", "veryfast",
                                           "superfast", "ultrafast"};

/* Encoder-specific options; the measured reasons are in presets/ladders/default.yaml. */
const char *sobre_vrend_x264_params(void)
{
    return sobre_cpu_avx512() ? "scenecut=0:asm=SSE2Fast,AVX2" : "scenecut=0";
}

static const AVCodec *configure(const SobreRung *r, int crf, AVDictionary **o)
{
    char buf[32];
    const AVCodec *c = NULL;
    switch (r->codec) {
    case SOBRE_CODEC_VP9:
        c = avcodec_find_encoder_by_name("libvpx-vp9");
        av_dict_set(o, "deadline", "good", 0);
        av_dict_set_int(o, "cpu-used", r->speed, 0);
        av_dict_set(o, "row-mt", "1", 0);
        av_dict_set(o, "tile-columns", "0", 0);
        av_dict_set(o, "lag-in-frames", "0", 0);
        av_dict_set(o, "auto-alt-ref", "0", 0);
        av_dict_set_int(o, "crf", crf, 0);
        break;
    case SOBRE_CODEC_AV1:
        c = avcodec_find_encoder_by_name("libsvtav1");
        av_dict_set_int(o, "preset", r->speed, 0);
        av_dict_set_int(o, "crf", crf, 0);
        break;
    case SOBRE_CODEC_H264:
        c = avcodec_find_encoder_by_name("libx264");
        av_dict_set(o, "preset", x264_presets[r->speed], 0);
        av_dict_set_int(o, "crf", crf, 0);
        av_dict_set(o, "forced-idr", "1", 0);
        /* Not x264's AVX-512 code: with it (Debian's 0.164, B-frames with mb-tree, i.e.
         * every preset from "veryfast" down) the output depends on memory x264 never
         * wrote, so the same input gave other bytes from run to run and from segment
         * run to segment run (MALLOC_PERTURB_ shows it in the x264 CLI itself). With
         * the AVX2 code it is the same from run to run and on every AVX2 machine, for
         * ~7 % more of this rung's CPU (docs/bench.md "H.264 determinism"). */
        av_dict_set(o, "x264-params", sobre_vrend_x264_params(), 0);
        if (r->max_kbps > 0) {
            snprintf(buf, sizeof(buf), "%d", r->max_kbps * 1000);
            av_dict_set(o, "maxrate", buf, 0);
            snprintf(buf, sizeof(buf), "%d", r->max_kbps * 2000);
            av_dict_set(o, "bufsize", buf, 0);
        }
        break;
    default:
        break;
    }
    return c;
}

/* The rung's output frame rate: the source's own rate when it is under the cap. */
static AVRational out_rate(AVRational src, double cap)
{
    if (src.num > 0 && src.den > 0 && av_q2d(src) <= cap + 0.01 && av_q2d(src) >= 1)
        return src;
    return av_d2q(cap, 1001000);
}

int sobre_venc_open(AVCodecContext **out, const VEncParams *vp, int crf, int threads,
                    SobreError *err)
{
    const SobreRung *r = vp->rung;
    const SobreRungPlan *plan = vp->plan;
    AVDictionary *opts = NULL;
    const AVCodec *codec = configure(r, crf, &opts);
    AVCodecContext *e;
    AVRational rate = out_rate(vp->src_rate, plan->fps);
    int ret;

    *out = NULL;
    if (!codec) {
        av_dict_free(&opts);
        return sobre_fail(err, SOBRE_E_UNSUPPORTED, "rung '%s': this FFmpeg has no %s encoder",
                          r->id, sobre_codec_name(r->codec));
    }
    if (!(e = *out = avcodec_alloc_context3(codec))) {
        av_dict_free(&opts);
        return sobre_fail(err, AVERROR(ENOMEM), "out of memory");
    }
    e->width = plan->out_w;
    e->height = plan->out_h;
    e->pix_fmt = vp->pix_fmt;
    e->sample_aspect_ratio = (AVRational){1, 1};
    e->time_base = av_inv_q(rate);
    e->framerate = rate;
    /* Keyframes are forced on one time schedule for every rung (encode_frame), and the
     * output is constant-rate (gaps filled), so the encoders' own frame-counted GOP falls
     * on the same frames. A longer GOP than the forced one would stop libvpx's adding
     * keyframes, but its rate control then plans for the long GOP and overshoots the
     * cap by ~10 % (measured: 331 -> 362 kbit/s on Tears of Steel 480p). */
    e->gop_size = plan->keyint_frames;
    e->keyint_min = plan->keyint_frames;
    e->thread_count = threads > 0 ? threads : plan->threads > 0 ? plan->threads : 1;
    if (r->codec == SOBRE_CODEC_AV1) { /* SVT-AV1 takes its share as logical processors */
        char lp[32];
        snprintf(lp, sizeof(lp), "lp=%d", e->thread_count);
        av_dict_set(&opts, "svtav1-params", lp, 0);
    }
    if (r->codec == SOBRE_CODEC_VP9 && plan->tile_columns > 0) /* more threads than row-mt feeds */
        av_dict_set_int(&opts, "tile-columns", plan->tile_columns, 0);
    e->bit_rate = r->codec == SOBRE_CODEC_VP9 ? r->max_kbps * 1000L : 0;
    e->color_range = AVCOL_RANGE_MPEG;
    e->color_primaries = vp->colour.primaries;
    e->color_trc = vp->colour.trc;
    e->colorspace = vp->colour.space;
    if (r->container == SOBRE_CONTAINER_MP4)
        e->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    ret = avcodec_open2(e, codec, &opts);
    av_dict_free(&opts);
    if (ret < 0)
        return sobre_fail_av(err, ret, "cannot open the video encoder", r->id);
    return 0;
}

static int open_encoder(VRend *vr, SobreError *err)
{
    int ret = sobre_venc_open(&vr->enc, &vr->cfg.enc, vr->plan->crf, vr->plan->threads, err);
    if (ret < 0)
        return ret;
    sobre_codec_string(vr->enc, vr->codec_string, sizeof(vr->codec_string));
    return 0;
}

/* The segment's window in output slots: the first slot at or after from_s, and the first
 * at or after to_s (the keyframe rule's tolerance, so its keyframe opens the window). */
static void window_slots(VRend *vr)
{
    AVRational tb = vr->enc->time_base;
    double rate = (double)tb.den / tb.num;
    int64_t first = (int64_t)ceil(vr->cfg.anchor_s * rate - 0.5 - 1e-9); /* encode_frame's */
    double t0 = (first > 0 ? first : 0) / rate;
    vr->cfg.from_s += t0;
    if (vr->cfg.to_s > 0)
        vr->cfg.to_s += t0;
    vr->win_first = (int64_t)ceil((vr->cfg.from_s - 1e-6) * rate - 1e-9);
    vr->win_end = vr->cfg.to_s > 0 ? (int64_t)ceil((vr->cfg.to_s - 1e-6) * rate - 1e-9) : INT64_MAX;
    if (vr->win_first < 0)
        vr->win_first = 0;
}

int sobre_vrend_open(VRend **out, const VRendConfig *cfg, SobreError *err)
{
    VRend *vr = av_mallocz(sizeof(*vr));
    const SobreRung *r = cfg->enc.rung;
    int ret;

    *out = NULL;
    if (!vr)
        return sobre_fail(err, AVERROR(ENOMEM), "out of memory");
    vr->cfg = *cfg;
    vr->r = r;
    vr->plan = cfg->enc.plan;
    vr->last_pts = vr->pre_pts = INT64_MIN;
    vr->out.vstream = vr->out.astream = -1;
    if ((ret = open_encoder(vr, err)) < 0)
        goto fail;
    if (cfg->segment)
        window_slots(vr);
    ret = AVERROR(ENOMEM);
    if (!(vr->pkt = av_packet_alloc()) || !(vr->pass = av_frame_alloc()) ||
        !(vr->prev_in = av_frame_alloc()) ||
        sobre_alloc_picture_fmt(&vr->scaled, vr->plan->scale_w, vr->plan->scale_h,
                                cfg->enc.pix_fmt) < 0 ||
        (cfg->rotation && sobre_alloc_picture_fmt(&vr->rotated, vr->plan->out_w, vr->plan->out_h,
                                                  cfg->enc.pix_fmt) < 0) ||
        sobre_queue_new(&vr->frames, VQUEUE_FRAMES) < 0) {
        sobre_fail(err, ret, "out of memory");
        goto fail;
    }
    /* a segment keeps whole records: the join pools them with the other segments' */
    if ((cfg->quality || cfg->verify) &&
        (ret = sobre_vq_open(&vr->vq, vr->enc,
                             !cfg->quality  ? VQ_CHECK
                             : cfg->segment ? VQ_MEASURE_WHOLE
                                            : VQ_MEASURE,
                             cfg->disp_w, cfg->disp_h, r->id, err)) < 0)
        goto fail;
    if (cfg->segment) {
        if (!(vr->pre = av_frame_alloc())) {
            ret = sobre_fail(err, AVERROR(ENOMEM), "out of memory");
            goto fail;
        }
        if ((ret = sobre_seg_create(&vr->seg, cfg->seg_tmp, cfg->seg_path, err)) < 0)
            goto fail;
        vr->cfg.seg_tmp = vr->seg.tmp; /* the caller's strings may not outlive the call */
        vr->cfg.seg_path = vr->seg.path;
        vr->cfg.tmp_path = vr->cfg.final_path = NULL;
    } else if ((ret = sobre_output_open(&vr->out, cfg->tmp_path, cfg->final_path, r->container,
                                        err)) < 0 ||
               (ret = sobre_output_add_stream(&vr->out, vr->enc, &vr->out.vstream, err)) < 0 ||
               (ret = sobre_output_copy_hdr_metadata(&vr->out, vr->out.vstream, cfg->hdr_meta,
                                                     err)) < 0) {
        goto fail;
    } else {
        vr->cfg.tmp_path = vr->out.tmp_path; /* the caller's strings may not outlive the call */
        vr->cfg.final_path = vr->out.final_path;
    }
    *out = vr;
    return 0;
fail:
    sobre_vrend_free(&vr);
    return ret;
}

int sobre_vrend_add_audio(VRend *vr, const AVCodecContext *aenc, SobreError *err)
{
    int ret = sobre_queue_new(&vr->apkts, 0);
    if (ret < 0)
        return sobre_fail(err, ret, "out of memory");
    vr->out.atb = aenc->time_base;
    return sobre_output_add_stream(&vr->out, aenc, &vr->out.astream, err);
}

static int write_packets(VRend *vr, SobreError *err)
{
    int ret;
    while ((ret = avcodec_receive_packet(vr->enc, vr->pkt)) >= 0) {
        /* decode-checked (and measured) before the muxer takes the packet */
        if (vr->vq && (ret = sobre_vq_packet(vr->vq, vr->pkt, err)) < 0) {
            av_packet_unref(vr->pkt);
            return ret;
        }
        ret = vr->cfg.segment
                  ? sobre_seg_write(&vr->seg, vr->pkt, err)
                  : sobre_output_write(&vr->out, vr->pkt, vr->out.vstream, vr->enc->time_base, err);
        av_packet_unref(vr->pkt);
        if (ret < 0)
            return ret;
    }
    if (ret == AVERROR(EAGAIN) || ret == AVERROR_EOF)
        return 0;
    return sobre_fail_av(err, ret, "video encoding failed", vr->r->id);
}

/* block: wait for the audio encoder to finish (end of input); else take what is there. */
static int write_audio(VRend *vr, int block, SobreError *err)
{
    void *item;
    int r;
    if (!vr->apkts)
        return 0;
    while ((r = block ? sobre_queue_pop(vr->apkts, &item)
                      : sobre_queue_try_pop(vr->apkts, &item)) == 0) {
        AVPacket *p = item;
        int ret = sobre_output_write(&vr->out, p, vr->out.astream, vr->out.atb, err);
        av_packet_free(&p);
        if (ret < 0)
            return ret;
    }
    return r < 0 ? SOBRE_E_CANCELLED : 0;
}

static int scale(VRend *vr, const AVFrame *in, SobreError *err)
{
    AVFrame *s = vr->scaled;
    int ret;
    vr->sws = sws_getCachedContext(vr->sws, in->width, in->height, in->format, s->width, s->height,
                                   s->format, SWS_BICUBIC, NULL, NULL, NULL);
    if (!vr->sws)
        return sobre_fail(err, SOBRE_E_UNSUPPORTED, "rung '%s': cannot convert %dx%d %s pictures",
                          vr->r->id, in->width, in->height,
                          av_get_pix_fmt_name(in->format) ? av_get_pix_fmt_name(in->format) : "?");
    if ((ret = av_frame_make_writable(s)) < 0)
        return sobre_fail(err, ret, "out of memory");
    sws_scale(vr->sws, (const uint8_t *const *)in->data, in->linesize, 0, in->height, s->data,
              s->linesize);
    if (vr->rotated) {
        AVFrame *d = vr->rotated;
        int deg = vr->cfg.rotation;
        if ((ret = av_frame_make_writable(d)) < 0)
            return sobre_fail(err, ret, "out of memory");
        for (int p = 0; p < 3; p++) {
            int w = p ? (s->width + 1) / 2 : s->width, h = p ? (s->height + 1) / 2 : s->height;
            if (s->format == AV_PIX_FMT_YUV420P)
                sobre_plane_rotate(s->data[p], s->linesize[p], w, h, d->data[p], d->linesize[p],
                                   deg);
            else /* yuv420p10le: 16-bit samples */
                sobre_plane_rotate16(s->data[p], s->linesize[p], w, h, d->data[p], d->linesize[p],
                                     deg);
        }
    }
    return 0;
}

/* Sends one picture at output time pts. Keyframes every keyint_s of output time from the
 * first picture: the encoders count their GOP from it too, and every rung starts on the
 * same source frame, so all rungs put keyframes on the same frames. */
static int send_picture(VRend *vr, AVFrame *f, const AVFrame *src, int64_t pts, SobreError *err)
{
    AVRational tb = vr->enc->time_base;
    double t = (double)pts * tb.num / tb.den;
    int ret;
    f->pts = pts;
    f->pict_type = AV_PICTURE_TYPE_NONE;
    if (vr->last_pts == INT64_MIN) /* segments: the episode's schedule, from its first frame */
        vr->next_key_s = vr->cfg.segment ? vr->cfg.from_s : t;
    if (t + 1e-6 >= vr->next_key_s) {
        f->pict_type = AV_PICTURE_TYPE_I;
        while (vr->next_key_s <= t + 1e-6)
            vr->next_key_s += vr->cfg.keyint_s;
    }
    vr->last_pts = pts;
    if ((ret = avcodec_send_frame(vr->enc, f)) < 0)
        return sobre_fail_av(err, ret, "video encoding failed", vr->r->id);
    if (vr->vq && (ret = sobre_vq_push(vr->vq, f, src, err)) < 0)
        return ret;
    vr->frames_out++;
    return write_packets(vr, err);
}

/* The picture the encoder gets for source frame in: the frame itself when it is already
 * the rung's size and format, else scaled (and rotated) into the rendition's buffer. */
static int picture(VRend *vr, const AVFrame *in, AVFrame **out, SobreError *err)
{
    int ret;
    if (!vr->rotated && in->width == vr->scaled->width && in->height == vr->scaled->height &&
        in->format == vr->scaled->format) {
        /* Already the rung's size and format: swscale would only copy it (0.3 % of all
         * instructions in the profile); the encoder gets the decoded picture itself. */
        *out = vr->pass;
        av_frame_unref(vr->pass);
        if ((ret = av_frame_ref(vr->pass, in)) < 0)
            return sobre_fail(err, ret, "out of memory");
        vr->pass->sample_aspect_ratio = (AVRational){1, 1};
        return 0;
    }
    if ((ret = scale(vr, in, err)) < 0)
        return ret;
    *out = vr->rotated ? vr->rotated : vr->scaled;
    return 0;
}

/* Repeats the last picture sent (or made from src) on the slots [from, to). */
static int fill(VRend *vr, const AVFrame *src, int64_t from, int64_t to, SobreError *err)
{
    int ret;
    if (src) {
        if ((ret = picture(vr, src, &vr->prev_out, err)) < 0)
            return ret;
        av_frame_unref(vr->prev_in);
        if ((ret = av_frame_ref(vr->prev_in, src)) < 0)
            return sobre_fail(err, ret, "out of memory");
    }
    for (int64_t slot = from; slot < to; slot++)
        if ((ret = send_picture(vr, vr->prev_out, vr->prev_in, slot, err)) < 0)
            return ret;
    return 0;
}

/* Segment mode, for a frame on slot pts: 1 = inside the window, encode it as usual; 0 =
 * not encoded. The frames before the window are not encoded, but the last of them fills
 * the window's first slots when the first frame inside comes later (variable frame
 * rate), as it would in one continuous encode; the first frame after the window fills
 * its last slots the same way, then the rendition stops. */
static int window(VRend *vr, const AVFrame *in, int64_t pts, SobreError *err)
{
    int64_t gap = vr->plan->keyint_frames;
    int ret;
    if (vr->seg_done)
        return 0;
    if (pts < vr->win_first) {
        if (pts > vr->pre_pts) {
            av_frame_unref(vr->pre);
            if ((ret = av_frame_ref(vr->pre, in)) < 0)
                return sobre_fail(err, ret, "out of memory");
            vr->pre_pts = pts;
        }
        return 0;
    }
    if (vr->last_pts == INT64_MIN && vr->pre_pts != INT64_MIN && pts - vr->pre_pts <= gap &&
        vr->win_first < FFMIN(pts, vr->win_end) &&
        (ret = fill(vr, vr->pre, vr->win_first, FFMIN(pts, vr->win_end), err)) < 0)
        return ret;
    if (pts < vr->win_end)
        return 1;
    if (vr->prev_out && vr->last_pts != INT64_MIN && pts - vr->last_pts <= gap &&
        (ret = fill(vr, NULL, vr->last_pts + 1, vr->win_end, err)) < 0)
        return ret;
    vr->seg_done = 1;
    return 0;
}

static int encode_frame(VRend *vr, const AVFrame *in, SobreError *err)
{
    AVRational tb = vr->enc->time_base;
    double t = in->pts / 1e6; /* input.c hands frames in microseconds from the start */
    int64_t pts = (int64_t)ceil(t * tb.den / tb.num - 0.5 - 1e-9);
    AVFrame *f;
    int ret;

    if (pts < 0)
        pts = 0;
    if (vr->cfg.segment && (ret = window(vr, in, pts, err)) <= 0)
        return ret;
    if (pts <= vr->last_pts)
        return 0; /* above the rung's frame rate, or a duplicate timestamp: dropped */
    /* Constant-rate output: a gap of up to one GOP (variable-rate phone footage) repeats
     * the previous picture, as ffmpeg's fps filter does, so frame counts keep pace with
     * time; longer gaps (a broken stream) stay gaps rather than minutes of still frames. */
    if (vr->prev_out && vr->last_pts != INT64_MIN &&
        pts - vr->last_pts <= vr->plan->keyint_frames &&
        (ret = fill(vr, NULL, vr->last_pts + 1, pts, err)) < 0)
        return ret;
    if ((ret = picture(vr, in, &f, err)) < 0 || (ret = send_picture(vr, f, in, pts, err)) < 0)
        return ret;
    vr->prev_out = f;
    av_frame_unref(vr->prev_in);
    if ((ret = av_frame_ref(vr->prev_in, in)) < 0)
        return sobre_fail(err, ret, "out of memory");
    return 0;
}

static void *run(void *arg)
{
    VRend *vr = arg;
    double c0 = sobre_clock_thread_cpu(), w0 = sobre_clock_wall();
    void *item;
    int r, ret = 0;

    while ((r = sobre_queue_pop(vr->frames, &item)) == 0) {
        AVFrame *f = item;
        if (atomic_load(vr->cfg.cancel)) {
            av_frame_free(&f);
            ret = SOBRE_E_CANCELLED;
            break;
        }
        ret = write_audio(vr, 0, &vr->err);
        if (ret >= 0)
            ret = encode_frame(vr, f, &vr->err);
        atomic_store(&vr->done_us, (long long)f->pts);
        av_frame_free(&f);
        if (ret < 0)
            break;
    }
    if (r < 0 && ret == 0)
        ret = SOBRE_E_CANCELLED;
    if (ret == 0) {
        ret = avcodec_send_frame(vr->enc, NULL);
        ret = ret < 0 ? sobre_fail_av(&vr->err, ret, "video encoding failed", vr->r->id)
                      : write_packets(vr, &vr->err);
    }
    if (ret == 0 && vr->vq)
        ret = sobre_vq_finish(vr->vq, &vr->err);
    if (ret == 0)
        ret = write_audio(vr, 1, &vr->err);
    if (ret == 0)
        ret = vr->cfg.segment ? sobre_seg_finish(&vr->seg, &vr->err)
                              : sobre_output_finish(&vr->out, &vr->err);
    /* in this thread, while the other rungs still encode: off the critical path unless
     * this rung is the last (segments: the joined file is checked by the join) */
    if (ret == 0 && vr->cfg.verify && !vr->cfg.segment)
        ret = sobre_output_check(&vr->out, &vr->duration_s, &vr->loud, &vr->err);
    if (ret < 0) {
        /* Unblock the decode thread and the audio encoder: they see the job failing. */
        sobre_queue_abort(vr->frames);
        if (vr->apkts)
            sobre_queue_abort(vr->apkts);
        if (ret == SOBRE_E_CANCELLED && !vr->err.detail[0])
            sobre_fail(&vr->err, ret, "cancelled");
    }
    vr->cpu_s = sobre_clock_thread_cpu() - c0;
    vr->wall_s = sobre_clock_wall() - w0;
    vr->ret = ret;
    return NULL;
}

int sobre_vrend_start(VRend *vr, SobreError *err)
{
    int ret = vr->cfg.segment ? 0 : sobre_output_write_header(&vr->out, err);
    if (ret < 0)
        return ret;
    if ((ret = pthread_create(&vr->thread, NULL, run, vr)) != 0)
        return sobre_fail(err, -ret, "cannot start a thread for rung '%s'", vr->r->id);
    vr->thread_started = 1;
    return 0;
}

int sobre_vrend_join(VRend *vr)
{
    if (vr->thread_started) {
        pthread_join(vr->thread, NULL);
        vr->thread_started = 0;
    }
    return vr->ret;
}

static void free_frame(void *p)
{
    AVFrame *f = p;
    av_frame_free(&f);
}

static void free_packet(void *p)
{
    AVPacket *k = p;
    av_packet_free(&k);
}

void sobre_vrend_free(VRend **vrp)
{
    VRend *vr = vrp ? *vrp : NULL;
    if (!vr)
        return;
    if (vr->thread_started) {
        sobre_queue_abort(vr->frames);
        sobre_vrend_join(vr);
    }
    sobre_queue_free(&vr->frames, free_frame);
    sobre_queue_free(&vr->apkts, free_packet);
    avcodec_free_context(&vr->enc);
    sobre_vq_free(&vr->vq);
    sws_freeContext(vr->sws);
    av_frame_free(&vr->scaled);
    av_frame_free(&vr->rotated);
    av_frame_free(&vr->pass);
    av_frame_free(&vr->prev_in);
    av_frame_free(&vr->pre);
    av_packet_free(&vr->pkt);
    sobre_output_close(&vr->out);
    sobre_seg_abandon(&vr->seg);
    av_freep(vrp);
}
