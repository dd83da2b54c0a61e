/* The publish site model and its pure renderers (publish.c drives them, the unit tests
 * call them directly). An episode is a loaded report, read only, plus what the site
 * derives from it and from the files on disk: a unique slug, safe file names, the
 * <source> order, the real sizes, the per-view footprint, the transcript. */
#ifndef SOBRE_SITE_H
#define SOBRE_SITE_H

#include <stdint.h>

#include "sobre/footprint.h"
#include "sobre/publish.h"
#include "sobre/report.h"
#include "strbuf.h"

enum {
    SITE_ROLE_AUDIO,
    SITE_ROLE_SOBRE,
    SITE_ROLE_STANDARD,
    SITE_ROLE_HIGH,
    SITE_ROLE_FALLBACK,
    SITE_ROLE_EXTRA,
    SITE_ROLE_LOW, /* below sobre (360p) for very slow links: offered on choice */
    SITE_ROLE_HDR, /* 10-bit HDR (hdr: keep): offered to HDR screens only */
    SITE_ROLES
};

/* The two viewing formats the pages cost a view on: a phone-size screen (also the one
 * every comparison of renditions uses) and a computer-size screen, split at 700 px like
 * the <source> media queries. Device and network come from the factors' typical
 * formats of the "sobre" and "standard" roles. */
enum { SITE_FMT_SMALL, SITE_FMT_LARGE, SITE_FMTS };

/* RGESN statuses of the declaration. */
enum { SITE_OK, SITE_NOT_OK, SITE_NA };

/** Interface strings of one language (site_i18n.c). Constants, never escaped. The
 * RGESN criteria of the declaration have their own tables in site_eco.c. */
typedef struct SiteStrings {
    const char *lang, *default_title, *skip, *duration, *definition, *automatic, *page_of, *prev,
        *next, *pages_label, *playlists, *m3u_video, *m3u_audio, *podcast, *manifest, *declaration,
        *footprint_page, *heavy, *audio, *captions, *decimal, *transcript, *listen, *listen_back,
        *episodes_label, *next_episode, *permalink, *back_to_series;
    const char *units[4];         /* bytes, kilo, mega, giga */
    const char *role[SITE_ROLES]; /* SITE_ROLE_* order */
    const char *terminal[SITE_ROLES];
    const char *device[SOBRE_DEVICE_COUNT];   /* "smartphone", "ordinateur portable"... */
    const char *network[SOBRE_NETWORK_COUNT]; /* "réseau mobile 4G (France)"... */
    const char *screen[SITE_FMTS];            /* line prefix without a footprint */
    /* the footprint in the video pages */
    const char *on_format; /* "Sur %s, %s : " (device, network) */
    const char *files_on;  /* "Fichiers, par vue sur %s, %s :" */
    const char *files_plain;
    const char *fig_long;  /* sobre.js template: {l} label {s} size {g} total {o} use {w} Wh */
    const char *fig_plain; /* the same without a footprint */
    const char *fig_short; /* "≈ %s g CO₂e (usage seul : %s g)" */
    const char *about, *about_load, *about_fp1, *about_fp2, *about_fp3, *about_fp_link, *about_none;
    const char *description; /* meta description when the site has none */
    /* ecoconception.html */
    const char *eco_title, *eco_intro, *eco_media, *eco_cols[7], *eco_vbr, *eco_crf, *eco_cap,
        *eco_keyint, *eco_mode_unknown, *eco_mono, *eco_stereo, *eco_channels, *eco_budget,
        *eco_budget_cols[5], *eco_limit, *eco_criteria, *eco_crit_cols[3], *eco_status[3],
        *eco_fp_none, *eco_episodes, *eco_fp_note;
    /* empreinte.html */
    const char *fp_title, *fp_intro, *fp_meaning, *fp_series, *fp_series_line, *fp_chart_alt,
        *fp_chart_caption, *fp_all, *fp_all_intro, *fp_cols[10], *fp_by_episode, *fp_ep_cols[6],
        *fp_method, *fp_formula, *fp_factor_cols[5], *fp_none, *fp_derived, *fp_covers, *fp_usage,
        *fp_making, *fp_low_src, *fp_high_src, *fp_factors;
} SiteStrings;

/** The strings for lang ("fr", "en"), NULL when not supported. */
const SiteStrings *site_strings(const char *lang);
/** Index of a report role name in the SITE_ROLE_* order, -1 if unknown. */
int site_role(const char *role);
/** Display name of a codec or container ("vp9" -> "VP9"); unknown names are returned. */
const char *site_codec_name(const char *codec);
/** The report name of a SITE_ROLE_* ("sobre"...). */
const char *site_role_name(int role);

/* Number formatting in the interface language ("1,2 Mo" / "1.2 MB"). */
void site_put_size(SobreBuf *b, const SiteStrings *t, int64_t bytes);
void site_put_duration(SobreBuf *b, double seconds);
/** A positive number with 2 significant digits (0.0049 -> "0,0049"). */
void site_put_num(SobreBuf *b, const SiteStrings *t, double v);

/** One view of a rendition on one viewing format (ok = 0: not computed). */
typedef struct SiteView {
    int ok;
    SobreFootprintView v; /* gco2e: operational; embodied: the device's manufacturing */
} SiteView;

typedef struct SiteRend {
    const SobreReportRendition *r;
    char name[128];      /* file name inside the episode's site folder */
    int64_t bytes;       /* size of the file on disk once checked, else the report's */
    int64_t bitrate_bps; /* bytes * 8 / duration */
    int role;            /* SITE_ROLE_* */
    SiteView fp[SITE_FMTS];
} SiteRend;

typedef struct SiteCaption {
    const SobreReportCaption *c;
    char name[128];
} SiteCaption;

typedef struct SitePageBudget {
    int64_t html_bytes, poster_bytes;
    int requests, elements;
} SitePageBudget;

typedef struct SiteEpisode {
    SobreReport *owned;        /* freed by site_episode_clear */
    const SobreReport *report; /* the same, read only: publish never changes a report */
    char dir[4096];            /* the episode folder it came from */
    char slug[64];
    SiteRend rend[SOBRE_REPORT_MAX_RENDITIONS];
    int nb_rend;
    int sources[SOBRE_REPORT_MAX_RENDITIONS]; /* indexes into rend, <source> order */
    int nb_sources;
    int audio;            /* "listen only" rendition, -1 if none */
    int podcast;          /* RSS enclosure (AAC first, then Opus), -1 if none */
    int shown[SITE_FMTS]; /* what a small / large screen plays without a choice, -1 if none */
    char poster[128];     /* "" when none */
    int64_t poster_bytes; /* measured on disk */
    int poster_webp;      /* the poster file is WebP (RIFF....WEBP) */
    SiteCaption caps[SOBRE_REPORT_MAX_CAPTIONS];
    int nb_caps;
    char *transcript;      /* owned plain text, NULL if no captions */
    int page;              /* 1-based index page */
    int number;            /* 1-based place in the series */
    SitePageBudget budget; /* of its own page, episodes/<slug>/index.html */
} SiteEpisode;

/* One rendition id over the whole series: the summed bytes on disk and durations of the
 * episodes that have it (site_footprint.c). */
typedef struct SiteSeriesRend {
    const SiteRend *first;
    int64_t bytes;
    double duration_s;
    int episodes;
    SiteView fp[SITE_FMTS];
} SiteSeriesRend;

#define SITE_SERIES_MAX 64

typedef struct SiteDoc {
    const SobrePublishSettings *set;
    const SiteStrings *t;
    const char *title; /* settings title or the default */
    SiteEpisode *eps;
    int nb_eps;
    int per_page, nb_pages;
    int64_t css_bytes, js_bytes;
    SitePageBudget *budget; /* nb_pages entries, filled by the page renderer */
    const SobreFactors *fp; /* NULL: no footprint anywhere */
    int method;
    long views;
    int device[SITE_FMTS], network[SITE_FMTS];
    char date[16];           /* day of the publish, YYYY-MM-DD */
    const SiteEpisode *solo; /* while rendering an episode's own page; NULL otherwise */
    int cur_page;            /* the index page being rendered, 0 for an episode's page */
} SiteDoc;

/**
 * Takes ownership of rep (freed by site_episode_clear even on failure) and derives the
 * site view: safe names, source order. Touches no file.
 */
int site_episode_init(SiteEpisode *e, SobreReport *rep, const char *dir, SobreError *err);
/** Checks every named file exists in e->dir and takes its size on disk (a size that
 * differs from report.json is logged), checks and reads the captions for the transcript.
 * Errors name the file. */
int site_episode_check_files(SiteEpisode *e, const SobreLogger *log, SobreError *err);
void site_episode_clear(SiteEpisode *e);

/** Unique slugs (from titles, then folder names), numbers and page numbers; the viewing
 * formats and every rendition's footprint on them (from the sizes on disk); allocates the
 * budget. */
int site_doc_layout(SiteDoc *d, SobreError *err);
/** "index.html" for page 1, "page-N.html" after. */
void site_page_name(int page, char *out, size_t size);
/** 1 when some rendition of the site has a footprint. */
int site_has_footprint(const SiteDoc *d);

/* Renderers: append to b; the caller checks b->oom. */
void site_render_page(SiteDoc *d, int page, SobreBuf *b);
void site_render_episode_page(SiteDoc *d, SiteEpisode *e, SobreBuf *b);
void site_render_m3u(const SiteDoc *d, int audio, SobreBuf *b);
void site_render_rss(const SiteDoc *d, SobreBuf *b);
int site_render_manifest(const SiteDoc *d, SobreBuf *b, SobreError *err);
void site_render_eco(const SiteDoc *d, SobreBuf *b);
void site_render_footprint(const SiteDoc *d, SobreBuf *b);
/** The series' renditions (those with a footprint), in the order a viewer meets them. */
int site_series_collect(const SiteDoc *d, SiteSeriesRend *out, int max);
/** "720p", or "720p : 2 épisode(s) sur 3" when not every episode has it (escaped). */
void site_series_label(SobreBuf *b, const SiteDoc *d, const SiteSeriesRend *s);
/** The bar chart of empreinte.html (empreinte.svg); its size in *w, *h. */
void site_render_chart(const SiteDoc *d, SobreBuf *b, int *w, int *h);
/** Common <head> up to and including <body>: charset, CSP, viewport, title, description,
 * stylesheet (root: "" or "../../" for the episode pages), the script when asked. */
void site_put_head(SobreBuf *b, const SiteDoc *d, const char *title, const char *root, int script);
/** The footer every page ends with: playlists, data, declaration, footprint page. */
void site_put_footer(SobreBuf *b, const SiteDoc *d, const char *root);
/** Localised device and network of a viewing format. */
void site_put_format(SobreBuf *b, const SiteDoc *d, int device, int network);
/** Number of HTML elements (start tags) in b from offset start. */
int site_count_elements(const SobreBuf *b, size_t start);

#endif
