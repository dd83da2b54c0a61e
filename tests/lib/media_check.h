/* Inspection of encoded files with libavformat/libavcodec for the integration tests:
 * stream codecs and sizes, keyframe times, first timestamps, durations, and a full
 * decode that counts errors. */
#ifndef SOBRE_TEST_MEDIA_CHECK_H
#define SOBRE_TEST_MEDIA_CHECK_H

#define MC_MAX_KEYS 256

typedef struct MediaInfo {
    int ok;
    char vcodec[32], acodec[32];
    int width, height, channels;
    double video_start, audio_start; /* first pts, seconds (NAN if no stream) */
    double video_end, audio_end;     /* last pts + duration, seconds */
    double frame_dur;                /* average video frame duration */
    double keys[MC_MAX_KEYS];        /* keyframe pts, seconds */
    int nb_keys;
    long video_frames, decode_errors;
} MediaInfo;

/** Reads path completely (demux + decode of every audio and video packet). */
int media_check(const char *path, MediaInfo *mi);

#endif
