/* Loudness decisions: one gain per audio layout towards the target, a limiter only when
 * that gain would push true peaks over the ceiling, and plain words when the audio is
 * left alone or the gain is capped. The figures are EBU R128's (loudness.h). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "loudness.h"

/* Under the ceiling by the codec's measured overshoot and this much more: the overshoot
 * moves by a few tenths of a dB with the level (AAC at 48 kbit/s on clicks, measured). */
#define CODEC_MARGIN_DB 0.5

double sobre_loud_db_to_gain(double db)
{
    return pow(10.0, db / 20.0);
}

const char *sobre_loud_action_name(SobreLoudAction a)
{
    switch (a) {
    case SOBRE_LOUD_ACT_GAIN:
        return "gain";
    case SOBRE_LOUD_ACT_LIMIT:
        return "limit";
    case SOBRE_LOUD_ACT_SILENT:
        return "silent";
    default:
        return "off";
    }
}

/* The first guess only: the trials then measure the codec's real overshoot. Decoded Opus
 * at 32 kbit/s lands 0.3 to 1.5 dB over the peaks it was fed on speech (up to 3 on dense
 * battle sound), AAC-LC at 48 kbit/s up to 3 dB on knocks (tests/integration/
 * test_loudness.sh); lower bitrates overshoot more. */
double sobre_loud_codec_headroom(int aac, int bitrate_kbps)
{
    double h = aac ? 1.0 : 0.8;
    if (bitrate_kbps > 0 && bitrate_kbps < 24)
        h += 0.5;
    else if (bitrate_kbps >= 96)
        h -= 0.3;
    return h;
}

void sobre_loud_decide(int enabled, double target_lufs, double peak_dbtp, const SobreLoudMeasure *m,
                       double headroom_db, SobreLoudDecision *d)
{
    double in = m->integrated_lufs;
    memset(d, 0, sizeof(*d));
    d->ceiling_dbtp = peak_dbtp - headroom_db;
    d->aim_lufs = in;
    if (!enabled) {
        d->action = SOBRE_LOUD_ACT_OFF;
        return;
    }
    if (!isfinite(in) || in < SOBRE_LOUD_SILENT_LUFS) {
        d->action = SOBRE_LOUD_ACT_SILENT;
        if (isfinite(in))
            snprintf(d->note, sizeof(d->note),
                     "audio: near silence (%.1f LUFS, below %.0f LUFS): its level is left as it "
                     "is, not raised to %.0f LUFS",
                     in, SOBRE_LOUD_SILENT_LUFS, target_lufs);
        else
            snprintf(d->note, sizeof(d->note),
                     "audio: silence (below the BS.1770 gate of -70 LUFS): its level is left as "
                     "it is");
        return;
    }
    d->wanted_db = target_lufs - in;
    d->gain_db = d->wanted_db;
    d->aim_lufs = target_lufs;
    if (d->gain_db > SOBRE_LOUD_MAX_GAIN_DB) {
        d->gain_db = SOBRE_LOUD_MAX_GAIN_DB;
        d->capped = 1;
        d->aim_lufs = in + SOBRE_LOUD_MAX_GAIN_DB;
        snprintf(d->note, sizeof(d->note),
                 "audio: quiet (%.1f LUFS): the gain is capped at +%.0f dB (+%.1f dB wanted), so "
                 "it plays at %.1f LUFS instead of %.0f LUFS",
                 in, SOBRE_LOUD_MAX_GAIN_DB, d->wanted_db, d->aim_lufs, target_lufs);
    }
    d->peak_out_dbtp = isfinite(m->true_peak_dbtp) ? m->true_peak_dbtp + d->gain_db : -HUGE_VAL;
    d->action = d->peak_out_dbtp > d->ceiling_dbtp ? SOBRE_LOUD_ACT_LIMIT : SOBRE_LOUD_ACT_GAIN;
}

/* u with F(u) = want on the curve (sorted by u): linear between the points that bracket
 * it, else along the end slopes (1 below: the limiter idle; at least 0.3 above). */
static double solve(const SobreLoudPoint *p, int n, double want)
{
    double s;
    if (want <= p[0].lufs)
        return p[0].u - (p[0].lufs - want);
    for (int i = 0; i + 1 < n; i++)
        if (want <= p[i + 1].lufs && p[i + 1].lufs > p[i].lufs)
            return p[i].u +
                   (want - p[i].lufs) * (p[i + 1].u - p[i].u) / (p[i + 1].lufs - p[i].lufs);
    s = n > 1 ? (p[n - 1].lufs - p[n - 2].lufs) / (p[n - 1].u - p[n - 2].u) : 1;
    s = s < 0.3 ? 0.3 : s > 1 ? 1 : s;
    return p[n - 1].u + (want - p[n - 1].lufs) / s;
}

int sobre_loud_next(SobreLoudDecision *d, double peak_dbtp, double in_peak_dbtp,
                    const SobreLoudMeasure *fed, const SobreLoudMeasure *out,
                    const SobreLoudPoint *pts, int n, double tol_lu)
{
    SobreLoudPoint sorted[24];
    double codec, over, ceiling, gain;
    int loud_ok, peak_ok;
    if ((d->action != SOBRE_LOUD_ACT_GAIN && d->action != SOBRE_LOUD_ACT_LIMIT) ||
        !isfinite(out->integrated_lufs) || !isfinite(fed->integrated_lufs) || n < 1)
        return 1;
    loud_ok = fabs(d->aim_lufs - out->integrated_lufs) <= tol_lu ||
              (d->gain_db >= SOBRE_LOUD_MAX_GAIN_DB + SOBRE_LOUD_MAKEUP_DB &&
               out->integrated_lufs < d->aim_lufs);
    peak_ok = !(out->true_peak_dbtp > peak_dbtp);
    if (loud_ok && peak_ok)
        return 1;
    n = n > 24 ? 24 : n;
    memcpy(sorted, pts, sizeof(*pts) * (size_t)n);
    for (int i = 1; i < n; i++) /* a few points: insertion sort */
        for (int j = i; j > 0 && sorted[j].u < sorted[j - 1].u; j--) {
            SobreLoudPoint t = sorted[j];
            sorted[j] = sorted[j - 1];
            sorted[j - 1] = t;
        }
    codec = out->integrated_lufs - fed->integrated_lufs;
    over = isfinite(out->true_peak_dbtp) && isfinite(fed->true_peak_dbtp) &&
                   out->true_peak_dbtp > fed->true_peak_dbtp
               ? out->true_peak_dbtp - fed->true_peak_dbtp
               : 0;
    ceiling = peak_dbtp - over - CODEC_MARGIN_DB;
    gain = solve(sorted, n, d->aim_lufs - codec - ceiling) + ceiling;
    if (gain > SOBRE_LOUD_MAX_GAIN_DB + SOBRE_LOUD_MAKEUP_DB)
        gain = SOBRE_LOUD_MAX_GAIN_DB + SOBRE_LOUD_MAKEUP_DB;
    if (fabs(gain - d->gain_db) < 0.005 && fabs(ceiling - d->ceiling_dbtp) < 0.005)
        return 1; /* the same trial again would say the same */
    d->gain_db = gain;
    d->ceiling_dbtp = ceiling;
    d->peak_out_dbtp = in_peak_dbtp + gain;
    d->action = d->peak_out_dbtp > ceiling ? SOBRE_LOUD_ACT_LIMIT : SOBRE_LOUD_ACT_GAIN;
    return 0;
}
