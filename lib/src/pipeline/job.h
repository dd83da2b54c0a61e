/* The encode job (sobre/encode.h), seen only by its own files:
 *   encode_job.c   open: probe, plan, resume decisions, the lock; close
 *   encode_run.c   run: CRF search, wiring the phases, verify, rename, report.json
 *   encode_side.c  captions file, rendition order
 *   encode_loudness.c  the loudness pre-pass's wiring and report sections
 * Each phase has its own header and state and never sees the job:
 *   input.h (read and decode once), vrend.h (one video rendition), aenc.h (one audio
 *   setting), output.h (files), target.h (CRF search), poster.h. */
#ifndef SOBRE_PIPELINE_JOB_H
#define SOBRE_PIPELINE_JOB_H

#include <stdatomic.h>

#include "aenc.h"
#include "error.h"
#include "input.h"
#include "loudpass.h"
#include "output.h"
#include "strbuf.h"
#include "target.h"
#include "tonemap.h"
#include "vrend.h"
#include "sobre/encode.h"
#include "sobre/plan.h"
#include "sobre/probe.h"

struct SobreEncodeJob {
    SobreLogger logger;
    char input[4096];
    char dir[4096];
    char work[4096]; /* dir/.sobre */
    char title[1024];
    char description[4096];
    char language[16];
    char captions[4096];
    int force, verify;
    int quality; /* measure every video rendition while encoding */
    SobreProgressCallback progress;
    void *progress_opaque;

    /* the source and the plan: fixed once open() returns, but for the CRFs the target
     * search writes into the plan of the rungs it searched */
    SobreProbeInfo *probe; /* the one analysis of the source: plan, report, streams */
    SobreSourceGeom geom;  /* the plan's view of it (sobre_source_from_probe) */
    SobreLadder ladder;    /* the preset's (+ the HDR rung open() adds), never written after */
    SobreRungPlan plan[SOBRE_LADDER_MAX_RUNGS];
    int todo[SOBRE_LADDER_MAX_RUNGS]; /* 1 = encode in this run */
    int pending;
    int disp_w, disp_h;     /* the quality "display" view size (source display, <= 1080p) */
    SobreHdrMode hdr_mode;  /* the settings', else the preset's */
    SobreColourPlan colour; /* HDR / wide gamut: what happens to the colours (plan.h) */
    int hdr_rung;           /* ladder index of the HDR rendition hdr: keep added, -1 none */
    TonemapConfig tonemap;  /* the conversion in effect when tonemapping (set by run) */
    int tonemapping;
    TonemapMeasure light;     /* what the source's pictures reach (HLG, PQ) */
    char colour_summary[320]; /* the sentence of report.json "colour", "" when none */
    TargetResult target[SOBRE_LADDER_MAX_RUNGS]; /* CRF search results */
    SobreLoudnessTarget loud; /* the preset's loudness, with the settings' override */
    LoudPass lp;              /* the loudness pre-pass: each audio setting's level */
    int lp_done;
    LoudMeterResult out_loud[SOBRE_LADDER_MAX_RUNGS]; /* each output as decoded, by rung */

    int lock_fd;
    SobreReport *report;
    SobreReport *previous; /* report.json found in the folder, for resume */

    /* the phases */
    Input *in;
    VRend *vr[SOBRE_LADDER_MAX_RUNGS];
    int vr_rung[SOBRE_LADDER_MAX_RUNGS]; /* the ladder index of each */
    int nb_vr;
    AudioEnc *ae[SOBRE_LADDER_MAX_AUDIO];
    int nb_ae;
    Output *aout[SOBRE_LADDER_MAX_RUNGS]; /* audio-only outputs, indexed by rung */

    atomic_int cancel;
    double run_start;
    double last_progress;
};

/* encode_job.c / encode_side.c / encode_run.c / encode_loudness.c */
void sobre_encode_progress(struct SobreEncodeJob *job, const char *stage, double done_s);
int sobre_encode_loudness(struct SobreEncodeJob *job, SobreError *err);
int sobre_encode_loudness_report(struct SobreEncodeJob *job, SobreError *err);
void sobre_encode_rung_hash(const struct SobreEncodeJob *job, int rung, char *out, size_t size);
int sobre_encode_write_captions(struct SobreEncodeJob *job, SobreError *err);
void sobre_encode_sort_renditions(struct SobreEncodeJob *job);

#endif
