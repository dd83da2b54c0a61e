/* A series read from a CSV (libcsv, RFC 4180; ';' accepted for spreadsheets set to
 * French) or from a folder of masters with sidecars. Everything a row holds is checked
 * here, before any encode starts, so a typo fails the batch at once with its row. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <csv.h>

#include "error.h"
#include "sobre/series.h"
#include "strbuf.h"

enum { COL_FILE, COL_TITLE, COL_DESCRIPTION, COL_CAPTIONS, COL_LANG, COL_ID, NB_COLS };
static const char *const column_names[NB_COLS] = {"file",     "title", "description",
                                                  "captions", "lang",  "id"};

/* What the libcsv callbacks fill: the header's column map, then one row at a time. */
typedef struct CsvState {
    SobreSeries *series;
    const char *name;
    SobreError *err;
    int ret;
    int row;     /* 1 = header */
    int field;   /* index in the current row */
    int map[32]; /* column index -> COL_*, -1 ignored (only for empty header cells) */
    int nb_map;
    char *cells[NB_COLS];
} CsvState;

static char *dup_or_null(const char *s)
{
    return s && s[0] ? strdup(s) : NULL;
}

static char *join_path(const char *base, const char *rel)
{
    size_t n;
    char *p;
    if (!rel)
        return NULL;
    if (rel[0] == '/' || !base || !base[0] || !strcmp(base, "."))
        return strdup(rel);
    n = strlen(base) + strlen(rel) + 2;
    if ((p = malloc(n)))
        snprintf(p, n, "%s/%s", base, rel);
    return p;
}

static int valid_id(const char *id)
{
    size_t n = strlen(id);
    if (n == 0 || n >= SOBRE_SERIES_ID_MAX || id[0] == '-')
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!(islower((unsigned char)id[i]) || isdigit((unsigned char)id[i]) || id[i] == '-'))
            return 0;
    return 1;
}

static int has_control(const char *s)
{
    for (; s && *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            return 1;
    return 0;
}

/* Default id: slug of the file name without folder and extension. */
static void id_from_file(const char *file, char *out, size_t size)
{
    const char *base = strrchr(file, '/');
    char stem[512];
    char *dot;
    snprintf(stem, sizeof(stem), "%s", base ? base + 1 : file);
    if ((dot = strrchr(stem, '.')) && dot != stem)
        *dot = '\0';
    sobre_slugify(stem, out, size);
}

static SobreEpisodeEntry *add_episode(SobreSeries *s)
{
    SobreEpisodeEntry *n = realloc(s->episodes, (size_t)(s->nb_episodes + 1) * sizeof(*n));
    if (!n)
        return NULL;
    s->episodes = n;
    memset(&n[s->nb_episodes], 0, sizeof(*n));
    return &n[s->nb_episodes++];
}

static void entry_free(SobreEpisodeEntry *e)
{
    free(e->file);
    free(e->path);
    free(e->title);
    free(e->description);
    free(e->captions);
    free(e->captions_path);
    free(e->language);
}

/* Checks one episode (id, paths) against the ones before it; where is "FILE: row N" or
 * "FOLDER/NAME". */
static int check_episode(const SobreSeries *s, const SobreEpisodeEntry *e, const char *where,
                         SobreError *err)
{
    if (!valid_id(e->id))
        return sobre_fail(err, SOBRE_E_INVALID,
                          "%s: id '%s' must be 1 to %d characters among a-z, 0-9 and '-' "
                          "(it names the episode folder)",
                          where, e->id, SOBRE_SERIES_ID_MAX - 1);
    if (has_control(e->file) || has_control(e->captions))
        return sobre_fail(err, SOBRE_E_INVALID, "%s: a file name holds a control character", where);
    if (e->language) {
        size_t n = strlen(e->language);
        int ok = n > 0 && n < 36;
        for (const char *c = e->language; *c; c++)
            ok &= isalnum((unsigned char)*c) || *c == '-';
        if (!ok)
            return sobre_fail(err, SOBRE_E_INVALID,
                              "%s: lang '%s' is not a language tag (e.g. fr, en, fr-FR)", where,
                              e->language);
    }
    for (const SobreEpisodeEntry *o = s->episodes; o < e; o++)
        if (!strcmp(o->id, e->id))
            return sobre_fail(err, SOBRE_E_INVALID,
                              "%s: episode id '%s' is used twice (%s and %s); give each "
                              "row its own id",
                              where, e->id, o->file, e->file);
    return 0;
}

static void on_field(void *data, size_t len, void *opaque)
{
    CsvState *st = opaque;
    const char *text = data ? data : "";
    int col;

    if (st->ret < 0)
        return;
    if (memchr(text, '\0', len) || !sobre_utf8_valid(text, len)) {
        st->ret = sobre_fail(st->err, SOBRE_E_PARSE,
                             "%s: row %d, field %d is not UTF-8 text (save the sheet as "
                             "\"CSV UTF-8\")",
                             st->name, st->row, st->field + 1);
        return;
    }
    if (st->row == 1) {
        if (st->field == 0 && len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3))
            text += 3, len -= 3; /* byte-order mark of spreadsheet exports */
        if (st->nb_map >= (int)(sizeof(st->map) / sizeof(st->map[0]))) {
            st->ret = sobre_fail(st->err, SOBRE_E_PARSE, "%s: too many columns", st->name);
            return;
        }
        col = -1;
        for (int i = 0; i < NB_COLS; i++)
            if (strlen(column_names[i]) == len && !strncasecmp(text, column_names[i], len))
                col = i;
        if (col < 0 && len > 0) {
            st->ret = sobre_fail(st->err, SOBRE_E_PARSE,
                                 "%s: unknown column '%.*s' (columns: file, title, description, "
                                 "captions, lang, id)",
                                 st->name, (int)(len > 40 ? 40 : len), text);
            return;
        }
        for (int i = 0; col >= 0 && i < st->nb_map; i++)
            if (st->map[i] == col) {
                st->ret = sobre_fail(st->err, SOBRE_E_PARSE, "%s: column '%s' appears twice",
                                     st->name, column_names[col]);
                return;
            }
        st->map[st->nb_map++] = col;
    } else if (st->field < st->nb_map) {
        if ((col = st->map[st->field]) >= 0) {
            free(st->cells[col]);
            if (!(st->cells[col] = strndup(text, len)))
                st->ret = sobre_fail(st->err, -ENOMEM, "%s: out of memory", st->name);
        }
    } else if (len > 0) {
        st->ret =
            sobre_fail(st->err, SOBRE_E_PARSE, "%s: row %d has more fields than the header (%d)",
                       st->name, st->row, st->nb_map);
    }
    st->field++;
}

static int take_row(CsvState *st)
{
    SobreSeries *s = st->series;
    SobreEpisodeEntry *e;
    char where[600];
    int blank = 1;

    for (int i = 0; i < NB_COLS; i++)
        if (st->cells[i] && st->cells[i][0])
            blank = 0;
    if (blank)
        return 0;
    snprintf(where, sizeof(where), "%s: row %d", st->name, st->row);
    if (!st->cells[COL_FILE] || !st->cells[COL_FILE][0])
        return sobre_fail(st->err, SOBRE_E_INVALID, "%s: no file given", where);
    if (!(e = add_episode(s)))
        return sobre_fail(st->err, -ENOMEM, "%s: out of memory", where);
    e->line = st->row;
    e->file = strdup(st->cells[COL_FILE]);
    e->path = join_path(s->base, e->file);
    e->title = dup_or_null(st->cells[COL_TITLE]);
    e->description = dup_or_null(st->cells[COL_DESCRIPTION]);
    e->captions = dup_or_null(st->cells[COL_CAPTIONS]);
    e->captions_path = join_path(s->base, e->captions);
    e->language = dup_or_null(st->cells[COL_LANG]);
    if (!e->file || !e->path || (e->captions && !e->captions_path))
        return sobre_fail(st->err, -ENOMEM, "%s: out of memory", where);
    if (st->cells[COL_ID] && st->cells[COL_ID][0])
        snprintf(e->id, sizeof(e->id), "%.*s", SOBRE_SERIES_ID_MAX - 1, st->cells[COL_ID]);
    else
        id_from_file(e->file, e->id, sizeof(e->id));
    if (st->cells[COL_ID] && strlen(st->cells[COL_ID]) >= SOBRE_SERIES_ID_MAX)
        return sobre_fail(st->err, SOBRE_E_INVALID, "%s: id longer than %d characters", where,
                          SOBRE_SERIES_ID_MAX - 1);
    return check_episode(s, e, where, st->err);
}

static void on_row(int c, void *opaque)
{
    CsvState *st = opaque;
    (void)c;
    if (st->ret >= 0 && st->row == 1) {
        int named = 0;
        for (int i = 0; i < st->nb_map; i++)
            named |= st->map[i] == COL_FILE;
        if (!named)
            st->ret = sobre_fail(st->err, SOBRE_E_PARSE,
                                 "%s: the first row must name the columns, with at least "
                                 "'file' (e.g. file,title,description,captions)",
                                 st->name);
    } else if (st->ret >= 0) {
        st->ret = take_row(st);
    }
    for (int i = 0; i < NB_COLS; i++) {
        free(st->cells[i]);
        st->cells[i] = NULL;
    }
    st->row++;
    st->field = 0;
}

/* Spreadsheets set to French write ';' between fields: use it when the header line has
 * a ';' and no ','. */
static unsigned char guess_delimiter(const char *text, size_t len)
{
    const char *nl = memchr(text, '\n', len);
    size_t n = nl ? (size_t)(nl - text) : len;
    return memchr(text, ';', n) && !memchr(text, ',', n) ? ';' : ',';
}

static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return strdup(".");
    if (slash == path)
        return strdup("/");
    return strndup(path, (size_t)(slash - path));
}

static int parse_csv(SobreSeries *s, const char *name, const char *text, size_t len,
                     SobreError *err)
{
    struct csv_parser p;
    CsvState st;
    size_t done;

    memset(&st, 0, sizeof(st));
    st.series = s;
    st.name = name;
    st.err = err;
    st.row = 1;
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
        return sobre_fail(err, -ENOMEM, "%s: out of memory", name);
    csv_set_delim(&p, guess_delimiter(text, len));
    done = csv_parse(&p, text, len, on_field, on_row, &st);
    if (st.ret >= 0 && done != len)
        st.ret = sobre_fail(err, SOBRE_E_PARSE,
                            "%s: row %d: %s (a quote inside a field must be "
                            "doubled, and the field quoted)",
                            name, st.row, csv_strerror(csv_error(&p)));
    if (st.ret >= 0 && csv_fini(&p, on_field, on_row, &st) != 0 && st.ret >= 0)
        st.ret =
            sobre_fail(err, SOBRE_E_PARSE, "%s: row %d: unterminated quoted field", name, st.row);
    csv_free(&p);
    for (int i = 0; i < NB_COLS; i++)
        free(st.cells[i]);
    if (st.ret >= 0 && st.row == 1)
        st.ret = sobre_fail(err, SOBRE_E_PARSE, "%s: empty file (expected a header row)", name);
    if (st.ret >= 0 && s->nb_episodes == 0)
        st.ret = sobre_fail(err, SOBRE_E_INVALID, "%s: no episode (only a header row)", name);
    return st.ret;
}

static SobreSeries *series_new(const char *source, char *base)
{
    SobreSeries *s = calloc(1, sizeof(*s));
    if (!s || !base || !(s->source = strdup(source))) {
        free(base);
        free(s);
        return NULL;
    }
    s->base = base;
    return s;
}

int sobre_series_read_csv(SobreSeries **out, const char *csv_path, SobreError *err)
{
    SobreSeries *s;
    char *text;
    size_t len;
    int ret;

    *out = NULL;
    if ((ret = sobre_file_read(csv_path, 4u << 20, "series CSV", &text, &len, err)) < 0)
        return ret;
    if (!(s = series_new(csv_path, dir_of(csv_path)))) {
        free(text);
        return sobre_fail(err, -ENOMEM, "%s: out of memory", csv_path);
    }
    ret = parse_csv(s, csv_path, text, len, err);
    free(text);
    if (ret < 0) {
        sobre_series_free(&s);
        return ret;
    }
    *out = s;
    return 0;
}

/* ---- a folder of masters ---- */

static const char *const media_ext[] = {
    "mp4", "m4v", "mkv", "webm", "mov", "avi", "mpg", "mpeg", "ts",  "mts",  "m2ts", "mxf", "wmv",
    "flv", "ogv", "3gp", "dv",   "wav", "mp3", "m4a", "flac", "ogg", "opus", "aac",  "mka"};

static int is_media_name(const char *name)
{
    const char *dot = strrchr(name, '.');
    if (name[0] == '.' || !dot)
        return 0;
    for (size_t i = 0; i < sizeof(media_ext) / sizeof(media_ext[0]); i++)
        if (!strcasecmp(dot + 1, media_ext[i]))
            return 1;
    return 0;
}

/* Name order with digit runs compared as numbers: "ep2" < "ep10". */
static int natural_cmp(const void *a, const void *b)
{
    const char *x = *(const char *const *)a, *y = *(const char *const *)b;
    while (*x && *y) {
        if (isdigit((unsigned char)*x) && isdigit((unsigned char)*y)) {
            char *ex, *ey;
            unsigned long long nx = strtoull(x, &ex, 10), ny = strtoull(y, &ey, 10);
            if (nx != ny)
                return nx < ny ? -1 : 1;
            x = ex, y = ey;
        } else {
            if (*x != *y)
                return (unsigned char)*x < (unsigned char)*y ? -1 : 1;
            x++, y++;
        }
    }
    return *x ? 1 : *y ? -1 : 0;
}

/* Sidecar STEM.txt: first line the title, what follows (trimmed) the description. */
static int read_sidecar_text(SobreEpisodeEntry *e, const char *txt, SobreError *err)
{
    char *text, *nl, *desc;
    size_t len;
    int ret = sobre_file_read(txt, 64u << 10, "sidecar text file", &text, &len, err);
    if (ret < 0)
        return ret;
    if (memchr(text, '\0', len) || !sobre_utf8_valid(text, len)) {
        free(text);
        return sobre_fail(err, SOBRE_E_PARSE, "%s: not UTF-8 text", txt);
    }
    desc = text + len;
    if ((nl = strchr(text, '\n'))) {
        *nl = '\0';
        desc = nl + 1;
    }
    if (nl && nl > text && nl[-1] == '\r')
        nl[-1] = '\0';
    while (*desc == '\n' || *desc == '\r' || *desc == ' ')
        desc++;
    for (char *end = desc + strlen(desc); end > desc && isspace((unsigned char)end[-1]);)
        *--end = '\0';
    e->title = dup_or_null(text + (!strncmp(text, "\xEF\xBB\xBF", 3) ? 3 : 0));
    e->description = dup_or_null(desc);
    free(text);
    return 0;
}

static int exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static int dir_entry(SobreSeries *s, const char *name, SobreError *err)
{
    SobreEpisodeEntry *e = add_episode(s);
    char stem[1024], side[4352], where[4352];
    char *dot;
    int ret;

    if (!e)
        return sobre_fail(err, -ENOMEM, "%s: out of memory", s->source);
    snprintf(where, sizeof(where), "%s/%s", s->base, name);
    if (!(e->file = strdup(name)) || !(e->path = join_path(s->base, name)))
        return sobre_fail(err, -ENOMEM, "%s: out of memory", where);
    snprintf(stem, sizeof(stem), "%s", name);
    if ((dot = strrchr(stem, '.')))
        *dot = '\0';
    id_from_file(name, e->id, sizeof(e->id));
    snprintf(side, sizeof(side), "%s/%s.vtt", s->base, stem);
    if (exists(side)) {
        snprintf(side, sizeof(side), "%s.vtt", stem);
        e->captions = strdup(side);
        e->captions_path = join_path(s->base, side);
        if (!e->captions || !e->captions_path)
            return sobre_fail(err, -ENOMEM, "%s: out of memory", where);
    }
    snprintf(side, sizeof(side), "%s/%s.txt", s->base, stem);
    if (exists(side) && (ret = read_sidecar_text(e, side, err)) < 0)
        return ret;
    return check_episode(s, e, where, err);
}

int sobre_series_read_dir(SobreSeries **out, const char *dir, SobreError *err)
{
    SobreSeries *s;
    DIR *d;
    struct dirent *de;
    char **names = NULL;
    int nb = 0, ret = 0;
    size_t n = strlen(dir);

    *out = NULL;
    while (n > 1 && dir[n - 1] == '/')
        n--;
    if (!(d = opendir(dir)))
        return sobre_fail(err, -errno, "%s: cannot open folder: %s", dir, strerror(errno));
    if (!(s = series_new(dir, strndup(dir, n)))) {
        closedir(d);
        return sobre_fail(err, -ENOMEM, "%s: out of memory", dir);
    }
    while ((de = readdir(d))) {
        char full[4352], **grown;
        snprintf(full, sizeof(full), "%s/%s", s->base, de->d_name);
        if (!is_media_name(de->d_name) || !exists(full))
            continue;
        if (!(grown = realloc(names, (size_t)(nb + 1) * sizeof(*names))) ||
            !(grown[nb] = strdup(de->d_name))) {
            names = grown ? grown : names;
            ret = sobre_fail(err, -ENOMEM, "%s: out of memory", dir);
            break;
        }
        names = grown;
        nb++;
    }
    closedir(d);
    if (ret == 0 && nb == 0)
        ret = sobre_fail(err, SOBRE_E_INVALID,
                         "%s: no media file in this folder (looked for .mp4, .mkv, .webm, "
                         ".mov, ... files)",
                         dir);
    if (ret == 0)
        qsort(names, (size_t)nb, sizeof(*names), natural_cmp);
    for (int i = 0; i < nb; i++) {
        if (ret == 0)
            ret = dir_entry(s, names[i], err);
        free(names[i]);
    }
    free(names);
    if (ret < 0) {
        sobre_series_free(&s);
        return ret;
    }
    *out = s;
    return 0;
}

int sobre_series_read(SobreSeries **out, const char *path, SobreError *err)
{
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        return sobre_series_read_dir(out, path, err);
    return sobre_series_read_csv(out, path, err);
}

const SobreEpisodeEntry *sobre_series_find(const SobreSeries *s, const char *id)
{
    for (int i = 0; s && i < s->nb_episodes; i++)
        if (!strcmp(s->episodes[i].id, id))
            return &s->episodes[i];
    return NULL;
}

void sobre_series_free(SobreSeries **s)
{
    if (!s || !*s)
        return;
    for (int i = 0; i < (*s)->nb_episodes; i++)
        entry_free(&(*s)->episodes[i]);
    free((*s)->episodes);
    free((*s)->source);
    free((*s)->base);
    free(*s);
    *s = NULL;
}
