/* sobre quality REF DIST: SSIM and PSNR of a distorted video against its reference, frames
 * paired by index, as a readable summary or JSON (pooled, optionally per frame). */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "args_cmd.h"
#include "cli.h"
#include "cmd.h"
#include "sobre/quality.h"

static const char *const CMD = "quality";

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: sobre quality REFERENCE DISTORTED [options]\n\n"
            "Compares DISTORTED (e.g. a rendition) with REFERENCE (the master): SSIM and PSNR\n"
            "of luma (Y) and of all planes (All: weighted by plane size), computed as FFmpeg's\n"
            "ssim and psnr filters do, pooled as mean, 5th percentile and minimum.\n"
            "Frames are paired by index (decode order), never by timestamp; the comparison\n"
            "stops at the shorter video and both frame counts are reported. Both videos are\n"
            "converted to 8-bit yuv420p; DISTORTED is scaled to REFERENCE's size with swscale\n"
            "bicubic (flags=bicubic only, like ffmpeg's scale=W:H:flags=bicubic).\n\n"
            "Options:\n"
            "  --json          print the result as JSON on stdout\n"
            "  --per-frame     add every frame's scores (a table, or a \"frames\" array)\n"
            "  --size WxH      compare at WxH (both videos scaled) instead of REFERENCE's size\n"
            "  -q, --quiet     no progress line and no notes on stderr\n"
            "  -v, --verbose   also show FFmpeg's own decoder warnings\n"
            "  --help          show this help\n\n"
            "PSNR of identical frames is infinite: shown as \"inf\", null in JSON.\n"
            "Exit status: 0 success, 1 failure (unreadable input...), 2 usage error.\n");
}

typedef struct Progress {
    CliProgress bar;
    double start;
} Progress;

static int on_progress(void *opaque, int64_t done, int64_t expected)
{
    Progress *p = opaque;
    double pct = expected > 0 ? 100.0 * (double)done / (double)expected : 0;
    double elapsed = cli_now() - p->start, eta = -1;
    if (pct > 100)
        pct = 99.9;
    if (expected > 0 && done > 0 && elapsed > 0)
        eta = elapsed * (double)(expected - done) / (double)done;
    cli_progress_update(&p->bar, "quality", pct, 0, eta < 0 ? -1 : eta);
    return 0;
}

static json_t *num(double v)
{
    return isfinite(v) ? json_real(v) : json_null();
}

static json_t *stat_json(const SobreQualityStat *s)
{
    return json_pack("{s:o, s:o, s:o}", "mean", num(s->mean), "p5", num(s->p5), "min", num(s->min));
}

static json_t *input_json(const char *path, const SobreQualityInput *in)
{
    return json_pack("{s:s, s:I, s:i, s:i, s:s, s:s, s:i}", "file", path, "frames",
                     (json_int_t)in->frames, "width", in->width, "height", in->height, "codec",
                     in->codec, "pix_fmt", in->pix_fmt, "corrupt_packets", in->corrupt_frames);
}

static json_t *frames_json(const SobreQualitySummary *s)
{
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < s->frames; i++) {
        const SobreQualityFrame *f = &s->per_frame[i];
        json_array_append_new(
            arr, json_pack("{s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "n",
                           (json_int_t)i, "ssim_y", num(f->ssim[0]), "ssim_u", num(f->ssim[1]),
                           "ssim_v", num(f->ssim[2]), "ssim_all", num(f->ssim_all), "psnr_y",
                           num(f->psnr[0]), "psnr_u", num(f->psnr[1]), "psnr_v", num(f->psnr[2]),
                           "psnr_all", num(f->psnr_all), "mse_y", num(f->mse[0]), "mse_u",
                           num(f->mse[1]), "mse_v", num(f->mse[2]), "mse_all", num(f->mse_all)));
    }
    return arr;
}

static int print_json(const QualityOpts *o, const SobreQualityReport *r)
{
    const SobreQualitySummary *s = &r->summary;
    json_t *root = json_pack(
        "{s:s, s:o, s:o, s:I, s:i, s:i, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
        "schema", "sobre.quality/1", "reference", input_json(o->ref, &r->reference), "distorted",
        input_json(o->dist, &r->distorted), "compared_frames", (json_int_t)s->frames, "width",
        r->width, "height", r->height, "scaler", "swscale bicubic", "ssim_y", stat_json(&s->ssim_y),
        "ssim_all", stat_json(&s->ssim_all), "psnr_y", stat_json(&s->psnr_y), "psnr_all",
        stat_json(&s->psnr_all), "ssim_u", num(s->ssim_u), "ssim_v", num(s->ssim_v), "psnr_u",
        num(s->psnr_u), "psnr_v", num(s->psnr_v), "mse_y", num(s->mse_y), "mse_all",
        num(s->mse_all));
    if (!root) {
        /* jansson refuses strings that are not UTF-8: the likely cause besides memory */
        cli_error(CMD, "cannot build the JSON output (file names must be valid UTF-8)");
        return CLI_FAIL;
    }
    if (o->per_frame)
        json_object_set_new(root, "frames", frames_json(s));
    json_dumpf(root, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(10));
    fputc('\n', stdout);
    json_decref(root);
    return CLI_OK;
}

static void print_db(double v)
{
    if (isfinite(v))
        printf("  %9.3f", v);
    else
        printf("  %9s", "inf");
}

static void print_text(const QualityOpts *o, const SobreQualityReport *r)
{
    const SobreQualitySummary *s = &r->summary;
    const SobreQualityInput *a = &r->reference, *b = &r->distorted;
    printf("reference  %s: %lld frames, %dx%d %s %s\n", o->ref, (long long)a->frames, a->width,
           a->height, a->codec, a->pix_fmt);
    printf("distorted  %s: %lld frames, %dx%d %s %s\n", o->dist, (long long)b->frames, b->width,
           b->height, b->codec, b->pix_fmt);
    printf("compared   %zu frames at %dx%d (paired by index)\n\n", s->frames, r->width, r->height);
    printf("%-11s  %9s  %9s  %9s\n", "", "mean", "p5", "min");
    printf("%-11s  %9.5f  %9.5f  %9.5f\n", "SSIM Y", s->ssim_y.mean, s->ssim_y.p5, s->ssim_y.min);
    printf("%-11s  %9.5f  %9.5f  %9.5f\n", "SSIM All", s->ssim_all.mean, s->ssim_all.p5,
           s->ssim_all.min);
    printf("%-11s", "PSNR Y dB");
    print_db(s->psnr_y.mean);
    print_db(s->psnr_y.p5);
    print_db(s->psnr_y.min);
    printf("\n%-11s", "PSNR All dB");
    print_db(s->psnr_all.mean);
    print_db(s->psnr_all.p5);
    print_db(s->psnr_all.min);
    printf("\n");
    if (!o->per_frame)
        return;
    printf("\n%6s  %9s  %9s  %9s  %9s\n", "frame", "ssim_y", "ssim_all", "psnr_y", "psnr_all");
    for (size_t i = 0; i < s->frames; i++) {
        const SobreQualityFrame *f = &s->per_frame[i];
        printf("%6zu  %9.5f  %9.5f", i, f->ssim[0], f->ssim_all);
        print_db(f->psnr[0]);
        print_db(f->psnr_all);
        printf("\n");
    }
}

int cmd_quality(int argc, char **argv)
{
    QualityOpts o;
    SobreQualitySettings set;
    SobreQualityReport *r = NULL;
    SobreError err = {0, ""};
    CliArgError usage_err;
    Progress prog;
    int ret, code;
    if (args_parse_quality(&o, argc, argv, &usage_err))
        return cli_usage_error(CMD, "%s", usage_err.msg);
    if (o.help) {
        usage(stdout);
        return cli_finish_stdout(CMD, CLI_OK);
    }
    /* our own messages name the file and the problem; FFmpeg's only on request */
    sobre_media_set_log_level(o.verbose ? SOBRE_LOG_WARNING : -1);
    sobre_quality_default_settings(&set);
    set.reference = o.ref;
    set.distorted = o.dist;
    set.width = o.width;
    set.height = o.height;
    set.logger.callback = o.quiet ? NULL : cli_log_callback;
    set.logger.opaque = (void *)CMD;
    cli_progress_init(&prog.bar, o.quiet || !isatty(STDERR_FILENO), 0);
    prog.start = cli_now();
    set.progress = on_progress;
    set.progress_opaque = &prog;
    ret = sobre_quality_compare(&set, &r, &err);
    cli_progress_done(&prog.bar);
    if (ret < 0)
        return cli_report(CMD, &err, ret);
    if (!o.quiet && r->reference.frames != r->distorted.frames)
        cli_error(CMD, "note: %s has %lld frames and %s %lld: compared the first %zu", o.ref,
                  (long long)r->reference.frames, o.dist, (long long)r->distorted.frames,
                  r->summary.frames);
    if (o.json)
        code = print_json(&o, r);
    else {
        print_text(&o, r);
        code = CLI_OK;
    }
    sobre_quality_report_free(&r);
    return cli_finish_stdout(CMD, code);
}
