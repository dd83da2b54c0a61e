/* CRF search for quality-targeted rungs: decode a few short windows of the input once
 * (kept in memory as display-view pictures), scale them once per rung, then encode
 * them at candidate CRFs with the rung's own encoder settings, decode and score them
 * exactly as the pipeline's display view does (vquality.c). Results per CRF are cached
 * in EPISODE_DIR/.sobre/target-cache.json so a rerun does not encode them again. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <libavutil/avstring.h>

#include "avhelp.h"
#include "clock.h"
#include "target.h"
#include "target_search.h"
#include "vquality.h"

#define SAMPLE_WINDOWS 3
#define SAMPLE_LEN_S   2.0
#define SAMPLE_MAX     480 /* frames kept in memory, whatever the frame rate */

typedef struct Samples {
    AVFrame *carrier[SAMPLE_MAX]; /* no data; opaque_ref = display picture; pts = us in window */
    int window[SAMPLE_MAX];
    int n, nwin;
    double start[SOBRE_TARGET_MAX_SAMPLES], dur[SOBRE_TARGET_MAX_SAMPLES];
    AVRational tb; /* of the video stream */
} Samples;

/* The sample pictures are converted as the encode's are: the same SDR pictures. */
typedef struct Reader {
    struct SwsContext *sws;
    Tonemap *tm;
} Reader;

static int keep_frame(const TargetContext *tc, Samples *s, Reader *rd, AVFrame *f, int w,
                      SobreError *err)
{
    AVRational tb = s->tb;
    int64_t ts = f->best_effort_timestamp != AV_NOPTS_VALUE ? f->best_effort_timestamp : f->pts;
    int64_t rel, us0 = (int64_t)(s->start[w] * 1e6),
                 us1 = (int64_t)((s->start[w] + s->dur[w]) * 1e6);
    AVFrame *pic, *c;
    int ret;
    if (ts == AV_NOPTS_VALUE)
        return 0;
    rel = av_rescale_q(ts, tb, AV_TIME_BASE_Q) - tc->t0_us;
    if (rel < us0)
        return 0;
    if (rel >= us1 || s->n >= SAMPLE_MAX)
        return 1; /* window full */
    if (rd->tm) {
        AVFrame *sdr;
        if ((ret = sobre_tonemap_frame(rd->tm, f, &sdr, err)) < 0)
            return ret;
        ret = sobre_vq_display_picture(&rd->sws, sdr, tc->rotation, tc->disp_w, tc->disp_h, &pic,
                                       err);
        av_frame_free(&sdr);
    } else {
        ret =
            sobre_vq_display_picture(&rd->sws, f, tc->rotation, tc->disp_w, tc->disp_h, &pic, err);
    }
    if (ret < 0)
        return ret;
    if (!(c = av_frame_alloc())) {
        av_frame_free(&pic);
        return sobre_fail(err, AVERROR(ENOMEM), "out of memory");
    }
    if ((ret = sobre_vq_attach(c, pic, err)) < 0) {
        av_frame_free(&c);
        return ret;
    }
    c->pts = rel - us0;
    s->window[s->n] = w;
    s->carrier[s->n++] = c;
    return 0;
}

/* Decodes window w: seek before it, decode until its end. */
static int read_window(const TargetContext *tc, AVFormatContext *fmt, AVCodecContext *dec,
                       Samples *s, Reader *rd, int w, SobreError *err)
{
    AVPacket *pkt = av_packet_alloc();
    AVFrame *f = av_frame_alloc();
    int64_t ts = tc->t0_us + (int64_t)(s->start[w] * 1e6);
    int ret = 0, full = 0, eof = 0;
    if (!pkt || !f) {
        ret = sobre_fail(err, AVERROR(ENOMEM), "out of memory");
        goto end;
    }
    if (s->start[w] > 0)
        av_seek_frame(fmt, -1, ts, AVSEEK_FLAG_BACKWARD); /* failing: read from where we are */
    avcodec_flush_buffers(dec);
    while (!full && !eof) {
        int r = av_read_frame(fmt, pkt);
        if (r < 0) {
            eof = 1;
            avcodec_send_packet(dec, NULL);
        } else if (pkt->stream_index != tc->vstream) {
            av_packet_unref(pkt);
            continue;
        } else {
            avcodec_send_packet(dec, pkt); /* a damaged packet is skipped, as in the encode */
            av_packet_unref(pkt);
        }
        while (!full && avcodec_receive_frame(dec, f) >= 0) {
            ret = keep_frame(tc, s, rd, f, w, err);
            av_frame_unref(f);
            if (ret < 0)
                goto end;
            full = ret;
            ret = 0;
        }
    }
end:
    av_packet_free(&pkt);
    av_frame_free(&f);
    return ret;
}

static void samples_free(Samples *s)
{
    for (int i = 0; i < s->n; i++)
        av_frame_free(&s->carrier[i]);
    s->n = 0;
}

static int samples_read(const TargetContext *tc, Samples *s, SobreError *err)
{
    AVFormatContext *fmt = NULL;
    AVCodecContext *dec = NULL;
    Reader rd = {NULL, NULL};
    const AVCodec *c;
    int ret;
    if (tc->tonemap && (ret = sobre_tonemap_open(&rd.tm, tc->tonemap, err)) < 0)
        return ret;
    s->nwin = sobre_target_samples(tc->duration_s, SAMPLE_WINDOWS, SAMPLE_LEN_S, s->start, s->dur);
    if ((ret = avformat_open_input(&fmt, tc->input, NULL, NULL)) < 0 ||
        (ret = avformat_find_stream_info(fmt, NULL)) < 0) {
        sobre_fail_av(err, ret, "cannot read samples for the CRF search", tc->input);
        goto end;
    }
    c = avcodec_find_decoder(fmt->streams[tc->vstream]->codecpar->codec_id);
    if (!c || !(dec = avcodec_alloc_context3(c)) ||
        avcodec_parameters_to_context(dec, fmt->streams[tc->vstream]->codecpar) < 0) {
        ret = sobre_fail(err, SOBRE_E_UNSUPPORTED, "%s: cannot decode samples", tc->input);
        goto end;
    }
    dec->pkt_timebase = s->tb = fmt->streams[tc->vstream]->time_base;
    dec->thread_count = 2;
    if ((ret = avcodec_open2(dec, c, NULL)) < 0) {
        sobre_fail_av(err, ret, "cannot open the decoder", tc->input);
        goto end;
    }
    for (int w = 0; w < s->nwin && ret >= 0; w++)
        ret = read_window(tc, fmt, dec, s, &rd, w, err);
    if (ret >= 0 && !s->n && s->nwin > 0) {
        /* Nothing where the windows fell: the declared duration can be mostly a clock
         * jump (joined MPEG-TS recordings). Sample the first seconds instead. */
        s->nwin = 1;
        s->start[0] = 0;
        if (av_seek_frame(fmt, -1, 0, AVSEEK_FLAG_BYTE) < 0)
            av_seek_frame(fmt, -1, tc->t0_us, AVSEEK_FLAG_BACKWARD);
        ret = read_window(tc, fmt, dec, s, &rd, 0, err);
    }
    if (ret >= 0 && !s->n)
        ret = sobre_fail(err, SOBRE_E_NOVIDEO, "%s: no frame could be decoded for the CRF search",
                         tc->input);
end:
    sws_freeContext(rd.sws);
    sobre_tonemap_free(&rd.tm);
    avcodec_free_context(&dec);
    avformat_close_input(&fmt);
    return ret;
}

/* ---- one rung ---- */

typedef struct Rung {
    const TargetContext *tc;
    const Samples *s;
    int rung;
    AVFrame *scaled[SAMPLE_MAX];
    char key[1024]; /* cache key without the CRF */
} Rung;

static int scale_samples(Rung *g, SobreError *err)
{
    const SobreRungPlan *p = &g->tc->plans[g->rung];
    struct SwsContext *sws = NULL;
    int ret = 0;
    for (int i = 0; i < g->s->n && ret >= 0; i++) {
        const AVFrame *src = sobre_vq_attached(g->s->carrier[i]);
        AVFrame *d = av_frame_alloc();
        if (!d)
            return sobre_fail(err, AVERROR(ENOMEM), "out of memory");
        g->scaled[i] = d;
        d->width = p->out_w;
        d->height = p->out_h;
        d->format = AV_PIX_FMT_YUV420P;
        sws = sws_getCachedContext(sws, src->width, src->height, AV_PIX_FMT_YUV420P, d->width,
                                   d->height, AV_PIX_FMT_YUV420P, SWS_BICUBIC, NULL, NULL, NULL);
        if (!sws || av_frame_get_buffer(d, 0) < 0)
            ret = sobre_fail(err, AVERROR(ENOMEM), "out of memory");
        else
            sws_scale(sws, (const uint8_t *const *)src->data, src->linesize, 0, src->height,
                      d->data, d->linesize);
    }
    sws_freeContext(sws);
    return ret;
}

static int drain_packets(AVCodecContext *enc, AVPacket *pkt, VQuality *vq, int64_t *bytes,
                         SobreError *err)
{
    int ret;
    while ((ret = avcodec_receive_packet(enc, pkt)) >= 0) {
        *bytes += pkt->size;
        ret = sobre_vq_packet(vq, pkt, err);
        av_packet_unref(pkt);
        if (ret < 0)
            return ret;
    }
    return ret == AVERROR(EAGAIN) || ret == AVERROR_EOF ? 0
                                                        : sobre_fail(err, ret, "encoding failed");
}

/* Encodes window w at crf; adds its frames, SSIM sum and bytes. */
static int encode_window(Rung *g, int w, int crf, double *ssim_sum, int64_t *frames, int64_t *bytes,
                         double *fps, SobreError *err)
{
    const TargetContext *tc = g->tc;
    AVCodecContext *enc = NULL;
    VQuality *vq = NULL;
    AVPacket *pkt = av_packet_alloc();
    int64_t last = INT64_MIN, n = 0;
    double next_key = 0, q;
    VEncParams vp = {&tc->ladder->rungs[g->rung], &tc->plans[g->rung], tc->src_rate, tc->colour,
                     AV_PIX_FMT_YUV420P};
    int ret;
    if (!pkt)
        return sobre_fail(err, AVERROR(ENOMEM), "out of memory");
    if ((ret = sobre_venc_open(&enc, &vp, crf, 2, err)) < 0 ||
        (ret = sobre_vq_open(&vq, enc, 1, tc->disp_w, tc->disp_h, tc->ladder->rungs[g->rung].id,
                             err)) < 0)
        goto end;
    *fps = av_q2d(av_inv_q(enc->time_base));
    for (int i = 0; i < g->s->n; i++) {
        AVRational tb = enc->time_base;
        double t = g->s->carrier[i]->pts / 1e6;
        int64_t pts = (int64_t)ceil(t * tb.den / tb.num - 0.5 - 1e-9); /* vrend.c's grid */
        AVFrame *in;
        if (g->s->window[i] != w || pts <= last)
            continue;
        last = pts;
        if (!(in = av_frame_clone(g->scaled[i]))) {
            ret = sobre_fail(err, AVERROR(ENOMEM), "out of memory");
            goto end;
        }
        in->pts = pts;
        in->pict_type = AV_PICTURE_TYPE_NONE;
        if (t + 1e-6 >= next_key) {
            in->pict_type = AV_PICTURE_TYPE_I;
            while (next_key <= t + 1e-6)
                next_key += tc->ladder->keyint_s;
        }
        ret = avcodec_send_frame(enc, in);
        if (ret >= 0)
            ret = sobre_vq_push(vq, in, g->s->carrier[i], err);
        else
            sobre_fail(err, ret, "sample encoding failed");
        av_frame_free(&in);
        if (ret < 0 || (ret = drain_packets(enc, pkt, vq, bytes, err)) < 0)
            goto end;
        n++;
    }
    if ((ret = avcodec_send_frame(enc, NULL)) < 0 ||
        (ret = drain_packets(enc, pkt, vq, bytes, err)) < 0 || (ret = sobre_vq_finish(vq, err)) < 0)
        goto end;
    q = sobre_vq_display_ssim(vq);
    if (n > 0 && q >= -1) {
        *ssim_sum += q * (double)n;
        *frames += n;
    }
end:
    sobre_vq_free(&vq);
    avcodec_free_context(&enc);
    av_packet_free(&pkt);
    return ret < 0 ? ret : 0;
}

static int measure(Rung *g, int crf, json_t *cache, double *ssim, double *bps, int *cached,
                   SobreError *err)
{
    char key[1100];
    json_t *e;
    double sum = 0, fps = 25;
    int64_t frames = 0, bytes = 0;
    int ret;
    snprintf(key, sizeof(key), "%s|crf%d", g->key, crf);
    if ((e = json_object_get(cache, key)) && json_is_number(json_object_get(e, "ssim"))) {
        *ssim = json_number_value(json_object_get(e, "ssim"));
        *bps = json_number_value(json_object_get(e, "bytes_per_s"));
        *cached = 1;
        return 0;
    }
    *cached = 0;
    for (int w = 0; w < g->s->nwin; w++) {
        if (atomic_load(g->tc->cancel))
            return sobre_fail(err, SOBRE_E_CANCELLED, "cancelled");
        if ((ret = encode_window(g, w, crf, &sum, &frames, &bytes, &fps, err)) < 0)
            return ret;
    }
    if (!frames)
        return sobre_fail(err, SOBRE_E_VERIFY, "rung '%s': no sample frame was scored",
                          g->tc->ladder->rungs[g->rung].id);
    *ssim = sum / (double)frames;
    *bps = bytes / (frames / fps);
    json_object_set_new(cache, key, json_pack("{s:f, s:f}", "ssim", *ssim, "bytes_per_s", *bps));
    return 0;
}

static void cache_key(Rung *g)
{
    const TargetContext *tc = g->tc;
    const SobreRung *r = &tc->ladder->rungs[g->rung];
    const SobreRungPlan *p = &tc->plans[g->rung];
    int n = snprintf(g->key, sizeof(g->key), "%d.%d|%s|%s|%d|%dx%d|%.3f|%d|%d|%.3f|%d|%dx%d",
                     SOBRE_VERSION_MAJOR, SOBRE_VERSION_MINOR, tc->fingerprint,
                     sobre_codec_name(r->codec), r->speed, p->out_w, p->out_h, p->fps, r->max_kbps,
                     p->keyint_frames, tc->ladder->keyint_s, tc->rotation, tc->disp_w, tc->disp_h);
    if (tc->tonemap && n > 0 && n < (int)sizeof(g->key)) /* other pictures, other scores */
        n += snprintf(g->key + n, sizeof(g->key) - (size_t)n, "|colour%d@%.0f", tc->tonemap->conv,
                      tc->tonemap->peak_nits);
    for (int w = 0; w < g->s->nwin && n > 0 && n < (int)sizeof(g->key); w++)
        n += snprintf(g->key + n, sizeof(g->key) - (size_t)n, "|%.2f+%.2f", g->s->start[w],
                      g->s->dur[w]);
}

static void progress(const TargetContext *tc)
{
    if (tc->progress)
        tc->progress(tc->opaque);
}

static int search_rung(const TargetContext *tc, const Samples *s, int i, TargetResult *t,
                       json_t *cache, SobreError *err)
{
    const SobreRung *r = &tc->ladder->rungs[i];
    SobreRungPlan *plan = &tc->plans[i];
    SobreTargetSearch st;
    Rung g;
    double c0 = sobre_clock_thread_cpu(), bps[64] = {0};
    int lo, hi, crf, ret = 0;

    memset(&g, 0, sizeof(g));
    g.tc = tc;
    g.s = s;
    g.rung = i;
    memset(t, 0, sizeof(*t));
    t->target = plan->target_ssim;
    if (sobre_target_crf_range(r->codec, &lo, &hi) < 0)
        return 0;
    cache_key(&g);
    if ((ret = scale_samples(&g, err)) < 0)
        goto end;
    sobre_target_search_init(&st, plan->target_ssim, lo, hi);
    while ((crf = sobre_target_search_next(&st)) >= 0) {
        double q = 0, b = 0;
        int cached = 0;
        progress(tc);
        if ((ret = measure(&g, crf, cache, &q, &b, &cached, err)) < 0)
            goto end;
        bps[crf - lo] = b;
        t->evaluations += !cached;
        t->cached += cached;
        sobre_target_search_feed(&st, crf, q);
        sobre_log(tc->logger, SOBRE_LOG_INFO, "%s: crf %d: SSIM %.4f, %.0f bytes/s%s", r->id, crf,
                  q, b, cached ? " (cached)" : "");
    }
    crf = sobre_target_search_result(&st, &t->met);
    t->active = 1;
    t->crf = crf;
    t->pred_ssim = st.ssim[crf - lo];
    t->pred_bytes_per_s = bps[crf - lo];
    plan->crf = crf;
    if (!t->met) {
        snprintf(t->note, sizeof(t->note),
                 "rung '%s': target SSIM %.3f cannot be met within crf %d..%d%s: best %.4f "
                 "at crf %d, used",
                 r->id, plan->target_ssim, lo, hi, r->max_kbps ? " and the bitrate cap" : "",
                 t->pred_ssim, crf);
        sobre_log(tc->logger, SOBRE_LOG_WARNING, "%s", t->note);
    } else if (crf == hi) {
        snprintf(t->note, sizeof(t->note),
                 "rung '%s': even the highest crf (%d) gives SSIM %.4f, above the target", r->id,
                 hi, t->pred_ssim);
    }
end:
    for (int k = 0; k < s->n; k++)
        av_frame_free(&g.scaled[k]);
    t->cpu_s = sobre_clock_thread_cpu() - c0;
    return ret;
}

static json_t *cache_load(const char *path)
{
    json_t *root = json_load_file(path, 0, NULL), *e = json_object_get(root, "entries");
    json_t *out = json_is_object(e) ? json_incref(e) : json_object();
    json_decref(root);
    return out;
}

static void cache_save(const char *path, json_t *entries)
{
    char tmp[4300];
    json_t *root = json_pack("{s:s, s:O}", "schema", "sobre.target-cache/1", "entries", entries);
    snprintf(tmp, sizeof(tmp), "%s.tmp", path);
    if (root && json_dump_file(root, tmp, JSON_INDENT(1) | JSON_SORT_KEYS) == 0)
        rename(tmp, path); /* a cache: failing to write it only costs time later */
    else
        unlink(tmp);
    json_decref(root);
}

static int searched(const TargetContext *tc, int i)
{
    return tc->pending[i] && tc->ladder->rungs[i].video && tc->plans[i].target_ssim > 0;
}

int sobre_target_run(const TargetContext *tc, TargetResult *results, SobreError *err)
{
    Samples *s = NULL;
    json_t *cache = NULL;
    char path[4200];
    int any = 0, ret = 0;
    for (int i = 0; i < tc->ladder->nb_rungs; i++)
        any |= searched(tc, i);
    if (!any || tc->vstream < 0)
        return 0;
    if (!(s = av_mallocz(sizeof(*s))))
        return sobre_fail(err, AVERROR(ENOMEM), "out of memory");
    snprintf(path, sizeof(path), "%s/target-cache.json", tc->work_dir);
    cache = cache_load(path);
    progress(tc);
    if ((ret = samples_read(tc, s, err)) < 0)
        goto end;
    for (int i = 0; i < tc->ladder->nb_rungs && ret >= 0; i++)
        if (searched(tc, i))
            ret = search_rung(tc, s, i, &results[i], cache, err);
    cache_save(path, cache); /* also what was measured before a failure */
end:
    json_decref(cache);
    samples_free(s);
    av_free(s);
    return ret;
}
