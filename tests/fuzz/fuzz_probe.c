/* Fuzz target: sobre_probe_file on arbitrary bytes, the whole demux + decode path of
 * FFmpeg as sobre drives it (headers, packet scan, one decoded frame, end check). The
 * bytes go to a memfd passed as /proc/self/fd/N: the library's real entry point, no
 * test-only hook. A failure must come with a message naming the file. */
#define _GNU_SOURCE
#include <sys/mman.h>
#include <unistd.h>

#include "sobre/probe.h"

#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    SobreProbeInfo *info = NULL;
    SobreProbeSettings set;
    SobreError err = {0};
    char path[64];
    int fd = memfd_create("fuzz-probe", 0);
    if (fd < 0)
        return 0;
    if (size && write(fd, data, size) != (ssize_t)size) {
        close(fd);
        return 0;
    }
    snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
    sobre_media_set_log_level(-8); /* AV_LOG_QUIET: the harness only wants crashes */
    sobre_probe_default_settings(&set);
    set.scan_s = 1;
    int rc = sobre_probe_file(&info, path, &set, &err);
    if (rc < 0) {
        FUZZ_CHECK(info == NULL);
        FUZZ_CHECK(strstr(err.detail, path) != NULL);
    } else {
        FUZZ_CHECK(info != NULL);
        sobre_probe_free(&info);
    }
    close(fd);
    return 0;
}
