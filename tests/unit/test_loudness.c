/* Loudness decisions and the true-peak limiter (lib/src/loudness): the gain, the cap, the
 * near-silence rule and the notes, table-driven; the trial correction; and the limiter on
 * generated signals: every sample comes back in its place (nothing gained or lost, no
 * shift), peaks between samples stay under the ceiling (checked with a finer
 * interpolation than the limiter's own), and audio away from a peak is untouched. */
#include <math.h>
#include <stdlib.h>

#include "limiter.h"
#include "loudness.h"
#include "t.h"

static void test_decide(void)
{
    static const struct {
        int enabled;
        double target, peak, in_lufs, in_peak, headroom;
        SobreLoudAction action;
        double gain;
        int capped;
        const char *note;
    } cases[] = {
        /* gain only: peaks stay under the ceiling */
        {1, -16, -1, -23, -10, 0.8, SOBRE_LOUD_ACT_GAIN, 7, 0, ""},
        /* loud: attenuated, never capped */
        {1, -16, -1, -8, 0.5, 0.8, SOBRE_LOUD_ACT_GAIN, -8, 0, ""},
        /* the gain pushes peaks over the ceiling minus the codec's headroom: limiter */
        {1, -16, -1, -30, -12, 0.8, SOBRE_LOUD_ACT_LIMIT, 14, 0, ""},
        {1, -16, -1, -20, -5.5, 1.0, SOBRE_LOUD_ACT_LIMIT, 4, 0, ""},
        /* EBU R128 broadcast target */
        {1, -23, -1, -31.4, -17, 0.8, SOBRE_LOUD_ACT_GAIN, 8.4, 0, ""},
        /* quiet: +26 wanted, capped at +20, with a note */
        {1, -16, -1, -42, -30, 0.8, SOBRE_LOUD_ACT_GAIN, 20, 1, "gain is capped at +20 dB"},
        /* near silence: left alone, with a note */
        {1, -16, -1, -55, -40, 0.8, SOBRE_LOUD_ACT_SILENT, 0, 0, "near silence (-55.0 LUFS"},
        {1, -16, -1, -HUGE_VAL, -HUGE_VAL, 0.8, SOBRE_LOUD_ACT_SILENT, 0, 0,
         "below the BS.1770 gate"},
        /* just above the silence floor: normalised (and capped) */
        {1, -16, -1, -49.9, -35, 0.8, SOBRE_LOUD_ACT_GAIN, 20, 1, "capped"},
        /* off */
        {0, -16, -1, -30, -10, 0.8, SOBRE_LOUD_ACT_OFF, 0, 0, ""},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        SobreLoudMeasure m = {cases[i].in_lufs, 3, cases[i].in_peak};
        SobreLoudDecision d;
        sobre_loud_decide(cases[i].enabled, cases[i].target, cases[i].peak, &m, cases[i].headroom,
                          &d);
        T_CHECK(d.action == cases[i].action, "case %zu: action %s", i,
                sobre_loud_action_name(d.action));
        T_NEAR(d.gain_db, cases[i].gain, 1e-9);
        T_EQ_INT(d.capped, cases[i].capped);
        T_CONTAINS(d.note, cases[i].note);
        if (!cases[i].note[0])
            T_EQ_STR(d.note, "");
        if (d.action == SOBRE_LOUD_ACT_GAIN || d.action == SOBRE_LOUD_ACT_LIMIT)
            T_NEAR(d.ceiling_dbtp, cases[i].peak - cases[i].headroom, 1e-9);
    }
    T_CHECK(sobre_loud_codec_headroom(1, 48) >= sobre_loud_codec_headroom(0, 48),
            "AAC overshoots at least as much as Opus");
    T_CHECK(sobre_loud_codec_headroom(0, 16) > sobre_loud_codec_headroom(0, 32),
            "lower bitrates overshoot more");
    T_NEAR(sobre_loud_db_to_gain(-6.0206), 0.5, 1e-4);
}

/* A limiter curve F(u) = u + base below the knee, growing at half speed above it. */
static void curve(SobreLoudPoint *p, int n, double base, double knee)
{
    for (int i = 0; i < n; i++) {
        p[i].u = knee - 4 + 2 * i;
        p[i].lufs = p[i].u <= knee ? p[i].u + base : knee + base + 0.5 * (p[i].u - knee);
    }
}

static void test_next(void)
{
    SobreLoudMeasure in = {-30, 5, -12}, fed, out;
    SobreLoudDecision d;
    SobreLoudPoint pts[6];
    sobre_loud_decide(1, -16, -1, &in, 0.8, &d); /* +14 dB, limiter at -1.8 */
    T_EQ_INT(d.action, SOBRE_LOUD_ACT_LIMIT);
    /* on target and under the ceiling: done, nothing changes */
    fed = (SobreLoudMeasure){-15.9, 5, -1.8};
    out = (SobreLoudMeasure){-16.1, 5, -1.2};
    curve(pts, 6, -16, 0);
    T_EQ_INT(sobre_loud_next(&d, -1, in.true_peak_dbtp, &fed, &out, pts, 6, 0.2), 1);
    T_NEAR(d.gain_db, 14, 1e-9);
    /* the codec lost 0.3 LU and overshot by 1.2 dB: ceiling -1 - 1.2 - 0.5 = -2.7; the
     * curve (F(u) = u - 16 up to u = 0, half speed after) gives the drive u for
     * -16 + 0.3 - (-2.7) = -13: above the knee, u = 6; gain = u + ceiling = 3.3 */
    fed = (SobreLoudMeasure){-17.2, 5, -1.8};
    out = (SobreLoudMeasure){-17.5, 5, -0.6};
    T_EQ_INT(sobre_loud_next(&d, -1, in.true_peak_dbtp, &fed, &out, pts, 6, 0.2), 0);
    T_NEAR(d.ceiling_dbtp, -2.7, 1e-9);
    T_NEAR(d.gain_db, 3.3, 1e-9);
    /* the input's peaks (-12 dBTP) + 3.3 dB stay under -2.7: the limiter will idle */
    T_EQ_INT(d.action, SOBRE_LOUD_ACT_GAIN);
    /* beyond the curve's last point: along its last slope (1 here); no codec change, no
     * overshoot: ceiling -1 - 0.5, want F = -16 + 1.5 = -14.5, u = -2 + 3.5, gain 0 */
    fed = out = (SobreLoudMeasure){-18, 5, -5};
    T_EQ_INT(sobre_loud_next(&d, -1, in.true_peak_dbtp, &fed, &out, pts, 2, 0.2), 0);
    T_NEAR(d.ceiling_dbtp, -1.5, 1e-9);
    T_NEAR(d.gain_db, 0, 1e-9);
    /* capped: the aim is the input + 20 LU; the gain may pass +20 dB by what the codec and
     * the limiter took back (here on a curve without limiting: F(u) = u - 45) */
    sobre_loud_decide(1, -16, -1, &(SobreLoudMeasure){-45, 5, -30}, 0.8, &d);
    T_EQ_INT(d.capped, 1);
    T_NEAR(d.aim_lufs, -25, 1e-9);
    for (int i = 0; i < 3; i++)
        pts[i] = (SobreLoudPoint){18 + 2 * i, -27 + 2 * i};
    /* codec -0.2 LU, overshoot 0.5: ceiling -2; F must reach -25 + 0.2 + 2: u 22.2 */
    T_EQ_INT(sobre_loud_next(&d, -1, -30, &(SobreLoudMeasure){-25.2, 5, -10},
                             &(SobreLoudMeasure){-25.4, 5, -9.5}, pts, 3, 0.2),
             0);
    T_NEAR(d.gain_db, 20.2, 1e-9);
    /* far below, on a curve the limiter flattens: held at +20 + 6 dB, then nothing is
     * left to try */
    for (int i = 0; i < 3; i++)
        pts[i] = (SobreLoudPoint){18 + 2 * i, -37.5 + 0.1 * i};
    T_EQ_INT(sobre_loud_next(&d, -1, -30, &(SobreLoudMeasure){-35, 5, -10},
                             &(SobreLoudMeasure){-35, 5, -10}, pts, 3, 0.2),
             0);
    T_NEAR(d.gain_db, SOBRE_LOUD_MAX_GAIN_DB + SOBRE_LOUD_MAKEUP_DB, 1e-9);
    T_EQ_INT(sobre_loud_next(&d, -1, -30, &(SobreLoudMeasure){-35, 5, -10},
                             &(SobreLoudMeasure){-35, 5, -10}, pts, 3, 0.2),
             1);
    /* silence and off: nothing to correct */
    sobre_loud_decide(1, -16, -1, &(SobreLoudMeasure){-60, 0, -45}, 0.8, &d);
    T_EQ_INT(sobre_loud_next(&d, -1, -45, &fed, &out, pts, 6, 0.2), 1);
}

/* True peak by 32x windowed-sinc interpolation (64 taps each side): finer than the
 * limiter's 4x, so it checks the limiter rather than repeating it. */
static double fine_peak(const float *x, int n, int from, int to)
{
    double peak = 0;
    for (int i = 0; i < n; i++) {
        if (fabs(x[i]) > peak)
            peak = fabs(x[i]);
        for (int f = 1; i >= from && i < to && f < 32; f++) {
            double t = f / 32.0, v = 0;
            for (int k = -63; k <= 64; k++) {
                int j = i + k;
                double a = t - k, w, s;
                if (j < 0 || j >= n)
                    continue;
                s = sin(M_PI * a) / (M_PI * a);
                w = 0.5 + 0.5 * cos(M_PI * a / 64.5);
                v += x[j] * s * w;
            }
            if (fabs(v) > peak)
                peak = fabs(v);
        }
    }
    return peak;
}

/* Runs the limiter over x (n samples, mono) in uneven chunks; y gets the output. */
static int run_limiter(SobreLimiter *l, const float *x, float *y, int n)
{
    int o = 0, i = 0, chunk = 1;
    while (i < n) {
        int k = i + chunk > n ? n - i : chunk;
        float *ch[1] = {y + i};
        for (int j = 0; j < k; j++)
            y[i + j] = x[i + j];
        /* the output lands at the front of what was given: move it to where it belongs */
        int got = sobre_limiter_process(l, ch, 1, k);
        for (int j = 0; j < got; j++)
            y[o + j] = y[i + j];
        o += got;
        i += k;
        chunk = chunk * 3 % 997 + 1;
    }
    {
        float *ch[1] = {y + o};
        o += sobre_limiter_flush(l, ch, 1, n - o);
    }
    return o;
}

static void test_limiter(void)
{
    enum { RATE = 48000, N = RATE * 2 };
    float *x = malloc(sizeof(float) * N), *y = malloc(sizeof(float) * N);
    SobreLimiter *l = NULL;
    double gain = 4; /* +12 dB */
    int n;
    /* a quiet tone with one loud burst at 0.5 s: a sine near fs/4 at 45 degrees, whose true
     * peak falls between samples, faded in and out over 1 ms (a cut-off burst has no true
     * peak to speak of: each interpolator rings differently at the edge) */
    for (int i = 0; i < N; i++) {
        double t = i / (double)RATE, e = 0;
        if (t >= 0.5 && t < 0.52)
            e = fmin(1, fmin(t - 0.5, 0.52 - t) / 0.001);
        e = e > 0 ? 0.5 - 0.5 * cos(M_PI * e) : 0;
        x[i] = (float)((1 - e) * 0.05 * sin(2 * M_PI * 440 * t) +
                       e * 0.9 * sin(2 * M_PI * 11990 * t + M_PI / 4));
    }
    T_EQ_INT(sobre_limiter_new(&l, 1, RATE, 20 * log10(gain), -1.0), 0);
    T_CHECK(sobre_limiter_delay(l) > 0 && sobre_limiter_delay(l) < RATE / 100, "delay %d",
            sobre_limiter_delay(l));
    n = run_limiter(l, x, y, N);
    T_EQ_INT(n, N);
    T_EQ_INT(sobre_limiter_pending(l), 0);
    {
        /* between samples where anything is loud: around the burst */
        double tp = 20 * log10(fine_peak(y, N, (int)(0.49 * RATE), (int)(0.54 * RATE)));
        double before = 20 * log10(fine_peak(x, N, (int)(0.49 * RATE), (int)(0.54 * RATE)) * gain);
        T_CHECK(before > 10, "the burst's true peak, gained: %.2f dBTP", before);
        T_CHECK(tp <= -1.0 + 0.05, "true peak %.3f dBTP over -1", tp);
    }
    T_CHECK(sobre_limiter_reduction_db(l) < -8, "the burst was cut: %.2f dB",
            sobre_limiter_reduction_db(l));
    /* before the burst (minus the look-ahead) and once released: exactly the gain, in place */
    for (int i = 0; i < (int)(0.49 * RATE); i += 97)
        T_CHECK(fabsf(y[i] - (float)gain * x[i]) < 1e-6f, "sample %d moved: %g vs %g", i, y[i],
                gain * x[i]);
    for (int i = (int)(1.0 * RATE); i < N; i += 101)
        T_CHECK(fabsf(y[i] - (float)gain * x[i]) < 2e-3f, "sample %d not released: %g vs %g", i,
                y[i], gain * x[i]);
    sobre_limiter_free(&l);
    T_CHECK(l == NULL, "free NULLs");

    /* below the ceiling the limiter is the gain alone, sample for sample, stereo
     * interleaved, and a stream shorter than its look-ahead comes back whole */
    T_EQ_INT(sobre_limiter_new(&l, 2, RATE, -6, -1.0), 0);
    {
        float b[2 * 100], ref[2 * 100];
        float *ch[2] = {b, b + 1};
        int got;
        for (int i = 0; i < 200; i++)
            b[i] = ref[i] = (float)(0.3 * sin(i * 0.1));
        got = sobre_limiter_process(l, ch, 2, 100);
        T_EQ_INT(got + sobre_limiter_pending(l), 100);
        {
            float *c2[2] = {b + 2 * got, b + 2 * got + 1};
            got += sobre_limiter_flush(l, c2, 2, 100 - got);
        }
        T_EQ_INT(got, 100);
        for (int i = 0; i < 200; i++)
            T_CHECK(fabsf(b[i] - ref[i] * 0.501187f) < 1e-6f, "stereo sample %d: %g", i, b[i]);
        T_NEAR(sobre_limiter_reduction_db(l), 0, 1e-12);
    }
    sobre_limiter_free(&l);
    T_CHECK(sobre_limiter_new(&l, 0, RATE, 0, -1) < 0 && !l, "no channels refused");
    T_CHECK(sobre_limiter_new(&l, 9, RATE, 0, -1) < 0 && !l, "too many channels refused");
    sobre_limiter_free(&l); /* NULL is fine */
    free(x);
    free(y);
}

int main(void)
{
    test_decide();
    test_next();
    test_limiter();
    return t_done();
}
