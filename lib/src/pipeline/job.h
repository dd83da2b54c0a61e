/* The encode job (sobre/encode.h), seen only by its own files:
 *   encode_job.c   open: probe, plan (cores, threads, segments), resume decisions, the
 *                  lock; close
 *   encode_run.c   run: CRF search, wiring the phases, verify, rename, report.json
 *   encode_seg.c   segment-parallel: the segments, a few at once, resumed per segment
 *   encode_join.c  segment-parallel: the audio pass, the poster, the join
 *   encode_side.c  captions file, rendition order, the report's plan section
 *   encode_loudness.c  the loudness pre-pass's wiring and report sections
 * Each phase has its own header and state and never sees the job:
 *   input.h (read and decode once), vrend.h (one video rendition), aenc.h (one audio
 *   setting), output.h (files), target.h (CRF search), poster.h. */
#ifndef SOBRE_PIPELINE_JOB_H
#define SOBRE_PIPELINE_JOB_H

#include <pthread.h>
#include <stdatomic.h>

#include <jansson.h>

#include "aenc.h"
#include "cpus.h"
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

/* A video rendition made in this run, whichever way: rung-parallel (a VRend) or joined
 * from segments. */
typedef struct Made {
    int rung;
    Output *out; /* finished under its temporary name; the VRend's, or owned (joined) */
    int owned;
    char codecs[160];
    double cpu_s, wall_s;
    int64_t frames;       /* video frames its stream decoded to (verify; 0: not checked) */
    double duration_s;    /* its container's, from the output check (0: not checked) */
    LoudMeterResult loud; /* its audio as the output check decoded it */
    json_t *quality;      /* report "quality", or NULL when not measured */
    /* quality.json's arrays, streamed from: the VRend's VQuality (rung-parallel), or the
     * segments' scores joined in order (owned; disp NULL without a display view, own
     * itself when the rendition is at the display size) */
    VQuality *vq;
    SobreQualityAccum *own, *disp;
    double display_ssim; /* -1 when not measured */
} Made;

struct SegTask;

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
    int lp_done;              /* lp holds the levels (read once lp_finished) */
    /* the pre-pass's thread, beside the encode (encode_loudness.c) */
    pthread_t lp_thread;
    int lp_running; /* started, not joined yet */
    LoudPassConfig lp_cfg;
    int lp_used[SOBRE_LADDER_MAX_AUDIO];
    atomic_int lp_stop;
    pthread_mutex_t lp_lock;
    pthread_cond_t lp_cond;
    int lp_finished, lp_ret; /* under lp_lock */
    SobreError lp_err;
    char lp_note[SOBRE_ERROR_DETAIL + 96];
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
    Output *aout[SOBRE_LADDER_MAX_RUNGS];    /* audio-only outputs, indexed by rung */
    double aout_dur[SOBRE_LADDER_MAX_RUNGS]; /* their durations, from their checks */

    atomic_int cancel;
    double run_start;
    double last_progress;

    /* how the machine is used (encode_job.c plans it) */
    int threads_opt, segments_opt; /* settings: cores (0 = measured), SobreSegmentMode */
    int segment_only;              /* > 0: make this segment (1-based) only, no join */
    SobreCpus cpus;
    SobreParallelPlan par;
    double decode_work;  /* CPU seconds per second of content the decode costs (model) */
    double decode_cpu_s; /* rung-parallel: what the decode thread measured */
    /* wall seconds of the phases of run(): the CRF search, encoding (rungs or segments),
     * the join (segments: audio pass, poster, remux), the rest (verify, rename, report) */
    double phase_search, phase_encode, phase_join, phase_finish;
    double cpu_search, cpu_encode, cpu_join, cpu_finish; /* their process CPU seconds */
    Made made[SOBRE_LADDER_MAX_RUNGS];
    int nb_made;

    /* segment-parallel (encode_seg.c) */
    char segdir[SOBRE_LADDER_MAX_RUNGS][4200]; /* .sobre/seg/<id>-<key> per pending rung */
    unsigned char *have; /* [rung * nb_segments + k]: segment complete on disk */
    int64_t anchor_us;   /* the first video frame: segment k starts k * segment_s after it */
    SobreQueue *aq[SOBRE_LADDER_MAX_RUNGS]; /* the audio packets of each video rung */
    atomic_int seg_abort; /* a segment failed or the job was cancelled: stop the others */
    pthread_mutex_t seg_lock;
    pthread_cond_t seg_cond;
    int seg_sync;      /* the mutex and condition exist */
    json_t *seg_stats; /* per segment: host, decode CPU, each rung's CPU (report "plan") */
};

/* encode_job.c / encode_side.c / encode_run.c / encode_loudness.c */
void sobre_encode_progress(struct SobreEncodeJob *job, const char *stage, double done_s);
/* The pre-pass, started beside the encode; its levels (an AudioLevelFn, aenc.h); the
 * join (stop: ask it to stop first), which adds its notes to the report. */
int sobre_encode_loudness_start(struct SobreEncodeJob *job, SobreError *err);
int sobre_encode_loudness_level(void *job, int setting, int block, const AudioLevel **level);
int sobre_encode_loudness_wait(struct SobreEncodeJob *job, int stop, SobreError *err);
int sobre_encode_loudness_report(struct SobreEncodeJob *job, SobreError *err);
void sobre_encode_rung_hash(const struct SobreEncodeJob *job, int rung, char *out, size_t size);
int sobre_encode_write_captions(struct SobreEncodeJob *job, SobreError *err);
void sobre_encode_sort_renditions(struct SobreEncodeJob *job);
/* The report's "plan" section: cores and where the count came from, the mode and why,
 * threads per rung, the segments and what each cost. */
int sobre_encode_plan_section(struct SobreEncodeJob *job, SobreError *err);

/* encode_run.c, shared with encode_seg.c */
VEncParams sobre_encode_venc_params(const struct SobreEncodeJob *job, int rung);
/* One encoder per distinct audio setting, each wired to the audio-only outputs and, for
 * the video rungs, to the queues given (queues[i] for rung i, NULL: none). */
int sobre_encode_wire_audio(struct SobreEncodeJob *job, SobreQueue **queues, SobreError *err);
/* The audio encoder of a rung, or NULL. */
AudioEnc *sobre_encode_audio_of(const struct SobreEncodeJob *job, int rung);

/* encode_seg.c */
/* At open: can the input be cut (1), else why not in why; the segment folders of the
 * pending rungs and which segments are already complete (*found: any). */
int sobre_encode_seg_eligible(const struct SobreEncodeJob *job, char *why, size_t size);
int sobre_encode_seg_scan(struct SobreEncodeJob *job, int *found, SobreError *err);
/* Encodes the missing segments (only job->segment_only when set). */
int sobre_encode_seg_run(struct SobreEncodeJob *job, SobreError *err);

/* Shared by encode_seg.c and encode_join.c: segment k's file of a rung, its start after
 * the first frame, the threads of a rung's segment encoders, progress. */
void sobre_encode_seg_path(const struct SobreEncodeJob *job, int rung, int k, char *out,
                           size_t size);
double sobre_encode_seg_from(const struct SobreEncodeJob *job, int k);
int sobre_encode_seg_threads(const struct SobreEncodeJob *job, int rung);
void sobre_encode_seg_progress(struct SobreEncodeJob *job, double done);

/* encode_join.c */
/* Every segment is there: the audio pass, the poster, and each rung joined into its
 * output (job->made), finished under its temporary name. */
int sobre_encode_seg_join(struct SobreEncodeJob *job, SobreError *err);
/* After a successful run: the segment folders of the renditions made now are removed. */
void sobre_encode_seg_cleanup(struct SobreEncodeJob *job);
void sobre_encode_seg_free(struct SobreEncodeJob *job);

#endif
