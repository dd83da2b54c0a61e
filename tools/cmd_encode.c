/* sobre encode: one master into an episode folder (renditions, poster, captions,
 * report.json). A thin shell over the job API: parse options, load the preset, run with
 * a progress line, cancel cleanly on SIGINT/SIGTERM, print a summary. */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"
#include "cmd.h"
#include "sobre/encode.h"
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
    fprintf(
        out,
        "Usage: sobre encode INPUT -o EPISODE_DIR [options]\n\n"
        "Encodes one master (any format FFmpeg reads) into a sober ladder: an audio-only\n"
        "Opus rendition, VP9 + Opus WebM renditions, an H.264/AAC fallback, a WebP poster,\n"
        "captions and EPISODE_DIR/report.json. The input is decoded once and every\n"
        "rendition is encoded in parallel. A rerun keeps renditions that are already\n"
        "complete for the same input and settings.\n\n"
        "Options:\n"
        "  -o, --output DIR       episode folder to create or update (required)\n"
        "  -p, --preset NAME|FILE ladder preset: default, minimal, or a YAML file\n"
        "                         (default: default)\n"
        "      --enable IDS       also make rungs that are off by default, e.g.\n"
        "                         av1-720p,vp9-1080p (or 'all')\n"
        "      --only IDS         make only these rungs\n"
        "  -t, --title TEXT       episode title (default: the input's title tag, else its name)\n"
        "  -d, --description TEXT episode description\n"
        "      --lang CODE        language of the episode and its captions (default: fr)\n"
        "  -c, --captions FILE    WebVTT captions to check and publish (default: the\n"
        "                         input's first text subtitle stream, if any)\n"
        "  -f, --force            re-encode renditions even when they are up to date\n"
        "      --no-verify        skip the decode check of each output (not advised)\n"
        "      --quality MODE     full: measure SSIM/PSNR of every video rendition while\n"
        "                         encoding (report.json and quality.json); off: do not\n"
        "                         (benchmarks) (default: full)\n"
        "      --target-ssim X    aim every video rung at this SSIM (0.5 to 0.999, display\n"
        "                         view, SSIM All): the highest CRF meeting it is searched on\n"
        "                         short samples first (overrides the preset's target_ssim)\n"
        "      --loudness off|LUFS  level every audio rendition at this integrated\n"
        "                         loudness (EBU R128, -36 to -10; true peaks held under\n"
        "                         the preset's ceiling, -1 dBTP), or keep the source's\n"
        "                         level (default: the preset's, -16 LUFS)\n"
        "      --progress MODE    auto (a line on a terminal), json (one JSON object per\n"
        "                         line on stderr) or none (default: auto)\n"
        "  -q, --quiet            no progress, no summary\n"
        "      --json             print report.json on stdout when done\n"
        "  -v, --verbose          show FFmpeg's own warnings\n"
        "  -h, --help             this help\n\n"
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
    char *text = sobre_report_get_section(r, d->id, "quality");
    json_t *q = text ? json_loads(text, 0, NULL) : NULL;
    json_t *m = json_object_get(json_object_get(json_object_get(q, "display"), "ssim_all"), "mean");
    if (!m)
        m = json_object_get(json_object_get(json_object_get(q, "own"), "ssim_all"), "mean");
    if (json_is_number(m))
        snprintf(out, size, "%.4f", json_number_value(m));
    else
        snprintf(out, size, "%s", "");
    json_decref(q);
    free(text);
}

/* "loudness: -31.4 LUFS in, -16.0 to -15.9 LUFS out, true peak -1.2 dBTP at most". */
static void loudness_line(const SobreReport *r)
{
    char *text = sobre_report_get_section(r, NULL, "loudness");
    json_t *l = text ? json_loads(text, 0, NULL) : NULL, *in;
    double lo = 0, hi = -200, peak = -200;
    int n = 0;
    free(text);
    if (!l)
        return;
    for (int i = 0; i < r->nb_renditions; i++) {
        char *t = sobre_report_get_section(r, r->renditions[i].id, "loudness");
        json_t *o = t ? json_loads(t, 0, NULL) : NULL;
        json_t *v = json_object_get(o, "integrated_lufs"),
               *p = json_object_get(o, "true_peak_dbtp");
        if (json_is_number(v)) {
            double x = json_number_value(v);
            lo = n++ ? (x < lo ? x : lo) : x;
            hi = x > hi ? x : hi;
        }
        if (json_is_number(p) && json_number_value(p) > peak)
            peak = json_number_value(p);
        json_decref(o);
        free(t);
    }
    in = json_object_get(json_object_get(l, "input"), "integrated_lufs");
    if (strcmp(json_string_value(json_object_get(l, "mode"))
                   ? json_string_value(json_object_get(l, "mode"))
                   : "",
               "on"))
        fprintf(stderr, "  loudness: off (the source's level)");
    else if (json_is_number(in))
        fprintf(stderr, "  loudness: %.1f LUFS in (target %.0f)", json_number_value(in),
                json_number_value(json_object_get(l, "target_lufs")));
    else
        fprintf(stderr, "  loudness: silence in");
    if (n)
        fprintf(stderr, ", %.1f to %.1f LUFS out, true peak %.1f dBTP at most", lo, hi, peak);
    fputc('\n', stderr);
    json_decref(l);
}

static void summary(const SobreReport *r, const char *dir, int pending)
{
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
    loudness_line(r);
    fprintf(stderr, "  encode: %.1f s wall, %.1f s CPU\n", r->encode.wall_s, r->encode.cpu_s);
}

static int load_preset(const char *name, SobreLadder **ladder, SobreError *err)
{
    char rel[512], path[4096];
    if (strchr(name, '/') || strstr(name, ".yaml") || strstr(name, ".yml"))
        return sobre_ladder_load(ladder, name, err);
    snprintf(rel, sizeof(rel), "ladders/%s.yaml", name);
    if (cli_data_path(rel, path, sizeof(path)) < 0) {
        snprintf(err->detail, sizeof(err->detail),
                 "no preset named '%s' (shipped: default, minimal; or give a .yaml file)", name);
        return err->code = SOBRE_E_INVALID;
    }
    return sobre_ladder_load(ladder, path, err);
}

int cmd_encode(int argc, char **argv)
{
    static const struct option opts[] = {{"output", required_argument, NULL, 'o'},
                                         {"preset", required_argument, NULL, 'p'},
                                         {"title", required_argument, NULL, 't'},
                                         {"description", required_argument, NULL, 'd'},
                                         {"captions", required_argument, NULL, 'c'},
                                         {"force", no_argument, NULL, 'f'},
                                         {"quiet", no_argument, NULL, 'q'},
                                         {"verbose", no_argument, NULL, 'v'},
                                         {"help", no_argument, NULL, 'h'},
                                         {"enable", required_argument, NULL, 1},
                                         {"only", required_argument, NULL, 2},
                                         {"lang", required_argument, NULL, 3},
                                         {"no-verify", no_argument, NULL, 4},
                                         {"progress", required_argument, NULL, 5},
                                         {"json", no_argument, NULL, 6},
                                         {"quality", required_argument, NULL, 7},
                                         {"target-ssim", required_argument, NULL, 8},
                                         {"loudness", required_argument, NULL, 9},
                                         {NULL, 0, NULL, 0}};
    SobreEncodeSettings s;
    SobreLadder *ladder = NULL;
    SobreEncodeJob *job = NULL;
    SobreError err = {0, ""};
    Progress pr;
    const char *preset = "default", *enable = NULL, *only = NULL, *progress = "auto";
    int quiet = 0, verbose = 0, json = 0, c, ret;
    struct sigaction sa;

    sobre_encode_default_settings(&s);
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:p:t:d:c:fqvh", opts, NULL)) != -1) {
        switch (c) {
        case 'o':
            s.output_dir = optarg;
            break;
        case 'p':
            preset = optarg;
            break;
        case 't':
            s.title = optarg;
            break;
        case 'd':
            s.description = optarg;
            break;
        case 'c':
            s.captions = optarg;
            break;
        case 'f':
            s.force = 1;
            break;
        case 'q':
            quiet = 1;
            break;
        case 'v':
            verbose = 1;
            break;
        case 'h':
            usage(stdout);
            return cli_finish_stdout("encode", CLI_OK);
        case 1:
            enable = optarg;
            break;
        case 2:
            only = optarg;
            break;
        case 3:
            s.language = optarg;
            break;
        case 4:
            s.verify = 0;
            break;
        case 5:
            progress = optarg;
            break;
        case 6:
            json = 1;
            break;
        case 7:
            if (strcmp(optarg, "full") && strcmp(optarg, "off"))
                return cli_usage_error("encode", "--quality takes full or off");
            s.quality = !strcmp(optarg, "full");
            break;
        case 8: {
            char *end = NULL;
            s.target_ssim = strtod(optarg, &end);
            if (!end || *end || end == optarg || !(s.target_ssim >= 0.5 && s.target_ssim <= 0.999))
                return cli_usage_error("encode", "--target-ssim takes a number from 0.5 to 0.999");
            break;
        }
        case 9: {
            char *end = NULL;
            if (!strcmp(optarg, "off")) {
                s.loudness = SOBRE_LOUDNESS_OFF;
                break;
            }
            s.loudness = SOBRE_LOUDNESS_ON;
            s.loudness_lufs = strtod(optarg, &end);
            if (!end || *end || end == optarg ||
                !(s.loudness_lufs >= SOBRE_LOUDNESS_MIN_LUFS &&
                  s.loudness_lufs <= SOBRE_LOUDNESS_MAX_LUFS))
                return cli_usage_error("encode", "--loudness takes off or a loudness in LUFS "
                                                 "from -36 to -10 (e.g. -16, or -23 for EBU R128 "
                                                 "broadcast)");
            break;
        }
        default:
            return cli_usage_error("encode", "unknown option");
        }
    }
    if (optind != argc - 1)
        return cli_usage_error("encode", optind >= argc ? "missing INPUT" : "one INPUT at a time");
    if (!s.output_dir)
        return cli_usage_error("encode", "missing -o EPISODE_DIR");
    if (strcmp(progress, "auto") && strcmp(progress, "json") && strcmp(progress, "none"))
        return cli_usage_error("encode", "--progress takes auto, json or none");
    s.input = argv[optind];

    if (load_preset(preset, &ladder, &err) < 0 ||
        (enable && sobre_ladder_enable(ladder, enable, &err) < 0) ||
        (only && sobre_ladder_only(ladder, only, &err) < 0)) {
        sobre_ladder_free(&ladder);
        return cli_report("encode", &err, err.code);
    }
    sobre_media_set_log_level(verbose ? SOBRE_LOG_WARNING : -1);
    s.ladder = ladder;
    s.logger.callback = cli_log_callback;
    s.logger.opaque = (void *)"encode";
    s.logger.level = verbose ? SOBRE_LOG_INFO : SOBRE_LOG_WARNING;
    memset(&pr, 0, sizeof(pr));
    cli_progress_init(&pr.line, quiet || !strcmp(progress, "none"), !strcmp(progress, "json"));
    s.progress = on_progress;
    s.progress_opaque = &pr;

    ret = sobre_encode_open(&job, &s, &err);
    sobre_ladder_free(&ladder);
    if (ret < 0)
        return cli_report("encode", &err, ret);
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
