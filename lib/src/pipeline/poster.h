/* Poster writer (see poster.c). */
#ifndef SOBRE_POSTER_H
#define SOBRE_POSTER_H

#include <libavutil/frame.h>

#include "error.h"
#include "sobre/plan.h"

/** Writes src as a WebP poster at path (a temporary name: the caller renames it). */
int sobre_poster_write(const AVFrame *src, const SobreSourceGeom *geom, const char *path,
                       int *width, int *height, int64_t *bytes, SobreError *err);

#endif
