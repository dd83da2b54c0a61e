/* Reading packets, cheaply: the first seconds give the real frame durations (VFR) and,
 * when the headers do not say, one decoded frame tells whether the video is interlaced;
 * a few seconds read near the declared end tell whether the data really goes that far
 * (files cut while being copied or written). Timestamp jumps (joined recordings) are
 * noticed in what is read. No full decode, bounded reads. */
#include <stdlib.h>
#include <string.h>

#include <libavcodec/avcodec.h>

#include "ffcompat.h"
#include "probe_internal.h"

enum {
    MAX_PTS = 1024,           /* video timestamps kept for the frame-rate check */
    MAX_START_PACKETS = 4000, /* read cap of the start scan */
    MAX_END_PACKETS = 6000,   /* read cap of the end check */
    MAX_BYTES = 64 << 20,     /* and of either, in bytes (streams without timestamps) */
    MAX_DECODE_PACKETS = 64,  /* give up decoding the first frame after this many */
    REORDER_WINDOW = 16,      /* packets whose pts may still be missing predecessors */
    END_WINDOW_S = 3,         /* seconds before the declared end where the end check starts */
};

typedef struct Scan {
    AVFormatContext *fmt;
    const SobreLogger *log;
    int video, audio;
    int64_t *pts; /* video pts in stream time base, read order */
    int npts;
    int64_t max_dts;      /* latest video dts read, AV_NOPTS_VALUE if none */
    int64_t first_ref_ts; /* first timestamp of the reference stream */
    AVCodecContext *dec;  /* open only while the interlace question is pending */
    int dec_sent;
    SobreTimeline tl; /* the jumps, as the encode's reader sees them (timeline.h) */
    ProbeScanResult *r;
} Scan;

static int64_t pkt_ts(const AVPacket *p)
{
    return p->pts != AV_NOPTS_VALUE ? p->pts : p->dts;
}

/* The first jump of the file's timeline, found by the same analysis the encode's reader
 * uses to close jumps (timeline.h). */
static void note_jump(Scan *s, const AVPacket *p, AVRational tb)
{
    int k = p->stream_index == s->video ? 0 : p->stream_index == s->audio ? 1 : -1;
    int64_t ts = p->dts != AV_NOPTS_VALUE ? p->dts : p->pts, at = 0, delta;
    if (k < 0 || ts == AV_NOPTS_VALUE)
        return;
    delta = sobre_timeline_packet(
        &s->tl, k, av_rescale_q(ts, tb, AV_TIME_BASE_Q), p->dts != AV_NOPTS_VALUE,
        p->duration > 0 ? av_rescale_q(p->duration, tb, AV_TIME_BASE_Q) : 0, &at);
    if (delta && !s->r->jumped) {
        s->r->jumped = 1;
        s->r->jump_at_s = at / 1e6;
        s->r->jump_by_s = delta / 1e6;
        sobre_log(s->log, SOBRE_LOG_DEBUG, "stream %d: timestamps jump by %+.3f s at %.3f s",
                  p->stream_index, s->r->jump_by_s, s->r->jump_at_s);
    }
}

/* Latest presentation end seen, in seconds of the file's timeline. */
static void note_end(Scan *s, const AVPacket *p)
{
    const AVStream *st = s->fmt->streams[p->stream_index];
    int64_t ts = pkt_ts(p);
    double end;
    note_jump(s, p, st->time_base);
    if (ts == AV_NOPTS_VALUE)
        return;
    end = (ts + (p->duration > 0 ? p->duration : 0)) * av_q2d(st->time_base);
    if (!s->r->end_known || end > s->r->data_end_s)
        s->r->data_end_s = end;
    s->r->end_known = 1;
}

/* Interlacing unknown from the headers: open the decoder, single-threaded, for one frame. */
static void open_decoder(Scan *s)
{
    const AVStream *st = s->fmt->streams[s->video];
    const AVCodec *codec = avcodec_find_decoder(st->codecpar->codec_id);
    if (!codec || !(s->dec = avcodec_alloc_context3(codec)))
        return;
    s->dec->thread_count = 1;
    s->dec->pkt_timebase = st->time_base;
    if (avcodec_parameters_to_context(s->dec, st->codecpar) < 0 ||
        avcodec_open2(s->dec, codec, NULL) < 0) {
        avcodec_free_context(&s->dec);
        return;
    }
}

/* Feed one packet (NULL flushes); closes the decoder once a frame answered. */
static void decode_step(Scan *s, const AVPacket *p)
{
    AVFrame *f = av_frame_alloc();
    int ret = f ? avcodec_send_packet(s->dec, p) : AVERROR(ENOMEM);
    s->dec_sent++;
    if ((ret >= 0 || ret == AVERROR(EAGAIN)) && avcodec_receive_frame(s->dec, f) >= 0) {
        s->r->interlace_decoded = 1;
        s->r->interlaced = ffc_frame_is_interlaced(f);
        sobre_log(s->log, SOBRE_LOG_DEBUG, "first frame decoded after %d packet(s): %s",
                  s->dec_sent, s->r->interlaced ? "interlaced" : "progressive");
    }
    av_frame_free(&f);
    if (s->r->interlace_decoded || !p || s->dec_sent >= MAX_DECODE_PACKETS) {
        if (!s->r->interlace_decoded)
            s->r->decode_failed = 1;
        avcodec_free_context(&s->dec);
    }
}

static void note_video(Scan *s, const AVPacket *p)
{
    int64_t ts = pkt_ts(p);
    if (ts != AV_NOPTS_VALUE && s->npts < MAX_PTS) {
        s->pts[s->npts++] = ts;
        if (p->dts != AV_NOPTS_VALUE && (s->max_dts == AV_NOPTS_VALUE || p->dts > s->max_dts))
            s->max_dts = p->dts;
    }
    if (s->dec)
        decode_step(s, p);
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static int cmp_dbl(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Frame durations from the sorted presentation times. A frame not read yet has a pts at
 * or after its dts, hence after the last dts read: timestamps up to that dts are complete.
 * Without dts, the last REORDER_WINDOW packets may still miss a reordered predecessor. */
static void judge_vfr(Scan *s, int hit_eof)
{
    const AVStream *st = s->fmt->streams[s->video];
    double tb = av_q2d(st->time_base), *d;
    int n = s->npts, nd = 0, outliers = 0;
    int64_t limit = INT64_MAX;
    if (!hit_eof && s->max_dts != AV_NOPTS_VALUE)
        limit = s->max_dts;
    else if (!hit_eof)
        for (int i = n - 1; i >= 0 && i >= n - REORDER_WINDOW; i--)
            limit = s->pts[i] < limit ? s->pts[i] : limit;
    qsort(s->pts, (size_t)n, sizeof(*s->pts), cmp_i64);
    if (n < 2 || !(d = malloc((size_t)n * sizeof(*d))))
        return;
    for (int i = 1; i < n && s->pts[i] <= limit; i++)
        if (s->pts[i] > s->pts[i - 1]) /* equal: a second field or a duplicate */
            d[nd++] = (double)(s->pts[i] - s->pts[i - 1]) * tb;
    if (nd >= 5) {
        double med;
        qsort(d, (size_t)nd, sizeof(*d), cmp_dbl);
        med = d[nd / 2];
        for (int i = 0; i < nd; i++)
            outliers += d[i] > med * 1.2 || d[i] < med * 0.8;
        s->r->vfr_measured = 1;
        s->r->dur_min_s = d[0];
        s->r->dur_max_s = d[nd - 1];
        s->r->dur_median_s = med;
        /* One gap is a dropped frame; two or more irregular durations are a pattern. */
        s->r->vfr = outliers >= 2;
        sobre_log(s->log, SOBRE_LOG_DEBUG, "frame durations: %d sampled, median %.4f s, %d off", nd,
                  med, outliers);
    }
    free(d);
}

static void note_read_error(Scan *s, int ret)
{
    s->r->read_error = 1;
    av_strerror(ret, s->r->read_error_text, sizeof(s->r->read_error_text));
}

/* From the start: until scan_s seconds of the reference stream (video, else audio) are
 * read and the interlace question is answered, or the caps are hit. Returns 1 at EOF. */
static int scan_start(Scan *s, AVPacket *p, double scan_s)
{
    int ref = s->video >= 0 ? s->video : s->audio;
    double ref_tb = av_q2d(s->fmt->streams[ref]->time_base);
    int64_t bytes = 0;
    for (int n = 0; n < MAX_START_PACKETS && bytes < MAX_BYTES; n++) {
        int ret = av_read_frame(s->fmt, p);
        if (ret == AVERROR_EOF)
            return 1;
        if (ret < 0) {
            note_read_error(s, ret);
            return 1; /* what follows cannot be read either */
        }
        note_end(s, p);
        bytes += p->size;
        if (p->stream_index == s->video)
            note_video(s, p);
        if (p->stream_index == ref && pkt_ts(p) != AV_NOPTS_VALUE) {
            int64_t ts = pkt_ts(p);
            if (s->first_ref_ts == AV_NOPTS_VALUE || ts < s->first_ref_ts)
                s->first_ref_ts = ts;
            if ((ts - s->first_ref_ts) * ref_tb >= scan_s && !s->dec) {
                av_packet_unref(p);
                return 0;
            }
        }
        av_packet_unref(p);
    }
    return 0;
}

/* Reads up to max packets from the current position, noting their ends. Returns the count
 * read; *ended says whether the data ended (end of file, or a read error: a cut MP4 fails
 * reading the samples its index promises). */
static int read_some(Scan *s, AVPacket *p, int max, int *ended)
{
    int64_t bytes = 0;
    int n;
    *ended = 0;
    for (n = 0; n < max && bytes < MAX_BYTES; n++) {
        int ret = av_read_frame(s->fmt, p);
        if (ret < 0) {
            if (ret != AVERROR_EOF)
                note_read_error(s, ret);
            *ended = 1;
            break;
        }
        note_end(s, p);
        bytes += p->size;
        av_packet_unref(p);
    }
    return n;
}

/* Nothing at all could be read near the end: halve the gap between what was read and
 * where nothing is, to say roughly where the data stops. A dozen seeks at most. */
static void bisect_end(Scan *s, AVPacket *p, double hi)
{
    double lo = s->r->end_known ? s->r->data_end_s : 0;
    int ended;
    for (int i = 0; i < 12 && hi - lo > 0.5; i++) {
        double mid = (lo + hi) / 2;
        if (av_seek_frame(s->fmt, -1, (int64_t)(mid * AV_TIME_BASE),
                          AVSEEK_FLAG_BACKWARD | AVSEEK_FLAG_ANY) < 0)
            return;
        sobre_timeline_forget(&s->tl); /* a seek is no jump */
        if (!read_some(s, p, 64, &ended))
            hi = mid;
        else if (ended)
            return;
        else
            lo = s->r->data_end_s;
    }
}

/* Near the end: seek a few seconds before the declared end (unless the start scan already
 * got there) and read to end of file. */
static void scan_end(Scan *s, AVPacket *p, double declared_end_s)
{
    double target_s = declared_end_s - END_WINDOW_S;
    int64_t target = (int64_t)(target_s * AV_TIME_BASE);
    int ended, there = (s->r->end_known && s->r->data_end_s >= target_s) ||
                       (s->fmt->start_time != AV_NOPTS_VALUE && target <= s->fmt->start_time);
    if (!there && av_seek_frame(s->fmt, -1, target, AVSEEK_FLAG_BACKWARD | AVSEEK_FLAG_ANY) < 0) {
        sobre_log(s->log, SOBRE_LOG_DEBUG, "end check skipped: cannot seek near the end");
        s->r->end_known = 0;
        return;
    }
    if (!there)
        sobre_timeline_forget(&s->tl); /* a seek is no jump */
    if (!read_some(s, p, MAX_END_PACKETS, &ended) && ended && !there) {
        bisect_end(s, p, target_s);
        return;
    }
    if (!ended) {
        sobre_log(s->log, SOBRE_LOG_DEBUG, "end check inconclusive: end of file not reached");
        s->r->end_known = 0;
    }
}

void probe_scan(ProbeScanResult *r, AVFormatContext *fmt, int video, int audio,
                const SobreProbeSettings *settings, double declared_end_s)
{
    Scan s = {.fmt = fmt, .log = &settings->logger, .video = video, .audio = audio, .r = r};
    AVPacket *p = av_packet_alloc();
    int eof = 0;
    memset(r, 0, sizeof(*r));
    r->jump_closed = !!(fmt->iformat->flags & AVFMT_TS_DISCONT);
    sobre_timeline_init(&s.tl, r->jump_closed);
    s.first_ref_ts = s.max_dts = AV_NOPTS_VALUE;
    if (!p || (video < 0 && audio < 0))
        goto done;
    if (settings->scan_s > 0) {
        if (video >= 0 && !(s.pts = malloc(MAX_PTS * sizeof(*s.pts))))
            goto done;
        if (video >= 0 && fmt->streams[video]->codecpar->field_order == AV_FIELD_UNKNOWN)
            open_decoder(&s);
        eof = scan_start(&s, p, settings->scan_s);
        /* End of file before a single whole packet: the data ends where it starts. */
        if (eof && !r->end_known) {
            r->end_known = 1;
            r->data_end_s =
                fmt->start_time != AV_NOPTS_VALUE ? fmt->start_time / (double)AV_TIME_BASE : 0;
        }
        if (s.dec)
            decode_step(&s, NULL);
        if (video >= 0)
            judge_vfr(&s, eof);
    }
    if (!eof && settings->check_end && declared_end_s > 0)
        scan_end(&s, p, declared_end_s);
    else if (!eof)
        r->end_known = 0;
done:
    avcodec_free_context(&s.dec);
    av_packet_free(&p);
    free(s.pts);
}
