/* Decoding one input of `sobre quality`: demux the best video stream, decode in order
 * (send/receive, EAGAIN and EOF as states), skip packets the decoder rejects as ffmpeg
 * does, and convert each frame to 8-bit 4:2:0 at the comparison size with swscale. */
#include <errno.h>
#include <string.h>

#include <libavutil/imgutils.h>
#include <libavutil/pixdesc.h>

#include "error.h"
#include "quality_input.h"

static int fail_av(SobreError *err, int code, const char *path, const char *what)
{
    char buf[AV_ERROR_MAX_STRING_SIZE];
    av_strerror(code, buf, sizeof(buf));
    if (code == AVERROR_INVALIDDATA)
        return sobre_fail(err, code, "%s: not a media file (%s)", path, buf);
    return sobre_fail(err, code, "%s: %s (%s)", path, what, buf);
}

/* The best video stream that is a real video (not cover art). */
static int pick_stream(AVFormatContext *fmt)
{
    int best = av_find_best_stream(fmt, AVMEDIA_TYPE_VIDEO, -1, -1, NULL, 0);
    if (best >= 0 && !(fmt->streams[best]->disposition & AV_DISPOSITION_ATTACHED_PIC))
        return best;
    for (unsigned i = 0; i < fmt->nb_streams; i++) {
        const AVStream *st = fmt->streams[i];
        if (st->codecpar->codec_type == AVMEDIA_TYPE_VIDEO &&
            !(st->disposition & AV_DISPOSITION_ATTACHED_PIC))
            return (int)i;
    }
    return -1;
}

static int64_t expected_frames(const AVStream *st, const AVFormatContext *fmt)
{
    AVRational fps = st->avg_frame_rate;
    if (st->nb_frames > 0)
        return st->nb_frames;
    if (fps.num > 0 && fps.den > 0 && fmt->duration > 0)
        return av_rescale(fmt->duration, fps.num, (int64_t)fps.den * AV_TIME_BASE);
    return -1;
}

static int open_decoder(QualityInput *in, SobreError *err)
{
    const AVStream *st = in->fmt->streams[in->stream];
    const AVCodec *codec = avcodec_find_decoder(st->codecpar->codec_id);
    int ret;
    if (!codec)
        return sobre_fail(err, SOBRE_E_UNSUPPORTED, "%s: no decoder for video codec '%s'", in->path,
                          avcodec_get_name(st->codecpar->codec_id));
    in->dec = avcodec_alloc_context3(codec);
    if (!in->dec)
        return sobre_fail(err, AVERROR(ENOMEM), "out of memory");
    ret = avcodec_parameters_to_context(in->dec, st->codecpar);
    if (ret < 0)
        return fail_av(err, ret, in->path, "cannot set up the video decoder");
    in->dec->pkt_timebase = st->time_base;
    in->dec->thread_count = 0; /* automatic: the comparison itself is single-threaded */
    ret = avcodec_open2(in->dec, codec, NULL);
    if (ret < 0)
        return fail_av(err, ret, in->path, "cannot open the video decoder");
    snprintf(in->info.codec, sizeof(in->info.codec), "%s", codec->name);
    return 0;
}

int sobre_quality_input_open(QualityInput **out, const char *path, const SobreLogger *logger,
                             SobreError *err)
{
    QualityInput *in = av_mallocz(sizeof(*in));
    int ret;
    *out = NULL;
    if (!in)
        return sobre_fail(err, AVERROR(ENOMEM), "out of memory");
    in->path = path;
    in->logger = logger;
    in->pkt = av_packet_alloc();
    in->frame = av_frame_alloc();
    in->conv = av_frame_alloc();
    if (!in->pkt || !in->frame || !in->conv) {
        ret = sobre_fail(err, AVERROR(ENOMEM), "out of memory");
        goto fail;
    }
    ret = avformat_open_input(&in->fmt, path, NULL, NULL);
    if (ret < 0) {
        ret = fail_av(err, ret, path, "cannot open");
        goto fail;
    }
    ret = avformat_find_stream_info(in->fmt, NULL);
    if (ret < 0) {
        ret = fail_av(err, ret, path, "cannot read the stream information");
        goto fail;
    }
    in->stream = pick_stream(in->fmt);
    if (in->stream < 0) {
        ret = sobre_fail(err, SOBRE_E_NOVIDEO, "%s: no video stream; quality needs one", path);
        goto fail;
    }
    in->expected = expected_frames(in->fmt->streams[in->stream], in->fmt);
    ret = open_decoder(in, err);
    if (ret < 0)
        goto fail;
    *out = in;
    return 0;
fail:
    sobre_quality_input_close(&in);
    return ret;
}

void sobre_quality_input_close(QualityInput **pin)
{
    QualityInput *in;
    if (!pin || !*pin)
        return;
    in = *pin;
    sws_freeContext(in->sws);
    av_frame_free(&in->conv);
    av_frame_free(&in->frame);
    av_packet_free(&in->pkt);
    avcodec_free_context(&in->dec);
    avformat_close_input(&in->fmt);
    av_freep(pin);
}

/* Feeds the decoder one packet of our stream (or the flush at the end of the file).
 * A packet the decoder rejects is counted and skipped, like the ffmpeg CLI does. */
static int feed(QualityInput *in, SobreError *err)
{
    int ret;
    for (;;) {
        ret = av_read_frame(in->fmt, in->pkt);
        if (ret < 0 && ret != AVERROR_EOF && !in->info.frames)
            return fail_av(err, ret, in->path, "read error");
        if (ret < 0) {
            /* a damaged tail (truncated file): keep what decoded, as ffmpeg does */
            if (ret != AVERROR_EOF)
                sobre_log(in->logger, SOBRE_LOG_WARNING,
                          "%s: read error after %lld frames, "
                          "stopping there",
                          in->path, (long long)in->info.frames);
            in->demux_done = 1;
            ret = avcodec_send_packet(in->dec, NULL);
            return ret == AVERROR_EOF ? 0
                   : ret < 0          ? fail_av(err, ret, in->path, "flush failed")
                                      : 0;
        }
        if (in->pkt->stream_index == in->stream)
            break;
        av_packet_unref(in->pkt);
    }
    ret = avcodec_send_packet(in->dec, in->pkt);
    av_packet_unref(in->pkt);
    if (ret == AVERROR_INVALIDDATA) {
        if (!in->info.corrupt_frames++)
            sobre_log(in->logger, SOBRE_LOG_WARNING, "%s: skipping a corrupt video packet",
                      in->path);
        return 0;
    }
    if (ret < 0 && ret != AVERROR(EAGAIN))
        return fail_av(err, ret, in->path, "video decoding failed");
    return 0;
}

int sobre_quality_input_next(QualityInput *in, SobreError *err)
{
    for (;;) {
        int ret = avcodec_receive_frame(in->dec, in->frame);
        if (ret >= 0) {
            if (!in->info.frames++) {
                const char *name = av_get_pix_fmt_name(in->frame->format);
                in->info.width = in->frame->width;
                in->info.height = in->frame->height;
                snprintf(in->info.pix_fmt, sizeof(in->info.pix_fmt), "%s", name ? name : "?");
            }
            return 1;
        }
        if (ret == AVERROR_EOF)
            return 0;
        if (ret == AVERROR_INVALIDDATA) {
            in->info.corrupt_frames++;
            continue;
        }
        if (ret != AVERROR(EAGAIN))
            return fail_av(err, ret, in->path, "video decoding failed");
        if (in->demux_done)
            return 0; /* flush already sent and the decoder still wants input */
        ret = feed(in, err);
        if (ret < 0)
            return ret;
    }
}

static int is_420_8bit(int fmt)
{
    return fmt == AV_PIX_FMT_YUV420P || fmt == AV_PIX_FMT_YUVJ420P;
}

static void planes_of(const AVFrame *f, SobrePlanes *out)
{
    int cw = (f->width + 1) >> 1, ch = (f->height + 1) >> 1;
    out->plane[0] = (SobrePlane){f->data[0], f->linesize[0], f->width, f->height, 8};
    out->plane[1] = (SobrePlane){f->data[1], f->linesize[1], cw, ch, 8};
    out->plane[2] = (SobrePlane){f->data[2], f->linesize[2], cw, ch, 8};
}

int sobre_quality_input_planes(QualityInput *in, int w, int h, SobrePlanes *out, SobreError *err)
{
    const AVFrame *src = in->frame;
    /* Full-range 4:2:0 stays full range: same layout, compared as it is (as the filters). */
    int dst_fmt = src->format == AV_PIX_FMT_YUVJ420P ? AV_PIX_FMT_YUVJ420P : AV_PIX_FMT_YUV420P;
    int ret;
    if (is_420_8bit(src->format) && src->width == w && src->height == h) {
        planes_of(src, out);
        return 0;
    }
    /* SWS_BICUBIC alone: the same scaler FFmpeg's scale=W:H:flags=bicubic builds. */
    in->sws = sws_getCachedContext(in->sws, src->width, src->height, src->format, w, h, dst_fmt,
                                   SWS_BICUBIC, NULL, NULL, NULL);
    if (!in->sws)
        return sobre_fail(err, SOBRE_E_UNSUPPORTED, "%s: cannot convert %dx%d %s to %dx%d yuv420p",
                          in->path, src->width, src->height,
                          av_get_pix_fmt_name(src->format) ? av_get_pix_fmt_name(src->format) : "?",
                          w, h);
    if (in->conv->width != w || in->conv->height != h || in->conv->format != dst_fmt) {
        av_frame_unref(in->conv);
        in->conv->width = w;
        in->conv->height = h;
        in->conv->format = dst_fmt;
        ret = av_frame_get_buffer(in->conv, 0);
        if (ret < 0)
            return sobre_fail(err, ret, "out of memory for a %dx%d frame", w, h);
    }
    ret = sws_scale(in->sws, (const uint8_t *const *)src->data, src->linesize, 0, src->height,
                    in->conv->data, in->conv->linesize);
    if (ret < 0)
        return fail_av(err, ret, in->path, "scaling failed");
    planes_of(in->conv, out);
    return 0;
}
