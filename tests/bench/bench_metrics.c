/* Micro-benchmark of the metrics core (not a test: scripts/bench-metrics.sh runs it). For
 * each picture size, the CPU time of sobre_metrics_frame() on 4:2:0 frame pairs, per
 * kernel (plain C, and AVX2 where the CPU has it), on one pair over and over ("hot": in
 * cache) and on 24 distinct pairs in turn ("cold": from memory, as in an encode); rounds
 * interleave the kernels and the medians are printed as JSON lines. Thread CPU time, so a
 * loaded machine slows it less than wall time. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "metrics_internal.h"
#include "sobre/metrics.h"

enum { PAIRS = 24 };

static double thread_cpu(void)
{
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

typedef struct Pair {
    uint8_t *a, *b;
    SobrePlanes pa, pb;
} Pair;

static void planes(uint8_t *buf, int w, int h, SobrePlanes *p)
{
    int cw = (w + 1) / 2, ch = (h + 1) / 2;
    p->plane[0] = (SobrePlane){buf, w, w, h, 8};
    p->plane[1] = (SobrePlane){buf + (size_t)w * h, cw, cw, ch, 8};
    p->plane[2] = (SobrePlane){buf + (size_t)w * h + (size_t)cw * ch, cw, cw, ch, 8};
}

/* A picture with texture, and a "decoded" copy a few levels off, like an encode. */
static void pair_new(Pair *p, int w, int h, unsigned seed)
{
    size_t n = (size_t)w * h + 2 * (size_t)((w + 1) / 2) * ((h + 1) / 2);
    uint32_t s = seed * 2654435761u + 1;
    p->a = malloc(n);
    p->b = malloc(n);
    for (size_t i = 0; i < n; i++) {
        s = s * 1664525u + 1013904223u;
        p->a[i] = (uint8_t)((i % 251) / 2 + (s >> 26));
        p->b[i] = (uint8_t)(p->a[i] + ((s >> 8) & 7) - 3);
    }
    planes(p->a, w, h, &p->pa);
    planes(p->b, w, h, &p->pb);
}

/* CPU ms per frame of kernel k over `frames` frames taken from pairs[0 .. npairs). */
static double run(const Pair *pairs, int npairs, int kernel, int frames, double *check)
{
    double t0 = thread_cpu();
    for (int i = 0; i < frames; i++) {
        const Pair *p = &pairs[i % npairs];
        for (int c = 0; c < 3; c++) {
            double ssim;
            uint64_t sse;
            sobre_metrics_plane8(&p->pa.plane[c], &p->pb.plane[c], kernel, &ssim, &sse);
            *check += ssim + (double)sse;
        }
    }
    return (thread_cpu() - t0) / frames * 1e3;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    static const int sizes[][2] = {{640, 360}, {854, 480}, {1280, 720}, {1920, 1080}};
    int rounds = argc > 1 ? atoi(argv[1]) : 5, best = sobre_metrics_kernel_best();
    double check = 0;
    if (rounds < 1)
        rounds = 1;
    for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
        int w = sizes[s][0], h = sizes[s][1], frames = (int)(4e8 / ((double)w * h)) + 20;
        double t[2][2][64]; /* kernel, hot/cold, round */
        Pair *pairs = calloc(PAIRS, sizeof(*pairs));
        for (int i = 0; i < PAIRS; i++)
            pair_new(&pairs[i], w, h, (unsigned)i + 1);
        for (int r = 0; r < rounds && r < 64; r++)
            for (int k = SOBRE_KERNEL_C; k <= best; k++) {
                t[k][0][r] = run(pairs, 1, k, frames, &check);
                t[k][1][r] = run(pairs, PAIRS, k, frames, &check);
            }
        for (int k = SOBRE_KERNEL_C; k <= best; k++) {
            qsort(t[k][0], (size_t)rounds, sizeof(double), cmp);
            qsort(t[k][1], (size_t)rounds, sizeof(double), cmp);
            printf("{\"width\": %d, \"height\": %d, \"kernel\": \"%s\", \"rounds\": %d, "
                   "\"frames_per_round\": %d, \"hot_ms\": %.4f, \"cold_ms\": %.4f}\n",
                   w, h, k == SOBRE_KERNEL_C ? "c" : "avx2", rounds, frames, t[k][0][rounds / 2],
                   t[k][1][rounds / 2]);
        }
        for (int i = 0; i < PAIRS; i++) {
            free(pairs[i].a);
            free(pairs[i].b);
        }
        free(pairs);
    }
    fprintf(stderr, "(checksum %g)\n", check);
    return 0;
}
