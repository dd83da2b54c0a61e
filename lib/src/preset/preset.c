/* Ladder preset reader: YAML (libyaml, via yamldoc) into a validated SobreLadder.
 * Validation is where contradictory settings are caught (an H.264 rung in WebM, Opus in
 * an MP4 fallback, a CRF out of the codec's range), so the pipeline can trust the plan. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "sobre/preset.h"
#include "yamldoc.h"

static const char *const codec_names[] = {"vp9", "av1", "h264", "opus", "aac", NULL};
static const char *const role_names[] = {"audio",    "low",   "sobre", "standard", "high",
                                         "fallback", "extra", "hdr",   NULL};
static const char *const hdr_names[] = {"sdr", "keep", NULL};
static const char *const container_names[] = {"webm", "mp4", "m4a", NULL};
static const char *const container_exts[] = {".webm", ".mp4", ".m4a"};

const char *sobre_codec_name(SobreCodec c)
{
    return c >= 0 && c < SOBRE_CODEC_NB ? codec_names[c] : "?";
}

const char *sobre_role_name(SobreRole r)
{
    return r >= 0 && r < SOBRE_ROLE_NB ? role_names[r] : "?";
}

int sobre_hdr_mode_parse(const char *name, SobreHdrMode *mode)
{
    for (int i = 0; name && hdr_names[i]; i++)
        if (!strcmp(name, hdr_names[i])) {
            *mode = (SobreHdrMode)i;
            return 0;
        }
    return -1;
}

const char *sobre_container_name(SobreContainer c)
{
    return c >= 0 && c < SOBRE_CONTAINER_NB ? container_names[c] : "?";
}

const char *sobre_container_ext(SobreContainer c)
{
    return c >= 0 && c < SOBRE_CONTAINER_NB ? container_exts[c] : "";
}

static int valid_id(const char *id)
{
    if (!((id[0] >= 'a' && id[0] <= 'z') || (id[0] >= '0' && id[0] <= '9')))
        return 0;
    for (const char *p = id; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '.' || *p == '_' ||
              *p == '-'))
            return 0;
    return 1;
}

static int parse_audio(const SobreYaml *y, int map, SobreAudioSetting *a, SobreError *err)
{
    static const char *const keys[] = {"codec",    "channels",    "sample_rate", "bitrate_kbps",
                                       "frame_ms", "application", NULL};
    static const char *const apps[] = {"audio", "voip", NULL};
    static const char *const codecs[] = {"opus", "aac", NULL};
    int codec = 0, app = 0, ret;
    long channels = 1, rate = 48000, kbps = 32, frame = 20;
    const char *name = y ? sobre_yaml_name(y) : "";

    if ((ret = sobre_yaml_expect_map(y, map, "an audio setting", err)) < 0 ||
        (ret = sobre_yaml_check_keys(y, map, keys, err)) < 0 ||
        (ret = sobre_yaml_enum(y, map, "codec", 1, codecs, &codec, err)) < 0 ||
        (ret = sobre_yaml_int(y, map, "channels", 0, 1, 2, &channels, err)) < 0 ||
        (ret = sobre_yaml_int(y, map, "sample_rate", 0, 8000, 48000, &rate, err)) < 0 ||
        (ret = sobre_yaml_int(y, map, "bitrate_kbps", 1, 6, 512, &kbps, err)) < 0 ||
        (ret = sobre_yaml_int(y, map, "frame_ms", 0, 10, 60, &frame, err)) < 0 ||
        (ret = sobre_yaml_enum(y, map, "application", 0, apps, &app, err)) < 0)
        return ret;
    a->codec = codec == 0 ? SOBRE_CODEC_OPUS : SOBRE_CODEC_AAC;
    a->channels = (int)channels;
    a->sample_rate = (int)rate;
    a->bitrate_kbps = (int)kbps;
    a->frame_ms = (int)frame;
    a->voip = app == 1;
    if (a->codec == SOBRE_CODEC_OPUS && rate != 48000 && rate != 24000 && rate != 16000 &&
        rate != 12000 && rate != 8000)
        return sobre_fail(err, SOBRE_E_INVALID,
                          "%s:%d: audio '%s': Opus sample_rate must be 8000, 12000, 16000, "
                          "24000 or 48000, got %ld",
                          name, sobre_yaml_line(y, map), a->name, rate);
    if (a->codec == SOBRE_CODEC_OPUS && frame != 10 && frame != 20 && frame != 40 && frame != 60)
        return sobre_fail(err, SOBRE_E_INVALID,
                          "%s:%d: audio '%s': Opus frame_ms must be 10, 20, 40 or 60, got %ld",
                          name, sobre_yaml_line(y, map), a->name, frame);
    return 0;
}

static int find_audio(const SobreLadder *l, const char *name)
{
    for (int i = 0; i < l->nb_audio; i++)
        if (!strcmp(l->audio[i].name, name))
            return i;
    return -1;
}

/* Codec, container and range checks that need several fields together. */
static int check_rung(const SobreYaml *y, int map, const SobreLadder *l, const SobreRung *r,
                      SobreError *err)
{
    const char *f = sobre_yaml_name(y);
    int line = sobre_yaml_line(y, map);
    const SobreAudioSetting *a = r->audio >= 0 ? &l->audio[r->audio] : NULL;

    if (!r->video) {
        if (!a)
            return sobre_fail(err, SOBRE_E_INVALID,
                              "%s:%d: rung '%s' has neither a video codec nor audio", f, line,
                              r->id);
        if (a->codec == SOBRE_CODEC_OPUS && r->container != SOBRE_CONTAINER_WEBM)
            return sobre_fail(err, SOBRE_E_INVALID,
                              "%s:%d: rung '%s': Opus audio goes in container webm", f, line,
                              r->id);
        if (a->codec == SOBRE_CODEC_AAC && r->container != SOBRE_CONTAINER_M4A)
            return sobre_fail(err, SOBRE_E_INVALID,
                              "%s:%d: rung '%s': AAC audio only goes in container m4a", f, line,
                              r->id);
        return 0;
    }
    if (r->codec == SOBRE_CODEC_H264) {
        if (r->container != SOBRE_CONTAINER_MP4 || (a && a->codec != SOBRE_CODEC_AAC))
            return sobre_fail(err, SOBRE_E_INVALID,
                              "%s:%d: rung '%s': H.264 is the fallback for old browsers: it "
                              "needs container mp4 and AAC audio",
                              f, line, r->id);
        if (r->crf > 51)
            return sobre_fail(err, SOBRE_E_INVALID,
                              "%s:%d: rung '%s': field 'crf' must be 0 to 51 for h264, got %d", f,
                              line, r->id, r->crf);
        if (r->speed > 9)
            return sobre_fail(err, SOBRE_E_INVALID,
                              "%s:%d: rung '%s': field 'speed' for h264 is an x264 preset index "
                              "0 (placebo) to 9 (ultrafast), got %d",
                              f, line, r->id, r->speed);
    } else {
        if (r->container != SOBRE_CONTAINER_WEBM || (a && a->codec != SOBRE_CODEC_OPUS))
            return sobre_fail(err, SOBRE_E_INVALID,
                              "%s:%d: rung '%s': %s goes in container webm with Opus audio", f,
                              line, r->id, sobre_codec_name(r->codec));
        if (r->codec == SOBRE_CODEC_VP9 && r->speed > 8)
            return sobre_fail(err, SOBRE_E_INVALID,
                              "%s:%d: rung '%s': field 'speed' is VP9 cpu-used 0 to 8, got %d", f,
                              line, r->id, r->speed);
        if (r->codec == SOBRE_CODEC_AV1 && r->speed > 13)
            return sobre_fail(err, SOBRE_E_INVALID,
                              "%s:%d: rung '%s': field 'speed' is the SVT-AV1 preset 0 to 13, "
                              "got %d",
                              f, line, r->id, r->speed);
    }
    if ((r->width & 1) || (r->height & 1))
        return sobre_fail(err, SOBRE_E_INVALID,
                          "%s:%d: rung '%s': width and height must be even, got %dx%d", f, line,
                          r->id, r->width, r->height);
    return 0;
}

static int parse_rung(const SobreYaml *y, int map, SobreLadder *l, SobreRung *r, SobreError *err)
{
    static const char *const keys[] = {
        "id",       "label",   "role",  "codec",   "container", "width",   "height",      "crf",
        "max_kbps", "max_fps", "speed", "threads", "audio",     "enabled", "target_ssim", NULL};
    static const char *const vcodecs[] = {"vp9", "av1", "h264", "none", NULL};
    char audio[32] = "";
    int role = 0, codec = 3, container = 0, ret;
    long w = 0, h = 0, crf = 36, kbps = 0, speed = 4, threads = 0;
    double fps = 30;

    memset(r, 0, sizeof(*r));
    r->enabled = 1;
    if ((ret = sobre_yaml_expect_map(y, map, "a rung", err)) < 0 ||
        (ret = sobre_yaml_check_keys(y, map, keys, err)) < 0 ||
        (ret = sobre_yaml_string(y, map, "id", 1, r->id, sizeof(r->id), err)) < 0)
        return ret;
    if (!valid_id(r->id))
        return sobre_fail(err, SOBRE_E_INVALID,
                          "%s:%d: rung id '%s' must use only a-z, 0-9, '.', '_' and '-' (it "
                          "becomes a file name)",
                          sobre_yaml_name(y), sobre_yaml_line(y, map), r->id);
    memcpy(r->label, r->id, strlen(r->id) + 1); /* id is shorter than label */
    if ((ret = sobre_yaml_string(y, map, "label", 0, r->label, sizeof(r->label), err)) < 0 ||
        (ret = sobre_yaml_enum(y, map, "role", 1, role_names, &role, err)) < 0 ||
        (ret = sobre_yaml_enum(y, map, "codec", 0, vcodecs, &codec, err)) < 0 ||
        (ret = sobre_yaml_enum(y, map, "container", 1, container_names, &container, err)) < 0 ||
        (ret = sobre_yaml_int(y, map, "width", codec != 3, 16, 7680, &w, err)) < 0 ||
        (ret = sobre_yaml_int(y, map, "height", codec != 3, 16, 4320, &h, err)) < 0 ||
        (ret = sobre_yaml_int(y, map, "crf", 0, 0, 63, &crf, err)) < 0 ||
        (ret = sobre_yaml_int(y, map, "max_kbps", 0, 0, 100000, &kbps, err)) < 0 ||
        (ret = sobre_yaml_double(y, map, "max_fps", 0, 1, 120, &fps, err)) < 0 ||
        (ret = sobre_yaml_int(y, map, "speed", 0, 0, 13, &speed, err)) < 0 ||
        (ret = sobre_yaml_int(y, map, "threads", 0, 0, 16, &threads, err)) < 0 ||
        (ret = sobre_yaml_string(y, map, "audio", 0, audio, sizeof(audio), err)) < 0 ||
        (ret = sobre_yaml_bool(y, map, "enabled", 0, &r->enabled, err)) < 0 ||
        (ret = sobre_yaml_double(y, map, "target_ssim", 0, 0.5, 0.999, &r->target_ssim, err)) < 0)
        return ret;
    r->role = (SobreRole)role;
    r->video = codec != 3;
    r->codec = codec == 0 ? SOBRE_CODEC_VP9 : codec == 1 ? SOBRE_CODEC_AV1 : SOBRE_CODEC_H264;
    r->container = (SobreContainer)container;
    r->width = (int)w;
    r->height = (int)h;
    r->crf = (int)crf;
    r->max_kbps = (int)kbps;
    r->max_fps = fps;
    r->speed = (int)speed;
    r->threads = (int)threads;
    r->audio = -1;
    if (audio[0] && (r->audio = find_audio(l, audio)) < 0)
        return sobre_fail(err, SOBRE_E_INVALID, "%s:%d: rung '%s': no audio setting named '%s'",
                          sobre_yaml_name(y), sobre_yaml_line(y, map), r->id, audio);
    if (!r->video && r->target_ssim > 0)
        return sobre_fail(err, SOBRE_E_INVALID,
                          "%s:%d: rung '%s': target_ssim is for video rungs only",
                          sobre_yaml_name(y), sobre_yaml_line(y, map), r->id);
    if (r->role == SOBRE_ROLE_HDR)
        return sobre_fail(err, SOBRE_E_INVALID,
                          "%s:%d: rung '%s': role 'hdr' is the rendition `hdr: keep` adds from "
                          "the largest VP9 rung; set `hdr: keep` at the top of the preset instead",
                          sobre_yaml_name(y), sobre_yaml_line(y, map), r->id);
    if ((r->role == SOBRE_ROLE_AUDIO) == r->video)
        return sobre_fail(err, SOBRE_E_INVALID,
                          "%s:%d: rung '%s': role 'audio' is for rungs without video (codec: "
                          "none), and only for them",
                          sobre_yaml_name(y), sobre_yaml_line(y, map), r->id);
    return check_rung(y, map, l, r, err);
}

/* `loudness: off` (or `false`), or `loudness: {target: LUFS, true_peak: dBTP}`. */
static int parse_loudness(const SobreYaml *y, int root, SobreLoudnessTarget *t, SobreError *err)
{
    static const char *const keys[] = {"target", "true_peak", NULL};
    int node = sobre_yaml_get(y, root, "loudness"), ret;
    const char *v;
    t->enabled = 1;
    t->target_lufs = SOBRE_LOUDNESS_DEFAULT_LUFS;
    t->true_peak_dbtp = SOBRE_LOUDNESS_DEFAULT_PEAK;
    if (!node)
        return 0;
    if (sobre_yaml_type(y, node) == SOBRE_YAML_SCALAR) {
        v = sobre_yaml_scalar(y, node);
        if (v && (!strcmp(v, "off") || !strcmp(v, "false"))) {
            t->enabled = 0;
            return 0;
        }
        return sobre_fail(err, SOBRE_E_INVALID,
                          "%s:%d: field 'loudness' must be off or {target: LUFS, true_peak: "
                          "dBTP}, got '%s'",
                          sobre_yaml_name(y), sobre_yaml_line(y, node), v ? v : "");
    }
    if ((ret = sobre_yaml_expect_map(y, node, "'loudness'", err)) < 0 ||
        (ret = sobre_yaml_check_keys(y, node, keys, err)) < 0 ||
        (ret = sobre_yaml_double(y, node, "target", 0, SOBRE_LOUDNESS_MIN_LUFS,
                                 SOBRE_LOUDNESS_MAX_LUFS, &t->target_lufs, err)) < 0 ||
        (ret = sobre_yaml_double(y, node, "true_peak", 0, SOBRE_LOUDNESS_MIN_PEAK,
                                 SOBRE_LOUDNESS_MAX_PEAK, &t->true_peak_dbtp, err)) < 0)
        return ret;
    return 0;
}

static int parse_ladder(const SobreYaml *y, SobreLadder *l, SobreError *err)
{
    static const char *const keys[] = {"name",          "description", "keyint_s",
                                       "segment_min_s", "hdr",         "loudness",
                                       "audio",         "rungs",       NULL};
    int root = sobre_yaml_root(y), audio, rungs, hdr = SOBRE_HDR_SDR, ret;
    const char *f = sobre_yaml_name(y);

    if ((ret = sobre_yaml_expect_map(y, root, "the preset", err)) < 0 ||
        (ret = sobre_yaml_check_keys(y, root, keys, err)) < 0 ||
        (ret = sobre_yaml_string(y, root, "name", 1, l->name, sizeof(l->name), err)) < 0 ||
        (ret = sobre_yaml_string(y, root, "description", 0, l->description, sizeof(l->description),
                                 err)) < 0)
        return ret;
    l->keyint_s = 4;
    l->segment_min_s = SOBRE_SEGMENT_MIN_S;
    if ((ret = sobre_yaml_double(y, root, "keyint_s", 0, 0.5, 10, &l->keyint_s, err)) < 0 ||
        (ret = sobre_yaml_double(y, root, "segment_min_s", 0, 0.5, 600, &l->segment_min_s, err)) <
            0 ||
        (ret = sobre_yaml_enum(y, root, "hdr", 0, hdr_names, &hdr, err)) < 0 ||
        (ret = parse_loudness(y, root, &l->loudness, err)) < 0)
        return ret;
    l->hdr = (SobreHdrMode)hdr;
    audio = sobre_yaml_get(y, root, "audio");
    if (audio && (ret = sobre_yaml_expect_map(y, audio, "'audio'", err)) < 0)
        return ret;
    for (size_t i = 0; audio && i < sobre_yaml_len(y, audio); i++) {
        SobreAudioSetting *a = &l->audio[l->nb_audio];
        const char *name = sobre_yaml_scalar(y, sobre_yaml_key(y, audio, i));
        if (l->nb_audio >= SOBRE_LADDER_MAX_AUDIO)
            return sobre_fail(err, SOBRE_E_INVALID, "%s: more than %d audio settings", f,
                              SOBRE_LADDER_MAX_AUDIO);
        if (!name || !name[0] || strlen(name) >= sizeof(a->name))
            return sobre_fail(err, SOBRE_E_INVALID,
                              "%s:%d: audio setting names are 1 to 31 "
                              "characters",
                              f, sobre_yaml_line(y, sobre_yaml_key(y, audio, i)));
        snprintf(a->name, sizeof(a->name), "%s", name);
        if ((ret = parse_audio(y, sobre_yaml_value(y, audio, i), a, err)) < 0)
            return ret;
        l->nb_audio++;
    }
    rungs = sobre_yaml_get(y, root, "rungs");
    if (sobre_yaml_type(y, rungs) != SOBRE_YAML_SEQ || sobre_yaml_len(y, rungs) == 0)
        return sobre_fail(err, SOBRE_E_INVALID, "%s:%d: 'rungs' must be a non-empty list", f,
                          sobre_yaml_line(y, rungs ? rungs : root));
    for (size_t i = 0; i < sobre_yaml_len(y, rungs); i++) {
        int item = sobre_yaml_item(y, rungs, i);
        if (l->nb_rungs >= SOBRE_LADDER_MAX_RUNGS)
            return sobre_fail(err, SOBRE_E_INVALID, "%s: more than %d rungs", f,
                              SOBRE_LADDER_MAX_RUNGS);
        if ((ret = parse_rung(y, item, l, &l->rungs[l->nb_rungs], err)) < 0)
            return ret;
        for (int j = 0; j < l->nb_rungs; j++)
            if (!strcmp(l->rungs[j].id, l->rungs[l->nb_rungs].id))
                return sobre_fail(err, SOBRE_E_INVALID, "%s:%d: rung id '%s' is used twice", f,
                                  sobre_yaml_line(y, item), l->rungs[j].id);
        l->nb_rungs++;
    }
    return 0;
}

static int finish(SobreLadder **out, SobreYaml *y, const char *file, SobreError *err)
{
    SobreLadder *l = calloc(1, sizeof(*l));
    int ret;
    if (!l) {
        sobre_yaml_free(&y);
        return sobre_fail(err, -ENOMEM, "%s: out of memory", file);
    }
    snprintf(l->file, sizeof(l->file), "%s", file);
    ret = parse_ladder(y, l, err);
    sobre_yaml_free(&y);
    if (ret < 0) {
        free(l);
        return ret;
    }
    *out = l;
    return 0;
}

int sobre_ladder_load(SobreLadder **out, const char *path, SobreError *err)
{
    SobreYaml *y = NULL;
    int ret;
    *out = NULL;
    if ((ret = sobre_yaml_load_file(&y, path, err)) < 0)
        return ret;
    return finish(out, y, path, err);
}

int sobre_ladder_parse(SobreLadder **out, const char *name, const char *text, size_t len,
                       SobreError *err)
{
    SobreYaml *y = NULL;
    int ret;
    *out = NULL;
    if ((ret = sobre_yaml_load_buffer(&y, name, text, len, err)) < 0)
        return ret;
    return finish(out, y, name, err);
}

void sobre_ladder_free(SobreLadder **l)
{
    if (l) {
        free(*l);
        *l = NULL;
    }
}

/* Applies fn to every rung named in a comma-separated list. */
static int for_ids(SobreLadder *l, const char *ids, int on, SobreError *err)
{
    char buf[512];
    char *save = NULL;
    if (!ids || strlen(ids) >= sizeof(buf))
        return sobre_fail(err, SOBRE_E_INVALID, "rung list missing or too long");
    snprintf(buf, sizeof(buf), "%s", ids);
    for (char *id = strtok_r(buf, ",", &save); id; id = strtok_r(NULL, ",", &save)) {
        int found = 0;
        for (int i = 0; i < l->nb_rungs; i++)
            if (!strcmp(id, "all") || !strcmp(l->rungs[i].id, id)) {
                l->rungs[i].enabled = on;
                found = 1;
            }
        if (!found) {
            char known[400] = "";
            size_t used = 0;
            for (int i = 0; i < l->nb_rungs && used < sizeof(known) - 1; i++) {
                int w = snprintf(known + used, sizeof(known) - used, "%s%s", i ? ", " : "",
                                 l->rungs[i].id);
                if (w < 0)
                    break;
                used += (size_t)w;
            }
            return sobre_fail(err, SOBRE_E_INVALID, "%s: no rung '%s'; rungs: %s", l->file, id,
                              known);
        }
    }
    return 0;
}

int sobre_ladder_enable(SobreLadder *l, const char *ids, SobreError *err)
{
    return for_ids(l, ids, 1, err);
}

int sobre_ladder_only(SobreLadder *l, const char *ids, SobreError *err)
{
    SobreLadder copy = *l;
    int ret;
    for (int i = 0; i < copy.nb_rungs; i++)
        copy.rungs[i].enabled = 0;
    if ((ret = for_ids(&copy, ids, 1, err)) < 0)
        return ret;
    *l = copy;
    return 0;
}
