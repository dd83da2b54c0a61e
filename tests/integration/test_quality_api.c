/* sobre_quality_compare() through the public API: settings validation, named errors,
 * identical input, a scaled comparison size, the progress callback and cancelling. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sobre/quality.h"
#include "t.h"

static int clip(const char *name, char *out, size_t size)
{
    char cmd[1024];
    FILE *p;
    const char *src = getenv("SOBRE_SRC");
    if (!src)
        return -1;
    snprintf(cmd, sizeof(cmd), "'%s/tests/lib/clips.sh' '%s'", src, name);
    p = popen(cmd, "r");
    if (!p)
        return -1;
    if (!fgets(out, (int)size, p)) {
        pclose(p);
        return -1;
    }
    out[strcspn(out, "\n")] = 0;
    return pclose(p) == 0 ? 0 : -1;
}

typedef struct Count {
    int calls, stop_at;
    int64_t last_done, expected;
} Count;

static int count_progress(void *opaque, int64_t done, int64_t expected)
{
    Count *c = opaque;
    c->calls++;
    c->last_done = done;
    c->expected = expected;
    return c->stop_at && c->calls >= c->stop_at;
}

static void test_settings(const char *basic)
{
    SobreQualitySettings s;
    SobreQualityReport *r = (SobreQualityReport *)&s; /* must be reset to NULL */
    SobreError err = {0, ""};
    sobre_quality_default_settings(&s);
    T_EQ_INT(sobre_quality_compare(&s, &r, &err), SOBRE_E_INVALID);
    T_CHECK(r == NULL, "out is NULL on failure");
    T_CONTAINS(err.detail, "a reference and a distorted file");
    s.reference = s.distorted = basic;
    s.width = 100;
    T_EQ_INT(sobre_quality_compare(&s, &r, &err), SOBRE_E_INVALID);
    T_CONTAINS(err.detail, "comparison size 100x0 is invalid");
    s.width = 0;
    s.distorted = "/nonexistent/dist.webm";
    T_EQ_INT(sobre_quality_compare(&s, &r, &err), -ENOENT);
    T_CONTAINS(err.detail, "/nonexistent/dist.webm: cannot open");
}

static void test_identical(const char *basic)
{
    SobreQualitySettings s;
    SobreQualityReport *r = NULL;
    SobreError err = {0, ""};
    Count c = {0, 0, 0, 0};
    sobre_quality_default_settings(&s);
    s.reference = s.distorted = basic;
    s.progress = count_progress;
    s.progress_opaque = &c;
    T_EQ_INT(sobre_quality_compare(&s, &r, &err), 0);
    T_CHECK(r != NULL, "%s", err.detail);
    if (!r)
        return;
    T_EQ_INT(r->summary.frames, 50);
    T_EQ_INT(r->reference.frames, 50);
    T_EQ_INT(r->distorted.frames, 50);
    T_EQ_INT(r->width, 320);
    T_EQ_INT(r->height, 240);
    T_EQ_STR(r->reference.codec, "h264");
    T_EQ_STR(r->reference.pix_fmt, "yuv420p");
    T_NEAR(r->summary.ssim_y.mean, 1, 0);
    T_NEAR(r->summary.ssim_all.min, 1, 0);
    T_CHECK(isinf(r->summary.psnr_all.mean) && isinf(r->summary.per_frame[49].psnr[0]),
            "identical: infinite PSNR");
    T_EQ_INT(c.calls, 50);
    T_EQ_INT(c.last_done, 50);
    T_EQ_INT(c.expected, 50);
    sobre_quality_report_free(&r);
    T_CHECK(r == NULL, "free NULLs the pointer");
    sobre_quality_report_free(&r);
}

static void test_size_and_cancel(const char *basic, const char *other)
{
    SobreQualitySettings s;
    SobreQualityReport *r = NULL;
    SobreError err = {0, ""};
    Count c = {0, 10, 0, 0};
    sobre_quality_default_settings(&s);
    s.reference = basic;
    s.distorted = other;
    s.width = 64;
    s.height = 48;
    T_EQ_INT(sobre_quality_compare(&s, &r, &err), 0);
    T_CHECK(r != NULL, "%s", err.detail);
    if (r) {
        T_EQ_INT(r->width, 64);
        T_EQ_INT(r->height, 48);
        T_EQ_INT(r->summary.frames, 50);
        /* mono.mp4 has the same testsrc2 picture, re-encoded: close but not identical */
        T_CHECK(r->summary.ssim_y.mean > 0.9 && r->summary.ssim_y.mean <= 1, "ssim %g",
                r->summary.ssim_y.mean);
        sobre_quality_report_free(&r);
    }
    s.progress = count_progress;
    s.progress_opaque = &c;
    T_EQ_INT(sobre_quality_compare(&s, &r, &err), SOBRE_E_CANCELLED);
    T_CHECK(r == NULL, "cancelled: no report");
    T_EQ_INT(c.calls, 10);
}

int main(void)
{
    char basic[1024], other[1024];
    if (clip("basic.mp4", basic, sizeof(basic)) < 0 || clip("mono.mp4", other, sizeof(other)) < 0) {
        fprintf(stderr, "SKIP: cannot make the test clips (ffmpeg?)\n");
        return 77;
    }
    test_settings(basic);
    test_identical(basic);
    test_size_and_cancel(basic, other);
    return t_done();
}
