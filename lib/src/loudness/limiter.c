/* The true-peak limiter (limiter.h). Per sample p, after the gain: the peak around p is
 * the largest of |x[p]| and the values between p-1 and p+1 interpolated at eighths of a
 * sample (a Lanczos-6 kernel, 12 taps per phase; BS.1770-4 Annex 2 meters oversample by 4,
 * which under-reads high tones by up to ~0.5 dB, so the limiter looks twice as closely),
 * over every channel; the gain p needs is ceiling / peak (1 when below). The gain applied
 * to sample m is the mean over the W samples before it of the minimum needed over the W
 * samples after them, so it is never above what m needs (each of those minima covers m)
 * and it moves in W-sample ramps; a release slows its return to 1. W = the look-ahead.
 * The stream starts with W silent samples whose output is dropped, so the first real
 * sample is treated like any other. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "limiter.h"

enum { HALF = 6, TAPS = 12, PHASES = 7 };

struct SobreLimiter {
    int channels, w;
    float gain, ceiling;
    double release; /* per-sample coefficient of the return towards 1 */
    float kernel[PHASES][TAPS];
    int64_t v;            /* samples fed, priming and flush zeros included */
    int64_t fed, emitted; /* real samples in and out */
    uint32_t mask;        /* ring sizes are powers of two */
    float *x;             /* gained input: per channel a ring of mask + 1 samples, written
                           * twice (at i and i + size) so any 12 in a row are contiguous */
    float kabs;           /* the most an interpolated value can exceed its 12 samples' peak */
    int64_t mx_at[16];    /* monotonic deque: the peak of the 12 samples around p */
    float mx_val[16];
    int mx_head, mx_len;
    float between_prev; /* peak between p-1 and p */
    int64_t *dq_at;     /* monotonic deque of the needed gains (sliding minimum) */
    float *dq_gain;
    int dq_head, dq_len, dq_cap;
    float *r; /* the last W released minima (ring of w) */
    double rsum;
    float lprev; /* log of rprev: the release works on it */
    double min_gain;
};

static double lanczos(double t)
{
    double a = HALF, pt = M_PI * t;
    if (fabs(t) < 1e-9)
        return 1.0;
    if (fabs(t) >= a)
        return 0.0;
    return a * sin(pt) * sin(pt / a) / (pt * pt);
}

static void make_kernel(SobreLimiter *l)
{
    for (int f = 0; f < PHASES; f++) {
        double frac = (f + 1) / 8.0, sum = 0;
        for (int i = 0; i < TAPS; i++)
            sum += lanczos(frac - (i - (HALF - 1)));
        double a = 0;
        for (int i = 0; i < TAPS; i++) {
            l->kernel[f][i] = (float)(lanczos(frac - (i - (HALF - 1))) / sum);
            a += fabs(l->kernel[f][i]);
        }
        if (a > l->kabs)
            l->kabs = (float)(a * 1.0001);
    }
}

int sobre_limiter_new(SobreLimiter **out, int channels, int sample_rate, double gain_db,
                      double ceiling_dbtp)
{
    SobreLimiter *l;
    uint32_t size = 64;
    *out = NULL;
    if (channels < 1 || channels > SOBRE_LIMITER_MAX_CHANNELS || sample_rate < 1000 ||
        sample_rate > 768000 || !(l = calloc(1, sizeof(*l))))
        return -1;
    l->channels = channels;
    l->w = (int)lround(sample_rate * SOBRE_LIMITER_LOOKAHEAD_MS / 1000.0);
    if (l->w < 2)
        l->w = 2;
    while (size < (uint32_t)(l->w + 2 * HALF + 16))
        size <<= 1;
    l->mask = size - 1;
    l->gain = (float)pow(10.0, gain_db / 20.0);
    l->ceiling = (float)pow(10.0, ceiling_dbtp / 20.0);
    l->release = exp(-1000.0 / (SOBRE_LIMITER_RELEASE_MS * sample_rate));
    l->dq_cap = l->w + 2;
    l->x = calloc((size_t)size * 2 * (size_t)channels, sizeof(*l->x));
    l->dq_at = calloc((size_t)l->dq_cap, sizeof(*l->dq_at));
    l->dq_gain = calloc((size_t)l->dq_cap, sizeof(*l->dq_gain));
    l->r = malloc((size_t)l->w * sizeof(*l->r));
    if (!l->x || !l->dq_at || !l->dq_gain || !l->r) {
        sobre_limiter_free(&l);
        return -1;
    }
    for (int i = 0; i < l->w; i++)
        l->r[i] = 1.0f;
    l->rsum = l->w;
    l->min_gain = 1.0;
    make_kernel(l);
    *out = l;
    return 0;
}

void sobre_limiter_free(SobreLimiter **lp)
{
    SobreLimiter *l = lp ? *lp : NULL;
    if (!l)
        return;
    free(l->x);
    free(l->dq_at);
    free(l->dq_gain);
    free(l->r);
    free(l);
    *lp = NULL;
}

/* Sample i of channel c, and the TAPS that follow it in a row. */
static float *at(const SobreLimiter *l, int c, int64_t i)
{
    return l->x + (size_t)c * 2 * (l->mask + 1) + ((uint64_t)i & l->mask);
}

static void store(SobreLimiter *l, int64_t i, const float *in)
{
    float peak = 0;
    for (int c = 0; c < l->channels; c++) {
        float *x = at(l, c, i);
        x[0] = x[l->mask + 1] = in[c];
        peak = fmaxf(peak, fabsf(in[c]));
    }
    /* the deque of the window's peak: drop smaller values behind, then the new one */
    while (l->mx_len && l->mx_val[(l->mx_head + l->mx_len - 1) & 15] <= peak)
        l->mx_len--;
    l->mx_at[(l->mx_head + l->mx_len) & 15] = i;
    l->mx_val[(l->mx_head + l->mx_len) & 15] = peak;
    l->mx_len++;
}

/* The largest interpolated magnitude between samples p and p+1, over every channel; when
 * even the most an interpolation can reach stays under the ceiling, that bound. */
static float between(SobreLimiter *l, int64_t p)
{
    float peak = 0, bound;
    while (l->mx_at[l->mx_head] < p - (HALF - 1)) {
        l->mx_head = (l->mx_head + 1) & 15;
        l->mx_len--;
    }
    bound = l->mx_val[l->mx_head] * l->kabs;
    if (bound <= l->ceiling)
        return bound;
    for (int c = 0; c < l->channels; c++) {
        const float *s = at(l, c, p - (HALF - 1));
        for (int f = 0; f < PHASES; f++) {
            float v = 0;
            for (int i = 0; i < TAPS; i++)
                v += s[i] * l->kernel[f][i];
            peak = fmaxf(peak, fabsf(v));
        }
    }
    return peak;
}

/* Sliding minimum of the needed gains over the last W positions. */
static float window_min(SobreLimiter *l, int64_t p, float need)
{
    while (l->dq_len && l->dq_gain[(l->dq_head + l->dq_len - 1) % l->dq_cap] >= need)
        l->dq_len--;
    l->dq_at[(l->dq_head + l->dq_len) % l->dq_cap] = p;
    l->dq_gain[(l->dq_head + l->dq_len) % l->dq_cap] = need;
    l->dq_len++;
    while (l->dq_at[l->dq_head] <= p - l->w) {
        l->dq_head = (l->dq_head + 1) % l->dq_cap;
        l->dq_len--;
    }
    return l->dq_gain[l->dq_head];
}

/* Feeds one sample (in: one value per channel, already gained); when a sample leaves,
 * writes it to out and returns its position in the fed stream (or -1). */
static int64_t step(SobreLimiter *l, const float *in, float *out)
{
    int64_t p = l->v - HALF, m;
    float peak, here = 0, btw, need;
    double r, g;
    store(l, l->v, in);
    l->v++;
    if (p < 0)
        return -1;
    for (int c = 0; c < l->channels; c++)
        here = fmaxf(here, fabsf(*at(l, c, p)));
    btw = between(l, p);
    peak = fmaxf(here, fmaxf(btw, l->between_prev));
    l->between_prev = btw;
    need = peak > l->ceiling ? l->ceiling / peak : 1.0f;
    need = window_min(l, p, need);
    m = p - l->w + 1;
    if (m < 0)
        return -1;
    /* release: the reduction in dB shrinks exponentially (a deep cut on a click is over
     * in a few tens of milliseconds; a linear-domain return would hold the audio after it
     * low for hundreds); within 0.001 dB of none it is none */
    if (l->lprev < -1e-4f) {
        float lr = l->lprev * (float)l->release;
        r = expf(lr);
        if (need < r) {
            r = need;
            lr = logf(need);
        }
        l->lprev = lr;
    } else {
        r = need;
        l->lprev = need < 1.0f ? logf(need) : 0.0f;
    }
    l->rsum += r - l->r[m % l->w];
    l->r[m % l->w] = (float)r;
    g = l->rsum / l->w;
    for (int c = 0; c < l->channels; c++)
        out[c] = (float)(*at(l, c, m) * g);
    m -= l->w; /* the priming samples come first */
    if (m >= 0 && g < l->min_gain)
        l->min_gain = g;
    return m;
}

static void prime(SobreLimiter *l)
{
    float zero[SOBRE_LIMITER_MAX_CHANNELS] = {0}, out[SOBRE_LIMITER_MAX_CHANNELS];
    while (l->v < l->w)
        step(l, zero, out);
}

int sobre_limiter_process(SobreLimiter *l, float *const *ch, int step_, int n)
{
    float in[SOBRE_LIMITER_MAX_CHANNELS], out[SOBRE_LIMITER_MAX_CHANNELS];
    int o = 0;
    prime(l);
    for (int i = 0; i < n; i++) {
        for (int c = 0; c < l->channels; c++)
            in[c] = ch[c][(size_t)i * (size_t)step_] * l->gain;
        l->fed++;
        /* the sample leaving is always at or before i: writing in place is safe */
        if (step(l, in, out) >= 0) {
            for (int c = 0; c < l->channels; c++)
                ch[c][(size_t)o * (size_t)step_] = out[c];
            o++;
            l->emitted++;
        }
    }
    return o;
}

int sobre_limiter_flush(SobreLimiter *l, float *const *ch, int step_, int room)
{
    float zero[SOBRE_LIMITER_MAX_CHANNELS] = {0}, out[SOBRE_LIMITER_MAX_CHANNELS];
    int o = 0;
    prime(l);
    while (o < room && l->emitted < l->fed) {
        if (step(l, zero, out) >= 0) {
            for (int c = 0; c < l->channels; c++)
                ch[c][(size_t)o * (size_t)step_] = out[c];
            o++;
            l->emitted++;
        }
    }
    return o;
}

int sobre_limiter_pending(const SobreLimiter *l)
{
    return (int)(l->fed - l->emitted);
}

int sobre_limiter_delay(const SobreLimiter *l)
{
    return l->w + HALF - 1;
}

double sobre_limiter_reduction_db(const SobreLimiter *l)
{
    return l->min_gain < 1.0 ? 20.0 * log10(l->min_gain) : 0.0;
}
