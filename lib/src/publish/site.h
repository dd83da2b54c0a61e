/* The publish site model and its pure renderers (publish.c drives them, the unit tests
 * call them directly). An episode is a loaded report plus what the site derives from it:
 * a unique slug, safe file names, the <source> order, the footprint, the transcript. */
#ifndef SOBRE_SITE_H
#define SOBRE_SITE_H

#include <stdint.h>

#include "sobre/publish.h"
#include "sobre/report.h"
#include "strbuf.h"

/** Interface strings of one language (site_i18n.c). */
typedef struct SiteStrings {
    const char *lang, *default_title, *skip, *intro, *duration, *listen, *transcript, *definitions,
        *definition, *automatic, *per_view, *page_of, *prev, *next, *pages_label, *playlists,
        *m3u_video, *m3u_audio, *podcast, *manifest, *declaration, *heavy, *audio, *captions,
        *no_js, *decimal;
    const char *units[4]; /* bytes, kilo, mega, giga */
    const char *role[8];  /* audio, sobre, standard, high, fallback, extra, low, hdr */
    const char *terminal[8];
    /* ecoconception.html */
    const char *eco_title, *eco_intro, *eco_media, *eco_cols[7], *eco_vbr, *eco_crf, *eco_cap,
        *eco_keyint, *eco_mono, *eco_stereo, *eco_channels, *eco_budget, *eco_budget_cols[6],
        *eco_criteria, *eco_crit_cols[2], *eco_crit[10][2], *eco_footprint, *eco_fp_none,
        *eco_episodes, *eco_back, *fp_note;
} SiteStrings;

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
/** "≈ 0,0049 Wh · 0,25 g CO₂e" (without "per view"). */
void site_put_footprint(SobreBuf *b, const SiteStrings *t, double wh, double g);

typedef struct SiteRend {
    const SobreReportRendition *r;
    char name[128]; /* file name inside the episode's site folder */
    int64_t bytes;  /* real size once checked, else the report's */
    int64_t bitrate_bps;
    int role; /* SITE_ROLE_* */
    int has_fp;
    double wh, gco2e;             /* per view, from report.json's footprint section */
    double g_low, g_high;         /* bracket of gco2e, -1 when absent */
    double embodied;              /* device manufacturing share per view, -1 when absent */
    char device[32], network[48]; /* the typical viewing format assumed, "" if absent */
} SiteRend;

typedef struct SiteCaption {
    const SobreReportCaption *c;
    char name[128];
} SiteCaption;

typedef struct SiteEpisode {
    SobreReport *report; /* owned */
    char dir[4096];      /* the episode folder it came from */
    char slug[64];
    SiteRend rend[SOBRE_REPORT_MAX_RENDITIONS];
    int nb_rend;
    int sources[SOBRE_REPORT_MAX_RENDITIONS]; /* indexes into rend, <source> order */
    int nb_sources;
    int audio;        /* "listen only" rendition, -1 if none */
    int podcast;      /* RSS enclosure (AAC first, then Opus), -1 if none */
    int headline;     /* the rendition summarised next to the title, -1 if none */
    char poster[128]; /* "" when none */
    SiteCaption caps[SOBRE_REPORT_MAX_CAPTIONS];
    int nb_caps;
    char *transcript;                   /* owned plain text, NULL if no captions */
    char fp_method[64], fp_factors[96]; /* how the footprint was computed, "" if absent */
    int page;                           /* 1-based index page */
} SiteEpisode;

typedef struct SitePageBudget {
    int64_t html_bytes, poster_bytes;
    int requests;
} SitePageBudget;

typedef struct SiteDoc {
    const SobrePublishSettings *set;
    const SiteStrings *t;
    const char *title; /* settings title or the default */
    SiteEpisode *eps;
    int nb_eps;
    int per_page, nb_pages;
    int64_t css_bytes, js_bytes;
    SitePageBudget *budget; /* nb_pages entries, filled by the page renderer */
} SiteDoc;

/**
 * Takes ownership of rep (freed by site_episode_clear even on failure) and derives the
 * site view: safe names, source order, footprint. Touches no file.
 */
int site_episode_init(SiteEpisode *e, SobreReport *rep, const char *dir, SobreError *err);
/** Checks every named file exists in e->dir, takes the real sizes, reads the captions
 * for the transcript. Errors name the file. */
int site_episode_check_files(SiteEpisode *e, SobreError *err);
void site_episode_clear(SiteEpisode *e);

/** Unique slugs (from titles, then folder names) and page numbers; allocates budget. */
int site_doc_layout(SiteDoc *d, SobreError *err);
/** "index.html" for page 1, "page-N.html" after. */
void site_page_name(int page, char *out, size_t size);

/* Renderers: append to b; the caller checks b->oom. */
void site_render_page(SiteDoc *d, int page, SobreBuf *b);
void site_render_m3u(const SiteDoc *d, int audio, SobreBuf *b);
void site_render_rss(const SiteDoc *d, SobreBuf *b);
int site_render_manifest(const SiteDoc *d, SobreBuf *b, SobreError *err);
void site_render_eco(const SiteDoc *d, SobreBuf *b);
/** Common <head> up to and including <body>: charset, CSP, viewport, title, stylesheet. */
void site_put_head(SobreBuf *b, const SiteDoc *d, const char *title, int script);

/* WebVTT (site_vtt.c). */
/** 0 when text is a WebVTT file (starts with "WEBVTT" then space, tab or newline). */
int site_vtt_check(const char *text, size_t len);
/** Cue text without timings, identifiers, NOTE/STYLE/REGION blocks and tags, entities
 * decoded, one cue per line; malloc'ed (NULL on allocation failure). */
char *site_vtt_transcript(const char *text, size_t len);

#endif
