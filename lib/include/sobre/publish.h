/**
 * @file publish.h
 * Builds the static playlist site from encoded episode folders (`sobre publish`).
 *
 * The site is plain files an intranet admin copies to any static web server: index
 * pages, one stylesheet, an optional ~1 KB script, the renditions, captions, posters,
 * M3U playlists, an RSS podcast, manifest.json (docs/manifest.schema.json), the
 * eco-design declaration and sample server configurations. Titles and descriptions are
 * untrusted: they are escaped for every format and never used as file names as such.
 *
 * The site is built in a temporary folder next to the target and swapped in at the end:
 * a failed or cancelled publish leaves the previous site as it was. Media files that did
 * not change (same size and modification time) are hard-linked from the previous site,
 * others are hard-linked from the episode folder, or copied when links are impossible.
 * The core is pure C (no FFmpeg); it reads report.json through sobre/report.h and never
 * writes it: sizes shown are those of the files on disk (a difference with report.json
 * is logged as a warning), and the per-view footprint is computed here, from the
 * factors given in the settings, so the site does not depend on any earlier command.
 */
#ifndef SOBRE_PUBLISH_H
#define SOBRE_PUBLISH_H

#include <stdint.h>

#include "sobre/common.h"
#include "sobre/footprint.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Default number of episodes per index page (more episodes make page-2.html...): ten
 *  articles with their series list, next-episode and permanent links stay within the
 *  300 HTML elements of the page budget. */
#define SOBRE_PUBLISH_PER_PAGE 10
/** Default number of views the footprint page (empreinte.html) gives totals for. */
#define SOBRE_PUBLISH_VIEWS 1000

/** The page budget (RGESN 6.1) every video page is measured against, before any click:
 *  requests, bytes (page, style.css, sobre.js, posters) and HTML elements. */
#define SOBRE_PUBLISH_MAX_REQUESTS 15
#define SOBRE_PUBLISH_MAX_BYTES    150000
#define SOBRE_PUBLISH_MAX_ELEMENTS 300

/** What to publish and how. Fill with sobre_publish_default_settings() first. */
typedef struct SobrePublishSettings {
    const char *title;       /**< site title (UTF-8, untrusted); NULL: a default per language */
    const char *description; /**< short text under the title; NULL or "": none */
    const char *lang;        /**< interface language: "fr" (default) or "en" */
    const char *base_url;    /**< absolute http(s) URL of the site, used only in podcast.xml
                                  and manifest.json; NULL: relative URLs everywhere */
    const char *assets_dir;  /**< folder holding style.css, sobre.js and the server
                                  configurations (presets/site); required */
    int per_page;            /**< episodes per index page, 1..100 (default 10) */
    /** Factors for the per-view footprint (borrowed, e.g. presets/factors/fr-2024.yaml
     *  loaded with sobre_factors_load()); NULL: the site shows sizes but no footprint. */
    const SobreFactors *factors;
    int method; /**< SOBRE_METHOD_* for the footprint (default SOBRE_METHOD_ADEME) */
    long views; /**< views the footprint page totals (default SOBRE_PUBLISH_VIEWS) */
    /** Checked between files; when it becomes non-zero the publish stops with
     *  SOBRE_E_CANCELLED and the previous site stays in place. May be NULL. */
    const volatile int *cancel;
    SobreLogger logger;
} SobrePublishSettings;

/** What a publish did (all counts for the whole site). */
typedef struct SobrePublishStats {
    int episodes;
    int pages;
    int files_reused; /**< unchanged media linked from the previous site */
    int files_linked; /**< media hard-linked from the episode folders */
    int files_copied; /**< media copied (other filesystem, or links refused) */
    int64_t bytes_copied;
    int64_t media_bytes;      /**< all published media, every rendition */
    int64_t first_page_bytes; /**< index.html + style.css + sobre.js + its posters */
    int first_page_requests;  /**< the same, counted as HTTP requests */
} SobrePublishStats;

/** Fills s with the defaults (French, 10 per page, no base URL, no assets folder, no
 *  factors, the ADEME method, 1000 views). */
SOBRE_API void sobre_publish_default_settings(SobrePublishSettings *s);

/**
 * Builds or updates the site in site_dir from episode folders (each holding a
 * report.json, see docs/episode-folder.md), in the given order.
 *
 * site_dir may be absent (it is created; its parent must exist), an empty folder, or a
 * site made by an earlier publish (recognised by its manifest.json); anything else is
 * refused so that a typo never replaces an unrelated folder. The whole site is replaced:
 * episodes not named again are dropped. The administrator's kit (notes and sample
 * Apache, nginx and IIS settings) is written next to it, in site_dir + "-admin", never
 * inside the published tree.
 *
 * @param s           settings (not NULL; assets_dir required)
 * @param episodes    nb_episodes folder paths (UTF-8 or local bytes; at least one)
 * @param site_dir    the folder to produce
 * @param stats       receives counts on success; may be NULL
 * @param err         receives a message naming the faulty file; may be NULL
 * @return 0, or a negative code: -ENOENT (missing folder or file), SOBRE_E_PARSE /
 *         SOBRE_E_INVALID (bad report.json or captions), SOBRE_E_LOCKED (another publish
 *         to the same site runs), SOBRE_E_CANCELLED, or a negative errno from the file
 *         system. On failure site_dir is untouched and no temporary folder is left.
 */
SOBRE_API int sobre_publish_site(const SobrePublishSettings *s, const char *const *episodes,
                                 int nb_episodes, const char *site_dir, SobrePublishStats *stats,
                                 SobreError *err);

#ifdef __cplusplus
}
#endif
#endif
