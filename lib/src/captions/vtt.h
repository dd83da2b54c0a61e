/* WebVTT: the one checker of captions files (encode before it keeps them, publish before
 * it publishes them), their transcript, and writing cues converted from an input's
 * subtitle stream. Pure text code. */
#ifndef SOBRE_VTT_H
#define SOBRE_VTT_H

#include <stddef.h>

#include "error.h"
#include "strbuf.h"

/**
 * Checks that text is a WebVTT file browsers will load: UTF-8, "WEBVTT" signature,
 * every cue timing line "start --> end" well formed with start <= end. name is used in
 * messages ("captions.vtt:12: bad cue timing"). Returns the number of cues (>= 0) or an
 * error.
 */
int sobre_vtt_check(const char *name, const char *text, size_t len, SobreError *err);

/**
 * The transcript of a WebVTT file: cue text without timings, identifiers,
 * NOTE/STYLE/REGION blocks and tags, entities decoded, one cue per line (a cue equal to
 * the one before is not repeated). Plain text, to be escaped by the caller's writer.
 * malloc'ed; NULL on allocation failure. Call sobre_vtt_check() first for a verdict.
 */
char *sobre_vtt_transcript(const char *text, size_t len);

/** Starts a WebVTT document in b. */
void sobre_vtt_begin(SobreBuf *b);
/** Appends one cue; text is escaped (&, <, >) and blank lines inside it are removed. */
void sobre_vtt_cue(SobreBuf *b, int index, double start_s, double end_s, const char *text);

#endif
