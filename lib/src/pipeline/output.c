/* Output files: muxer set-up under a temporary name, packet writing with time-base
 * rescaling and a tally per stream (count, CRC-32 of the payloads, end time), the RFC 6381
 * codec strings the site's <source type> needs, and the container check every output
 * passes before it takes its final name: the file is read back and must hold exactly what
 * was written (the video packets were decode-checked as they were made, vquality.c). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <libavutil/avstring.h>
#include <libavutil/crc.h>
#include <libavutil/pixdesc.h>

#include "avhelp.h"
#include "ffcompat.h"
#include "output.h"

static const char *muxer_name(SobreContainer c)
{
    switch (c) {
    case SOBRE_CONTAINER_WEBM:
        return "webm";
    case SOBRE_CONTAINER_M4A:
        return "ipod";
    default:
        return "mp4";
    }
}

int sobre_output_open(Output *o, const char *tmp_path, const char *final_path,
                      SobreContainer container, SobreError *err)
{
    int ret;
    memset(o, 0, sizeof(*o));
    o->vstream = o->astream = -1;
    av_strlcpy(o->tmp_path, tmp_path, sizeof(o->tmp_path));
    av_strlcpy(o->final_path, final_path, sizeof(o->final_path));
    ret = avformat_alloc_output_context2(&o->fmt, NULL, muxer_name(container), tmp_path);
    if (ret < 0)
        return sobre_fail_av(err, ret, "cannot set up the muxer", final_path);
    ret = avio_open(&o->fmt->pb, tmp_path, AVIO_FLAG_WRITE);
    if (ret < 0)
        return sobre_fail_av(err, ret, "cannot create", tmp_path);
    return 0;
}

int sobre_output_add_stream(Output *o, const AVCodecContext *enc, int *index, SobreError *err)
{
    AVStream *st = avformat_new_stream(o->fmt, NULL);
    int ret;
    if (!st)
        return sobre_fail(err, AVERROR(ENOMEM), "out of memory");
    ret = avcodec_parameters_from_context(st->codecpar, enc);
    if (ret < 0)
        return sobre_fail_av(err, ret, "cannot copy codec parameters", o->final_path);
    st->time_base = enc->time_base;
    if (st->index >= OUTPUT_MAX_STREAMS)
        return sobre_fail(err, SOBRE_E_INVALID, "%s: too many streams", o->final_path);
    /* what the muxer does to the payloads (libavformat/movenc.c, matroskaenc.c) */
    o->tally[st->index].reframed = enc->codec_id == AV_CODEC_ID_H264 &&
                                   strcmp(o->fmt->oformat->name, "webm") &&
                                   !(enc->extradata_size > 0 && enc->extradata[0] == 1);
    o->tally[st->index].opaque = enc->codec_id == AV_CODEC_ID_AV1;
    if (enc->codec_type == AVMEDIA_TYPE_VIDEO) {
        st->avg_frame_rate = enc->framerate;
        st->r_frame_rate = enc->framerate;
    }
    *index = st->index;
    return 0;
}

int sobre_output_copy_hdr_metadata(Output *o, int index, const AVStream *from, SobreError *err)
{
    static const enum AVPacketSideDataType types[] = {AV_PKT_DATA_MASTERING_DISPLAY_METADATA,
                                                      AV_PKT_DATA_CONTENT_LIGHT_LEVEL};
    for (size_t i = 0; from && i < sizeof(types) / sizeof(types[0]); i++) {
        size_t size = 0;
        const uint8_t *data = ffc_stream_side_data(from, types[i], &size);
        uint8_t *copy;
        int ret;
        if (!data || !size)
            continue;
        if (!(copy = av_memdup(data, size)))
            return sobre_fail(err, AVERROR(ENOMEM), "out of memory");
        if ((ret = ffc_stream_add_side_data(o->fmt->streams[index], types[i], copy, size)) < 0)
            return sobre_fail_av(err, ret, "cannot keep the HDR metadata", o->final_path);
    }
    return 0;
}

int sobre_output_write_header(Output *o, SobreError *err)
{
    AVDictionary *opts = NULL;
    int ret;
    /* MP4: moov first so browsers start playing before the whole file is loaded. */
    if (!strcmp(o->fmt->oformat->name, "mp4") || !strcmp(o->fmt->oformat->name, "ipod"))
        av_dict_set(&opts, "movflags", "+faststart", 0);
    ret = avformat_write_header(o->fmt, &opts);
    av_dict_free(&opts);
    if (ret < 0)
        return sobre_fail_av(err, ret, "cannot write the header", o->final_path);
    o->header_written = 1;
    return 0;
}

/* The start of the next Annex B start code at or after p (its leading zero included when it
 * has four bytes), or end: libavformat's ff_avc_find_startcode(). */
static const uint8_t *startcode(const uint8_t *p, const uint8_t *end)
{
    const uint8_t *q = p;
    while (q + 2 < end && (q[0] || q[1] || q[2] != 1))
        q++;
    if (q + 2 >= end)
        return end;
    return p < q && !q[-1] ? q - 1 : q;
}

/* CRC of an Annex B packet as the MP4 muxer stores it: each NAL unit behind its 32-bit
 * big-endian size (ff_avc_parse_nal_units()). */
static uint32_t crc_reframed(uint32_t crc, const uint8_t *p, int size)
{
    const AVCRC *t = av_crc_get_table(AV_CRC_32_IEEE_LE);
    const uint8_t *end = p + size, *nal = startcode(p, end), *next;
    for (;;) {
        uint8_t be[4];
        uint32_t n;
        while (nal < end && !*(nal++))
            ;
        if (nal == end)
            return crc;
        next = startcode(nal, end);
        n = (uint32_t)(next - nal);
        be[0] = (uint8_t)(n >> 24), be[1] = (uint8_t)(n >> 16), be[2] = (uint8_t)(n >> 8);
        be[3] = (uint8_t)n;
        crc = av_crc(t, av_crc(t, crc, be, 4), nal, n);
        nal = next;
    }
}

static void tally(OutputTally *t, const AVPacket *pkt)
{
    t->packets++;
    if (t->reframed)
        t->crc = crc_reframed(t->crc, pkt->data, pkt->size);
    else
        t->crc = av_crc(av_crc_get_table(AV_CRC_32_IEEE_LE), t->crc, pkt->data, pkt->size);
    if (pkt->pts != AV_NOPTS_VALUE && pkt->pts + pkt->duration > t->end)
        t->end = pkt->pts + pkt->duration;
}

int sobre_output_write(Output *o, AVPacket *pkt, int stream, AVRational tb, SobreError *err)
{
    int ret;
    pkt->stream_index = stream;
    av_packet_rescale_ts(pkt, tb, o->fmt->streams[stream]->time_base);
    tally(&o->tally[stream], pkt); /* before the muxer takes the packet */
    ret = av_interleaved_write_frame(o->fmt, pkt);
    if (ret < 0)
        return sobre_fail_av(err, ret, "cannot write", o->final_path);
    return 0;
}

int sobre_output_finish(Output *o, SobreError *err)
{
    int ret = av_write_trailer(o->fmt);
    if (ret < 0)
        return sobre_fail_av(err, ret, "cannot finish", o->final_path);
    ret = avio_closep(&o->fmt->pb);
    if (ret < 0)
        return sobre_fail_av(err, ret, "cannot close", o->final_path);
    return 0;
}

void sobre_output_close(Output *o)
{
    if (o->fmt) {
        if (o->fmt->pb)
            avio_closep(&o->fmt->pb);
        avformat_free_context(o->fmt);
        o->fmt = NULL;
    }
    if (o->tmp_path[0])
        unlink(o->tmp_path); /* no-op once renamed */
}

/* ---- codec strings (RFC 6381, and the VP9 / AV1 codec ISO-BMFF bindings) ---- */

static int vp9_level(int w, int h, double fps)
{
    static const struct {
        int level;
        double pic, rate;
    } t[] = {{10, 36864, 829440},         {11, 73728, 2764800},       {20, 122880, 4608000},
             {21, 245760, 9216000},       {30, 552960, 20736000},     {31, 983040, 36864000},
             {40, 2228224, 83558400},     {41, 2228224, 160432128},   {50, 8912896, 311951360},
             {51, 8912896, 588251136},    {52, 8912896, 1176502272},  {60, 35651584, 1176502272},
             {61, 35651584, 2353004544.}, {62, 35651584, 4706009088.}};
    double pic = (double)w * h, rate = pic * (fps > 0 ? fps : 30);
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
        if (pic <= t[i].pic && rate <= t[i].rate)
            return t[i].level;
    return 62;
}

static int av1_level(int w, int h, double fps)
{
    /* seq_level_idx: 2.0 = 0, 2.1 = 1, 3.0 = 4, 3.1 = 5, 4.0 = 8, 4.1 = 9, 5.0 = 12 ... */
    static const struct {
        int idx;
        double pic, rate;
    } t[] = {{0, 147456, 4423680},     {1, 278784, 8363520},     {4, 665856, 19975680},
             {5, 1065024, 31950720},   {8, 2359296, 70778880},   {9, 2359296, 141557760},
             {12, 8912896, 267386880}, {13, 8912896, 534773760}, {14, 8912896, 1069547520}};
    double pic = (double)w * h, rate = pic * (fps > 0 ? fps : 30);
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
        if (pic <= t[i].pic && rate <= t[i].rate)
            return t[i].idx;
    return 15;
}

/* profile_idc, constraint flags, level_idc from the SPS in the encoder's extradata
 * (Annex B start codes or an avcC record). */
static int h264_pcl(const AVCodecContext *enc, int *p, int *c, int *l)
{
    const uint8_t *d = enc->extradata;
    int n = enc->extradata_size;
    if (n >= 4 && d[0] == 1) { /* avcC */
        *p = d[1], *c = d[2], *l = d[3];
        return 0;
    }
    for (int i = 0; i + 4 < n; i++)
        if (d[i] == 0 && d[i + 1] == 0 && d[i + 2] == 1 && (d[i + 3] & 0x1f) == 7 && i + 6 < n) {
            *p = d[i + 4], *c = d[i + 5], *l = d[i + 6];
            return 0;
        }
    return -1;
}

void sobre_codec_string(const AVCodecContext *enc, char *out, size_t size)
{
    double fps = enc->framerate.num > 0 ? av_q2d(enc->framerate) : 0;
    int p, c, l;
    switch (enc->codec_id) {
    case AV_CODEC_ID_VP9:
        if (enc->pix_fmt == AV_PIX_FMT_YUV420P10)
            /* Profile 2, 10-bit, 4:2:0, then the colours (ISO/IEC 23001-8 code points), so
             * that a browser can tell an HDR screen is needed before fetching a byte */
            snprintf(out, size, "vp09.02.%02d.10.01.%02d.%02d.%02d.00",
                     vp9_level(enc->width, enc->height, fps), enc->color_primaries, enc->color_trc,
                     enc->colorspace);
        else
            snprintf(out, size, "vp09.00.%02d.08", vp9_level(enc->width, enc->height, fps));
        break;
    case AV_CODEC_ID_AV1:
        snprintf(out, size, "av01.0.%02dM.08", av1_level(enc->width, enc->height, fps));
        break;
    case AV_CODEC_ID_H264:
        if (h264_pcl(enc, &p, &c, &l) == 0)
            snprintf(out, size, "avc1.%02x%02x%02x", p, c, l);
        else
            snprintf(out, size, "avc1.42e01e");
        break;
    case AV_CODEC_ID_OPUS:
        snprintf(out, size, "opus");
        break;
    case AV_CODEC_ID_AAC:
        snprintf(out, size, "mp4a.40.2");
        break;
    default:
        snprintf(out, size, "%s", avcodec_get_name(enc->codec_id));
    }
}

/* ---- container check ---- */

/* meter: the loudness meter of this stream, or NULL. */
static int decode_all(AVCodecContext *dec, const AVPacket *pkt, AVFrame *f, LoudMeter *meter,
                      SobreError *err)
{
    int ret = avcodec_send_packet(dec, pkt);
    if (ret < 0 && ret != AVERROR_EOF)
        return ret;
    while ((ret = avcodec_receive_frame(dec, f)) >= 0) {
        if (meter && (ret = sobre_loudmeter_add(meter, f, err)) < 0) {
            av_frame_unref(f);
            return ret;
        }
        av_frame_unref(f);
    }
    return ret == AVERROR(EAGAIN) || ret == AVERROR_EOF ? 0 : ret;
}

/* Decoders for the streams whose packets were not decode-checked as they were made: audio
 * (cheap) and whatever the muxer rewrites opaquely. */
static int open_decoders(const Output *o, AVFormatContext *fmt, AVCodecContext **dec,
                         SobreError *err)
{
    for (unsigned i = 0; i < fmt->nb_streams; i++) {
        const AVCodecParameters *par = fmt->streams[i]->codecpar;
        const AVCodec *c;
        int ret;
        if (par->codec_type != AVMEDIA_TYPE_AUDIO && !o->tally[i].opaque)
            continue;
        if (!(c = avcodec_find_decoder(par->codec_id)) || !(dec[i] = avcodec_alloc_context3(c)) ||
            avcodec_parameters_to_context(dec[i], par) < 0)
            return sobre_fail(err, SOBRE_E_VERIFY, "%s: no decoder for stream %u", o->tmp_path, i);
        dec[i]->thread_count = 1;
        dec[i]->err_recognition = AV_EF_EXPLODE | AV_EF_CRCCHECK;
        if ((ret = avcodec_open2(dec[i], c, NULL)) < 0)
            return sobre_fail_av(err, ret, "cannot open a decoder for the check", o->tmp_path);
    }
    return 0;
}

/* The tallies of what was read against those of what was written, and the duration. */
static int compare(const Output *o, AVFormatContext *fmt, const OutputTally *got, SobreError *err)
{
    double end_s = 0, dur = fmt->duration > 0 ? fmt->duration / (double)AV_TIME_BASE : 0;
    int64_t packets = 0;
    for (unsigned i = 0; i < fmt->nb_streams; i++) {
        const OutputTally *w = &o->tally[i];
        if (got[i].packets != w->packets || (!w->opaque && got[i].crc != w->crc))
            return sobre_fail(err, SOBRE_E_VERIFY,
                              "%s: stream %u holds %lld packets (CRC %08x), %lld were written "
                              "(CRC %08x)",
                              o->tmp_path, i, (long long)got[i].packets, (unsigned)got[i].crc,
                              (long long)w->packets, (unsigned)w->crc);
        packets += w->packets;
        end_s = FFMAX(end_s, w->end * av_q2d(o->fmt->streams[i]->time_base));
    }
    /* the container's duration is what the report and players show: it must be the
     * written one (codec delay and rounding aside) */
    if (packets && (dur <= 0 || fabs(dur - end_s) > FFMAX(1.0, 0.05 * end_s)))
        return sobre_fail(err, SOBRE_E_VERIFY, "%s: the container says %.3f s, %.3f s were written",
                          o->tmp_path, dur, end_s);
    return 0;
}

int sobre_output_check(Output *o, double *duration_s, LoudMeterResult *loud, SobreError *err)
{
    AVFormatContext *fmt = NULL;
    AVCodecContext *dec[OUTPUT_MAX_STREAMS] = {NULL};
    OutputTally got[OUTPUT_MAX_STREAMS];
    AVPacket *pkt = av_packet_alloc();
    AVFrame *f = av_frame_alloc();
    const AVCRC *crc = av_crc_get_table(AV_CRC_32_IEEE_LE);
    AVDictionary *opts = NULL;
    LoudMeter *meter = NULL;
    int ret, astream = -1;

    *duration_s = 0;
    if (loud)
        memset(loud, 0, sizeof(*loud));
    memset(got, 0, sizeof(got));
    if (!pkt || !f) {
        ret = sobre_fail(err, AVERROR(ENOMEM), "out of memory");
        goto end;
    }
    /* every sample the MP4 holds, even those its edit list hides (AAC priming) */
    av_dict_set(&opts, "ignore_editlist", "1", 0);
    ret = avformat_open_input(&fmt, o->tmp_path, NULL, &opts);
    av_dict_free(&opts);
    if (ret < 0) {
        sobre_fail_av(err, ret, "the new file does not open", o->tmp_path);
        ret = SOBRE_E_VERIFY;
        goto end;
    }
    /* MP4 leaves out a track that got no sample (an input whose audio holds none): only
     * trailing streams written empty may be missing */
    unsigned lost = 0; /* streams written with packets that the file does not hold */
    for (unsigned i = fmt->nb_streams; i < o->fmt->nb_streams; i++)
        lost += o->tally[i].packets > 0;
    if (fmt->nb_streams > o->fmt->nb_streams || lost) {
        ret = sobre_fail(err, SOBRE_E_VERIFY, "%s: %u streams, %u were written", o->tmp_path,
                         fmt->nb_streams, o->fmt->nb_streams);
        goto end;
    }
    for (unsigned i = 0; i < fmt->nb_streams; i++)
        if (fmt->streams[i]->codecpar->codec_id != o->fmt->streams[i]->codecpar->codec_id) {
            ret = sobre_fail(err, SOBRE_E_VERIFY, "%s: stream %u is not the codec written",
                             o->tmp_path, i);
            goto end;
        }
    if ((ret = open_decoders(o, fmt, dec, err)) < 0)
        goto end;
    /* the loudness of the first audio stream, measured as it is decoded for the check */
    for (unsigned i = 0; loud && astream < 0 && i < fmt->nb_streams; i++)
        if (dec[i] && dec[i]->codec_type == AVMEDIA_TYPE_AUDIO) {
            if ((ret = sobre_loudmeter_new(&meter, 0, 0, err)) < 0)
                goto end;
            astream = (int)i;
        }
    while ((ret = av_read_frame(fmt, pkt)) >= 0) {
        int s = pkt->stream_index;
        got[s].packets++;
        got[s].crc = av_crc(crc, got[s].crc, pkt->data, pkt->size);
        ret = dec[s] ? decode_all(dec[s], pkt, f, s == astream ? meter : NULL, err) : 0;
        av_packet_unref(pkt);
        if (ret < 0) {
            sobre_fail_av(err, ret, "the new file does not decode cleanly", o->tmp_path);
            ret = SOBRE_E_VERIFY;
            goto end;
        }
    }
    if (ret != AVERROR_EOF) {
        sobre_fail_av(err, ret, "the new file does not read to its end", o->tmp_path);
        ret = SOBRE_E_VERIFY;
        goto end;
    }
    for (unsigned i = 0; i < fmt->nb_streams; i++)
        if (dec[i] &&
            (ret = decode_all(dec[i], NULL, f, (int)i == astream ? meter : NULL, err)) < 0) {
            sobre_fail_av(err, ret, "the new file does not decode cleanly", o->tmp_path);
            ret = SOBRE_E_VERIFY;
            goto end;
        }
    if ((ret = compare(o, fmt, got, err)) < 0)
        goto end;
    *duration_s = fmt->duration > 0 ? fmt->duration / (double)AV_TIME_BASE : 0;
    ret = 0;
    if (meter && sobre_loudmeter_finish(meter, loud, NULL) < 0)
        memset(loud, 0, sizeof(*loud)); /* an audio stream without a sample: nothing to say */
end:
    sobre_loudmeter_free(&meter);
    for (int i = 0; i < OUTPUT_MAX_STREAMS; i++)
        avcodec_free_context(&dec[i]);
    avformat_close_input(&fmt);
    av_packet_free(&pkt);
    av_frame_free(&f);
    return ret;
}
