/* A thin, validated view over a libyaml document, shared by the data-file readers
 * (ladder presets, footprint factors). Every getter checks type and range and, on
 * failure, writes "FILE:LINE: field 'x': what is allowed, got 'y'" into the error. */
#ifndef SOBRE_YAMLDOC_H
#define SOBRE_YAMLDOC_H

#include <stddef.h>

#include "sobre/common.h"

typedef struct SobreYaml SobreYaml;

enum { SOBRE_YAML_NONE = 0, SOBRE_YAML_SCALAR, SOBRE_YAML_SEQ, SOBRE_YAML_MAP };

/** Parse a whole file (name is used in messages). Empty documents are an error. */
int sobre_yaml_load_file(SobreYaml **out, const char *path, SobreError *err);
/** Parse a buffer; name is the file name used in messages. */
int sobre_yaml_load_buffer(SobreYaml **out, const char *name, const char *buf, size_t len,
                           SobreError *err);
void sobre_yaml_free(SobreYaml **y);

const char *sobre_yaml_name(const SobreYaml *y);
int sobre_yaml_root(const SobreYaml *y);
int sobre_yaml_type(const SobreYaml *y, int node);
/** 1-based line where node starts. */
int sobre_yaml_line(const SobreYaml *y, int node);
/** Scalar text or NULL when node is not a scalar. */
const char *sobre_yaml_scalar(const SobreYaml *y, int node);

/** Number of items of a sequence or pairs of a mapping (0 otherwise). */
size_t sobre_yaml_len(const SobreYaml *y, int node);
/** i-th item of a sequence (0 when out of range). */
int sobre_yaml_item(const SobreYaml *y, int seq, size_t i);
/** i-th key / value of a mapping (0 when out of range). */
int sobre_yaml_key(const SobreYaml *y, int map, size_t i);
int sobre_yaml_value(const SobreYaml *y, int map, size_t i);
/** Value for key in a mapping, 0 when absent or map is not a mapping. */
int sobre_yaml_get(const SobreYaml *y, int map, const char *key);

/** Fails when node is not a mapping (what = what the mapping describes). */
int sobre_yaml_expect_map(const SobreYaml *y, int node, const char *what, SobreError *err);
/** Fails on the first key of map that is not in allowed (NULL-terminated). */
int sobre_yaml_check_keys(const SobreYaml *y, int map, const char *const *allowed, SobreError *err);

/* Typed getters on map[key]. When the key is absent: required => error, else *out is
 * left unchanged and 0 is returned. */
int sobre_yaml_double(const SobreYaml *y, int map, const char *key, int required, double lo,
                      double hi, double *out, SobreError *err);
int sobre_yaml_int(const SobreYaml *y, int map, const char *key, int required, long lo, long hi,
                   long *out, SobreError *err);
int sobre_yaml_bool(const SobreYaml *y, int map, const char *key, int required, int *out,
                    SobreError *err);
/** Copies a non-empty string of at most size-1 bytes. */
int sobre_yaml_string(const SobreYaml *y, int map, const char *key, int required, char *out,
                      size_t size, SobreError *err);
/** Maps a string to its index in allowed (NULL-terminated). */
int sobre_yaml_enum(const SobreYaml *y, int map, const char *key, int required,
                    const char *const *allowed, int *out, SobreError *err);

#endif
