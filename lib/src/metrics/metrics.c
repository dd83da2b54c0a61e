/* SSIM and PSNR of plain plane views, bit-compatible in method with FFmpeg's `ssim` and
 * `psnr` filters (libavfilter/vf_ssim.c, vf_psnr.c): x264's 4x4-block / overlapping 8x8
 * window SSIM with its integer constants, and plane-size-weighted averages. Pure C so the
 * encode pipeline and the unit tests use the very same code; 8-bit planes go through the
 * one-pass kernels of metrics_plane8.c (plain C or AVX2, identical results). */
#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include "error.h"
#include "metrics_internal.h"
#include "sobre/metrics.h"

/* Sums over a group of pixels: sum a, sum b, sum a^2 + b^2, sum a*b. */
typedef struct Sums {
    int64_t s1, s2, ss, s12;
} Sums;

static int bits_of(const SobrePlane *p)
{
    return p->depth ? p->depth : 8;
}

static int peak_of(int depth)
{
    return (1 << depth) - 1;
}

static unsigned sample(const SobrePlane *p, int x, int y)
{
    const uint8_t *row = (const uint8_t *)p->data + (ptrdiff_t)y * p->stride;
    if (bits_of(p) <= 8)
        return row[x];
    return ((const uint16_t *)(const void *)row)[x];
}

static int check_pair(const SobrePlane *a, const SobrePlane *b)
{
    if (!a || !b || !a->data || !b->data || a->width < 1 || a->height < 1)
        return SOBRE_E_INVALID;
    if (a->width != b->width || a->height != b->height || bits_of(a) != bits_of(b))
        return SOBRE_E_INVALID;
    if (bits_of(a) < 8 || bits_of(a) > 16)
        return SOBRE_E_INVALID;
    return 0;
}

static void add_pixels(Sums *s, const SobrePlane *a, const SobrePlane *b, int x0, int y0, int w,
                       int h)
{
    for (int y = y0; y < y0 + h; y++)
        for (int x = x0; x < x0 + w; x++) {
            int64_t va = sample(a, x, y), vb = sample(b, x, y);
            s->s1 += va;
            s->s2 += vb;
            s->ss += va * va + vb * vb;
            s->s12 += va * vb;
        }
}

/* Block sums of the 4x4 blocks of block row z (pixels 4z..4z+3), samples of 9 to 16 bits
 * (8-bit planes take the one-pass kernels of metrics_plane8.c). */
static void block_row(Sums *row, const SobrePlane *a, const SobrePlane *b, int z, int w4)
{
    for (int x = 0; x < w4; x++) {
        row[x] = (Sums){0, 0, 0, 0};
        add_pixels(&row[x], a, b, 4 * x, 4 * z, 4, 4);
    }
}

/* x264's ssim_end1: sums over 64 pixels; the float products follow the filter so the
 * rounding matches it too. */
static double window_ssim(Sums s, int peak)
{
    const int64_t c1 = (int64_t)(.01 * .01 * peak * peak * 64 + .5);
    const int64_t c2 = (int64_t)(.03 * .03 * peak * peak * 64 * 63 + .5);
    int64_t vars = s.ss * 64 - s.s1 * s.s1 - s.s2 * s.s2;
    int64_t covar = s.s12 * 64 - s.s1 * s.s2;
    return (float)(2 * s.s1 * s.s2 + c1) * (float)(2 * covar + c2) /
           ((float)(s.s1 * s.s1 + s.s2 * s.s2 + c1) * (float)(vars + c2));
}

/* A plane too small for one 8x8 window: one window over all its n pixels. The constants
 * keep the 8x8 window's effective values (x264's c1, c2 are scaled for n = 64, i.e. by
 * n^2 / 4096), so the figure stays comparable and identical planes give exactly 1. */
static double whole_plane_ssim(const SobrePlane *a, const SobrePlane *b, int peak)
{
    Sums s = {0, 0, 0, 0};
    double n = (double)a->width * a->height, scale = n * n / 4096.0;
    double c1 = (double)(int64_t)(.01 * .01 * peak * peak * 64 + .5) * scale;
    double c2 = (double)(int64_t)(.03 * .03 * peak * peak * 64 * 63 + .5) * scale;
    double s1, s2, vars, covar;
    add_pixels(&s, a, b, 0, 0, a->width, a->height);
    s1 = (double)s.s1;
    s2 = (double)s.s2;
    vars = n * (double)s.ss - s1 * s1 - s2 * s2;
    covar = n * (double)s.s12 - s1 * s2;
    return (2 * s1 * s2 + c1) * (2 * covar + c2) / ((s1 * s1 + s2 * s2 + c1) * (vars + c2));
}

int sobre_metrics_ssim_plane(const SobrePlane *ref, const SobrePlane *dist, double *out)
{
    int w4, h4, peak, ret = check_pair(ref, dist);
    Sums *base, *sum0, *sum1, *tmp;
    double total = 0;
    if (ret < 0)
        return ret;
    peak = peak_of(bits_of(ref));
    w4 = ref->width >> 2;
    h4 = ref->height >> 2;
    if (w4 < 2 || h4 < 2) {
        *out = whole_plane_ssim(ref, dist, peak);
        return 0;
    }
    if (bits_of(ref) == 8) {
        uint64_t sse;
        return sobre_metrics_plane8(ref, dist, SOBRE_KERNEL_BEST, out, &sse);
    }
    base = calloc(2 * (size_t)w4, sizeof(*base));
    if (!base)
        return -ENOMEM;
    sum0 = base;
    sum1 = base + w4;
    block_row(sum1, ref, dist, 0, w4);
    for (int y = 1; y < h4; y++) {
        block_row(sum0, ref, dist, y, w4); /* sum0 = row y, sum1 = row y - 1 */
        for (int x = 0; x + 1 < w4; x++) {
            Sums w = {sum0[x].s1 + sum0[x + 1].s1 + sum1[x].s1 + sum1[x + 1].s1,
                      sum0[x].s2 + sum0[x + 1].s2 + sum1[x].s2 + sum1[x + 1].s2,
                      sum0[x].ss + sum0[x + 1].ss + sum1[x].ss + sum1[x + 1].ss,
                      sum0[x].s12 + sum0[x + 1].s12 + sum1[x].s12 + sum1[x + 1].s12};
            total += window_ssim(w, peak);
        }
        tmp = sum0;
        sum0 = sum1;
        sum1 = tmp;
    }
    free(base);
    *out = total / ((double)(w4 - 1) * (h4 - 1));
    return 0;
}

int sobre_metrics_sse_plane(const SobrePlane *ref, const SobrePlane *dist, uint64_t *out)
{
    uint64_t sse = 0;
    int ret = check_pair(ref, dist);
    if (ret < 0)
        return ret;
    if (bits_of(ref) <= 8) {
        for (int y = 0; y < ref->height; y++) {
            const uint8_t *ra = (const uint8_t *)ref->data + (ptrdiff_t)y * ref->stride;
            const uint8_t *rb = (const uint8_t *)dist->data + (ptrdiff_t)y * dist->stride;
            uint64_t line = 0;
            for (int x = 0; x < ref->width; x++) {
                int d = ra[x] - rb[x];
                line += (uint64_t)(d * d);
            }
            sse += line;
        }
        *out = sse;
        return 0;
    }
    for (int y = 0; y < ref->height; y++)
        for (int x = 0; x < ref->width; x++) {
            int64_t d = (int64_t)sample(ref, x, y) - (int64_t)sample(dist, x, y);
            sse += (uint64_t)(d * d);
        }
    *out = sse;
    return 0;
}

double sobre_metrics_psnr(double mse, int depth)
{
    double peak = peak_of(depth ? depth : 8);
    if (!(mse > 0))
        return INFINITY;
    return 10.0 * log10(peak * peak / mse);
}

static const char *const plane_names[3] = {"Y", "U", "V"};

int sobre_metrics_frame(const SobrePlanes *ref, const SobrePlanes *dist, SobreQualityFrame *out,
                        SobreError *err)
{
    double pixels[3], total = 0;
    int depth = bits_of(&ref->plane[0]);
    SobreQualityFrame f = {{0}, 0, {0}, 0, {0}, 0};
    for (int c = 0; c < 3; c++) {
        const SobrePlane *a = &ref->plane[c], *b = &dist->plane[c];
        uint64_t sse = 0;
        int ret = check_pair(a, b);
        if (ret == 0 && bits_of(a) != depth)
            ret = SOBRE_E_INVALID;
        if (ret == 0 && depth == 8 && a->width >= 8 && a->height >= 8)
            ret = sobre_metrics_plane8(a, b, SOBRE_KERNEL_BEST, &f.ssim[c], &sse);
        else if (ret == 0 && (ret = sobre_metrics_ssim_plane(a, b, &f.ssim[c])) == 0)
            ret = sobre_metrics_sse_plane(a, b, &sse);
        if (ret == -ENOMEM)
            return sobre_fail(err, ret, "out of memory while scoring a frame");
        if (ret < 0)
            return sobre_fail(err, ret,
                              "plane %s: reference %dx%d (%d-bit) and distorted %dx%d (%d-bit) "
                              "cannot be compared",
                              plane_names[c], a->width, a->height, bits_of(a), b->width, b->height,
                              bits_of(b));
        pixels[c] = (double)a->width * a->height;
        total += pixels[c];
        f.mse[c] = (double)sse / pixels[c];
        f.psnr[c] = sobre_metrics_psnr(f.mse[c], depth);
    }
    /* Weighted sums divided once: identical frames give an SSIM of exactly 1. */
    for (int c = 0; c < 3; c++) {
        f.ssim_all += f.ssim[c] * pixels[c];
        f.mse_all += f.mse[c] * pixels[c];
    }
    f.ssim_all /= total;
    f.mse_all /= total;
    f.psnr_all = sobre_metrics_psnr(f.mse_all, depth);
    *out = f;
    return 0;
}
