/* File-system helpers of the publisher: placing media in the new site (reuse from the
 * previous site, hard link, or copy), reading the asset files, removing a built tree. */
#ifndef SOBRE_SITE_FILES_H
#define SOBRE_SITE_FILES_H

#include "sobre/publish.h"
#include "strbuf.h"

/**
 * Puts src at dst (a new name inside the site being built). When old (the same file in
 * the previous site, may be NULL) has src's size and modification time, it is linked
 * instead: unchanged media are never copied again. Otherwise a hard link to src, or a
 * copy keeping src's modification time when links are impossible (other file system).
 */
int site_fs_place(const char *src, const char *old, const char *dst, SobrePublishStats *st,
                  SobreError *err);
/** Reads a whole file (at most max bytes) into b. */
int site_fs_read(const char *path, SobreBuf *b, size_t max, SobreError *err);
/** Removes a tree built by the publisher (files and folders; symlinks are not followed). */
int site_fs_rmtree(const char *path);

#endif
