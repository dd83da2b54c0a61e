/* Loudness meters on libebur128 (see loudmeter.h): frames are converted to interleaved
 * float at the measured layout by the encoders' own converter, optionally gained and
 * limited as the encoder will be fed, and handed to libebur128 in mode I + LRA + true
 * peak. Channel weights follow BS.1770-4 (and ffmpeg's ebur128 filter): 0 for LFE, 1.41
 * for surround and back channels, 1 for the others. */
#include <errno.h>
#include <math.h>
#include <string.h>

#include <ebur128.h>
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/avstring.h>

#include "avhelp.h"
#include "limiter.h"
#include "loudmeter.h"

struct LoudMeter {
    int want_channels, want_rate;
    ebur128_state *st;
    AVChannelLayout layout; /* measured layout, set at the first frame */
    int rate;
    SwrContext *swr;
    int in_rate, in_fmt;
    AVChannelLayout in_layout;
    float *buf; /* interleaved float */
    int buf_samples;
    float gain;
    int level_set, limit, light;
    double ceiling_dbtp;
    SobreLimiter *lim;
    int64_t samples;
};

int sobre_loudmeter_new(LoudMeter **out, int channels, int sample_rate, SobreError *err)
{
    LoudMeter *m = av_mallocz(sizeof(*m));
    *out = NULL;
    if (!m)
        return sobre_fail(err, AVERROR(ENOMEM), "out of memory");
    m->want_channels = channels;
    m->want_rate = sample_rate;
    m->gain = 1.0f;
    *out = m;
    return 0;
}

int sobre_loudmeter_set_level(LoudMeter *m, double gain_db, int limit, double ceiling_dbtp,
                              SobreError *err)
{
    if (m->st)
        return sobre_fail(err, SOBRE_E_INVALID, "loudness meter: level set after the first frame");
    m->gain = (float)sobre_loud_db_to_gain(gain_db);
    m->limit = limit;
    m->ceiling_dbtp = ceiling_dbtp;
    m->level_set = 1;
    return 0;
}

void sobre_loudmeter_free(LoudMeter **mp)
{
    LoudMeter *m = mp ? *mp : NULL;
    if (!m)
        return;
    if (m->st)
        ebur128_destroy(&m->st);
    swr_free(&m->swr);
    av_channel_layout_uninit(&m->layout);
    av_channel_layout_uninit(&m->in_layout);
    av_freep(&m->buf);
    sobre_limiter_free(&m->lim);
    av_freep(mp);
}

static int weight(const AVChannelLayout *l, int i)
{
    enum AVChannel c = av_channel_layout_channel_from_index(l, (unsigned)i);
    switch (c) {
    case AV_CHAN_LOW_FREQUENCY:
    case AV_CHAN_LOW_FREQUENCY_2:
        return EBUR128_UNUSED;
    case AV_CHAN_BACK_LEFT:
    case AV_CHAN_BACK_CENTER:
    case AV_CHAN_BACK_RIGHT:
    case AV_CHAN_SIDE_LEFT:
    case AV_CHAN_SIDE_RIGHT:
    case AV_CHAN_TOP_BACK_LEFT:
    case AV_CHAN_TOP_BACK_CENTER:
    case AV_CHAN_TOP_BACK_RIGHT:
    case AV_CHAN_SURROUND_DIRECT_LEFT:
    case AV_CHAN_SURROUND_DIRECT_RIGHT:
        return EBUR128_Mp110; /* weight 1.41 */
    default:
        return EBUR128_Mp000; /* weight 1 */
    }
}

/* The first frame fixes the measured layout and rate. */
static int start(LoudMeter *m, const AVFrame *f, SobreError *err)
{
    int ret;
    if (m->want_channels > 0)
        av_channel_layout_default(&m->layout, m->want_channels);
    else if ((ret = av_channel_layout_copy(&m->layout, &f->ch_layout)) < 0)
        return sobre_fail(err, ret, "out of memory");
    m->rate = m->want_rate > 0 ? m->want_rate : f->sample_rate;
    if (m->layout.nb_channels < 1 || m->layout.nb_channels > 64 || m->rate < 1)
        return sobre_fail(err, SOBRE_E_UNSUPPORTED, "audio of %d channels at %d Hz",
                          m->layout.nb_channels, m->rate);
    m->st = ebur128_init((unsigned)m->layout.nb_channels, (unsigned long)m->rate,
                         m->light ? EBUR128_MODE_I
                                  : EBUR128_MODE_I | EBUR128_MODE_LRA | EBUR128_MODE_TRUE_PEAK);
    if (!m->st)
        return sobre_fail(err, AVERROR(ENOMEM), "out of memory");
    for (int i = 0; i < m->layout.nb_channels; i++)
        ebur128_set_channel(m->st, (unsigned)i, weight(&m->layout, i));
    if (m->level_set && m->limit &&
        sobre_limiter_new(&m->lim, m->layout.nb_channels, m->rate,
                          20 * log10(m->gain > 0 ? m->gain : 1), m->ceiling_dbtp) < 0)
        return sobre_fail(err, SOBRE_E_UNSUPPORTED, "no limiter for %d channels",
                          m->layout.nb_channels);
    return 0;
}

static int grow(LoudMeter *m, int samples, SobreError *err)
{
    if (samples <= m->buf_samples)
        return 0;
    av_freep(&m->buf);
    m->buf = av_malloc_array((size_t)samples * (size_t)m->layout.nb_channels, sizeof(float));
    m->buf_samples = m->buf ? samples : 0;
    return m->buf ? 0 : sobre_fail(err, AVERROR(ENOMEM), "out of memory");
}

/* Gain and limiter as the encoder gets them, then libebur128. */
static int measure(LoudMeter *m, int n)
{
    float *ch[64];
    int nc = m->layout.nb_channels;
    if (m->lim) {
        for (int c = 0; c < nc; c++)
            ch[c] = m->buf + c;
        n = sobre_limiter_process(m->lim, ch, nc, n);
    } else if (m->gain != 1.0f) {
        for (int i = 0; i < n * nc; i++)
            m->buf[i] *= m->gain;
    }
    m->samples += n;
    return n > 0 ? ebur128_add_frames_float(m->st, m->buf, (size_t)n) : 0;
}

void sobre_loudmeter_integrated_only(LoudMeter *m)
{
    m->light = 1;
}

int sobre_loudmeter_add(LoudMeter *m, const AVFrame *f, SobreError *err)
{
    int ret, max, got;
    if (!m->st && (ret = start(m, f, err)) < 0)
        return ret;
    if (!m->swr || f->sample_rate != m->in_rate || f->format != m->in_fmt ||
        av_channel_layout_compare(&f->ch_layout, &m->in_layout)) {
        if ((ret = sobre_audio_converter(&m->swr, &m->layout, AV_SAMPLE_FMT_FLT, m->rate, f, err)) <
            0)
            return ret;
        m->in_rate = f->sample_rate;
        m->in_fmt = f->format;
        av_channel_layout_uninit(&m->in_layout);
        if ((ret = av_channel_layout_copy(&m->in_layout, &f->ch_layout)) < 0)
            return sobre_fail(err, ret, "out of memory");
    }
    max = swr_get_out_samples(m->swr, f->nb_samples);
    if (max <= 0)
        return 0;
    if ((ret = grow(m, max, err)) < 0)
        return ret;
    got = swr_convert(m->swr, (uint8_t **)&m->buf, max, (const uint8_t **)f->extended_data,
                      f->nb_samples);
    if (got < 0)
        return sobre_fail_av(err, got, "cannot convert this audio", NULL);
    if (measure(m, got) != EBUR128_SUCCESS)
        return sobre_fail(err, AVERROR(ENOMEM), "loudness measurement: out of memory");
    return 0;
}

static double db(double linear)
{
    return linear > 0 ? 20 * log10(linear) : -HUGE_VAL;
}

int sobre_loudmeter_finish(LoudMeter *m, LoudMeterResult *r, SobreError *err)
{
    double peak = 0, v;
    int ret;
    memset(r, 0, sizeof(*r));
    r->m.integrated_lufs = r->m.true_peak_dbtp = -HUGE_VAL;
    if (!m->st)
        return sobre_fail(err, SOBRE_E_NOMEDIA, "no audio was decoded");
    if (m->swr) { /* the resampler's delay line */
        int max = swr_get_out_samples(m->swr, 0), got;
        if (max > 0 && (ret = grow(m, max, err)) < 0)
            return ret;
        if (max > 0 && (got = swr_convert(m->swr, (uint8_t **)&m->buf, max, NULL, 0)) > 0)
            measure(m, got);
    }
    if (m->lim) { /* the samples the limiter holds for its look-ahead */
        float *ch[64];
        int n, nc = m->layout.nb_channels;
        if ((ret = grow(m, sobre_limiter_delay(m->lim) + 1, err)) < 0)
            return ret;
        for (int c = 0; c < nc; c++)
            ch[c] = m->buf + c;
        n = sobre_limiter_flush(m->lim, ch, nc, m->buf_samples);
        m->samples += n;
        if (n > 0)
            ebur128_add_frames_float(m->st, m->buf, (size_t)n);
        r->limiter_db = sobre_limiter_reduction_db(m->lim);
    }
    if (ebur128_loudness_global(m->st, &r->m.integrated_lufs) != EBUR128_SUCCESS)
        r->m.integrated_lufs = -HUGE_VAL;
    if (m->light || ebur128_loudness_range(m->st, &r->m.range_lu) != EBUR128_SUCCESS)
        r->m.range_lu = 0;
    for (int c = 0; !m->light && c < m->layout.nb_channels; c++)
        if (ebur128_true_peak(m->st, (unsigned)c, &v) == EBUR128_SUCCESS && v > peak)
            peak = v;
    r->m.true_peak_dbtp = db(peak);
    r->seconds = m->rate > 0 ? m->samples / (double)m->rate : 0;
    r->channels = m->layout.nb_channels;
    r->sample_rate = m->rate;
    return 0;
}

static int open_decoder(AVFormatContext *fmt, int stream, AVCodecContext **dec, const char *path,
                        SobreError *err)
{
    const AVCodec *c;
    int ret;
    if (stream < 0 || stream >= (int)fmt->nb_streams ||
        fmt->streams[stream]->codecpar->codec_type != AVMEDIA_TYPE_AUDIO)
        return sobre_fail(err, SOBRE_E_NOMEDIA, "%s: stream %d is not audio", path, stream);
    if (!(c = avcodec_find_decoder(fmt->streams[stream]->codecpar->codec_id)))
        return sobre_fail(err, SOBRE_E_UNSUPPORTED, "%s: no decoder for the audio stream", path);
    if (!(*dec = avcodec_alloc_context3(c)))
        return sobre_fail(err, AVERROR(ENOMEM), "out of memory");
    if ((ret = avcodec_parameters_to_context(*dec, fmt->streams[stream]->codecpar)) < 0)
        return sobre_fail_av(err, ret, "bad stream parameters", path);
    (*dec)->pkt_timebase = fmt->streams[stream]->time_base;
    (*dec)->thread_count = 1;
    if ((ret = avcodec_open2(*dec, c, NULL)) < 0)
        return sobre_fail_av(err, ret, "cannot open the audio decoder", path);
    for (unsigned i = 0; i < fmt->nb_streams; i++) /* the demuxer may skip the others */
        if ((int)i != stream)
            fmt->streams[i]->discard = AVDISCARD_ALL;
    return 0;
}

typedef struct Scan {
    AVFormatContext *fmt;
    int stream;
    AVCodecContext *dec;
    AVFrame *f;
    const AudioRead *r;
    double done_s, told_s;
} Scan;

/* A packet (NULL: the end) into the decoder, its frames to the callback. Damaged data is
 * skipped, as players and the encode do. */
static int feed(Scan *s, const AVPacket *pkt, SobreError *err)
{
    AVStream *st = s->fmt->streams[s->stream];
    int64_t t0 = s->fmt->start_time != AV_NOPTS_VALUE ? s->fmt->start_time : 0;
    int ret = avcodec_send_packet(s->dec, pkt);
    if (ret < 0 && ret != AVERROR_EOF && pkt)
        return 0;
    while ((ret = avcodec_receive_frame(s->dec, s->f)) >= 0) {
        int64_t ts =
            s->f->best_effort_timestamp != AV_NOPTS_VALUE ? s->f->best_effort_timestamp : s->f->pts;
        int64_t us =
            ts != AV_NOPTS_VALUE ? av_rescale_q(ts, st->time_base, AV_TIME_BASE_Q) - t0 : ts;
        ret = s->r->on_frame(s->r->opaque, s->f, us, err);
        s->done_s += s->f->sample_rate > 0 ? s->f->nb_samples / (double)s->f->sample_rate : 0;
        av_frame_unref(s->f);
        if (ret < 0)
            return ret;
    }
    return 0;
}

int sobre_audio_read(const char *path, int stream, const AudioRead *r, SobreError *err)
{
    AVDictionary *opts = NULL;
    AVPacket *pkt = av_packet_alloc();
    Scan s = {.f = av_frame_alloc(), .r = r, .stream = stream};
    char *url = av_asprintf("file:%s", path);
    int ret;

    if (!pkt || !s.f || !url) {
        ret = sobre_fail(err, AVERROR(ENOMEM), "out of memory");
        goto end;
    }
    /* local files only, as probe opens them */
    av_dict_set(&opts, "protocol_whitelist", "file", 0);
    if ((ret = avformat_open_input(&s.fmt, url, NULL, &opts)) < 0 ||
        (ret = avformat_find_stream_info(s.fmt, NULL)) < 0) {
        sobre_fail_av(err, ret, "cannot read the audio", path);
        goto end;
    }
    if ((ret = open_decoder(s.fmt, stream, &s.dec, path, err)) < 0)
        goto end;
    while ((ret = av_read_frame(s.fmt, pkt)) >= 0) {
        if (r->cancel && atomic_load(r->cancel)) {
            av_packet_unref(pkt);
            ret = sobre_fail(err, SOBRE_E_CANCELLED, "%s: cancelled", path);
            goto end;
        }
        ret = pkt->stream_index == stream ? feed(&s, pkt, err) : 0;
        av_packet_unref(pkt);
        if (ret < 0)
            goto end;
        if (r->tick && s.done_s - s.told_s >= 1.0) {
            r->tick(r->opaque, s.done_s);
            s.told_s = s.done_s;
        }
    }
    if ((ret = feed(&s, NULL, err)) < 0)
        goto end;
    ret = 0;
end:
    av_dict_free(&opts);
    av_free(url);
    avcodec_free_context(&s.dec);
    avformat_close_input(&s.fmt);
    av_packet_free(&pkt);
    av_frame_free(&s.f);
    return ret;
}

typedef struct Meters {
    LoudMeter *const *m;
    int n;
} Meters;

static int to_meters(void *opaque, const AVFrame *f, int64_t us, SobreError *err)
{
    const Meters *ms = opaque;
    int ret = 0;
    (void)us;
    for (int i = 0; ret >= 0 && i < ms->n; i++)
        ret = sobre_loudmeter_add(ms->m[i], f, err);
    return ret;
}

int sobre_loud_scan(const char *path, int stream, LoudMeter *const *meters, int n, SobreError *err)
{
    Meters ms = {meters, n};
    AudioRead r = {to_meters, NULL, &ms, NULL};
    return sobre_audio_read(path, stream, &r, err);
}
