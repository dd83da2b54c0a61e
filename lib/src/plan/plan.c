/* Rung planning: fit the source's display size in each rung's box without ever
 * upscaling. Of the rungs whose box is at or above the source, one per codec is made at
 * the source's own size (the "sobre" rung when there is one, so phones always get it),
 * the others are skipped with a reason the report shows. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "error.h"
#include "sobre/plan.h"

static int even(double v)
{
    int i = (int)lrint(v / 2.0) * 2;
    return i < 2 ? 2 : i;
}

void sobre_source_display_size(const SobreSourceGeom *s, int *w, int *h)
{
    double sar = s->sar_num > 0 && s->sar_den > 0 ? (double)s->sar_num / s->sar_den : 1.0;
    *w = s->width;
    *h = s->height;
    if (sar > 1.0)
        *w = (int)lrint(s->width * sar);
    else if (sar < 1.0)
        *h = (int)lrint(s->height / sar);
    if (s->rotation == 90 || s->rotation == 270) {
        int t = *w;
        *w = *h;
        *h = t;
    }
}

void sobre_source_from_probe(const SobreProbeInfo *info, SobreSourceGeom *g)
{
    const SobreProbeStream *v = info->video;
    memset(g, 0, sizeof(*g));
    g->has_audio = info->audio != NULL;
    if (!v)
        return;
    g->has_video = 1;
    g->width = v->width;
    g->height = v->height;
    g->sar_num = v->sar_num;
    g->sar_den = v->sar_den;
    g->rotation = v->rotation;
    g->fps = v->fps;
    g->fps_num = v->fps_num;
    g->fps_den = v->fps_den;
}

/* Index order of the video rungs by box area, so "the smallest box above the source"
 * is well defined whatever the order in the file. */
static void order_by_area(const SobreLadder *l, int *idx, int *n)
{
    *n = 0;
    for (int i = 0; i < l->nb_rungs; i++)
        if (l->rungs[i].video)
            idx[(*n)++] = i;
    for (int i = 1; i < *n; i++)
        for (int j = i; j > 0; j--) {
            const SobreRung *a = &l->rungs[idx[j - 1]], *b = &l->rungs[idx[j]];
            if ((long)a->width * a->height <= (long)b->width * b->height)
                break;
            int t = idx[j];
            idx[j] = idx[j - 1];
            idx[j - 1] = t;
        }
}

/* Fitted output size of rung r for the source; *above = the box is at or above the
 * source (the picture would have to be upscaled to fill it). */
static void fit(const SobreRung *r, const SobreSourceGeom *s, int *w, int *h, int *above)
{
    int dw, dh, bw = r->width, bh = r->height;
    double scale;
    sobre_source_display_size(s, &dw, &dh);
    if (dh > dw) { /* portrait source: the box turns with it */
        bw = r->height;
        bh = r->width;
    }
    scale = fmin((double)bw / dw, (double)bh / dh);
    *above = scale >= 1.0;
    if (!*above) {
        *w = even(dw * scale);
        *h = even(dh * scale);
        return;
    }
    *w = even(dw);
    *h = even(dh);
    if (*w > dw)
        *w -= 2;
    if (*h > dh)
        *h -= 2;
}

static void make(const SobreLadder *l, const SobreSourceGeom *s, int i, SobreRungPlan *rp, int w,
                 int h)
{
    rp->make = 1;
    rp->crf = l->rungs[i].crf;
    rp->target_ssim = l->rungs[i].target_ssim;
    rp->out_w = w;
    rp->out_h = h;
    rp->scale_w = s->rotation == 90 || s->rotation == 270 ? h : w;
    rp->scale_h = s->rotation == 90 || s->rotation == 270 ? w : h;
    rp->fps = s->fps > 0 ? fmin(s->fps, l->rungs[i].max_fps) : l->rungs[i].max_fps;
    rp->keyint_frames = (int)lrint(l->keyint_s * rp->fps);
    if (rp->keyint_frames < 1)
        rp->keyint_frames = 1;
}

/* Plans the video rungs of one codec: those whose box is below the source are made
 * downscaled; of those at or above it, one is made at the source's size (the "sobre"
 * rung when there is one, else the smallest) and the others are skipped. */
static void plan_codec(const SobreLadder *l, const SobreSourceGeom *s, const int *idx, int n,
                       SobreCodec codec, SobreRungPlan *p)
{
    int keep = -1, dw, dh;
    sobre_source_display_size(s, &dw, &dh);
    for (int k = 0; k < n; k++) {
        int i = idx[k], w, h, above;
        const SobreRung *r = &l->rungs[i];
        if (!r->enabled || r->codec != codec)
            continue;
        fit(r, s, &w, &h, &above);
        if (w < 2 || h < 2) {
            snprintf(p[i].reason, sizeof(p[i].reason), "source is %dx%d: too small to encode", dw,
                     dh);
        } else if (!above) {
            make(l, s, i, &p[i], w, h);
        } else if (keep < 0 ||
                   (r->role == SOBRE_ROLE_SOBRE && l->rungs[keep].role != SOBRE_ROLE_SOBRE)) {
            keep = i;
        }
    }
    for (int k = 0; k < n; k++) {
        int i = idx[k], w, h, above;
        const SobreRung *r = &l->rungs[i];
        if (!r->enabled || r->codec != codec || p[i].make || p[i].reason[0])
            continue;
        fit(r, s, &w, &h, &above);
        if (i == keep)
            make(l, s, i, &p[i], w, h);
        else
            snprintf(p[i].reason, sizeof(p[i].reason),
                     "source is %dx%d: rungs above it are not made (no upscale)", dw, dh);
    }
}

int sobre_ladder_plan(const SobreLadder *l, const SobreSourceGeom *s, SobreRungPlan *p,
                      SobreError *err)
{
    int idx[SOBRE_LADDER_MAX_RUNGS], n, made = 0;

    memset(p, 0, sizeof(*p) * (size_t)l->nb_rungs);
    if (!s->has_video && !s->has_audio)
        return sobre_fail(err, SOBRE_E_NOMEDIA, "the input has neither audio nor video");
    for (int i = 0; i < l->nb_rungs; i++) {
        p[i].enabled = l->rungs[i].enabled;
        if (!p[i].enabled)
            snprintf(p[i].reason, sizeof(p[i].reason), "off by default (--enable %s)",
                     l->rungs[i].id);
    }
    for (int i = 0; i < l->nb_rungs; i++) {
        const SobreRung *r = &l->rungs[i];
        if (r->video || !r->enabled)
            continue;
        if (!s->has_audio)
            snprintf(p[i].reason, sizeof(p[i].reason), "the input has no audio");
        else
            p[i].make = 1, p[i].crf = -1;
    }
    order_by_area(l, idx, &n);
    for (int k = 0; k < n; k++) {
        int i = idx[k];
        if (l->rungs[i].enabled && (!s->has_video || s->width <= 0 || s->height <= 0))
            snprintf(p[i].reason, sizeof(p[i].reason),
                     "the input has no video: audio rendition only");
    }
    if (s->has_video && s->width > 0 && s->height > 0)
        for (int c = 0; c < SOBRE_CODEC_NB; c++)
            plan_codec(l, s, idx, n, (SobreCodec)c, p);
    for (int i = 0; i < l->nb_rungs; i++)
        made += p[i].make;
    if (!made)
        return sobre_fail(err, SOBRE_E_NOMEDIA,
                          "nothing to encode: no enabled rung of '%s' fits this input", l->name);
    return 0;
}
