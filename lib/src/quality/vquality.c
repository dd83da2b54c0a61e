/* The decode check and SSIM/PSNR of a rendition while it is encoded: a decoder fed with
 * each output packet (strict: an error fails the rendition), and, when measuring, a FIFO
 * of the pictures sent to the encoder (own view) and of the source's display pictures
 * (display view) and one lean accumulator per view. Frames pair by index: the decoder
 * restores display order, so reordering encoders (x264 B-frames) pair too. */
#include <errno.h>
#include <math.h>
#include <string.h>
#include <time.h>

#include <libavutil/pixdesc.h>

#include "error.h"
#include "planes.h"
#include "clock.h"
#include "avhelp.h"
#include "metrics_internal.h"
#include "vquality.h"

typedef struct Pending {
    AVFrame *own;      /* what the encoder got (a reference) */
    AVBufferRef *disp; /* the source's display picture (opaque_ref of the source frame) */
} Pending;

struct VQuality {
    char id[64];
    int measure;                /* 0: decode check only */
    int enc_w, enc_h;           /* what every decoded frame must be */
    enum AVPixelFormat enc_fmt; /* yuv420p, or yuv420p10le for the HDR rendition */
    int64_t frames;             /* frames the new stream decoded to */
    AVCodecContext *dec;
    AVFrame *decoded, *up;
    struct SwsContext *sws;
    int disp_w, disp_h;
    Pending *fifo;
    size_t cap, head, count;
    SobreQualityAccum *own, *disp;
    int same;         /* the rendition is at the display size: both views are one */
    int64_t unpaired; /* decoded frames with no pending picture (should stay 0) */
    double cpu_s;     /* thread CPU in sobre_vq_packet(): decoding and scoring */
    double score_s;   /* of which scoring (the measurement's own cost) */
};

void sobre_vq_display_size(const SobreSourceGeom *g, int *w, int *h)
{
    int dw, dh, bw, bh;
    sobre_source_display_size(g, &dw, &dh);
    bw = dw >= dh ? 1920 : 1080;
    bh = dw >= dh ? 1080 : 1920;
    if (dw > bw || dh > bh) {
        double k = fmin((double)bw / dw, (double)bh / dh);
        dw = (int)(dw * k / 2 + 0.5) * 2;
        dh = (int)(dh * k / 2 + 0.5) * 2;
    }
    *w = dw > 0 ? dw : 0;
    *h = dh > 0 ? dh : 0;
}

int sobre_vq_display_picture(struct SwsContext **sws, const AVFrame *src, int rotation, int w,
                             int h, AVFrame **out, SobreError *err)
{
    int turn = rotation == 90 || rotation == 270;
    int sw = turn ? h : w, sh = turn ? w : h;
    AVFrame *a = NULL, *b = NULL;
    *out = NULL;
    if (!rotation && src->format == AV_PIX_FMT_YUV420P && src->width == w && src->height == h) {
        if (!(*out = av_frame_clone(src))) /* already what `sobre quality` would compare */
            return sobre_fail(err, AVERROR(ENOMEM), "out of memory");
        av_buffer_unref(&(*out)->opaque_ref);
        return 0;
    }
    *sws = sws_getCachedContext(*sws, src->width, src->height, src->format, sw, sh,
                                AV_PIX_FMT_YUV420P, SWS_BICUBIC, NULL, NULL, NULL);
    if (!*sws)
        return sobre_fail(
            err, SOBRE_E_UNSUPPORTED, "quality: cannot convert %dx%d %s pictures", src->width,
            src->height, av_get_pix_fmt_name(src->format) ? av_get_pix_fmt_name(src->format) : "?");
    if (sobre_alloc_picture(&a, sw, sh) < 0 || (rotation && sobre_alloc_picture(&b, w, h) < 0)) {
        av_frame_free(&a);
        av_frame_free(&b);
        return sobre_fail(err, AVERROR(ENOMEM), "out of memory");
    }
    sws_scale(*sws, (const uint8_t *const *)src->data, src->linesize, 0, src->height, a->data,
              a->linesize);
    if (rotation) {
        for (int p = 0; p < 3; p++) {
            int pw = p ? (sw + 1) / 2 : sw, ph = p ? (sh + 1) / 2 : sh;
            sobre_plane_rotate(a->data[p], a->linesize[p], pw, ph, b->data[p], b->linesize[p],
                               rotation);
        }
        av_frame_free(&a);
        a = b;
    }
    *out = a;
    return 0;
}

static void free_pic(void *opaque, uint8_t *data)
{
    AVFrame *f = (AVFrame *)data;
    (void)opaque;
    av_frame_free(&f);
}

int sobre_vq_attach(AVFrame *f, AVFrame *pic, SobreError *err)
{
    AVBufferRef *b = av_buffer_create((uint8_t *)pic, sizeof(*pic), free_pic, NULL, 0);
    if (!b) {
        av_frame_free(&pic);
        return sobre_fail(err, AVERROR(ENOMEM), "out of memory");
    }
    av_buffer_unref(&f->opaque_ref);
    f->opaque_ref = b;
    return 0;
}

const AVFrame *sobre_vq_attached(const AVFrame *f)
{
    return f->opaque_ref ? (const AVFrame *)f->opaque_ref->data : NULL;
}

void sobre_vq_planes(const AVFrame *f, SobrePlanes *out)
{
    int cw = (f->width + 1) >> 1, ch = (f->height + 1) >> 1;
    out->plane[0] = (SobrePlane){f->data[0], f->linesize[0], f->width, f->height, 8};
    out->plane[1] = (SobrePlane){f->data[1], f->linesize[1], cw, ch, 8};
    out->plane[2] = (SobrePlane){f->data[2], f->linesize[2], cw, ch, 8};
}

static int new_accum(SobreQualityAccum **acc, int measure, SobreError *err)
{
    return measure == VQ_MEASURE_WHOLE ? sobre_quality_accum_new(acc, 0, err)
                                       : sobre_quality_accum_new_lean(acc, 0, err);
}

int sobre_vq_open(VQuality **out, const AVCodecContext *enc, int measure, int disp_w, int disp_h,
                  const char *id, SobreError *err)
{
    VQuality *vq = av_mallocz(sizeof(*vq));
    const AVCodec *c = avcodec_find_decoder(enc->codec_id);
    AVCodecParameters *par = avcodec_parameters_alloc();
    int ret = AVERROR(ENOMEM);

    *out = NULL;
    if (!vq || !par)
        goto nomem;
    snprintf(vq->id, sizeof(vq->id), "%s", id);
    vq->measure = measure;
    vq->enc_w = enc->width;
    vq->enc_h = enc->height;
    vq->enc_fmt = enc->pix_fmt;
    vq->disp_w = disp_w;
    vq->disp_h = disp_h;
    /* at the display size the encoder's picture is the display reference (same scaler,
     * same size, same rotation): score once, report twice */
    vq->same = enc->width == disp_w && enc->height == disp_h;
    if (!c) {
        ret = sobre_fail(err, SOBRE_E_UNSUPPORTED,
                         "rung '%s': no %s decoder to check the new stream with", id,
                         avcodec_get_name(enc->codec_id));
        goto fail;
    }
    if (!(vq->dec = avcodec_alloc_context3(c)) || !(vq->decoded = av_frame_alloc()) ||
        !(vq->up = av_frame_alloc()))
        goto nomem;
    if ((ret = avcodec_parameters_from_context(par, enc)) < 0 ||
        (ret = avcodec_parameters_to_context(vq->dec, par)) < 0)
        goto nomem;
    vq->dec->thread_count = 1; /* the rendition's thread: no frame-threading delay */
    vq->dec->err_recognition = AV_EF_EXPLODE | AV_EF_CRCCHECK; /* it is the check */
    if ((ret = avcodec_open2(vq->dec, c, NULL)) < 0) {
        ret = sobre_fail(err, ret, "rung '%s': cannot open a decoder to check the new stream", id);
        goto fail;
    }
    if (measure && ((ret = new_accum(&vq->own, measure, err)) < 0 ||
                    (disp_w > 0 && !vq->same && (ret = new_accum(&vq->disp, measure, err)) < 0)))
        goto fail;
    avcodec_parameters_free(&par);
    *out = vq;
    return 0;
nomem:
    ret = sobre_fail(err, AVERROR(ENOMEM), "out of memory");
fail:
    avcodec_parameters_free(&par);
    sobre_vq_free(&vq);
    return ret;
}

int sobre_vq_push(VQuality *vq, const AVFrame *encoded, const AVFrame *src, SobreError *err)
{
    Pending *p;
    if (!vq->measure)
        return 0;
    if (vq->count == vq->cap) { /* grows to the encoder's delay, then stays */
        size_t cap = vq->cap ? vq->cap * 2 : 8;
        Pending *n = av_malloc_array(cap, sizeof(*n));
        if (!n)
            return sobre_fail(err, AVERROR(ENOMEM), "out of memory");
        for (size_t i = 0; i < vq->count; i++)
            n[i] = vq->fifo[(vq->head + i) % vq->cap];
        av_free(vq->fifo);
        vq->fifo = n;
        vq->cap = cap;
        vq->head = 0;
    }
    p = &vq->fifo[(vq->head + vq->count) % vq->cap];
    memset(p, 0, sizeof(*p));
    /* a reference: the next scale makes a new buffer (av_frame_make_writable) */
    if (!(p->own = av_frame_clone(encoded)) ||
        (vq->disp && src->opaque_ref && !(p->disp = av_buffer_ref(src->opaque_ref)))) {
        av_frame_free(&p->own);
        return sobre_fail(err, AVERROR(ENOMEM), "out of memory");
    }
    vq->count++;
    return 0;
}

static int score_display(VQuality *vq, const AVFrame *d, const AVFrame *ref, SobreError *err)
{
    SobrePlanes pr, pd;
    const AVFrame *dist = d;
    int ret;
    if (d->width != vq->disp_w || d->height != vq->disp_h || d->format != AV_PIX_FMT_YUV420P) {
        vq->sws =
            sws_getCachedContext(vq->sws, d->width, d->height, d->format, vq->disp_w, vq->disp_h,
                                 AV_PIX_FMT_YUV420P, SWS_BICUBIC, NULL, NULL, NULL);
        if (!vq->sws)
            return sobre_fail(err, SOBRE_E_UNSUPPORTED, "rung '%s': cannot scale for quality",
                              vq->id);
        if (!vq->up->data[0]) {
            vq->up->width = vq->disp_w;
            vq->up->height = vq->disp_h;
            vq->up->format = AV_PIX_FMT_YUV420P;
            if ((ret = av_frame_get_buffer(vq->up, 0)) < 0)
                return sobre_fail(err, ret, "out of memory");
        }
        sws_scale(vq->sws, (const uint8_t *const *)d->data, d->linesize, 0, d->height, vq->up->data,
                  vq->up->linesize);
        dist = vq->up;
    }
    sobre_vq_planes(ref, &pr);
    sobre_vq_planes(dist, &pd);
    return sobre_quality_accum_add(vq->disp, &pr, &pd, err);
}

static int score(VQuality *vq, const AVFrame *d, SobreError *err)
{
    Pending p;
    SobrePlanes po, pd;
    int ret = 0;
    double c0;
    vq->frames++;
    if (d->format != vq->enc_fmt || d->width != vq->enc_w || d->height != vq->enc_h)
        return sobre_fail(
            err, SOBRE_E_VERIFY, "rung '%s': decoded %dx%d %s, encoded %dx%d %s", vq->id, d->width,
            d->height, av_get_pix_fmt_name(d->format) ? av_get_pix_fmt_name(d->format) : "?",
            vq->enc_w, vq->enc_h,
            av_get_pix_fmt_name(vq->enc_fmt) ? av_get_pix_fmt_name(vq->enc_fmt) : "?");
    if (!vq->measure)
        return 0;
    if (!vq->count) {
        vq->unpaired++;
        return 0;
    }
    c0 = sobre_clock_thread_cpu();
    p = vq->fifo[vq->head];
    vq->head = (vq->head + 1) % vq->cap;
    vq->count--;
    sobre_vq_planes(p.own, &po);
    sobre_vq_planes(d, &pd);
    ret = sobre_quality_accum_add(vq->own, &po, &pd, err);
    if (ret >= 0 && vq->disp && p.disp)
        ret = score_display(vq, d, (const AVFrame *)p.disp->data, err);
    av_frame_free(&p.own);
    av_buffer_unref(&p.disp);
    vq->score_s += sobre_clock_thread_cpu() - c0;
    return ret;
}

static int undecodable(VQuality *vq, int averr, SobreError *err)
{
    char why[AV_ERROR_MAX_STRING_SIZE];
    av_strerror(averr, why, sizeof(why));
    return sobre_fail(err, SOBRE_E_VERIFY, "rung '%s': the new stream does not decode cleanly (%s)",
                      vq->id, why);
}

static int drain(VQuality *vq, SobreError *err)
{
    int ret;
    while ((ret = avcodec_receive_frame(vq->dec, vq->decoded)) >= 0) {
        ret = score(vq, vq->decoded, err);
        av_frame_unref(vq->decoded);
        if (ret < 0)
            return ret;
    }
    if (ret == AVERROR(EAGAIN) || ret == AVERROR_EOF)
        return 0;
    return undecodable(vq, ret, err);
}

int sobre_vq_packet(VQuality *vq, const AVPacket *pkt, SobreError *err)
{
    double c0 = sobre_clock_thread_cpu();
    int ret = avcodec_send_packet(vq->dec, pkt);
    if (ret < 0 && ret != AVERROR_EOF)
        ret = undecodable(vq, ret, err);
    else
        ret = drain(vq, err);
    vq->cpu_s += sobre_clock_thread_cpu() - c0;
    return ret;
}

int sobre_vq_finish(VQuality *vq, SobreError *err)
{
    return sobre_vq_packet(vq, NULL, err);
}

static json_t *num(double v)
{
    return isfinite(v) ? json_real(round(v * 1e6) / 1e6) : json_null();
}

static json_t *stat_json(const SobreQualityStat *s)
{
    json_t *o = json_object();
    json_object_set_new(o, "mean", num(s->mean));
    json_object_set_new(o, "p5", num(s->p5));
    json_object_set_new(o, "min", num(s->min));
    return o;
}

json_t *sobre_vq_summary_json(const SobreQualitySummary *s, int w, int h)
{
    json_t *o = json_object();
    json_object_set_new(o, "width", json_integer(w));
    json_object_set_new(o, "height", json_integer(h));
    json_object_set_new(o, "frames", json_integer((json_int_t)s->frames));
    json_object_set_new(o, "ssim_y", stat_json(&s->ssim_y));
    json_object_set_new(o, "ssim_all", stat_json(&s->ssim_all));
    json_object_set_new(o, "psnr_y", stat_json(&s->psnr_y));
    json_object_set_new(o, "psnr_all", stat_json(&s->psnr_all));
    return o;
}

int64_t sobre_vq_frames(const VQuality *vq)
{
    return vq->frames;
}

int sobre_vq_result(VQuality *vq, json_t **section, SobreError *err)
{
    if (!vq->measure) {
        *section = NULL;
        return 0;
    }
    return sobre_vq_result_from(vq->own, vq->same ? NULL : vq->disp, vq->same, vq->dec->width,
                                vq->dec->height, vq->disp_w, vq->disp_h,
                                vq->unpaired + (int64_t)vq->count, vq->score_s,
                                vq->cpu_s - vq->score_s, section, err);
}

int sobre_vq_result_from(SobreQualityAccum *own, SobreQualityAccum *disp, int same, int w, int h,
                         int disp_w, int disp_h, int64_t unpaired, double score_s, double decode_s,
                         json_t **section, SobreError *err)
{
    SobreQualitySummary so, sd;
    int ret;
    *section = NULL;
    if ((ret = sobre_quality_accum_result(own, &so, err)) < 0 ||
        (!same && disp && (ret = sobre_quality_accum_result(disp, &sd, err)) < 0))
        return ret;
    *section = json_object();
    json_object_set_new(*section, "own", sobre_vq_summary_json(&so, w, h));
    if (same)
        json_object_set_new(*section, "display", sobre_vq_summary_json(&so, disp_w, disp_h));
    else if (disp)
        json_object_set_new(*section, "display", sobre_vq_summary_json(&sd, disp_w, disp_h));
    if (unpaired)
        json_object_set_new(*section, "unpaired_frames", json_integer((json_int_t)unpaired));
    /* the measurement's own CPU; decoding is the output check's, done anyway */
    json_object_set_new(*section, "cpu_s", json_real(round(score_s * 1000) / 1000));
    json_object_set_new(*section, "decode_cpu_s", json_real(round(decode_s * 1000) / 1000));
    return 0;
}

int sobre_vq_frame_scores(VQuality *vq, int display, const SobreQualityFrame **frames, size_t *n,
                          SobreError *err)
{
    SobreQualitySummary s;
    SobreQualityAccum *a = display && !vq->same ? vq->disp : vq->own;
    int ret;
    *frames = NULL;
    *n = 0;
    if (!a)
        return 0;
    if ((ret = sobre_quality_accum_result(a, &s, err)) < 0)
        return ret;
    if (s.frames && !s.per_frame)
        return sobre_fail(err, SOBRE_E_INVALID, "rung '%s': whole records were not kept", vq->id);
    *frames = s.per_frame;
    *n = s.frames;
    return 0;
}

void sobre_vq_shape(const VQuality *vq, int *same, int *has_display, int *w, int *h,
                    int64_t *unpaired, double *score_s, double *decode_s)
{
    *same = vq->same;
    *has_display = vq->same || vq->disp;
    *w = vq->dec->width;
    *h = vq->dec->height;
    *unpaired = vq->unpaired + (int64_t)vq->count;
    *score_s = vq->score_s;
    *decode_s = vq->cpu_s - vq->score_s;
}

/* One view's four arrays, each built and dumped alone (as the whole file was once dumped:
 * compact, 7 significant digits). */
static int write_view(FILE *f, const SobreQualityAccum *acc)
{
    static const char *const names[4] = {"ssim_y", "ssim_all", "psnr_y", "psnr_all"};
    size_t n = sobre_quality_accum_count(acc);
    int ret = 0;
    fputc('{', f);
    for (int k = 0; k < 4 && ret == 0; k++) {
        json_t *a = json_array();
        for (size_t i = 0; a && i < n; i++) {
            SobreQualityKept v = sobre_quality_accum_kept(acc, i);
            double x = k == 0 ? v.ssim_y : k == 1 ? v.ssim_all : k == 2 ? v.psnr_y : v.psnr_all;
            if (json_array_append_new(a, num(x)) < 0)
                ret = -ENOMEM;
        }
        fprintf(f, "%s\"%s\":", k ? "," : "", names[k]);
        if (!a || ret < 0 || json_dumpf(a, f, JSON_COMPACT | JSON_REAL_PRECISION(7)) < 0)
            ret = a && ret == 0 ? -EIO : -ENOMEM;
        json_decref(a);
    }
    fputc('}', f);
    return ret;
}

int sobre_vq_accum_new(SobreQualityAccum **acc, SobreError *err)
{
    return sobre_quality_accum_new_lean(acc, 0, err);
}

int sobre_vq_write_accums(FILE *f, const SobreQualityAccum *own, const SobreQualityAccum *disp)
{
    int ret;
    fputs("{\"own\":", f);
    ret = write_view(f, own);
    if (ret == 0 && disp) {
        fputs(",\"display\":", f);
        ret = write_view(f, disp);
    }
    fputc('}', f);
    return ret == 0 && ferror(f) ? -EIO : ret;
}

int sobre_vq_write_frames(VQuality *vq, FILE *f)
{
    return sobre_vq_write_accums(f, vq->own, vq->same ? vq->own : vq->disp);
}

double sobre_vq_display_ssim(VQuality *vq)
{
    SobreQualitySummary s;
    SobreQualityAccum *a = vq->disp ? vq->disp : vq->own;
    if (!a || sobre_quality_accum_result(a, &s, NULL) < 0 || !s.frames)
        return -1;
    return s.ssim_all.mean;
}

void sobre_vq_free(VQuality **pvq)
{
    VQuality *vq = pvq ? *pvq : NULL;
    if (!vq)
        return;
    for (size_t i = 0; i < vq->count; i++) {
        Pending *p = &vq->fifo[(vq->head + i) % vq->cap];
        av_frame_free(&p->own);
        av_buffer_unref(&p->disp);
    }
    av_free(vq->fifo);
    avcodec_free_context(&vq->dec);
    av_frame_free(&vq->decoded);
    av_frame_free(&vq->up);
    sws_freeContext(vq->sws);
    sobre_quality_accum_free(&vq->own);
    sobre_quality_accum_free(&vq->disp);
    av_freep(pvq);
}
