/* report.json reader and writer (jansson). Modelled members are checked on load and
 * regenerated on save; everything else is carried through untouched in `priv`, so the
 * quality and footprint sections survive any tool rewriting the report. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

#include "error.h"
#include "sobre/report.h"
#include "strbuf.h"

typedef struct ReportPriv {
    json_t *top;                               /* unmodelled top-level members */
    json_t *rend[SOBRE_REPORT_MAX_RENDITIONS]; /* unmodelled rendition members */
} ReportPriv;

static const char *const top_keys[] = {"schema",      "sobre_version", "created",  "title",
                                       "description", "language",      "source",   "preset",
                                       "encode",      "poster",        "captions", "renditions",
                                       "skipped",     "notes",         NULL};
static const char *const rend_keys[] = {
    "id",         "label",       "kind",  "role",  "file",  "container", "mime",          "bytes",
    "duration_s", "bitrate_bps", "video", "audio", "cpu_s", "wall_s",    "settings_hash", NULL};

static int in_list(const char *key, const char *const *list)
{
    for (; *list; list++)
        if (!strcmp(*list, key))
            return 1;
    return 0;
}

int sobre_report_safe_name(const char *name)
{
    if (!name || !name[0] || name[0] == '.' || strlen(name) > 120)
        return 0;
    for (const char *p = name; *p; p++)
        if (*p == '/' || *p == '\\' || (unsigned char)*p < 0x20)
            return 0;
    return 1;
}

static char *dup_str(const char *s)
{
    size_t n = strlen(s ? s : "");
    char *d = malloc(n + 1);
    if (d)
        memcpy(d, s ? s : "", n + 1);
    return d;
}

int sobre_report_new(SobreReport **out, SobreError *err)
{
    SobreReport *r = calloc(1, sizeof(*r));
    ReportPriv *p = calloc(1, sizeof(*p));
    *out = NULL;
    if (!r || !p || !(r->title = dup_str("")) || !(r->description = dup_str(""))) {
        free(p);
        if (r) {
            free(r->title);
            free(r);
        }
        return sobre_fail(err, -ENOMEM, "out of memory");
    }
    r->priv = p;
    r->encode.energy_uj = -1;
    snprintf(r->sobre_version, sizeof(r->sobre_version), "%s", SOBRE_VERSION_STRING);
    *out = r;
    return 0;
}

void sobre_report_free(SobreReport **rp)
{
    SobreReport *r = rp ? *rp : NULL;
    if (!r)
        return;
    if (r->priv) {
        ReportPriv *p = r->priv;
        json_decref(p->top);
        for (int i = 0; i < SOBRE_REPORT_MAX_RENDITIONS; i++)
            json_decref(p->rend[i]);
        free(p);
    }
    for (int i = 0; i < r->nb_notes; i++)
        free(r->notes[i]);
    free(r->notes);
    free(r->title);
    free(r->description);
    free(r);
    *rp = NULL;
}

/* ---- reading ---- */

typedef struct Reader {
    const char *name; /* file name for messages */
    SobreError *err;
    int ret;
} Reader;

static int rfail(Reader *rd, const char *where, const char *what)
{
    if (!rd->ret)
        rd->ret = sobre_fail(rd->err, SOBRE_E_INVALID, "%s: member '%s' %s", rd->name, where, what);
    return rd->ret;
}

static void get_str(Reader *rd, json_t *o, const char *key, char *out, size_t size, int required)
{
    json_t *v = json_object_get(o, key);
    if (!v) {
        if (required)
            rfail(rd, key, "is missing");
        return;
    }
    if (!json_is_string(v)) {
        rfail(rd, key, "must be a text");
        return;
    }
    if (json_string_length(v) >= size) {
        rfail(rd, key, "is too long");
        return;
    }
    memcpy(out, json_string_value(v), json_string_length(v) + 1);
}

static void get_num(Reader *rd, json_t *o, const char *key, double *out, int required)
{
    json_t *v = json_object_get(o, key);
    if (!v || json_is_null(v)) {
        if (required)
            rfail(rd, key, "is missing");
        return;
    }
    if (!json_is_number(v) || json_number_value(v) < 0) {
        rfail(rd, key, "must be a number >= 0");
        return;
    }
    *out = json_number_value(v);
}

/* A time on the source's clock: negative is legitimate (Matroska and MP4 with an edit
 * list start before zero when the audio has encoder delay), so only finiteness is
 * checked. 'sobre encode' of such a file wrote a report publish then refused. */
static void get_time(Reader *rd, json_t *o, const char *key, double *out)
{
    json_t *v = json_object_get(o, key);
    if (!v || json_is_null(v))
        return;
    if (!json_is_number(v) || !isfinite(json_number_value(v))) {
        rfail(rd, key, "must be a number");
        return;
    }
    *out = json_number_value(v);
}

static void get_int64(Reader *rd, json_t *o, const char *key, int64_t *out, int required)
{
    json_t *v = json_object_get(o, key);
    if (!v || json_is_null(v)) {
        if (required)
            rfail(rd, key, "is missing");
        return;
    }
    if (!json_is_integer(v) || json_integer_value(v) < 0) {
        rfail(rd, key, "must be a whole number >= 0");
        return;
    }
    *out = (int64_t)json_integer_value(v);
}

static void get_int(Reader *rd, json_t *o, const char *key, int *out)
{
    json_t *v = json_object_get(o, key);
    if (!v || json_is_null(v))
        return;
    if (!json_is_integer(v) || json_integer_value(v) < -1 || json_integer_value(v) > 1000000000) {
        rfail(rd, key, "must be a whole number");
        return;
    }
    *out = (int)json_integer_value(v);
}

static void get_bool(json_t *o, const char *key, int *out)
{
    json_t *v = json_object_get(o, key);
    if (json_is_boolean(v))
        *out = json_is_true(v);
}

static void read_video(Reader *rd, json_t *o, SobreReportVideo *v)
{
    v->crf = -1;
    if (!json_is_object(o))
        return;
    get_str(rd, o, "codec", v->codec, sizeof(v->codec), 0);
    get_int(rd, o, "width", &v->width);
    get_int(rd, o, "height", &v->height);
    get_int(rd, o, "display_width", &v->display_width);
    get_int(rd, o, "display_height", &v->display_height);
    get_num(rd, o, "fps", &v->fps, 0);
    get_bool(o, "vfr", &v->vfr);
    get_bool(o, "interlaced", &v->interlaced);
    get_int(rd, o, "rotation", &v->rotation);
    get_str(rd, o, "pix_fmt", v->pix_fmt, sizeof(v->pix_fmt), 0);
    get_int(rd, o, "crf", &v->crf);
    get_int(rd, o, "max_kbps", &v->max_kbps);
    get_int(rd, o, "keyint_frames", &v->keyint_frames);
    get_int(rd, o, "threads", &v->threads);
    get_str(rd, o, "x264_params", v->x264_params, sizeof(v->x264_params), 0);
    get_num(rd, o, "keyint_s", &v->keyint_s, 0);
    get_int64(rd, o, "bitrate_bps", &v->bitrate_bps, 0);
}

static void read_audio(Reader *rd, json_t *o, SobreReportAudio *a)
{
    if (!json_is_object(o))
        return;
    get_str(rd, o, "codec", a->codec, sizeof(a->codec), 0);
    get_int(rd, o, "channels", &a->channels);
    get_int(rd, o, "sample_rate", &a->sample_rate);
    get_int64(rd, o, "bitrate_bps", &a->bitrate_bps, 0);
    get_str(rd, o, "layout", a->layout, sizeof(a->layout), 0);
}

static void check_file(Reader *rd, const char *key, const char *file)
{
    if (!rd->ret && !sobre_report_safe_name(file))
        rfail(rd, key, "must be a plain file name inside the episode folder");
}

static void read_rendition(Reader *rd, json_t *o, SobreReportRendition *r, json_t **extra)
{
    const char *key;
    json_t *v;
    if (!json_is_object(o)) {
        rfail(rd, "renditions", "must hold objects");
        return;
    }
    get_str(rd, o, "id", r->id, sizeof(r->id), 1);
    get_str(rd, o, "label", r->label, sizeof(r->label), 0);
    get_str(rd, o, "kind", r->kind, sizeof(r->kind), 1);
    get_str(rd, o, "role", r->role, sizeof(r->role), 1);
    get_str(rd, o, "file", r->file, sizeof(r->file), 1);
    get_str(rd, o, "container", r->container, sizeof(r->container), 0);
    get_str(rd, o, "mime", r->mime, sizeof(r->mime), 1);
    get_int64(rd, o, "bytes", &r->bytes, 1);
    get_num(rd, o, "duration_s", &r->duration_s, 1);
    get_int64(rd, o, "bitrate_bps", &r->bitrate_bps, 1);
    r->has_video = json_is_object(json_object_get(o, "video"));
    r->has_audio = json_is_object(json_object_get(o, "audio"));
    read_video(rd, json_object_get(o, "video"), &r->video);
    read_audio(rd, json_object_get(o, "audio"), &r->audio);
    get_num(rd, o, "cpu_s", &r->cpu_s, 0);
    get_num(rd, o, "wall_s", &r->wall_s, 0);
    get_str(rd, o, "settings_hash", r->settings_hash, sizeof(r->settings_hash), 0);
    if (!rd->ret && strcmp(r->kind, "video") && strcmp(r->kind, "audio"))
        rfail(rd, "kind", "must be \"video\" or \"audio\"");
    check_file(rd, "file", r->file);
    *extra = json_object();
    json_object_foreach(o, key, v)
    {
        if (!in_list(key, rend_keys))
            json_object_set(*extra, key, v);
    }
}

static void read_source(Reader *rd, json_t *o, SobreReport *r)
{
    if (!json_is_object(o)) {
        rfail(rd, "source", "is missing or not an object");
        return;
    }
    get_str(rd, o, "file", r->source.file, sizeof(r->source.file), 1);
    get_int64(rd, o, "bytes", &r->source.bytes, 1);
    get_num(rd, o, "duration_s", &r->source.duration_s, 1);
    get_time(rd, o, "start_time_s", &r->source.start_time_s);
    get_str(rd, o, "container", r->source.container, sizeof(r->source.container), 0);
    get_str(rd, o, "fingerprint", r->source.fingerprint, sizeof(r->source.fingerprint), 0);
    r->source.has_video = json_is_object(json_object_get(o, "video"));
    r->source.has_audio = json_is_object(json_object_get(o, "audio"));
    read_video(rd, json_object_get(o, "video"), &r->source.video);
    read_audio(rd, json_object_get(o, "audio"), &r->source.audio);
}

static void read_misc(Reader *rd, json_t *root, SobreReport *r)
{
    json_t *o, *v;
    size_t i;
    if ((o = json_object_get(root, "preset"))) {
        get_str(rd, o, "name", r->preset.name, sizeof(r->preset.name), 0);
        get_str(rd, o, "file", r->preset.file, sizeof(r->preset.file), 0);
    }
    if ((o = json_object_get(root, "encode"))) {
        json_t *e = json_object_get(o, "energy_uj");
        get_num(rd, o, "wall_s", &r->encode.wall_s, 0);
        get_num(rd, o, "cpu_s", &r->encode.cpu_s, 0);
        get_int(rd, o, "cores", &r->encode.cores);
        if (json_is_integer(e))
            r->encode.energy_uj = json_integer_value(e);
    }
    if ((o = json_object_get(root, "poster")) && json_is_object(o)) {
        r->poster.present = 1;
        get_str(rd, o, "file", r->poster.file, sizeof(r->poster.file), 1);
        get_int(rd, o, "width", &r->poster.width);
        get_int(rd, o, "height", &r->poster.height);
        get_int64(rd, o, "bytes", &r->poster.bytes, 0);
        check_file(rd, "poster.file", r->poster.file);
    }
    json_array_foreach(json_object_get(root, "captions"), i, v)
    {
        SobreReportCaption *c;
        if (r->nb_captions >= SOBRE_REPORT_MAX_CAPTIONS)
            break;
        c = &r->captions[r->nb_captions++];
        get_str(rd, v, "file", c->file, sizeof(c->file), 1);
        get_str(rd, v, "lang", c->lang, sizeof(c->lang), 1);
        get_str(rd, v, "label", c->label, sizeof(c->label), 1);
        get_str(rd, v, "origin", c->origin, sizeof(c->origin), 0);
        check_file(rd, "captions.file", c->file);
    }
    json_array_foreach(json_object_get(root, "skipped"), i, v)
    {
        SobreReportSkip *s;
        if (r->nb_skipped >= SOBRE_REPORT_MAX_RENDITIONS)
            break;
        s = &r->skipped[r->nb_skipped++];
        get_str(rd, v, "id", s->id, sizeof(s->id), 1);
        get_str(rd, v, "reason", s->reason, sizeof(s->reason), 1);
    }
    json_array_foreach(json_object_get(root, "notes"), i, v)
    {
        if (json_is_string(v) && sobre_report_add_note(r, json_string_value(v)) < 0)
            rfail(rd, "notes", "could not be stored (out of memory)");
    }
}

static int read_root(Reader *rd, json_t *root, SobreReport *r)
{
    ReportPriv *p = r->priv;
    char schema[32] = "";
    char title[4096] = "", desc[16384] = "";
    json_t *rends, *v;
    const char *key;
    size_t i;

    if (!json_is_object(root))
        return rfail(rd, "(top)", "must be a JSON object");
    get_str(rd, root, "schema", schema, sizeof(schema), 1);
    if (!rd->ret && strcmp(schema, SOBRE_REPORT_SCHEMA))
        return rfail(rd, "schema",
                     "is not \"" SOBRE_REPORT_SCHEMA "\" (not a sobre report, or a "
                     "newer one)");
    get_str(rd, root, "sobre_version", r->sobre_version, sizeof(r->sobre_version), 0);
    get_str(rd, root, "created", r->created, sizeof(r->created), 0);
    get_str(rd, root, "title", title, sizeof(title), 1);
    get_str(rd, root, "description", desc, sizeof(desc), 0);
    get_str(rd, root, "language", r->language, sizeof(r->language), 0);
    if (!rd->ret && sobre_report_set_text(r, title, desc) < 0)
        return rd->ret = sobre_fail(rd->err, -ENOMEM, "out of memory");
    read_source(rd, json_object_get(root, "source"), r);
    rends = json_object_get(root, "renditions");
    if (!json_is_array(rends))
        return rfail(rd, "renditions", "is missing or not a list");
    if (json_array_size(rends) > SOBRE_REPORT_MAX_RENDITIONS)
        return rfail(rd, "renditions", "has too many entries");
    json_array_foreach(rends, i, v)
    {
        read_rendition(rd, v, &r->renditions[i], &p->rend[i]);
        r->nb_renditions = (int)i + 1;
        if (rd->ret)
            return rd->ret;
    }
    read_misc(rd, root, r);
    p->top = json_object();
    json_object_foreach(root, key, v)
    {
        if (!in_list(key, top_keys))
            json_object_set(p->top, key, v);
    }
    return rd->ret;
}

int sobre_report_parse(SobreReport **out, const char *name, const char *text, size_t len,
                       SobreError *err)
{
    json_error_t jerr;
    json_t *root;
    Reader rd = {name, err, 0};
    int ret;

    *out = NULL;
    root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!root)
        return sobre_fail(err, SOBRE_E_PARSE, "%s:%d:%d: not valid JSON: %s", name, jerr.line,
                          jerr.column, jerr.text);
    ret = sobre_report_new(out, err);
    if (ret == 0)
        ret = read_root(&rd, root, *out);
    json_decref(root);
    if (ret < 0)
        sobre_report_free(out);
    return ret;
}

int sobre_report_load(SobreReport **out, const char *path, SobreError *err)
{
    char file[4096];
    struct stat st;
    FILE *f;
    char *buf;
    size_t got;
    int ret;

    *out = NULL;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        snprintf(file, sizeof(file), "%s/report.json", path);
    else
        snprintf(file, sizeof(file), "%s", path);
    f = fopen(file, "rb");
    if (!f) {
        int e = errno;
        if (e == ENOENT && strcmp(file, path))
            return sobre_fail(err, -e,
                              "%s: no report.json (is this an episode folder made by "
                              "'sobre encode'?)",
                              path);
        return sobre_fail(err, -e, "%s: cannot open: %s", file, strerror(e));
    }
    if (fstat(fileno(f), &st) < 0 || st.st_size > (64 << 20)) {
        fclose(f);
        return sobre_fail(err, SOBRE_E_INVALID, "%s: not a report (larger than 64 MiB)", file);
    }
    buf = malloc((size_t)st.st_size + 1);
    if (!buf) {
        fclose(f);
        return sobre_fail(err, -ENOMEM, "%s: out of memory", file);
    }
    got = fread(buf, 1, (size_t)st.st_size, f);
    fclose(f);
    ret = sobre_report_parse(out, file, buf, got, err);
    free(buf);
    return ret;
}

/* ---- writing ---- */

static json_t *video_json(const SobreReportVideo *v, int source)
{
    json_t *o = json_object();
    json_object_set_new(o, "codec", json_string(v->codec));
    json_object_set_new(o, "width", json_integer(v->width));
    json_object_set_new(o, "height", json_integer(v->height));
    json_object_set_new(o, "fps", json_real(v->fps));
    if (v->pix_fmt[0])
        json_object_set_new(o, "pix_fmt", json_string(v->pix_fmt));
    if (source) {
        json_object_set_new(o, "display_width", json_integer(v->display_width));
        json_object_set_new(o, "display_height", json_integer(v->display_height));
        json_object_set_new(o, "vfr", json_boolean(v->vfr));
        json_object_set_new(o, "interlaced", json_boolean(v->interlaced));
        json_object_set_new(o, "rotation", json_integer(v->rotation));
        return o;
    }
    if (v->crf >= 0)
        json_object_set_new(o, "crf", json_integer(v->crf));
    if (v->max_kbps > 0)
        json_object_set_new(o, "max_kbps", json_integer(v->max_kbps));
    json_object_set_new(o, "keyint_frames", json_integer(v->keyint_frames));
    if (v->threads > 0)
        json_object_set_new(o, "threads", json_integer(v->threads));
    if (v->x264_params[0])
        json_object_set_new(o, "x264_params", json_string(v->x264_params));
    json_object_set_new(o, "keyint_s", json_real(v->keyint_s));
    json_object_set_new(o, "bitrate_bps", json_integer(v->bitrate_bps));
    return o;
}

static json_t *audio_json(const SobreReportAudio *a)
{
    json_t *o = json_object();
    json_object_set_new(o, "codec", json_string(a->codec));
    json_object_set_new(o, "channels", json_integer(a->channels));
    json_object_set_new(o, "sample_rate", json_integer(a->sample_rate));
    if (a->bitrate_bps)
        json_object_set_new(o, "bitrate_bps", json_integer(a->bitrate_bps));
    if (a->layout[0])
        json_object_set_new(o, "layout", json_string(a->layout));
    return o;
}

static json_t *rendition_json(const SobreReportRendition *r, json_t *extra)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", json_string(r->id));
    json_object_set_new(o, "label", json_string(r->label));
    json_object_set_new(o, "kind", json_string(r->kind));
    json_object_set_new(o, "role", json_string(r->role));
    json_object_set_new(o, "file", json_string(r->file));
    json_object_set_new(o, "container", json_string(r->container));
    json_object_set_new(o, "mime", json_string(r->mime));
    json_object_set_new(o, "bytes", json_integer(r->bytes));
    json_object_set_new(o, "duration_s", json_real(r->duration_s));
    json_object_set_new(o, "bitrate_bps", json_integer(r->bitrate_bps));
    if (r->has_video)
        json_object_set_new(o, "video", video_json(&r->video, 0));
    if (r->has_audio)
        json_object_set_new(o, "audio", audio_json(&r->audio));
    json_object_set_new(o, "cpu_s", json_real(r->cpu_s));
    json_object_set_new(o, "wall_s", json_real(r->wall_s));
    if (r->settings_hash[0])
        json_object_set_new(o, "settings_hash", json_string(r->settings_hash));
    if (extra)
        json_object_update_missing(o, extra);
    return o;
}

static json_t *report_json(const SobreReport *r)
{
    const ReportPriv *p = r->priv;
    json_t *root = json_object(), *src = json_object(), *a;

    json_object_set_new(root, "schema", json_string(SOBRE_REPORT_SCHEMA));
    json_object_set_new(root, "sobre_version", json_string(r->sobre_version));
    json_object_set_new(root, "created", json_string(r->created));
    json_object_set_new(root, "title", json_string(r->title));
    json_object_set_new(root, "description", json_string(r->description));
    json_object_set_new(root, "language", json_string(r->language[0] ? r->language : "fr"));
    json_object_set_new(src, "file", json_string(r->source.file));
    json_object_set_new(src, "bytes", json_integer(r->source.bytes));
    json_object_set_new(src, "duration_s", json_real(r->source.duration_s));
    json_object_set_new(src, "start_time_s", json_real(r->source.start_time_s));
    json_object_set_new(src, "container", json_string(r->source.container));
    json_object_set_new(src, "fingerprint", json_string(r->source.fingerprint));
    if (r->source.has_video)
        json_object_set_new(src, "video", video_json(&r->source.video, 1));
    if (r->source.has_audio)
        json_object_set_new(src, "audio", audio_json(&r->source.audio));
    json_object_set_new(root, "source", src);
    json_object_set_new(root, "preset",
                        json_pack("{s:s, s:s}", "name", r->preset.name, "file", r->preset.file));
    json_object_set_new(
        root, "encode",
        json_pack("{s:f, s:f, s:o, s:i}", "wall_s", r->encode.wall_s, "cpu_s", r->encode.cpu_s,
                  "energy_uj",
                  r->encode.energy_uj >= 0 ? json_integer(r->encode.energy_uj) : json_null(),
                  "cores", r->encode.cores));
    if (r->poster.present)
        json_object_set_new(root, "poster",
                            json_pack("{s:s, s:i, s:i, s:I}", "file", r->poster.file, "width",
                                      r->poster.width, "height", r->poster.height, "bytes",
                                      (json_int_t)r->poster.bytes));
    a = json_array();
    for (int i = 0; i < r->nb_captions; i++)
        json_array_append_new(
            a, json_pack("{s:s, s:s, s:s, s:s}", "file", r->captions[i].file, "lang",
                         r->captions[i].lang, "label", r->captions[i].label, "origin",
                         r->captions[i].origin[0] ? r->captions[i].origin : "file"));
    json_object_set_new(root, "captions", a);
    a = json_array();
    for (int i = 0; i < r->nb_renditions; i++)
        json_array_append_new(a, rendition_json(&r->renditions[i], p ? p->rend[i] : NULL));
    json_object_set_new(root, "renditions", a);
    a = json_array();
    for (int i = 0; i < r->nb_skipped; i++)
        json_array_append_new(
            a, json_pack("{s:s, s:s}", "id", r->skipped[i].id, "reason", r->skipped[i].reason));
    json_object_set_new(root, "skipped", a);
    a = json_array();
    for (int i = 0; i < r->nb_notes; i++)
        json_array_append_new(a, json_string(r->notes[i]));
    json_object_set_new(root, "notes", a);
    if (p && p->top)
        json_object_update_missing(root, p->top);
    return root;
}

int sobre_report_to_string(const SobreReport *r, char **out, SobreError *err)
{
    json_t *root = report_json(r);
    *out = root ? json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10))
                : NULL;
    json_decref(root);
    if (!*out)
        return sobre_fail(err, -ENOMEM, "cannot serialise the report (invalid UTF-8 in a text?)");
    return 0;
}

int sobre_report_save(const SobreReport *r, const char *path, SobreError *err)
{
    char *text = NULL;
    SobreBuf b;
    int ret = sobre_report_to_string(r, &text, err);
    if (ret < 0)
        return ret;
    sobre_buf_init(&b);
    sobre_buf_puts(&b, text);
    sobre_buf_puts(&b, "\n");
    free(text);
    ret = sobre_buf_write_file(&b, path, err);
    sobre_buf_free(&b);
    return ret;
}

/* ---- edits ---- */

int sobre_report_set_text(SobreReport *r, const char *title, const char *description)
{
    char *t = dup_str(title), *d = dup_str(description);
    if (!t || !d) {
        free(t);
        free(d);
        return -ENOMEM;
    }
    free(r->title);
    free(r->description);
    r->title = t;
    r->description = d;
    return 0;
}

int sobre_report_add_note(SobreReport *r, const char *note)
{
    char **n = realloc(r->notes, sizeof(*n) * (size_t)(r->nb_notes + 1));
    if (!n)
        return -ENOMEM;
    r->notes = n;
    if (!(n[r->nb_notes] = dup_str(note)))
        return -ENOMEM;
    r->nb_notes++;
    return 0;
}

static int find_rendition(const SobreReport *r, const char *id)
{
    for (int i = 0; i < r->nb_renditions; i++)
        if (!strcmp(r->renditions[i].id, id))
            return i;
    return -1;
}

void sobre_report_swap_renditions(SobreReport *r, int a, int b)
{
    ReportPriv *p = r->priv;
    SobreReportRendition t;
    json_t *x;
    if (a < 0 || b < 0 || a >= r->nb_renditions || b >= r->nb_renditions || a == b)
        return;
    t = r->renditions[a];
    r->renditions[a] = r->renditions[b];
    r->renditions[b] = t;
    x = p->rend[a];
    p->rend[a] = p->rend[b];
    p->rend[b] = x;
}

const SobreReportRendition *sobre_report_rendition(const SobreReport *r, const char *id)
{
    int i = find_rendition(r, id);
    return i < 0 ? NULL : &r->renditions[i];
}

static int set_in(json_t **obj, const char *name, const char *json, SobreError *err)
{
    json_error_t jerr;
    json_t *v = json_loads(json, JSON_DECODE_ANY, &jerr);
    if (!v)
        return sobre_fail(err, SOBRE_E_PARSE, "section '%s': not valid JSON: %s", name, jerr.text);
    if (!*obj)
        *obj = json_object();
    json_object_set_new(*obj, name, v);
    return 0;
}

int sobre_report_set_section(SobreReport *r, const char *name, const char *json, SobreError *err)
{
    ReportPriv *p = r->priv;
    if (in_list(name, top_keys))
        return sobre_fail(err, SOBRE_E_INVALID, "section '%s' is modelled; set its fields", name);
    return set_in(&p->top, name, json, err);
}

int sobre_report_set_rendition_section(SobreReport *r, const char *rendition, const char *name,
                                       const char *json, SobreError *err)
{
    ReportPriv *p = r->priv;
    int i = find_rendition(r, rendition);
    if (i < 0)
        return sobre_fail(err, SOBRE_E_INVALID, "no rendition '%s' in the report", rendition);
    if (in_list(name, rend_keys))
        return sobre_fail(err, SOBRE_E_INVALID, "member '%s' is modelled; set its fields", name);
    return set_in(&p->rend[i], name, json, err);
}

/* ---- typed readers of the sections other stages read ---- */

static int quality_stat(json_t *o, const char *key, SobreQualityStat *s)
{
    json_t *st = json_object_get(o, key);
    const char *names[3] = {"mean", "p5", "min"};
    double *out[3] = {&s->mean, &s->p5, &s->min};
    if (!json_is_object(st))
        return -1;
    for (int i = 0; i < 3; i++) {
        json_t *v = json_object_get(st, names[i]);
        if (json_is_null(v))
            *out[i] = INFINITY; /* PSNR of identical frames */
        else if (json_is_number(v))
            *out[i] = json_number_value(v);
        else
            return -1;
    }
    return 0;
}

static int quality_view(json_t *o, SobreReportQualityView *v)
{
    json_t *w = json_object_get(o, "width"), *h = json_object_get(o, "height");
    json_t *n = json_object_get(o, "frames");
    if (!o)
        return 0;
    if (!json_is_object(o) || quality_stat(o, "ssim_y", &v->ssim_y) < 0 ||
        quality_stat(o, "ssim_all", &v->ssim_all) < 0 ||
        quality_stat(o, "psnr_y", &v->psnr_y) < 0 || quality_stat(o, "psnr_all", &v->psnr_all) < 0)
        return -1;
    v->width = json_is_integer(w) ? (int)json_integer_value(w) : 0;
    v->height = json_is_integer(h) ? (int)json_integer_value(h) : 0;
    v->frames = json_is_integer(n) ? (int64_t)json_integer_value(n) : 0;
    v->present = 1;
    return 0;
}

int sobre_report_quality(const SobreReport *r, const char *rendition, SobreReportQuality *out)
{
    const ReportPriv *p = r ? r->priv : NULL;
    int i = r && rendition ? find_rendition(r, rendition) : -1;
    json_t *q, *v;
    memset(out, 0, sizeof(*out));
    if (i < 0 || !p || !(q = json_object_get(p->rend[i], "quality")))
        return -ENOENT;
    if (!json_is_object(q) || quality_view(json_object_get(q, "own"), &out->own) < 0 ||
        quality_view(json_object_get(q, "display"), &out->display) < 0) {
        memset(out, 0, sizeof(*out));
        return SOBRE_E_INVALID;
    }
    if (json_is_number(v = json_object_get(q, "cpu_s")))
        out->cpu_s = json_number_value(v);
    if (json_is_integer(v = json_object_get(q, "unpaired_frames")))
        out->unpaired_frames = (int64_t)json_integer_value(v);
    return 0;
}

/* A JSON number, or NAN for null (below the gate, silence) or absent. */
static double number_or_nan(const json_t *v)
{
    return json_is_number(v) ? json_number_value(v) : NAN;
}

int sobre_report_loudness(const SobreReport *r, const char *rendition, SobreReportLoudness *out)
{
    const ReportPriv *p = r ? r->priv : NULL;
    int i = rendition ? find_rendition(r, rendition) : -1;
    json_t *l, *m;
    memset(out, 0, sizeof(*out));
    if (!p || (rendition && i < 0))
        return -ENOENT;
    if (!(l = json_object_get(rendition ? p->rend[i] : p->top, "loudness")))
        return -ENOENT;
    if (!json_is_object(l))
        return SOBRE_E_INVALID;
    if (!rendition) {
        const char *mode = json_string_value(json_object_get(l, "mode"));
        if (!mode || !json_is_number(json_object_get(l, "target_lufs")))
            return SOBRE_E_INVALID;
        out->on = !strcmp(mode, "on");
        out->target_lufs = json_number_value(json_object_get(l, "target_lufs"));
        m = json_object_get(l, "input");
        out->measured = json_is_object(m);
    } else {
        m = l;
        out->measured = !strcmp(json_string_value(json_object_get(l, "measured"))
                                    ? json_string_value(json_object_get(l, "measured"))
                                    : "",
                                "decoded output");
    }
    out->integrated_lufs = number_or_nan(json_object_get(m, "integrated_lufs"));
    out->true_peak_dbtp = number_or_nan(json_object_get(m, "true_peak_dbtp"));
    return 0;
}

int sobre_report_colour_summary(const SobreReport *r, char *out, size_t size)
{
    const ReportPriv *p = r ? r->priv : NULL;
    json_t *c = p ? json_object_get(p->top, "colour") : NULL, *sum;
    if (size)
        out[0] = '\0';
    if (!c)
        return -ENOENT;
    if (!json_is_object(c) || !json_is_string(sum = json_object_get(c, "summary")))
        return SOBRE_E_INVALID;
    snprintf(out, size, "%s", json_string_value(sum));
    return 0;
}

char *sobre_report_get_section(const SobreReport *r, const char *rendition, const char *name)
{
    const ReportPriv *p = r->priv;
    json_t *obj = p->top, *v;
    if (rendition) {
        int i = find_rendition(r, rendition);
        if (i < 0)
            return NULL;
        obj = p->rend[i];
    }
    v = json_object_get(obj, name);
    return v ? json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT | JSON_REAL_PRECISION(10)) : NULL;
}
