/* The encode pipeline on every odd input the issue lists, checked with libavformat:
 * codecs, sizes, a clean full decode, durations within one frame of the source, A/V
 * offset kept, keyframes at the same times in every rung; then resume, --force, cancel
 * (nothing half-written, earlier outputs intact) and the folder lock. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "media_check.h"
#include "sobre/encode.h"
#include "t.h"

static char tmpdir[1024];
static SobreLadder *ladder;

static int clip(const char *name, char *out, size_t size)
{
    char cmd[2048];
    FILE *p;
    snprintf(cmd, sizeof(cmd), "%s/tests/lib/clips.sh %s", getenv("SOBRE_SRC"), name);
    if (!(p = popen(cmd, "r")) || !fgets(out, (int)size, p)) {
        if (p)
            pclose(p);
        return -1;
    }
    out[strcspn(out, "\n")] = '\0';
    return pclose(p) == 0 ? 0 : -1;
}

static int encode(const char *input, const char *dir, int force, SobreProgressCallback cb,
                  void *opaque, SobreEncodeJob **keep, SobreError *err)
{
    SobreEncodeSettings s;
    SobreEncodeJob *job = NULL;
    int ret;
    sobre_encode_default_settings(&s);
    s.input = input;
    s.output_dir = dir;
    s.ladder = ladder;
    s.force = force;
    s.progress = cb;
    s.progress_opaque = opaque;
    sobre_error_clear(err);
    if ((ret = sobre_encode_open(&job, &s, err)) < 0)
        return ret;
    ret = sobre_encode_run(job, err);
    if (keep)
        *keep = job;
    else
        sobre_encode_close(&job);
    return ret;
}

static double src_t0(const MediaInfo *src)
{
    double t = isnan(src->video_start) ? src->audio_start : src->video_start;
    if (!isnan(src->audio_start) && src->audio_start < t)
        t = src->audio_start;
    return t;
}

static void check_rendition(const char *name, const char *dir, const SobreReportRendition *r,
                            const MediaInfo *src, double keys[MC_MAX_KEYS], int *nb_keys)
{
    char path[2300];
    MediaInfo mi;
    struct stat st;
    double t0 = src_t0(src), fd;
    snprintf(path, sizeof(path), "%s/%s", dir, r->file);
    T_CHECK(stat(path, &st) == 0 && st.st_size == r->bytes, "%s %s: size on disk = report", name,
            r->id);
    T_CHECK(media_check(path, &mi) == 0, "%s %s: opens", name, r->id);
    T_CHECK(mi.decode_errors == 0, "%s %s: %ld decode errors", name, r->id, mi.decode_errors);
    if (r->has_video) {
        fd = mi.frame_dur > 0 ? mi.frame_dur : 0.05;
        T_CHECK(!strcmp(mi.vcodec, r->video.codec) ||
                    (!strcmp(r->video.codec, "h264") && !strcmp(mi.vcodec, "h264")),
                "%s %s: codec %s", name, r->id, mi.vcodec);
        T_CHECK(mi.width == r->video.width && mi.height == r->video.height && !(mi.width & 1) &&
                    !(mi.height & 1),
                "%s %s: %dx%d vs report %dx%d", name, r->id, mi.width, mi.height, r->video.width,
                r->video.height);
        T_CHECK(mi.video_frames > 0, "%s %s: frames", name, r->id);
        T_CHECK(fabs(mi.video_end - (src->video_end - t0)) <= fd + 0.002,
                "%s %s: video ends at %.3f, source at %.3f (frame %.3f)", name, r->id, mi.video_end,
                src->video_end - t0, fd);
        if (!isnan(src->audio_start) && r->has_audio)
            T_CHECK(fabs((mi.video_start - mi.audio_start) -
                         (src->video_start - src->audio_start)) <= fd + 0.002,
                    "%s %s: A/V offset %.3f, source %.3f", name, r->id,
                    mi.video_start - mi.audio_start, src->video_start - src->audio_start);
        if (*nb_keys < 0) {
            memcpy(keys, mi.keys, sizeof(mi.keys));
            *nb_keys = mi.nb_keys;
        } else {
            int same = mi.nb_keys == *nb_keys;
            for (int k = 0; same && k < mi.nb_keys; k++)
                same = fabs(mi.keys[k] - keys[k]) <= fd / 2 + 0.002;
            T_CHECK(same, "%s %s: %d keyframes not aligned with the first rung's %d", name, r->id,
                    mi.nb_keys, *nb_keys);
        }
    }
    if (r->has_audio) {
        T_CHECK(!strcmp(mi.acodec, r->audio.codec), "%s %s: audio codec %s", name, r->id,
                mi.acodec);
        T_EQ_INT(mi.channels, 1);
        T_CHECK(fabs(mi.audio_end - (src->audio_end - t0)) <= 0.08,
                "%s %s: audio ends at %.3f, source at %.3f", name, r->id, mi.audio_end,
                src->audio_end - t0);
    } else {
        T_CHECK(mi.acodec[0] == '\0', "%s %s: no audio stream expected", name, r->id);
    }
}

static void no_leftovers(const char *dir)
{
    char cmd[2048];
    snprintf(cmd, sizeof(cmd), "ls %s/.sobre/ 2>/dev/null | grep -q part", dir);
    T_CHECK(system(cmd) != 0, "%s: temporary .part files left behind", dir);
}

static void test_clips(void)
{
    static const struct {
        const char *clip;
        int video, audio, sobre_w, sobre_h;
    } cases[] = {
        {"basic.mp4", 1, 1, 240, 180},      {"odd721.mkv", 1, 1, 320, 180},
        {"sar.mp4", 1, 1, 240, 180},        {"rotated.mp4", 1, 1, 180, 240},
        {"vfr.mkv", 1, 1, 240, 180},        {"start.ts", 1, 1, 240, 180},
        {"mono.mp4", 1, 1, 240, 180},       {"surround.mkv", 1, 1, 240, 180},
        {"noaudio.mp4", 1, 0, 240, 180},    {"audioonly.m4a", 0, 1, 0, 0},
        {"interlaced.mkv", 1, 1, 224, 180}, {"subs.mkv", 1, 1, 240, 180},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char input[1024], dir[2048];
        MediaInfo src;
        SobreEncodeJob *job = NULL;
        SobreError err;
        const SobreReport *rep;
        double keys[MC_MAX_KEYS];
        int nb_keys = -1, ret;

        if (clip(cases[i].clip, input, sizeof(input)) < 0) {
            T_CHECK(0, "cannot make clip %s", cases[i].clip);
            continue;
        }
        snprintf(dir, sizeof(dir), "%s/%s", tmpdir, cases[i].clip);
        media_check(input, &src);
        ret = encode(input, dir, 0, NULL, NULL, &job, &err);
        T_CHECK(ret == 0, "%s: %s", cases[i].clip, err.detail);
        if (ret < 0) {
            sobre_encode_close(&job);
            continue;
        }
        rep = sobre_encode_report(job);
        T_CHECK(rep->nb_renditions == (cases[i].video ? 3 : 0) + (cases[i].audio ? 1 : 0),
                "%s: %d renditions", cases[i].clip, rep->nb_renditions);
        for (int k = 0; k < rep->nb_renditions; k++)
            check_rendition(cases[i].clip, dir, &rep->renditions[k], &src, keys, &nb_keys);
        if (cases[i].video) {
            const SobreReportRendition *s = sobre_report_rendition(rep, "vp9-sobre");
            T_CHECK(s && s->video.width == cases[i].sobre_w && s->video.height == cases[i].sobre_h,
                    "%s: sobre rung %dx%d", cases[i].clip, s ? s->video.width : 0,
                    s ? s->video.height : 0);
            T_CHECK(rep->poster.present && rep->poster.bytes <= 15000, "%s: poster", cases[i].clip);
        }
        if (!strcmp(cases[i].clip, "subs.mkv")) {
            T_EQ_INT(rep->nb_captions, 1);
            T_EQ_STR(rep->captions[0].lang, "fr");
            T_EQ_STR(rep->captions[0].origin, "stream");
        }
        no_leftovers(dir);
        sobre_encode_close(&job);
    }
}

static void cancel_at_third(void *opaque, const SobreEncodeProgress *p)
{
    SobreEncodeJob **job = opaque;
    if (p->total_s > 0 && p->done_s > p->total_s / 3 && *job)
        sobre_encode_cancel(*job);
}

static void on_progress(void *opaque, const SobreEncodeProgress *p)
{
    cancel_at_third(opaque, p);
}

static void test_rerun_force_cancel(void)
{
    char input[1024], dir[2048], file[2200];
    SobreEncodeJob *job = NULL, *other = NULL;
    SobreEncodeSettings s;
    SobreError err;
    struct stat a, b;
    int ret;

    if (clip("hd.mp4", input, sizeof(input)) < 0) {
        T_CHECK(0, "cannot make clip hd.mp4");
        return;
    }
    snprintf(dir, sizeof(dir), "%s/rerun", tmpdir);
    snprintf(file, sizeof(file), "%s/vp9-sobre.webm", dir);
    T_EQ_INT(encode(input, dir, 0, NULL, NULL, NULL, &err), 0);
    T_CHECK(stat(file, &a) == 0, "first encode made %s", file);

    /* a rerun with the same input and settings does nothing */
    sobre_encode_default_settings(&s);
    s.input = input;
    s.output_dir = dir;
    s.ladder = ladder;
    T_EQ_INT(sobre_encode_open(&job, &s, &err), 0);
    T_EQ_INT(sobre_encode_pending(job), 0);
    /* ... and holds the folder lock while open */
    T_EQ_INT(sobre_encode_open(&other, &s, &err), SOBRE_E_LOCKED);
    T_CONTAINS(err.detail, "another 'sobre encode'");
    T_EQ_INT(sobre_encode_run(job, &err), 0);
    sobre_encode_close(&job);
    T_CHECK(stat(file, &b) == 0 && b.st_mtime == a.st_mtime && b.st_ino == a.st_ino,
            "rerun left the file alone");

    /* --force with a cancel half-way: cancelled, the earlier files untouched */
    s.force = 1;
    s.progress = on_progress;
    s.progress_opaque = &job;
    T_EQ_INT(sobre_encode_open(&job, &s, &err), 0);
    T_EQ_INT(sobre_encode_pending(job), 4);
    ret = sobre_encode_run(job, &err);
    T_CHECK(ret == SOBRE_E_CANCELLED, "cancel: %d %s", ret, err.detail);
    sobre_encode_close(&job);
    T_CHECK(stat(file, &b) == 0 && b.st_ino == a.st_ino && b.st_size == a.st_size,
            "cancelled --force kept the earlier file");
    no_leftovers(dir);

    /* --force to the end replaces the files */
    s.progress = NULL;
    T_EQ_INT(sobre_encode_open(&job, &s, &err), 0);
    T_EQ_INT(sobre_encode_run(job, &err), 0);
    sobre_encode_close(&job);
    T_CHECK(stat(file, &b) == 0 && b.st_ino != a.st_ino, "--force re-encoded");
}

int main(void)
{
    char preset[1024];
    SobreError err;
    const char *tmp = getenv("SOBRE_TMP");
    snprintf(tmpdir, sizeof(tmpdir), "%s/test_encode.%d", tmp ? tmp : "/tmp", (int)getpid());
    snprintf(preset, sizeof(preset), "%s/tests/data/fast.yaml", getenv("SOBRE_SRC"));
    if (sobre_ladder_load(&ladder, preset, &err) < 0) {
        fprintf(stderr, "%s\n", err.detail);
        return 1;
    }
    sobre_media_set_log_level(-1);
    test_clips();
    test_rerun_force_cancel();
    sobre_ladder_free(&ladder);
    if (!t_fail) {
        char cmd[1200];
        snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
        if (system(cmd) != 0)
            fprintf(stderr, "could not remove %s\n", tmpdir);
    }
    return t_done();
}
