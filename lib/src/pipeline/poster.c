/* The poster: the most detailed of a few frames kept during decoding, scaled to the size
 * the site displays (at most 640x360, never upscaled) and encoded as WebP, lowering the
 * quality until it fits the page budget (RGESN 5.1/6.4: <= 15 KB each, and 12 of them
 * per page within 150 KB: 10 KB is the aim). */
#include <errno.h>
#include <stdio.h>

#include <math.h>
#include <string.h>

#include <libavcodec/avcodec.h>
#include <libavutil/imgutils.h>
#include <libavutil/opt.h>
#include <libswscale/swscale.h>

#include "avhelp.h"
#include "planes.h"
#include "poster.h"

#define POSTER_MAX_BYTES 10000 /* 12 posters per page must fit the 150 KB page budget */

static int encode_webp(const AVFrame *pic, int quality, AVPacket *pkt, SobreError *err)
{
    const AVCodec *c = avcodec_find_encoder_by_name("libwebp");
    AVCodecContext *e;
    int ret;
    if (!c)
        return sobre_fail(err, SOBRE_E_UNSUPPORTED, "this FFmpeg has no WebP encoder (libwebp)");
    if (!(e = avcodec_alloc_context3(c)))
        return sobre_fail(err, AVERROR(ENOMEM), "out of memory");
    e->width = pic->width;
    e->height = pic->height;
    e->pix_fmt = AV_PIX_FMT_YUV420P;
    e->time_base = (AVRational){1, 25};
    av_opt_set_int(e->priv_data, "quality", quality, 0);
    av_opt_set(e->priv_data, "preset", "photo", 0);
    e->compression_level = 6;
    ret = avcodec_open2(e, c, NULL);
    if (ret >= 0)
        ret = avcodec_send_frame(e, pic);
    if (ret >= 0)
        ret = avcodec_send_frame(e, NULL);
    if (ret >= 0)
        ret = avcodec_receive_packet(e, pkt);
    avcodec_free_context(&e);
    if (ret < 0)
        return sobre_fail_av(err, ret, "cannot encode the poster", NULL);
    return 0;
}

int sobre_poster_write(const AVFrame *src, const SobreSourceGeom *geom, const char *path,
                       int *width, int *height, int64_t *bytes, SobreError *err)
{
    struct SwsContext *sws = NULL;
    AVFrame *scaled = av_frame_alloc(), *pic = av_frame_alloc();
    AVPacket *pkt = av_packet_alloc();
    int dw, dh, w, h, ret;
    double k;
    FILE *f;

    if (!scaled || !pic || !pkt) {
        ret = sobre_fail(err, AVERROR(ENOMEM), "out of memory");
        goto end;
    }
    sobre_source_display_size(geom, &dw, &dh);
    k = fmin(1.0, fmin(640.0 / dw, 360.0 / dh));
    w = ((int)lrint(dw * k) + 1) & ~1;
    h = ((int)lrint(dh * k) + 1) & ~1;
    /* scale in the stored orientation, rotate after */
    scaled->width = geom->rotation == 90 || geom->rotation == 270 ? h : w;
    scaled->height = geom->rotation == 90 || geom->rotation == 270 ? w : h;
    scaled->format = pic->format = AV_PIX_FMT_YUV420P;
    pic->width = w;
    pic->height = h;
    if ((ret = av_frame_get_buffer(scaled, 0)) < 0 || (ret = av_frame_get_buffer(pic, 0)) < 0) {
        sobre_fail(err, ret, "out of memory");
        goto end;
    }
    sws = sws_getContext(src->width, src->height, src->format, scaled->width, scaled->height,
                         AV_PIX_FMT_YUV420P, SWS_BICUBIC, NULL, NULL, NULL);
    if (!sws) {
        ret = sobre_fail(err, SOBRE_E_UNSUPPORTED, "cannot scale the poster frame");
        goto end;
    }
    sws_scale(sws, (const uint8_t *const *)src->data, src->linesize, 0, src->height, scaled->data,
              scaled->linesize);
    for (int p = 0; p < 3; p++) {
        int pw = p ? (scaled->width + 1) / 2 : scaled->width;
        int ph = p ? (scaled->height + 1) / 2 : scaled->height;
        if (geom->rotation == 90 || geom->rotation == 180 || geom->rotation == 270)
            sobre_plane_rotate(scaled->data[p], scaled->linesize[p], pw, ph, pic->data[p],
                               pic->linesize[p], geom->rotation);
        else
            av_image_copy_plane(pic->data[p], pic->linesize[p], scaled->data[p],
                                scaled->linesize[p], pw, ph);
    }
    for (int q = 70;; q -= 10) {
        av_packet_unref(pkt);
        if ((ret = encode_webp(pic, q, pkt, err)) < 0)
            goto end;
        if (pkt->size <= POSTER_MAX_BYTES || q <= 10)
            break;
    }
    if (!(f = fopen(path, "wb"))) {
        ret = sobre_fail(err, AVERROR(errno), "%s: cannot create: %s", path, strerror(errno));
        goto end;
    }
    if (fwrite(pkt->data, 1, pkt->size, f) != (size_t)pkt->size || fclose(f) != 0) {
        ret = sobre_fail(err, AVERROR(EIO), "%s: cannot write", path);
        goto end;
    }
    *width = w;
    *height = h;
    *bytes = pkt->size;
    ret = 0;
end:
    sws_freeContext(sws);
    av_frame_free(&scaled);
    av_frame_free(&pic);
    av_packet_free(&pkt);
    return ret;
}
