/**
 * @file common.h
 * Error codes, detail messages, logging and version query shared by every sobre API.
 *
 * Conventions (after dav1d and curl): functions return 0 on success and a negative
 * code on failure (a negated errno value, an FFmpeg AVERROR, or one of SOBRE_E_*).
 * Every fallible call takes an optional SobreError* that receives a message a human can
 * act on ("input.mov: no video stream; this command needs one"). The library never
 * prints, never exits and keeps no global state: logging goes through a callback that
 * the caller places in each context's settings.
 */
#ifndef SOBRE_COMMON_H
#define SOBRE_COMMON_H

#include <stddef.h>

#include "sobre/version.h"

/** Marks the functions libsobre exports: the library is built with hidden visibility, so
 *  exactly the functions declared in these headers leave the shared library. */
#if defined(__GNUC__) && __GNUC__ >= 4
#define SOBRE_API __attribute__((visibility("default")))
#else
#define SOBRE_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

/** sobre-specific error codes (negative, far from errno and AVERROR ranges). */
enum {
    SOBRE_E_INVALID = -0x50420001,     /**< a value is out of range or contradictory */
    SOBRE_E_PARSE = -0x50420002,       /**< a data file (YAML, JSON, VTT) does not parse */
    SOBRE_E_NOVIDEO = -0x50420003,     /**< the input has no video stream */
    SOBRE_E_NOMEDIA = -0x50420004,     /**< the input has no usable audio or video stream */
    SOBRE_E_CANCELLED = -0x50420005,   /**< the job was cancelled */
    SOBRE_E_VERIFY = -0x50420006,      /**< an output failed its decode check */
    SOBRE_E_LOCKED = -0x50420007,      /**< another process holds the output folder */
    SOBRE_E_UNSUPPORTED = -0x50420008, /**< the input or setting is not supported */
};

/** Room for one detail message; long enough for two paths and a sentence. */
#define SOBRE_ERROR_DETAIL 1024

/** Caller-allocated error record. Zero it (or call sobre_error_clear()) before use. */
typedef struct SobreError {
    int code;                        /**< the code the failing call returned, 0 if none */
    char detail[SOBRE_ERROR_DETAIL]; /**< NUL-terminated human-readable message */
} SobreError;

/** Log levels, by increasing verbosity. */
enum SobreLogLevel {
    SOBRE_LOG_ERROR = 0,
    SOBRE_LOG_WARNING = 1,
    SOBRE_LOG_INFO = 2,
    SOBRE_LOG_DEBUG = 3,
};

/**
 * Logger callback. Called from the thread that runs the job (or from a worker thread
 * of that job, never two at once for one context); msg is a complete line without the
 * trailing newline and is only valid during the call.
 */
typedef void (*SobreLogCallback)(void *opaque, int level, const char *msg);

/** A logger placed in a context's settings. A NULL callback discards messages. */
typedef struct SobreLogger {
    SobreLogCallback callback;
    void *opaque;
    int level; /**< messages above this level are dropped */
} SobreLogger;

/** @return the library version string, e.g. "0.1.0" (static storage). */
SOBRE_API const char *sobre_version(void);

/** @return SOBRE_VERSION_MAJOR << 16 | MINOR << 8 | PATCH of the library in use. */
SOBRE_API unsigned sobre_version_int(void);

/**
 * Short description of an error code. Thread-safe; the string has static storage
 * for sobre codes, otherwise it is written to buf (size >= 64 advised) and returned.
 */
SOBRE_API const char *sobre_strerror(int code, char *buf, size_t size);

/** Reset an error record. err may be NULL. */
SOBRE_API void sobre_error_clear(SobreError *err);

/**
 * Process-wide: the level (SOBRE_LOG_*) up to which FFmpeg's own messages are printed
 * on stderr by FFmpeg; -1 silences them. FFmpeg keeps this setting globally, so only an
 * application's main() should call it (the sobre CLI does); a library embedding sobre
 * should leave it alone. The library never changes it on its own.
 */
SOBRE_API void sobre_media_set_log_level(int level);

#ifdef __cplusplus
}
#endif
#endif
