/* Segment files (segfile.c): what one segment of one video rung made, kept under
 * EPISODE_DIR/.sobre/seg/ until the join. The packets exactly as the encoder gave them
 * (timestamps in its time base, flags, data) in a small file of our own, so no container
 * rounds a timestamp or adds a random id, plus a JSON sidecar: packet count, bytes and
 * checksum, the encoder's extradata checksum, CPU time, frames and their quality scores.
 * A segment is complete when both are in place (the sidecar is renamed last). */
#ifndef SOBRE_PIPELINE_SEGFILE_H
#define SOBRE_PIPELINE_SEGFILE_H

#include <stdint.h>
#include <stdio.h>

#include <jansson.h>
#include <libavcodec/avcodec.h>

#include "error.h"

typedef struct SegWriter {
    FILE *f;
    char tmp[4200];  /* written here... */
    char path[4200]; /* ...renamed here by sobre_seg_commit() */
    uint64_t sum;    /* FNV-1a of every record */
    int64_t packets, bytes;
} SegWriter;

/* tmp: a name no other writer uses (host and process in it: segments of one folder may be
 * made on several hosts at once). */
int sobre_seg_create(SegWriter *w, const char *tmp, const char *path, SobreError *err);
int sobre_seg_write(SegWriter *w, const AVPacket *pkt, SobreError *err);
/* Flushes and closes the packet file (still under its temporary name). */
int sobre_seg_finish(SegWriter *w, SobreError *err);
/* Renames the packet file, then writes meta (adding packets, bytes, checksum) as
 * PATH.json through a temporary name: the segment is complete. */
int sobre_seg_commit(SegWriter *w, json_t *meta, SobreError *err);
void sobre_seg_abandon(SegWriter *w); /* closes, removes the temporary file */

/* The sidecar of a complete segment (PATH.json, new reference), or NULL when the segment
 * is missing or incomplete (no sidecar, or a packet file of another size). */
json_t *sobre_seg_meta(const char *path);

typedef struct SegReader {
    FILE *f;
    char path[4200];
    uint64_t sum;
    int64_t packets, bytes;
} SegReader;

int sobre_seg_open(SegReader *r, const char *path, SobreError *err);
/* The next packet: 0, 1 at the end, or an error (a damaged file). */
int sobre_seg_read(SegReader *r, AVPacket *pkt, SobreError *err);
/* At the end: the packets, bytes and checksum match the sidecar meta. */
int sobre_seg_check(const SegReader *r, json_t *meta, SobreError *err);
void sobre_seg_close(SegReader *r);

/* FNV-1a 64 as 16 hex digits (checksums in the sidecar). */
void sobre_seg_hex(uint64_t v, char out[17]);
uint64_t sobre_seg_fnv(uint64_t h, const void *data, size_t n);
#define SOBRE_SEG_FNV0 0xcbf29ce484222325ULL

#endif
