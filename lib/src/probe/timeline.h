/* Timestamp discontinuities (joined recordings): one analysis of a file's timeline, used
 * by probe to report the first jump and by the encode's reader (pipeline/input.c) to close
 * the jumps of formats whose clock may restart (AVFMT_TS_DISCONT: MPEG-TS, PS), as ffmpeg
 * does. Pure arithmetic on microseconds. */
#ifndef SOBRE_PROBE_TIMELINE_H
#define SOBRE_PROBE_TIMELINE_H

#include <stdint.h>

/* More than this between consecutive packets of a stream is a discontinuity, not missing
 * data: ffmpeg's -dts_delta_threshold default. */
#define SOBRE_TS_JUMP_US (10 * (int64_t)1000000)
/* Within one stream of a format whose clock may restart, a step back by more than this is
 * a restart too (decode timestamps never go back; ffmpeg closes those over 0.1 s). It
 * catches recordings joined with the same start time, whose second part would otherwise
 * be dropped. */
#define SOBRE_TS_BACK_US ((int64_t)500000)

#define SOBRE_TS_NONE INT64_MIN

typedef struct SobreTimeline {
    int discont;        /* the format may restart its clock: jumps are closed */
    int64_t next_us[2]; /* where the video [0] and audio [1] stream should go on, or NONE */
    int64_t last_us;    /* the last packet of either (closed timeline), or NONE */
    int64_t offset_us;  /* added to every timestamp: minus the jumps closed so far */
    int nb_jumps;       /* jumps seen */
} SobreTimeline;

void sobre_timeline_init(SobreTimeline *t, int discont);

/* Forgets where the streams should go on: after a seek (a seek is no jump). */
void sobre_timeline_forget(SobreTimeline *t);

/* One packet of stream k (0 video, 1 audio) at ts_us on the file's clock: its dts, or its
 * pts when it has none (dts_known 0). dur_us: how long it lasts (0 unknown). Returns the
 * jump seen just before it (0 none) and where the stream stood then (*at_us, closed
 * timeline). In a format whose clock may restart, the jump is closed: offset_us moves so
 * the content goes on where it was. A stream's first packet is measured from the last
 * packet of the other stream in such formats only. */
int64_t sobre_timeline_packet(SobreTimeline *t, int k, int64_t ts_us, int dts_known, int64_t dur_us,
                              int64_t *at_us);

#endif
