/* Every FFmpeg version difference lives here, so the rest of the media code is written
 * once. Target: Debian 12's FFmpeg 5.1 (libavcodec 59, libavformat 59); newer releases
 * moved side data to codecpar and frame booleans to flags. */
#ifndef SOBRE_FFCOMPAT_H
#define SOBRE_FFCOMPAT_H

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/display.h>
#include <libavutil/frame.h>

/* A stream's side data of one type (display matrix, Dolby Vision configuration, HDR
 * mastering metadata...), or NULL; *size gets its size. */
static inline const uint8_t *ffc_stream_side_data(const AVStream *st, enum AVPacketSideDataType t,
                                                  size_t *size)
{
#if LIBAVCODEC_VERSION_INT >= AV_VERSION_INT(60, 29, 100)
    const AVPacketSideData *sd =
        av_packet_side_data_get(st->codecpar->coded_side_data, st->codecpar->nb_coded_side_data, t);
    *size = sd ? sd->size : 0;
    return sd ? sd->data : NULL;
#else
    *size = 0;
    return av_stream_get_side_data(st, t, size);
#endif
}

/* Attaches side data to a stream (takes data, an av_malloc'ed buffer, even on failure). */
static inline int ffc_stream_add_side_data(AVStream *st, enum AVPacketSideDataType t, uint8_t *data,
                                           size_t size)
{
#if LIBAVCODEC_VERSION_INT >= AV_VERSION_INT(60, 29, 100)
    if (!av_packet_side_data_add(&st->codecpar->coded_side_data, &st->codecpar->nb_coded_side_data,
                                 t, data, size, 0)) {
        av_free(data);
        return AVERROR(ENOMEM);
    }
    return 0;
#else
    int ret = av_stream_add_side_data(st, t, data, size);
    if (ret < 0)
        av_free(data);
    return ret;
#endif
}

/* Display matrix of a stream (rotation), or NULL. */
static inline const int32_t *ffc_stream_display_matrix(const AVStream *st)
{
#if LIBAVCODEC_VERSION_INT >= AV_VERSION_INT(60, 29, 100)
    const AVPacketSideData *sd = av_packet_side_data_get(
        st->codecpar->coded_side_data, st->codecpar->nb_coded_side_data, AV_PKT_DATA_DISPLAYMATRIX);
    return sd && sd->size >= 9 * 4 ? (const int32_t *)sd->data : NULL;
#else
    size_t size = 0;
    const uint8_t *data = ffc_stream_side_data(st, AV_PKT_DATA_DISPLAYMATRIX, &size);
    return data && size >= 9 * 4 ? (const int32_t *)data : NULL;
#endif
}

/* Clockwise rotation in degrees (0, 90, 180, 270) a player applies, from the matrix. */
static inline int ffc_stream_rotation(const AVStream *st)
{
    const int32_t *m = ffc_stream_display_matrix(st);
    double r;
    int deg;
    if (!m)
        return 0;
    r = -av_display_rotation_get(m); /* FFmpeg gives counter-clockwise */
    deg = (int)lrint(r);
    deg = ((deg % 360) + 360) % 360;
    return (deg + 45) / 90 * 90 % 360;
}

static inline int ffc_frame_is_key(const AVFrame *f)
{
#if LIBAVUTIL_VERSION_INT >= AV_VERSION_INT(58, 29, 100)
    return !!(f->flags & AV_FRAME_FLAG_KEY);
#else
    return f->key_frame;
#endif
}

static inline int ffc_frame_is_interlaced(const AVFrame *f)
{
#if LIBAVUTIL_VERSION_INT >= AV_VERSION_INT(58, 29, 100)
    return !!(f->flags & AV_FRAME_FLAG_INTERLACED);
#else
    return f->interlaced_frame;
#endif
}

static inline void ffc_frame_set_key(AVFrame *f, int key)
{
#if LIBAVUTIL_VERSION_INT >= AV_VERSION_INT(58, 29, 100)
    if (key)
        f->flags |= AV_FRAME_FLAG_KEY;
    else
        f->flags &= ~AV_FRAME_FLAG_KEY;
#else
    f->key_frame = key;
#endif
}

/* Channel count and layout name of an audio stream: FFmpeg 5.1 added AVChannelLayout
 * (ch_layout) and deprecated channels/channel_layout, which 7.0 removed. The name is ""
 * when the layout is unspecified (only a count is known). */
static inline int ffc_par_channels(const AVCodecParameters *par)
{
#if LIBAVCODEC_VERSION_INT >= AV_VERSION_INT(59, 24, 100)
    return par->ch_layout.nb_channels;
#else
    return par->channels;
#endif
}

static inline void ffc_par_layout_name(const AVCodecParameters *par, char *buf, size_t size)
{
    if (!size)
        return;
    buf[0] = '\0';
#if LIBAVCODEC_VERSION_INT >= AV_VERSION_INT(59, 24, 100)
    if (par->ch_layout.order != AV_CHANNEL_ORDER_UNSPEC &&
        av_channel_layout_describe(&par->ch_layout, buf, size) < 0)
        buf[0] = '\0';
#else
    if (par->channel_layout)
        av_get_channel_layout_string(buf, (int)size, par->channels, par->channel_layout);
#endif
}

#endif
