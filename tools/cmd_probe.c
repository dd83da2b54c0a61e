/* sobre probe FILE... [--json]: describe each file and the problems an encode would hit,
 * as a readable table or as a JSON array (docs/probe.schema.json). A file that cannot be
 * read gets one line on stderr (and an "error" object in JSON); the others are still
 * described, and the exit status says whether every file could be read. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args_cmd.h"
#include "cli.h"
#include "cmd.h"
#include "sobre/probe.h"

static void usage(FILE *out)
{
    fputs("Usage: sobre probe [options] FILE...\n"
          "\n"
          "Describe media files and the problems an encode would hit. Reading is cheap:\n"
          "headers, about two seconds of packets from the start and a few from the end;\n"
          "at most one video frame is decoded (when the container does not say whether\n"
          "the video is interlaced). The audio is decoded once to measure its loudness\n"
          "(--no-loudness skips it).\n"
          "\n"
          "For each FILE: container, duration, start time, size, overall bitrate, title;\n"
          "per stream: codec and profile, size, SAR/DAR and the size a player shows\n"
          "(SAR and rotation applied), frame rate and whether it varies, interlacing,\n"
          "rotation, pixel format and bit depth, colour range/primaries/transfer/matrix,\n"
          "sample rate, channels and layout, language, title; subtitle streams; chapters.\n"
          "\n"
          "Options:\n"
          "  --json            print a JSON array on stdout, one object per FILE in order\n"
          "                    (printed even when some FILEs fail);\n"
          "                    an unreadable FILE gives {\"file\": ..., \"error\": ...}\n"
          "                    (schema: docs/probe.schema.json)\n"
          "  --scan SECONDS    seconds of packets read from the start to measure frame\n"
          "                    durations (default 2; 0: no VFR check, no frame decoded)\n"
          "  --no-end-check    do not read near the end to detect a truncated file\n"
          "  --no-loudness     do not measure the loudness (by default the best audio\n"
          "                    stream is decoded whole: integrated loudness, range and\n"
          "                    true peak per ITU-R BS.1770-4 / EBU R128, libebur128;\n"
          "                    about a second per 10 minutes of audio)\n"
          "  -v, --verbose     print what was measured, and FFmpeg's own warnings, on stderr\n"
          "  -h, --help        print this help and exit\n"
          "  --                end of options (for file names starting with '-')\n"
          "\n"
          "Problems (\"problems\" in the table, ids in JSON):\n"
          "  no-video        no video stream (cover art does not count)\n"
          "  no-audio        no audio stream\n"
          "  vfr             variable frame rate (frame durations vary in the first seconds)\n"
          "  interlaced      interlaced video: needs deinterlacing\n"
          "  odd-dimensions  odd width or height: 4:2:0 encoders need even sizes\n"
          "  rotated         the picture is rotated by metadata (degrees given clockwise)\n"
          "  truncated       the data ends before the declared duration (file cut short)\n"
          "  unreadable      read or decode errors in the sampled data\n"
          "  no-decoder      this FFmpeg build cannot decode the video or audio codec\n"
          "  hdr             HLG, PQ or BT.2020 colours: encode converts them to SDR BT.709\n"
          "  no-duration     the duration is unknown\n"
          "  timestamp-jump  timestamps jump by over 10 s, or back (recordings joined;\n"
          "                  encode closes such jumps in MPEG-TS and MPEG-PS)\n"
          "\n"
          "Files that cannot be described at all (missing, a directory, empty, text, random\n"
          "bytes, an MP4 cut before its index) are named on stderr with the reason, e.g.\n"
          "  sobre probe: clip.mp4: empty file (0 bytes)\n"
          "and the other files are still described.\n"
          "\n"
          "Exit status: 0 every FILE was described (problems are not failures),\n"
          "1 at least one FILE could not be read, 2 usage error.\n"
          "\n"
          "Examples:\n"
          "  sobre probe master.mov\n"
          "  sobre probe --json *.mp4 > probe.json\n",
          out);
}

/* --- table ------------------------------------------------------------------------- */

static void print_size(int64_t bytes)
{
    if (bytes >= 1024 * 1024)
        printf("%.1f MiB (%lld bytes)", bytes / 1048576.0, (long long)bytes);
    else if (bytes >= 1024)
        printf("%.1f KiB (%lld bytes)", bytes / 1024.0, (long long)bytes);
    else
        printf("%lld bytes", (long long)bytes);
}

static void print_video(const SobreProbeStream *s)
{
    if (s->is_attached_pic) { /* a still picture: no rate, no scan */
        printf("%dx%d, %s, cover art", s->width, s->height, s->pix_fmt);
        return;
    }
    printf("%dx%d (SAR %d:%d, DAR %d:%d", s->width, s->height, s->sar_num, s->sar_den, s->dar_num,
           s->dar_den);
    if (s->display_width != s->width || s->display_height != s->height)
        printf(", shown %dx%d", s->display_width, s->display_height);
    printf(")");
    if (s->fps > 0)
        printf(", %.6g fps", s->fps);
    if (s->vfr)
        printf(" variable (%.1f-%.1f ms)", s->frame_dur_min_s * 1000, s->frame_dur_max_s * 1000);
    if (s->pix_fmt[0])
        printf(", %s %d-bit", s->pix_fmt, s->bit_depth);
    printf(", %s", s->interlaced       ? "interlaced"
                   : s->field_order[0] ? "progressive"
                                       : "scan unknown");
    if (s->rotation)
        printf(", rotated %d cw", s->rotation);
    if (s->color_range[0] || s->color_primaries[0] || s->color_transfer[0] || s->color_matrix[0])
        printf(", colour %s/%s/%s/%s", s->color_range[0] ? s->color_range : "?",
               s->color_primaries[0] ? s->color_primaries : "?",
               s->color_transfer[0] ? s->color_transfer : "?",
               s->color_matrix[0] ? s->color_matrix : "?");
    if (s->dv_present)
        printf(", Dolby Vision %d.%d (level %d)", s->dv_profile, s->dv_bl_compat, s->dv_level);
}

static void print_stream(const SobreProbeStream *s)
{
    printf("  #%-2d %-9s %s", s->index, sobre_probe_kind_name(s->kind), s->codec);
    if (s->profile[0])
        printf(" (%s)", s->profile);
    if (s->kind == SOBRE_STREAM_VIDEO) {
        printf(", ");
        print_video(s);
    } else if (s->kind == SOBRE_STREAM_AUDIO) {
        printf(", %d Hz, %d ch", s->sample_rate, s->channels);
        if (s->channel_layout[0])
            printf(" (%s)", s->channel_layout);
    }
    if (s->bitrate > 0)
        printf(", %lld kbit/s", (long long)((s->bitrate + 500) / 1000));
    if (s->language[0])
        printf(", lang %s", s->language);
    if (s->title[0])
        printf(", \"%s\"", s->title);
    if (s->is_default)
        printf(", default");
    if (s->is_forced)
        printf(", forced");
    putchar('\n');
}

static void print_loudness(const SobreProbeInfo *in)
{
    const SobreProbeLoudness *l = &in->loudness;
    if (!in->audio || (!l->measured && !l->error[0]))
        return;
    printf("  loudness   ");
    if (!l->measured)
        printf("not measured: %s\n", l->error);
    else if (!isfinite(l->integrated_lufs))
        printf("silence (below the -70 LUFS gate of BS.1770), stream #%d\n", in->audio->index);
    else
        printf("%.1f LUFS integrated, range %.1f LU, true peak %.1f dBTP (stream #%d, "
               "BS.1770-4)\n",
               l->integrated_lufs, l->range_lu, l->true_peak_dbtp, in->audio->index);
}

static void print_info(const char *path, const SobreProbeInfo *in)
{
    printf("%s\n  container  %s (%s)\n", path, in->format, in->format_long);
    if (in->title[0])
        printf("  title      %s\n", in->title);
    if (in->duration_s >= 0)
        printf("  duration   %.3f s", in->duration_s);
    else
        printf("  duration   unknown");
    if (in->start_time_s != 0)
        printf(", starts at %.3f s", in->start_time_s);
    printf("\n  size       ");
    print_size(in->bytes);
    if (in->bitrate > 0)
        printf(", %lld kbit/s", (long long)((in->bitrate + 500) / 1000));
    printf("\n  streams    %d\n", in->nb_streams);
    for (int i = 0; i < in->nb_streams; i++)
        print_stream(&in->streams[i]);
    for (int i = 0; i < in->nb_chapters; i++)
        printf("  chapter %-2d %.3f-%.3f s%s%s\n", i + 1, in->chapters[i].start_s,
               in->chapters[i].end_s, in->chapters[i].title[0] ? "  " : "", in->chapters[i].title);
    print_loudness(in);
    if (!in->nb_issues)
        printf("  problems   none\n");
    for (int i = 0; i < in->nb_issues; i++)
        printf("  %-10s %s [%s]\n", i ? "" : "problems", in->issues[i].message,
               sobre_probe_problem_name(in->issues[i].flag));
}

/* --- JSON -------------------------------------------------------------------------- */

/* Tags and file names are bytes, not always UTF-8: jansson refuses invalid UTF-8, so
 * those bytes become '?' instead of losing the whole value. "" is null (unknown). */
static json_t *jstr(const char *s)
{
    json_t *j;
    char *copy;
    if (!s || !s[0])
        return json_null();
    if ((j = json_string(s)))
        return j;
    if (!(copy = strdup(s)))
        return json_null();
    for (char *c = copy; *c; c++)
        if ((unsigned char)*c >= 0x80)
            *c = '?';
    j = json_string(copy);
    free(copy);
    return j ? j : json_null();
}

static json_t *jratio(int num, int den)
{
    char buf[32];
    if (num <= 0 || den <= 0)
        return json_null();
    snprintf(buf, sizeof(buf), "%d:%d", num, den);
    return json_string(buf);
}

static json_t *jfrac(int num, int den)
{
    char buf[32];
    if (num <= 0 || den <= 0)
        return json_null();
    snprintf(buf, sizeof(buf), "%d/%d", num, den);
    return json_string(buf);
}

static json_t *jnum(double v, double scale)
{
    return json_real(scale > 0 ? (double)llround(v * scale) / scale : v);
}

static void json_video(json_t *o, const SobreProbeStream *s)
{
    int measured = s->frame_dur_max_s > 0;
    json_object_set_new(o, "width", json_integer(s->width));
    json_object_set_new(o, "height", json_integer(s->height));
    json_object_set_new(o, "sar", jratio(s->sar_num, s->sar_den));
    json_object_set_new(o, "dar", jratio(s->dar_num, s->dar_den));
    json_object_set_new(o, "display_width", json_integer(s->display_width));
    json_object_set_new(o, "display_height", json_integer(s->display_height));
    json_object_set_new(o, "fps", s->fps > 0 ? jnum(s->fps, 1e6) : json_null());
    json_object_set_new(o, "frame_rate", jfrac(s->fps_num, s->fps_den));
    json_object_set_new(o, "vfr", measured ? json_boolean(s->vfr) : json_null());
    json_object_set_new(o, "frame_duration_min_ms",
                        measured ? jnum(s->frame_dur_min_s * 1000, 1e3) : json_null());
    json_object_set_new(o, "frame_duration_max_ms",
                        measured ? jnum(s->frame_dur_max_s * 1000, 1e3) : json_null());
    json_object_set_new(o, "interlaced", json_boolean(s->interlaced));
    json_object_set_new(o, "field_order", jstr(s->field_order));
    json_object_set_new(o, "rotation", json_integer(s->rotation));
    json_object_set_new(o, "pix_fmt", jstr(s->pix_fmt));
    json_object_set_new(o, "bit_depth", s->bit_depth ? json_integer(s->bit_depth) : json_null());
    json_object_set_new(o, "color_range", jstr(s->color_range));
    json_object_set_new(o, "color_primaries", jstr(s->color_primaries));
    json_object_set_new(o, "color_transfer", jstr(s->color_transfer));
    json_object_set_new(o, "color_matrix", jstr(s->color_matrix));
    json_object_set_new(o, "dolby_vision",
                        s->dv_present
                            ? json_pack("{s:i, s:i, s:i}", "profile", s->dv_profile, "level",
                                        s->dv_level, "bl_compat_id", s->dv_bl_compat)
                            : json_null());
    json_object_set_new(o, "attached_pic", json_boolean(s->is_attached_pic));
}

static json_t *json_stream(const SobreProbeStream *s)
{
    json_t *o = json_object();
    json_object_set_new(o, "index", json_integer(s->index));
    json_object_set_new(o, "type", json_string(sobre_probe_kind_name(s->kind)));
    json_object_set_new(o, "codec", jstr(s->codec));
    json_object_set_new(o, "codec_long", jstr(s->codec_long));
    json_object_set_new(o, "profile", jstr(s->profile));
    json_object_set_new(o, "language", jstr(s->language));
    json_object_set_new(o, "title", jstr(s->title));
    json_object_set_new(o, "default", json_boolean(s->is_default));
    json_object_set_new(o, "forced", json_boolean(s->is_forced));
    json_object_set_new(o, "decodable", json_boolean(s->has_decoder));
    json_object_set_new(o, "bitrate_bps", s->bitrate > 0 ? json_integer(s->bitrate) : json_null());
    json_object_set_new(o, "duration_s",
                        s->duration_s >= 0 ? jnum(s->duration_s, 1e6) : json_null());
    if (s->kind == SOBRE_STREAM_VIDEO)
        json_video(o, s);
    if (s->kind == SOBRE_STREAM_AUDIO) {
        json_object_set_new(o, "sample_rate", json_integer(s->sample_rate));
        json_object_set_new(o, "channels", json_integer(s->channels));
        json_object_set_new(o, "channel_layout", jstr(s->channel_layout));
        json_object_set_new(o, "sample_fmt", jstr(s->sample_fmt));
    }
    return o;
}

/* null when not asked or no audio; {"error"} when it could not be measured. */
static json_t *json_loudness(const SobreProbeInfo *in)
{
    const SobreProbeLoudness *l = &in->loudness;
    json_t *o;
    if (!in->audio || (!l->measured && !l->error[0]))
        return json_null();
    if (!l->measured)
        return json_pack("{s:o}", "error", jstr(l->error));
    o = json_object();
    json_object_set_new(o, "stream", json_integer(in->audio->index));
    json_object_set_new(o, "integrated_lufs",
                        isfinite(l->integrated_lufs) ? jnum(l->integrated_lufs, 100) : json_null());
    json_object_set_new(o, "range_lu", jnum(l->range_lu, 100));
    json_object_set_new(o, "true_peak_dbtp",
                        isfinite(l->true_peak_dbtp) ? jnum(l->true_peak_dbtp, 100) : json_null());
    json_object_set_new(o, "below_gate", json_boolean(!isfinite(l->integrated_lufs)));
    json_object_set_new(o, "seconds", jnum(l->seconds, 1000));
    return o;
}

static json_t *json_info(const char *path, const SobreProbeInfo *in)
{
    json_t *o = json_object(), *streams = json_array(), *chapters = json_array();
    json_t *problems = json_array();
    json_object_set_new(o, "file", jstr(path));
    json_object_set_new(o, "format", jstr(in->format));
    json_object_set_new(o, "format_long", jstr(in->format_long));
    json_object_set_new(o, "title", jstr(in->title));
    json_object_set_new(o, "duration_s",
                        in->duration_s >= 0 ? jnum(in->duration_s, 1e6) : json_null());
    json_object_set_new(o, "start_time_s", jnum(in->start_time_s, 1e6));
    json_object_set_new(o, "bytes", json_integer(in->bytes));
    json_object_set_new(o, "bitrate_bps",
                        in->bitrate > 0 ? json_integer(in->bitrate) : json_null());
    json_object_set_new(o, "video_stream",
                        in->video ? json_integer(in->video->index) : json_null());
    json_object_set_new(o, "audio_stream",
                        in->audio ? json_integer(in->audio->index) : json_null());
    for (int i = 0; i < in->nb_streams; i++)
        json_array_append_new(streams, json_stream(&in->streams[i]));
    for (int i = 0; i < in->nb_chapters; i++) {
        const SobreProbeChapter *c = &in->chapters[i];
        json_array_append_new(chapters,
                              json_pack("{s:o, s:o, s:o}", "start_s", jnum(c->start_s, 1e6),
                                        "end_s", jnum(c->end_s, 1e6), "title", jstr(c->title)));
    }
    for (int i = 0; i < in->nb_issues; i++)
        json_array_append_new(problems, json_pack("{s:s, s:o}", "id",
                                                  sobre_probe_problem_name(in->issues[i].flag),
                                                  "message", jstr(in->issues[i].message)));
    json_object_set_new(o, "streams", streams);
    json_object_set_new(o, "chapters", chapters);
    json_object_set_new(o, "problems", problems);
    json_object_set_new(o, "loudness", json_loudness(in));
    return o;
}

/* The library says "PATH: problem"; JSON has the path in "file" already. */
static const char *without_path(const char *detail, const char *path)
{
    size_t n = strlen(path);
    return !strncmp(detail, path, n) && !strncmp(detail + n, ": ", 2) ? detail + n + 2 : detail;
}

/* --- command ----------------------------------------------------------------------- */

static int probe_one(const SobreProbeSettings *settings, const char *path, json_t *out,
                     int *printed)
{
    SobreProbeInfo *info = NULL;
    SobreError err = {0};
    int ret = sobre_probe_file(&info, path, settings, &err);
    if (ret < 0) {
        cli_report("probe", &err, ret);
        if (out)
            json_array_append_new(out, json_pack("{s:o, s:o}", "file", jstr(path), "error",
                                                 jstr(without_path(err.detail, path))));
        return CLI_FAIL;
    }
    if (out) {
        json_array_append_new(out, json_info(path, info));
    } else {
        if ((*printed)++)
            putchar('\n');
        print_info(path, info);
    }
    sobre_probe_free(&info);
    return CLI_OK;
}

int cmd_probe(int argc, char **argv)
{
    ProbeOpts o;
    SobreProbeSettings settings;
    CliArgError usage_err;
    int printed = 0, status = CLI_OK;
    json_t *out = NULL;
    if (args_parse_probe(&o, argc, argv, &usage_err))
        return cli_usage_error("probe", "%s", usage_err.msg);
    if (o.help) {
        usage(stdout);
        return cli_finish_stdout("probe", CLI_OK);
    }
    sobre_probe_default_settings(&settings);
    if (o.scan_s >= 0)
        settings.scan_s = o.scan_s;
    if (o.no_end_check)
        settings.check_end = 0;
    settings.loudness = !o.no_loudness; /* the library's default keeps probe cheap; a person asks */
    sobre_media_set_log_level(o.verbose ? SOBRE_LOG_WARNING : -1);
    settings.logger.callback = cli_log_callback;
    settings.logger.opaque = "probe";
    settings.logger.level = o.verbose ? SOBRE_LOG_DEBUG : SOBRE_LOG_WARNING;
    if (o.json && !(out = json_array())) {
        cli_error("probe", "out of memory");
        return CLI_FAIL;
    }
    for (int i = 0; i < o.nb_files; i++)
        if (probe_one(&settings, o.files[i], out, &printed) != CLI_OK)
            status = CLI_FAIL;
    if (out) {
        if (json_dumpf(out, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(12)) < 0)
            status = CLI_FAIL;
        putchar('\n');
        json_decref(out);
    }
    return cli_finish_stdout("probe", status);
}
