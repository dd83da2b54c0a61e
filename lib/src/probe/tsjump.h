/* The timestamp jumps of formats whose clock may restart (AVFMT_TS_DISCONT: MPEG-TS, PS):
 * encode closes them (input.c) and probe reports them (probe_scan.c), so both use these. */
#ifndef SOBRE_MEDIA_TSJUMP_H
#define SOBRE_MEDIA_TSJUMP_H

#include <stdint.h>

/* More than this between consecutive packets of a stream is a discontinuity, not missing
 * data: ffmpeg's -dts_delta_threshold default. */
#define SOBRE_TS_JUMP_US (10 * (int64_t)1000000)
/* Within one stream, a step back by more than this is a clock restart too (a stream's
 * decode timestamps never go back; ffmpeg closes those over 0.1 s). It catches recordings
 * joined with the same start time, whose second part would otherwise be dropped. */
#define SOBRE_TS_BACK_US ((int64_t)500000)

#endif
