/* From facts to problems: merges what the packet scan measured into the best video
 * stream, then sets one flag per problem an encode would hit, each with a sentence that
 * carries the measured values (so a user can judge and act). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "probe_internal.h"
#include "sobre/plan.h"

static const char *const problem_names[SOBRE_PROBLEM_COUNT] = {
    "no-video",  "no-audio",   "vfr",        "interlaced", "odd-dimensions", "rotated",
    "truncated", "unreadable", "no-decoder", "hdr",        "no-duration",    "timestamp-jump",
};

const char *sobre_probe_problem_name(unsigned flag)
{
    for (int i = 0; i < SOBRE_PROBLEM_COUNT; i++)
        if (flag == 1u << i)
            return problem_names[i];
    return "unknown";
}

const char *sobre_probe_kind_name(SobreStreamKind kind)
{
    switch (kind) {
    case SOBRE_STREAM_VIDEO:
        return "video";
    case SOBRE_STREAM_AUDIO:
        return "audio";
    case SOBRE_STREAM_SUBTITLE:
        return "subtitle";
    case SOBRE_STREAM_DATA:
        return "data";
    case SOBRE_STREAM_ATTACHMENT:
        return "attachment";
    default:
        return "other";
    }
}

static void add(SobreProbeInfo *info, unsigned flag, const char *fmt, ...) SOBRE_PRINTF(3, 4);

static void add(SobreProbeInfo *info, unsigned flag, const char *fmt, ...)
{
    va_list ap;
    SobreProbeIssue *is;
    if ((info->problems & flag) || info->nb_issues >= SOBRE_PROBLEM_COUNT)
        return;
    is = &info->issues[info->nb_issues++];
    info->problems |= flag;
    is->flag = flag;
    va_start(ap, fmt);
    vsnprintf(is->message, sizeof(is->message), fmt, ap);
    va_end(ap);
}

static const char *field_text(const char *order)
{
    if (!strcmp(order, "tt") || !strcmp(order, "tb"))
        return "top field first";
    if (!strcmp(order, "bb") || !strcmp(order, "bt"))
        return "bottom field first";
    return "field order unknown";
}

static void apply_scan(SobreProbeStream *v, const ProbeScanResult *scan)
{
    if (scan->vfr_measured) {
        v->vfr = scan->vfr;
        v->frame_dur_min_s = scan->dur_min_s;
        v->frame_dur_max_s = scan->dur_max_s;
    }
    if (!v->field_order[0] && scan->interlace_decoded) {
        v->interlaced = scan->interlaced;
        if (!scan->interlaced)
            snprintf(v->field_order, sizeof(v->field_order), "progressive");
    }
}

/* HDR and wide-gamut sources: the sentence says what encode does about it (plan.h's
 * decision, the one the pipeline carries out). */
static void colour_problem(SobreProbeInfo *info, const SobreProbeStream *v)
{
    SobreColourPlan cp;
    char dv[48] = "";
    sobre_colour_plan(v, SOBRE_HDR_SDR, &cp);
    if (v->dv_present)
        snprintf(dv, sizeof(dv), ", Dolby Vision %d.%d", v->dv_profile, v->dv_bl_compat);
    switch (cp.conv) {
    case SOBRE_COLOUR_HLG:
    case SOBRE_COLOUR_PQ:
        add(info, SOBRE_PROBLEM_HDR,
            "HDR video (%s transfer, %s primaries%s): encode tone maps it to SDR BT.709 (%s); "
            "--hdr keep adds a 10-bit HDR VP9 rendition",
            cp.transfer, cp.primaries, dv, SOBRE_TONEMAP_OPERATOR);
        break;
    case SOBRE_COLOUR_GAMUT:
        add(info, SOBRE_PROBLEM_HDR,
            "wide-gamut video (BT.2020 primaries, %s transfer): encode converts it to SDR BT.709",
            cp.transfer);
        break;
    case SOBRE_COLOUR_DV_NO_BASE:
        add(info, SOBRE_PROBLEM_HDR,
            "Dolby Vision profile %d with no HDR10, HLG or SDR base layer: only Dolby's own "
            "processing shows it right; encode keeps the decoded picture (wrong colours)",
            v->dv_profile);
        break;
    default:
        break;
    }
}

static void video_problems(SobreProbeInfo *info, const SobreProbeStream *v,
                           const ProbeScanResult *scan)
{
    if (!v->has_decoder && !strcmp(v->codec, "none"))
        add(info, SOBRE_PROBLEM_NO_DECODER,
            "the video codec is unknown (a damaged header, or a codec FFmpeg does not know)");
    else if (!v->has_decoder)
        add(info, SOBRE_PROBLEM_NO_DECODER, "no decoder for video codec '%s' in this FFmpeg build",
            v->codec);
    if (v->vfr)
        add(info, SOBRE_PROBLEM_VFR,
            "variable frame rate: frame durations vary from %.1f to %.1f ms in the first seconds",
            v->frame_dur_min_s * 1000, v->frame_dur_max_s * 1000);
    if (v->interlaced)
        add(info, SOBRE_PROBLEM_INTERLACED, "interlaced video (%s): deinterlace before encoding",
            v->field_order[0] ? field_text(v->field_order) : "seen in the first frame");
    if ((v->width & 1) || (v->height & 1))
        add(info, SOBRE_PROBLEM_ODD_SIZE,
            "odd dimensions %dx%d: 4:2:0 encoders need even sizes (crop or scale by a pixel)",
            v->width, v->height);
    if (v->rotation)
        add(info, SOBRE_PROBLEM_ROTATED,
            "rotated %d degrees clockwise by metadata: stored %dx%d, shown %dx%d; the encode "
            "must turn the picture",
            v->rotation, v->width, v->height, v->display_width, v->display_height);
    colour_problem(info, v);
    if (scan->decode_failed)
        add(info, SOBRE_PROBLEM_UNREADABLE, "the first video frame does not decode");
}

/* Data ending early by more than a tenth of the duration (at most half a second) is a cut
 * file: normal files end within a frame or an audio packet of what they declare. */
static void truncation(SobreProbeInfo *info, const ProbeScanResult *scan, int dur_reliable)
{
    double declared_end = info->start_time_s + info->duration_s;
    double tol = info->duration_s * 0.1;
    if (!dur_reliable || !scan->end_known || info->duration_s <= 0)
        return;
    tol = tol < 0.1 ? 0.1 : tol > 0.5 ? 0.5 : tol;
    if (scan->data_end_s <= info->start_time_s)
        add(info, SOBRE_PROBLEM_TRUNCATED,
            "no media packet could be read but the file declares %.2f s (cut short or damaged?)",
            info->duration_s);
    else if (scan->data_end_s < declared_end - tol)
        add(info, SOBRE_PROBLEM_TRUNCATED,
            "data ends at %.2f s but the file declares %.2f s (cut while copied or "
            "written?)",
            scan->data_end_s - info->start_time_s, info->duration_s);
}

void probe_find_problems(SobreProbeInfo *info, const ProbeScanResult *scan, int dur_reliable)
{
    if (info->video) {
        SobreProbeStream *v = &info->streams[info->video - info->streams];
        apply_scan(v, scan);
        video_problems(info, v, scan);
    } else {
        int pics = 0;
        for (int i = 0; i < info->nb_streams; i++)
            pics += info->streams[i].is_attached_pic;
        add(info, SOBRE_PROBLEM_NO_VIDEO, "no video stream%s: only audio renditions can be made",
            pics ? " (only cover art)" : "");
    }
    if (!info->audio)
        add(info, SOBRE_PROBLEM_NO_AUDIO, "no audio stream: the renditions will be silent");
    else if (!info->audio->has_decoder)
        add(info, SOBRE_PROBLEM_NO_DECODER, "no decoder for audio codec '%s' in this FFmpeg build",
            info->audio->codec);
    if (info->duration_s < 0)
        add(info, SOBRE_PROBLEM_NO_DURATION,
            "duration unknown: progress and per-view footprint cannot be computed in advance");
    truncation(info, scan, dur_reliable);
    if (scan->jumped)
        add(info, SOBRE_PROBLEM_TS_JUMP,
            "timestamps jump by %+.1f s at %.2f s (recordings joined?): %s", scan->jump_by_s,
            scan->jump_at_s - info->start_time_s,
            !scan->jump_closed ? "encode keeps the gap"
            : scan->jump_by_s > 0
                ? "the declared duration includes the jump; encode joins the parts without it"
                : "the parts overlap in time; encode plays them one after the other");
    /* A cut file fails its last reads: that is the truncation, already said. */
    if (scan->read_error && !(info->problems & SOBRE_PROBLEM_TRUNCATED)) {
        if (scan->end_known)
            add(info, SOBRE_PROBLEM_UNREADABLE, "read error after %.2f s: %s",
                scan->data_end_s - info->start_time_s, scan->read_error_text);
        else
            add(info, SOBRE_PROBLEM_UNREADABLE, "read error: %s", scan->read_error_text);
    }
}
