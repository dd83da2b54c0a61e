/* The master, read once: see input.h. */
#include <errno.h>
#include <math.h>
#include <string.h>
#include <time.h>

#include <libavutil/avstring.h>
#include <libavutil/pixdesc.h>

#include "avhelp.h"
#include "clock.h"
#include "ffcompat.h"
#include "input.h"
#include "planes.h"
#include "vquality.h"
#include "vtt.h"

#define TRIAL_PACKETS 256 /* packets tried to learn why a video stream has no picture */

static int open_decoder(Input *in, int idx, AVCodecContext **out, SobreError *err)
{
    AVStream *st = in->fmt->streams[idx];
    const AVCodec *c = avcodec_find_decoder(st->codecpar->codec_id);
    int ret;
    if (!c)
        return sobre_fail(err, SOBRE_E_UNSUPPORTED, "%s: stream %d: no decoder for codec '%s'",
                          in->path, idx, avcodec_get_name(st->codecpar->codec_id));
    if (!(*out = avcodec_alloc_context3(c)))
        return sobre_fail(err, AVERROR(ENOMEM), "out of memory");
    if ((ret = avcodec_parameters_to_context(*out, st->codecpar)) < 0)
        return sobre_fail_av(err, ret, "bad stream parameters", in->path);
    (*out)->pkt_timebase = st->time_base;
    (*out)->thread_count = 1; /* decoding is ~2 % of the work; keep cores for the encoders */
    if ((ret = avcodec_open2(*out, c, NULL)) < 0)
        return sobre_fail_av(err, ret, "cannot open the decoder", in->path);
    return 0;
}

static void lang_to_bcp47(const char *iso, char *out, size_t size)
{
    static const char *const map[][2] = {
        {"fra", "fr"}, {"fre", "fr"}, {"eng", "en"}, {"deu", "de"}, {"ger", "de"}, {"spa", "es"},
        {"ita", "it"}, {"nld", "nl"}, {"dut", "nl"}, {"por", "pt"}, {"ara", "ar"}, {"bre", "br"}};
    for (size_t i = 0; iso && i < sizeof(map) / sizeof(map[0]); i++)
        if (!strcmp(iso, map[i][0])) {
            snprintf(out, size, "%s", map[i][1]);
            return;
        }
    if (iso && strlen(iso) == 2)
        snprintf(out, size, "%s", iso);
}

/* The stream information has no picture size: FFmpeg decoded no frame while probing.
 * A fresh reader tries the first packets to say why, in in->video_error, so that the
 * plan names it instead of "the input has no video". */
static void why_no_picture(Input *in)
{
    AVFormatContext *fmt = NULL;
    AVCodecContext *dec = NULL;
    AVPacket *pkt = av_packet_alloc();
    AVFrame *f = av_frame_alloc();
    AVCodecParameters *par = in->fmt->streams[in->vidx]->codecpar;
    int ret, last_err = 0, sent = 0, pictures = 0, nread = 0;
    char text[AV_ERROR_MAX_STRING_SIZE] = "";

    if (!pkt || !f || avformat_open_input(&fmt, in->path, NULL, NULL) < 0 ||
        open_decoder(in, in->vidx, &dec, NULL) < 0)
        goto end;
    /* bounded in packets of every stream too: the video may be a rare stream */
    while (!pictures && sent < TRIAL_PACKETS && nread++ < 16 * TRIAL_PACKETS &&
           av_read_frame(fmt, pkt) >= 0) {
        if (pkt->stream_index == in->vidx) {
            sent++;
            if ((ret = avcodec_send_packet(dec, pkt)) < 0 && ret != AVERROR(EAGAIN))
                last_err = ret;
            while ((ret = avcodec_receive_frame(dec, f)) >= 0)
                pictures++;
            if (ret != AVERROR(EAGAIN) && ret != AVERROR_EOF)
                last_err = ret;
        }
        av_packet_unref(pkt);
    }
    if (!pictures && avcodec_send_packet(dec, NULL) >= 0)
        while (avcodec_receive_frame(dec, f) >= 0)
            pictures++;
    if (pictures)
        goto end; /* it decodes after all: the plan's own reason stands */
    if (last_err)
        av_strerror(last_err, text, sizeof(text));
    snprintf(in->video_error, sizeof(in->video_error), "%s%sno picture from %d packet%s%s", text,
             text[0] ? ": " : "", sent, sent == 1 ? "" : "s",
             (par->codec_id == AV_CODEC_ID_H264 || par->codec_id == AV_CODEC_ID_HEVC) &&
                     !par->extradata_size
                 ? ", no parameter set (SPS/PPS) found"
                 : "");
    if (in->video_error[0] >= 'A' && in->video_error[0] <= 'Z')
        in->video_error[0] = (char)(in->video_error[0] - 'A' + 'a');
end:
    avcodec_free_context(&dec);
    avformat_close_input(&fmt);
    av_packet_free(&pkt);
    av_frame_free(&f);
}

int sobre_input_open(Input **out, const char *path, const SobreLogger *logger, SobreError *err)
{
    Input *in = av_mallocz(sizeof(*in));
    int ret;

    *out = NULL;
    if (!in)
        return sobre_fail(err, AVERROR(ENOMEM), "out of memory");
    in->vidx = in->aidx = in->sidx = -1;
    in->logger = *logger;
    av_strlcpy(in->path, path, sizeof(in->path));
    sobre_buf_init(&in->subs);
    if ((ret = avformat_open_input(&in->fmt, path, NULL, NULL)) < 0) {
        sobre_fail_av(err, ret, "not a readable media file (or truncated)", path);
        goto fail;
    }
    if ((ret = avformat_find_stream_info(in->fmt, NULL)) < 0) {
        sobre_fail_av(err, ret, "cannot read the stream information", path);
        goto fail;
    }
    in->t0_us = in->fmt->start_time != AV_NOPTS_VALUE ? in->fmt->start_time : 0;
    sobre_timeline_init(&in->tl, !!(in->fmt->iformat->flags & AVFMT_TS_DISCONT));
    in->duration_s = in->fmt->duration > 0 ? in->fmt->duration / (double)AV_TIME_BASE : 0;
    *out = in;
    return 0;
fail:
    sobre_input_free(&in);
    return ret;
}

int sobre_input_streams(Input *in, const SobreProbeInfo *probe, const SobreSourceGeom *geom,
                        SobreError *err)
{
    AVFormatContext *fmt = in->fmt;
    int ret;

    in->geom = *geom;
    /* the streams probe described: what the report says is what gets encoded */
    in->vidx = probe->video ? probe->video->index : -1;
    in->aidx = probe->audio ? probe->audio->index : -1;
    in->sidx = -1;
    if (in->vidx >= (int)fmt->nb_streams || in->aidx >= (int)fmt->nb_streams)
        return sobre_fail(err, SOBRE_E_INVALID, "%s: the streams changed while it was read",
                          in->path);
    for (unsigned i = 0; i < fmt->nb_streams; i++)
        if (fmt->streams[i]->codecpar->codec_type == AVMEDIA_TYPE_SUBTITLE) {
            in->sidx = (int)i;
            break;
        }
    if (in->vidx < 0 && in->aidx < 0)
        return sobre_fail(err, SOBRE_E_NOMEDIA, "%s: no audio or video stream to encode", in->path);
    if (in->vidx >= 0) {
        if ((ret = open_decoder(in, in->vidx, &in->vdec, err)) < 0)
            return ret;
        if (probe->video->width <= 0 || probe->video->height <= 0)
            why_no_picture(in);
    }
    if (in->aidx >= 0 && (ret = open_decoder(in, in->aidx, &in->adec, err)) < 0)
        return ret;
    if (in->sidx >= 0) {
        AVDictionaryEntry *lang =
            av_dict_get(fmt->streams[in->sidx]->metadata, "language", NULL, 0);
        if (open_decoder(in, in->sidx, &in->sdec, NULL) < 0)
            avcodec_free_context(&in->sdec); /* bitmap or unknown subtitles: no captions */
        lang_to_bcp47(lang ? lang->value : NULL, in->sub_lang, sizeof(in->sub_lang));
    }
    return 0;
}

int sobre_input_set_tonemap(Input *in, const TonemapConfig *c, SobreError *err)
{
    sobre_tonemap_free(&in->tm);
    return sobre_tonemap_open(&in->tm, c, err);
}

void sobre_input_colour(const Input *in, int *primaries, int *trc, int *space)
{
    if (in->tm) {
        *primaries = AVCOL_PRI_BT709;
        *trc = AVCOL_TRC_BT709;
        *space = AVCOL_SPC_BT709;
        return;
    }
    /* The stream's tags as the container gives them, not the decoder's: the decoder's
     * change once it has decoded a picture (a VP8 stream: BT.601, once a picture is decoded), so
     * an encoder opened later (a segment's, a join's) would get other tags, and a
     * segment's H.264 headers would not be the join's. */
    const AVCodecParameters *par = in->vidx >= 0 ? in->fmt->streams[in->vidx]->codecpar : NULL;
    *primaries = par ? par->color_primaries : AVCOL_PRI_UNSPECIFIED;
    *trc = par ? par->color_trc : AVCOL_TRC_UNSPECIFIED;
    *space = par ? par->color_space : AVCOL_SPC_UNSPECIFIED;
}

void sobre_input_free(Input **inp)
{
    Input *in = inp ? *inp : NULL;
    if (!in)
        return;
    avcodec_free_context(&in->vdec);
    avcodec_free_context(&in->adec);
    avcodec_free_context(&in->sdec);
    avformat_close_input(&in->fmt);
    sws_freeContext(in->qsws);
    sobre_tonemap_free(&in->tm);
    av_frame_free(&in->poster_frame);
    sobre_buf_free(&in->subs);
    av_freep(inp);
}

static int64_t rel_us(const Input *in, int64_t ts, AVRational tb)
{
    return av_rescale_q(ts, tb, AV_TIME_BASE_Q) - in->t0_us;
}

/* Keeps, by reference, the most detailed frame seen at a few points of the video. */
static void poster_candidate(Input *in, AVFrame *f, double t)
{
    const AVPixFmtDescriptor *d = av_pix_fmt_desc_get(f->format);
    double mean, var, score;
    if (t < in->poster_next_s || !d || d->comp[0].depth != 8)
        return;
    in->poster_next_s = t + (in->duration_s > 0 ? in->duration_s / 8 : 2);
    sobre_plane_stats(f->data[0], f->linesize[0], f->width, f->height, 8, &mean, &var);
    score = var * (mean > 24 && mean < 232 ? 1 : 0.1); /* avoid black and white flashes */
    if (!in->poster_frame || score > in->poster_score) {
        av_frame_free(&in->poster_frame);
        in->poster_frame = av_frame_clone(f);
        in->poster_score = score;
    }
}

static int deinterlace(AVFrame *f, SobreError *err)
{
    const AVPixFmtDescriptor *d = av_pix_fmt_desc_get(f->format);
    int ret;
    if (!d || (d->flags & (AV_PIX_FMT_FLAG_PAL | AV_PIX_FMT_FLAG_BITSTREAM)) ||
        !(d->flags & AV_PIX_FMT_FLAG_PLANAR) || d->comp[0].depth != 8)
        return 0; /* only planar 8-bit is handled; others are encoded as they are */
    if ((ret = av_frame_make_writable(f)) < 0)
        return sobre_fail(err, ret, "out of memory");
    for (int p = 0; p < 4 && f->data[p]; p++) {
        int w = p == 1 || p == 2 ? AV_CEIL_RSHIFT(f->width, d->log2_chroma_w) : f->width;
        int h = p == 1 || p == 2 ? AV_CEIL_RSHIFT(f->height, d->log2_chroma_h) : f->height;
        sobre_plane_deinterlace(f->data[p], f->linesize[p], w, h);
    }
    return 0;
}

/* A windowed run: 1 = this frame is not sent (before the window's lead, or the seek
 * landed after the window's start: in->late, read again from further back). The first
 * frame at or past the end is sent, then the run stops. */
static int window_skip(Input *in, AVFrame *f)
{
    const InputSinks *k = in->sinks;
    if (!in->seen++ && !in->at_start && f->pts > k->from_us) {
        in->late = in->stop = 1;
        return 1;
    }
    if (f->pts < k->from_us - k->lead_us)
        return 1;
    if (f->pts >= k->to_us)
        in->stop = 1;
    return 0;
}

/* Every rung, the poster and the quality reference see the converted picture (SDR
 * BT.709); only the HDR rendition's queue gets the decoded one. */
static int fan_out(Input *in, AVFrame *f, AVFrame *pic, SobreError *err)
{
    int ret;
    if (ffc_frame_is_interlaced(pic) && (ret = deinterlace(pic, err)) < 0)
        return ret;
    if (!in->sinks->windowed || in->sinks->poster)
        poster_candidate(in, pic, pic->pts / 1e6);
    if (in->sinks->disp_w > 0 && in->sinks->nb_video) {
        /* the display view's reference, made once here for every rung */
        double c0 = sobre_clock_thread_cpu();
        AVFrame *disp;
        if ((ret = sobre_vq_display_picture(&in->qsws, pic, in->geom.rotation, in->sinks->disp_w,
                                            in->sinks->disp_h, &disp, err)) < 0 ||
            (ret = sobre_vq_attach(pic, disp, err)) < 0)
            return ret;
        in->qcpu_s += sobre_clock_thread_cpu() - c0;
    }
    for (int i = 0; i < in->sinks->nb_video; i++) {
        int decoded = in->sinks->video_hdr && in->sinks->video_hdr[i];
        AVFrame *ref = av_frame_clone(decoded ? f : pic);
        if (!ref)
            return sobre_fail(err, AVERROR(ENOMEM), "out of memory");
        if (sobre_queue_push(in->sinks->video[i], ref) < 0) {
            av_frame_free(&ref);
            return SOBRE_E_CANCELLED; /* that rendition failed or the job was cancelled */
        }
    }
    return 0;
}

static int on_video(Input *in, AVFrame *f, SobreError *err)
{
    AVStream *st = in->fmt->streams[in->vidx];
    int64_t ts = f->best_effort_timestamp;
    AVFrame *sdr = NULL;
    int ret;
    if (ts == AV_NOPTS_VALUE)
        ts = f->pts;
    if (ts == AV_NOPTS_VALUE) /* no timestamp at all: count frames at the nominal rate */
        f->pts = in->video_frames_in * (int64_t)(1e6 / (in->geom.fps > 0 ? in->geom.fps : 25));
    else
        f->pts = rel_us(in, ts, st->time_base);
    in->video_frames_in++;
    in->video_end_s = f->pts / 1e6;
    if (in->sinks->windowed && window_skip(in, f))
        return 0;
    if (in->tm && (ret = sobre_tonemap_frame(in->tm, f, &sdr, err)) < 0)
        return ret;
    ret = fan_out(in, f, sdr ? sdr : f, err);
    av_frame_free(&sdr);
    if (ret < 0)
        return ret;
    if (in->sinks->tick)
        in->sinks->tick(in->sinks->opaque, f->pts / 1e6);
    return 0;
}

static int on_audio(Input *in, AVFrame *f, SobreError *err)
{
    AVStream *st = in->fmt->streams[in->aidx];
    int64_t ts = f->best_effort_timestamp != AV_NOPTS_VALUE ? f->best_effort_timestamp : f->pts;
    int64_t us = ts != AV_NOPTS_VALUE ? rel_us(in, ts, st->time_base) : AV_NOPTS_VALUE;
    for (int i = 0; i < in->sinks->nb_audio; i++) {
        AudioEnc *ae = in->sinks->audio[i];
        int64_t at =
            us != AV_NOPTS_VALUE ? av_rescale(us, ae->set->sample_rate, 1000000) : AV_NOPTS_VALUE;
        int ret = sobre_aenc_send(ae, f, at, err);
        if (ret < 0)
            return ret;
    }
    return 0;
}

/* ASS event "ReadOrder,Layer,Style,Name,MarginL,MarginR,MarginV,Effect,Text" to text. */
static void ass_text(const char *ass, SobreBuf *out)
{
    const char *p = ass;
    for (int commas = 0; *p && commas < 8; p++)
        if (*p == ',')
            commas++;
    while (*p) {
        if (*p == '{') {
            const char *e = strchr(p, '}');
            if (e) {
                p = e + 1;
                continue;
            }
        }
        if (p[0] == '\\' && (p[1] == 'N' || p[1] == 'n')) {
            sobre_buf_puts(out, "\n");
            p += 2;
        } else if (p[0] == '\\' && p[1] == 'h') {
            sobre_buf_puts(out, " ");
            p += 2;
        } else if (*p != '\r') {
            sobre_buf_putn(out, p++, 1);
        } else {
            p++;
        }
    }
}

static void on_subtitle(Input *in, AVPacket *pkt)
{
    AVSubtitle sub;
    int got = 0;
    AVStream *st = in->fmt->streams[in->sidx];
    if (!in->sdec || avcodec_decode_subtitle2(in->sdec, &sub, &got, pkt) < 0 || !got)
        return;
    if (pkt->pts != AV_NOPTS_VALUE) {
        double start = rel_us(in, pkt->pts, st->time_base) / 1e6 + sub.start_display_time / 1e3;
        double end = pkt->duration > 0
                         ? start + av_rescale_q(pkt->duration, st->time_base, AV_TIME_BASE_Q) / 1e6
                         : start + (sub.end_display_time - sub.start_display_time) / 1e3;
        SobreBuf text;
        sobre_buf_init(&text);
        for (unsigned i = 0; i < sub.num_rects; i++) {
            AVSubtitleRect *r = sub.rects[i];
            if (text.len)
                sobre_buf_puts(&text, "\n");
            if (r->type == SUBTITLE_ASS && r->ass)
                ass_text(r->ass, &text);
            else if (r->type == SUBTITLE_TEXT && r->text)
                sobre_buf_puts(&text, r->text);
        }
        if (text.len) {
            if (!in->nb_cues)
                sobre_vtt_begin(&in->subs);
            sobre_vtt_cue(&in->subs, ++in->nb_cues, start, end > start ? end : start + 2,
                          sobre_buf_str(&text));
        }
        sobre_buf_free(&text);
    }
    avsubtitle_free(&sub);
}

static int decode(Input *in, AVCodecContext *dec, const AVPacket *pkt, AVFrame *f, SobreError *err)
{
    int ret = avcodec_send_packet(dec, pkt);
    if (ret == AVERROR_INVALIDDATA || (ret < 0 && ret != AVERROR_EOF && pkt)) {
        in->decode_errors++; /* a damaged packet: skip it, as players do */
        return 0;
    }
    while ((ret = avcodec_receive_frame(dec, f)) >= 0) {
        if (dec == in->vdec)
            ret = on_video(in, f, err);
        else
            ret = on_audio(in, f, err);
        av_frame_unref(f);
        if (ret < 0)
            return ret;
    }
    if (ret == AVERROR(EAGAIN) || ret == AVERROR_EOF)
        return 0;
    in->decode_errors++;
    return 0;
}

/* A packet's duration in microseconds; when the container does not say, one frame at the
 * nominal rate (video) or one codec frame (audio), so a closed jump leaves no overlap. */
static int64_t packet_us(const Input *in, const AVPacket *pkt, const AVStream *st)
{
    const AVCodecParameters *par = st->codecpar;
    if (pkt->duration > 0)
        return av_rescale_q(pkt->duration, st->time_base, AV_TIME_BASE_Q);
    if (par->codec_type == AVMEDIA_TYPE_VIDEO && in->geom.fps_num > 0 && in->geom.fps_den > 0)
        return av_rescale(AV_TIME_BASE, in->geom.fps_den, in->geom.fps_num);
    if (par->codec_type == AVMEDIA_TYPE_AUDIO && par->frame_size > 0 && par->sample_rate > 0)
        return av_rescale(par->frame_size, AV_TIME_BASE, par->sample_rate);
    return 0;
}

/* Joined recordings restart the clock of formats that allow it: the timeline analysis
 * (probe/timeline.h, the one probe reports with) closes such jumps, as ffmpeg does, so
 * the content goes on where it was for video, audio and captions alike. Smaller gaps are
 * missing data and stay: vrend.c repeats pictures, aenc.c pads silence. */
static void close_jump(Input *in, AVPacket *pkt)
{
    AVStream *st = in->fmt->streams[pkt->stream_index];
    int k = pkt->stream_index == in->vidx ? 0 : pkt->stream_index == in->aidx ? 1 : -1;
    int64_t shift, at = 0, delta;
    if (!in->tl.discont)
        return;
    if (k >= 0 && pkt->dts != AV_NOPTS_VALUE) {
        delta =
            sobre_timeline_packet(&in->tl, k, av_rescale_q(pkt->dts, st->time_base, AV_TIME_BASE_Q),
                                  1, packet_us(in, pkt, st), &at);
        if (delta)
            sobre_log(&in->logger, SOBRE_LOG_WARNING,
                      "%s: timestamps jump by %+.1f s at %.2f s (joined recordings?): the "
                      "content is joined without the gap",
                      in->path, delta / 1e6, (at - in->t0_us) / 1e6);
    }
    if (!in->tl.offset_us)
        return;
    shift = av_rescale_q(in->tl.offset_us, AV_TIME_BASE_Q, st->time_base);
    if (pkt->pts != AV_NOPTS_VALUE)
        pkt->pts += shift;
    if (pkt->dts != AV_NOPTS_VALUE)
        pkt->dts += shift;
}

/* After joining: the source lasts what its content lasts, not what its clock said. */
static void joined_duration(Input *in)
{
    int64_t end = SOBRE_TS_NONE;
    for (int k = 0; k < 2; k++)
        if (in->tl.next_us[k] != SOBRE_TS_NONE && (end == SOBRE_TS_NONE || in->tl.next_us[k] > end))
            end = in->tl.next_us[k];
    if (!in->tl.nb_jumps || end == SOBRE_TS_NONE || end <= in->t0_us)
        return;
    in->duration_s = (end - in->t0_us) / 1e6;
}

/* Said once: every audio setting follows the same timestamps. */
static void audio_summary(Input *in)
{
    for (int i = 0; i < in->sinks->nb_audio; i++) {
        AudioEnc *ae = in->sinks->audio[i];
        if (!ae->padded && !ae->dropped)
            continue;
        sobre_log(&in->logger, SOBRE_LOG_INFO,
                  "%s: audio follows the timestamps: %.2f s of silence put in gaps, %.2f s "
                  "of overlap dropped",
                  in->path, ae->padded / (double)ae->set->sample_rate,
                  ae->dropped / (double)ae->set->sample_rate);
        return;
    }
}

/* Reads packets until the end, an error, or a windowed run's stop. */
static int read_packets(Input *in, AVPacket *pkt, AVFrame *f, SobreError *err)
{
    const InputSinks *sinks = in->sinks;
    int ret = 0, r, video = sinks->nb_video || (sinks->windowed && sinks->poster);
    while ((r = av_read_frame(in->fmt, pkt)) >= 0) {
        if (atomic_load(sinks->cancel)) {
            av_packet_unref(pkt);
            return SOBRE_E_CANCELLED;
        }
        close_jump(in, pkt);
        if (pkt->stream_index == in->vidx && video)
            ret = decode(in, in->vdec, pkt, f, err);
        else if (pkt->stream_index == in->aidx && sinks->nb_audio)
            ret = decode(in, in->adec, pkt, f, err);
        else if (pkt->stream_index == in->sidx && !sinks->windowed)
            on_subtitle(in, pkt);
        av_packet_unref(pkt);
        if (ret < 0 || in->stop)
            return ret;
    }
    if (r != AVERROR_EOF)
        sobre_log(&in->logger, SOBRE_LOG_WARNING,
                  "%s: reading stopped early (%s); encoding "
                  "what was read",
                  in->path, av_err2str(r));
    if (video && in->vdec)
        ret = decode(in, in->vdec, NULL, f, err);
    if (ret == 0 && in->adec && sinks->nb_audio)
        ret = decode(in, in->adec, NULL, f, err);
    return ret;
}

/* A windowed run starts from a keyframe before its window: seek there, and when the
 * demuxer lands after the window's start (an imprecise index), further back. */
static int read_window(Input *in, AVPacket *pkt, AVFrame *f, SobreError *err)
{
    const InputSinks *k = in->sinks;
    int64_t back = k->lead_us;
    for (;;) {
        int64_t pos = k->from_us - back;
        int ret;
        in->at_start = pos <= 0;
        if (av_seek_frame(in->fmt, -1, (pos > 0 ? pos : 0) + in->t0_us, AVSEEK_FLAG_BACKWARD) < 0 &&
            !in->at_start)
            in->at_start = 1, av_seek_frame(in->fmt, -1, in->t0_us, AVSEEK_FLAG_BACKWARD);
        if (in->vdec)
            avcodec_flush_buffers(in->vdec);
        in->stop = in->late = in->seen = 0;
        in->poster_next_s = k->from_us / 1e6;
        ret = read_packets(in, pkt, f, err);
        if (ret < 0 || !in->late)
            return ret;
        back = back * 4 + 2 * AV_TIME_BASE;
    }
}

int sobre_input_run(Input *in, const InputSinks *sinks, SobreError *err)
{
    AVPacket *pkt = av_packet_alloc();
    AVFrame *f = av_frame_alloc();
    int ret = 0;

    in->sinks = sinks;
    if (!pkt || !f) {
        ret = sobre_fail(err, AVERROR(ENOMEM), "out of memory");
        goto end;
    }
    if (sinks->windowed) {
        ret = read_window(in, pkt, f, err);
        goto end;
    }
    ret = read_packets(in, pkt, f, err);
    for (int i = 0; ret == 0 && i < sinks->nb_audio; i++)
        ret = sobre_aenc_flush(sinks->audio[i], err);
    if (ret == 0) {
        joined_duration(in);
        audio_summary(in);
    }
end:
    in->sinks = NULL;
    av_packet_free(&pkt);
    av_frame_free(&f);
    return ret;
}

int sobre_input_first_video(Input *in, int64_t *us, SobreError *err)
{
    AVPacket *pkt = av_packet_alloc();
    AVFrame *f = av_frame_alloc();
    int ret = 0, got = 0;
    *us = 0;
    if (!pkt || !f) {
        ret = sobre_fail(err, AVERROR(ENOMEM), "out of memory");
        goto end;
    }
    if (in->vidx < 0 || !in->vdec)
        goto end;
    while (!got && av_read_frame(in->fmt, pkt) >= 0) {
        if (pkt->stream_index == in->vidx && avcodec_send_packet(in->vdec, pkt) >= 0)
            got = avcodec_receive_frame(in->vdec, f) >= 0;
        av_packet_unref(pkt);
    }
    if (!got && avcodec_send_packet(in->vdec, NULL) >= 0)
        got = avcodec_receive_frame(in->vdec, f) >= 0;
    if (got) { /* on_video's rule */
        int64_t ts = f->best_effort_timestamp != AV_NOPTS_VALUE ? f->best_effort_timestamp : f->pts;
        if (ts != AV_NOPTS_VALUE)
            *us = rel_us(in, ts, in->fmt->streams[in->vidx]->time_base);
    }
end:
    av_packet_free(&pkt);
    av_frame_free(&f);
    return ret;
}
