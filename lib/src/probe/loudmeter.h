/* Loudness measurement (loudmeter.c): integrated loudness, loudness range and true peak
 * per ITU-R BS.1770-4 / EBU R128, computed by libebur128 on decoded audio frames.
 * A meter measures one layout: the frames' own, or a rendition's (channels, rate), made
 * by swresample exactly as the audio encoder makes it (aenc.c), so what is measured is
 * what gets encoded; it can also apply the loudness gain and limiter first (the
 * pre-pass's check of the limiter). sobre_loud_scan() is the fast audio-only pass: it
 * opens the file, decodes one audio stream and feeds every meter. Used by probe (the
 * input's loudness), the encode's pre-pass and its check of every output. */
#ifndef SOBRE_PROBE_LOUDMETER_H
#define SOBRE_PROBE_LOUDMETER_H

#include <stdatomic.h>

#include <libavutil/frame.h>

#include "error.h"
#include "loudness.h"

typedef struct LoudMeter LoudMeter;

typedef struct LoudMeterResult {
    SobreLoudMeasure m; /* integrated, range, true peak (-HUGE_VAL where libebur128 says) */
    double seconds;     /* audio measured */
    int channels, sample_rate;
    double limiter_db; /* deepest gain reduction of the limiter, 0 without one */
} LoudMeterResult;

/* channels / sample_rate: the layout to measure at (0: the frames' own). */
int sobre_loudmeter_new(LoudMeter **out, int channels, int sample_rate, SobreError *err);
/* Gain (dB) applied before measuring, then a true-peak limiter at ceiling_dbtp when limit
 * is set: what the encoder will be fed. Call before the first frame. */
int sobre_loudmeter_set_level(LoudMeter *m, double gain_db, int limit, double ceiling_dbtp,
                              SobreError *err);
/* Integrated loudness only (no range, no true peak): a cheaper meter. Before the first
 * frame. */
void sobre_loudmeter_integrated_only(LoudMeter *m);
int sobre_loudmeter_add(LoudMeter *m, const AVFrame *f, SobreError *err);
/* Flushes the resampler and the limiter, then reads the figures. */
int sobre_loudmeter_finish(LoudMeter *m, LoudMeterResult *r, SobreError *err);
void sobre_loudmeter_free(LoudMeter **m);

/* An audio-only read: decodes stream `stream` of path once, from the start, handing each
 * frame to on_frame with its time in microseconds from the file's start (AV_NOPTS_VALUE
 * when it has none), as the encode's reader computes it. Damaged packets are skipped, as
 * the encode skips them. cancel (may be NULL) is checked at every packet:
 * SOBRE_E_CANCELLED. tick (may be NULL) gets the seconds read so far, about every second
 * of audio. */
typedef struct AudioRead {
    int (*on_frame)(void *opaque, const AVFrame *f, int64_t us, SobreError *err);
    void (*tick)(void *opaque, double done_s);
    void *opaque;
    const atomic_int *cancel;
} AudioRead;
int sobre_audio_read(const char *path, int stream, const AudioRead *r, SobreError *err);

/* sobre_audio_read() feeding n meters; read each with sobre_loudmeter_finish() after. */
int sobre_loud_scan(const char *path, int stream, LoudMeter *const *meters, int n, SobreError *err);

#endif
