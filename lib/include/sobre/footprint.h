/**
 * @file footprint.h
 * Energy (Wh) and carbon (gCO2e) of one view for every viewing format: a rendition (its
 * real bytes and duration) x a device x a network, under a named method, with a low /
 * high bracket and the viewing device's manufacturing share as its own line; plus the
 * one-off energy of the encode. Model and sources: docs/footprint.md.
 *
 * Pure computation: every factor comes from a factors file (presets/factors/NAME.yaml)
 * that the caller loads; nothing here reads media, clocks or /sys. Objects are owned by
 * the caller and freed with their _free() function; none is shared between threads
 * while being modified.
 */
#ifndef SOBRE_FOOTPRINT_H
#define SOBRE_FOOTPRINT_H

#include <stddef.h>
#include <stdint.h>

#include "sobre/common.h"
#include "sobre/report.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Viewing devices (names: smartphone, tablet, laptop, desktop, tv). */
enum SobreDevice {
    SOBRE_DEVICE_SMARTPHONE,
    SOBRE_DEVICE_TABLET,
    SOBRE_DEVICE_LAPTOP,
    SOBRE_DEVICE_DESKTOP, /**< desktop computer + monitor */
    SOBRE_DEVICE_TV,
    SOBRE_DEVICE_COUNT
};

/** Networks (names: fixed-fr, mobile-4g-fr, 5g-fr, fixed-eu, mobile-eu). */
enum SobreNetwork {
    SOBRE_NETWORK_FIXED_FR,
    SOBRE_NETWORK_MOBILE_4G_FR,
    SOBRE_NETWORK_5G_FR,
    SOBRE_NETWORK_FIXED_EU,
    SOBRE_NETWORK_MOBILE_EU,
    SOBRE_NETWORK_COUNT
};

/** Methods (names: ademe, attributional, power, swd4, onebyte). */
enum SobreMethod {
    SOBRE_METHOD_ADEME, /**< default: ADEME Impact CO2 "streaming vidéo" model */
    SOBRE_METHOD_ATTRIBUTIONAL,
    SOBRE_METHOD_POWER,   /**< marginal power model, Malmodin 2020 */
    SOBRE_METHOD_SWD4,    /**< Sustainable Web Design v4, as CO2.js computes it */
    SOBRE_METHOD_ONEBYTE, /**< The Shift Project 1byte, as CO2.js computes it */
    SOBRE_METHOD_COUNT
};

/** Machine name of a device / network / method, NULL when out of range. */
SOBRE_API const char *sobre_device_name(int device);
SOBRE_API const char *sobre_network_name(int network);
SOBRE_API const char *sobre_method_name(int method);
/** Human title, e.g. "desktop + monitor", "mobile 4G (France)". */
SOBRE_API const char *sobre_device_title(int device);
SOBRE_API const char *sobre_network_title(int network);
SOBRE_API const char *sobre_method_title(int method);
/** Index from a machine name, -1 when unknown. */
SOBRE_API int sobre_device_from_name(const char *name);
SOBRE_API int sobre_network_from_name(const char *name);
SOBRE_API int sobre_method_from_name(const char *name);

/* ---- factors -------------------------------------------------------------------- */

typedef struct SobreFactors SobreFactors;

/** One factor as loaded (strings are owned by the SobreFactors; "" when absent). */
typedef struct SobreFactorInfo {
    const char *id;   /**< e.g. "device_power.tv" */
    const char *unit; /**< e.g. "W" */
    double low, central, high;
    const char *source, *low_source, *high_source, *note;
    int derived;      /**< computed by sobre from other sources, not published as such */
    const char *file; /**< file that set it (the default or an override) */
    int line;         /**< line in that file */
} SobreFactorInfo;

/**
 * Loads a complete factors file (every factor and every role's typical viewing format
 * must be present). Each factor needs unit (the expected one), central (within a
 * plausible range, >= 0), optional low <= central <= high, and source. Errors read
 * "FILE:LINE: factor 'x': ...". On failure *out is NULL.
 */
SOBRE_API int sobre_factors_load(SobreFactors **out, const char *path, SobreError *err);
/** Same from a buffer; name is the file name used in messages. */
SOBRE_API int sobre_factors_parse(SobreFactors **out, const char *name, const char *yaml,
                                  size_t len, SobreError *err);
/**
 * Overrides the factors (and typical formats) that an override file names, each as a
 * whole factor (unit, central, source, optional bracket). On failure f is unchanged.
 */
SOBRE_API int sobre_factors_overlay_file(SobreFactors *f, const char *path, SobreError *err);
SOBRE_API int sobre_factors_overlay(SobreFactors *f, const char *name, const char *yaml, size_t len,
                                    SobreError *err);
SOBRE_API void sobre_factors_free(SobreFactors **f);

/** Number of known factors (the same for every file). */
SOBRE_API int sobre_factors_count(void);
/** Index of a factor id, -1 when unknown. */
SOBRE_API int sobre_factors_find(const char *id);
/** Fills out for factor index i; returns SOBRE_E_INVALID when out of range. */
SOBRE_API int sobre_factors_info(const SobreFactors *f, int i, SobreFactorInfo *out);
/** "fr-2024", or "fr-2024 + eu-2024" with overrides (owned by f). */
SOBRE_API const char *sobre_factors_label(const SobreFactors *f);
/** Versions in the same order, e.g. "2024.1 + 2024.1". */
SOBRE_API const char *sobre_factors_version(const SobreFactors *f);
/** Number of files loaded (default first) and their names / paths / versions. */
SOBRE_API int sobre_factors_files(const SobreFactors *f);
SOBRE_API const char *sobre_factors_file_name(const SobreFactors *f, int i);
SOBRE_API const char *sobre_factors_file_path(const SobreFactors *f, int i);
/** Typical viewing format of a rendition role ("audio", "sobre", ...); unknown roles get
 * the "extra" one. */
SOBRE_API void sobre_factors_typical(const SobreFactors *f, const char *role, int *device,
                                     int *network);

/* ---- one viewing format ---------------------------------------------------------- */

/** Footprint of one view. Brackets use every factor at its low (resp. high) value. */
typedef struct SobreFootprintView {
    double mb;                           /**< megabytes delivered (10^6 bytes) */
    double wh, wh_low, wh_high;          /**< energy of the view */
    double wh_device, wh_network, wh_dc; /**< central energy by segment */
    double gco2e, gco2e_low, gco2e_high; /**< operational: all but the device's manufacturing */
    double g_device, g_network, g_dc;    /**< central operational carbon by segment */
    double embodied, embodied_low, embodied_high; /**< viewing device manufacturing share */
    int derived; /**< a derived factor (e.g. 5G) entered the figure */
} SobreFootprintView;

/**
 * Computes one view of bytes delivered over duration_s seconds of watching.
 * Returns SOBRE_E_INVALID for an unknown method/device/network, bytes <= 0 or
 * duration_s <= 0.
 */
SOBRE_API int sobre_footprint_view(const SobreFactors *f, int method, int64_t bytes,
                                   double duration_s, int device, int network,
                                   SobreFootprintView *out, SobreError *err);

/** Energy of an encode. */
typedef struct SobreEncodeEnergy {
    double cpu_s;
    double wh, wh_low, wh_high; /**< measured (RAPL) or cpu_s x power per busy core */
    double gco2e;               /**< wh x grid */
    double wh_per_minute;       /**< per minute of encoded media, 0 when unknown */
    int measured;               /**< 1 when wh comes from RAPL energy */
} SobreEncodeEnergy;

/**
 * Encode energy from CPU seconds, or from RAPL energy_uj when >= 0 (measured wins).
 * media_s is the encoded duration (for Wh per minute; 0 if unknown).
 */
SOBRE_API int sobre_footprint_encode(const SobreFactors *f, double cpu_s, int64_t energy_uj,
                                     double media_s, SobreEncodeEnergy *out, SobreError *err);

/* ---- every viewing format of an episode ------------------------------------------- */

typedef struct SobreFootprintOptions {
    int method;            /**< SOBRE_METHOD_* */
    long views;            /**< expected views (0: none given) */
    unsigned device_mask;  /**< bit per SobreDevice shown; 0 = all */
    unsigned network_mask; /**< bit per SobreNetwork shown; 0 = all */
} SobreFootprintOptions;

typedef struct SobreFootprintTable SobreFootprintTable;

/**
 * Computes every rendition x device x network of a report. r and f are borrowed and
 * must outlive the table. Fails (naming the report file and the member) when a
 * rendition has no size or no duration.
 */
SOBRE_API int sobre_footprint_table_new(SobreFootprintTable **out, const SobreReport *r,
                                        const char *name, const SobreFactors *f,
                                        const SobreFootprintOptions *opt, SobreError *err);
SOBRE_API void sobre_footprint_table_free(SobreFootprintTable **t);

/** Rows shown (after the device/network filters). */
SOBRE_API int sobre_footprint_table_size(const SobreFootprintTable *t);

/** Output formats. */
enum { SOBRE_FOOTPRINT_TEXT, SOBRE_FOOTPRINT_CSV, SOBRE_FOOTPRINT_JSON, SOBRE_FOOTPRINT_MD };
/** Flags of sobre_footprint_render(). */
enum {
    SOBRE_FOOTPRINT_EXPLAIN = 1,   /**< text/md: append the method, formula and sources */
    SOBRE_FOOTPRINT_NO_HEADER = 2, /**< csv: leave out the header line */
};

/**
 * Renders the shown rows, sorted heaviest first, with the ratio of each to the heaviest.
 * JSON is the shape of EPISODE/footprint.json (docs/footprint.md, footprint.schema.json).
 * *out is a newly allocated string (free() it).
 */
SOBRE_API int sobre_footprint_render(const SobreFootprintTable *t, int format, int flags,
                                     char **out, SobreError *err);
/** A self-contained SVG bar chart of the shown rows (free() it). */
SOBRE_API int sobre_footprint_svg(const SobreFootprintTable *t, char **out, SobreError *err);
/** The footprint of an episode as stored in footprint.json: every row, whatever the
 *  filters (free() it). */
SOBRE_API int sobre_footprint_section(const SobreFootprintTable *t, char **out, SobreError *err);
/** The method, its formula, and every factor it uses with its source (free() it). */
SOBRE_API int sobre_footprint_explain(const SobreFactors *f, int method, char **out,
                                      SobreError *err);

#ifdef __cplusplus
}
#endif
#endif
