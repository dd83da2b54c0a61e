/* FFmpeg helpers shared by the media modules (see avhelp.h). */
#include <errno.h>

#include <libavutil/error.h>
#include <libavutil/log.h>

#include "avhelp.h"

int sobre_fail_av(SobreError *err, int code, const char *what, const char *file)
{
    char buf[AV_ERROR_MAX_STRING_SIZE] = "";
    av_strerror(code, buf, sizeof(buf));
    if (file)
        return sobre_fail(err, code, "%s: %s: %s", file, what, buf);
    return sobre_fail(err, code, "%s: %s", what, buf);
}

int sobre_alloc_picture_fmt(AVFrame **f, int w, int h, int format)
{
    if (!(*f = av_frame_alloc()))
        return AVERROR(ENOMEM);
    (*f)->width = w;
    (*f)->height = h;
    (*f)->format = format;
    return av_frame_get_buffer(*f, 0);
}

int sobre_alloc_picture(AVFrame **f, int w, int h)
{
    return sobre_alloc_picture_fmt(f, w, h, AV_PIX_FMT_YUV420P);
}

int sobre_audio_converter(SwrContext **swr, const AVChannelLayout *out_layout, int out_fmt,
                          int out_rate, const AVFrame *in, SobreError *err)
{
    int ret;
    swr_free(swr);
    /* FFmpeg 5.1 takes the layouts as non-const pointers; it only reads them */
    ret = swr_alloc_set_opts2(swr, (AVChannelLayout *)out_layout, out_fmt, out_rate,
                              (AVChannelLayout *)&in->ch_layout, in->format, in->sample_rate, 0,
                              NULL);
    if (ret >= 0)
        ret = swr_init(*swr);
    if (ret < 0) {
        swr_free(swr);
        return sobre_fail_av(err, ret, "cannot convert this audio", NULL);
    }
    return 0;
}

void sobre_media_set_log_level(int level)
{
    static const int map[] = {AV_LOG_ERROR, AV_LOG_WARNING, AV_LOG_INFO, AV_LOG_DEBUG};
    av_log_set_level(level < 0 ? AV_LOG_QUIET : map[level > 3 ? 3 : level]);
}
