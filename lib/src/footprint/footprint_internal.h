/* What the footprint files share: the list of factors (id, unit, plausible range), the
 * loaded factor set, and how a formula reads a factor at a bracket level while noting
 * which factors it used and whether any of them is derived. */
#ifndef SOBRE_FOOTPRINT_INTERNAL_H
#define SOBRE_FOOTPRINT_INTERNAL_H

#include "sobre/footprint.h"

/* Factor indices; per-device and per-network factors follow SobreDevice/SobreNetwork. */
enum {
    F_GRID,
    F_GRID_EU,
    F_DEVICE_POWER,
    F_DEVICE_EMBODIED = F_DEVICE_POWER + SOBRE_DEVICE_COUNT,
    F_NETWORK_LCA = F_DEVICE_EMBODIED + SOBRE_DEVICE_COUNT,
    F_NETWORK_ENERGY = F_NETWORK_LCA + SOBRE_NETWORK_COUNT,
    F_HOME_ROUTER = F_NETWORK_ENERGY + SOBRE_NETWORK_COUNT,
    F_POWER_BASE_FIXED,
    F_POWER_MBPS_FIXED,
    F_POWER_BASE_4G,
    F_POWER_MBPS_4G,
    F_POWER_BASE_5G,
    F_POWER_MBPS_5G,
    F_DC_ENERGY,
    F_DC_EMBODIED,
    F_SWD_OP_DC,
    F_SWD_OP_NETWORK,
    F_SWD_OP_DEVICE,
    F_SWD_EMB_DC,
    F_SWD_EMB_NETWORK,
    F_SWD_EMB_DEVICE,
    F_SWD_EMB_GRID,
    F_1B_DC,
    F_1B_WIRED,
    F_1B_WIFI,
    F_1B_4G,
    F_1B_GRID,
    F_ENCODE_CPU_POWER,
    F_COUNT
};

enum { LEVEL_LOW, LEVEL_CENTRAL, LEVEL_HIGH };

#define ROLE_COUNT        6
#define FACTORS_MAX_FILES 8

typedef struct FactorDef {
    const char *id;
    const char *unit;
    double max; /* plausible upper bound; every factor is >= 0 */
} FactorDef;

typedef struct Factor {
    double v[3]; /* low, central, high */
    char *source, *low_source, *high_source, *note;
    int derived;
    int file; /* index in SobreFactors.files */
    int line;
    int set;
} Factor;

struct SobreFactors {
    Factor f[F_COUNT];
    int typical_device[ROLE_COUNT];
    int typical_network[ROLE_COUNT];
    int nb_files;
    char *file_path[FACTORS_MAX_FILES];
    char *file_name[FACTORS_MAX_FILES];
    char *file_version[FACTORS_MAX_FILES];
    char label[256];
    char version[128];
};

extern const FactorDef sobre_factor_defs[F_COUNT];
extern const char *const sobre_roles[ROLE_COUNT + 1];

/* A formula's view of the factors: one bracket level, and what it touched. */
typedef struct FactorCtx {
    const SobreFactors *f;
    int level;
    int derived;
    unsigned char used[F_COUNT];
} FactorCtx;

static inline double fval(FactorCtx *c, int id)
{
    c->used[id] = 1;
    if (c->f->f[id].derived)
        c->derived = 1;
    return c->f->f[id].v[c->level];
}

/* The per-level formula shared by view() and explain(): fills the central-style fields
 * of out (wh, segments, gco2e, embodied) for c->level. */
void sobre_footprint_eval(FactorCtx *c, int method, double bytes, double duration_s, int device,
                          int network, SobreFootprintView *out);

/* Formula of a method in words, for --explain and the JSON section. */
const char *sobre_footprint_formula(int method);

/* ---- the table of an episode (footprint_table.c), read by the renderers ---- */
typedef struct FootRow {
    int rend; /* index in the report's renditions */
    int device, network;
    SobreFootprintView v;
} FootRow;

struct SobreFootprintTable {
    const SobreReport *r;
    const SobreFactors *f;
    char name[512]; /* the report file, for messages and headings */
    SobreFootprintOptions opt;
    FootRow *rows; /* every rendition x device x network, in report order */
    int nb_rows;
    const FootRow **shown; /* filtered, heaviest first */
    int nb_shown;
    const FootRow **all; /* every row, heaviest first */
    SobreFootprintView typical[SOBRE_REPORT_MAX_RENDITIONS];
    int typical_device[SOBRE_REPORT_MAX_RENDITIONS], typical_network[SOBRE_REPORT_MAX_RENDITIONS];
    SobreEncodeEnergy encode;                                /* the whole job */
    SobreEncodeEnergy encode_r[SOBRE_REPORT_MAX_RENDITIONS]; /* per rendition, cpu_s > 0 only */
    unsigned char used[F_COUNT];                             /* factors the method uses */
    int any_derived;
};

static inline double row_total(const FootRow *w)
{
    return w->v.gco2e + w->v.embodied;
}

/* 1 when a shown row used a derived factor (the footnote is then due). */
static inline int shown_derived(const SobreFootprintTable *t)
{
    for (int i = 0; i < t->nb_shown; i++)
        if (t->shown[i]->v.derived)
            return 1;
    return 0;
}

/* Factors used by a method over every device and network, plus the encode ones. */
void sobre_footprint_used(const SobreFactors *f, int method, unsigned char used[F_COUNT]);
/* Explanation text appended to text/markdown output. md: Markdown list syntax. */
struct SobreBuf;
void sobre_footprint_explain_buf(struct SobreBuf *b, const SobreFactors *f, int method, int md);
/* JSON of the shown rows (the section shape), for sobre_footprint_render(). */
int sobre_footprint_render_json(const SobreFootprintTable *t, char **out, SobreError *err);
/* Rounds to 6 significant digits so JSON stays readable. */
double sobre_footprint_round(double x);

#endif
