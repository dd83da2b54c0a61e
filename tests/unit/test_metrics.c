/* Metrics core: SSIM/PSNR of planes on cases with known answers (identical, constant
 * offset, checkerboard noise, odd and tiny sizes, 10-bit), against a naive
 * reimplementation of the windowed SSIM, and the accumulator's pooling. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "metrics_internal.h"
#include "sobre/metrics.h"
#include "t.h"

/* A plane with its own storage; the stride has padding full of garbage on purpose. */
typedef struct Img {
    SobrePlane p;
    uint8_t *buf;
} Img;

static Img img_new(int w, int h, int depth)
{
    Img m;
    int bps = depth > 8 ? 2 : 1;
    m.p.width = w;
    m.p.height = h;
    m.p.depth = depth;
    m.p.stride = (ptrdiff_t)(w + 7) * bps;
    m.buf = malloc((size_t)m.p.stride * h);
    for (size_t i = 0; i < (size_t)m.p.stride * h; i++)
        m.buf[i] = (uint8_t)(i * 37 + 11); /* padding garbage must never be read */
    m.p.data = m.buf;
    return m;
}

static void img_set(Img *m, int x, int y, unsigned v)
{
    uint8_t *row = m->buf + (ptrdiff_t)y * m->p.stride;
    if (m->p.depth > 8)
        ((uint16_t *)(void *)row)[x] = (uint16_t)v;
    else
        row[x] = (uint8_t)v;
}

static unsigned img_get(const Img *m, int x, int y)
{
    const uint8_t *row = (const uint8_t *)m->p.data + (ptrdiff_t)y * m->p.stride;
    return m->p.depth > 8 ? ((const uint16_t *)(const void *)row)[x] : row[x];
}

/* Deterministic pseudo-random pattern in [lo, lo + span). */
static void img_noise(Img *m, unsigned seed, unsigned lo, unsigned span)
{
    uint32_t s = seed * 2654435761u + 1;
    for (int y = 0; y < m->p.height; y++)
        for (int x = 0; x < m->p.width; x++) {
            s = s * 1664525u + 1013904223u;
            img_set(m, x, y, lo + (s >> 8) % span);
        }
}

static void img_fill(Img *m, unsigned v)
{
    for (int y = 0; y < m->p.height; y++)
        for (int x = 0; x < m->p.width; x++)
            img_set(m, x, y, v);
}

static Img img_copy_offset(const Img *src, int offset)
{
    Img m = img_new(src->p.width, src->p.height, src->p.depth);
    for (int y = 0; y < src->p.height; y++)
        for (int x = 0; x < src->p.width; x++)
            img_set(&m, x, y, (unsigned)((int)img_get(src, x, y) + offset));
    return m;
}

static void img_free(Img *m)
{
    free(m->buf);
    m->buf = NULL;
}

/* Textbook SSIM over the same 8x8 windows in double precision, with x264's effective
 * constants: an independent check of the block-sum implementation. */
static double naive_ssim(const Img *a, const Img *b)
{
    int peak = (1 << (a->p.depth > 8 ? a->p.depth : 8)) - 1;
    double k1 = (double)(int64_t)(.01 * .01 * peak * peak * 64 + .5) / 4096;
    double k2 = (double)(int64_t)(.03 * .03 * peak * peak * 64 * 63 + .5) / 4096;
    int w4 = a->p.width / 4, h4 = a->p.height / 4, n = 0;
    double total = 0;
    for (int by = 0; by + 1 < h4; by++)
        for (int bx = 0; bx + 1 < w4; bx++) {
            double ma = 0, mb = 0, va = 0, vb = 0, cov = 0;
            for (int y = 4 * by; y < 4 * by + 8; y++)
                for (int x = 4 * bx; x < 4 * bx + 8; x++) {
                    ma += img_get(a, x, y) / 64.0;
                    mb += img_get(b, x, y) / 64.0;
                }
            for (int y = 4 * by; y < 4 * by + 8; y++)
                for (int x = 4 * bx; x < 4 * bx + 8; x++) {
                    double da = img_get(a, x, y) - ma, db = img_get(b, x, y) - mb;
                    va += da * da / 64;
                    vb += db * db / 64;
                    cov += da * db / 64;
                }
            total +=
                (2 * ma * mb + k1) * (2 * cov + k2) / ((ma * ma + mb * mb + k1) * (va + vb + k2));
            n++;
        }
    return total / n;
}

static double ssim_of(const Img *a, const Img *b)
{
    double v = -9;
    T_EQ_INT(sobre_metrics_ssim_plane(&a->p, &b->p, &v), 0);
    return v;
}

static double psnr_of(const Img *a, const Img *b)
{
    uint64_t sse = 0;
    T_EQ_INT(sobre_metrics_sse_plane(&a->p, &b->p, &sse), 0);
    return sobre_metrics_psnr((double)sse / ((double)a->p.width * a->p.height), a->p.depth);
}

/* Closed form of a constant plane against the same plus an offset (no variance). */
static double const_ssim(double a, double b, int peak)
{
    double k1 = (double)(int64_t)(.01 * .01 * peak * peak * 64 + .5) / 4096;
    return (2 * a * b + k1) / (a * a + b * b + k1);
}

static void test_identical_and_offset(void)
{
    static const struct {
        int w, h, depth, offset;
    } cases[] = {
        {64, 48, 8, 0}, {64, 48, 8, 5},  {721, 405, 8, 3}, {361, 203, 8, -7}, {9, 9, 8, 2},
        {8, 8, 8, 1},   {7, 7, 8, 4},    {1, 1, 8, 10},    {3, 5, 8, 1},      {16, 1, 8, 6},
        {5, 40, 8, 0},  {32, 32, 10, 8}, {13, 6, 10, 0},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int peak = (1 << cases[i].depth) - 1, d = cases[i].offset;
        Img a = img_new(cases[i].w, cases[i].h, cases[i].depth), b;
        Img ca = img_new(cases[i].w, cases[i].h, cases[i].depth), cb;
        double psnr, expect = d ? 20 * log10(peak / fabs((double)d)) : INFINITY;
        img_noise(&a, (unsigned)i, 20, (unsigned)peak - 40);
        b = img_copy_offset(&a, d);
        psnr = psnr_of(&a, &b);
        if (d) {
            T_NEAR(psnr, expect, 1e-9);
        } else {
            T_CHECK(isinf(psnr) && psnr > 0, "case %zu: identical PSNR is %g", i, psnr);
            T_EQ_INT(ssim_of(&a, &b) == 1.0, 1); /* exactly 1, not 0.99999 */
        }
        /* constant planes: SSIM has a closed form, whatever the size */
        img_fill(&ca, 100);
        cb = img_copy_offset(&ca, d);
        T_NEAR(ssim_of(&ca, &cb), const_ssim(100, 100 + d, peak), 2e-6);
        if (d)
            T_NEAR(psnr_of(&ca, &cb), expect, 1e-9);
        else
            T_CHECK(isinf(psnr_of(&ca, &cb)), "case %zu: identical constant planes", i);
        img_free(&a);
        img_free(&b);
        img_free(&ca);
        img_free(&cb);
    }
    T_NEAR(sobre_metrics_psnr(25, 8), 34.1514035, 1e-6); /* 20*log10(255/5) */
    T_NEAR(sobre_metrics_psnr(1, 10), 60.1975, 1e-4);
}

static void test_checkerboard(void)
{
    /* +-10 on a flat 128 plane: MSE exactly 100, and every 8x8 window has zero
     * covariance and variance 100 (population), so SSIM = K2 / (100 + K2). */
    Img a = img_new(64, 32, 8), b = img_new(64, 32, 8);
    double k2 = (double)(int64_t)(.03 * .03 * 255 * 255 * 64 * 63 + .5) / 4096;
    img_fill(&a, 128);
    for (int y = 0; y < 32; y++)
        for (int x = 0; x < 64; x++)
            img_set(&b, x, y, (x + y) % 2 ? 138 : 118);
    T_NEAR(psnr_of(&a, &b), 10 * log10(65025.0 / 100), 1e-9);
    T_NEAR(ssim_of(&a, &b), k2 / (100 + k2), 1e-6);
    T_NEAR(ssim_of(&a, &b), 0.365515, 1e-6);
    img_free(&a);
    img_free(&b);
}

static void test_against_naive(void)
{
    static const struct {
        int w, h, depth;
        unsigned span;
    } cases[] = {{64, 64, 8, 40}, {33, 21, 8, 200}, {721, 17, 8, 12}, {40, 36, 10, 300}};
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        Img a = img_new(cases[i].w, cases[i].h, cases[i].depth);
        Img b = img_new(cases[i].w, cases[i].h, cases[i].depth);
        double got, want;
        img_noise(&a, 7 + (unsigned)i, 60, cases[i].span);
        img_noise(&b, 99 + (unsigned)i, 60, cases[i].span);
        /* b = a blended with its own noise: partly correlated */
        for (int y = 0; y < a.p.height; y++)
            for (int x = 0; x < a.p.width; x++)
                img_set(&b, x, y, (img_get(&a, x, y) * 3 + img_get(&b, x, y) + (x % 5)) / 4);
        got = ssim_of(&a, &b);
        want = naive_ssim(&a, &b);
        T_NEAR(got, want, 2e-6);
        T_CHECK(got > 0.05 && got < 0.999, "case %zu: SSIM %g out of the expected band", i, got);
        img_free(&a);
        img_free(&b);
    }
}

/* Plain sum of squared differences, the definition. */
static uint64_t naive_sse(const Img *a, const Img *b)
{
    uint64_t sse = 0;
    for (int y = 0; y < a->p.height; y++)
        for (int x = 0; x < a->p.width; x++) {
            int64_t d = (int64_t)img_get(a, x, y) - (int64_t)img_get(b, x, y);
            sse += (uint64_t)(d * d);
        }
    return sse;
}

/* One plane pair through every kernel this CPU has: the same SSIM to the last bit and the
 * same SSE (the SIMD kernels must not change a figure), both right against the naive
 * definitions. Returns how many kernels ran. */
static int kernels_agree(const Img *a, const Img *b, const char *what)
{
    double c_ssim = -9, k_ssim = -9;
    uint64_t c_sse = 1, k_sse = 2;
    int ran = 1;
    T_EQ_INT(sobre_metrics_plane8(&a->p, &b->p, SOBRE_KERNEL_C, &c_ssim, &c_sse), 0);
    T_CHECK(c_sse == naive_sse(a, b), "%s %dx%d: C kernel SSE %llu, naive %llu", what, a->p.width,
            a->p.height, (unsigned long long)c_sse, (unsigned long long)naive_sse(a, b));
    T_CHECK(fabs(c_ssim - naive_ssim(a, b)) <= 2e-6, "%s %dx%d: C kernel SSIM %.9f, naive %.9f",
            what, a->p.width, a->p.height, c_ssim, naive_ssim(a, b));
    for (int k = SOBRE_KERNEL_C + 1; k <= sobre_metrics_kernel_best(); k++) {
        T_EQ_INT(sobre_metrics_plane8(&a->p, &b->p, k, &k_ssim, &k_sse), 0);
        T_CHECK(k_ssim == c_ssim && k_sse == c_sse,
                "%s %dx%d: kernel %d gives SSIM %.17g SSE %llu, C %.17g %llu", what, a->p.width,
                a->p.height, k, k_ssim, (unsigned long long)k_sse, c_ssim,
                (unsigned long long)c_sse);
        ran++;
    }
    /* the public entry points take the best kernel */
    T_CHECK(ssim_of(a, b) == c_ssim, "%s %dx%d: sobre_metrics_ssim_plane %.17g, C %.17g", what,
            a->p.width, a->p.height, ssim_of(a, b), c_ssim);
    return ran;
}

static void test_kernels_agree(void)
{
    /* every width from 8 to 80 (each tail length of the 4-block and 8-window vector loops,
     * (w/4 - 1) % 4 == 1 among them), the ladder's odd chroma widths (427: 854-wide
     * video; 361: 721-wide; 213: 426), and full-size luma */
    static const struct {
        int w, h;
    } sizes[] = {{427, 240},  {361, 203}, {213, 120}, {854, 480},
                 {1280, 720}, {1921, 33}, {960, 540}};
    int ran = 0;
    for (int w = 8; w <= 80; w++) {
        Img a = img_new(w, 8 + w % 13, 8), b;
        img_noise(&a, (unsigned)w, 0, 256);
        b = img_copy_offset(&a, 0);
        img_noise(&b, 1000u + (unsigned)w, 0, 256);
        for (int y = 0; y < a.p.height; y++) /* correlated: b = (3a + noise) / 4 */
            for (int x = 0; x < w; x++)
                img_set(&b, x, y, (img_get(&a, x, y) * 3 + img_get(&b, x, y)) / 4);
        ran = kernels_agree(&a, &b, "width sweep");
        img_free(&a);
        img_free(&b);
    }
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        Img a = img_new(sizes[i].w, sizes[i].h, 8), b = img_new(sizes[i].w, sizes[i].h, 8);
        img_noise(&a, 7 + (unsigned)i, 0, 256);
        img_noise(&b, 70 + (unsigned)i, 0, 256);
        for (int y = 0; y < a.p.height; y++)
            for (int x = 0; x < a.p.width; x++)
                img_set(&b, x, y, (img_get(&a, x, y) * 7 + img_get(&b, x, y)) / 8);
        kernels_agree(&a, &b, "ladder size");
        img_free(&a);
        img_free(&b);
    }
    {
        /* extremes: 255 against 0 (the largest sums the 32-bit arithmetic must hold), 255
         * against 255, and a negative stride (bottom-up rows) */
        Img a = img_new(72, 40, 8), b = img_new(72, 40, 8), c;
        img_fill(&a, 255);
        img_fill(&b, 0);
        kernels_agree(&a, &b, "255 vs 0");
        kernels_agree(&a, &a, "255 vs 255");
        img_noise(&b, 5, 0, 256);
        c = img_copy_offset(&b, 0);
        for (int y = 0; y < 40; y++)
            for (int x = 0; x < 72; x += 3)
                img_set(&c, x, y, 255 - img_get(&b, x, y));
        c.p.data = c.buf + (ptrdiff_t)39 * c.p.stride;
        c.p.stride = -c.p.stride;
        b.p.data = b.buf + (ptrdiff_t)39 * b.p.stride;
        b.p.stride = -b.p.stride;
        kernels_agree(&b, &c, "negative stride");
        img_free(&a);
        img_free(&b);
        img_free(&c);
    }
    {
        double v;
        uint64_t sse;
        Img a = img_new(16, 16, 8), t = img_new(7, 16, 8), d = img_new(16, 16, 10);
        T_EQ_INT(sobre_metrics_plane8(&a.p, &a.p, 99, &v, &sse), SOBRE_E_UNSUPPORTED);
        T_EQ_INT(sobre_metrics_plane8(&t.p, &t.p, SOBRE_KERNEL_C, &v, &sse), SOBRE_E_INVALID);
        T_EQ_INT(sobre_metrics_plane8(&d.p, &d.p, SOBRE_KERNEL_C, &v, &sse), SOBRE_E_INVALID);
        img_free(&a);
        img_free(&t);
        img_free(&d);
    }
    printf("metrics kernels compared on this CPU: %d (%s)\n", ran,
           ran > 1 ? "C and AVX2" : "C only: no AVX2 here, the SIMD comparison did not run");
}

static void test_remainder_ignored(void)
{
    /* 10x10: SSIM uses the 8x8 pixels of the 4x4 blocks; PSNR uses every pixel. */
    Img a = img_new(10, 10, 8), b;
    double s0, p0;
    img_noise(&a, 3, 50, 100);
    b = img_copy_offset(&a, 0);
    img_set(&b, 1, 1, img_get(&a, 1, 1) + 20);
    s0 = ssim_of(&a, &b);
    p0 = psnr_of(&a, &b);
    img_set(&b, 9, 9, img_get(&a, 9, 9) + 20);
    T_NEAR(ssim_of(&a, &b), s0, 0);
    T_NEAR(psnr_of(&a, &b), 10 * log10(65025.0 / (800.0 / 100)), 1e-9);
    T_CHECK(psnr_of(&a, &b) < p0, "the remainder pixel counts for PSNR");
    img_free(&a);
    img_free(&b);
}

static void test_invalid(void)
{
    Img a = img_new(16, 16, 8), b = img_new(16, 8, 8), c = img_new(16, 16, 10);
    double v;
    uint64_t sse;
    SobreQualityFrame f;
    SobreError err = {0, ""};
    SobrePlanes pa = {{a.p, a.p, a.p}}, pb = {{a.p, b.p, a.p}};
    T_EQ_INT(sobre_metrics_ssim_plane(&a.p, &b.p, &v), SOBRE_E_INVALID);
    T_EQ_INT(sobre_metrics_ssim_plane(&a.p, &c.p, &v), SOBRE_E_INVALID);
    T_EQ_INT(sobre_metrics_sse_plane(&a.p, &b.p, &sse), SOBRE_E_INVALID);
    T_EQ_INT(sobre_metrics_ssim_plane(&a.p, NULL, &v), SOBRE_E_INVALID);
    b.p.height = 0;
    T_EQ_INT(sobre_metrics_sse_plane(&b.p, &b.p, &sse), SOBRE_E_INVALID);
    T_EQ_INT(sobre_metrics_frame(&pa, &pb, &f, &err), SOBRE_E_INVALID);
    T_CONTAINS(err.detail, "plane U: reference 16x16 (8-bit) and distorted 16x8 (8-bit)");
    img_free(&a);
    img_free(&b);
    img_free(&c);
}

/* A 4:2:0 frame: luma w x h, chroma ceil(w/2) x ceil(h/2), values offset per plane. */
typedef struct Frame {
    Img y, u, v;
    SobrePlanes p;
} Frame;

static Frame frame_new(int w, int h, unsigned seed, const int offset[3])
{
    Frame f;
    f.y = img_new(w, h, 8);
    f.u = img_new((w + 1) / 2, (h + 1) / 2, 8);
    f.v = img_new((w + 1) / 2, (h + 1) / 2, 8);
    img_noise(&f.y, seed, 40 + (unsigned)offset[0], 100);
    img_noise(&f.u, seed + 1, 40 + (unsigned)offset[1], 100);
    img_noise(&f.v, seed + 2, 40 + (unsigned)offset[2], 100);
    f.p = (SobrePlanes){{f.y.p, f.u.p, f.v.p}};
    return f;
}

static void frame_free(Frame *f)
{
    img_free(&f->y);
    img_free(&f->u);
    img_free(&f->v);
}

static void test_frame_weights(void)
{
    /* 15x9 -> chroma 8x5: weights 135, 40, 40 over 215 pixels. Only U is off by 4. */
    static const int none[3] = {0, 0, 0}, uoff[3] = {0, 4, 0};
    Frame a = frame_new(15, 9, 1, none), b = frame_new(15, 9, 1, uoff);
    SobreQualityFrame f;
    SobreError err = {0, ""};
    T_EQ_INT(sobre_metrics_frame(&a.p, &b.p, &f, &err), 0);
    T_NEAR(f.mse[0], 0, 0);
    T_NEAR(f.mse[1], 16, 1e-12);
    T_NEAR(f.mse_all, 16.0 * 40 / 215, 1e-12);
    T_CHECK(isinf(f.psnr[0]), "identical luma: infinite PSNR");
    T_NEAR(f.psnr_all, 10 * log10(65025 / (16.0 * 40 / 215)), 1e-9);
    T_NEAR(f.ssim[0], 1, 0);
    T_NEAR(f.ssim_all, (135 + 40 * f.ssim[1] + 40) / 215, 1e-12);
    frame_free(&a);
    frame_free(&b);
}

static void test_percentile(void)
{
    double v20[20], one[1] = {3}, inf[4] = {INFINITY, 2, INFINITY, 1};
    double two[2] = {10, 20};
    for (int i = 0; i < 20; i++)
        v20[i] = 20 - i; /* unsorted on purpose */
    T_NEAR(sobre_metrics_percentile(v20, 20, 0.05), 1.95, 1e-12);
    T_NEAR(sobre_metrics_percentile(v20, 20, 0.5), 10.5, 1e-12);
    T_NEAR(sobre_metrics_percentile(v20, 20, 0), 1, 0);
    T_NEAR(sobre_metrics_percentile(v20, 20, 1), 20, 0);
    T_NEAR(sobre_metrics_percentile(one, 1, 0.05), 3, 0);
    T_NEAR(sobre_metrics_percentile(two, 2, 0.05), 10.5, 1e-12);
    T_NEAR(sobre_metrics_percentile(inf, 4, 0.05), 1.15, 1e-12);
    T_CHECK(isinf(sobre_metrics_percentile(inf, 4, 0.9)), "towards +inf");
    T_NEAR(sobre_metrics_percentile(NULL, 0, 0.05), 0, 0);
}

static void test_accum(void)
{
    /* frames with luma offset 0, 5, 10 and identical chroma: MSE_Y 0, 25, 100 */
    static const int offs[3][3] = {{0, 0, 0}, {5, 0, 0}, {10, 0, 0}};
    static const int none[3] = {0, 0, 0};
    SobreQualityAccum *acc = NULL;
    SobreQualitySummary s;
    SobreError err = {0, ""};
    Frame ref = frame_new(32, 24, 9, none);
    T_EQ_INT(sobre_quality_accum_new(&acc, 1, &err), 0); /* must grow past the hint */
    T_EQ_INT(sobre_quality_accum_result(acc, &s, &err), 0);
    T_EQ_INT(s.frames, 0);
    for (int i = 0; i < 3; i++) {
        Frame d = frame_new(32, 24, 9, offs[i]);
        T_EQ_INT(sobre_quality_accum_add(acc, &ref.p, &d.p, &err), 0);
        frame_free(&d);
    }
    T_EQ_INT(sobre_quality_accum_count(acc), 3);
    T_EQ_INT(sobre_quality_accum_result(acc, &s, &err), 0);
    T_EQ_INT(s.frames, 3);
    T_NEAR(s.mse_y, 125.0 / 3, 1e-9);
    T_NEAR(s.psnr_y.mean, 10 * log10(65025 / (125.0 / 3)), 1e-9);
    T_NEAR(s.psnr_y.min, 10 * log10(65025 / 100.0), 1e-9);
    T_NEAR(s.psnr_y.p5, 28.1308 + 0.1 * (34.1514 - 28.1308), 1e-3);
    T_NEAR(s.mse_all, 125.0 / 3 * (768.0 / 1152), 1e-9);
    T_NEAR(s.psnr_all.mean, 10 * log10(65025 / s.mse_all), 1e-9);
    T_CHECK(isinf(s.psnr_u), "identical chroma: infinite pooled PSNR");
    T_NEAR(s.ssim_u, 1, 0);
    T_NEAR(s.ssim_y.min, s.per_frame[2].ssim[0], 0);
    T_NEAR(s.ssim_y.mean,
           (s.per_frame[0].ssim[0] + s.per_frame[1].ssim[0] + s.per_frame[2].ssim[0]) / 3, 1e-12);
    T_NEAR(s.per_frame[0].ssim_all, 1, 0);
    T_CHECK(s.per_frame[1].ssim[0] < 1 && s.per_frame[2].ssim[0] < s.per_frame[1].ssim[0],
            "SSIM falls with the offset: %g %g", s.per_frame[1].ssim[0], s.per_frame[2].ssim[0]);
    T_CHECK(s.ssim_all.mean > s.ssim_y.mean, "chroma is intact, so All > Y");

    /* a mismatched pair is refused and leaves the accumulator as it was */
    {
        Frame small = frame_new(16, 24, 9, none);
        T_EQ_INT(sobre_quality_accum_add(acc, &ref.p, &small.p, &err), SOBRE_E_INVALID);
        T_CONTAINS(err.detail, "plane Y: reference 32x24");
        T_EQ_INT(sobre_quality_accum_count(acc), 3);
        frame_free(&small);
    }
    sobre_quality_accum_free(&acc);
    T_CHECK(acc == NULL, "free NULLs the pointer");
    sobre_quality_accum_free(&acc);
    frame_free(&ref);
}

/* The lean accumulator (the encode's) pools exactly as the full one and keeps the four
 * per-frame figures quality.json needs, at a quarter of the memory. */
static void test_accum_lean(void)
{
    static const int none[3] = {0, 0, 0};
    SobreQualityAccum *full = NULL, *lean = NULL;
    SobreQualitySummary a, b;
    SobreError err = {0, ""};
    Frame ref = frame_new(40, 24, 3, none);
    T_EQ_INT(sobre_quality_accum_new(&full, 0, &err), 0);
    T_EQ_INT(sobre_quality_accum_new_lean(&lean, 2, &err), 0); /* grows past the hint */
    for (int i = 0; i < 300; i++) {
        const int off[3] = {i % 7, (i / 7) % 3, i % 2};
        Frame d = frame_new(40, 24, 3 + (unsigned)(i % 5), off);
        T_EQ_INT(sobre_quality_accum_add(full, &ref.p, i % 11 ? &d.p : &ref.p, &err), 0);
        T_EQ_INT(sobre_quality_accum_add(lean, &ref.p, i % 11 ? &d.p : &ref.p, &err), 0);
        frame_free(&d);
    }
    T_EQ_INT(sobre_quality_accum_result(full, &a, &err), 0);
    T_EQ_INT(sobre_quality_accum_result(lean, &b, &err), 0);
    T_CHECK(b.per_frame == NULL && a.per_frame != NULL, "lean keeps no whole records");
    /* the segments of an encode, joined in order: the records they kept, added again,
     * pool and keep exactly as the frames scored in one accumulator */
    {
        SobreQualityAccum *joined = NULL, *whole = NULL;
        SobreQualitySummary c, w;
        T_EQ_INT(sobre_quality_accum_new_lean(&joined, 0, &err), 0);
        T_EQ_INT(sobre_quality_accum_new(&whole, 0, &err), 0);
        for (size_t i = 0; i < 300; i++) {
            T_EQ_INT(sobre_quality_accum_add_frame(joined, &a.per_frame[i], 8, &err), 0);
            T_EQ_INT(sobre_quality_accum_add_frame(whole, &a.per_frame[i], 0, &err), 0);
        }
        T_EQ_INT(sobre_quality_accum_add_frame(joined, &a.per_frame[0], 10, &err), SOBRE_E_INVALID);
        T_CONTAINS(err.detail, "frame 300 is 10-bit, the previous ones 8-bit");
        T_EQ_INT(sobre_quality_accum_result(joined, &c, &err), 0);
        T_EQ_INT(sobre_quality_accum_result(whole, &w, &err), 0);
        T_CHECK(!memcmp(&c, &b, sizeof(c)), "joined records pool as the frames scored");
        T_CHECK(w.per_frame && !memcmp(w.per_frame, a.per_frame, 300 * sizeof(*w.per_frame)),
                "whole records kept as given");
        w.per_frame = NULL;
        T_CHECK(!memcmp(&w, &b, sizeof(w)), "whole joined records pool as the frames scored");
        for (size_t i = 0; i < 300; i++) {
            SobreQualityKept k = sobre_quality_accum_kept(joined, i),
                             f = sobre_quality_accum_kept(lean, i);
            T_CHECK(!memcmp(&k, &f, sizeof(k)), "frame %zu: joined kept figures differ", i);
        }
        sobre_quality_accum_free(&joined);
        sobre_quality_accum_free(&whole);
    }
    a.per_frame = NULL;
    T_CHECK(!memcmp(&a, &b, sizeof(a)), "lean and full accumulators pool identically");
    for (size_t i = 0; i < 300; i++) {
        SobreQualityKept k = sobre_quality_accum_kept(lean, i),
                         f = sobre_quality_accum_kept(full, i);
        T_CHECK(!memcmp(&k, &f, sizeof(k)), "frame %zu: kept figures differ", i);
    }
    T_CHECK(isinf(sobre_quality_accum_kept(lean, 0).psnr_all), "identical frame: infinite PSNR");
    sobre_quality_accum_free(&full);
    sobre_quality_accum_free(&lean);
    frame_free(&ref);
}

int main(void)
{
    test_identical_and_offset();
    test_checkerboard();
    test_against_naive();
    test_kernels_agree();
    test_remainder_ignored();
    test_invalid();
    test_frame_weights();
    test_percentile();
    test_accum();
    test_accum_lean();
    return t_done();
}
