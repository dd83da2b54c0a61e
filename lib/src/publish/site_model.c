/* From report.json to the site's view of an episode: which renditions become <source>
 * elements and in what order, which one is "listen only", the podcast enclosure, safe
 * file names, the sizes on disk, the per-view footprint on the site's viewing formats,
 * unique slugs, numbers and pages. The report is only read. Only
 * site_episode_check_files() touches the file system. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "site.h"
#include "vtt.h"

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

static int has_source_role(const SiteEpisode *e, int role)
{
    for (int k = 0; k < e->nb_sources; k++)
        if (e->rend[e->sources[k]].role == role)
            return 1;
    return 0;
}

/* What a small and a large screen play without a choice: the first <source> whose media
 * query matches (site_html.c writes them: AV1 only above 700 px, the light rung only up
 * to 700 px when a standard rung follows). An audio-only episode plays its audio. */
static void pick_shown(SiteEpisode *e)
{
    int standard = has_source_role(e, SITE_ROLE_STANDARD);
    for (int f = 0; f < SITE_FMTS; f++) {
        e->shown[f] = -1;
        for (int k = 0; k < e->nb_sources && e->shown[f] < 0; k++) {
            int role = e->rend[e->sources[k]].role;
            if (role == SITE_ROLE_EXTRA && f == SITE_FMT_SMALL)
                continue;
            if (role == SITE_ROLE_HDR) /* HDR screens only: the figure states SDR ones */
                continue;
            if (role == SITE_ROLE_SOBRE && standard && f == SITE_FMT_LARGE)
                continue;
            e->shown[f] = e->sources[k];
        }
        if (e->shown[f] < 0)
            e->shown[f] = e->audio;
    }
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
    pick_shown(e);
}

/* index.html is the episode's own page in its folder. */
static int name_taken(const SiteEpisode *e, const char *name, int upto)
{
    if (!strcmp(name, "index.html"))
        return 1;
    for (int i = 0; i < upto; i++)
        if (!strcmp(e->rend[i].name, name))
            return 1;
    return !strcmp(name, e->poster) && e->poster[0];
}

int site_episode_init(SiteEpisode *e, SobreReport *rep, const char *dir, SobreError *err)
{
    memset(e, 0, sizeof(*e));
    e->owned = rep;
    e->report = rep;
    e->audio = e->podcast = -1;
    snprintf(e->dir, sizeof(e->dir), "%s", dir ? dir : ".");
    if (rep->poster.present) {
        safe_name(rep->poster.file, e->poster, sizeof(e->poster));
        e->poster_bytes = rep->poster.bytes;
        if (!strcmp(e->poster, "index.html"))
            return sobre_fail(err, SOBRE_E_INVALID, "%s/report.json: a file is named '%s'", e->dir,
                              rep->poster.file);
    }
    for (int i = 0; i < rep->nb_renditions; i++) {
        SiteRend *sr = &e->rend[e->nb_rend];
        sr->r = &rep->renditions[i];
        sr->role = site_role(sr->r->role);
        if (sr->role < 0)
            return sobre_fail(err, SOBRE_E_INVALID, "%s/report.json: rendition '%s' has role '%s'",
                              e->dir, sr->r->id, sr->r->role);
        safe_name(sr->r->file, sr->name, sizeof(sr->name));
        if (name_taken(e, sr->name, e->nb_rend))
            return sobre_fail(err, SOBRE_E_INVALID,
                              "%s/report.json: two files are named '%s' (or one is index.html, "
                              "the episode's page)",
                              e->dir, sr->r->file);
        sr->bytes = sr->r->bytes;
        sr->bitrate_bps = sr->r->bitrate_bps;
        e->nb_rend++;
    }
    for (int i = 0; i < rep->nb_captions; i++) {
        e->caps[i].c = &rep->captions[i];
        safe_name(rep->captions[i].file, e->caps[i].name, sizeof(e->caps[i].name));
        if (!strcmp(e->caps[i].name, "index.html"))
            return sobre_fail(err, SOBRE_E_INVALID, "%s/report.json: a file is named '%s'", e->dir,
                              rep->captions[i].file);
        e->nb_caps++;
    }
    order_renditions(e);
    if (e->nb_sources == 0 && e->audio < 0)
        return sobre_fail(err, SOBRE_E_INVALID,
                          "%s/report.json: no rendition to publish (no video nor audio-only file)",
                          e->dir);
    return 0;
}

/* Takes the size on disk. report.json is never corrected (encode is its only writer):
 * a difference is said, and the site shows what it publishes. reported < 0: no size to
 * compare with. */
static int check_file(const SiteEpisode *e, const char *file, const char *what, int64_t reported,
                      int64_t *bytes, const SobreLogger *log, SobreError *err)
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
    if (reported >= 0 && reported != *bytes && log)
        sobre_log(log, SOBRE_LOG_WARNING,
                  "%s: %lld bytes on disk, report.json says %lld; the site shows the size on "
                  "disk (re-encode, or check the folder)",
                  path, (long long)*bytes, (long long)reported);
    return 0;
}

/* WebP files start with "RIFF", a size, then "WEBP". */
static int is_webp(const SiteEpisode *e, const char *file)
{
    char path[4352], head[12];
    FILE *f;
    size_t n;
    snprintf(path, sizeof(path), "%s/%s", e->dir, file);
    if (!(f = fopen(path, "rb")))
        return 0;
    n = fread(head, 1, sizeof(head), f);
    fclose(f);
    return n == sizeof(head) && !memcmp(head, "RIFF", 4) && !memcmp(head + 8, "WEBP", 4);
}

static int read_captions(SiteEpisode *e, const char *file, SobreError *err)
{
    char path[4352];
    FILE *f;
    char *buf;
    size_t n;
    int ret, more;
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
    more = n == (size_t)8 << 20 && fgetc(f) != EOF;
    fclose(f);
    buf[n] = '\0';
    if (more) {
        free(buf);
        return sobre_fail(err, SOBRE_E_INVALID, "%s: captions larger than 8 MiB", path);
    }
    /* The same checker as encode's: UTF-8, the signature and every cue timing. */
    ret = sobre_vtt_check(path, buf, n, err);
    if (ret >= 0 && !e->transcript && !(e->transcript = sobre_vtt_transcript(buf, n)))
        ret = sobre_fail(err, -ENOMEM, "%s: out of memory", path);
    free(buf);
    return ret < 0 ? ret : 0;
}

int site_episode_check_files(SiteEpisode *e, const SobreLogger *log, SobreError *err)
{
    int ret;
    for (int i = 0; i < e->nb_rend; i++) {
        SiteRend *sr = &e->rend[i];
        ret = check_file(e, sr->r->file, "rendition file", sr->r->bytes, &sr->bytes, log, err);
        if (ret < 0)
            return ret;
        if (sr->r->duration_s > 0)
            sr->bitrate_bps = (int64_t)((double)sr->bytes * 8.0 / sr->r->duration_s + 0.5);
    }
    if (e->poster[0]) {
        const char *file = e->report->poster.file;
        ret = check_file(e, file, "poster",
                         e->report->poster.bytes > 0 ? e->report->poster.bytes : -1,
                         &e->poster_bytes, log, err);
        if (ret < 0)
            return ret;
        e->poster_webp = is_webp(e, file);
    }
    for (int i = 0; i < e->nb_caps; i++) {
        int64_t bytes;
        ret = check_file(e, e->caps[i].c->file, "captions file", -1, &bytes, log, err);
        if (ret == 0)
            ret = read_captions(e, e->caps[i].c->file, err);
        if (ret < 0)
            return ret;
    }
    return 0;
}

void site_episode_clear(SiteEpisode *e)
{
    sobre_report_free(&e->owned);
    e->report = NULL;
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

/* Every rendition on both viewing formats, from the bytes on disk and the duration. A
 * rendition the model cannot cost (no duration) simply shows no figure. */
static void cost_views(SiteDoc *d)
{
    if (d->fp) {
        sobre_factors_typical(d->fp, "sobre", &d->device[SITE_FMT_SMALL],
                              &d->network[SITE_FMT_SMALL]);
        sobre_factors_typical(d->fp, "standard", &d->device[SITE_FMT_LARGE],
                              &d->network[SITE_FMT_LARGE]);
    }
    for (int i = 0; i < d->nb_eps; i++)
        for (int j = 0; j < d->eps[i].nb_rend; j++) {
            SiteRend *sr = &d->eps[i].rend[j];
            for (int f = 0; f < SITE_FMTS; f++) {
                sr->fp[f].ok = d->fp && sobre_footprint_view(
                                            d->fp, d->method, sr->bytes, sr->r->duration_s,
                                            d->device[f], d->network[f], &sr->fp[f].v, NULL) == 0;
            }
        }
}

int site_has_footprint(const SiteDoc *d)
{
    for (int i = 0; i < d->nb_eps; i++)
        for (int j = 0; j < d->eps[i].nb_rend; j++)
            if (d->eps[i].rend[j].fp[SITE_FMT_SMALL].ok)
                return 1;
    return 0;
}

int site_doc_layout(SiteDoc *d, SobreError *err)
{
    if (d->per_page <= 0)
        d->per_page = SOBRE_PUBLISH_PER_PAGE;
    if (d->nb_eps <= 0)
        return sobre_fail(err, SOBRE_E_INVALID, "no episode to publish");
    if (d->views <= 0)
        d->views = SOBRE_PUBLISH_VIEWS;
    d->nb_pages = (d->nb_eps + d->per_page - 1) / d->per_page;
    for (int i = 0; i < d->nb_eps; i++) {
        make_slug(d, i, d->eps[i].slug, sizeof(d->eps[i].slug));
        d->eps[i].page = i / d->per_page + 1;
        d->eps[i].number = i + 1;
    }
    cost_views(d);
    free(d->budget);
    d->budget = calloc((size_t)d->nb_pages, sizeof(*d->budget));
    if (!d->budget)
        return sobre_fail(err, -ENOMEM, "out of memory");
    return 0;
}
