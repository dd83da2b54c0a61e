/* sobre_probe_file() on the generated clips (tests/lib/clips.sh): each clip carries one
 * trait (odd size, SAR, rotation, VFR, interlacing, 5.1, subtitles and a chapter, no
 * audio, no video, cut files) and the test asserts the fields and problem flags it must
 * produce, plus the refusals of files that are not media. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sobre/probe.h"
#include "t.h"

static const char *clip(const char *name)
{
    static char paths[32][1024];
    static int used;
    char cmd[2048];
    const char *src = getenv("SOBRE_SRC");
    char *p = paths[used++ % 32];
    FILE *f;
    snprintf(cmd, sizeof(cmd), "%s/tests/lib/clips.sh %s", src ? src : ".", name);
    if (!(f = popen(cmd, "r")) || !fgets(p, 1024, f)) {
        fprintf(stderr, "cannot make clip %s\n", name);
        exit(1);
    }
    pclose(f);
    p[strcspn(p, "\n")] = '\0';
    return p;
}

static SobreProbeInfo *probe(const char *name)
{
    SobreProbeInfo *info = NULL;
    SobreError err = {0};
    int ret = sobre_probe_file(&info, clip(name), NULL, &err);
    T_CHECK(ret == 0 && info, "%s: %d %s", name, ret, err.detail);
    return info;
}

static const SobreProbeStream *find_kind(const SobreProbeInfo *in, SobreStreamKind kind)
{
    for (int i = 0; i < in->nb_streams; i++)
        if (in->streams[i].kind == kind)
            return &in->streams[i];
    return NULL;
}

static void test_basic(void)
{
    SobreProbeInfo *in = probe("basic.mp4");
    struct stat st;
    if (!in)
        return;
    stat(clip("basic.mp4"), &st);
    T_CONTAINS(in->format, "mp4");
    T_NEAR(in->duration_s, 2.0, 0.05);
    T_NEAR(in->start_time_s, 0.0, 0.001);
    T_EQ_INT(in->bytes, st.st_size);
    T_NEAR(in->bitrate, st.st_size * 8 / in->duration_s, 5000);
    T_CHECK(in->video && in->audio, "best streams");
    if (in->video) {
        T_EQ_STR(in->video->codec, "h264");
        T_EQ_INT(in->video->width, 320);
        T_EQ_INT(in->video->height, 240);
        T_EQ_INT(in->video->display_width, 320);
        T_EQ_INT(in->video->display_height, 240);
        T_EQ_INT(in->video->dar_num * 3, in->video->dar_den * 4);
        T_NEAR(in->video->fps, 25.0, 0.01);
        T_EQ_INT(in->video->vfr, 0);
        T_NEAR(in->video->frame_dur_max_s, 0.04, 0.002);
        T_EQ_INT(in->video->interlaced, 0);
        T_EQ_STR(in->video->field_order, "progressive");
        T_EQ_INT(in->video->rotation, 0);
        T_EQ_STR(in->video->pix_fmt, "yuv420p");
        T_EQ_INT(in->video->bit_depth, 8);
    }
    if (in->audio) {
        T_EQ_STR(in->audio->codec, "aac");
        T_EQ_STR(in->audio->profile, "LC");
        T_EQ_INT(in->audio->sample_rate, 48000);
        T_EQ_INT(in->audio->channels, 2);
        T_EQ_STR(in->audio->channel_layout, "stereo");
    }
    T_EQ_INT(in->problems, 0);
    T_EQ_INT(in->nb_issues, 0);
    T_EQ_INT(in->nb_chapters, 0);
    sobre_probe_free(&in);
    T_CHECK(in == NULL, "free sets NULL");
    sobre_probe_free(&in); /* twice is harmless */
}

/* Each row: clip, problem flag expected, and a fact the message must carry. */
static void test_problem_table(void)
{
    static const struct {
        const char *clip;
        unsigned flag;
        const char *words;
    } rows[] = {
        {"odd721.mkv", SOBRE_PROBLEM_ODD_SIZE, "721x405"},
        {"rotated.mp4", SOBRE_PROBLEM_ROTATED, "shown 240x320"},
        {"vfr.mkv", SOBRE_PROBLEM_VFR, "100.0 ms"},
        {"interlaced.mkv", SOBRE_PROBLEM_INTERLACED, "top field first"},
        {"noaudio.mp4", SOBRE_PROBLEM_NO_AUDIO, "no audio stream"},
        {"audioonly.m4a", SOBRE_PROBLEM_NO_VIDEO, "no video stream"},
        {"truncated.mkv", SOBRE_PROBLEM_TRUNCATED, "data ends at"},
        {"truncfast.mp4", SOBRE_PROBLEM_TRUNCATED, "declares 3.00 s"},
    };
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        SobreProbeInfo *in = probe(rows[i].clip);
        int found = 0;
        if (!in)
            continue;
        T_CHECK(in->problems & rows[i].flag, "%s lacks %s (0x%x)", rows[i].clip,
                sobre_probe_problem_name(rows[i].flag), in->problems);
        for (int k = 0; k < in->nb_issues; k++)
            if (in->issues[k].flag == rows[i].flag) {
                found = 1;
                T_CONTAINS(in->issues[k].message, rows[i].words);
            }
        T_CHECK(found, "%s: no issue text", rows[i].clip);
        sobre_probe_free(&in);
    }
}

static void test_geometry(void)
{
    SobreProbeInfo *in = probe("odd721.mkv");
    if (in && in->video) {
        T_EQ_INT(in->video->width, 721);
        T_EQ_INT(in->video->height, 405);
        T_EQ_INT(in->problems & ~SOBRE_PROBLEM_ODD_SIZE, 0);
    }
    sobre_probe_free(&in);
    if ((in = probe("sar.mp4")) && in->video) {
        T_EQ_INT(in->video->width, 480);
        T_EQ_INT(in->video->sar_num, 4);
        T_EQ_INT(in->video->sar_den, 3);
        T_EQ_INT(in->video->dar_num, 4);
        T_EQ_INT(in->video->dar_den, 3);
        T_EQ_INT(in->video->display_width, 640);
        T_EQ_INT(in->video->display_height, 480);
        T_EQ_INT(in->problems, 0);
    }
    sobre_probe_free(&in);
    /* The clip's display matrix turns the picture 90 degrees counter-clockwise (ffprobe
     * prints "rotation of 90.00 degrees", FFmpeg's CCW convention; ffmpeg's autorotate
     * applies transpose=cclock): that is 270 clockwise. */
    if ((in = probe("rotated.mp4")) && in->video) {
        T_EQ_INT(in->video->rotation, 270);
        T_EQ_INT(in->video->width, 320);
        T_EQ_INT(in->video->display_width, 240);
        T_EQ_INT(in->video->display_height, 320);
    }
    sobre_probe_free(&in);
}

static void test_timing(void)
{
    SobreProbeInfo *in = probe("vfr.mkv");
    if (in && in->video) {
        T_EQ_INT(in->video->vfr, 1);
        T_NEAR(in->video->frame_dur_min_s, 0.0333, 0.002);
        T_NEAR(in->video->frame_dur_max_s, 0.1, 0.002);
    }
    sobre_probe_free(&in);
    if ((in = probe("hd.mp4")) && in->video) { /* B-frames reorder pts: still constant */
        T_EQ_INT(in->video->vfr, 0);
        T_NEAR(in->video->fps, 30.0, 0.01);
        T_EQ_INT(in->problems, 0);
    }
    sobre_probe_free(&in);
    if ((in = probe("start.ts"))) {
        T_CHECK(in->start_time_s > 10.0, "start %.3f", in->start_time_s);
        T_NEAR(in->duration_s, 2.0, 0.1);
        T_EQ_INT(in->problems, 0); /* no false truncation with a late start */
        T_CHECK(in->video && !in->video->vfr, "ts vfr");
    }
    sobre_probe_free(&in);
    /* MJPEG in AVI says nothing of its field order: one decoded frame answers. */
    if ((in = probe("mjpeg.avi")) && in->video) {
        T_EQ_STR(in->video->field_order, "progressive");
        T_EQ_INT(in->video->interlaced, 0);
        T_EQ_INT(in->problems, SOBRE_PROBLEM_NO_AUDIO);
    }
    sobre_probe_free(&in);
    if ((in = probe("interlaced.mkv")) && in->video) {
        T_EQ_INT(in->video->interlaced, 1);
        T_EQ_STR(in->video->codec, "mpeg2video");
    }
    sobre_probe_free(&in);
}

static void test_audio_subs(void)
{
    SobreProbeInfo *in = probe("surround.mkv");
    const SobreProbeStream *s;
    if (in && in->audio) {
        T_EQ_INT(in->audio->channels, 6);
        T_CONTAINS(in->audio->channel_layout, "5.1");
    }
    sobre_probe_free(&in);
    if ((in = probe("mono.mp4")) && in->audio)
        T_EQ_INT(in->audio->channels, 1);
    sobre_probe_free(&in);
    if (!(in = probe("subs.mkv")))
        return;
    s = find_kind(in, SOBRE_STREAM_SUBTITLE);
    T_CHECK(s != NULL, "no subtitle stream");
    if (s) {
        T_EQ_STR(s->codec, "subrip");
        T_EQ_STR(s->language, "fra");
    }
    T_EQ_INT(in->nb_chapters, 1);
    if (in->nb_chapters == 1) {
        T_NEAR(in->chapters[0].start_s, 0.0, 0.001);
        T_NEAR(in->chapters[0].end_s, 1.0, 0.001);
        T_EQ_STR(in->chapters[0].title, "Début");
    }
    T_EQ_INT(in->problems, 0);
    sobre_probe_free(&in);
    if ((in = probe("cover.mp3"))) { /* cover art is not a video */
        s = find_kind(in, SOBRE_STREAM_VIDEO);
        T_CHECK(s && s->is_attached_pic, "cover art stream");
        T_CHECK(in->video == NULL && in->audio != NULL, "cover: best streams");
        T_EQ_INT(in->problems, SOBRE_PROBLEM_NO_VIDEO);
        T_CHECK(in->nb_issues == 1 && strstr(in->issues[0].message, "only cover art"),
                "cover text");
    }
    sobre_probe_free(&in);
    if ((in = probe("audioonly.m4a"))) {
        T_CHECK(in->video == NULL && in->audio != NULL, "audio only");
        T_EQ_INT(in->problems, SOBRE_PROBLEM_NO_VIDEO);
    }
    sobre_probe_free(&in);
}

static void expect_error(const char *path, const char *words)
{
    static SobreProbeInfo dummy;
    SobreProbeInfo *in = &dummy; /* must be reset to NULL */
    SobreError err = {0};
    int ret = sobre_probe_file(&in, path, NULL, &err);
    T_CHECK(ret < 0, "%s: accepted", path);
    T_CHECK(in == NULL, "%s: out not NULL", path);
    T_EQ_INT(err.code, ret);
    T_CONTAINS(err.detail, path);
    T_CONTAINS(err.detail, words);
}

static void test_refusals(void)
{
    char dir[1024], missing[1100];
    const char *tmp = getenv("SOBRE_TMP");
    SobreProbeInfo *in = NULL;
    SobreError err = {0};
    snprintf(dir, sizeof(dir), "%s/api-probe-%d", tmp ? tmp : "/tmp", (int)getpid());
    mkdir(dir, 0700);
    snprintf(missing, sizeof(missing), "%s/missing.mp4", dir);
    expect_error(clip("empty.mp4"), "empty file (0 bytes)");
    expect_error(clip("random.bin"), "not a media file");
    expect_error(clip("text.mp4"), "not a media file (it is text)");
    expect_error(clip("truncated.mp4"), "truncated or not a media file");
    expect_error(missing, "no such file");
    expect_error(dir, "is a directory");
    T_EQ_INT(sobre_probe_file(&in, missing, NULL, &err), -ENOENT);
    T_EQ_INT(sobre_probe_file(&in, dir, NULL, &err), -EISDIR);
    T_EQ_INT(sobre_probe_file(&in, "", NULL, &err), SOBRE_E_INVALID);
    T_EQ_INT(sobre_probe_file(NULL, dir, NULL, NULL), SOBRE_E_INVALID);
    rmdir(dir);
}

static void test_settings_and_names(void)
{
    SobreProbeSettings s;
    SobreProbeInfo *in = NULL;
    SobreError err = {0};
    const char *seen[SOBRE_PROBLEM_COUNT];
    sobre_probe_default_settings(&s);
    T_NEAR(s.scan_s, 2.0, 0);
    T_EQ_INT(s.check_end, 1);
    s.scan_s = 0; /* headers only: nothing measured, so no VFR verdict */
    T_EQ_INT(sobre_probe_file(&in, clip("vfr.mkv"), &s, &err), 0);
    if (in && in->video) {
        T_EQ_INT(in->video->vfr, 0);
        T_NEAR(in->video->frame_dur_max_s, 0, 0);
    }
    sobre_probe_free(&in);
    for (int i = 0; i < SOBRE_PROBLEM_COUNT; i++) {
        seen[i] = sobre_probe_problem_name(1u << i);
        T_CHECK(strcmp(seen[i], "unknown") != 0, "bit %d unnamed", i);
        for (int k = 0; k < i; k++)
            T_CHECK(strcmp(seen[i], seen[k]) != 0, "bits %d and %d share '%s'", i, k, seen[i]);
    }
    T_EQ_STR(sobre_probe_problem_name(0), "unknown");
    T_EQ_STR(sobre_probe_problem_name(3), "unknown");
    T_EQ_STR(sobre_probe_problem_name(SOBRE_PROBLEM_ODD_SIZE), "odd-dimensions");
    T_EQ_STR(sobre_probe_kind_name(SOBRE_STREAM_SUBTITLE), "subtitle");
}

int main(void)
{
    sobre_media_set_log_level(-1);
    test_basic();
    test_problem_table();
    test_geometry();
    test_timing();
    test_audio_subs();
    test_refusals();
    test_settings_and_names();
    return t_done();
}
