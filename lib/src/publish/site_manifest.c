/* manifest.json: the machine-readable description of the whole site (schema
 * docs/manifest.schema.json), written with jansson so every string is JSON-escaped.
 * It also marks the folder as a sobre site, which lets a later publish replace it. */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "site.h"

#define SITE_MANIFEST_SCHEMA "sobre.site/1"

/* Strings from reports are valid UTF-8 (jansson read them); settings are checked by
 * publish.c. An invalid one would make json_string() fail: fall back to "". */
static json_t *jstr(const char *s)
{
    json_t *v = json_string(s ? s : "");
    return v ? v : json_string("");
}

static json_t *url_of(const SiteEpisode *e, const char *name)
{
    char url[512];
    snprintf(url, sizeof(url), "episodes/%s/%s", e->slug, name);
    return json_string(url);
}

/* 6 significant digits, as `sobre footprint --json` writes them: the two compare equal. */
static json_t *num6(double x)
{
    char buf[32];
    snprintf(buf, sizeof(buf), "%.6g", x);
    return json_real(strtod(buf, NULL));
}

static void put_view(json_t *o, const SiteDoc *d, int f, const SobreFootprintView *v)
{
    json_object_set_new(o, "device", json_string(sobre_device_name(d->device[f])));
    json_object_set_new(o, "network", json_string(sobre_network_name(d->network[f])));
    json_object_set_new(o, "wh_per_view", num6(v->wh));
    json_object_set_new(o, "gco2e_per_view", num6(v->gco2e));
    json_object_set_new(o, "gco2e_low", num6(v->gco2e_low));
    json_object_set_new(o, "gco2e_high", num6(v->gco2e_high));
    json_object_set_new(o, "embodied_gco2e_per_view", num6(v->embodied));
    json_object_set_new(o, "total_gco2e_per_view", num6(v->gco2e + v->embodied));
    json_object_set_new(o, "total_low", num6(v->gco2e_low + v->embodied_low));
    json_object_set_new(o, "total_high", num6(v->gco2e_high + v->embodied_high));
}

/* The rendition on the comparison format (the one the page states above the files), and
 * on the larger screens' format. */
static json_t *footprint_json(const SiteDoc *d, const SiteRend *sr)
{
    json_t *o = json_object(), *large = json_object();
    json_object_set_new(o, "method", json_string(sobre_method_name(d->method)));
    json_object_set_new(o, "factors", jstr(sobre_factors_label(d->fp)));
    put_view(o, d, SITE_FMT_SMALL, &sr->fp[SITE_FMT_SMALL].v);
    put_view(large, d, SITE_FMT_LARGE, &sr->fp[SITE_FMT_LARGE].v);
    json_object_set_new(o, "large_screen", large);
    return o;
}

static json_t *site_footprint_json(const SiteDoc *d)
{
    if (!site_has_footprint(d))
        return json_null();
    return json_pack(
        "{s:s,s:o,s:o,s:o,s:{s:s,s:s},s:{s:s,s:s},s:I,s:s}", "method", sobre_method_name(d->method),
        "method_title", jstr(sobre_method_title(d->method)), "factors",
        jstr(sobre_factors_label(d->fp)), "factors_version", jstr(sobre_factors_version(d->fp)),
        "compare", "device", sobre_device_name(d->device[SITE_FMT_SMALL]), "network",
        sobre_network_name(d->network[SITE_FMT_SMALL]), "large_screen", "device",
        sobre_device_name(d->device[SITE_FMT_LARGE]), "network",
        sobre_network_name(d->network[SITE_FMT_LARGE]), "views", (json_int_t)d->views, "page",
        "empreinte.html");
}

static json_t *rendition_json(const SiteDoc *d, const SiteEpisode *e, const SiteRend *sr)
{
    const SobreReportRendition *r = sr->r;
    json_t *o = json_object();
    json_object_set_new(o, "id", jstr(r->id));
    json_object_set_new(o, "label", jstr(r->label));
    json_object_set_new(o, "kind", jstr(r->kind));
    json_object_set_new(o, "role", jstr(r->role));
    json_object_set_new(o, "url", url_of(e, sr->name));
    json_object_set_new(o, "mime", jstr(r->mime));
    json_object_set_new(o, "bytes", json_integer(sr->bytes));
    json_object_set_new(o, "duration_s", json_real(r->duration_s));
    json_object_set_new(o, "bitrate_bps", json_integer(sr->bitrate_bps));
    if (!strcmp(r->kind, "video")) {
        json_object_set_new(o, "width", json_integer(r->video.width));
        json_object_set_new(o, "height", json_integer(r->video.height));
        json_object_set_new(o, "video_codec", jstr(r->video.codec));
    }
    if (r->audio.codec[0]) {
        json_object_set_new(o, "audio_codec", jstr(r->audio.codec));
        json_object_set_new(o, "audio_channels", json_integer(r->audio.channels));
    }
    if (sr->fp[SITE_FMT_SMALL].ok && sr->fp[SITE_FMT_LARGE].ok)
        json_object_set_new(o, "footprint", footprint_json(d, sr));
    else
        json_object_set_new(o, "footprint", json_null());
    return o;
}

static json_t *episode_json(const SiteDoc *d, const SiteEpisode *e)
{
    const SobreReport *rep = e->report;
    char page[32], anchor[80], own[128];
    json_t *o = json_object(), *arr;
    site_page_name(e->page, page, sizeof(page));
    snprintf(anchor, sizeof(anchor), "e-%s", e->slug);
    snprintf(own, sizeof(own), "episodes/%s/index.html", e->slug);
    json_object_set_new(o, "number", json_integer(e->number));
    json_object_set_new(o, "slug", jstr(e->slug));
    json_object_set_new(o, "title", jstr(rep->title));
    json_object_set_new(o, "description", jstr(rep->description));
    json_object_set_new(o, "language", jstr(rep->language));
    json_object_set_new(o, "created", jstr(rep->created));
    json_object_set_new(o, "duration_s", json_real(rep->source.duration_s));
    json_object_set_new(o, "page", json_string(page));
    json_object_set_new(o, "anchor", json_string(anchor));
    json_object_set_new(o, "permalink", json_string(own));
    if (e->poster[0])
        json_object_set_new(o, "poster",
                            json_pack("{s:o,s:i,s:i,s:I}", "url", url_of(e, e->poster), "width",
                                      rep->poster.width, "height", rep->poster.height, "bytes",
                                      (json_int_t)e->poster_bytes));
    else
        json_object_set_new(o, "poster", json_null());
    arr = json_array();
    for (int i = 0; i < e->nb_caps; i++)
        json_array_append_new(arr, json_pack("{s:o,s:o,s:o}", "url", url_of(e, e->caps[i].name),
                                             "lang", jstr(e->caps[i].c->lang), "label",
                                             jstr(e->caps[i].c->label)));
    json_object_set_new(o, "captions", arr);
    arr = json_array();
    for (int k = 0; k < e->nb_sources; k++)
        json_array_append_new(arr, json_string(e->rend[e->sources[k]].r->id));
    json_object_set_new(o, "source_order", arr);
    json_object_set_new(o, "listen", e->audio >= 0 ? jstr(e->rend[e->audio].r->id) : json_null());
    arr = json_array();
    for (int i = 0; i < e->nb_rend; i++)
        json_array_append_new(arr, rendition_json(d, e, &e->rend[i]));
    json_object_set_new(o, "renditions", arr);
    return o;
}

static json_t *budget_item(const SiteDoc *d, const char *name, const SitePageBudget *bud)
{
    return json_pack("{s:s,s:i,s:I,s:I,s:I,s:I,s:i}", "page", name, "requests", bud->requests,
                     "html_bytes", (json_int_t)bud->html_bytes, "css_js_bytes",
                     (json_int_t)(d->css_bytes + d->js_bytes), "poster_bytes",
                     (json_int_t)bud->poster_bytes, "total_bytes",
                     (json_int_t)(bud->html_bytes + d->css_bytes + d->js_bytes + bud->poster_bytes),
                     "elements", bud->elements);
}

static json_t *budget_json(const SiteDoc *d)
{
    json_t *arr = json_array();
    for (int p = 1; p <= d->nb_pages; p++) {
        char name[32];
        site_page_name(p, name, sizeof(name));
        json_array_append_new(arr, budget_item(d, name, &d->budget[p - 1]));
    }
    for (int i = 0; i < d->nb_eps; i++) {
        char name[128];
        snprintf(name, sizeof(name), "episodes/%s/index.html", d->eps[i].slug);
        json_array_append_new(arr, budget_item(d, name, &d->eps[i].budget));
    }
    return arr;
}

int site_render_manifest(const SiteDoc *d, SobreBuf *b, SobreError *err)
{
    json_t *root = json_object(), *eps = json_array(), *pages = json_array();
    const char *base = d->set ? d->set->base_url : NULL;
    char *text;
    char version[32];
    snprintf(version, sizeof(version), "sobre %s", sobre_version());
    json_object_set_new(root, "schema", json_string(SITE_MANIFEST_SCHEMA));
    json_object_set_new(root, "generator", json_string(version));
    json_object_set_new(root, "published", json_string(d->date));
    json_object_set_new(root, "title", jstr(d->title));
    json_object_set_new(root, "description",
                        jstr(d->set && d->set->description ? d->set->description : ""));
    json_object_set_new(root, "lang", json_string(d->t->lang));
    json_object_set_new(root, "base_url", base && base[0] ? jstr(base) : json_null());
    for (int p = 1; p <= d->nb_pages; p++) {
        char name[32];
        site_page_name(p, name, sizeof(name));
        json_array_append_new(pages, json_string(name));
    }
    json_object_set_new(root, "pages", pages);
    json_object_set_new(root, "playlists",
                        json_pack("{s:s,s:s,s:s,s:s,s:s}", "video", "serie.m3u", "audio",
                                  "serie-audio.m3u", "podcast", "podcast.xml", "declaration",
                                  "ecoconception.html", "footprint", "empreinte.html"));
    for (int i = 0; i < d->nb_eps; i++)
        json_array_append_new(eps, episode_json(d, &d->eps[i]));
    json_object_set_new(root, "episodes", eps);
    json_object_set_new(root, "footprint", site_footprint_json(d));
    json_object_set_new(root, "budget", budget_json(d));
    json_object_set_new(root, "budget_limit",
                        json_pack("{s:i,s:i,s:i}", "requests", SOBRE_PUBLISH_MAX_REQUESTS,
                                  "total_bytes", SOBRE_PUBLISH_MAX_BYTES, "elements",
                                  SOBRE_PUBLISH_MAX_ELEMENTS));
    text = json_dumps(root, JSON_INDENT(2) | JSON_REAL_PRECISION(10));
    json_decref(root);
    if (!text)
        return sobre_fail(err, -ENOMEM, "manifest.json: cannot serialise");
    sobre_buf_puts(b, text);
    sobre_buf_puts(b, "\n");
    free(text);
    return 0;
}
