/* Colour decisions, pure: which sources are HDR (HLG, PQ) or wide-gamut (BT.2020 SDR) and
 * so converted to SDR BT.709 before the fan-out, how bright the peak the tone mapping
 * brings down to SDR white is, and the HDR rendition `hdr: keep` adds. The pipeline
 * (pipeline/tonemap.c) only carries these decisions out. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "sobre/plan.h"

#define SDR_WHITE_NITS 100.0 /* BT.2408's SDR reference white as zscale's npl: linear 1.0 */
/* SDR's own headroom: video levels up to 109 % (8-bit code 254), 1.09^2.4 of white. An SDR
 * screen clips there; a source measured within it is SDR-range (an HDR recording of an
 * indoor scene, a converted SDR master) and is left as it is rather than darkened. */
#define SDR_HEADROOM_NITS 123.0

static void copy(char *dst, size_t size, const char *src)
{
    snprintf(dst, size, "%s", src ? src : "");
}

/* Dolby Vision base layers (dv_bl_signal_compatibility_id): what a player without Dolby's
 * processing shows, hence what sobre can convert. */
static SobreColourConv dv_base(int compat)
{
    switch (compat) {
    case 1: /* HDR10 */
    case 6: /* Ultra HD Blu-ray: HDR10 */
        return SOBRE_COLOUR_PQ;
    case 4: /* HLG: iPhone profile 8.4 */
        return SOBRE_COLOUR_HLG;
    case 2: /* SDR BT.709 */
        return SOBRE_COLOUR_AS_IS;
    default: /* 0: profile 5's IPTPQc2, only Dolby's reshaping makes it a picture */
        return SOBRE_COLOUR_DV_NO_BASE;
    }
}

static void set_conv(SobreColourPlan *o, SobreColourConv c)
{
    o->conv = c;
    switch (c) {
    case SOBRE_COLOUR_HLG:
        copy(o->transfer, sizeof(o->transfer), "arib-std-b67");
        copy(o->from, sizeof(o->from), "HLG");
        break;
    case SOBRE_COLOUR_PQ:
        copy(o->transfer, sizeof(o->transfer), "smpte2084");
        copy(o->from, sizeof(o->from), "PQ");
        break;
    case SOBRE_COLOUR_GAMUT:
        copy(o->from, sizeof(o->from), "BT.2020 SDR");
        break;
    default:
        o->from[0] = '\0';
    }
}

void sobre_colour_plan(const SobreProbeStream *v, SobreHdrMode mode, SobreColourPlan *out)
{
    int hlg, pq;
    memset(out, 0, sizeof(*out));
    if (!v)
        return;
    copy(out->transfer, sizeof(out->transfer), v->color_transfer);
    copy(out->primaries, sizeof(out->primaries), v->color_primaries);
    copy(out->matrix, sizeof(out->matrix), v->color_matrix);
    hlg = !strcmp(v->color_transfer, "arib-std-b67");
    pq = !strcmp(v->color_transfer, "smpte2084");
    if (v->dv_present && dv_base(v->dv_bl_compat) == SOBRE_COLOUR_DV_NO_BASE) {
        /* whatever the tags say, the decoded picture is not one a player can show */
        set_conv(out, SOBRE_COLOUR_DV_NO_BASE);
        snprintf(out->via, sizeof(out->via), "Dolby Vision profile %d", v->dv_profile);
    } else if (hlg || pq) {
        set_conv(out, hlg ? SOBRE_COLOUR_HLG : SOBRE_COLOUR_PQ);
        copy(out->via, sizeof(out->via), "stream tags");
    } else if (v->dv_present && !v->color_transfer[0]) {
        /* untagged, but the Dolby Vision configuration says what the base layer is */
        set_conv(out, dv_base(v->dv_bl_compat));
        snprintf(out->via, sizeof(out->via), "Dolby Vision %d.%d base layer", v->dv_profile,
                 v->dv_bl_compat);
    } else if (!strcmp(v->color_primaries, "bt2020")) {
        set_conv(out, SOBRE_COLOUR_GAMUT);
        copy(out->via, sizeof(out->via), "stream tags");
    }
    if (out->conv == SOBRE_COLOUR_HLG || out->conv == SOBRE_COLOUR_PQ ||
        out->conv == SOBRE_COLOUR_GAMUT) {
        /* HDR is BT.2020 unless tagged otherwise (BT.2100), and so is its matrix */
        if (!out->primaries[0])
            copy(out->primaries, sizeof(out->primaries), "bt2020");
        if (!out->matrix[0])
            copy(out->matrix, sizeof(out->matrix),
                 !strcmp(out->primaries, "bt2020") ? "bt2020nc" : "bt709");
        if (!out->transfer[0])
            copy(out->transfer, sizeof(out->transfer), "bt2020-10");
    }
    out->hdr_rung =
        mode == SOBRE_HDR_KEEP && (out->conv == SOBRE_COLOUR_HLG || out->conv == SOBRE_COLOUR_PQ);
}

void sobre_colour_describe(const SobreColourPlan *p, int bit_depth, double peak_nits, char *out,
                           size_t size)
{
    char depth[24] = "", peak[48] = "";
    if (bit_depth > 0)
        snprintf(depth, sizeof(depth), ", %d-bit", bit_depth);
    if (peak_nits > 0)
        snprintf(peak, sizeof(peak), ", peak %.0f nits", peak_nits);
    switch (p->conv) {
    case SOBRE_COLOUR_HLG:
    case SOBRE_COLOUR_PQ:
        snprintf(out, size, "tone mapped from %s (%s%s) to SDR BT.709 (%s%s)", p->from,
                 !strcmp(p->primaries, "bt2020") ? "BT.2020" : p->primaries, depth,
                 SOBRE_TONEMAP_OPERATOR, peak);
        break;
    case SOBRE_COLOUR_GAMUT:
        snprintf(out, size, "gamut-mapped from BT.2020%s to SDR BT.709", depth);
        break;
    case SOBRE_COLOUR_DV_NO_BASE:
        snprintf(out, size,
                 "%s has no HDR10, HLG or SDR base layer: only Dolby's own processing shows "
                 "its colours right; encoded as decoded (colours will look wrong)",
                 p->via);
        break;
    default:
        if (size)
            out[0] = '\0';
    }
}

double sobre_tonemap_peak_nits(SobreColourConv conv, double measured_nits, double max_cll,
                               double mastering_max)
{
    double ceiling = conv == SOBRE_COLOUR_PQ ? 10000 : 1000, declared = 0, peak;
    /* MaxCLL is the content's own brightest pixel; the mastering display only bounds it */
    if (max_cll > 0)
        declared = max_cll;
    else if (mastering_max > 0)
        declared = mastering_max;
    if (declared > 0 && declared < ceiling)
        ceiling = declared;
    if (measured_nits > 0)
        peak = measured_nits < ceiling ? measured_nits : ceiling;
    else
        peak = declared > 0 ? ceiling : 1000;
    return peak > SDR_HEADROOM_NITS ? peak : SDR_WHITE_NITS;
}

void sobre_tonemap_size(int w, int h, int need_w, int need_h, int *out_w, int *out_h)
{
    double k;
    *out_w = w;
    *out_h = h;
    if (need_w <= 0 || need_h <= 0 || w <= 0 || h <= 0)
        return;
    k = fmax((double)need_w / w, (double)need_h / h);
    if (k >= 1)
        return;
    /* rounded up to even: never below what a consumer needs */
    *out_w = (int)fmin(w, 2 * ceil(w * k / 2 - 1e-9));
    *out_h = (int)fmin(h, 2 * ceil(h * k / 2 - 1e-9));
}

int sobre_plan_hdr_rung(const SobreLadder *ladder, const SobreRungPlan *plans, SobreRung *rung,
                        SobreRungPlan *plan)
{
    int best = -1;
    for (int i = 0; i < ladder->nb_rungs; i++) {
        const SobreRung *r = &ladder->rungs[i];
        if (!r->video || r->codec != SOBRE_CODEC_VP9 || !plans[i].make)
            continue;
        if (best < 0 ||
            (long)plans[i].out_w * plans[i].out_h > (long)plans[best].out_w * plans[best].out_h)
            best = i;
    }
    if (best < 0)
        return -1;
    *rung = ladder->rungs[best];
    *plan = plans[best];
    snprintf(rung->id, sizeof(rung->id), "%.*s-hdr", (int)sizeof(rung->id) - 5,
             ladder->rungs[best].id);
    snprintf(rung->label, sizeof(rung->label), "%.*s HDR", (int)sizeof(rung->label) - 5,
             ladder->rungs[best].label);
    rung->role = SOBRE_ROLE_HDR;
    rung->enabled = 1;
    rung->target_ssim = 0; /* the search scores SDR pictures: the HDR rung keeps its CRF */
    rung->threads = 0;
    plan->target_ssim = 0;
    plan->crf = ladder->rungs[best].crf;
    plan->threads = 0;
    plan->reason[0] = '\0';
    return best;
}
