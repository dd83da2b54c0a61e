/* One audio setting (codec, channels, rate, bitrate): resample the decoded audio once,
 * keep it on the input's timestamps (silence for gaps, overlaps dropped), cut it into the
 * encoder's fixed frames through a FIFO, encode once, and hand each packet by reference
 * to every rendition that carries this audio. */
#include <errno.h>
#include <math.h>
#include <string.h>
#include <time.h>

#include <libavutil/opt.h>

#include "clock.h"
#include "aenc.h"
#include "avhelp.h"

/* Audio follows its timestamps like aresample=async: a frame more than ASYNC_MIN_MS away
 * from where the previous one ended (a damaged or cut stream) gets silence before it or
 * loses its overlapping start, so audio and video keep agreeing; below that, timestamp
 * jitter (millisecond-rounded containers) is ignored. A distance over ASYNC_MAX_S is no
 * gap but a timeline reset (MPEG-TS jumps are closed in input.c before this): the audio
 * just goes on, rather than padding hours of silence. */
enum { ASYNC_MIN_MS = 40, ASYNC_MAX_S = 60 };

/* The encoder's first float input format: where the loudness gain and limiter work. */
static int float_format(const AVCodec *codec)
{
    for (const enum AVSampleFormat *f = codec->sample_fmts; f && *f != AV_SAMPLE_FMT_NONE; f++)
        if (*f == AV_SAMPLE_FMT_FLT || *f == AV_SAMPLE_FMT_FLTP)
            return *f;
    return AV_SAMPLE_FMT_NONE;
}

static int set_level(AudioEnc *ae, const AVCodec *codec, const AudioLevel *level, SobreError *err)
{
    ae->gain = 1.0f;
    sobre_limiter_free(&ae->lim);
    if (!level || !level->on) {
        ae->ctx->sample_fmt = codec->sample_fmts ? codec->sample_fmts[0] : AV_SAMPLE_FMT_FLTP;
        return 0;
    }
    if ((ae->ctx->sample_fmt = float_format(codec)) == AV_SAMPLE_FMT_NONE)
        return sobre_fail(err, SOBRE_E_UNSUPPORTED,
                          "the %s encoder takes no float samples: loudness cannot be set",
                          codec->name);
    ae->gain = (float)pow(10.0, level->gain_db / 20.0);
    if (level->limit && sobre_limiter_new(&ae->lim, ae->set->channels, ae->set->sample_rate,
                                          level->gain_db, level->ceiling_dbtp) < 0)
        return sobre_fail(err, AVERROR(ENOMEM), "out of memory");
    return 0;
}

/* One decoded frame waiting for the level, by reference, with its position. */
typedef struct PendingAudio {
    AVFrame *f;
    int64_t start_sample;
} PendingAudio;

/* (Re)opens the encoder of ae->set with level. float_only: a level will come later
 * (sobre_aenc_open_pending), and apply_level() opens it again; this first open gives the
 * stream parameters the outputs take, those of the float encoder any level makes (the
 * WebM header's BitDepth says 32 bits). */
static int open_codec(AudioEnc *ae, const AudioLevel *level, int float_only, SobreError *err)
{
    const SobreAudioSetting *set = ae->set;
    const char *name = set->codec == SOBRE_CODEC_OPUS ? "libopus" : "aac";
    const AVCodec *codec = avcodec_find_encoder_by_name(name);
    AVDictionary *opts = NULL;
    int ret;

    avcodec_free_context(&ae->ctx);
    if (ae->fifo)
        av_audio_fifo_free(ae->fifo);
    ae->fifo = NULL;
    if (!codec)
        return sobre_fail(err, SOBRE_E_UNSUPPORTED, "this FFmpeg has no %s encoder", name);
    if (!(ae->ctx = avcodec_alloc_context3(codec)))
        return sobre_fail(err, AVERROR(ENOMEM), "out of memory");
    ae->ctx->sample_rate = set->sample_rate;
    av_channel_layout_default(&ae->ctx->ch_layout, set->channels);
    if (float_only) {
        static const AudioLevel unity = {1, 0, 0, 0, 0};
        level = &unity;
    }
    if ((ret = set_level(ae, codec, level, err)) < 0)
        return ret;
    ae->ctx->bit_rate = set->bitrate_kbps * 1000L;
    ae->ctx->time_base = (AVRational){1, set->sample_rate};
    ae->ctx->flags |= AV_CODEC_FLAG_GLOBAL_HEADER; /* WebM and MP4 both want it */
    if (set->codec == SOBRE_CODEC_OPUS) {
        char ms[16];
        snprintf(ms, sizeof(ms), "%d", set->frame_ms);
        av_dict_set(&opts, "frame_duration", ms, 0);
        av_dict_set(&opts, "application", set->voip ? "voip" : "audio", 0);
        av_dict_set(&opts, "vbr", "on", 0);
    }
    ret = avcodec_open2(ae->ctx, codec, &opts);
    av_dict_free(&opts);
    if (ret < 0)
        return sobre_fail_av(err, ret, "cannot open the audio encoder", name);
    ae->fifo = av_audio_fifo_alloc(ae->ctx->sample_fmt, set->channels, ae->ctx->frame_size * 4);
    if (!ae->fifo)
        return sobre_fail(err, AVERROR(ENOMEM), "out of memory");
    return 0;
}

static int open_enc(AudioEnc **out, const SobreAudioSetting *set, const AudioLevel *level,
                    int float_only, SobreError *err)
{
    AudioEnc *ae = av_mallocz(sizeof(*ae));
    int ret;

    *out = NULL;
    if (!ae)
        return sobre_fail(err, AVERROR(ENOMEM), "out of memory");
    ae->set = set;
    if (!(ae->frame = av_frame_alloc())) {
        ret = sobre_fail(err, AVERROR(ENOMEM), "out of memory");
        goto fail;
    }
    if ((ret = open_codec(ae, level, float_only, err)) < 0)
        goto fail;
    *out = ae;
    return 0;
fail:
    sobre_aenc_free(&ae);
    return ret;
}

int sobre_aenc_open(AudioEnc **out, const SobreAudioSetting *set, const AudioLevel *level,
                    SobreError *err)
{
    return open_enc(out, set, level, 0, err);
}

int sobre_aenc_open_pending(AudioEnc **out, const SobreAudioSetting *set, AudioLevelFn fn,
                            void *opaque, int setting, SobreError *err)
{
    int ret = open_enc(out, set, NULL, 1, err);
    if (ret >= 0) {
        (*out)->level_fn = fn;
        (*out)->level_opaque = opaque;
        (*out)->level_setting = setting;
    }
    return ret;
}

void sobre_aenc_free(AudioEnc **aep)
{
    AudioEnc *ae = aep ? *aep : NULL;
    if (!ae)
        return;
    for (int i = 0; i < ae->nb_pending; i++)
        av_frame_free(&ae->pending[i].f);
    av_freep(&ae->pending);
    avcodec_free_context(&ae->ctx);
    swr_free(&ae->swr);
    if (ae->fifo)
        av_audio_fifo_free(ae->fifo);
    av_frame_free(&ae->frame);
    av_channel_layout_uninit(&ae->in_layout);
    sobre_limiter_free(&ae->lim);
    av_freep(aep);
}

/* Sends every packet the encoder has ready to the consumers. */
static int drain(AudioEnc *ae, SobreError *err)
{
    AVPacket *pkt = av_packet_alloc();
    int ret;
    if (!pkt)
        return sobre_fail(err, AVERROR(ENOMEM), "out of memory");
    while ((ret = avcodec_receive_packet(ae->ctx, pkt)) >= 0) {
        for (int i = 0; i < ae->nb_queues; i++) {
            AVPacket *ref = av_packet_clone(pkt);
            if (!ref) {
                ret = AVERROR(ENOMEM);
                break;
            }
            if (sobre_queue_push(ae->queues[i], ref) < 0)
                av_packet_free(&ref); /* that rendition stopped; the job is failing */
        }
        for (int i = 0; ret >= 0 && i < ae->nb_direct; i++) {
            AVPacket *ref = av_packet_clone(pkt);
            Output *o = ae->direct[i];
            if (!ref) {
                ret = AVERROR(ENOMEM);
                break;
            }
            ret = sobre_output_write(o, ref, o->astream, ae->ctx->time_base, err);
            av_packet_free(&ref);
            if (ret < 0) {
                av_packet_free(&pkt);
                return ret; /* err names the output */
            }
        }
        if (ret >= 0 && ae->on_packet &&
            (ret = ae->on_packet(ae->on_packet_opaque, pkt, err)) < 0) {
            av_packet_free(&pkt);
            return ret;
        }
        av_packet_unref(pkt);
        if (ret < 0)
            break;
    }
    av_packet_free(&pkt);
    if (ret == AVERROR(EAGAIN) || ret == AVERROR_EOF)
        return 0;
    return sobre_fail_av(err, ret, "audio encoding failed", NULL);
}

static int encode_fifo(AudioEnc *ae, int final, SobreError *err)
{
    int fs = ae->ctx->frame_size > 0 ? ae->ctx->frame_size : 1024;
    int small_last = !!(ae->ctx->codec->capabilities & AV_CODEC_CAP_SMALL_LAST_FRAME);
    int ret;
    while (av_audio_fifo_size(ae->fifo) >= fs || (final && av_audio_fifo_size(ae->fifo) > 0)) {
        int n = FFMIN(fs, av_audio_fifo_size(ae->fifo));
        AVFrame *f = ae->frame;
        av_frame_unref(f);
        f->nb_samples = small_last ? n : fs;
        f->format = ae->ctx->sample_fmt;
        f->sample_rate = ae->ctx->sample_rate;
        if ((ret = av_channel_layout_copy(&f->ch_layout, &ae->ctx->ch_layout)) < 0 ||
            (ret = av_frame_get_buffer(f, 0)) < 0)
            return sobre_fail(err, ret, "out of memory");
        if (n < f->nb_samples)
            av_samples_set_silence(f->extended_data, 0, f->nb_samples, f->ch_layout.nb_channels,
                                   f->format);
        if (av_audio_fifo_read(ae->fifo, (void **)f->extended_data, n) < n)
            return sobre_fail(err, AVERROR_BUG, "audio FIFO underrun");
        f->pts = ae->next_pts;
        ae->next_pts += n;
        if ((ret = avcodec_send_frame(ae->ctx, f)) < 0)
            return sobre_fail_av(err, ret, "audio encoding failed", NULL);
        if ((ret = drain(ae, err)) < 0)
            return ret;
    }
    return 0;
}

static int setup_swr(AudioEnc *ae, const AVFrame *in, SobreError *err)
{
    int ret;
    if (ae->swr && in->sample_rate == ae->in_rate && in->format == ae->in_fmt &&
        !av_channel_layout_compare(&in->ch_layout, &ae->in_layout))
        return 0;
    if ((ret = sobre_audio_converter(&ae->swr, &ae->ctx->ch_layout, ae->ctx->sample_fmt,
                                     ae->ctx->sample_rate, in, err)) < 0)
        return ret;
    ae->in_rate = in->sample_rate;
    ae->in_fmt = in->format;
    av_channel_layout_uninit(&ae->in_layout);
    return av_channel_layout_copy(&ae->in_layout, &in->ch_layout);
}

/* n converted samples in buf: the loudness level (gain, or gain and limiter, which hands
 * back fewer samples while it fills its look-ahead), then the FIFO and the encoder. */
static int to_fifo(AudioEnc *ae, uint8_t **buf, int n, SobreError *err)
{
    int ch = ae->ctx->ch_layout.nb_channels;
    if (ae->lim || ae->gain != 1.0f) {
        int planar = av_sample_fmt_is_planar(ae->ctx->sample_fmt);
        float *p[SOBRE_LIMITER_MAX_CHANNELS];
        for (int c = 0; c < ch && c < SOBRE_LIMITER_MAX_CHANNELS; c++)
            p[c] = planar ? (float *)buf[c] : (float *)buf[0] + c;
        if (ae->lim) {
            n = sobre_limiter_process(ae->lim, p, planar ? 1 : ch, n);
        } else {
            for (int c = 0; c < ch; c++)
                for (int i = 0; i < n; i++)
                    p[c][(size_t)i * (size_t)(planar ? 1 : ch)] *= ae->gain;
        }
    }
    if (n > 0 && av_audio_fifo_write(ae->fifo, (void **)buf, n) < n)
        return sobre_fail(err, AVERROR(ENOMEM), "out of memory");
    return encode_fifo(ae, 0, err);
}

/* The samples the limiter holds for its look-ahead, at the end. */
static int flush_limiter(AudioEnc *ae, SobreError *err)
{
    uint8_t **buf = NULL;
    int ch = ae->ctx->ch_layout.nb_channels, n, ret;
    int planar = av_sample_fmt_is_planar(ae->ctx->sample_fmt);
    float *p[SOBRE_LIMITER_MAX_CHANNELS];
    if (!ae->lim || !sobre_limiter_pending(ae->lim))
        return 0;
    n = sobre_limiter_delay(ae->lim) + 1;
    if ((ret = av_samples_alloc_array_and_samples(&buf, NULL, ch, n, ae->ctx->sample_fmt, 0)) < 0)
        return sobre_fail(err, ret, "out of memory");
    for (int c = 0; c < ch; c++)
        p[c] = planar ? (float *)buf[c] : (float *)buf[0] + c;
    n = sobre_limiter_flush(ae->lim, p, planar ? 1 : ch, n);
    ret = n > 0 && av_audio_fifo_write(ae->fifo, (void **)buf, n) < n
              ? sobre_fail(err, AVERROR(ENOMEM), "out of memory")
              : 0;
    av_freep(&buf[0]);
    av_freep(&buf);
    return ret;
}

/* Writes n samples of silence into the FIFO, a second at a time, encoding as it goes. */
static int pad_silence(AudioEnc *ae, int64_t n, SobreError *err)
{
    uint8_t **buf = NULL;
    int chunk = (int)FFMIN(n, ae->ctx->sample_rate), ret;
    if (n <= 0)
        return 0;
    ret = av_samples_alloc_array_and_samples(&buf, NULL, ae->ctx->ch_layout.nb_channels, chunk,
                                             ae->ctx->sample_fmt, 0);
    if (ret < 0)
        return sobre_fail(err, ret, "out of memory");
    for (ret = 0; ret >= 0 && n > 0; n -= chunk) {
        chunk = (int)FFMIN(n, chunk);
        /* through the limiter too (it shifts what it is given), so silence is refilled */
        av_samples_set_silence(buf, 0, chunk, ae->ctx->ch_layout.nb_channels, ae->ctx->sample_fmt);
        ret = to_fifo(ae, buf, chunk, err);
    }
    av_freep(&buf[0]);
    av_freep(&buf);
    return ret;
}

/* Drops the first n of the got samples in buf (planar or packed), in place. */
static void drop_front(const AudioEnc *ae, uint8_t **buf, int n, int got)
{
    int planar = av_sample_fmt_is_planar(ae->ctx->sample_fmt);
    int ch = ae->ctx->ch_layout.nb_channels;
    size_t size = (size_t)av_get_bytes_per_sample(ae->ctx->sample_fmt) * (planar ? 1 : ch);
    for (int p = 0; p < (planar ? ch : 1); p++)
        memmove(buf[p], buf[p] + (size_t)n * size, (size_t)(got - n) * size);
}

/* Samples to skip at the start of this frame's output (an overlap), after padding a gap. */
static int follow_timestamps(AudioEnc *ae, int64_t start_sample, int64_t *skip, SobreError *err)
{
    int64_t at, diff, tol = (int64_t)ae->ctx->sample_rate * ASYNC_MIN_MS / 1000;
    *skip = 0;
    if (start_sample == AV_NOPTS_VALUE)
        return 0;
    at = ae->next_pts + av_audio_fifo_size(ae->fifo) +
         swr_get_delay(ae->swr, ae->ctx->sample_rate) +
         (ae->lim ? sobre_limiter_pending(ae->lim) : 0);
    diff = start_sample + ae->shift - at;
    if (diff > (int64_t)ae->ctx->sample_rate * ASYNC_MAX_S ||
        diff < -(int64_t)ae->ctx->sample_rate * ASYNC_MAX_S) {
        ae->shift -= diff;
        return 0;
    }
    if (diff < -tol) {
        *skip = -diff;
        return 0;
    }
    if (diff <= tol)
        return 0;
    ae->padded += diff;
    return pad_silence(ae, diff, err);
}

static int send_now(AudioEnc *ae, const AVFrame *in, int64_t start_sample, SobreError *err);

/* The level is known: the encoder is opened again as sobre_aenc_open() opens it with that
 * level (nothing was encoded yet; for no level, libopus takes s16, whose downmix
 * libswresample normalises where float keeps -3 dB a channel), so the packets are that
 * open's; then the frames that waited go in, in order. The outputs keep the first open's
 * stream parameters: for no level (near silence) a WebM header says 32 bits where an
 * s16 encoder's says 16 (Matroska's BitDepth, which Opus decoders do not read). */
static int apply_level(AudioEnc *ae, const AudioLevel *level, SobreError *err)
{
    int ret;
    ae->level_fn = NULL;
    ae->held_s = ae->pending_s;
    ret = open_codec(ae, level, 0, err);
    for (int i = 0; i < ae->nb_pending; i++) {
        if (ret >= 0)
            ret = send_now(ae, ae->pending[i].f, ae->pending[i].start_sample, err);
        av_frame_free(&ae->pending[i].f);
    }
    ae->nb_pending = 0;
    return ret;
}

/* block: wait for the level. Returns 1 when the encoder may encode, 0 when it must hold. */
static int settle(AudioEnc *ae, int block, SobreError *err)
{
    const AudioLevel *level = NULL;
    double t = block ? sobre_clock_wall() : 0;
    int ret;
    if (!ae->level_fn)
        return 1;
    ret = ae->level_fn(ae->level_opaque, ae->level_setting, block, &level);
    if (block)
        ae->wait_s += sobre_clock_wall() - t;
    if (ret < 0)
        return sobre_fail(err, ret, "cancelled");
    if (ret == 0)
        return 0;
    return (ret = apply_level(ae, level, err)) < 0 ? ret : 1;
}

static int hold(AudioEnc *ae, const AVFrame *in, int64_t start_sample, SobreError *err)
{
    if (ae->nb_pending == ae->max_pending) {
        int n = ae->max_pending ? 2 * ae->max_pending : 64;
        PendingAudio *p = av_realloc_array(ae->pending, n, sizeof(*p));
        if (!p)
            return sobre_fail(err, AVERROR(ENOMEM), "out of memory");
        ae->pending = p;
        ae->max_pending = n;
    }
    if (!(ae->pending[ae->nb_pending].f = av_frame_clone(in)))
        return sobre_fail(err, AVERROR(ENOMEM), "out of memory");
    ae->pending[ae->nb_pending++].start_sample = start_sample;
    if (in->sample_rate > 0)
        ae->pending_s += (double)in->nb_samples / in->sample_rate;
    return 0;
}

int sobre_aenc_send(AudioEnc *ae, const AVFrame *in, int64_t start_sample, SobreError *err)
{
    int ret;
    if (ae->level_fn) {
        /* the decoded audio waits (up to AENC_PENDING_MAX_S) while the level is decided */
        if ((ret = settle(ae, ae->pending_s >= AENC_PENDING_MAX_S, err)) < 0)
            return ret;
        if (ret == 0)
            return hold(ae, in, start_sample, err);
    }
    return send_now(ae, in, start_sample, err);
}

static int send_now(AudioEnc *ae, const AVFrame *in, int64_t start_sample, SobreError *err)
{
    double t = sobre_clock_thread_cpu();
    int ret, out_max, got;
    int64_t skip = 0;
    uint8_t **buf = NULL;

    if (!ae->started) {
        ae->next_pts = start_sample != AV_NOPTS_VALUE ? start_sample : 0; /* keeps the A/V offset */
        ae->started = 1;
    }
    if ((ret = setup_swr(ae, in, err)) < 0 ||
        (ret = follow_timestamps(ae, start_sample, &skip, err)) < 0)
        return ret;
    out_max = swr_get_out_samples(ae->swr, in->nb_samples);
    if (out_max <= 0)
        return 0;
    ret = av_samples_alloc_array_and_samples(&buf, NULL, ae->ctx->ch_layout.nb_channels, out_max,
                                             ae->ctx->sample_fmt, 0);
    if (ret < 0)
        return sobre_fail(err, ret, "out of memory");
    got = swr_convert(ae->swr, buf, out_max, (const uint8_t **)in->extended_data, in->nb_samples);
    if (got < 0) {
        ret = sobre_fail_av(err, got, "cannot convert this audio", NULL);
    } else {
        /* an overlap: the FIFO gets the samples after it */
        int keep = got - (int)FFMIN(skip, got);
        ae->dropped += got - keep;
        if (keep > 0 && keep < got)
            drop_front(ae, buf, got - keep, got);
        ret = keep > 0 ? to_fifo(ae, buf, keep, err) : 0;
    }
    av_freep(&buf[0]);
    av_freep(&buf);
    ae->cpu_s += sobre_clock_thread_cpu() - t;
    return ret;
}

int sobre_aenc_flush(AudioEnc *ae, SobreError *err)
{
    int ret;
    if ((ret = settle(ae, 1, err)) < 0)
        return ret;
    if (ae->swr) { /* the resampler's delay line */
        uint8_t **buf = NULL;
        int got, max = swr_get_out_samples(ae->swr, 0);
        if (max > 0 &&
            av_samples_alloc_array_and_samples(&buf, NULL, ae->ctx->ch_layout.nb_channels, max,
                                               ae->ctx->sample_fmt, 0) >= 0) {
            got = swr_convert(ae->swr, buf, max, NULL, 0);
            ret = got > 0 ? to_fifo(ae, buf, got, err) : 0;
            av_freep(&buf[0]);
            av_freep(&buf);
            if (ret < 0)
                return ret;
        }
    }
    if ((ret = flush_limiter(ae, err)) < 0 || (ret = encode_fifo(ae, 1, err)) < 0)
        return ret;
    if ((ret = avcodec_send_frame(ae->ctx, NULL)) < 0 && ret != AVERROR_EOF)
        return sobre_fail_av(err, ret, "audio encoding failed", NULL);
    return drain(ae, err);
}
