/* SSIM and SSE of two 8-bit planes in one pass (metrics_internal.h): the plane is walked one
 * row of 4x4 blocks at a time; each block's sums serve the two rows of 8x8 windows that
 * contain it and, as ss - 2 * s12 = sum (a - b)^2, the squared error too. Plain C kernels
 * here; metrics_avx2.c has the same arithmetic in AVX2, picked at run time. */
#include <errno.h>
#include <stdlib.h>

#include "error.h"
#include "metrics_internal.h"

/* x264's constants for 8-bit samples, (int)(.01^2 * 255^2 * 64 + .5) and
 * (int)(.03^2 * 255^2 * 64 * 63 + .5). */
enum { C1_8 = 416, C2_8 = 235963 };

uint64_t sobre_block_row8_c(SobreBlockRow *r, const uint8_t *pa, ptrdiff_t sa, const uint8_t *pb,
                            ptrdiff_t sb, int x0, int nb)
{
    uint64_t sse = 0;
    for (int x = x0; x < nb; x++) {
        int32_t s1 = 0, s2 = 0, ss = 0, s12 = 0;
        for (int y = 0; y < 4; y++) {
            const uint8_t *ra = pa + y * sa + 4 * x, *rb = pb + y * sb + 4 * x;
            for (int i = 0; i < 4; i++) {
                int32_t va = ra[i], vb = rb[i];
                s1 += va;
                s2 += vb;
                ss += va * va + vb * vb;
                s12 += va * vb;
            }
        }
        r->s1[x] = s1;
        r->s2[x] = s2;
        r->ss[x] = ss;
        r->s12[x] = s12;
        sse += (uint64_t)(ss - 2 * s12);
    }
    return sse;
}

/* x264's ssim_end1 in 32-bit integers (exact for 8-bit windows of 64 samples: every term
 * stays under 2^30), each factor converted to float, as FFmpeg's filter does. */
static float window8(int32_t s1, int32_t s2, int32_t ss, int32_t s12)
{
    int32_t s1s2 = s1 * s2, sq = s1 * s1 + s2 * s2;
    int32_t covar = s12 * 64 - s1s2, vars = ss * 64 - sq;
    return (float)(2 * s1s2 + C1_8) * (float)(2 * covar + C2_8) /
           ((float)(sq + C1_8) * (float)(vars + C2_8));
}

void sobre_windows8_c(double acc[4], const SobreBlockRow *r0, const SobreBlockRow *r1, int x0,
                      int nw)
{
    for (int x = x0; x < nw; x++) {
        int32_t s1 = r0->s1[x] + r0->s1[x + 1] + r1->s1[x] + r1->s1[x + 1];
        int32_t s2 = r0->s2[x] + r0->s2[x + 1] + r1->s2[x] + r1->s2[x + 1];
        int32_t ss = r0->ss[x] + r0->ss[x + 1] + r1->ss[x] + r1->ss[x + 1];
        int32_t s12 = r0->s12[x] + r0->s12[x + 1] + r1->s12[x] + r1->s12[x + 1];
        acc[x & 3] += window8(s1, s2, ss, s12);
    }
}

int sobre_metrics_kernel_best(void)
{
#ifdef SOBRE_HAVE_AVX2_KERNELS
    /* libgcc / compiler-rt also check that the OS saves the AVX registers */
    if (__builtin_cpu_supports("avx2"))
        return SOBRE_KERNEL_AVX2;
#endif
    return SOBRE_KERNEL_C;
}

static uint64_t block_row(int kernel, SobreBlockRow *r, const SobrePlane *a, const SobrePlane *b,
                          int z, int nb)
{
    const uint8_t *pa = (const uint8_t *)a->data + (ptrdiff_t)4 * z * a->stride;
    const uint8_t *pb = (const uint8_t *)b->data + (ptrdiff_t)4 * z * b->stride;
#ifdef SOBRE_HAVE_AVX2_KERNELS
    if (kernel == SOBRE_KERNEL_AVX2)
        return sobre_block_row8_avx2(r, pa, a->stride, pb, b->stride, nb);
#endif
    (void)kernel;
    return sobre_block_row8_c(r, pa, a->stride, pb, b->stride, 0, nb);
}

static void windows(int kernel, double acc[4], const SobreBlockRow *r0, const SobreBlockRow *r1,
                    int nw)
{
#ifdef SOBRE_HAVE_AVX2_KERNELS
    if (kernel == SOBRE_KERNEL_AVX2) {
        sobre_windows8_avx2(acc, r0, r1, nw);
        return;
    }
#endif
    (void)kernel;
    sobre_windows8_c(acc, r0, r1, 0, nw);
}

/* Squared error of the samples no 4x4 block covers: the right columns, the bottom rows. */
static uint64_t sse_remainder(const SobrePlane *a, const SobrePlane *b, int w4, int h4)
{
    uint64_t sse = 0;
    for (int y = 0; y < a->height; y++) {
        const uint8_t *ra = (const uint8_t *)a->data + (ptrdiff_t)y * a->stride;
        const uint8_t *rb = (const uint8_t *)b->data + (ptrdiff_t)y * b->stride;
        for (int x = y < 4 * h4 ? 4 * w4 : 0; x < a->width; x++) {
            int d = ra[x] - rb[x];
            sse += (uint64_t)(d * d);
        }
    }
    return sse;
}

int sobre_metrics_plane8(const SobrePlane *a, const SobrePlane *b, int kernel, double *ssim,
                         uint64_t *sse)
{
    int w4, h4, nw;
    int32_t *buf;
    SobreBlockRow rows[2];
    double acc[4] = {0, 0, 0, 0};
    uint64_t err;

    if (!a || !b || !a->data || !b->data || a->width != b->width || a->height != b->height ||
        (a->depth && a->depth != 8) || (b->depth && b->depth != 8))
        return SOBRE_E_INVALID;
    if (kernel == SOBRE_KERNEL_BEST)
        kernel = sobre_metrics_kernel_best();
    else if (kernel != SOBRE_KERNEL_C && kernel > sobre_metrics_kernel_best())
        return SOBRE_E_UNSUPPORTED;
    w4 = a->width >> 2;
    h4 = a->height >> 2;
    if (w4 < 2 || h4 < 2) /* no 8x8 window: metrics.c scores the plane as one window */
        return SOBRE_E_INVALID;
    nw = w4 - 1;
    if (!(buf = malloc(8 * (size_t)w4 * sizeof(*buf))))
        return -ENOMEM;
    for (int k = 0; k < 2; k++)
        rows[k] = (SobreBlockRow){buf + (size_t)(4 * k) * w4, buf + (size_t)(4 * k + 1) * w4,
                                  buf + (size_t)(4 * k + 2) * w4, buf + (size_t)(4 * k + 3) * w4};
    err = block_row(kernel, &rows[0], a, b, 0, w4);
    for (int z = 1; z < h4; z++) {
        SobreBlockRow *above = &rows[(z - 1) & 1], *cur = &rows[z & 1];
        err += block_row(kernel, cur, a, b, z, w4);
        windows(kernel, acc, above, cur, nw);
    }
    free(buf);
    *ssim = ((acc[0] + acc[1]) + (acc[2] + acc[3])) / ((double)nw * (h4 - 1));
    *sse = err + sse_remainder(a, b, w4, h4);
    return 0;
}
