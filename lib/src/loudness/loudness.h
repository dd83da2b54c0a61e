/* Loudness decisions (loudness.c): from what the pre-pass measured at a rendition's audio
 * layout and the target (EBU R128 / ITU-R BS.1770-4 figures), the one gain to apply,
 * whether a true-peak limiter must follow it, and the notes a person reads when the
 * audio is left alone (near silence) or the gain is capped. Pure: no FFmpeg, no I/O; the
 * measuring is libebur128's (probe/loudmeter.h), the limiter is limiter.h. */
#ifndef SOBRE_LOUDNESS_H
#define SOBRE_LOUDNESS_H

#include <stddef.h>

/* Near silence: below the BS.1770 absolute gate (-70 LUFS: every block gated out) or
 * quieter than this, a track is left as it is. Raising it would raise hum and hiss. */
#define SOBRE_LOUD_SILENT_LUFS (-50.0)
/* A quiet recording is made at most this much louder (LU): the cap. */
#define SOBRE_LOUD_MAX_GAIN_DB 20.0
/* The gain may pass the cap by what the limiter and the codec take back of the loudness
 * (a quiet, peaky recording), by at most this much. */
#define SOBRE_LOUD_MAKEUP_DB 6.0

/* What one measurement found (libebur128 figures; -HUGE_VAL where it says so). */
typedef struct SobreLoudMeasure {
    double integrated_lufs; /* -HUGE_VAL: every block below the absolute gate */
    double range_lu;
    double true_peak_dbtp; /* -HUGE_VAL: digital silence */
} SobreLoudMeasure;

typedef enum SobreLoudAction {
    SOBRE_LOUD_ACT_OFF = 0, /* normalisation is off: the level is the source's */
    SOBRE_LOUD_ACT_GAIN,    /* the gain alone: peaks stay under the ceiling */
    SOBRE_LOUD_ACT_LIMIT,   /* the gain, then the true-peak limiter */
    SOBRE_LOUD_ACT_SILENT,  /* near silence: left as it is */
} SobreLoudAction;

typedef struct SobreLoudDecision {
    SobreLoudAction action;
    double gain_db;       /* applied; 0 when off or silent */
    double wanted_db;     /* target - measured, before the cap */
    int capped;           /* the gain was held at SOBRE_LOUD_MAX_GAIN_DB */
    double ceiling_dbtp;  /* where the limiter holds peaks: the ceiling minus headroom */
    double peak_out_dbtp; /* the measured true peak plus the gain (before any limiter) */
    double aim_lufs;      /* what the output should measure: the target, or less when capped */
    char note[320];       /* a sentence for report.json's notes, "" when none */
} SobreLoudDecision;

/* Headroom under the true-peak ceiling for a lossy encoder's overshoot: decoded Opus and
 * AAC peaks land above their input's (the more so at low bitrates), and the ceiling is
 * checked on the decoded outputs. aac: 1 for AAC, 0 for Opus. */
double sobre_loud_codec_headroom(int aac, int bitrate_kbps);

/* The decision for one layout. target_lufs / peak_dbtp: the goal; enabled 0 gives
 * SOBRE_LOUD_ACT_OFF. headroom_db from sobre_loud_codec_headroom(). */
void sobre_loud_decide(int enabled, double target_lufs, double peak_dbtp, const SobreLoudMeasure *m,
                       double headroom_db, SobreLoudDecision *d);

/* A point of the limiter's curve: F(u) = the integrated loudness of the audio gained by u
 * dB and limited at 0 dBTP. The limiter scales: gain g and ceiling c give F(g - c) + c. */
typedef struct SobreLoudPoint {
    double u, lufs;
} SobreLoudPoint;

/* After a trial (the level applied, encoded and decoded as the listener gets it): fed is
 * what the encoder was given, out what its output measures. The codec moves loudness a
 * little (a low-bitrate Opus drops the top of the spectrum) and overshoots peaks; both
 * are taken as measured, the ceiling goes under peak_dbtp by the overshoot (and 0.5 dB),
 * and the gain is read off the limiter's curve pts (n points, any order, at most 24) so that the
 * output lands on the aim, within the cap and its makeup. Returns 1 when the trial was on target
 * (within tol_lu, peaks at or under peak_dbtp) or nothing is left to change (the gain held at its
 * cap), else 0: another trial is worth it. */
int sobre_loud_next(SobreLoudDecision *d, double peak_dbtp, double in_peak_dbtp,
                    const SobreLoudMeasure *fed, const SobreLoudMeasure *out,
                    const SobreLoudPoint *pts, int n, double tol_lu);

/* "gain", "limit", "silent", "off" (static strings). */
const char *sobre_loud_action_name(SobreLoudAction a);

/* dB <-> linear amplitude. */
double sobre_loud_db_to_gain(double db);

#endif
