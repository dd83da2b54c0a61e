/* Internal helpers to fill a SobreError and to log through a SobreLogger.
 * Every module reports failures with sobre_fail(), which records the code and a
 * formatted detail message and returns the code so callers can `return sobre_fail(...)`. */
#ifndef SOBRE_INTERNAL_ERROR_H
#define SOBRE_INTERNAL_ERROR_H

#include <stdarg.h>

#include "sobre/common.h"

#if defined(__GNUC__)
#define SOBRE_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define SOBRE_PRINTF(a, b)
#endif

/** Record code and message in err (if not NULL) and return code. */
int sobre_fail(SobreError *err, int code, const char *fmt, ...) SOBRE_PRINTF(3, 4);

/** Log through logger (may be NULL) at level. */
void sobre_log(const SobreLogger *logger, int level, const char *fmt, ...) SOBRE_PRINTF(3, 4);

#endif
