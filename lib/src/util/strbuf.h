/* Growable text buffer with escaping writers for every output format sobre produces
 * (HTML, XML, M3U, CSV) and an atomic file writer. Titles and metadata are untrusted:
 * everything user-provided goes through one of the escaping writers. */
#ifndef SOBRE_STRBUF_H
#define SOBRE_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

#include "error.h"

typedef struct SobreBuf {
    char *data; /* NUL-terminated when len > 0 */
    size_t len;
    size_t cap;
    int oom; /* sticky: an allocation failed; every later write is a no-op */
} SobreBuf;

void sobre_buf_init(SobreBuf *b);
void sobre_buf_free(SobreBuf *b);
void sobre_buf_reset(SobreBuf *b);
/** Returns b->data, or "" when empty. */
const char *sobre_buf_str(const SobreBuf *b);

void sobre_buf_putn(SobreBuf *b, const char *s, size_t n);
void sobre_buf_puts(SobreBuf *b, const char *s);
void sobre_buf_printf(SobreBuf *b, const char *fmt, ...) SOBRE_PRINTF(2, 3);

/** 1 when the len bytes at s are valid UTF-8 (no overlong form, surrogate or code
 * point above U+10FFFF), else 0. NUL bytes count as valid: callers that forbid them
 * check with memchr. */
int sobre_utf8_valid(const char *s, size_t len);

/* Escaping writers. All of them also replace invalid UTF-8 by U+FFFD and drop C0
 * control characters other than tab/newline (and, where the format is line-based,
 * newlines too), so no input can break out of its context. */
/** Text or attribute value in HTML: & < > " ' escaped. */
void sobre_buf_put_html(SobreBuf *b, const char *s);
/** XML 1.0 text or attribute: as HTML, and characters XML forbids are dropped. */
void sobre_buf_put_xml(SobreBuf *b, const char *s);
/** One M3U line (e.g. the title after #EXTINF:<s>,): newlines and controls become spaces. */
void sobre_buf_put_m3u(SobreBuf *b, const char *s);
/** One CSV field, quoted when needed (RFC 4180). Cells starting with = + - @ are
 * prefixed with ' so spreadsheets do not run them as formulas. */
void sobre_buf_put_csv(SobreBuf *b, const char *s);

/**
 * Writes the buffer to path atomically: a temporary file in the same folder, fsync,
 * rename. On failure nothing is left behind and an existing file at path is intact.
 */
int sobre_buf_write_file(const SobreBuf *b, const char *path, SobreError *err);

/**
 * Reads a whole file into *out (NUL-terminated, length in *len; free() it). Errors name
 * the file: cannot open, read error, larger than max bytes ("not a <what>").
 */
int sobre_file_read(const char *path, size_t max, const char *what, char **out, size_t *len,
                    SobreError *err);

/**
 * A file-name-safe slug of s: lowercase ASCII letters, digits and '-', accents folded
 * (é -> e), at most size-1 bytes, never empty (fallback "episode"), never "." or "..".
 */
void sobre_slugify(const char *s, char *out, size_t size);

#endif
