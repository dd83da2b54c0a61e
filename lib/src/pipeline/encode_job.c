/* The encode job's public API (see sobre/encode.h): open = check the input and the
 * folder, take the lock, plan the ladder, and decide what a rerun can keep; close =
 * release everything, whatever state the job is in. run() lives in encode_run.c. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <dirent.h>
#include <libavutil/avstring.h>
#include <libavutil/pixdesc.h>

#include "job.h"
#include "vquality.h"
#include "vtt.h"

void sobre_encode_default_settings(SobreEncodeSettings *s)
{
    memset(s, 0, sizeof(*s));
    s->language = "fr";
    s->verify = 1;
    s->quality = 1;
    s->hdr = -1;
}

/* FNV-1a, 64 bits: a stable fingerprint for resume decisions, not a security hash. */
static uint64_t fnv(uint64_t h, const void *data, size_t n)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 0x100000001b3ULL;
    return h;
}

static int fingerprint(const char *path, char *out, size_t size, SobreError *err)
{
    unsigned char buf[65536];
    uint64_t h = 0xcbf29ce484222325ULL;
    struct stat st;
    size_t n;
    FILE *f = fopen(path, "rb");
    if (!f)
        return sobre_fail(err, -errno, "%s: cannot open: %s", path, strerror(errno));
    if (fstat(fileno(f), &st) < 0) {
        fclose(f);
        return sobre_fail(err, -errno, "%s: cannot read: %s", path, strerror(errno));
    }
    n = fread(buf, 1, sizeof(buf), f);
    h = fnv(h, buf, n);
    if (st.st_size > (off_t)sizeof(buf) && fseeko(f, -(off_t)sizeof(buf), SEEK_END) == 0) {
        n = fread(buf, 1, sizeof(buf), f);
        h = fnv(h, buf, n);
    }
    fclose(f);
    snprintf(out, size, "%lld-%016llx", (long long)st.st_size, (unsigned long long)h);
    return 0;
}

void sobre_encode_rung_hash(const struct SobreEncodeJob *job, int i, char *out, size_t size)
{
    const SobreRung *r = &job->ladder.rungs[i];
    const SobreRungPlan *p = &job->plan[i];
    const SobreAudioSetting *a = r->audio >= 0 ? &job->ladder.audio[r->audio] : NULL;
    char desc[1024];
    int n =
        snprintf(desc, sizeof(desc), "%d.%d|%s|%s|%d|%d|%d|%d|%d|%d|%d|%d|%.4f|%.3f|%d|%dx%d|%d",
                 SOBRE_VERSION_MAJOR, SOBRE_VERSION_MINOR, job->report->source.fingerprint, r->id,
                 r->codec, r->container, r->video, p->target_ssim > 0 ? -1 : p->crf, r->max_kbps,
                 r->speed, r->threads, job->geom.rotation, p->fps, job->ladder.keyint_s,
                 p->keyint_frames, p->out_w, p->out_h, r->audio);
    if (a && n > 0 && n < (int)sizeof(desc))
        n += snprintf(desc + n, sizeof(desc) - (size_t)n, "|%d|%d|%d|%d|%d|%d", a->codec,
                      a->channels, a->sample_rate, a->bitrate_kbps, a->frame_ms, a->voip);
    /* the level follows from the loudness setting and the input: the setting is hashed */
    if (a && n > 0 && n < (int)sizeof(desc))
        n += job->loud.enabled ? snprintf(desc + n, sizeof(desc) - (size_t)n, "|loud%.2f|%.2f",
                                          job->loud.target_lufs, job->loud.true_peak_dbtp)
                               : snprintf(desc + n, sizeof(desc) - (size_t)n, "|loudoff");
    /* the chosen CRF follows from the target and the input: the target is the setting */
    if (p->target_ssim > 0 && n > 0 && n < (int)sizeof(desc))
        n += snprintf(desc + n, sizeof(desc) - (size_t)n, "|target%.4f", p->target_ssim);
    /* converted colours make other pictures (the peak follows from the input) */
    if (r->video && job->colour.conv != SOBRE_COLOUR_AS_IS && n > 0 && n < (int)sizeof(desc))
        snprintf(desc + n, sizeof(desc) - (size_t)n, "|colour%d%s", job->colour.conv,
                 i == job->hdr_rung ? "|hdr" : "");
    snprintf(out, size, "%016llx",
             (unsigned long long)fnv(0xcbf29ce484222325ULL, desc, strlen(desc)));
}

static int make_dirs(const char *path, SobreError *err)
{
    char buf[4096];
    av_strlcpy(buf, path, sizeof(buf));
    for (char *p = buf + 1; *p; p++)
        if (*p == '/') {
            *p = '\0';
            if (mkdir(buf, 0755) < 0 && errno != EEXIST)
                return sobre_fail(err, -errno, "%s: cannot create folder: %s", buf,
                                  strerror(errno));
            *p = '/';
        }
    if (mkdir(buf, 0755) < 0 && errno != EEXIST)
        return sobre_fail(err, -errno, "%s: cannot create folder: %s", buf, strerror(errno));
    return 0;
}

/* .sobre/ holds the lock and the files being written; any *.part there is left over
 * from a killed run (we hold the lock now) and goes. */
static int prepare_folder(struct SobreEncodeJob *job, SobreError *err)
{
    char lock[4200];
    struct stat st;
    DIR *d;
    struct dirent *e;
    int ret;

    if (stat(job->dir, &st) == 0 && !S_ISDIR(st.st_mode))
        return sobre_fail(err, -ENOTDIR, "%s: exists and is not a folder", job->dir);
    if ((ret = make_dirs(job->dir, err)) < 0 || (ret = make_dirs(job->work, err)) < 0)
        return ret;
    if (access(job->dir, W_OK) < 0)
        return sobre_fail(err, -errno, "%s: cannot write here: %s", job->dir, strerror(errno));
    snprintf(lock, sizeof(lock), "%s/lock", job->work);
    job->lock_fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (job->lock_fd < 0)
        return sobre_fail(err, -errno, "%s: cannot create: %s", lock, strerror(errno));
    /* Segment runs for a join elsewhere share the folder (each writes its own files);
     * a run that writes the renditions has it alone. */
    if (flock(job->lock_fd, (job->segment_only ? LOCK_SH : LOCK_EX) | LOCK_NB) < 0)
        return sobre_fail(err, SOBRE_E_LOCKED,
                          "%s: another 'sobre encode' is writing into this folder; wait for it "
                          "to finish (or stop it)",
                          job->dir);
    if (job->segment_only)
        return 0;
    if ((d = opendir(job->work))) {
        while ((e = readdir(d))) {
            size_t n = strlen(e->d_name);
            if (n > 5 && !strcmp(e->d_name + n - 5, ".part")) {
                char p[4400];
                snprintf(p, sizeof(p), "%s/%s", job->work, e->d_name);
                unlink(p);
            }
        }
        closedir(d);
    }
    return 0;
}

static void default_title(struct SobreEncodeJob *job, const char *given)
{
    const char *t = job->probe ? job->probe->title : NULL;
    const char *base = strrchr(job->input, '/');
    char *dot;
    if (given) {
        av_strlcpy(job->title, given, sizeof(job->title));
    } else if (job->previous && job->previous->title[0]) {
        av_strlcpy(job->title, job->previous->title, sizeof(job->title));
    } else if (t && t[0]) {
        av_strlcpy(job->title, t, sizeof(job->title));
    } else {
        av_strlcpy(job->title, base ? base + 1 : job->input, sizeof(job->title));
        if ((dot = strrchr(job->title, '.')) && dot != job->title)
            *dot = '\0';
    }
}

/* report.json's "source": what probe found, so `sobre probe` and the report agree. */
static void fill_source(struct SobreEncodeJob *job)
{
    SobreReport *r = job->report;
    const SobreProbeInfo *pi = job->probe;
    const char *base = strrchr(job->input, '/');
    av_strlcpy(r->source.file, base ? base + 1 : job->input, sizeof(r->source.file));
    r->source.bytes = pi->bytes;
    r->source.duration_s = job->in->duration_s;
    r->source.start_time_s = job->in->t0_us / 1e6;
    av_strlcpy(r->source.container, pi->format, sizeof(r->source.container));
    if (pi->video) {
        const SobreProbeStream *p = pi->video;
        SobreReportVideo *v = &r->source.video;
        r->source.has_video = 1;
        av_strlcpy(v->codec, p->codec, sizeof(v->codec));
        v->width = p->width;
        v->height = p->height;
        v->display_width = p->display_width;
        v->display_height = p->display_height;
        v->fps = p->fps;
        v->vfr = p->vfr;
        v->rotation = p->rotation;
        v->interlaced = p->interlaced;
        av_strlcpy(v->pix_fmt, p->pix_fmt, sizeof(v->pix_fmt));
        v->crf = -1;
    }
    if (pi->audio) {
        const SobreProbeStream *p = pi->audio;
        r->source.has_audio = 1;
        av_strlcpy(r->source.audio.codec, p->codec, sizeof(r->source.audio.codec));
        r->source.audio.channels = p->channels;
        r->source.audio.sample_rate = p->sample_rate;
        av_strlcpy(r->source.audio.layout, p->channel_layout, sizeof(r->source.audio.layout));
    }
}

/* A rendition can be kept when the previous report made it with the same hash and its
 * file is still there with the recorded size. */
static int keep_previous(struct SobreEncodeJob *job, int i, const char *hash)
{
    const SobreReportRendition *old;
    char path[4400];
    struct stat st;
    if (job->force || !job->previous)
        return 0;
    old = sobre_report_rendition(job->previous, job->ladder.rungs[i].id);
    if (!old || strcmp(old->settings_hash, hash))
        return 0;
    snprintf(path, sizeof(path), "%s/%s", job->dir, old->file);
    return stat(path, &st) == 0 && st.st_size == old->bytes;
}

/* What an earlier encode of each rung cost, per second of content and per thread: the
 * plan's shares follow this machine and this content when there is one. */
static void learned_work(const struct SobreEncodeJob *job, double *learned)
{
    for (int i = 0; i < job->ladder.nb_rungs; i++) {
        const SobreReportRendition *d =
            job->previous ? sobre_report_rendition(job->previous, job->ladder.rungs[i].id) : NULL;
        learned[i] = 0;
        if (d && d->has_video && d->cpu_s > 0 && d->duration_s > 0)
            learned[i] = d->cpu_s / d->duration_s / sobre_plan_thread_cost(d->video.threads);
    }
}

/* The time of the first video frame, the origin of the segments as of the keyframe
 * schedule, read with a reader of its own: a seek back to the start may land after the
 * first audio packets, and the encode reads job->in from its very start. */
static int first_video(struct SobreEncodeJob *job, SobreError *err)
{
    Input *in = NULL;
    int ret;
    if ((ret = sobre_input_open(&in, job->input, &job->logger, err)) >= 0 &&
        (ret = sobre_input_streams(in, job->probe, &job->geom, err)) >= 0)
        ret = sobre_input_first_video(in, &job->anchor_us, err);
    sobre_input_free(&in);
    return ret;
}

/* How the machine is used: the cores (--threads, else affinity and cgroup quota), each
 * rung's work and threads, rung- or segment-parallel (sobre/plan.h), and for segments
 * which of them are already made. */
static int plan_machine(struct SobreEncodeJob *job, SobreError *err)
{
    double learned[SOBRE_LADDER_MAX_RUNGS];
    const SobreProbeStream *v = job->probe->video;
    SobreSegmentMode mode = job->segment_only ? SOBRE_SEGMENTS_ON : job->segments_opt;
    char why[200] = "", seg[4200];
    int eligible, found = 0, scanned = 0, ret;

    sobre_cpus_read(NULL, -1, &job->cpus);
    if (job->threads_opt > 0) {
        job->cpus.cores = job->threads_opt;
        av_strlcpy(job->cpus.source, "--threads", sizeof(job->cpus.source));
    }
    learned_work(job, learned);
    sobre_plan_work(&job->ladder, job->plan, job->todo, learned, job->quality);
    sobre_plan_threads(&job->ladder, job->plan, job->todo, job->cpus.cores);
    /* decoding and the quality display picture, per second of source (ENCODING.md) */
    job->decode_work = v && v->fps > 0 ? (double)v->width * v->height * v->fps * 6e-9 : 0;
    eligible = sobre_encode_seg_eligible(job, why, sizeof(why));
    snprintf(seg, sizeof(seg), "%s/seg", job->work);
    if (eligible && mode == SOBRE_SEGMENTS_AUTO && access(seg, F_OK) == 0) {
        /* an earlier run's segments of this plan: go on with them */
        sobre_plan_parallel(&job->ladder, job->plan, job->todo, job->in->duration_s,
                            job->decode_work, job->cpus.cores, SOBRE_SEGMENTS_ON, eligible, why,
                            &job->par);
        if (job->par.segments && ((ret = first_video(job, err)) < 0 ||
                                  (ret = sobre_encode_seg_scan(job, &found, err)) < 0))
            return ret;
        scanned = job->par.segments;
        if (found)
            mode = SOBRE_SEGMENTS_ON;
    }
    sobre_plan_parallel(&job->ladder, job->plan, job->todo, job->in->duration_s, job->decode_work,
                        job->cpus.cores, mode, eligible, why, &job->par);
    if (found && job->segments_opt == SOBRE_SEGMENTS_AUTO && job->par.segments)
        av_strlcpy(job->par.reason,
                   "segments of an earlier run are in .sobre/seg: going on with them",
                   sizeof(job->par.reason));
    if (job->par.segments && !scanned &&
        ((ret = first_video(job, err)) < 0 || (ret = sobre_encode_seg_scan(job, &found, err)) < 0))
        return ret;
    if (job->segment_only && !job->par.segments)
        return sobre_fail(err, SOBRE_E_INVALID, "%s: --segment: %s", job->input, job->par.reason);
    if (job->segment_only > job->par.nb_segments)
        return sobre_fail(err, SOBRE_E_INVALID, "%s: --segment %d: the plan has %d segment%s",
                          job->input, job->segment_only, job->par.nb_segments,
                          job->par.nb_segments == 1 ? "" : "s");
    if (job->par.segments)
        for (int i = 0; i < job->ladder.nb_rungs; i++)
            if (job->todo[i] && job->ladder.rungs[i].video) {
                /* fixed by the plan, never by the host: a segment's bytes depend on it */
                job->plan[i].threads =
                    job->ladder.rungs[i].threads > 0 ? job->ladder.rungs[i].threads : 1;
                job->plan[i].tile_columns = 0;
            }
    return sobre_encode_plan_section(job, err);
}

static int rung_exists(const struct SobreEncodeJob *job, const char *id)
{
    for (int i = 0; i < job->ladder.nb_rungs; i++)
        if (!strcmp(job->ladder.rungs[i].id, id))
            return 1;
    return 0;
}

/* hdr: keep on an HLG or PQ source: one more rung, the 10-bit HDR copy of the largest VP9
 * rung made (plan.h), planned and resumed like the others. */
static int add_hdr_rung(struct SobreEncodeJob *job, SobreError *err)
{
    SobreRung hr;
    SobreRungPlan hp;
    int n = job->ladder.nb_rungs, m = sobre_plan_hdr_rung(&job->ladder, job->plan, &hr, &hp);
    const char *why = m < 0                         ? "no VP9 rung is made to base it on"
                      : n >= SOBRE_LADDER_MAX_RUNGS ? "the ladder is full"
                      : rung_exists(job, hr.id)     ? "its id is taken by a rung of the preset"
                                                    : NULL;
    if (why) {
        char note[256];
        snprintf(note, sizeof(note), "hdr keep: no HDR rendition made: %s", why);
        sobre_log(&job->logger, SOBRE_LOG_WARNING, "%s: %s", job->input, note);
        return sobre_report_add_note(job->report, note) < 0
                   ? sobre_fail(err, AVERROR(ENOMEM), "out of memory")
                   : 0;
    }
    job->ladder.rungs[n] = hr;
    job->plan[n] = hp;
    job->ladder.nb_rungs++;
    job->hdr_rung = n;
    return 0;
}

/* The plan: every rung's size, rate, CRF (or target), and what a rerun keeps; the
 * threads of what is made now; the quality display view. target_ssim > 0 aims every
 * video rung at it (the settings' override of the preset). */
static int plan_renditions(struct SobreEncodeJob *job, double target_ssim, SobreError *err)
{
    SobreReport *r = job->report;
    SobreError perr = {0, ""};
    int ret = sobre_ladder_plan(&job->ladder, &job->geom, job->plan, &perr);
    if (ret < 0)
        return sobre_fail(err, ret, "%s: %s", job->input, perr.detail);
    for (int i = 0; target_ssim > 0 && i < job->ladder.nb_rungs; i++)
        if (job->ladder.rungs[i].video)
            job->plan[i].target_ssim = target_ssim;
    if (job->colour.hdr_rung && (ret = add_hdr_rung(job, err)) < 0)
        return ret;
    for (int i = 0; i < job->ladder.nb_rungs; i++) {
        const SobreRung *rg = &job->ladder.rungs[i];
        char hash[32];
        /* a video stream is there but nothing in it decodes: say so, not "no video" */
        if (!job->plan[i].make && rg->video && job->in->video_error[0] &&
            !strncmp(job->plan[i].reason, "the input has no video", 22))
            snprintf(job->plan[i].reason, sizeof(job->plan[i].reason),
                     "the video stream (%s) does not decode (%s): audio rendition only",
                     job->probe->video->codec, job->in->video_error);
        if (!job->plan[i].make) {
            if (job->plan[i].enabled && r->nb_skipped < SOBRE_REPORT_MAX_RENDITIONS) {
                SobreReportSkip *s = &r->skipped[r->nb_skipped++];
                av_strlcpy(s->id, rg->id, sizeof(s->id));
                av_strlcpy(s->reason, job->plan[i].reason, sizeof(s->reason));
            }
            continue;
        }
        sobre_encode_rung_hash(job, i, hash, sizeof(hash));
        if (keep_previous(job, i, hash)) {
            SobreReportRendition *dst = &r->renditions[r->nb_renditions++];
            *dst = *sobre_report_rendition(job->previous, rg->id);
            continue;
        }
        job->todo[i] = 1;
        job->pending++;
    }
    if (job->geom.has_video)
        sobre_vq_display_size(&job->geom, &job->disp_w, &job->disp_h);
    return plan_machine(job, err);
}

static int check_captions(struct SobreEncodeJob *job, SobreError *err)
{
    FILE *f;
    char *buf;
    long n;
    int ret;
    if (!job->captions[0])
        return 0;
    if (!(f = fopen(job->captions, "rb")))
        return sobre_fail(err, -errno, "%s: cannot open captions: %s", job->captions,
                          strerror(errno));
    if (fseek(f, 0, SEEK_END) < 0 || (n = ftell(f)) < 0 || n > (8 << 20) ||
        fseek(f, 0, SEEK_SET) < 0 || !(buf = malloc((size_t)n + 1))) {
        fclose(f);
        return sobre_fail(err, SOBRE_E_INVALID,
                          "%s: not a captions file (unreadable or over 8 MiB)", job->captions);
    }
    n = (long)fread(buf, 1, (size_t)n, f);
    fclose(f);
    ret = sobre_vtt_check(job->captions, buf, (size_t)n, err);
    free(buf);
    return ret < 0 ? ret : 0;
}

/* The one analysis of the source (sobre/probe.h): the plan and report.json's "source"
 * come from it. */
static int probe_source(struct SobreEncodeJob *job, SobreError *err)
{
    SobreProbeSettings ps;
    int ret;
    sobre_probe_default_settings(&ps);
    ps.logger = job->logger;
    if ((ret = sobre_probe_file(&job->probe, job->input, &ps, err)) < 0)
        return ret;
    sobre_source_from_probe(job->probe, &job->geom);
    sobre_colour_plan(job->probe->video, job->hdr_mode, &job->colour);
    return 0;
}

static int check_input(const char *path, int64_t *bytes, SobreError *err)
{
    struct stat st;
    if (stat(path, &st) < 0)
        return sobre_fail(err, -errno, "%s: %s", path, strerror(errno));
    if (S_ISDIR(st.st_mode))
        return sobre_fail(err, -EISDIR, "%s: is a folder, not a media file", path);
    if (st.st_size == 0)
        return sobre_fail(err, SOBRE_E_INVALID, "%s: empty file (0 bytes)", path);
    *bytes = st.st_size;
    return 0;
}

static void now_iso(char *out, size_t size)
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int sobre_encode_open(SobreEncodeJob **out, const SobreEncodeSettings *s, SobreError *err)
{
    struct SobreEncodeJob *job;
    char prev[4200];
    int64_t bytes = 0;
    int ret;

    *out = NULL;
    if (!s || !s->input || !s->output_dir || !s->ladder)
        return sobre_fail(err, SOBRE_E_INVALID, "input, output folder and ladder are required");
    if ((ret = check_input(s->input, &bytes, err)) < 0)
        return ret;
    if (!(job = av_mallocz(sizeof(*job))))
        return sobre_fail(err, AVERROR(ENOMEM), "out of memory");
    job->lock_fd = -1;
    job->hdr_rung = -1;
    job->logger = s->logger;
    job->ladder = *s->ladder;
    job->hdr_mode =
        s->hdr == SOBRE_HDR_SDR || s->hdr == SOBRE_HDR_KEEP ? (SobreHdrMode)s->hdr : s->ladder->hdr;
    job->loud = s->ladder->loudness;
    if (s->loudness == SOBRE_LOUDNESS_OFF) {
        job->loud.enabled = 0;
    } else if (s->loudness == SOBRE_LOUDNESS_ON) {
        if (!(s->loudness_lufs >= SOBRE_LOUDNESS_MIN_LUFS &&
              s->loudness_lufs <= SOBRE_LOUDNESS_MAX_LUFS)) {
            av_free(job);
            return sobre_fail(err, SOBRE_E_INVALID,
                              "loudness target %g LUFS: it must be from %g to %g LUFS",
                              s->loudness_lufs, SOBRE_LOUDNESS_MIN_LUFS, SOBRE_LOUDNESS_MAX_LUFS);
        }
        job->loud.enabled = 1;
        job->loud.target_lufs = s->loudness_lufs;
    }
    job->force = s->force;
    job->verify = s->verify;
    job->quality = s->quality;
    job->threads_opt = s->threads > 0 ? s->threads : 0;
    job->segments_opt = s->segments == SOBRE_SEGMENTS_ON || s->segments == SOBRE_SEGMENTS_OFF
                            ? s->segments
                            : SOBRE_SEGMENTS_AUTO;
    job->segment_only = s->segment > 0 ? s->segment : 0;
    job->progress = s->progress;
    job->progress_opaque = s->progress_opaque;
    av_strlcpy(job->input, s->input, sizeof(job->input));
    av_strlcpy(job->dir, s->output_dir, sizeof(job->dir));
    snprintf(job->work, sizeof(job->work), "%s/.sobre", s->output_dir);
    av_strlcpy(job->language, s->language ? s->language : "fr", sizeof(job->language));
    av_strlcpy(job->description, s->description ? s->description : "", sizeof(job->description));
    if (s->captions)
        av_strlcpy(job->captions, s->captions, sizeof(job->captions));

    if ((ret = check_captions(job, err)) < 0 ||
        (ret = sobre_input_open(&job->in, job->input, &job->logger, err)) < 0 ||
        (ret = probe_source(job, err)) < 0 ||
        (ret = sobre_input_streams(job->in, job->probe, &job->geom, err)) < 0 ||
        (ret = prepare_folder(job, err)) < 0 || (ret = sobre_report_new(&job->report, err)) < 0)
        goto fail;
    snprintf(prev, sizeof(prev), "%s/report.json", job->dir);
    if (access(prev, F_OK) == 0 && sobre_report_load(&job->previous, prev, NULL) < 0)
        sobre_log(&job->logger, SOBRE_LOG_WARNING,
                  "%s: unreadable, every rendition will be made again", prev);
    default_title(job, s->title);
    if (!s->description && job->previous)
        av_strlcpy(job->description, job->previous->description, sizeof(job->description));
    if ((ret = fingerprint(job->input, job->report->source.fingerprint,
                           sizeof(job->report->source.fingerprint), err)) < 0)
        goto fail;
    fill_source(job);
    if (sobre_report_set_text(job->report, job->title, job->description) < 0) {
        ret = sobre_fail(err, AVERROR(ENOMEM), "out of memory");
        goto fail;
    }
    av_strlcpy(job->report->language, job->language, sizeof(job->report->language));
    av_strlcpy(job->report->preset.name, job->ladder.name, sizeof(job->report->preset.name));
    av_strlcpy(job->report->preset.file, job->ladder.file, sizeof(job->report->preset.file));
    now_iso(job->report->created, sizeof(job->report->created));
    if ((ret = plan_renditions(job, s->target_ssim, err)) < 0)
        goto fail;
    *out = job;
    return 0;
fail:
    sobre_encode_close(&job);
    return ret;
}

void sobre_encode_cancel(SobreEncodeJob *job)
{
    if (job)
        atomic_store(&job->cancel, 1);
}

const SobreReport *sobre_encode_report(const SobreEncodeJob *job)
{
    return job ? job->report : NULL;
}

int sobre_encode_segments(const SobreEncodeJob *job)
{
    return job && job->par.segments ? job->par.nb_segments : 1;
}

int sobre_encode_pending(const SobreEncodeJob *job)
{
    return job ? job->pending : 0;
}

void sobre_encode_close(SobreEncodeJob **jp)
{
    struct SobreEncodeJob *job = jp ? *jp : NULL;
    if (!job)
        return;
    for (int k = 0; k < job->nb_made; k++) {
        json_decref(job->made[k].quality);
        if (job->made[k].disp != job->made[k].own)
            sobre_quality_accum_free(&job->made[k].disp);
        sobre_quality_accum_free(&job->made[k].own);
        if (job->made[k].owned) {
            sobre_output_close(job->made[k].out);
            av_freep(&job->made[k].out);
        }
    }
    sobre_encode_loudness_wait(job, 1, NULL); /* a pass still running (a failed open) */
    sobre_encode_seg_free(job);
    for (int i = 0; i < job->nb_vr; i++)
        sobre_vrend_free(&job->vr[i]);
    for (int i = 0; i < job->nb_ae; i++)
        sobre_aenc_free(&job->ae[i]);
    for (int i = 0; i < SOBRE_LADDER_MAX_RUNGS; i++)
        if (job->aout[i]) {
            sobre_output_close(job->aout[i]);
            av_freep(&job->aout[i]);
        }
    sobre_input_free(&job->in);
    sobre_probe_free(&job->probe);
    sobre_report_free(&job->report);
    sobre_report_free(&job->previous);
    if (job->lock_fd >= 0)
        close(job->lock_fd); /* releases the flock */
    av_freep(jp);
}
