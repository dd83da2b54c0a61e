/* Inside the metrics module, for the quality module and the unit tests:
 * - the 8-bit SSIM/SSE kernels behind sobre_metrics_frame() (metrics_plane8.c, plain C;
 *   metrics_avx2.c, AVX2 intrinsics chosen at run time). Every kernel computes the same
 *   integers and the same IEEE float operations in the same order, so each gives exactly
 *   the same result (tests/unit/test_metrics.c compares them bit for bit);
 * - the lean accumulator the encode pipeline uses: it keeps per frame only what
 *   quality.json and the pooled statistics need (metrics_accum.c). */
#ifndef SOBRE_METRICS_INTERNAL_H
#define SOBRE_METRICS_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "sobre/metrics.h"

/* Which kernels run: the best this CPU has, or one on purpose (tests, benchmarks). */
enum { SOBRE_KERNEL_BEST = -1, SOBRE_KERNEL_C = 0, SOBRE_KERNEL_AVX2 = 1 };

/* Sums of the 4x4 blocks of one block row, one array per sum (8-bit samples: a block's
 * sums fit 32 bits, and so do an 8x8 window's). */
typedef struct SobreBlockRow {
    int32_t *s1, *s2, *ss, *s12; /* sum a, sum b, sum a^2 + b^2, sum a*b */
} SobreBlockRow;

/* Block sums of blocks [x0, nb) of the block row whose top-left sample is pa / pb;
 * returns the sum over those blocks of ss - 2 * s12, i.e. of (a - b)^2. */
uint64_t sobre_block_row8_c(SobreBlockRow *r, const uint8_t *pa, ptrdiff_t sa, const uint8_t *pb,
                            ptrdiff_t sb, int x0, int nb);
/* SSIM of the windows [x0, nw) made of blocks x, x + 1 of rows r0 and r1: window x adds its
 * score (a float, as x264 and FFmpeg compute it) to acc[x & 3]. Four lanes, each summed in
 * increasing x, so a vector kernel can add four windows at once and agree exactly. */
void sobre_windows8_c(double acc[4], const SobreBlockRow *r0, const SobreBlockRow *r1, int x0,
                      int nw);

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define SOBRE_HAVE_AVX2_KERNELS 1
uint64_t sobre_block_row8_avx2(SobreBlockRow *r, const uint8_t *pa, ptrdiff_t sa, const uint8_t *pb,
                               ptrdiff_t sb, int nb);
void sobre_windows8_avx2(double acc[4], const SobreBlockRow *r0, const SobreBlockRow *r1, int nw);
#endif

/* The kernel SOBRE_KERNEL_BEST stands for on this CPU. */
int sobre_metrics_kernel_best(void);

/**
 * SSIM (as sobre_metrics_ssim_plane()) and sum of squared differences (as
 * sobre_metrics_sse_plane()) of two 8-bit planes of the same size, in one pass over them.
 * @param kernel SOBRE_KERNEL_BEST, or a kernel to force (SOBRE_E_UNSUPPORTED if this CPU
 *        or build does not have it)
 * @return 0, SOBRE_E_INVALID (sizes or depths differ, not 8-bit) or -ENOMEM
 */
int sobre_metrics_plane8(const SobrePlane *a, const SobrePlane *b, int kernel, double *ssim,
                         uint64_t *sse);

/* The per-frame figures kept for the pooled statistics and quality.json. */
typedef struct SobreQualityKept {
    double ssim_y, ssim_all, psnr_y, psnr_all;
} SobreQualityKept;

/* An accumulator that keeps 32 bytes per frame instead of a whole SobreQualityFrame (128):
 * the pooled results are the same, but sobre_quality_accum_result() leaves per_frame NULL;
 * read the kept figures with sobre_quality_accum_kept(). */
int sobre_quality_accum_new_lean(SobreQualityAccum **out, size_t expected_frames, SobreError *err);
/* Frame i's kept figures (i < count), from either kind of accumulator. */
SobreQualityKept sobre_quality_accum_kept(const SobreQualityAccum *acc, size_t i);

#endif
