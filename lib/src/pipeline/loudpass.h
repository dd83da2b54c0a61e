/* The loudness pre-pass (loudpass.c), before the encode: one audio-only read of the input
 * measures it at its own layout (report.json's input figures, as `sobre probe` gives
 * them) and at the layout of every audio setting being encoded (channels and rate, as
 * the encoder's converter makes them: a downmix changes loudness and true peak), then
 * decides each setting's level (loudness.h). Trial reads then encode each setting's
 * audio with that level and measure it decoded, correcting the gain and the limiter's
 * ceiling for what the codec and the limiter did, so the outputs land on the target.
 * Knows nothing of the job. */
#ifndef SOBRE_PIPELINE_LOUDPASS_H
#define SOBRE_PIPELINE_LOUDPASS_H

#include <stdatomic.h>

#include <jansson.h>

#include "aenc.h"
#include "loudmeter.h"
#include "loudness.h"
#include "sobre/preset.h"

#define LOUDPASS_MAX_POINTS 24 /* sobre_loud_next() reads at most 24 */

typedef struct LoudPassAudio {
    int setting; /* index in the ladder's audio settings */
    int channels, sample_rate;
    LoudMeterResult measured; /* the input at this layout */
    SobreLoudDecision first;  /* the decision from that measurement */
    SobreLoudDecision d;      /* corrected after each trial */
    int trials;               /* trial encodes measured */
    int leader;               /* -1, or the entry whose trials this one shares: the same
                                 codec, channels, rate, bitrate and application (Opus frame
                                 sizes apart, the same audio: one trial serves both) */
    LoudMeterResult out;      /* the kept trial: what the outputs will measure */
    LoudMeterResult fed;      /* and what its encoder was fed (limiter_db: its deepest cut) */
    AudioLevel level;         /* the kept trial's level: what the audio encoder gets */
    SobreLoudPoint pts[LOUDPASS_MAX_POINTS]; /* the limiter's curve at this layout */
    int npts;
} LoudPassAudio;

typedef struct LoudPass {
    SobreLoudnessTarget target;
    LoudMeterResult input; /* the input at its own channels and rate */
    LoudPassAudio audio[SOBRE_LADDER_MAX_AUDIO];
    int nb_audio;
    int reads; /* audio-only reads of the input */
    double wall_s, cpu_s;
} LoudPass;

typedef struct LoudPassConfig {
    const char *input;
    int stream; /* the audio stream probe chose */
    const SobreLadder *ladder;
    const int *used; /* used[k]: audio setting k is encoded in this run */
    SobreLoudnessTarget target;
    const atomic_int *cancel;
    void (*tick)(void *opaque, double done_s);
    void *opaque;
    const SobreLogger *logger;
} LoudPassConfig;

int sobre_loudpass_run(LoudPass *lp, const LoudPassConfig *c, SobreError *err);
/* The level of audio setting k (NULL: not measured, encode as decoded). */
const AudioLevel *sobre_loudpass_level(const LoudPass *lp, int setting);
/* report.json's top-level "loudness" (docs/report.schema.json). */
json_t *sobre_loudpass_json(const LoudPass *lp, const SobreLadder *ladder);
/* A measurement as JSON: integrated_lufs (null below the gate), range_lu, true_peak_dbtp. */
json_t *sobre_loud_result_json(const LoudMeterResult *r);

#endif
