/* libyaml document loader and validated getters. libyaml does the parsing (anchors,
 * quoting, encodings); this file only walks the node tree and turns type or range
 * mistakes into messages that name the file, the line and what is allowed. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <yaml.h>

#include "error.h"
#include "strbuf.h"
#include "yamldoc.h"

struct SobreYaml {
    yaml_document_t doc;
    char name[512];
};

static yaml_node_t *node_at(const SobreYaml *y, int id)
{
    if (!y || id <= 0)
        return NULL;
    return yaml_document_get_node((yaml_document_t *)&y->doc, id);
}

int sobre_yaml_load_buffer(SobreYaml **out, const char *name, const char *buf, size_t len,
                           SobreError *err)
{
    yaml_parser_t parser;
    SobreYaml *y;
    int ret = 0;

    *out = NULL;
    y = calloc(1, sizeof(*y));
    if (!y)
        return sobre_fail(err, -ENOMEM, "%s: out of memory", name);
    snprintf(y->name, sizeof(y->name), "%s", name);
    if (!yaml_parser_initialize(&parser)) {
        free(y);
        return sobre_fail(err, -ENOMEM, "%s: out of memory", name);
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)buf, len);
    if (!yaml_parser_load(&parser, &y->doc)) {
        ret = sobre_fail(err, SOBRE_E_PARSE, "%s:%zu:%zu: not valid YAML: %s", name,
                         parser.problem_mark.line + 1, parser.problem_mark.column + 1,
                         parser.problem ? parser.problem : "syntax error");
        yaml_parser_delete(&parser);
        free(y);
        return ret;
    }
    yaml_parser_delete(&parser);
    if (!yaml_document_get_root_node(&y->doc)) {
        yaml_document_delete(&y->doc);
        free(y);
        return sobre_fail(err, SOBRE_E_PARSE, "%s: the file is empty", name);
    }
    *out = y;
    return 0;
}

int sobre_yaml_load_file(SobreYaml **out, const char *path, SobreError *err)
{
    char *buf;
    size_t len;
    int ret;

    *out = NULL;
    if ((ret = sobre_file_read(path, 16u << 20, "data file", &buf, &len, err)) < 0)
        return ret;
    if (memchr(buf, '\0', len)) {
        free(buf);
        return sobre_fail(err, SOBRE_E_PARSE, "%s: binary data (NUL byte), not a YAML file", path);
    }
    ret = sobre_yaml_load_buffer(out, path, buf, len, err);
    free(buf);
    return ret;
}

void sobre_yaml_free(SobreYaml **y)
{
    if (!y || !*y)
        return;
    yaml_document_delete(&(*y)->doc);
    free(*y);
    *y = NULL;
}

const char *sobre_yaml_name(const SobreYaml *y)
{
    return y ? y->name : "";
}

int sobre_yaml_root(const SobreYaml *y)
{
    return y ? 1 : 0; /* libyaml numbers nodes from 1; the root is the first one */
}

int sobre_yaml_type(const SobreYaml *y, int id)
{
    yaml_node_t *n = node_at(y, id);
    if (!n)
        return SOBRE_YAML_NONE;
    switch (n->type) {
    case YAML_SCALAR_NODE:
        return SOBRE_YAML_SCALAR;
    case YAML_SEQUENCE_NODE:
        return SOBRE_YAML_SEQ;
    case YAML_MAPPING_NODE:
        return SOBRE_YAML_MAP;
    default:
        return SOBRE_YAML_NONE;
    }
}

int sobre_yaml_line(const SobreYaml *y, int id)
{
    yaml_node_t *n = node_at(y, id);
    return n ? (int)n->start_mark.line + 1 : 0;
}

const char *sobre_yaml_scalar(const SobreYaml *y, int id)
{
    yaml_node_t *n = node_at(y, id);
    if (!n || n->type != YAML_SCALAR_NODE)
        return NULL;
    return (const char *)n->data.scalar.value;
}

size_t sobre_yaml_len(const SobreYaml *y, int id)
{
    yaml_node_t *n = node_at(y, id);
    if (!n)
        return 0;
    if (n->type == YAML_SEQUENCE_NODE)
        return (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
    if (n->type == YAML_MAPPING_NODE)
        return (size_t)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
    return 0;
}

int sobre_yaml_item(const SobreYaml *y, int seq, size_t i)
{
    yaml_node_t *n = node_at(y, seq);
    if (!n || n->type != YAML_SEQUENCE_NODE || i >= sobre_yaml_len(y, seq))
        return 0;
    return n->data.sequence.items.start[i];
}

static yaml_node_pair_t *pair_at(const SobreYaml *y, int map, size_t i)
{
    yaml_node_t *n = node_at(y, map);
    if (!n || n->type != YAML_MAPPING_NODE || i >= sobre_yaml_len(y, map))
        return NULL;
    return &n->data.mapping.pairs.start[i];
}

int sobre_yaml_key(const SobreYaml *y, int map, size_t i)
{
    yaml_node_pair_t *p = pair_at(y, map, i);
    return p ? p->key : 0;
}

int sobre_yaml_value(const SobreYaml *y, int map, size_t i)
{
    yaml_node_pair_t *p = pair_at(y, map, i);
    return p ? p->value : 0;
}

int sobre_yaml_get(const SobreYaml *y, int map, const char *key)
{
    size_t n = sobre_yaml_len(y, map);
    if (sobre_yaml_type(y, map) != SOBRE_YAML_MAP)
        return 0;
    for (size_t i = 0; i < n; i++) {
        const char *k = sobre_yaml_scalar(y, sobre_yaml_key(y, map, i));
        if (k && !strcmp(k, key))
            return sobre_yaml_value(y, map, i);
    }
    return 0;
}

int sobre_yaml_expect_map(const SobreYaml *y, int node, const char *what, SobreError *err)
{
    if (sobre_yaml_type(y, node) == SOBRE_YAML_MAP)
        return 0;
    return sobre_fail(err, SOBRE_E_INVALID, "%s:%d: %s must be a mapping of 'key: value' lines",
                      y->name, sobre_yaml_line(y, node), what);
}

int sobre_yaml_check_keys(const SobreYaml *y, int map, const char *const *allowed, SobreError *err)
{
    size_t n = sobre_yaml_len(y, map);
    for (size_t i = 0; i < n; i++) {
        int k = sobre_yaml_key(y, map, i);
        const char *name = sobre_yaml_scalar(y, k);
        int ok = 0;
        char list[512] = "";
        size_t used = 0;
        for (const char *const *a = allowed; name && *a; a++)
            if (!strcmp(*a, name))
                ok = 1;
        for (size_t j = 0; ok && j < i; j++) {
            const char *prev = sobre_yaml_scalar(y, sobre_yaml_key(y, map, j));
            if (prev && !strcmp(prev, name))
                return sobre_fail(err, SOBRE_E_INVALID, "%s:%d: field '%s' is given twice", y->name,
                                  sobre_yaml_line(y, k), name);
        }
        if (ok)
            continue;
        for (const char *const *a = allowed; *a && used < sizeof(list) - 1; a++) {
            int w = snprintf(list + used, sizeof(list) - used, "%s%s", used ? ", " : "", *a);
            if (w < 0)
                break;
            used += (size_t)w;
        }
        return sobre_fail(err, SOBRE_E_INVALID, "%s:%d: unknown field '%s'; allowed: %s", y->name,
                          sobre_yaml_line(y, k), name ? name : "(not a name)", list);
    }
    return 0;
}

/* Looks up map[key] and makes sure it is a scalar. Returns 1 when found, 0 when absent
 * (an error if required), negative on error. */
static int scalar_field(const SobreYaml *y, int map, const char *key, int required,
                        const char **text, int *line, SobreError *err)
{
    int v = sobre_yaml_get(y, map, key);
    if (!v) {
        if (required)
            return sobre_fail(err, SOBRE_E_INVALID, "%s:%d: missing field '%s'", y->name,
                              sobre_yaml_line(y, map), key);
        return 0;
    }
    *line = sobre_yaml_line(y, v);
    *text = sobre_yaml_scalar(y, v);
    if (!*text)
        return sobre_fail(err, SOBRE_E_INVALID, "%s:%d: field '%s' must be a single value", y->name,
                          *line, key);
    return 1;
}

int sobre_yaml_double(const SobreYaml *y, int map, const char *key, int required, double lo,
                      double hi, double *out, SobreError *err)
{
    const char *t;
    char *end;
    int line, r = scalar_field(y, map, key, required, &t, &line, err);
    double v;
    if (r <= 0)
        return r;
    errno = 0;
    v = strtod(t, &end);
    if (end == t || *end || errno || !isfinite(v) || v < lo || v > hi)
        return sobre_fail(err, SOBRE_E_INVALID,
                          "%s:%d: field '%s' must be a number from %g to %g, got '%s'", y->name,
                          line, key, lo, hi, t);
    *out = v;
    return 0;
}

int sobre_yaml_int(const SobreYaml *y, int map, const char *key, int required, long lo, long hi,
                   long *out, SobreError *err)
{
    const char *t;
    char *end;
    int line, r = scalar_field(y, map, key, required, &t, &line, err);
    long v;
    if (r <= 0)
        return r;
    errno = 0;
    v = strtol(t, &end, 10);
    if (end == t || *end || errno || v < lo || v > hi)
        return sobre_fail(err, SOBRE_E_INVALID,
                          "%s:%d: field '%s' must be a whole number from %ld to %ld, got '%s'",
                          y->name, line, key, lo, hi, t);
    *out = v;
    return 0;
}

int sobre_yaml_bool(const SobreYaml *y, int map, const char *key, int required, int *out,
                    SobreError *err)
{
    const char *t;
    int line, r = scalar_field(y, map, key, required, &t, &line, err);
    if (r <= 0)
        return r;
    if (!strcasecmp(t, "true") || !strcasecmp(t, "yes") || !strcasecmp(t, "on")) {
        *out = 1;
        return 0;
    }
    if (!strcasecmp(t, "false") || !strcasecmp(t, "no") || !strcasecmp(t, "off")) {
        *out = 0;
        return 0;
    }
    return sobre_fail(err, SOBRE_E_INVALID, "%s:%d: field '%s' must be true or false, got '%s'",
                      y->name, line, key, t);
}

int sobre_yaml_string(const SobreYaml *y, int map, const char *key, int required, char *out,
                      size_t size, SobreError *err)
{
    const char *t;
    int line, r = scalar_field(y, map, key, required, &t, &line, err);
    size_t len;
    if (r <= 0)
        return r;
    len = strlen(t);
    if (len == 0 || len >= size)
        return sobre_fail(err, SOBRE_E_INVALID,
                          "%s:%d: field '%s' must be a text of 1 to %zu characters", y->name, line,
                          key, size - 1);
    memcpy(out, t, len + 1);
    return 0;
}

int sobre_yaml_enum(const SobreYaml *y, int map, const char *key, int required,
                    const char *const *allowed, int *out, SobreError *err)
{
    const char *t;
    int line, r = scalar_field(y, map, key, required, &t, &line, err);
    char list[512] = "";
    size_t used = 0;
    if (r <= 0)
        return r;
    for (int i = 0; allowed[i]; i++)
        if (!strcmp(allowed[i], t)) {
            *out = i;
            return 0;
        }
    for (int i = 0; allowed[i] && used < sizeof(list) - 1; i++) {
        int w = snprintf(list + used, sizeof(list) - used, "%s%s", i ? ", " : "", allowed[i]);
        if (w < 0)
            break;
        used += (size_t)w;
    }
    return sobre_fail(err, SOBRE_E_INVALID, "%s:%d: field '%s' must be one of %s, got '%s'",
                      y->name, line, key, list, t);
}
