/* sobre_publish_site(): checks the settings and every episode before anything is
 * written, then builds the site in a temporary folder next to the target
 * (publish_build.c) and swaps it in with one rename, so the previous site stays
 * whole until the new one is complete. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "publish_build.h"
#include "strbuf.h"

void sobre_publish_default_settings(SobrePublishSettings *s)
{
    memset(s, 0, sizeof(*s));
    s->lang = "fr";
    s->per_page = SOBRE_PUBLISH_PER_PAGE;
    s->method = SOBRE_METHOD_ADEME;
    s->views = SOBRE_PUBLISH_VIEWS;
    s->logger.level = SOBRE_LOG_WARNING;
}

static int valid_utf8(const char *s)
{
    return !s || sobre_utf8_valid(s, strlen(s));
}

static int check_settings(const SobrePublishSettings *s, int nb, SobreError *err)
{
    if (nb < 1)
        return sobre_fail(err, SOBRE_E_INVALID, "no episode folder given");
    if (!site_strings(s->lang))
        return sobre_fail(err, SOBRE_E_INVALID, "language '%s' is not available (fr, en)", s->lang);
    if (s->per_page < 1 || s->per_page > 100)
        return sobre_fail(err, SOBRE_E_INVALID, "episodes per page must be 1 to 100, not %d",
                          s->per_page);
    if (s->factors && !sobre_method_name(s->method))
        return sobre_fail(err, SOBRE_E_INVALID, "footprint method %d is unknown", s->method);
    if (s->views < 1 || s->views > 1000000000000L)
        return sobre_fail(err, SOBRE_E_INVALID, "views must be 1 or more, not %ld", s->views);
    if (!s->assets_dir || !s->assets_dir[0])
        return sobre_fail(err, SOBRE_E_INVALID, "no site assets folder (presets/site) given");
    if (!valid_utf8(s->title) || !valid_utf8(s->description))
        return sobre_fail(err, SOBRE_E_INVALID, "the site title or description is not UTF-8");
    if (s->base_url && s->base_url[0]) {
        const char *u = s->base_url;
        if ((strncmp(u, "https://", 8) && strncmp(u, "http://", 7)) ||
            strpbrk(u, " \t\r\n\"'<>\\") || !valid_utf8(u))
            return sobre_fail(err, SOBRE_E_INVALID,
                              "base URL '%s' must be an absolute http:// or https:// URL", u);
    }
    return 0;
}

/* A publish must never swallow its own inputs: the old site is deleted after the swap. */
static int check_not_inside(const char *episode, const char *site, SobreError *err)
{
    char ep[PATH_MAX], st[PATH_MAX];
    size_t n;
    if (!realpath(episode, ep) || !realpath(site, st))
        return 0;
    n = strlen(st);
    if (!strcmp(ep, st) || (!strncmp(ep, st, n) && ep[n] == '/'))
        return sobre_fail(err, SOBRE_E_INVALID,
                          "%s: the episode folder is inside the site folder %s, which publish "
                          "replaces; keep episodes elsewhere",
                          episode, site);
    return 0;
}

static int load_episode(SiteEpisode *e, const char *dir, const char *site, const SobreLogger *log,
                        SobreError *err)
{
    SobreReport *rep = NULL;
    struct stat st;
    int ret;
    if (stat(dir, &st) < 0)
        return sobre_fail(err, -errno, "%s: episode folder: %s", dir, strerror(errno));
    if (!S_ISDIR(st.st_mode))
        return sobre_fail(err, SOBRE_E_INVALID,
                          "%s: not a folder (give the episode folder made by 'sobre encode')", dir);
    ret = check_not_inside(dir, site, err);
    if (ret < 0)
        return ret;
    ret = sobre_report_load(&rep, dir, err);
    if (ret < 0)
        return ret;
    ret = site_episode_init(e, rep, dir, err);
    if (ret == 0)
        ret = site_episode_check_files(e, log, err);
    return ret;
}

/* The day the declaration and the footprint page are dated with (UTC). */
static void today(char *out, size_t size)
{
    time_t now = time(NULL);
    struct tm tm;
    if (now == (time_t)-1 || !gmtime_r(&now, &tm) || !strftime(out, size, "%Y-%m-%d", &tm))
        snprintf(out, size, "%s", "?");
}

static void doc_free(SiteDoc *d)
{
    for (int i = 0; d->eps && i < d->nb_eps; i++)
        site_episode_clear(&d->eps[i]);
    free(d->eps);
    free(d->budget);
    d->eps = NULL;
    d->budget = NULL;
}

int sobre_publish_site(const SobrePublishSettings *s, const char *const *episodes, int nb_episodes,
                       const char *site_dir, SobrePublishStats *stats, SobreError *err)
{
    SiteDoc d;
    SobrePublishStats local;
    int ret;

    memset(&d, 0, sizeof(d));
    memset(&local, 0, sizeof(local));
    if (!s || !site_dir || !site_dir[0] || (nb_episodes > 0 && !episodes))
        return sobre_fail(err, SOBRE_E_INVALID, "publish: missing settings, episodes or site");
    ret = check_settings(s, nb_episodes, err);
    if (ret < 0)
        return ret;
    d.set = s;
    d.t = site_strings(s->lang);
    d.title = s->title && s->title[0] ? s->title : d.t->default_title;
    d.per_page = s->per_page;
    d.fp = s->factors;
    d.method = s->method;
    d.views = s->views;
    today(d.date, sizeof(d.date));
    d.eps = calloc((size_t)nb_episodes, sizeof(*d.eps));
    if (!d.eps)
        return sobre_fail(err, -ENOMEM, "out of memory");
    for (int i = 0; i < nb_episodes && ret == 0; i++) {
        d.nb_eps = i + 1;
        ret = load_episode(&d.eps[i], episodes[i], site_dir, &s->logger, err);
        if (ret == 0)
            sobre_log(&s->logger, SOBRE_LOG_INFO, "%s: %d renditions", episodes[i],
                      d.eps[i].nb_rend);
    }
    if (ret == 0)
        ret = site_doc_layout(&d, err);
    if (ret == 0)
        ret = publish_build_and_swap(&d, site_dir, &local, err);
    if (ret == 0) {
        local.episodes = d.nb_eps;
        local.pages = d.nb_pages;
        local.first_page_requests = d.budget[0].requests;
        local.first_page_bytes =
            d.budget[0].html_bytes + d.css_bytes + d.js_bytes + d.budget[0].poster_bytes;
        if (stats)
            *stats = local;
    }
    doc_free(&d);
    return ret;
}
