/* sobre_probe_file(): refuse what is not a readable regular file with a message that says
 * what it is (missing, directory, empty, text, a cut MP4), open the rest with libavformat
 * (local files only), copy the header facts into plain structs, then let probe_scan.c
 * read a bounded number of packets and probe_problems.c name what an encode would hit. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libavutil/avstring.h>
#include <libavutil/log.h>

#include "probe_internal.h"

enum { HEAD_BYTES = 512 };

void sobre_probe_default_settings(SobreProbeSettings *s)
{
    memset(s, 0, sizeof(*s));
    s->logger.level = SOBRE_LOG_WARNING;
    s->scan_s = 2.0;
    s->check_end = 1;
}

void sobre_probe_free(SobreProbeInfo **info)
{
    if (!info || !*info)
        return;
    free((*info)->streams);
    free((*info)->chapters);
    free(*info);
    *info = NULL;
}

/* stat() first: directories, devices and empty files get their own words, and FFmpeg is
 * never handed something that could block (a FIFO) or that is not ours to read. */
static int check_file(const char *path, int64_t *bytes, SobreError *err)
{
    struct stat st;
    char buf[128];
    if (stat(path, &st) < 0) {
        int e = errno;
        if (e == ENOENT)
            return sobre_fail(err, -ENOENT, "%s: no such file", path);
        return sobre_fail(err, -e, "%s: cannot access: %s", path,
                          sobre_strerror(-e, buf, sizeof(buf)));
    }
    if (S_ISDIR(st.st_mode))
        return sobre_fail(err, -EISDIR, "%s: is a directory, not a media file", path);
    if (!S_ISREG(st.st_mode))
        return sobre_fail(err, SOBRE_E_INVALID, "%s: not a regular file", path);
    if (st.st_size == 0)
        return sobre_fail(err, SOBRE_E_INVALID, "%s: empty file (0 bytes)", path);
    *bytes = (int64_t)st.st_size;
    return 0;
}

/* First bytes of the file, to explain why FFmpeg refused it. Returns the count read. */
static int read_head(const char *path, unsigned char *head, SobreError *err)
{
    char buf[128];
    ssize_t n;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        int e = errno;
        if (e == EACCES)
            return sobre_fail(err, -EACCES, "%s: permission denied", path);
        return sobre_fail(err, -e, "%s: cannot open: %s", path,
                          sobre_strerror(-e, buf, sizeof(buf)));
    }
    n = read(fd, head, HEAD_BYTES);
    close(fd);
    if (n < 0) {
        int e = errno;
        return sobre_fail(err, -e, "%s: cannot read: %s", path,
                          sobre_strerror(-e, buf, sizeof(buf)));
    }
    return (int)n;
}

/* An ISO BMFF / QuickTime file starts with a box: size, then a known four-letter type. */
static int looks_mp4(const unsigned char *h, int n)
{
    static const char *const boxes[] = {"ftyp", "moov", "mdat", "wide", "free", "skip", "pnot"};
    if (n < 8)
        return 0;
    for (size_t i = 0; i < sizeof(boxes) / sizeof(boxes[0]); i++)
        if (!memcmp(h + 4, boxes[i], 4))
            return 1;
    return 0;
}

/* Text: no NUL and no control bytes other than whitespace (UTF-8 bytes are fine). */
static int looks_text(const unsigned char *h, int n)
{
    for (int i = 0; i < n; i++)
        if (h[i] < 0x20 && h[i] != '\t' && h[i] != '\n' && h[i] != '\r' && h[i] != '\f')
            return 0;
    return n > 0;
}

static int open_failed(const char *path, int ret, const unsigned char *head, int n, SobreError *err)
{
    char why[128];
    av_strerror(ret, why, sizeof(why));
    if (why[0] >= 'A' && why[0] <= 'Z')
        why[0] = (char)(why[0] - 'A' + 'a');
    if (looks_mp4(head, n))
        return sobre_fail(err, ret,
                          "%s: truncated or not a media file: an MP4/MOV whose index (moov atom) "
                          "is missing, probably cut while being written or copied",
                          path);
    if (looks_text(head, n))
        return sobre_fail(err, ret, "%s: not a media file (it is text)", path);
    if (ret == AVERROR_EOF)
        return sobre_fail(err, ret, "%s: truncated or not a media file (data ends in the header)",
                          path);
    if (ret == AVERROR_INVALIDDATA)
        return sobre_fail(err, ret, "%s: not a media file (%s)", path, why);
    if (ret == AVERROR(ENOMEM) || ret == AVERROR(EIO) || ret == AVERROR(EACCES))
        return sobre_fail(err, ret, "%s: cannot open: %s", path, why);
    /* EINVAL and the like: a demuxer recognised the start, then the data made no sense. */
    return sobre_fail(err, ret, "%s: damaged, cut short or not a media file (%s)", path, why);
}

/* Local files only: "file:" stops names like "concat:x" or "http:x" from being read as
 * protocols, and the whitelist keeps playlists from reaching out to the network. */
static int open_input(AVFormatContext **fmt, const char *path, SobreError *err)
{
    AVDictionary *opts = NULL;
    unsigned char head[HEAD_BYTES];
    char *url;
    int ret, n = read_head(path, head, err);
    if (n < 0)
        return n;
    if (!(url = av_asprintf("file:%s", path)))
        return sobre_fail(err, AVERROR(ENOMEM), "%s: out of memory", path);
    av_dict_set(&opts, "protocol_whitelist", "file", 0);
    ret = avformat_open_input(fmt, url, NULL, &opts);
    av_dict_free(&opts);
    av_free(url);
    if (ret < 0)
        return open_failed(path, ret, head, n, err);
    /* The tty demuxer shows any .txt file as ANSI art: for us it is text. */
    if (!strcmp((*fmt)->iformat->name, "tty")) {
        avformat_close_input(fmt);
        return sobre_fail(err, AVERROR_INVALIDDATA, "%s: not a media file (it is text)", path);
    }
    return 0;
}

/* Best video stream, cover art excluded; -1 if none. */
static int best_video(AVFormatContext *fmt)
{
    int best = av_find_best_stream(fmt, AVMEDIA_TYPE_VIDEO, -1, -1, NULL, 0);
    int64_t area = -1;
    if (best < 0 || !(fmt->streams[best]->disposition & AV_DISPOSITION_ATTACHED_PIC))
        return best < 0 ? -1 : best;
    best = -1;
    for (unsigned i = 0; i < fmt->nb_streams; i++) {
        const AVStream *st = fmt->streams[i];
        int64_t a = (int64_t)st->codecpar->width * st->codecpar->height;
        if (st->codecpar->codec_type == AVMEDIA_TYPE_VIDEO &&
            !(st->disposition & AV_DISPOSITION_ATTACHED_PIC) && a > area) {
            area = a;
            best = (int)i;
        }
    }
    return best;
}

static void fill_format(SobreProbeInfo *info, const AVFormatContext *fmt)
{
    const AVDictionaryEntry *t = av_dict_get(fmt->metadata, "title", NULL, 0);
    probe_copy(info->format, sizeof(info->format), fmt->iformat->name);
    probe_copy(info->format_long, sizeof(info->format_long), fmt->iformat->long_name);
    probe_copy(info->title, sizeof(info->title), t ? t->value : NULL);
    info->duration_s = fmt->duration != AV_NOPTS_VALUE && fmt->duration > 0
                           ? fmt->duration / (double)AV_TIME_BASE
                           : -1.0;
    info->start_time_s =
        fmt->start_time != AV_NOPTS_VALUE ? fmt->start_time / (double)AV_TIME_BASE : 0.0;
    if (fmt->bit_rate > 0)
        info->bitrate = fmt->bit_rate;
    else if (info->duration_s > 0)
        info->bitrate = (int64_t)(info->bytes * 8 / info->duration_s);
}

static int fill_streams(SobreProbeInfo *info, AVFormatContext *fmt, int video, int audio)
{
    info->streams = calloc(fmt->nb_streams ? fmt->nb_streams : 1, sizeof(*info->streams));
    if (!info->streams)
        return AVERROR(ENOMEM);
    info->nb_streams = (int)fmt->nb_streams;
    for (unsigned i = 0; i < fmt->nb_streams; i++)
        probe_fill_stream(&info->streams[i], fmt, fmt->streams[i]);
    info->video = video >= 0 ? &info->streams[video] : NULL;
    info->audio = audio >= 0 ? &info->streams[audio] : NULL;
    return probe_fill_chapters(info, fmt);
}

/* Neither audio nor video: say what the file holds instead (a subtitle file, a picture). */
static int no_media(const SobreProbeInfo *info, const char *path, SobreError *err)
{
    int subs = 0, pics = 0;
    for (int i = 0; i < info->nb_streams; i++) {
        subs += info->streams[i].kind == SOBRE_STREAM_SUBTITLE;
        pics += info->streams[i].is_attached_pic;
    }
    if (subs && subs == info->nb_streams)
        return sobre_fail(err, SOBRE_E_NOMEDIA, "%s: no audio or video stream (only subtitles)",
                          path);
    if (pics)
        return sobre_fail(err, SOBRE_E_NOMEDIA, "%s: no audio or video stream (only a picture)",
                          path);
    return sobre_fail(err, SOBRE_E_NOMEDIA, "%s: no audio or video stream (%d other stream%s)",
                      path, info->nb_streams, info->nb_streams == 1 ? "" : "s");
}

/* Everything after a successful open; fmt stays owned by the caller. */
static int describe(SobreProbeInfo *info, AVFormatContext *fmt, const char *path,
                    const SobreProbeSettings *s, SobreError *err)
{
    ProbeScanResult scan;
    int video, audio, reliable, ret = avformat_find_stream_info(fmt, NULL);
    char why[128];
    if (ret < 0) {
        av_strerror(ret, why, sizeof(why));
        return sobre_fail(err, ret, "%s: cannot read the stream parameters (%s)", path, why);
    }
    video = best_video(fmt);
    audio = av_find_best_stream(fmt, AVMEDIA_TYPE_AUDIO, -1, video, NULL, 0);
    if (audio < 0)
        audio = -1;
    fill_format(info, fmt);
    if ((ret = fill_streams(info, fmt, video, audio)) < 0)
        return sobre_fail(err, ret, "%s: out of memory", path);
    if (video < 0 && audio < 0)
        return no_media(info, path, err);
    reliable =
        info->duration_s > 0 && fmt->duration_estimation_method != AVFMT_DURATION_FROM_BITRATE;
    probe_scan(&scan, fmt, video, audio, s, reliable ? info->start_time_s + info->duration_s : -1);
    probe_find_problems(info, &scan, reliable);
    if (s->loudness)
        probe_loudness(info, path, s);
    sobre_log(&s->logger, SOBRE_LOG_DEBUG, "%s: %s, %.3f s, %d stream(s), problems 0x%x", path,
              info->format, info->duration_s, info->nb_streams, info->problems);
    return 0;
}

int sobre_probe_file(SobreProbeInfo **out, const char *path, const SobreProbeSettings *settings,
                     SobreError *err)
{
    SobreProbeSettings defaults;
    SobreProbeInfo *info = NULL;
    AVFormatContext *fmt = NULL;
    int ret;
    if (!out)
        return sobre_fail(err, SOBRE_E_INVALID, "sobre_probe_file: out is NULL");
    *out = NULL;
    if (!path || !path[0])
        return sobre_fail(err, SOBRE_E_INVALID, "sobre_probe_file: empty path");
    if (!settings) {
        sobre_probe_default_settings(&defaults);
        settings = &defaults;
    }
    if (!(info = calloc(1, sizeof(*info))))
        return sobre_fail(err, AVERROR(ENOMEM), "%s: out of memory", path);
    if ((ret = check_file(path, &info->bytes, err)) < 0)
        goto fail;
    if ((ret = open_input(&fmt, path, err)) < 0)
        goto fail;
    if ((ret = describe(info, fmt, path, settings, err)) < 0)
        goto fail;
    avformat_close_input(&fmt);
    *out = info;
    return 0;
fail:
    avformat_close_input(&fmt);
    sobre_probe_free(&info);
    return ret;
}
