/**
 * @file series.h
 * A series: the ordered list of episodes `sobre batch` encodes and publishes, read from
 * a CSV file (one row per episode) or from a folder of masters with sidecar files.
 * Pure data: nothing here touches media; each episode later becomes one independent,
 * idempotent `sobre encode` into OUT_DIR/<id>.
 *
 * CSV (RFC 4180, UTF-8, a header row naming the columns, any order):
 *   file         the master, relative to the CSV's folder (required)
 *   title        episode title (default: chosen by encode: the input's tag or name)
 *   description  episode description
 *   captions     WebVTT file, relative to the CSV's folder
 *   lang         BCP 47 language of the episode (default: the batch's)
 *   id           episode folder name, [a-z0-9-] (default: a slug of the file name)
 * Rows are in publishing order; blank rows are skipped.
 *
 * Folder: every file with a media extension (mp4, mkv, webm, mov, ...) in name order
 * (digits compared as numbers: ep2 before ep10). Sidecars with the same stem:
 * STEM.vtt (captions), STEM.txt (first line: title; the rest: description).
 */
#ifndef SOBRE_SERIES_H
#define SOBRE_SERIES_H

#include "sobre/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Longest episode id kept (a folder name). */
#define SOBRE_SERIES_ID_MAX 64

typedef struct SobreEpisodeEntry {
    char id[SOBRE_SERIES_ID_MAX]; /**< folder name under OUT_DIR, unique in the series */
    char *file;                   /**< master path as written (relative to the series base) */
    char *path;                   /**< master path to open (base folder joined) */
    char *title;                  /**< NULL: let encode choose */
    char *description;            /**< NULL: none */
    char *captions;               /**< captions as written, NULL if none */
    char *captions_path;          /**< captions path to open, NULL if none */
    char *language;               /**< NULL: the batch's default */
    int line;                     /**< CSV line of the row (1-based), 0 for a folder entry */
} SobreEpisodeEntry;

typedef struct SobreSeries {
    char *source; /**< the CSV file or folder it was read from */
    char *base;   /**< folder relative paths are resolved against */
    SobreEpisodeEntry *episodes;
    int nb_episodes;
} SobreSeries;

/**
 * Reads a series CSV. Errors (SOBRE_E_PARSE / SOBRE_E_INVALID, detail "FILE:LINE: ...")
 * for: unreadable file, CSV syntax, no header, no `file` column, an unknown column
 * (a typo would silently lose data), a row with no file, two episodes with the same
 * id, an id that is not [a-z0-9-], a file or captions path holding a control
 * character, no episode at all. Does not check that the files exist (encode does,
 * per episode). On failure *out is NULL.
 */
SOBRE_API int sobre_series_read_csv(SobreSeries **out, const char *csv_path, SobreError *err);

/**
 * Lists a folder of masters (see the file comment). Errors: unreadable folder, no
 * media file in it, two masters giving the same id (ep1.mp4 and ep1.mkv).
 */
SOBRE_API int sobre_series_read_dir(SobreSeries **out, const char *dir, SobreError *err);

/** Reads path as a folder if it is one, else as a CSV file. */
SOBRE_API int sobre_series_read(SobreSeries **out, const char *path, SobreError *err);

/** @return the episode with this id, or NULL. */
SOBRE_API const SobreEpisodeEntry *sobre_series_find(const SobreSeries *s, const char *id);

/** Releases the series; NULLs *s. */
SOBRE_API void sobre_series_free(SobreSeries **s);

#ifdef __cplusplus
}
#endif
#endif
