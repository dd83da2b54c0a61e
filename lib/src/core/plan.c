/* Rung planning: fit the source's display size in each rung's box without ever
 * upscaling. When a box is at or above the source, the smallest such rung of each codec
 * is made at the source's own size (so a 800x332 film still gets its "sobre" rung) and
 * the larger ones are skipped with a reason the report shows. */
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
    double dw = s->width;
    if (s->sar_num > 0 && s->sar_den > 0)
        dw = dw * s->sar_num / s->sar_den;
    *w = (int)lrint(dw);
    *h = s->height;
    if (s->rotation == 90 || s->rotation == 270) {
        int t = *w;
        *w = *h;
        *h = t;
    }
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

static int same_size_made(const SobreLadder *l, const SobreRungPlan *p, int upto_codec, int w,
                          int h)
{
    for (int i = 0; i < l->nb_rungs; i++)
        if (p[i].make && l->rungs[i].video && (int)l->rungs[i].codec == upto_codec &&
            p[i].out_w == w && p[i].out_h == h)
            return 1;
    return 0;
}

static void plan_video(const SobreLadder *l, const SobreSourceGeom *s, int i, SobreRungPlan *p)
{
    const SobreRung *r = &l->rungs[i];
    SobreRungPlan *rp = &p[i];
    int dw, dh, bw = r->width, bh = r->height, w, h;
    double scale;

    sobre_source_display_size(s, &dw, &dh);
    if (dh > dw) { /* portrait source: the box turns with it */
        bw = r->height;
        bh = r->width;
    }
    scale = fmin((double)bw / dw, (double)bh / dh);
    if (scale < 1.0) {
        w = even(dw * scale);
        h = even(dh * scale);
    } else {
        w = even(dw);
        h = even(dh);
        if (w > dw)
            w -= 2;
        if (h > dh)
            h -= 2;
    }
    if (w < 2 || h < 2) {
        snprintf(rp->reason, sizeof(rp->reason), "source is %dx%d: too small to encode", dw, dh);
        return;
    }
    if (same_size_made(l, p, r->codec, w, h)) {
        snprintf(rp->reason, sizeof(rp->reason),
                 "source is %dx%d: this rung would repeat a smaller one at %dx%d (no upscale)", dw,
                 dh, w, h);
        return;
    }
    rp->make = 1;
    rp->out_w = w;
    rp->out_h = h;
    if (s->rotation == 90 || s->rotation == 270) {
        rp->scale_w = h;
        rp->scale_h = w;
    } else {
        rp->scale_w = w;
        rp->scale_h = h;
    }
    rp->fps = s->fps > 0 ? fmin(s->fps, r->max_fps) : r->max_fps;
    rp->keyint_frames = (int)lrint(l->keyint_s * rp->fps);
    if (rp->keyint_frames < 1)
        rp->keyint_frames = 1;
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
            p[i].make = 1;
    }
    order_by_area(l, idx, &n);
    for (int k = 0; k < n; k++) {
        int i = idx[k];
        if (!l->rungs[i].enabled)
            continue;
        if (!s->has_video || s->width <= 0 || s->height <= 0) {
            snprintf(p[i].reason, sizeof(p[i].reason),
                     "the input has no video: audio rendition only");
            continue;
        }
        plan_video(l, s, i, p);
    }
    for (int i = 0; i < l->nb_rungs; i++)
        made += p[i].make;
    if (!made)
        return sobre_fail(err, SOBRE_E_NOMEDIA,
                          "nothing to encode: no enabled rung of '%s' fits this input", l->name);
    return 0;
}
