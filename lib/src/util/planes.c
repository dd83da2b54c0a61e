/* 8-bit plane rotation, deinterlacing and statistics (see planes.h). Plain loops: these
 * run on the scaled rendition sizes or once per frame, far below the encoders' cost. */
#include "planes.h"

int sobre_plane_rotate(const uint8_t *src, int ss, int w, int h, uint8_t *dst, int ds, int deg)
{
    switch (deg) {
    case 90: /* dst(x', y') with x' = h-1-y, y' = x */
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                dst[x * ds + (h - 1 - y)] = src[y * ss + x];
        return 0;
    case 180:
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                dst[(h - 1 - y) * ds + (w - 1 - x)] = src[y * ss + x];
        return 0;
    case 270:
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                dst[(w - 1 - x) * ds + y] = src[y * ss + x];
        return 0;
    default:
        return -1;
    }
}

int sobre_plane_rotate16(const uint8_t *src, int ss, int w, int h, uint8_t *dst, int ds, int deg)
{
    for (int y = 0; y < h; y++) {
        const uint16_t *s = (const uint16_t *)(const void *)(src + (long)y * ss);
        for (int x = 0; x < w; x++) {
            long at;
            switch (deg) {
            case 90:
                at = (long)x * ds + 2L * (h - 1 - y);
                break;
            case 180:
                at = (long)(h - 1 - y) * ds + 2L * (w - 1 - x);
                break;
            case 270:
                at = (long)(w - 1 - x) * ds + 2L * y;
                break;
            default:
                return -1;
            }
            *(uint16_t *)(void *)(dst + at) = s[x];
        }
    }
    return deg == 90 || deg == 180 || deg == 270 ? 0 : -1;
}

void sobre_plane_deinterlace(uint8_t *data, int stride, int w, int h)
{
    for (int y = 1; y < h; y += 2) {
        uint8_t *row = data + (long)y * stride;
        const uint8_t *up = row - stride;
        const uint8_t *down = y + 1 < h ? row + stride : up;
        for (int x = 0; x < w; x++)
            row[x] = (uint8_t)((up[x] + down[x] + 1) >> 1);
    }
}

void sobre_plane_stats(const uint8_t *data, int stride, int w, int h, int step, double *mean,
                       double *var)
{
    double sum = 0, sum2 = 0;
    long n = 0;
    if (step < 1)
        step = 1;
    for (int y = 0; y < h; y += step)
        for (int x = 0; x < w; x += step) {
            double v = data[(long)y * stride + x];
            sum += v;
            sum2 += v * v;
            n++;
        }
    *mean = n ? sum / n : 0;
    *var = n ? sum2 / n - *mean * *mean : 0;
}
