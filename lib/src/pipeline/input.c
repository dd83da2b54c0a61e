/* The master: opened once, demuxed and decoded once. Video frames go by reference to
 * every rendition queue (deinterlaced first when flagged interlaced), audio frames to
 * each distinct audio encoder, text subtitles become WebVTT cues. Timestamps leave here
 * in microseconds from the start of the input, so every output starts at zero with the
 * source's A/V offset kept, and with the clock jumps of joined MPEG-TS recordings closed. */
#include <errno.h>
#include <math.h>
#include <string.h>
#include <time.h>

#include <libavutil/pixdesc.h>

#include "clock.h"
#include "encode_int.h"
#include "ffcompat.h"
#include "planes.h"
#include "timeline.h"
#include "vquality.h"
#include "vtt.h"

#define TRIAL_PACKETS 256 /* packets tried to learn why a video stream has no picture */

static int open_decoder(struct SobreEncodeJob *job, int idx, AVCodecContext **out, SobreError *err)
{
    AVStream *st = job->ifmt->streams[idx];
    const AVCodec *c = avcodec_find_decoder(st->codecpar->codec_id);
    int ret;
    if (!c)
        return sobre_fail(err, SOBRE_E_UNSUPPORTED, "%s: stream %d: no decoder for codec '%s'",
                          job->input, idx, avcodec_get_name(st->codecpar->codec_id));
    if (!(*out = avcodec_alloc_context3(c)))
        return sobre_fail(err, AVERROR(ENOMEM), "out of memory");
    if ((ret = avcodec_parameters_to_context(*out, st->codecpar)) < 0)
        return sobre_fail_av(err, ret, "bad stream parameters", job->input);
    (*out)->pkt_timebase = st->time_base;
    (*out)->thread_count = 1; /* decoding is ~2 % of the work; keep cores for the encoders */
    if ((ret = avcodec_open2(*out, c, NULL)) < 0)
        return sobre_fail_av(err, ret, "cannot open the decoder", job->input);
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
 * A fresh reader tries the first packets to say why, in job->video_error, so that the
 * plan names it instead of "the input has no video". */
static void why_no_picture(struct SobreEncodeJob *job)
{
    AVFormatContext *fmt = NULL;
    AVCodecContext *dec = NULL;
    AVPacket *pkt = av_packet_alloc();
    AVFrame *f = av_frame_alloc();
    AVCodecParameters *par = job->ifmt->streams[job->vidx]->codecpar;
    int ret, last_err = 0, sent = 0, pictures = 0, nread = 0;
    char text[AV_ERROR_MAX_STRING_SIZE] = "";

    if (!pkt || !f || avformat_open_input(&fmt, job->input, NULL, NULL) < 0 ||
        open_decoder(job, job->vidx, &dec, NULL) < 0)
        goto end;
    /* bounded in packets of every stream too: the video may be a rare stream */
    while (!pictures && sent < TRIAL_PACKETS && nread++ < 16 * TRIAL_PACKETS &&
           av_read_frame(fmt, pkt) >= 0) {
        if (pkt->stream_index == job->vidx) {
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
    snprintf(job->video_error, sizeof(job->video_error), "%s%sno picture from %d packet%s%s", text,
             text[0] ? ": " : "", sent, sent == 1 ? "" : "s",
             (par->codec_id == AV_CODEC_ID_H264 || par->codec_id == AV_CODEC_ID_HEVC) &&
                     !par->extradata_size
                 ? ", no parameter set (SPS/PPS) found"
                 : "");
    if (job->video_error[0] >= 'A' && job->video_error[0] <= 'Z')
        job->video_error[0] = (char)(job->video_error[0] - 'A' + 'a');
end:
    avcodec_free_context(&dec);
    avformat_close_input(&fmt);
    av_packet_free(&pkt);
    av_frame_free(&f);
}

int sobre_input_open(struct SobreEncodeJob *job, SobreError *err)
{
    AVFormatContext *fmt = NULL;
    int ret;

    if ((ret = avformat_open_input(&fmt, job->input, NULL, NULL)) < 0)
        return sobre_fail_av(err, ret, "not a readable media file (or truncated)", job->input);
    job->ifmt = fmt;
    if ((ret = avformat_find_stream_info(fmt, NULL)) < 0)
        return sobre_fail_av(err, ret, "cannot read the stream information", job->input);
    job->t0_us = fmt->start_time != AV_NOPTS_VALUE ? fmt->start_time : 0;
    sobre_timeline_init(&job->tl, !!(fmt->iformat->flags & AVFMT_TS_DISCONT));
    job->duration_s = fmt->duration > 0 ? fmt->duration / (double)AV_TIME_BASE : 0;
    return 0;
}

int sobre_input_streams(struct SobreEncodeJob *job, const SobreProbeInfo *probe, SobreError *err)
{
    AVFormatContext *fmt = job->ifmt;
    int ret;

    /* the streams probe described: what the report says is what gets encoded */
    job->vidx = probe->video ? probe->video->index : -1;
    job->aidx = probe->audio ? probe->audio->index : -1;
    job->sidx = -1;
    if (job->vidx >= (int)fmt->nb_streams || job->aidx >= (int)fmt->nb_streams)
        return sobre_fail(err, SOBRE_E_INVALID, "%s: the streams changed while it was read",
                          job->input);
    for (unsigned i = 0; i < fmt->nb_streams; i++)
        if (fmt->streams[i]->codecpar->codec_type == AVMEDIA_TYPE_SUBTITLE) {
            job->sidx = (int)i;
            break;
        }
    if (job->vidx < 0 && job->aidx < 0)
        return sobre_fail(err, SOBRE_E_NOMEDIA, "%s: no audio or video stream to encode",
                          job->input);
    if (job->vidx >= 0) {
        if ((ret = open_decoder(job, job->vidx, &job->vdec, err)) < 0)
            return ret;
        if (probe->video->width <= 0 || probe->video->height <= 0)
            why_no_picture(job);
    }
    if (job->aidx >= 0 && (ret = open_decoder(job, job->aidx, &job->adec, err)) < 0)
        return ret;
    if (job->sidx >= 0) {
        AVDictionaryEntry *lang =
            av_dict_get(fmt->streams[job->sidx]->metadata, "language", NULL, 0);
        if (open_decoder(job, job->sidx, &job->sdec, NULL) < 0)
            avcodec_free_context(&job->sdec); /* bitmap or unknown subtitles: no captions */
        lang_to_bcp47(lang ? lang->value : NULL, job->sub_lang, sizeof(job->sub_lang));
    }
    return 0;
}

void sobre_input_close(struct SobreEncodeJob *job)
{
    avcodec_free_context(&job->vdec);
    avcodec_free_context(&job->adec);
    avcodec_free_context(&job->sdec);
    avformat_close_input(&job->ifmt);
    sws_freeContext(job->qsws);
    job->qsws = NULL;
}

static int64_t rel_us(const struct SobreEncodeJob *job, int64_t ts, AVRational tb)
{
    return av_rescale_q(ts, tb, AV_TIME_BASE_Q) - job->t0_us;
}

static void progress(struct SobreEncodeJob *job, int final)
{
    double now = sobre_clock_wall();
    SobreEncodeProgress p;
    long long done = -1;
    if (!job->progress || (!final && now - job->last_progress < 0.25))
        return;
    job->last_progress = now;
    for (int i = 0; i < job->nb_vr; i++) {
        long long d = atomic_load(&job->vr[i]->done_us);
        if (done < 0 || d < done)
            done = d;
    }
    memset(&p, 0, sizeof(p));
    p.done_s = final ? job->duration_s : (done < 0 ? job->video_end_s : done / 1e6);
    p.total_s = job->duration_s;
    p.elapsed_s = now - job->run_start;
    p.renditions = job->pending;
    p.stage = "encode";
    job->progress(job->progress_opaque, &p);
}

/* Keeps, by reference, the most detailed frame seen at a few points of the video. */
static void poster_candidate(struct SobreEncodeJob *job, AVFrame *f, double t)
{
    const AVPixFmtDescriptor *d = av_pix_fmt_desc_get(f->format);
    double mean, var, score;
    if (t < job->poster_next_s || !d || d->comp[0].depth != 8)
        return;
    job->poster_next_s = t + (job->duration_s > 0 ? job->duration_s / 8 : 2);
    sobre_plane_stats(f->data[0], f->linesize[0], f->width, f->height, 8, &mean, &var);
    score = var * (mean > 24 && mean < 232 ? 1 : 0.1); /* avoid black and white flashes */
    if (!job->poster_frame || score > job->poster_score) {
        av_frame_free(&job->poster_frame);
        job->poster_frame = av_frame_clone(f);
        job->poster_score = score;
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

static int on_video(struct SobreEncodeJob *job, AVFrame *f, SobreError *err)
{
    AVStream *st = job->ifmt->streams[job->vidx];
    int64_t ts = f->best_effort_timestamp;
    int ret;
    if (ts == AV_NOPTS_VALUE)
        ts = f->pts;
    if (ts == AV_NOPTS_VALUE) /* no timestamp at all: count frames at the nominal rate */
        f->pts = job->video_frames_in * (int64_t)(1e6 / (job->geom.fps > 0 ? job->geom.fps : 25));
    else
        f->pts = rel_us(job, ts, st->time_base);
    job->video_frames_in++;
    job->video_end_s = f->pts / 1e6;
    if (ffc_frame_is_interlaced(f) && (ret = deinterlace(f, err)) < 0)
        return ret;
    poster_candidate(job, f, f->pts / 1e6);
    if (job->quality && job->disp_w > 0 && job->nb_vr) {
        /* the display view's reference, made once here for every rung */
        double c0 = sobre_clock_thread_cpu();
        AVFrame *pic;
        if ((ret = sobre_vq_display_picture(&job->qsws, f, job->geom.rotation, job->disp_w,
                                            job->disp_h, &pic, err)) < 0 ||
            (ret = sobre_vq_attach(f, pic, err)) < 0)
            return ret;
        job->qcpu_s += sobre_clock_thread_cpu() - c0;
    }
    for (int i = 0; i < job->nb_vr; i++) {
        AVFrame *ref = av_frame_clone(f);
        if (!ref)
            return sobre_fail(err, AVERROR(ENOMEM), "out of memory");
        if (sobre_queue_push(job->vr[i]->frames, ref) < 0) {
            av_frame_free(&ref);
            return SOBRE_E_CANCELLED; /* that rendition failed or the job was cancelled */
        }
    }
    progress(job, 0);
    return 0;
}

static int on_audio(struct SobreEncodeJob *job, AVFrame *f, SobreError *err)
{
    AVStream *st = job->ifmt->streams[job->aidx];
    int64_t ts = f->best_effort_timestamp != AV_NOPTS_VALUE ? f->best_effort_timestamp : f->pts;
    int64_t us = ts != AV_NOPTS_VALUE ? rel_us(job, ts, st->time_base) : AV_NOPTS_VALUE;
    for (int i = 0; i < job->nb_ae; i++) {
        int64_t at = us != AV_NOPTS_VALUE ? av_rescale(us, job->ae[i]->set->sample_rate, 1000000)
                                          : AV_NOPTS_VALUE;
        int ret = sobre_aenc_send(job->ae[i], f, at, err);
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

static void on_subtitle(struct SobreEncodeJob *job, AVPacket *pkt)
{
    AVSubtitle sub;
    int got = 0;
    AVStream *st = job->ifmt->streams[job->sidx];
    if (!job->sdec || avcodec_decode_subtitle2(job->sdec, &sub, &got, pkt) < 0 || !got)
        return;
    if (pkt->pts != AV_NOPTS_VALUE) {
        double start = rel_us(job, pkt->pts, st->time_base) / 1e6 + sub.start_display_time / 1e3;
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
            if (!job->nb_cues)
                sobre_vtt_begin(&job->subs);
            sobre_vtt_cue(&job->subs, ++job->nb_cues, start, end > start ? end : start + 2,
                          sobre_buf_str(&text));
        }
        sobre_buf_free(&text);
    }
    avsubtitle_free(&sub);
}

static int decode(struct SobreEncodeJob *job, AVCodecContext *dec, const AVPacket *pkt, AVFrame *f,
                  SobreError *err)
{
    int ret = avcodec_send_packet(dec, pkt);
    if (ret == AVERROR_INVALIDDATA || (ret < 0 && ret != AVERROR_EOF && pkt)) {
        job->decode_errors++; /* a damaged packet: skip it, as players do */
        return 0;
    }
    while ((ret = avcodec_receive_frame(dec, f)) >= 0) {
        if (dec == job->vdec)
            ret = on_video(job, f, err);
        else
            ret = on_audio(job, f, err);
        av_frame_unref(f);
        if (ret < 0)
            return ret;
    }
    if (ret == AVERROR(EAGAIN) || ret == AVERROR_EOF)
        return 0;
    job->decode_errors++;
    return 0;
}

/* A packet's duration in microseconds; when the container does not say, one frame at the
 * nominal rate (video) or one codec frame (audio), so a closed jump leaves no overlap. */
static int64_t packet_us(const struct SobreEncodeJob *job, const AVPacket *pkt, const AVStream *st)
{
    const AVCodecParameters *par = st->codecpar;
    if (pkt->duration > 0)
        return av_rescale_q(pkt->duration, st->time_base, AV_TIME_BASE_Q);
    if (par->codec_type == AVMEDIA_TYPE_VIDEO && job->geom.fps_num > 0 && job->geom.fps_den > 0)
        return av_rescale(AV_TIME_BASE, job->geom.fps_den, job->geom.fps_num);
    if (par->codec_type == AVMEDIA_TYPE_AUDIO && par->frame_size > 0 && par->sample_rate > 0)
        return av_rescale(par->frame_size, AV_TIME_BASE, par->sample_rate);
    return 0;
}

/* Joined recordings restart the clock of formats that allow it: the timeline analysis
 * (probe/timeline.h, the one probe reports with) closes such jumps, as ffmpeg does, so
 * the content goes on where it was for video, audio and captions alike. Smaller gaps are
 * missing data and stay: vrend.c repeats pictures, aenc.c pads silence. */
static void close_jump(struct SobreEncodeJob *job, AVPacket *pkt)
{
    AVStream *st = job->ifmt->streams[pkt->stream_index];
    int k = pkt->stream_index == job->vidx ? 0 : pkt->stream_index == job->aidx ? 1 : -1;
    int64_t shift, at = 0, delta;
    if (!job->tl.discont)
        return;
    if (k >= 0 && pkt->dts != AV_NOPTS_VALUE) {
        delta = sobre_timeline_packet(&job->tl, k,
                                      av_rescale_q(pkt->dts, st->time_base, AV_TIME_BASE_Q), 1,
                                      packet_us(job, pkt, st), &at);
        if (delta)
            sobre_log(&job->logger, SOBRE_LOG_WARNING,
                      "%s: timestamps jump by %+.1f s at %.2f s (joined recordings?): the "
                      "content is joined without the gap",
                      job->input, delta / 1e6, (at - job->t0_us) / 1e6);
    }
    if (!job->tl.offset_us)
        return;
    shift = av_rescale_q(job->tl.offset_us, AV_TIME_BASE_Q, st->time_base);
    if (pkt->pts != AV_NOPTS_VALUE)
        pkt->pts += shift;
    if (pkt->dts != AV_NOPTS_VALUE)
        pkt->dts += shift;
}

/* After joining: the source lasts what its content lasts, not what its clock said. */
static void joined_duration(struct SobreEncodeJob *job)
{
    int64_t end = SOBRE_TS_NONE;
    for (int k = 0; k < 2; k++)
        if (job->tl.next_us[k] != SOBRE_TS_NONE &&
            (end == SOBRE_TS_NONE || job->tl.next_us[k] > end))
            end = job->tl.next_us[k];
    if (!job->tl.nb_jumps || end == SOBRE_TS_NONE || end <= job->t0_us)
        return;
    job->duration_s = (end - job->t0_us) / 1e6;
    if (job->report)
        job->report->source.duration_s = job->duration_s;
}

/* Said once: every audio setting follows the same timestamps. */
static void audio_summary(struct SobreEncodeJob *job)
{
    for (int i = 0; i < job->nb_ae; i++) {
        AudioEnc *ae = job->ae[i];
        if (!ae->padded && !ae->dropped)
            continue;
        sobre_log(&job->logger, SOBRE_LOG_INFO,
                  "%s: audio follows the timestamps: %.2f s of silence put in gaps, %.2f s "
                  "of overlap dropped",
                  job->input, ae->padded / (double)ae->set->sample_rate,
                  ae->dropped / (double)ae->set->sample_rate);
        return;
    }
}

int sobre_input_run(struct SobreEncodeJob *job, SobreError *err)
{
    AVPacket *pkt = av_packet_alloc();
    AVFrame *f = av_frame_alloc();
    int ret = 0, r;

    if (!pkt || !f) {
        ret = sobre_fail(err, AVERROR(ENOMEM), "out of memory");
        goto end;
    }
    while ((r = av_read_frame(job->ifmt, pkt)) >= 0) {
        if (atomic_load(&job->cancel)) {
            ret = SOBRE_E_CANCELLED;
            break;
        }
        close_jump(job, pkt);
        if (pkt->stream_index == job->vidx && job->nb_vr)
            ret = decode(job, job->vdec, pkt, f, err);
        else if (pkt->stream_index == job->aidx && job->nb_ae)
            ret = decode(job, job->adec, pkt, f, err);
        else if (pkt->stream_index == job->sidx)
            on_subtitle(job, pkt);
        av_packet_unref(pkt);
        if (ret < 0)
            break;
    }
    if (ret == 0 && r != AVERROR_EOF)
        sobre_log(&job->logger, SOBRE_LOG_WARNING,
                  "%s: reading stopped early (%s); encoding "
                  "what was read",
                  job->input, av_err2str(r));
    if (ret == 0 && job->vdec && job->nb_vr)
        ret = decode(job, job->vdec, NULL, f, err);
    if (ret == 0 && job->adec && job->nb_ae)
        ret = decode(job, job->adec, NULL, f, err);
    for (int i = 0; ret == 0 && i < job->nb_ae; i++)
        ret = sobre_aenc_flush(job->ae[i], err);
    if (ret == 0) {
        joined_duration(job);
        audio_summary(job);
        progress(job, 1);
    }
end:
    av_packet_free(&pkt);
    av_frame_free(&f);
    return ret;
}
