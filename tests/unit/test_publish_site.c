/* sobre_publish_site() end to end on dummy files (publish never decodes media, so any
 * bytes do): the site appears, a cancelled or failing publish leaves the previous site
 * and no temporary folder, unchanged media are reused, settings are checked, report.json
 * is only read (a size on disk that differs is said, and shown), the footprint comes
 * from the factors given, and the server samples land beside the site, never in it. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sobre/publish.h"
#include "t.h"

static const char *report_json =
    "{\"schema\":\"sobre.report/1\",\"sobre_version\":\"0.1.0\",\"title\":\"%s\","
    "\"description\":\"\",\"language\":\"fr\",\"source\":{\"file\":\"m.mp4\",\"bytes\":1,"
    "\"duration_s\":4.0},\"renditions\":["
    "{\"id\":\"audio\",\"kind\":\"audio\",\"role\":\"audio\",\"file\":\"audio.webm\","
    "\"container\":\"webm\",\"mime\":\"audio/webm; codecs=\\\"opus\\\"\",\"bytes\":4,"
    "\"duration_s\":4.0,\"bitrate_bps\":8,\"audio\":{\"codec\":\"opus\",\"channels\":1}},"
    "{\"id\":\"vp9-360p\",\"kind\":\"video\",\"role\":\"sobre\",\"file\":\"vp9-360p.webm\","
    "\"container\":\"webm\",\"mime\":\"video/webm; codecs=\\\"vp09.00.21.08, opus\\\"\","
    "\"bytes\":4,\"duration_s\":4.0,\"bitrate_bps\":8,\"video\":{\"codec\":\"vp9\",\"width\":"
    "640,\"height\":360}}]}";

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    T_CHECK(f != NULL, "cannot write %s", path);
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

static void make_episode(const char *dir, const char *title)
{
    char path[4096], json[2048];
    mkdir(dir, 0755);
    snprintf(path, sizeof(path), "%s/audio.webm", dir);
    write_file(path, "aaaa");
    snprintf(path, sizeof(path), "%s/vp9-360p.webm", dir);
    write_file(path, "vvvv");
    snprintf(json, sizeof(json), report_json, title);
    snprintf(path, sizeof(path), "%s/report.json", dir);
    write_file(path, json);
}

static int count_leftovers(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    int n = 0;
    while (d && (de = readdir(d)))
        if (strstr(de->d_name, "sobre-tmp"))
            n++;
    if (d)
        closedir(d);
    return n;
}

/* The log lines a publish sends, for the size-mismatch warning. */
static char logged[4096];

static void log_cb(void *opaque, int level, const char *msg)
{
    (void)opaque;
    if (level <= SOBRE_LOG_WARNING && strlen(logged) + strlen(msg) + 2 < sizeof(logged)) {
        strcat(logged, msg);
        strcat(logged, "\n");
    }
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *buf = calloc(1, 1 << 20);
    if (f && buf)
        fread(buf, 1, (1 << 20) - 1, f);
    if (f)
        fclose(f);
    return buf;
}

static ino_t inode_of(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? st.st_ino : 0;
}

int main(void)
{
    const char *tmp = getenv("SOBRE_TMP"), *src = getenv("SOBRE_SRC");
    char work[4096], ep1[4200], ep2[4200], site[4200], assets[4096], file[4400];
    SobrePublishSettings set;
    SobrePublishStats st;
    SobreError err = {0};
    volatile int cancel = 0;
    const char *eps[2];

    snprintf(work, sizeof(work), "%s/publish-site-XXXXXX", tmp ? tmp : "/tmp");
    mkdir(tmp ? tmp : "/tmp", 0755);
    T_CHECK(mkdtemp(work) != NULL, "mkdtemp: %s", strerror(errno));
    snprintf(assets, sizeof(assets), "%s/presets/site", src ? src : ".");
    snprintf(ep1, sizeof(ep1), "%s/ep1", work);
    snprintf(ep2, sizeof(ep2), "%s/ep2", work);
    snprintf(site, sizeof(site), "%s/site", work);
    make_episode(ep1, "Un");
    make_episode(ep2, "Deux");
    eps[0] = ep1;
    eps[1] = ep2;

    sobre_publish_default_settings(&set);
    set.assets_dir = assets;
    set.cancel = &cancel;
    T_EQ_INT(sobre_publish_site(&set, eps, 1, site, &st, &err), 0);
    T_EQ_INT(st.files_linked, 2);
    T_EQ_INT(st.episodes, 1);
    snprintf(file, sizeof(file), "%s/episodes/un/vp9-360p.webm", site);
    ino_t before = inode_of(file);
    T_CHECK(before != 0, "%s missing", file);

    /* cancelled: the site is the previous one, nothing left next to it */
    cancel = 1;
    T_EQ_INT(sobre_publish_site(&set, eps, 2, site, &st, &err), SOBRE_E_CANCELLED);
    T_CONTAINS(err.detail, "cancelled");
    snprintf(file, sizeof(file), "%s/episodes/deux", site);
    T_CHECK(access(file, F_OK) != 0, "cancelled publish changed the site");
    T_EQ_INT(count_leftovers(work), 0);
    cancel = 0;

    /* again with both: the first episode's media are reused, not copied */
    memset(&st, 0, sizeof(st));
    T_EQ_INT(sobre_publish_site(&set, eps, 2, site, &st, &err), 0);
    T_EQ_INT(st.files_reused, 2);
    T_EQ_INT(st.files_linked, 2);
    T_EQ_INT(st.files_copied, 0);
    T_EQ_INT(st.first_page_requests, 3); /* no poster in these episodes */
    snprintf(file, sizeof(file), "%s/episodes/un/vp9-360p.webm", site);
    T_EQ_INT(inode_of(file), before);

    /* bad settings are refused before anything is touched */
    static const struct {
        const char *lang, *base;
        int per_page;
        const char *want;
    } bad[] = {{"de", NULL, 12, "language"},
               {"fr", "ftp://x", 12, "base URL"},
               {"fr", "https://x\" onload=\"", 12, "base URL"},
               {"fr", NULL, 0, "per page"}};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        SobrePublishSettings b = set;
        b.lang = bad[i].lang;
        b.base_url = bad[i].base;
        b.per_page = bad[i].per_page;
        err.detail[0] = '\0';
        T_EQ_INT(sobre_publish_site(&b, eps, 2, site, NULL, &err), SOBRE_E_INVALID);
        T_CONTAINS(err.detail, bad[i].want);
    }
    set.title = "bad \xff utf-8";
    T_EQ_INT(sobre_publish_site(&set, eps, 2, site, NULL, &err), SOBRE_E_INVALID);
    set.title = NULL;
    T_EQ_INT(sobre_publish_site(&set, eps, 0, site, NULL, &err), SOBRE_E_INVALID);

    /* a missing rendition names the file */
    snprintf(file, sizeof(file), "%s/vp9-360p.webm", ep2);
    unlink(file);
    T_CHECK(sobre_publish_site(&set, eps, 2, site, NULL, &err) < 0, "missing file accepted");
    T_CONTAINS(err.detail, file);
    T_EQ_INT(count_leftovers(work), 0);

    /* a file larger than report.json says: published as it is, said, report untouched */
    char *before_report, *after_report, *manifest;
    SobreFactors *fp = NULL;
    snprintf(file, sizeof(file), "%s/presets/factors/fr-2024.yaml", src ? src : ".");
    T_EQ_INT(sobre_factors_load(&fp, file, &err), 0);
    snprintf(file, sizeof(file), "%s/vp9-360p.webm", ep2);
    write_file(file, "vvvvvv"); /* 6 bytes, the report says 4 */
    snprintf(file, sizeof(file), "%s/report.json", ep2);
    before_report = slurp(file);
    set.factors = fp;
    set.logger.callback = log_cb;
    set.logger.level = SOBRE_LOG_WARNING;
    logged[0] = '\0';
    T_EQ_INT(sobre_publish_site(&set, eps, 2, site, &st, &err), 0);
    T_CONTAINS(logged, "vp9-360p.webm: 6 bytes on disk, report.json says 4");
    after_report = slurp(file);
    T_CHECK(before_report && after_report && !strcmp(before_report, after_report),
            "report.json changed by publish");
    snprintf(file, sizeof(file), "%s/manifest.json", site);
    manifest = slurp(file);
    T_CONTAINS(manifest, "\"bytes\": 6");
    T_CONTAINS(manifest, "\"total_gco2e_per_view\"");
    free(before_report);
    free(after_report);
    free(manifest);
    /* the admin kit beside the site, nothing of it inside */
    static const char *const admin[] = {"LISEZMOI-ADMIN.txt", ".htaccess", "web.config",
                                        "nginx-sobre.conf"};
    for (size_t i = 0; i < sizeof(admin) / sizeof(admin[0]); i++) {
        snprintf(file, sizeof(file), "%s-admin/%s", site, admin[i]);
        T_CHECK(access(file, F_OK) == 0, "%s missing", file);
        snprintf(file, sizeof(file), "%s/%s", site, admin[i]);
        T_CHECK(access(file, F_OK) != 0, "%s published", file);
    }
    static const char *const pages[] = {
        "index.html",         "empreinte.html",         "empreinte.svg",
        "ecoconception.html", "episodes/un/index.html", "episodes/deux/index.html"};
    for (size_t i = 0; i < sizeof(pages) / sizeof(pages[0]); i++) {
        snprintf(file, sizeof(file), "%s/%s", site, pages[i]);
        T_CHECK(access(file, F_OK) == 0, "%s missing", file);
    }
    sobre_factors_free(&fp);

    char cmd[4300];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", work);
    T_EQ_INT(system(cmd), 0);
    return t_done();
}
