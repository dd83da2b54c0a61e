/* AVX2 versions of the 8-bit SSIM/SSE kernels (metrics_internal.h): the same integer sums
 * and the same float operations as metrics_plane8.c, four blocks or eight windows at a
 * time, so the results are identical. Compiled for x86-64 only, with AVX2 enabled per
 * function; metrics_plane8.c calls them only when the CPU has AVX2. */
#include "metrics_internal.h"

#ifdef SOBRE_HAVE_AVX2_KERNELS
#include <immintrin.h>

#define AVX2 __attribute__((target("avx2")))

enum { C1_8 = 416, C2_8 = 235963 };

AVX2 uint64_t sobre_block_row8_avx2(SobreBlockRow *r, const uint8_t *pa, ptrdiff_t sa,
                                    const uint8_t *pb, ptrdiff_t sb, int nb)
{
    const __m256i ones = _mm256_set1_epi16(1);
    __m256i sse = _mm256_setzero_si256();
    uint64_t lanes[4];
    int x = 0;
    for (; x + 4 <= nb; x += 4) { /* 16 samples wide: blocks x .. x + 3 */
        __m256i s1 = _mm256_setzero_si256(), s2 = s1, ss = s1, s12 = s1, t1, t2, h12, hss;
        __m128i d;
        for (int y = 0; y < 4; y++) {
            __m256i va = _mm256_cvtepu8_epi16(_mm_loadu_si128((const void *)(pa + y * sa + 4 * x)));
            __m256i vb = _mm256_cvtepu8_epi16(_mm_loadu_si128((const void *)(pb + y * sb + 4 * x)));
            s1 = _mm256_add_epi16(s1, va);
            s2 = _mm256_add_epi16(s2, vb);
            ss = _mm256_add_epi32(
                ss, _mm256_add_epi32(_mm256_madd_epi16(va, va), _mm256_madd_epi16(vb, vb)));
            s12 = _mm256_add_epi32(s12, _mm256_madd_epi16(va, vb));
        }
        /* column pairs, then hadd: per 128-bit lane [sum1 blk, sum1 blk+1, sum2 blk, sum2
         * blk+1]; the 64-bit permute gathers the four blocks of each sum */
        t1 = _mm256_madd_epi16(s1, ones);
        t2 = _mm256_madd_epi16(s2, ones);
        h12 = _mm256_permute4x64_epi64(_mm256_hadd_epi32(t1, t2), 0xD8);
        hss = _mm256_permute4x64_epi64(_mm256_hadd_epi32(ss, s12), 0xD8);
        _mm_storeu_si128((__m128i *)(r->s1 + x), _mm256_castsi256_si128(h12));
        _mm_storeu_si128((__m128i *)(r->s2 + x), _mm256_extracti128_si256(h12, 1));
        _mm_storeu_si128((__m128i *)(r->ss + x), _mm256_castsi256_si128(hss));
        _mm_storeu_si128((__m128i *)(r->s12 + x), _mm256_extracti128_si256(hss, 1));
        d = _mm_sub_epi32(_mm256_castsi256_si128(hss),
                          _mm_slli_epi32(_mm256_extracti128_si256(hss, 1), 1));
        sse = _mm256_add_epi64(sse, _mm256_cvtepi32_epi64(d)); /* each >= 0: sum (a - b)^2 */
    }
    _mm256_storeu_si256((__m256i *)lanes, sse);
    return lanes[0] + lanes[1] + lanes[2] + lanes[3] + sobre_block_row8_c(r, pa, sa, pb, sb, x, nb);
}

static inline AVX2 __m256i sum4(const int32_t *r0, const int32_t *r1, int x)
{
    __m256i a = _mm256_add_epi32(_mm256_loadu_si256((const __m256i *)(r0 + x)),
                                 _mm256_loadu_si256((const __m256i *)(r0 + x + 1)));
    __m256i b = _mm256_add_epi32(_mm256_loadu_si256((const __m256i *)(r1 + x)),
                                 _mm256_loadu_si256((const __m256i *)(r1 + x + 1)));
    return _mm256_add_epi32(a, b);
}

AVX2 void sobre_windows8_avx2(double acc[4], const SobreBlockRow *r0, const SobreBlockRow *r1,
                              int nw)
{
    const __m256i c1 = _mm256_set1_epi32(C1_8), c2 = _mm256_set1_epi32(C2_8);
    __m256d sum = _mm256_loadu_pd(acc);
    int x = 0;
    /* x stays a multiple of 8: windows x .. x + 3 land in lanes 0 .. 3 = x & 3, as in C */
    for (; x + 8 <= nw; x += 8) {
        __m256i s1 = sum4(r0->s1, r1->s1, x), s2 = sum4(r0->s2, r1->s2, x);
        __m256i ss = sum4(r0->ss, r1->ss, x), s12 = sum4(r0->s12, r1->s12, x);
        __m256i s1s2 = _mm256_mullo_epi32(s1, s2);
        __m256i sq = _mm256_add_epi32(_mm256_mullo_epi32(s1, s1), _mm256_mullo_epi32(s2, s2));
        __m256i covar = _mm256_sub_epi32(_mm256_slli_epi32(s12, 6), s1s2);
        __m256i vars = _mm256_sub_epi32(_mm256_slli_epi32(ss, 6), sq);
        __m256 n1 = _mm256_cvtepi32_ps(_mm256_add_epi32(_mm256_slli_epi32(s1s2, 1), c1));
        __m256 n2 = _mm256_cvtepi32_ps(_mm256_add_epi32(_mm256_slli_epi32(covar, 1), c2));
        __m256 d1 = _mm256_cvtepi32_ps(_mm256_add_epi32(sq, c1));
        __m256 d2 = _mm256_cvtepi32_ps(_mm256_add_epi32(vars, c2));
        __m256 v = _mm256_div_ps(_mm256_mul_ps(n1, n2), _mm256_mul_ps(d1, d2));
        sum = _mm256_add_pd(sum, _mm256_cvtps_pd(_mm256_castps256_ps128(v)));
        sum = _mm256_add_pd(sum, _mm256_cvtps_pd(_mm256_extractf128_ps(v, 1)));
    }
    _mm256_storeu_pd(acc, sum);
    sobre_windows8_c(acc, r0, r1, x, nw);
}

#endif
