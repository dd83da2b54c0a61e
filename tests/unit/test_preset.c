/* Ladder presets: the shipped files load, and every kind of bad value is refused with
 * the file, the line and what is allowed. */
#include <stdlib.h>

#include "sobre/preset.h"
#include "t.h"

static void test_shipped(void)
{
    static const char *const files[] = {"default.yaml", "minimal.yaml"};
    const char *src = getenv("SOBRE_SRC");
    char path[1024];
    for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        SobreLadder *l = NULL;
        SobreError err;
        sobre_error_clear(&err);
        snprintf(path, sizeof(path), "%s/presets/ladders/%s", src ? src : ".", files[i]);
        T_CHECK(sobre_ladder_load(&l, path, &err) == 0, "%s: %s", files[i], err.detail);
        if (!l)
            continue;
        T_CHECK(l->nb_rungs >= 2, "rungs");
        T_EQ_INT(l->rungs[0].role, SOBRE_ROLE_AUDIO);
        T_CHECK(l->segment_min_s == SOBRE_SEGMENT_MIN_S, "%s: segments at least %g s", files[i],
                l->segment_min_s);
        if (i == 0) {
            const SobreRung *av1 = &l->rungs[5], *sob = &l->rungs[2];
            T_EQ_STR(av1->id, "av1-720p");
            T_EQ_INT(av1->enabled, 0);
            T_EQ_INT(sob->role, SOBRE_ROLE_SOBRE);
            T_CHECK(sob->max_kbps + l->audio[sob->audio].bitrate_kbps <= 420,
                    "sobre rung must stay under 450 kbit/s with container overhead");
            T_EQ_INT(sobre_ladder_enable(l, "av1-720p", &err), 0);
            T_EQ_INT(av1->enabled, 1);
            T_CHECK(sobre_ladder_enable(l, "nope", &err) < 0, "unknown rung");
            T_CONTAINS(err.detail, "no rung 'nope'; rungs: audio, vp9-360p");
            T_EQ_INT(sobre_ladder_only(l, "vp9-480p,audio", &err), 0);
            T_EQ_INT(l->rungs[3].enabled, 0);
            T_EQ_INT(l->rungs[2].enabled, 1);
        }
        sobre_ladder_free(&l);
    }
}

#define HEAD                                                                                       \
    "name: t\naudio:\n  s: {codec: opus, bitrate_kbps: 32}\n  a: {codec: aac, bitrate_kbps: "      \
    "48}\nrungs:\n"
#define VP9 "  - {id: v, role: sobre, codec: vp9, container: webm, width: 854, height: 480"

static void test_rejects(void)
{
    static const struct {
        const char *yaml, *msg;
    } bad[] = {
        {"name: t\nrungs: []\n", "'rungs' must be a non-empty list"},
        {"name: t\nbogus: 1\nrungs: []\n", "t.yaml:2: unknown field 'bogus'"},
        {HEAD VP9 ", crf: 99}\n",
         "t.yaml:6: field 'crf' must be a whole number from 0 to 63, got '99'"},
        {HEAD VP9 ", crf: abc}\n", "field 'crf'"},
        {HEAD VP9 ", max_fps: 0}\n", "field 'max_fps' must be a number from 1 to 120"},
        {HEAD VP9 ", audio: a}\n", "vp9 goes in container webm with Opus audio"},
        {HEAD VP9 ", audio: zz}\n", "no audio setting named 'zz'"},
        {HEAD "  - {id: v, role: sobre, codec: h264, container: webm, width: 854, height: 480}\n",
         "H.264 is the fallback"},
        {HEAD "  - {id: v, role: fallback, codec: h264, container: mp4, width: 854, height: 480, "
              "crf: 60}\n",
         "0 to 51 for h264"},
        {HEAD "  - {id: v, role: sobre, codec: vp9, container: webm, width: 853, height: 480}\n",
         "must be even"},
        {HEAD "  - {id: ../x, role: audio, container: webm, audio: s}\n", "rung id '../x'"},
        {HEAD "  - {id: a, role: audio, container: mp4, audio: s}\n", "Opus audio goes in"},
        {HEAD "  - {id: a, role: sobre, container: webm, audio: s}\n", "role 'audio' is for"},
        {HEAD "  - {id: a, role: audio, container: webm, audio: s}\n"
              "  - {id: a, role: audio, container: webm, audio: s}\n",
         "rung id 'a' is used twice"},
        {HEAD VP9 ", role: boss}\n", "field 'role' is given twice"},
        {HEAD "  - {id: v, role: boss, codec: vp9, container: webm, width: 8, height: 8}\n",
         "one of audio, low, sobre"},
        {"name: t\naudio:\n  s: {codec: opus, bitrate_kbps: 32, sample_rate: 44100}\nrungs:\n"
         "  - {id: a, role: audio, container: webm, audio: s}\n",
         "Opus sample_rate must be"},
        {"name: t\naudio:\n  s: {codec: opus, bitrate_kbps: 2}\nrungs: []\n",
         "field 'bitrate_kbps' must be a whole number from 6 to 512"},
        {"name: t\nloudness: loud\nrungs: []\n",
         "t.yaml:2: field 'loudness' must be off or {target: LUFS, true_peak: dBTP}, got 'loud'"},
        {"name: t\nloudness:\n  target: -5\nrungs: []\n",
         "t.yaml:3: field 'target' must be a number from -36 to -10, got '-5'"},
        {"name: t\nloudness: {true_peak: 1}\nrungs: []\n",
         "field 'true_peak' must be a number from -9 to 0, got '1'"},
        {"name: t\nloudness: {targt: -16}\nrungs: []\n", "unknown field 'targt'"},
        {"name: t\nloudness: [-16]\nrungs: []\n", "'loudness' must be a mapping"},
        {"name: t\nsegment_min_s: 0\nrungs: []\n",
         "t.yaml:2: field 'segment_min_s' must be a number from 0.5 to 600, got '0'"},
        {"name: t\nsegment_min_s: long\nrungs: []\n", "field 'segment_min_s' must be a number"},
        {"- just\n- a list\n", "the preset must be a mapping"},
        {"name: [\n", "not valid YAML"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        SobreLadder *l = NULL;
        SobreError err;
        sobre_error_clear(&err);
        T_CHECK(sobre_ladder_parse(&l, "t.yaml", bad[i].yaml, strlen(bad[i].yaml), &err) < 0,
                "case %zu must fail", i);
        T_CHECK(l == NULL, "no ladder on failure");
        T_CONTAINS(err.detail, bad[i].msg);
        sobre_ladder_free(&l);
    }
}

/* The loudness key: on at -16 LUFS / -1 dBTP unless the preset says otherwise. */
static void test_loudness(void)
{
    static const struct {
        const char *key;
        int enabled;
        double target, peak;
    } ok[] = {
        {"", 1, -16, -1},
        {"loudness: off\n", 0, -16, -1},
        {"loudness: false\n", 0, -16, -1},
        {"loudness: {target: -23}\n", 1, -23, -1},
        {"loudness: {target: -19, true_peak: -2}\n", 1, -19, -2},
        {"loudness: {true_peak: -1.5}\n", 1, -16, -1.5},
    };
    for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
        char yaml[512];
        SobreLadder *l = NULL;
        SobreError err;
        sobre_error_clear(&err);
        snprintf(yaml, sizeof(yaml),
                 "name: t\n%saudio:\n  s: {codec: opus, bitrate_kbps: 32}\nrungs:\n"
                 "  - {id: a, role: audio, container: webm, audio: s}\n",
                 ok[i].key);
        T_CHECK(sobre_ladder_parse(&l, "t.yaml", yaml, strlen(yaml), &err) == 0, "case %zu: %s", i,
                err.detail);
        if (!l)
            continue;
        T_EQ_INT(l->loudness.enabled, ok[i].enabled);
        T_NEAR(l->loudness.target_lufs, ok[i].target, 1e-9);
        T_NEAR(l->loudness.true_peak_dbtp, ok[i].peak, 1e-9);
        sobre_ladder_free(&l);
    }
}

int main(void)
{
    test_shipped();
    test_rejects();
    test_loudness();
    return t_done();
}
