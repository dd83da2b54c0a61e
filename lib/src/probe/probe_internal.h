/* Shared between the probe modules: probe.c (opening, errors, file-level facts),
 * probe_stream.c (one AVStream -> SobreProbeStream), probe_scan.c (reading packets for
 * frame rate, interlacing and truncation) and probe_problems.c (flags and sentences). */
#ifndef SOBRE_PROBE_INTERNAL_H
#define SOBRE_PROBE_INTERNAL_H

#include <stddef.h>

#include <libavformat/avformat.h>

#include "error.h"
#include "sobre/probe.h"
#include "timeline.h"

/* What reading packets taught us, beyond the headers. */
typedef struct ProbeScanResult {
    int vfr_measured; /* enough video timestamps were read to judge */
    int vfr;          /* frame durations vary significantly */
    double dur_min_s, dur_max_s, dur_median_s;
    int interlace_decoded; /* the first frame was decoded to learn interlacing */
    int interlaced;        /* from that frame */
    int decode_failed;     /* no frame came out of the sampled packets */
    int read_error;        /* a read failed with something else than end of file */
    char read_error_text[128];
    int end_known;     /* data_end_s was measured (end of file reached) */
    double data_end_s; /* latest packet end seen, seconds, same timeline as start */
    int jumped;        /* a stream's timestamps jumped (timeline.h) */
    double jump_at_s;  /* where (the stream's end before the jump, file timeline) */
    double jump_by_s;  /* and by how much (negative: backwards) */
    int jump_closed;   /* the format allows clock restarts (AVFMT_TS_DISCONT): encode
                        * closes such jumps */
} ProbeScanResult;

/* Copy src (may be NULL) into dst, truncating; dst is always terminated. */
void probe_copy(char *dst, size_t size, const char *src);

/* Describe st (index i of fmt) into s. */
void probe_fill_stream(SobreProbeStream *s, AVFormatContext *fmt, AVStream *st);

/* Copy fmt's chapters into info (allocates info->chapters). 0 or AVERROR(ENOMEM). */
int probe_fill_chapters(SobreProbeInfo *info, const AVFormatContext *fmt);

/* Read packets from the start (and near the end) of fmt. video/audio are the container
 * indexes of the best streams (-1 if none). Never fails: what cannot be measured stays
 * unmeasured, and is logged. */
void probe_scan(ProbeScanResult *r, AVFormatContext *fmt, int video, int audio,
                const SobreProbeSettings *settings, double declared_end_s);

/* Set the problem flags and their sentences from the filled info and the scan. */
void probe_find_problems(SobreProbeInfo *info, const ProbeScanResult *scan, int dur_reliable);

/* Measure the best audio stream's loudness into info->loudness (never fails the probe:
 * what cannot be measured says why in info->loudness.error). */
void probe_loudness(SobreProbeInfo *info, const char *path, const SobreProbeSettings *settings);

#endif
