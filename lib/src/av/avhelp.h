/* FFmpeg helpers shared by the media modules (probe, quality, pipeline): an FFmpeg error
 * code as a SobreError message, and the encoders' picture format. Together with
 * ffcompat.h, the only FFmpeg-facing code outside those modules. */
#ifndef SOBRE_AVHELP_H
#define SOBRE_AVHELP_H

#include <libavutil/frame.h>

#include "error.h"

/* Records "FILE: WHAT: ffmpeg's text for CODE" (or "WHAT: ..." when file is NULL) in err
 * and returns code. */
int sobre_fail_av(SobreError *err, int code, const char *what, const char *file);

/* Allocates *f as a w x h yuv420p picture (the encoders' input format). */
int sobre_alloc_picture(AVFrame **f, int w, int h);
/* The same in another pixel format (yuv420p10le for the HDR rendition). */
int sobre_alloc_picture_fmt(AVFrame **f, int w, int h, int format);

#endif
