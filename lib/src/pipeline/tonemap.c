/* HDR to SDR with libavfilter: zscale (zimg) takes the decoded picture to linear light in
 * BT.709 primaries (npl 100: SDR white is 1.0), tonemap's mobius curve brings the
 * brightest component down so the measured peak lands on SDR white (values below 30 % of
 * it are kept 1:1, the rest compressed smoothly, hue kept), and zscale makes 8-bit BT.709
 * yuv420p of it. Why filters and not swscale: swscale knows neither transfer functions
 * nor primaries, and a tone curve is only right on linear light. */
#include <math.h>
#include <string.h>

#include <libavutil/mastering_display_metadata.h>
#include <libavutil/pixdesc.h>

#include "avfilter_dl.h"
#include "avhelp.h"
#include "clock.h"
#include "ffcompat.h"
#include "tonemap.h"

#define PEAK_BINS 10001 /* 1 nit each, up to PQ's 10000 */

struct Tonemap {
    TonemapConfig c;
    int linear; /* measuring: stop at linear gbrpf32 */
    AvfilterLib af;
    AVFilterGraph *graph;
    AVFilterContext *src, *sink;
    int in_w, in_h, in_fmt; /* what the graph was built for */
    double cpu_s;
};

int sobre_tonemap_config(TonemapConfig *c, const SobreColourPlan *p, SobreError *err)
{
    memset(c, 0, sizeof(*c));
    c->conv = p->conv;
    c->transfer = av_color_transfer_from_name(p->transfer);
    c->primaries = av_color_primaries_from_name(p->primaries);
    c->matrix = av_color_space_from_name(p->matrix);
    c->threads = 1;
    if (p->conv != SOBRE_COLOUR_HLG && p->conv != SOBRE_COLOUR_PQ && p->conv != SOBRE_COLOUR_GAMUT)
        return sobre_fail(err, SOBRE_E_UNSUPPORTED, "no colour conversion to make");
    if (c->transfer < 0 || c->primaries < 0 || c->matrix < 0)
        return sobre_fail(err, SOBRE_E_UNSUPPORTED, "unknown colours %s/%s/%s", p->transfer,
                          p->primaries, p->matrix);
    return 0;
}

/* The filters, as text: zscale's numbers are FFmpeg's AVColor* values. */
static void describe(const Tonemap *tm, int w, int h, char *out, size_t size)
{
    const TonemapConfig *c = &tm->c;
    /* Measuring: at an eighth of the size, averaged (a triangle filter as wide as the step:
     * no ringing), so that what is measured is light over areas, not the overshoots of
     * 4:2:0 colour edges, which the steep HLG and PQ curves turn into hundreds of nits. */
    int n = tm->linear
                ? snprintf(out, size, "zscale=w=%d:h=%d:f=bilinear:tin=%d:pin=%d:min=%d",
                           FFMAX(2, w / 8), FFMAX(2, h / 8), c->transfer, c->primaries, c->matrix)
                : snprintf(out, size, "zscale=w=%d:h=%d:f=spline36:tin=%d:pin=%d:min=%d", w, h,
                           c->transfer, c->primaries, c->matrix);
    if (n < 0 || (size_t)n >= size)
        return;
    if (tm->linear)
        snprintf(out + n, size - (size_t)n, ":t=linear:p=bt709:npl=100,format=gbrpf32le");
    else if (c->conv == SOBRE_COLOUR_GAMUT)
        snprintf(out + n, size - (size_t)n, ":t=bt709:p=bt709:m=bt709:r=tv,format=yuv420p");
    else
        snprintf(out + n, size - (size_t)n,
                 ":t=linear:p=bt709:npl=100,format=gbrpf32le,"
                 "tonemap=tonemap=%s:desat=2:peak=%.4f,"
                 "zscale=t=bt709:m=bt709:r=tv:f=spline36,format=yuv420p",
                 SOBRE_TONEMAP_OPERATOR, fmax(c->peak_nits, 100) / 100);
}

static int build(Tonemap *tm, const AVFrame *in, SobreError *err)
{
    AVFilterInOut *outs = tm->af.inout_alloc(), *ins = tm->af.inout_alloc();
    AVRational sar = in->sample_aspect_ratio;
    char args[256], desc[1024];
    int w, h, ret;

    tm->af.graph_free(&tm->graph);
    tm->src = tm->sink = NULL;
    if (!outs || !ins || !(tm->graph = tm->af.graph_alloc())) {
        ret = sobre_fail(err, AVERROR(ENOMEM), "out of memory");
        goto end;
    }
    tm->graph->nb_threads = tm->c.threads > 0 ? tm->c.threads : 1;
    sobre_tonemap_size(in->width, in->height, tm->c.need_w, tm->c.need_h, &w, &h);
    snprintf(args, sizeof(args),
             "video_size=%dx%d:pix_fmt=%d:time_base=1/1000000:pixel_aspect=%d/%d", in->width,
             in->height, in->format, sar.num > 0 ? sar.num : 1,
             sar.num > 0 && sar.den > 0 ? sar.den : 1);
    describe(tm, w, h, desc, sizeof(desc));
    if ((ret = tm->af.graph_create_filter(&tm->src, tm->af.get_by_name("buffer"), "in", args, NULL,
                                          tm->graph)) < 0 ||
        (ret = tm->af.graph_create_filter(&tm->sink, tm->af.get_by_name("buffersink"), "out", NULL,
                                          NULL, tm->graph)) < 0) {
        sobre_fail_av(err, ret, "cannot set up the colour conversion", NULL);
        goto end;
    }
    outs->name = av_strdup("in");
    outs->filter_ctx = tm->src;
    ins->name = av_strdup("out");
    ins->filter_ctx = tm->sink;
    if (!outs->name || !ins->name) {
        ret = sobre_fail(err, AVERROR(ENOMEM), "out of memory");
        goto end;
    }
    if ((ret = tm->af.graph_parse_ptr(tm->graph, desc, &ins, &outs, NULL)) < 0 ||
        (ret = tm->af.graph_config(tm->graph, NULL)) < 0) {
        sobre_fail_av(err, ret, "cannot set up the colour conversion (zscale, tonemap)", NULL);
        goto end;
    }
    tm->in_w = in->width;
    tm->in_h = in->height;
    tm->in_fmt = in->format;
    ret = 0;
end:
    tm->af.inout_free(&outs);
    tm->af.inout_free(&ins);
    if (ret < 0)
        tm->af.graph_free(&tm->graph);
    return ret;
}

static int open_tm(Tonemap **out, const TonemapConfig *c, int linear, SobreError *err)
{
    Tonemap *tm = av_mallocz(sizeof(*tm));
    int ret;
    *out = NULL;
    if (!tm)
        return sobre_fail(err, AVERROR(ENOMEM), "out of memory");
    tm->c = *c;
    tm->linear = linear;
    if ((ret = sobre_avfilter_load(&tm->af, err)) < 0) {
        av_free(tm);
        return ret;
    }
    *out = tm;
    return 0;
}

int sobre_tonemap_open(Tonemap **out, const TonemapConfig *c, SobreError *err)
{
    return open_tm(out, c, 0, err);
}

int sobre_tonemap_frame(Tonemap *tm, const AVFrame *in, AVFrame **out, SobreError *err)
{
    static const enum AVFrameSideDataType hdr_data[] = {
        AV_FRAME_DATA_MASTERING_DISPLAY_METADATA, AV_FRAME_DATA_CONTENT_LIGHT_LEVEL,
        AV_FRAME_DATA_DYNAMIC_HDR_PLUS, AV_FRAME_DATA_DOVI_RPU_BUFFER, AV_FRAME_DATA_DOVI_METADATA};
    double c0 = sobre_clock_thread_cpu();
    AVFrame *f;
    int ret;
    *out = NULL;
    if ((!tm->graph || in->width != tm->in_w || in->height != tm->in_h ||
         in->format != tm->in_fmt) &&
        (ret = build(tm, in, err)) < 0)
        return ret;
    if (!(f = av_frame_alloc()))
        return sobre_fail(err, AVERROR(ENOMEM), "out of memory");
    /* the caller keeps its frame: the graph takes a reference */
    if ((ret = tm->af.buffersrc_add_frame_flags(tm->src, (AVFrame *)in,
                                                AV_BUFFERSRC_FLAG_KEEP_REF)) < 0 ||
        (ret = tm->af.buffersink_get_frame(tm->sink, f)) < 0) {
        av_frame_free(&f);
        return sobre_fail_av(err, ret, "colour conversion failed", NULL);
    }
    if (!tm->linear) {
        for (size_t i = 0; i < sizeof(hdr_data) / sizeof(hdr_data[0]); i++)
            av_frame_remove_side_data(f, hdr_data[i]);
        f->color_primaries = AVCOL_PRI_BT709;
        f->color_trc = AVCOL_TRC_BT709;
        f->colorspace = AVCOL_SPC_BT709;
        f->color_range = AVCOL_RANGE_MPEG;
    }
    f->pts = in->pts;
    *out = f;
    tm->cpu_s += sobre_clock_thread_cpu() - c0;
    return 0;
}

double sobre_tonemap_cpu_s(const Tonemap *tm)
{
    return tm ? tm->cpu_s : 0;
}

void sobre_tonemap_free(Tonemap **tmp)
{
    Tonemap *tm = tmp ? *tmp : NULL;
    if (!tm)
        return;
    tm->af.graph_free(&tm->graph); /* a Tonemap exists only with its library loaded */
    sobre_avfilter_unload(&tm->af);
    av_freep(tmp);
}

/* ---- measuring the peak ---- */

/* The 99.9th percentile of max(R,G,B) of a linear gbrpf32 picture, in nits (1.0 = 100):
 * the brightest light that covers more than a few stray points. */
static double frame_peak(const AVFrame *f, unsigned *hist)
{
    int64_t total = (int64_t)f->width * f->height, above = 0;
    memset(hist, 0, PEAK_BINS * sizeof(*hist));
    for (int y = 0; y < f->height; y++) {
        const float *g = (const float *)(f->data[0] + (ptrdiff_t)y * f->linesize[0]);
        const float *b = (const float *)(f->data[1] + (ptrdiff_t)y * f->linesize[1]);
        const float *r = (const float *)(f->data[2] + (ptrdiff_t)y * f->linesize[2]);
        for (int x = 0; x < f->width; x++) {
            float m = fmaxf(r[x], fmaxf(g[x], b[x])) * 100.0f;
            int bin = m > 0 ? (int)fminf(m, PEAK_BINS - 1) : 0; /* NaN: 0 */
            hist[bin]++;
        }
    }
    for (int bin = PEAK_BINS - 1; bin > 0; bin--) {
        above += hist[bin];
        if (above * 1000 > total)
            return bin;
    }
    return 0;
}

/* HDR10 metadata: MaxCLL, and the mastering display's peak. */
static void read_metadata(const AVContentLightMetadata *cll, const AVMasteringDisplayMetadata *md,
                          TonemapMeasure *m)
{
    if (cll && cll->MaxCLL > 0 && m->max_cll <= 0)
        m->max_cll = cll->MaxCLL;
    if (md && md->has_luminance && md->max_luminance.den > 0 && m->mastering_max <= 0)
        m->mastering_max = av_q2d(md->max_luminance);
}

static void frame_metadata(const AVFrame *f, TonemapMeasure *m)
{
    AVFrameSideData *c = av_frame_get_side_data(f, AV_FRAME_DATA_CONTENT_LIGHT_LEVEL);
    AVFrameSideData *d = av_frame_get_side_data(f, AV_FRAME_DATA_MASTERING_DISPLAY_METADATA);
    read_metadata(c ? (const AVContentLightMetadata *)c->data : NULL,
                  d ? (const AVMasteringDisplayMetadata *)d->data : NULL, m);
}

/* The first picture decoded from where the demuxer stands (at most a few hundred packets). */
static int next_picture(AVFormatContext *fmt, AVCodecContext *dec, int vstream, AVPacket *pkt,
                        AVFrame *f)
{
    int sent = 0, eof = 0;
    while (sent < 512) {
        int ret = avcodec_receive_frame(dec, f);
        if (ret >= 0)
            return 1;
        if (ret != AVERROR(EAGAIN) || eof)
            return 0;
        if (av_read_frame(fmt, pkt) < 0) {
            eof = 1;
            avcodec_send_packet(dec, NULL);
            continue;
        }
        if (pkt->stream_index == vstream) {
            avcodec_send_packet(dec, pkt); /* a damaged packet is skipped, as in the encode */
            sent++;
        }
        av_packet_unref(pkt);
    }
    return 0;
}

static int open_reader(const char *path, int vstream, AVFormatContext **fmt, AVCodecContext **dec,
                       SobreError *err)
{
    const AVCodec *codec;
    AVStream *st;
    int ret;
    if ((ret = avformat_open_input(fmt, path, NULL, NULL)) < 0 ||
        (ret = avformat_find_stream_info(*fmt, NULL)) < 0)
        return sobre_fail_av(err, ret, "cannot read the video to measure its light", path);
    if (vstream < 0 || vstream >= (int)(*fmt)->nb_streams)
        return sobre_fail(err, SOBRE_E_INVALID, "%s: no video stream %d", path, vstream);
    st = (*fmt)->streams[vstream];
    if (!(codec = avcodec_find_decoder(st->codecpar->codec_id)) ||
        !(*dec = avcodec_alloc_context3(codec)) ||
        avcodec_parameters_to_context(*dec, st->codecpar) < 0)
        return sobre_fail(err, SOBRE_E_UNSUPPORTED, "%s: cannot decode the video", path);
    (*dec)->pkt_timebase = st->time_base;
    (*dec)->thread_count = 2;
    if ((ret = avcodec_open2(*dec, codec, NULL)) < 0)
        return sobre_fail_av(err, ret, "cannot open the decoder", path);
    return 0;
}

int sobre_tonemap_measure(const char *path, int vstream, double duration_s, const TonemapConfig *c,
                          int n, TonemapMeasure *m, SobreError *err)
{
    AVFormatContext *fmt = NULL;
    AVCodecContext *dec = NULL;
    AVPacket *pkt = av_packet_alloc();
    AVFrame *f = av_frame_alloc(), *lin = NULL;
    unsigned *hist = av_malloc(PEAK_BINS * sizeof(*hist));
    Tonemap *tm = NULL;
    double c0 = sobre_clock_thread_cpu();
    size_t size = 0;
    int ret;

    memset(m, 0, sizeof(*m));
    if (!pkt || !f || !hist) {
        ret = sobre_fail(err, AVERROR(ENOMEM), "out of memory");
        goto end;
    }
    if ((ret = open_reader(path, vstream, &fmt, &dec, err)) < 0 ||
        (ret = open_tm(&tm, c, 1, err)) < 0)
        goto end;
    {
        AVStream *st = fmt->streams[vstream];
        const uint8_t *cll = ffc_stream_side_data(st, AV_PKT_DATA_CONTENT_LIGHT_LEVEL, &size);
        const uint8_t *md = ffc_stream_side_data(st, AV_PKT_DATA_MASTERING_DISPLAY_METADATA, &size);
        int64_t start = st->start_time != AV_NOPTS_VALUE ? st->start_time : 0;
        read_metadata((const AVContentLightMetadata *)cll, (const AVMasteringDisplayMetadata *)md,
                      m);
        for (int k = 0; k < n && (k == 0 || duration_s > 0); k++) {
            double t = duration_s > 0 ? duration_s * (k + 0.5) / n : 0;
            if (k > 0 || t > 0) {
                av_seek_frame(fmt, vstream,
                              start +
                                  av_rescale_q((int64_t)(t * 1e6), AV_TIME_BASE_Q, st->time_base),
                              AVSEEK_FLAG_BACKWARD); /* failing: read on from where we are */
                avcodec_flush_buffers(dec);
            }
            if (!next_picture(fmt, dec, vstream, pkt, f))
                continue;
            frame_metadata(f, m);
            ret = sobre_tonemap_frame(tm, f, &lin, err);
            av_frame_unref(f);
            if (ret < 0)
                goto end;
            m->peak_nits = fmax(m->peak_nits, frame_peak(lin, hist));
            m->frames++;
            av_frame_free(&lin);
        }
    }
    ret = 0;
end:
    m->cpu_s = sobre_clock_thread_cpu() - c0;
    sobre_tonemap_free(&tm);
    avcodec_free_context(&dec);
    avformat_close_input(&fmt);
    av_packet_free(&pkt);
    av_frame_free(&f);
    av_frame_free(&lin);
    av_free(hist);
    return ret;
}
