/* Error codes, detail messages and the logger plumbing: the only place where codes
 * become text. FFmpeg's AVERROR codes are negated errno values or FFERRTAGs; the core
 * cannot call av_strerror (it stays FFmpeg-free), so tags get a generic text here and
 * media modules put FFmpeg's own wording in the detail message. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "error.h"

const char *sobre_version(void)
{
    return SOBRE_VERSION_STRING;
}

unsigned sobre_version_int(void)
{
    return (SOBRE_VERSION_MAJOR << 16) | (SOBRE_VERSION_MINOR << 8) | SOBRE_VERSION_PATCH;
}

static const struct {
    int code;
    const char *text;
} sobre_codes[] = {
    {SOBRE_E_INVALID, "invalid or contradictory value"},
    {SOBRE_E_PARSE, "data file does not parse"},
    {SOBRE_E_NOVIDEO, "no video stream"},
    {SOBRE_E_NOMEDIA, "no usable audio or video stream"},
    {SOBRE_E_CANCELLED, "cancelled"},
    {SOBRE_E_VERIFY, "output failed its decode check"},
    {SOBRE_E_LOCKED, "output folder is in use by another process"},
    {SOBRE_E_UNSUPPORTED, "not supported"},
};

const char *sobre_strerror(int code, char *buf, size_t size)
{
    if (code == 0)
        return "success";
    for (size_t i = 0; i < sizeof(sobre_codes) / sizeof(sobre_codes[0]); i++)
        if (sobre_codes[i].code == code)
            return sobre_codes[i].text;
    if (!buf || size == 0)
        return "unknown error";
    if (code < 0 && -code < 4096) {
        /* XSI strerror_r: thread-safe, writes into buf. */
        if (strerror_r(-code, buf, size) != 0)
            snprintf(buf, size, "error %d", code);
    } else {
        snprintf(buf, size, "media library error %d", code);
    }
    return buf;
}

void sobre_error_clear(SobreError *err)
{
    if (err) {
        err->code = 0;
        err->detail[0] = '\0';
    }
}

int sobre_fail(SobreError *err, int code, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->detail, sizeof(err->detail), fmt, ap);
        va_end(ap);
        err->code = code;
    }
    return code;
}

void sobre_log(const SobreLogger *logger, int level, const char *fmt, ...)
{
    char line[1024];
    va_list ap;
    if (!logger || !logger->callback || level > logger->level)
        return;
    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    logger->callback(logger->opaque, level, line);
}
