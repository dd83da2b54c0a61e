/* See media_check.h. Timestamps are read from the packets (what a player sees), frame
 * counts and errors from a full decode with error detection on. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>

#include "media_check.h"

static AVCodecContext *open_dec(AVStream *st)
{
    const AVCodec *c = avcodec_find_decoder(st->codecpar->codec_id);
    AVCodecContext *d = c ? avcodec_alloc_context3(c) : NULL;
    if (!d || avcodec_parameters_to_context(d, st->codecpar) < 0)
        goto fail;
    d->pkt_timebase = st->time_base;
    d->err_recognition = AV_EF_EXPLODE;
    if (avcodec_open2(d, c, NULL) < 0)
        goto fail;
    return d;
fail:
    avcodec_free_context(&d);
    return NULL;
}

static void drain(AVCodecContext *d, AVFrame *f, MediaInfo *mi, int video)
{
    int r;
    while ((r = avcodec_receive_frame(d, f)) >= 0) {
        if (video)
            mi->video_frames++;
        if (f->decode_error_flags)
            mi->decode_errors++;
        av_frame_unref(f);
    }
    if (r != AVERROR(EAGAIN) && r != AVERROR_EOF)
        mi->decode_errors++;
}

int media_check(const char *path, MediaInfo *mi)
{
    AVFormatContext *fmt = NULL;
    AVCodecContext *vd = NULL, *ad = NULL;
    AVPacket *pkt = av_packet_alloc();
    AVFrame *f = av_frame_alloc();
    int vi = -1, ai = -1;
    long vpk = 0;
    double vsum = 0;

    memset(mi, 0, sizeof(*mi));
    mi->video_start = mi->audio_start = NAN;
    if (avformat_open_input(&fmt, path, NULL, NULL) < 0 || avformat_find_stream_info(fmt, NULL) < 0)
        goto end;
    vi = av_find_best_stream(fmt, AVMEDIA_TYPE_VIDEO, -1, -1, NULL, 0);
    ai = av_find_best_stream(fmt, AVMEDIA_TYPE_AUDIO, -1, -1, NULL, 0);
    if (vi >= 0) {
        AVCodecParameters *p = fmt->streams[vi]->codecpar;
        snprintf(mi->vcodec, sizeof(mi->vcodec), "%s", avcodec_get_name(p->codec_id));
        mi->width = p->width;
        mi->height = p->height;
        vd = open_dec(fmt->streams[vi]);
    }
    if (ai >= 0) {
        AVCodecParameters *p = fmt->streams[ai]->codecpar;
        snprintf(mi->acodec, sizeof(mi->acodec), "%s", avcodec_get_name(p->codec_id));
        mi->channels = p->ch_layout.nb_channels;
        ad = open_dec(fmt->streams[ai]);
    }
    while (av_read_frame(fmt, pkt) >= 0) {
        AVStream *st = fmt->streams[pkt->stream_index];
        double t = pkt->pts == AV_NOPTS_VALUE ? NAN : pkt->pts * av_q2d(st->time_base);
        double d = pkt->duration * av_q2d(st->time_base);
        if (pkt->stream_index == vi) {
            if (isnan(mi->video_start) || t < mi->video_start)
                mi->video_start = t;
            if (t + d > mi->video_end)
                mi->video_end = t + d;
            if ((pkt->flags & AV_PKT_FLAG_KEY) && mi->nb_keys < MC_MAX_KEYS)
                mi->keys[mi->nb_keys++] = t;
            vsum += d;
            vpk++;
            if (vd && avcodec_send_packet(vd, pkt) < 0)
                mi->decode_errors++;
            if (vd)
                drain(vd, f, mi, 1);
        } else if (pkt->stream_index == ai) {
            if (isnan(mi->audio_start) || t < mi->audio_start)
                mi->audio_start = t;
            if (t + d > mi->audio_end)
                mi->audio_end = t + d;
            if (ad && avcodec_send_packet(ad, pkt) < 0)
                mi->decode_errors++;
            if (ad)
                drain(ad, f, mi, 0);
        }
        av_packet_unref(pkt);
    }
    if (vd && avcodec_send_packet(vd, NULL) >= 0)
        drain(vd, f, mi, 1);
    if (ad && avcodec_send_packet(ad, NULL) >= 0)
        drain(ad, f, mi, 0);
    mi->frame_dur = vpk ? vsum / vpk : 0;
    mi->ok = 1;
end:
    avcodec_free_context(&vd);
    avcodec_free_context(&ad);
    avformat_close_input(&fmt);
    av_packet_free(&pkt);
    av_frame_free(&f);
    return mi->ok ? 0 : -1;
}
