/* Writes the site into ".SITE.sobre-tmp-XXXXXX" next to SITE, then exchanges the two
 * folders atomically (renameat2 RENAME_EXCHANGE, or two renames where the file system
 * lacks it) and removes the old one. A lock file next to SITE keeps two publishes
 * apart, which also makes it safe to sweep temporary folders a killed run left. The
 * administrator's kit goes to SITE-admin, beside the site and never inside it: a plain
 * static server would serve anything in the published tree. */
#define _GNU_SOURCE /* renameat2() */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "publish_build.h"
#include "site_files.h"

typedef struct Target {
    char site[4096]; /* as given, without trailing slashes */
    char parent[4096];
    char base[4096];
    char tmp[8448];
    int exists;
    int lock_fd;
} Target;

static int split_target(Target *t, const char *site_dir, SobreError *err)
{
    size_t n = strlen(site_dir);
    char *slash;
    while (n > 1 && site_dir[n - 1] == '/')
        n--;
    if (n >= sizeof(t->site))
        return sobre_fail(err, -ENAMETOOLONG, "%s: path too long", site_dir);
    memcpy(t->site, site_dir, n);
    t->site[n] = '\0';
    slash = strrchr(t->site, '/');
    if (!slash)
        snprintf(t->parent, sizeof(t->parent), ".");
    else if (slash == t->site)
        snprintf(t->parent, sizeof(t->parent), "/");
    else
        snprintf(t->parent, sizeof(t->parent), "%.*s", (int)(slash - t->site), t->site);
    snprintf(t->base, sizeof(t->base), "%s", slash ? slash + 1 : t->site);
    if (!t->base[0] || !strcmp(t->base, ".") || !strcmp(t->base, ".."))
        return sobre_fail(err, SOBRE_E_INVALID, "%s: name the site folder itself (not . or ..)",
                          site_dir);
    return 0;
}

static int is_sobre_site(const char *site)
{
    char path[4200];
    json_t *root, *schema;
    int ok;
    snprintf(path, sizeof(path), "%s/manifest.json", site);
    root = json_load_file(path, 0, NULL);
    schema = json_object_get(root, "schema");
    ok = json_is_string(schema) && !strcmp(json_string_value(schema), "sobre.site/1");
    json_decref(root);
    return ok;
}

static int is_empty_dir(const char *path)
{
    DIR *dir = opendir(path);
    struct dirent *de;
    int empty = 1;
    if (!dir)
        return 0;
    while (empty && (de = readdir(dir)))
        if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
            empty = 0;
    closedir(dir);
    return empty;
}

/* Only a new folder, an empty one or a previous sobre site may be replaced. */
static int check_target(Target *t, SobreError *err)
{
    struct stat st;
    if (stat(t->parent, &st) < 0 || !S_ISDIR(st.st_mode))
        return sobre_fail(err, -ENOENT, "%s: the folder that should hold the site does not exist",
                          t->parent);
    if (stat(t->site, &st) < 0) {
        if (errno != ENOENT)
            return sobre_fail(err, -errno, "%s: %s", t->site, strerror(errno));
        t->exists = 0;
        return 0;
    }
    if (!S_ISDIR(st.st_mode))
        return sobre_fail(err, SOBRE_E_INVALID, "%s: exists and is not a folder", t->site);
    if (!is_empty_dir(t->site) && !is_sobre_site(t->site))
        return sobre_fail(err, SOBRE_E_INVALID,
                          "%s: exists and is not a site made by 'sobre publish' (no sobre "
                          "manifest.json); refusing to replace it: choose a new or empty folder",
                          t->site);
    t->exists = 1;
    return 0;
}

static int take_lock(Target *t, SobreError *err)
{
    char path[8448];
    snprintf(path, sizeof(path), "%s/.%s.sobre-lock", t->parent, t->base);
    t->lock_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (t->lock_fd < 0)
        return sobre_fail(err, -errno, "%s: cannot create the lock file: %s", path,
                          strerror(errno));
    if (flock(t->lock_fd, LOCK_EX | LOCK_NB) < 0) {
        close(t->lock_fd);
        t->lock_fd = -1;
        return sobre_fail(err, SOBRE_E_LOCKED, "%s: another 'sobre publish' is writing this site",
                          t->site);
    }
    return 0;
}

/* Leftovers of a killed run (we hold the lock, so no live run owns them). */
static void sweep_leftovers(const Target *t)
{
    char prefix[4200], path[8448];
    DIR *dir = opendir(t->parent);
    struct dirent *de;
    snprintf(prefix, sizeof(prefix), ".%s.sobre-tmp-", t->base);
    while (dir && (de = readdir(dir))) {
        if (strncmp(de->d_name, prefix, strlen(prefix)) || strlen(de->d_name) != strlen(prefix) + 6)
            continue;
        snprintf(path, sizeof(path), "%s/%s", t->parent, de->d_name);
        site_fs_rmtree(path);
    }
    if (dir)
        closedir(dir);
}

static int cancelled(const SiteDoc *d, SobreError *err)
{
    if (d->set->cancel && *d->set->cancel)
        return sobre_fail(err, SOBRE_E_CANCELLED, "publish cancelled; the previous site is intact");
    return 0;
}

static int write_text(const Target *t, const char *name, const SobreBuf *b, SobreError *err)
{
    char path[8800];
    snprintf(path, sizeof(path), "%s/%s", t->tmp, name);
    return sobre_buf_write_file(b, path, err);
}

/* Copies the stylesheet and the script of presets/site; their sizes feed the budget. */
static int put_assets(SiteDoc *d, const Target *t, SobreError *err)
{
    static const char *const files[] = {"style.css", "sobre.js"};
    SobreBuf b;
    int ret = 0;
    sobre_buf_init(&b);
    for (size_t i = 0; ret == 0 && i < sizeof(files) / sizeof(files[0]); i++) {
        char path[4400];
        snprintf(path, sizeof(path), "%s/%s", d->set->assets_dir, files[i]);
        sobre_buf_reset(&b);
        ret = site_fs_read(path, &b, 1 << 20, err);
        if (ret == 0)
            ret = write_text(t, files[i], &b, err);
        if (i == 0)
            d->css_bytes = (int64_t)b.len;
        else
            d->js_bytes = (int64_t)b.len;
    }
    sobre_buf_free(&b);
    return ret;
}

/* SITE-admin: the notes and the sample server settings, each file replaced atomically;
 * other files there are left alone. */
static int put_admin(const SiteDoc *d, const Target *t, SobreError *err)
{
    int en = !strcmp(d->t->lang, "en");
    const char *const files[][2] = {
        {".htaccess", ".htaccess"},
        {"web.config", "web.config"},
        {"nginx-sobre.conf", "nginx-sobre.conf"},
        {en ? "admin-en.txt" : "admin-fr.txt", en ? "README-ADMIN.txt" : "LISEZMOI-ADMIN.txt"}};
    char dir[4200];
    struct stat st;
    SobreBuf b;
    int ret = 0;
    snprintf(dir, sizeof(dir), "%s-admin", t->site);
    if (stat(dir, &st) == 0 && !S_ISDIR(st.st_mode))
        return sobre_fail(err, SOBRE_E_INVALID,
                          "%s: exists and is not a folder (sobre publish writes the server "
                          "samples there)",
                          dir);
    if (mkdir(dir, 0755) < 0 && errno != EEXIST)
        return sobre_fail(err, -errno, "%s: cannot create: %s", dir, strerror(errno));
    sobre_buf_init(&b);
    for (size_t i = 0; ret == 0 && i < sizeof(files) / sizeof(files[0]); i++) {
        char path[4400];
        snprintf(path, sizeof(path), "%s/%s", d->set->assets_dir, files[i][0]);
        sobre_buf_reset(&b);
        ret = site_fs_read(path, &b, 1 << 20, err);
        snprintf(path, sizeof(path), "%s/%s", dir, files[i][1]);
        if (ret == 0)
            ret = sobre_buf_write_file(&b, path, err);
    }
    sobre_buf_free(&b);
    return ret;
}

static int place(const SiteEpisode *e, const Target *t, const char *file, const char *name,
                 SobrePublishStats *st, SobreError *err)
{
    char src[4400], old[4400], dst[8800];
    snprintf(src, sizeof(src), "%s/%s", e->dir, file);
    snprintf(old, sizeof(old), "%s/episodes/%s/%s", t->site, e->slug, name);
    snprintf(dst, sizeof(dst), "%s/episodes/%s/%s", t->tmp, e->slug, name);
    return site_fs_place(src, t->exists ? old : NULL, dst, st, err);
}

static int put_media(const SiteDoc *d, const Target *t, SobrePublishStats *st, SobreError *err)
{
    char path[8800];
    int ret = 0;
    snprintf(path, sizeof(path), "%s/episodes", t->tmp);
    if (mkdir(path, 0755) < 0)
        return sobre_fail(err, -errno, "%s: cannot create: %s", path, strerror(errno));
    for (int i = 0; ret == 0 && i < d->nb_eps; i++) {
        const SiteEpisode *e = &d->eps[i];
        snprintf(path, sizeof(path), "%s/episodes/%s", t->tmp, e->slug);
        if (mkdir(path, 0755) < 0)
            return sobre_fail(err, -errno, "%s: cannot create: %s", path, strerror(errno));
        for (int j = 0; ret == 0 && j < e->nb_rend; j++) {
            ret = place(e, t, e->rend[j].r->file, e->rend[j].name, st, err);
            st->media_bytes += e->rend[j].bytes;
            if (ret == 0)
                ret = cancelled(d, err);
        }
        if (ret == 0 && e->poster[0])
            ret = place(e, t, e->report->poster.file, e->poster, st, err);
        for (int j = 0; ret == 0 && j < e->nb_caps; j++)
            ret = place(e, t, e->caps[j].c->file, e->caps[j].name, st, err);
    }
    return ret;
}

/* Video pages first: their measured sizes go into the declaration and the manifest. */
static int put_documents(SiteDoc *d, const Target *t, SobreError *err)
{
    SobreBuf b;
    int ret = 0;
    sobre_buf_init(&b);
    for (int p = 1; ret == 0 && p <= d->nb_pages; p++) {
        char name[32];
        site_page_name(p, name, sizeof(name));
        sobre_buf_reset(&b);
        site_render_page(d, p, &b);
        ret = write_text(t, name, &b, err);
    }
    for (int i = 0; ret == 0 && i < d->nb_eps; i++) {
        char name[128];
        snprintf(name, sizeof(name), "episodes/%s/index.html", d->eps[i].slug);
        sobre_buf_reset(&b);
        site_render_episode_page(d, &d->eps[i], &b);
        ret = write_text(t, name, &b, err);
    }
    if (ret == 0) {
        sobre_buf_reset(&b);
        site_render_m3u(d, 0, &b);
        ret = write_text(t, "serie.m3u", &b, err);
    }
    if (ret == 0) {
        sobre_buf_reset(&b);
        site_render_m3u(d, 1, &b);
        ret = write_text(t, "serie-audio.m3u", &b, err);
    }
    if (ret == 0) {
        sobre_buf_reset(&b);
        site_render_rss(d, &b);
        ret = write_text(t, "podcast.xml", &b, err);
    }
    if (ret == 0) {
        sobre_buf_reset(&b);
        site_render_eco(d, &b);
        ret = write_text(t, "ecoconception.html", &b, err);
    }
    if (ret == 0) {
        sobre_buf_reset(&b);
        site_render_footprint(d, &b);
        ret = write_text(t, "empreinte.html", &b, err);
    }
    if (ret == 0 && site_has_footprint(d)) {
        int w, h;
        sobre_buf_reset(&b);
        site_render_chart(d, &b, &w, &h);
        ret = write_text(t, "empreinte.svg", &b, err);
    }
    if (ret == 0) {
        sobre_buf_reset(&b);
        ret = site_render_manifest(d, &b, err);
        if (ret == 0)
            ret = write_text(t, "manifest.json", &b, err);
    }
    sobre_buf_free(&b);
    return ret;
}

static int swap_in(const SiteDoc *d, Target *t, SobreError *err)
{
    char old[8448];
    if (!t->exists) {
        if (rename(t->tmp, t->site) < 0)
            return sobre_fail(err, -errno, "%s: cannot create the site: %s", t->site,
                              strerror(errno));
        return 0;
    }
    if (renameat2(AT_FDCWD, t->tmp, AT_FDCWD, t->site, RENAME_EXCHANGE) == 0) {
        if (site_fs_rmtree(t->tmp) < 0)
            sobre_log(&d->set->logger, SOBRE_LOG_WARNING, "%s: could not remove the old site",
                      t->tmp);
        return 0;
    }
    /* No atomic exchange here (old kernel, some network file systems): two renames,
     * undoing the first if the second fails. */
    snprintf(old, sizeof(old), "%s/.%s.sobre-tmp-oldXXX", t->parent, t->base);
    if (rename(t->site, old) < 0)
        return sobre_fail(err, -errno, "%s: cannot move the old site aside: %s", t->site,
                          strerror(errno));
    if (rename(t->tmp, t->site) < 0) {
        int e = errno;
        rename(old, t->site);
        return sobre_fail(err, -e, "%s: cannot put the new site in place: %s", t->site,
                          strerror(e));
    }
    site_fs_rmtree(old);
    return 0;
}

int publish_build_and_swap(SiteDoc *d, const char *site_dir, SobrePublishStats *st, SobreError *err)
{
    Target t;
    int ret;
    memset(&t, 0, sizeof(t));
    t.lock_fd = -1;
    ret = split_target(&t, site_dir, err);
    if (ret == 0)
        ret = check_target(&t, err);
    if (ret == 0)
        ret = take_lock(&t, err);
    if (ret < 0)
        return ret;
    sweep_leftovers(&t);
    snprintf(t.tmp, sizeof(t.tmp), "%s/.%s.sobre-tmp-XXXXXX", t.parent, t.base);
    if (!mkdtemp(t.tmp)) {
        ret = sobre_fail(err, -errno, "%s: cannot create a temporary folder: %s", t.parent,
                         strerror(errno));
    } else {
        /* mkdtemp makes 0700; the web server must be able to read the site. */
        chmod(t.tmp, 0755);
        ret = put_assets(d, &t, err);
        if (ret == 0)
            ret = put_media(d, &t, st, err);
        if (ret == 0)
            ret = put_documents(d, &t, err);
        if (ret == 0)
            ret = put_admin(d, &t, err);
        if (ret == 0)
            ret = cancelled(d, err);
        if (ret == 0)
            ret = swap_in(d, &t, err);
        if (ret < 0)
            site_fs_rmtree(t.tmp);
    }
    close(t.lock_fd);
    return ret;
}
