/* A look-ahead true-peak limiter (limiter.c) for the one gain of loudness normalisation:
 * the gain, then the limiter lowers the signal just enough, and smoothly, where a true
 * peak (between samples too, 8x oversampled) would pass the ceiling. It delays the audio
 * by its look-ahead internally but hands back exactly the samples it was given, in the
 * same places: process() keeps the last sobre_limiter_delay() samples, flush() returns
 * them, so durations and audio/video sync do not move. Pure C on float samples. */
#ifndef SOBRE_LIMITER_H
#define SOBRE_LIMITER_H

typedef struct SobreLimiter SobreLimiter;

/* Look-ahead (also the attack) and release, in milliseconds. */
#define SOBRE_LIMITER_LOOKAHEAD_MS 5.0
#define SOBRE_LIMITER_RELEASE_MS   50.0
#define SOBRE_LIMITER_MAX_CHANNELS 8

/* channels 1..SOBRE_LIMITER_MAX_CHANNELS; gain_db applied first; ceiling_dbtp: the true
 * peak not to pass. Returns 0, or -1 on bad arguments or no memory (*out NULL). */
int sobre_limiter_new(SobreLimiter **out, int channels, int sample_rate, double gain_db,
                      double ceiling_dbtp);
void sobre_limiter_free(SobreLimiter **l);

/* In place on n samples: channel c's sample i is ch[c][i * step] (planar: step 1;
 * interleaved: ch[c] = buf + c, step = channels). Writes the limited samples that are
 * ready at the front of the buffer and returns their count (n minus what it now holds for
 * its look-ahead; the same n once it has started). */
int sobre_limiter_process(SobreLimiter *l, float *const *ch, int step, int n);
/* At the end: writes the held samples (at most room) and returns their count. */
int sobre_limiter_flush(SobreLimiter *l, float *const *ch, int step, int room);
/* Samples given but not yet handed back. */
int sobre_limiter_pending(const SobreLimiter *l);
/* The look-ahead in samples: the most it holds. */
int sobre_limiter_delay(const SobreLimiter *l);
/* The deepest gain reduction applied so far, dB (<= 0; 0 when it never acted). */
double sobre_limiter_reduction_db(const SobreLimiter *l);

#endif
