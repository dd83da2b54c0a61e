/* sobre encode: one master into an episode folder (renditions, poster, captions,
 * report.json). A thin shell over the job API: parse options, load the preset, run with
 * a progress line, cancel cleanly on SIGINT/SIGTERM, print a summary. */
#include <signal.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "args_cmd.h"
#include "cli.h"
#include "cmd.h"
#include "sobre/encode.h"
#include "sobre/plan.h"
#include "sobre/preset.h"

static SobreEncodeJob *volatile running_job; /* for the signal handler only */

static void on_signal(int sig)
{
    (void)sig;
    if (running_job)
        sobre_encode_cancel(running_job); /* async-signal-safe: an atomic store */
}

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: sobre encode INPUT -o EPISODE_DIR [options]\n\n"
            "Encodes one master (any format FFmpeg reads) into a sober ladder: an audio-only\n"
            "Opus rendition, VP9 + Opus WebM renditions, an H.264/AAC fallback, a WebP poster,\n"
            "captions and EPISODE_DIR/report.json. The input is decoded once and every\n"
            "rendition is encoded in parallel. A rerun keeps renditions that are already\n"
            "complete for the same input and settings.\n\n"
            "Options:\n");
    args_print_options(out, encode_options, 0);
    fprintf(out, "\n"
                 "Exit status: 0 done, 1 failed (nothing half-written is left), 2 usage error,\n"
                 "130 interrupted (SIGINT/SIGTERM; temporary files removed).\n\n"
                 "Example:\n"
                 "  sobre encode episode1.mp4 -o site-src/ep1 --title \"Épisode 1\" "
                 "--captions ep1.vtt\n");
}

typedef struct Progress {
    CliProgress line;
    double t[32], done[32]; /* rolling window of (wall, encoded seconds) samples */
    int n, head;
    char stage[16]; /* a new stage counts its own seconds: the window starts again */
} Progress;

static void on_progress(void *opaque, const SobreEncodeProgress *p)
{
    Progress *pr = opaque;
    double now = p->elapsed_s, speed = 0, eta = -1, percent = 0;
    int oldest;
    if (strncmp(pr->stage, p->stage, sizeof(pr->stage))) {
        snprintf(pr->stage, sizeof(pr->stage), "%s", p->stage);
        pr->n = 0;
    }
    pr->t[pr->head] = now;
    pr->done[pr->head] = p->done_s;
    pr->head = (pr->head + 1) % 32;
    if (pr->n < 32)
        pr->n++;
    oldest = (pr->head - pr->n + 32) % 32;
    /* speed over the last ~8 s only: start-up and the end do not skew it */
    for (int k = 0; k < pr->n; k++) {
        int i = (oldest + k) % 32;
        if (now - pr->t[i] <= 8.0 && now - pr->t[i] > 0.5) {
            speed = (p->done_s - pr->done[i]) / (now - pr->t[i]);
            break;
        }
    }
    if (p->total_s > 0) {
        percent = 100.0 * p->done_s / p->total_s;
        if (percent > 100)
            percent = 100;
        if (speed > 0)
            eta = (p->total_s - p->done_s) / speed;
    }
    cli_progress_update(&pr->line, p->stage, percent, speed, eta);
}

/* The display-view mean SSIM All the encode measured ("" when not measured). */
static void display_ssim(const SobreReport *r, const SobreReportRendition *d, char *out,
                         size_t size)
{
    SobreReportQuality q;
    out[0] = '\0';
    if (sobre_report_quality(r, d->id, &q) < 0)
        return;
    if (q.display.present)
        snprintf(out, size, "%.4f", q.display.ssim_all.mean);
    else if (q.own.present)
        snprintf(out, size, "%.4f", q.own.ssim_all.mean);
}

/* "loudness: -31.4 LUFS in (target -16), -16.0 to -15.9 LUFS out, true peak -1.2 dBTP at
 * most". */
static void loudness_line(const SobreReport *r)
{
    SobreReportLoudness ep, out;
    double lo = 0, hi = -200, peak = -200;
    int n = 0;
    if (sobre_report_loudness(r, NULL, &ep) < 0)
        return;
    for (int i = 0; i < r->nb_renditions; i++) {
        if (sobre_report_loudness(r, r->renditions[i].id, &out) < 0 || !out.measured)
            continue;
        if (isfinite(out.integrated_lufs)) {
            lo = n++ ? fmin(lo, out.integrated_lufs) : out.integrated_lufs;
            hi = fmax(hi, out.integrated_lufs);
        }
        if (isfinite(out.true_peak_dbtp))
            peak = fmax(peak, out.true_peak_dbtp);
    }
    if (!ep.on)
        fprintf(stderr, "  loudness: off (the source's level)");
    else if (ep.measured && isfinite(ep.integrated_lufs))
        fprintf(stderr, "  loudness: %.1f LUFS in (target %.0f)", ep.integrated_lufs,
                ep.target_lufs);
    else
        fprintf(stderr, "  loudness: silence in");
    if (n)
        fprintf(stderr, ", %.1f to %.1f LUFS out, true peak %.1f dBTP at most", lo, hi, peak);
    fputc('\n', stderr);
}

static void summary(const SobreReport *r, const char *dir, int pending)
{
    char colour[512];
    fprintf(stderr, "%s: %d rendition(s) in %s (%s)\n", r->title, r->nb_renditions, dir,
            pending ? "encoded" : "already up to date");
    fprintf(stderr, "  %-12s %-9s %10s %10s %9s %8s %5s\n", "rendition", "size", "bytes", "kbit/s",
            "CPU s", "SSIM", "crf");
    for (int i = 0; i < r->nb_renditions; i++) {
        const SobreReportRendition *d = &r->renditions[i];
        char sz[32], bytes[32], ssim[32], crf[16];
        if (d->has_video)
            snprintf(sz, sizeof(sz), "%dx%d", d->video.width, d->video.height);
        else
            snprintf(sz, sizeof(sz), "audio");
        cli_human_bytes(d->bytes, bytes, sizeof(bytes));
        display_ssim(r, d, ssim, sizeof(ssim));
        snprintf(crf, sizeof(crf), "%d", d->video.crf);
        fprintf(stderr, "  %-12s %-9s %10s %10.0f %9.1f %8s %5s\n", d->id, sz, bytes,
                d->bitrate_bps / 1000.0, d->cpu_s, ssim, d->has_video ? crf : "");
    }
    for (int i = 0; i < r->nb_skipped; i++)
        fprintf(stderr, "  skipped %s: %s\n", r->skipped[i].id, r->skipped[i].reason);
    if (sobre_report_colour_summary(r, colour, sizeof(colour)) == 0)
        fprintf(stderr, "  colour: %s\n", colour);
    loudness_line(r);
    fprintf(stderr, "  encode: %.1f s wall, %.1f s CPU\n", r->encode.wall_s, r->encode.cpu_s);
}

/* --plan: report.json's "plan" section as the encode chose it, in words or as JSON. */
static void print_plan(const SobreReport *r, int json)
{
    char *text = sobre_report_get_section(r, NULL, "plan");
    json_t *p = text ? json_loads(text, 0, NULL) : NULL, *v;
    const char *id;
    if (json) {
        printf("%s\n", text ? text : "{}");
    } else if (p) {
        printf("cores     %d (%s; affinity %d, online %d",
               (int)json_integer_value(json_object_get(p, "cores")),
               json_string_value(json_object_get(p, "cores_from")),
               (int)json_integer_value(json_object_get(p, "affinity")),
               (int)json_integer_value(json_object_get(p, "online")));
        if (json_is_number(json_object_get(p, "cgroup_quota")))
            printf(", cgroup quota %.2f", json_number_value(json_object_get(p, "cgroup_quota")));
        printf(")\nmode      %s: %s\n", json_string_value(json_object_get(p, "mode")),
               json_string_value(json_object_get(p, "reason")));
        printf("segments  %d x %g s, %d at once\n",
               (int)json_integer_value(json_object_get(p, "segments")),
               json_number_value(json_object_get(p, "segment_s")),
               (int)json_integer_value(json_object_get(p, "segments_at_once")));
        printf("duration  %.3f s\n", r->source.duration_s);
        json_object_foreach(json_object_get(p, "renditions"), id, v)
            printf("rendition %-12s %d thread(s), %d tile column(s) (log2), %.3f CPU-s per s%s\n",
                   id, (int)json_integer_value(json_object_get(v, "threads")),
                   (int)json_integer_value(json_object_get(v, "tile_columns")),
                   json_number_value(json_object_get(v, "work")),
                   json_is_true(json_object_get(v, "learned")) ? " (measured before)" : "");
    }
    json_decref(p);
    free(text);
}

int cmd_encode(int argc, char **argv)
{
    EncodeOpts o;
    SobreEncodeSettings s;
    SobreLadder *ladder = NULL;
    SobreEncodeJob *job = NULL;
    SobreError err = {0, ""};
    CliArgError usage_err;
    Progress pr;
    int quiet, verbose, json, plan, ret;
    struct sigaction sa;

    if (args_parse_encode(&o, argc, argv, &usage_err))
        return cli_usage_error("encode", "%s", usage_err.msg);
    if (o.help) {
        usage(stdout);
        return cli_finish_stdout("encode", CLI_OK);
    }
    sobre_encode_default_settings(&s);
    s.input = o.input;
    s.output_dir = o.output;
    s.title = o.title;
    s.description = o.description;
    s.captions = o.captions;
    if (o.lang)
        s.language = o.lang;
    s.force = o.force;
    if (o.no_verify)
        s.verify = 0;
    s.quality = o.quality == ENCODE_QUALITY_FULL;
    if (o.target_ssim > 0)
        s.target_ssim = o.target_ssim;
    s.hdr = o.hdr;
    s.loudness = o.loudness;
    s.loudness_lufs = o.loudness_lufs;
    quiet = o.quiet;
    verbose = o.verbose;
    json = o.json;
    s.threads = o.threads;
    s.segments = o.segments;
    s.segment = o.segment;
    plan = o.plan;

    if (cli_ladder_load(o.preset, o.enable, o.only, &ladder, &err) < 0)
        return cli_report("encode", &err, err.code);
    sobre_media_set_log_level(verbose ? SOBRE_LOG_WARNING : -1);
    s.ladder = ladder;
    s.logger.callback = cli_log_callback;
    s.logger.opaque = (void *)"encode";
    s.logger.level = verbose ? SOBRE_LOG_INFO : SOBRE_LOG_WARNING;
    memset(&pr, 0, sizeof(pr));
    cli_progress_init(&pr.line, quiet || o.progress == PROGRESS_NONE, o.progress == PROGRESS_JSON);
    s.progress = on_progress;
    s.progress_opaque = &pr;

    ret = sobre_encode_open(&job, &s, &err);
    sobre_ladder_free(&ladder);
    if (ret < 0)
        return cli_report("encode", &err, ret);
    if (plan) {
        print_plan(sobre_encode_report(job), json);
        sobre_encode_close(&job);
        return cli_finish_stdout("encode", CLI_OK);
    }
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    running_job = job;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    ret = sobre_encode_run(job, &err);
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    running_job = NULL;
    cli_progress_done(&pr.line);
    if (ret < 0) {
        sobre_encode_close(&job);
        return cli_report("encode", &err, ret);
    }
    if (s.segment) {
        if (!quiet)
            fprintf(stderr, "%s: segment %d of %d %s\n", s.output_dir, s.segment,
                    sobre_encode_segments(job),
                    sobre_encode_pending(job) ? "made (join: run again without --segment)"
                                              : "not needed: every rendition is complete");
        sobre_encode_close(&job);
        return cli_finish_stdout("encode", CLI_OK);
    }
    if (!quiet)
        summary(sobre_encode_report(job), s.output_dir, sobre_encode_pending(job));
    if (json) {
        char *text = NULL;
        if (sobre_report_to_string(sobre_encode_report(job), &text, &err) == 0)
            printf("%s\n", text);
        free(text);
    }
    sobre_encode_close(&job);
    return cli_finish_stdout("encode", CLI_OK);
}
