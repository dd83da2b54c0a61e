/* Playlists of the site: serie.m3u and serie-audio.m3u (extended M3U, UTF-8, relative
 * URLs; deliberately not .m3u8, which players take for HLS) and podcast.xml (RSS 2.0
 * with the audio-only renditions as enclosures). Titles are escaped per format. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "site.h"

/* The file a desktop player gets: the standard rung, else the light one, else any. */
static int playlist_video(const SiteEpisode *e)
{
    static const int pref[] = {SITE_ROLE_STANDARD, SITE_ROLE_SOBRE, SITE_ROLE_FALLBACK,
                               SITE_ROLE_EXTRA, SITE_ROLE_LOW};
    for (size_t k = 0; k < sizeof(pref) / sizeof(pref[0]); k++)
        for (int j = 0; j < e->nb_sources; j++)
            if (e->rend[e->sources[j]].role == pref[k])
                return e->sources[j];
    return e->audio;
}

static double duration(const SiteEpisode *e, int rend)
{
    double d = e->rend[rend].r->duration_s;
    return d > 0 ? d : e->report->source.duration_s;
}

void site_render_m3u(const SiteDoc *d, int audio, SobreBuf *b)
{
    sobre_buf_puts(b, "#EXTM3U\n#PLAYLIST:");
    sobre_buf_put_m3u(b, d->title);
    sobre_buf_puts(b, "\n");
    for (int i = 0; i < d->nb_eps; i++) {
        const SiteEpisode *e = &d->eps[i];
        int r = audio ? e->audio : playlist_video(e);
        if (r < 0)
            continue;
        sobre_buf_printf(b, "#EXTINF:%.0f,", duration(e, r));
        sobre_buf_put_m3u(b, e->report->title[0] ? e->report->title : e->slug);
        /* slug and name are [a-z0-9._-]: no escaping needed, and no line can be forged. */
        sobre_buf_printf(b, "\nepisodes/%s/%s\n", e->slug, e->rend[r].name);
    }
}

/* Absolute URL when a base is known, else relative to podcast.xml. */
static void put_site_url(SobreBuf *b, const SiteDoc *d, const char *path)
{
    const char *base = d->set ? d->set->base_url : NULL;
    if (base && base[0]) {
        sobre_buf_put_xml(b, base);
        if (base[strlen(base) - 1] != '/')
            sobre_buf_puts(b, "/");
    }
    sobre_buf_put_xml(b, path);
}

/* RFC 822 date from the report's ISO 8601 "created" (names in English, as RSS wants). */
static void put_pubdate(SobreBuf *b, const char *iso)
{
    static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    struct tm tm = {0}, out;
    time_t t;
    if (sscanf(iso, "%d-%d-%dT%d:%d:%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
               &tm.tm_min, &tm.tm_sec) != 6 ||
        tm.tm_mon < 1 || tm.tm_mon > 12)
        return;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    t = timegm(&tm);
    if (t == (time_t)-1 || !gmtime_r(&t, &out))
        return;
    sobre_buf_printf(b, "<pubDate>%s, %02d %s %04d %02d:%02d:%02d +0000</pubDate>\n",
                     days[out.tm_wday], out.tm_mday, months[out.tm_mon], out.tm_year + 1900,
                     out.tm_hour, out.tm_min, out.tm_sec);
}

static void put_item(SobreBuf *b, const SiteDoc *d, const SiteEpisode *e)
{
    const SiteRend *sr = &e->rend[e->podcast];
    char path[512], page[32];
    size_t tlen = strcspn(sr->r->mime, ";");
    sobre_buf_puts(b, "<item>\n<title>");
    sobre_buf_put_xml(b, e->report->title[0] ? e->report->title : e->slug);
    sobre_buf_puts(b, "</title>\n<description>");
    sobre_buf_put_xml(b, e->report->description);
    sobre_buf_puts(b, "</description>\n<link>");
    site_page_name(e->page, page, sizeof(page));
    snprintf(path, sizeof(path), "%s#e-%s", page, e->slug);
    put_site_url(b, d, path);
    sobre_buf_puts(b, "</link>\n<enclosure url=\"");
    snprintf(path, sizeof(path), "episodes/%s/%s", e->slug, sr->name);
    put_site_url(b, d, path);
    sobre_buf_printf(b, "\" length=\"%lld\" type=\"", (long long)sr->bytes);
    /* The bare type: podcast apps compare it literally, codecs parameters confuse them. */
    char type[128];
    snprintf(type, sizeof(type), "%.*s", (int)tlen, sr->r->mime);
    sobre_buf_put_xml(b, type);
    sobre_buf_puts(b, "\"/>\n<guid isPermaLink=\"false\">");
    sobre_buf_put_xml(b, e->slug);
    sobre_buf_puts(b, "</guid>\n");
    if (e->report->created[0])
        put_pubdate(b, e->report->created);
    sobre_buf_puts(b, "</item>\n");
}

void site_render_rss(const SiteDoc *d, SobreBuf *b)
{
    const char *desc = d->set && d->set->description ? d->set->description : "";
    sobre_buf_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\">\n"
                      "<channel>\n<title>");
    sobre_buf_put_xml(b, d->title);
    sobre_buf_puts(b, "</title>\n<link>");
    put_site_url(b, d, "index.html");
    sobre_buf_puts(b, "</link>\n<description>");
    sobre_buf_put_xml(b, desc[0] ? desc : d->title);
    sobre_buf_printf(b,
                     "</description>\n<language>%s</language>\n<generator>sobre %s</generator>\n",
                     d->t->lang, sobre_version());
    for (int i = 0; i < d->nb_eps; i++)
        if (d->eps[i].podcast >= 0)
            put_item(b, d, &d->eps[i]);
    sobre_buf_puts(b, "</channel>\n</rss>\n");
}
