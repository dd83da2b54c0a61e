/* In-pipeline decode check and quality of one video rendition: every packet the encoder
 * outputs is decoded at once in the rendition's thread, strictly (any error fails the
 * rendition: this is the video part of the output check, output.h), and, when measuring,
 * paired by frame index with the picture the encoder got ("own" view) and with the source
 * at the common display size ("display" view). The display picture is made once per
 * source frame by the decode thread and travels with the frame (AVFrame.opaque_ref),
 * shared by every rung. */
#ifndef SOBRE_MEDIA_VQUALITY_H
#define SOBRE_MEDIA_VQUALITY_H

#include <stdio.h>

#include <jansson.h>

#include <libavcodec/avcodec.h>
#include <libswscale/swscale.h>

#include "sobre/metrics.h"
#include "sobre/plan.h"

typedef struct VQuality VQuality;

/* The display view size: the source's display size (SAR, rotation), fitted into
 * 1920x1080 (1080x1920 for portrait) keeping the aspect when larger. */
void sobre_vq_display_size(const SobreSourceGeom *g, int *w, int *h);

/* The source frame src as yuv420p at w x h in display orientation (rotation applied),
 * scaled with SWS_BICUBIC as `sobre quality` does. *sws is a cache owned by the caller. */
int sobre_vq_display_picture(struct SwsContext **sws, const AVFrame *src, int rotation, int w,
                             int h, AVFrame **out, SobreError *err);

/* Makes pic travel with f (and every clone of f) as f->opaque_ref; takes pic. */
int sobre_vq_attach(AVFrame *f, AVFrame *pic, SobreError *err);
/* The display picture attached to f, or NULL. */
const AVFrame *sobre_vq_attached(const AVFrame *f);

/* What sobre_vq_open() does with each decoded frame. */
enum {
    VQ_CHECK = 0,        /* decodes and counts only (the check) */
    VQ_MEASURE = 1,      /* also scores, keeping 32 bytes per frame (quality.json's) */
    VQ_MEASURE_WHOLE = 2 /* also scores, keeping whole records (a segment, joined later) */
};

/* enc: the opened encoder (its codec and extradata configure the decoder). measure: a
 * VQ_ value. disp_w x disp_h: the display view
 * size (0 = no display view). id names the rung in messages. */
int sobre_vq_open(VQuality **out, const AVCodecContext *enc, int measure, int disp_w, int disp_h,
                  const char *id, SobreError *err);
/* The frame just sent to the encoder and the source frame it was made from. */
int sobre_vq_push(VQuality *vq, const AVFrame *encoded, const AVFrame *src, SobreError *err);
/* A packet out of the encoder: decoded (and scored) now; SOBRE_E_VERIFY if it does not
 * decode cleanly. */
int sobre_vq_packet(VQuality *vq, const AVPacket *pkt, SobreError *err);
/* After the encoder's last packet: drains the decoder. */
int sobre_vq_finish(VQuality *vq, SobreError *err);
/* Frames the new stream decoded to. */
int64_t sobre_vq_frames(const VQuality *vq);
/* Pooled results: the report's "quality" object (new reference; NULL when not measuring). */
int sobre_vq_result(VQuality *vq, json_t **section, SobreError *err);
/* The same from accumulators filled elsewhere (the segments of a rendition, joined in
 * order): own and display (NULL: none, or same = the rendition is at the display size,
 * both views are own), the rendition's size, the display view's size, frames left
 * unpaired, the CPU seconds scoring took and those decoding took. */
int sobre_vq_result_from(SobreQualityAccum *own, SobreQualityAccum *disp, int same, int w, int h,
                         int disp_w, int disp_h, int64_t unpaired, double score_s, double decode_s,
                         json_t **section, SobreError *err);
/* The per-frame arrays of quality.json for this rendition, written to f as one JSON object
 * ({"own":{"ssim_y":[...],...},"display":{...}}) one array at a time, so memory does not
 * grow with the episode. Returns 0 or -EIO / -ENOMEM. */
int sobre_vq_write_frames(VQuality *vq, FILE *f);
/* An accumulator as a rendition keeps (32 bytes per frame), for scores joined elsewhere
 * (sobre_quality_accum_add_frame()). */
int sobre_vq_accum_new(SobreQualityAccum **acc, SobreError *err);
/* The same from accumulators filled elsewhere: disp NULL for no display view (pass own
 * when the rendition is at the display size). */
int sobre_vq_write_accums(FILE *f, const SobreQualityAccum *own, const SobreQualityAccum *disp);
/* Whole per-frame records measured so far, for a segment's sidecar (VQ_MEASURE_WHOLE only;
 * valid until the next packet or free): the own view (display = 0) or the display view
 * (the own view when they are the same). */
int sobre_vq_frame_scores(VQuality *vq, int display, const SobreQualityFrame **frames, size_t *n,
                          SobreError *err);
/* What a segment keeps besides its frames, to join them later. */
void sobre_vq_shape(const VQuality *vq, int *same, int *has_display, int *w, int *h,
                    int64_t *unpaired, double *score_s, double *decode_s);
/* Mean display SSIM All (or own when there is no display view); -1 if no frame. */
double sobre_vq_display_ssim(VQuality *vq);
void sobre_vq_free(VQuality **vq);

/* Pooled summary as {"width","height","frames","ssim_y":{mean,p5,min},...}; PSNR
 * infinities become null. Shared with the CRF search's notes. */
json_t *sobre_vq_summary_json(const SobreQualitySummary *s, int w, int h);
/* yuv420p AVFrame as plane views. */
void sobre_vq_planes(const AVFrame *f, SobrePlanes *out);

#endif
