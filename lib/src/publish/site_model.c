/* From report.json to the site's view of an episode: which renditions become <source>
 * elements and in what order, which one is "listen only", the podcast enclosure, safe
 * file names, the per-view footprint (when `sobre footprint` added it), unique slugs
 * and pages. Only site_episode_check_files() touches the file system. */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "site.h"

/* The <source> order: the HDR rendition for HDR screens (a media query keeps every other
 * screen off it), an optional efficient codec (its media query keeps small screens off
 * it), the light rung, the standard rung, H.264 last. "high" and "low" are never sources
 * (unless nothing else is): they are offered on choice only. */
static const int source_roles[] = {SITE_ROLE_HDR, SITE_ROLE_EXTRA, SITE_ROLE_SOBRE,
                                   SITE_ROLE_STANDARD, SITE_ROLE_FALLBACK};

/* Names in the site are rebuilt from [A-Za-z0-9._-] so URLs never need encoding. */
static void safe_name(const char *in, char *out, size_t size)
{
    size_t n = 0;
    for (; *in && n + 1 < size; in++) {
        char c = *in;
        int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == '.' || c == '_' || c == '-';
        out[n++] = ok ? c : '_';
    }
    out[n] = '\0';
    if (n == 0 || out[0] == '.')
        out[0] = '_';
    if (n == 0)
        out[1] = '\0';
}

static double opt_number(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return json_is_number(v) && json_number_value(v) >= 0 ? json_number_value(v) : -1;
}

static void opt_string(json_t *o, const char *key, char *out, size_t size)
{
    json_t *v = json_object_get(o, key);
    snprintf(out, size, "%s", json_is_string(v) ? json_string_value(v) : "");
}

/* Reads what `sobre footprint --write` added (docs/footprint.md); any other shape, or no
 * section at all, just means no footprint is shown. */
static void read_footprint(SiteEpisode *e)
{
    char *text = sobre_report_get_section(e->report, NULL, "footprint");
    json_t *root, *rends;
    if (!text)
        return;
    root = json_loads(text, 0, NULL);
    free(text);
    rends = json_object_get(root, "renditions");
    for (int i = 0; i < e->nb_rend && json_is_object(rends); i++) {
        json_t *o = json_object_get(rends, e->rend[i].r->id);
        json_t *wh = json_object_get(o, "wh_per_view"), *g = json_object_get(o, "gco2e_per_view");
        if (json_is_number(wh) && json_is_number(g) && json_number_value(wh) >= 0 &&
            json_number_value(g) >= 0) {
            e->rend[i].has_fp = 1;
            e->rend[i].wh = json_number_value(wh);
            e->rend[i].gco2e = json_number_value(g);
            e->rend[i].g_low = opt_number(o, "low");
            e->rend[i].g_high = opt_number(o, "high");
            e->rend[i].embodied = opt_number(o, "embodied_gco2e_per_view");
            opt_string(o, "device", e->rend[i].device, sizeof(e->rend[i].device));
            opt_string(o, "network", e->rend[i].network, sizeof(e->rend[i].network));
        }
    }
    opt_string(root, "method", e->fp_method, sizeof(e->fp_method));
    opt_string(root, "factors", e->fp_factors, sizeof(e->fp_factors));
    json_decref(root);
}

static void order_renditions(SiteEpisode *e)
{
    for (size_t k = 0; k < sizeof(source_roles) / sizeof(source_roles[0]); k++)
        for (int i = 0; i < e->nb_rend; i++)
            if (e->rend[i].role == source_roles[k] && !strcmp(e->rend[i].r->kind, "video"))
                e->sources[e->nb_sources++] = i;
    for (int i = 0; e->nb_sources == 0 && i < e->nb_rend; i++)
        if (e->rend[i].role == SITE_ROLE_LOW && !strcmp(e->rend[i].r->kind, "video"))
            e->sources[e->nb_sources++] = i;
    /* Listen only: the first audio rendition (Opus, the lightest); podcast: AAC first,
     * which every podcast app plays, else the same Opus file. */
    for (int i = 0; i < e->nb_rend; i++) {
        const char *c = e->rend[i].r->container;
        if (e->rend[i].role != SITE_ROLE_AUDIO)
            continue;
        if (e->audio < 0)
            e->audio = i;
        if (e->podcast < 0 && (!strcmp(c, "m4a") || !strcmp(c, "mp4")))
            e->podcast = i;
    }
    if (e->podcast < 0)
        e->podcast = e->audio;
    for (int k = 0; k < e->nb_sources; k++)
        if (e->rend[e->sources[k]].role == SITE_ROLE_SOBRE) {
            e->headline = e->sources[k];
            break;
        }
    if (e->headline < 0 && e->nb_sources > 0)
        e->headline = e->sources[0];
}

static int name_taken(const SiteEpisode *e, const char *name, int upto)
{
    for (int i = 0; i < upto; i++)
        if (!strcmp(e->rend[i].name, name))
            return 1;
    return !strcmp(name, e->poster) && e->poster[0];
}

int site_episode_init(SiteEpisode *e, SobreReport *rep, const char *dir, SobreError *err)
{
    memset(e, 0, sizeof(*e));
    e->report = rep;
    e->audio = e->podcast = e->headline = -1;
    snprintf(e->dir, sizeof(e->dir), "%s", dir ? dir : ".");
    if (rep->poster.present)
        safe_name(rep->poster.file, e->poster, sizeof(e->poster));
    for (int i = 0; i < rep->nb_renditions; i++) {
        SiteRend *sr = &e->rend[e->nb_rend];
        sr->r = &rep->renditions[i];
        sr->role = site_role(sr->r->role);
        if (sr->role < 0)
            return sobre_fail(err, SOBRE_E_INVALID, "%s/report.json: rendition '%s' has role '%s'",
                              e->dir, sr->r->id, sr->r->role);
        safe_name(sr->r->file, sr->name, sizeof(sr->name));
        if (name_taken(e, sr->name, e->nb_rend))
            return sobre_fail(err, SOBRE_E_INVALID, "%s/report.json: two files are named '%s'",
                              e->dir, sr->r->file);
        sr->bytes = sr->r->bytes;
        sr->bitrate_bps = sr->r->bitrate_bps;
        e->nb_rend++;
    }
    for (int i = 0; i < rep->nb_captions; i++) {
        e->caps[i].c = &rep->captions[i];
        safe_name(rep->captions[i].file, e->caps[i].name, sizeof(e->caps[i].name));
        e->nb_caps++;
    }
    order_renditions(e);
    if (e->nb_sources == 0 && e->audio < 0)
        return sobre_fail(err, SOBRE_E_INVALID,
                          "%s/report.json: no rendition to publish (no video nor audio-only file)",
                          e->dir);
    read_footprint(e);
    return 0;
}

static int check_file(const SiteEpisode *e, const char *file, const char *what, int64_t *bytes,
                      SobreError *err)
{
    char path[4352];
    struct stat st;
    snprintf(path, sizeof(path), "%s/%s", e->dir, file);
    if (stat(path, &st) < 0)
        return sobre_fail(err, -errno, "%s: missing %s named in report.json (%s)", path, what,
                          strerror(errno));
    if (!S_ISREG(st.st_mode))
        return sobre_fail(err, SOBRE_E_INVALID, "%s: %s is not a regular file", path, what);
    *bytes = (int64_t)st.st_size;
    return 0;
}

static int read_captions(SiteEpisode *e, const char *file, SobreError *err)
{
    char path[4352];
    FILE *f;
    char *buf;
    size_t n;
    snprintf(path, sizeof(path), "%s/%s", e->dir, file);
    f = fopen(path, "rb");
    if (!f)
        return sobre_fail(err, -errno, "%s: cannot open captions: %s", path, strerror(errno));
    buf = malloc((8 << 20) + 1);
    if (!buf) {
        fclose(f);
        return sobre_fail(err, -ENOMEM, "%s: out of memory", path);
    }
    n = fread(buf, 1, 8 << 20, f);
    fclose(f);
    buf[n] = '\0';
    if (site_vtt_check(buf, n) < 0) {
        free(buf);
        return sobre_fail(err, SOBRE_E_PARSE,
                          "%s: not a WebVTT file (it must start with \"WEBVTT\")", path);
    }
    if (!e->transcript)
        e->transcript = site_vtt_transcript(buf, n);
    free(buf);
    return e->transcript ? 0 : sobre_fail(err, -ENOMEM, "%s: out of memory", path);
}

int site_episode_check_files(SiteEpisode *e, SobreError *err)
{
    int ret;
    for (int i = 0; i < e->nb_rend; i++) {
        SiteRend *sr = &e->rend[i];
        ret = check_file(e, sr->r->file, "rendition file", &sr->bytes, err);
        if (ret < 0)
            return ret;
        if (sr->r->duration_s > 0)
            sr->bitrate_bps = (int64_t)((double)sr->bytes * 8.0 / sr->r->duration_s + 0.5);
    }
    if (e->poster[0]) {
        int64_t bytes;
        ret = check_file(e, e->report->poster.file, "poster", &bytes, err);
        if (ret < 0)
            return ret;
        e->report->poster.bytes = bytes;
    }
    for (int i = 0; i < e->nb_caps; i++) {
        int64_t bytes;
        ret = check_file(e, e->caps[i].c->file, "captions file", &bytes, err);
        if (ret == 0)
            ret = read_captions(e, e->caps[i].c->file, err);
        if (ret < 0)
            return ret;
    }
    return 0;
}

void site_episode_clear(SiteEpisode *e)
{
    sobre_report_free(&e->report);
    free(e->transcript);
    e->transcript = NULL;
}

static const char *base_name(const char *dir)
{
    size_t n = strlen(dir);
    while (n > 1 && dir[n - 1] == '/')
        n--;
    const char *p = dir + n;
    while (p > dir && p[-1] != '/')
        p--;
    return p;
}

static void make_slug(const SiteDoc *d, int i, char *out, size_t size)
{
    const SiteEpisode *e = &d->eps[i];
    char base[48], folder[4096];
    int unique = 0;
    if (e->report->title[0]) {
        sobre_slugify(e->report->title, base, sizeof(base));
    } else {
        snprintf(folder, sizeof(folder), "%s", base_name(e->dir));
        folder[strcspn(folder, "/")] = '\0';
        sobre_slugify(folder, base, sizeof(base));
    }
    size_t n = strlen(base);
    while (n > 0 && base[n - 1] == '-')
        base[--n] = '\0';
    snprintf(out, size, "%s", n ? base : "episode");
    for (int k = 2; !unique; k++) {
        unique = 1;
        for (int j = 0; j < i; j++)
            if (!strcmp(d->eps[j].slug, out))
                unique = 0;
        if (!unique)
            snprintf(out, size, "%s-%d", n ? base : "episode", k);
    }
}

int site_doc_layout(SiteDoc *d, SobreError *err)
{
    if (d->per_page <= 0)
        d->per_page = SOBRE_PUBLISH_PER_PAGE;
    if (d->nb_eps <= 0)
        return sobre_fail(err, SOBRE_E_INVALID, "no episode to publish");
    d->nb_pages = (d->nb_eps + d->per_page - 1) / d->per_page;
    for (int i = 0; i < d->nb_eps; i++) {
        make_slug(d, i, d->eps[i].slug, sizeof(d->eps[i].slug));
        d->eps[i].page = i / d->per_page + 1;
    }
    free(d->budget);
    d->budget = calloc((size_t)d->nb_pages, sizeof(*d->budget));
    if (!d->budget)
        return sobre_fail(err, -ENOMEM, "out of memory");
    return 0;
}
