/* Picture operations on plain 8-bit (and, for rotation, 16-bit) planes that swscale does not do:
 * rotation by a multiple of 90 degrees (phone videos) and a field-interpolating deinterlacer. */
#ifndef SOBRE_PLANES_H
#define SOBRE_PLANES_H

#include <stdint.h>

/** Copies src (w x h) into dst rotated clockwise by deg (90, 180 or 270); dst is h x w
 * for 90/270. Returns -1 for other angles. */
int sobre_plane_rotate(const uint8_t *src, int sstride, int w, int h, uint8_t *dst, int dstride,
                       int deg);

/** The same for 16-bit samples (10-bit video); strides in bytes. */
int sobre_plane_rotate16(const uint8_t *src, int sstride, int w, int h, uint8_t *dst, int dstride,
                         int deg);

/** In place: keeps the top field and rebuilds the bottom field's lines as the mean of
 * their neighbours (no combing; half the vertical detail of moving and still parts). */
void sobre_plane_deinterlace(uint8_t *data, int stride, int w, int h);

/** Mean and variance of a plane, sampled every step pixels (poster choice). */
void sobre_plane_stats(const uint8_t *data, int stride, int w, int h, int step, double *mean,
                       double *var);

#endif
