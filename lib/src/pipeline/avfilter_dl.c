/* libavfilter on demand: dlopen of the major version the headers describe, dlsym of the
 * few functions the colour conversion calls. */
#include <dlfcn.h>
#include <stddef.h>
#include <string.h>

#include <libavfilter/version.h>
#include <libavutil/macros.h>

#include "avfilter_dl.h"

#define AVFILTER_SONAME "libavfilter.so." AV_STRINGIFY(LIBAVFILTER_VERSION_MAJOR)

/* The pointers' types are checked against the headers' declarations at compile time
 * (sizeof does not evaluate: no reference to the library is emitted). */
static void check_types(AvfilterLib *l)
{
    (void)sizeof(l->get_by_name = avfilter_get_by_name);
    (void)sizeof(l->graph_alloc = avfilter_graph_alloc);
    (void)sizeof(l->graph_free = avfilter_graph_free);
    (void)sizeof(l->graph_create_filter = avfilter_graph_create_filter);
    (void)sizeof(l->graph_parse_ptr = avfilter_graph_parse_ptr);
    (void)sizeof(l->graph_config = avfilter_graph_config);
    (void)sizeof(l->inout_alloc = avfilter_inout_alloc);
    (void)sizeof(l->inout_free = avfilter_inout_free);
    (void)sizeof(l->buffersrc_add_frame_flags = av_buffersrc_add_frame_flags);
    (void)sizeof(l->buffersink_get_frame = av_buffersink_get_frame);
}

int sobre_avfilter_load(AvfilterLib *lib, SobreError *err)
{
    static const struct {
        const char *name;
        size_t offset;
    } syms[] = {
        {"avfilter_get_by_name", offsetof(AvfilterLib, get_by_name)},
        {"avfilter_graph_alloc", offsetof(AvfilterLib, graph_alloc)},
        {"avfilter_graph_free", offsetof(AvfilterLib, graph_free)},
        {"avfilter_graph_create_filter", offsetof(AvfilterLib, graph_create_filter)},
        {"avfilter_graph_parse_ptr", offsetof(AvfilterLib, graph_parse_ptr)},
        {"avfilter_graph_config", offsetof(AvfilterLib, graph_config)},
        {"avfilter_inout_alloc", offsetof(AvfilterLib, inout_alloc)},
        {"avfilter_inout_free", offsetof(AvfilterLib, inout_free)},
        {"av_buffersrc_add_frame_flags", offsetof(AvfilterLib, buffersrc_add_frame_flags)},
        {"av_buffersink_get_frame", offsetof(AvfilterLib, buffersink_get_frame)},
    };
    const char *why;
    memset(lib, 0, sizeof(*lib));
    check_types(lib);
    dlerror();
    /* never unloaded once loaded: the libraries it pulls in may register exit handlers */
    if (!(lib->handle = dlopen(AVFILTER_SONAME, RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE))) {
        why = dlerror();
        return sobre_fail(err, SOBRE_E_UNSUPPORTED,
                          "the colour conversion needs " AVFILTER_SONAME
                          " (Debian: libavfilter8), which cannot be loaded: %s",
                          why ? why : "unknown reason");
    }
    for (size_t i = 0; i < sizeof(syms) / sizeof(syms[0]); i++) {
        /* POSIX: a function's address comes back as a void *; copied, not cast */
        void *p = dlsym(lib->handle, syms[i].name);
        if (!p) {
            sobre_avfilter_unload(lib);
            return sobre_fail(err, SOBRE_E_UNSUPPORTED, "%s has no %s", AVFILTER_SONAME,
                              syms[i].name);
        }
        memcpy((char *)lib + syms[i].offset, &p, sizeof(p));
    }
    return 0;
}

void sobre_avfilter_unload(AvfilterLib *lib)
{
    if (lib->handle)
        dlclose(lib->handle);
    memset(lib, 0, sizeof(*lib));
}
