/* libavfilter, loaded when a colour conversion needs it. Only HDR and wide-gamut sources
 * use it (tonemap.c); linking it would load it and the 32 shared objects it pulls in
 * (libplacebo, Vulkan, Tesseract, ...: +11.5 MiB resident) into every sobre process,
 * footprint and publish included. The handle belongs to its caller: no global state. */
#ifndef SOBRE_AVFILTER_DL_H
#define SOBRE_AVFILTER_DL_H

#include <libavfilter/avfilter.h>
#include <libavfilter/buffersink.h>
#include <libavfilter/buffersrc.h>

#include "error.h"

typedef struct AvfilterLib {
    void *handle;
    const AVFilter *(*get_by_name)(const char *name);
    AVFilterGraph *(*graph_alloc)(void);
    void (*graph_free)(AVFilterGraph **graph);
    int (*graph_create_filter)(AVFilterContext **filt_ctx, const AVFilter *filt, const char *name,
                               const char *args, void *opaque, AVFilterGraph *graph_ctx);
    int (*graph_parse_ptr)(AVFilterGraph *graph, const char *filters, AVFilterInOut **inputs,
                           AVFilterInOut **outputs, void *log_ctx);
    int (*graph_config)(AVFilterGraph *graphctx, void *log_ctx);
    AVFilterInOut *(*inout_alloc)(void);
    void (*inout_free)(AVFilterInOut **inout);
    int (*buffersrc_add_frame_flags)(AVFilterContext *buffer_src, AVFrame *frame, int flags);
    int (*buffersink_get_frame)(AVFilterContext *ctx, AVFrame *frame);
} AvfilterLib;

/* Loads the libavfilter this sobre was built against (its major version) and the
 * functions above; a clear error naming the library when it cannot. */
int sobre_avfilter_load(AvfilterLib *lib, SobreError *err);
/* Closes it (the functions must not be used after); zeroes lib. Safe on a zeroed lib. */
void sobre_avfilter_unload(AvfilterLib *lib);

#endif
