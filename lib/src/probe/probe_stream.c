/* One AVStream into a plain SobreProbeStream (codec, geometry, frame rate, colour, audio
 * layout, tags), plus the chapters. Only header facts here: what needs packets is
 * measured by probe_scan.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libavcodec/avcodec.h>
#include <libavutil/dovi_meta.h>
#include <libavutil/pixdesc.h>

#include "ffcompat.h"
#include "probe_internal.h"
#include "sobre/plan.h"

void probe_copy(char *dst, size_t size, const char *src)
{
    if (!size)
        return;
    snprintf(dst, size, "%s", src ? src : "");
}

static const char *tag(AVDictionary *m, const char *key)
{
    const AVDictionaryEntry *e = av_dict_get(m, key, NULL, 0);
    return e ? e->value : NULL;
}

static SobreStreamKind kind_of(enum AVMediaType t)
{
    switch (t) {
    case AVMEDIA_TYPE_VIDEO:
        return SOBRE_STREAM_VIDEO;
    case AVMEDIA_TYPE_AUDIO:
        return SOBRE_STREAM_AUDIO;
    case AVMEDIA_TYPE_SUBTITLE:
        return SOBRE_STREAM_SUBTITLE;
    case AVMEDIA_TYPE_DATA:
        return SOBRE_STREAM_DATA;
    case AVMEDIA_TYPE_ATTACHMENT:
        return SOBRE_STREAM_ATTACHMENT;
    default:
        return SOBRE_STREAM_OTHER;
    }
}

static const char *field_order_name(enum AVFieldOrder f)
{
    switch (f) {
    case AV_FIELD_PROGRESSIVE:
        return "progressive";
    case AV_FIELD_TT:
        return "tt";
    case AV_FIELD_BB:
        return "bb";
    case AV_FIELD_TB:
        return "tb";
    case AV_FIELD_BT:
        return "bt";
    default:
        return "";
    }
}

/* "unspecified"/"unknown" colour values become "": JSON shows null, the table hides them. */
static void colour_name(char *dst, size_t size, const char *name, int unspecified)
{
    probe_copy(dst, size, unspecified || !name ? "" : name);
}

/* The size a player shows: the one rule the plan and the report use too (plan.h). */
static void display_size(SobreProbeStream *s)
{
    SobreSourceGeom g = {.width = s->width,
                         .height = s->height,
                         .sar_num = s->sar_num,
                         .sar_den = s->sar_den,
                         .rotation = s->rotation};
    sobre_source_display_size(&g, &s->display_width, &s->display_height);
}

/* Dolby Vision configuration record (MP4 dvcC/dvvC, Matroska block addition mapping):
 * what the base layer is decides how it can be shown without Dolby's processing. */
static void dolby_vision(SobreProbeStream *s, const AVStream *st)
{
    size_t size = 0;
    const AVDOVIDecoderConfigurationRecord *dv =
        (const AVDOVIDecoderConfigurationRecord *)ffc_stream_side_data(st, AV_PKT_DATA_DOVI_CONF,
                                                                       &size);
    if (!dv || size < sizeof(*dv))
        return;
    s->dv_present = 1;
    s->dv_profile = dv->dv_profile;
    s->dv_level = dv->dv_level;
    s->dv_bl_compat = dv->dv_bl_signal_compatibility_id;
}

static void fill_video(SobreProbeStream *s, AVFormatContext *fmt, AVStream *st)
{
    const AVCodecParameters *par = st->codecpar;
    const AVPixFmtDescriptor *desc = av_pix_fmt_desc_get(par->format);
    AVRational sar = av_guess_sample_aspect_ratio(fmt, st, NULL);
    /* FFmpeg's own guess (r_frame_rate unless the average says it is a field rate or a
     * time-base artefact): the rate ffmpeg makes constant-rate outputs at, and the one
     * the plan and the encoders use. */
    AVRational fr = av_guess_frame_rate(fmt, st, NULL);

    s->width = par->width;
    s->height = par->height;
    if (sar.num <= 0 || sar.den <= 0)
        sar = (AVRational){1, 1};
    av_reduce(&s->sar_num, &s->sar_den, sar.num, sar.den, 1 << 30);
    if (s->width > 0 && s->height > 0)
        av_reduce(&s->dar_num, &s->dar_den, (int64_t)s->width * sar.num,
                  (int64_t)s->height * sar.den, 1 << 30);
    if (fr.num > 0 && fr.den > 0) {
        s->fps_num = fr.num;
        s->fps_den = fr.den;
        s->fps = av_q2d(fr);
    }
    s->rotation = ffc_stream_rotation(st);
    display_size(s);
    probe_copy(s->field_order, sizeof(s->field_order), field_order_name(par->field_order));
    s->interlaced =
        par->field_order != AV_FIELD_PROGRESSIVE && par->field_order != AV_FIELD_UNKNOWN;
    probe_copy(s->pix_fmt, sizeof(s->pix_fmt), desc ? desc->name : "");
    s->bit_depth = desc ? desc->comp[0].depth : 0;
    colour_name(s->color_range, sizeof(s->color_range), av_color_range_name(par->color_range),
                par->color_range == AVCOL_RANGE_UNSPECIFIED);
    colour_name(s->color_primaries, sizeof(s->color_primaries),
                av_color_primaries_name(par->color_primaries),
                par->color_primaries == AVCOL_PRI_UNSPECIFIED);
    colour_name(s->color_transfer, sizeof(s->color_transfer),
                av_color_transfer_name(par->color_trc), par->color_trc == AVCOL_TRC_UNSPECIFIED);
    colour_name(s->color_matrix, sizeof(s->color_matrix), av_color_space_name(par->color_space),
                par->color_space == AVCOL_SPC_UNSPECIFIED);
    dolby_vision(s, st);
}

static void fill_audio(SobreProbeStream *s, const AVStream *st)
{
    const AVCodecParameters *par = st->codecpar;
    const char *sf = av_get_sample_fmt_name(par->format);
    s->sample_rate = par->sample_rate;
    s->channels = ffc_par_channels(par);
    ffc_par_layout_name(par, s->channel_layout, sizeof(s->channel_layout));
    probe_copy(s->sample_fmt, sizeof(s->sample_fmt), sf);
}

void probe_fill_stream(SobreProbeStream *s, AVFormatContext *fmt, AVStream *st)
{
    const AVCodecParameters *par = st->codecpar;
    const AVCodecDescriptor *cd = avcodec_descriptor_get(par->codec_id);
    const char *lang = tag(st->metadata, "language");

    memset(s, 0, sizeof(*s));
    s->index = st->index;
    s->kind = kind_of(par->codec_type);
    probe_copy(s->codec, sizeof(s->codec), cd ? cd->name : avcodec_get_name(par->codec_id));
    probe_copy(s->codec_long, sizeof(s->codec_long), cd && cd->long_name ? cd->long_name : "");
    probe_copy(s->profile, sizeof(s->profile), avcodec_profile_name(par->codec_id, par->profile));
    probe_copy(s->language, sizeof(s->language), lang);
    probe_copy(s->title, sizeof(s->title), tag(st->metadata, "title"));
    s->is_default = !!(st->disposition & AV_DISPOSITION_DEFAULT);
    s->is_forced = !!(st->disposition & AV_DISPOSITION_FORCED);
    s->is_attached_pic = !!(st->disposition & AV_DISPOSITION_ATTACHED_PIC);
    s->has_decoder = avcodec_find_decoder(par->codec_id) != NULL;
    s->bitrate = par->bit_rate > 0 ? par->bit_rate : 0;
    s->duration_s = st->duration != AV_NOPTS_VALUE && st->duration > 0
                        ? st->duration * av_q2d(st->time_base)
                        : -1.0;
    s->sar_num = s->sar_den = 1;
    if (s->kind == SOBRE_STREAM_VIDEO)
        fill_video(s, fmt, st);
    else if (s->kind == SOBRE_STREAM_AUDIO)
        fill_audio(s, st);
}

int probe_fill_chapters(SobreProbeInfo *info, const AVFormatContext *fmt)
{
    if (!fmt->nb_chapters)
        return 0;
    info->chapters = calloc(fmt->nb_chapters, sizeof(*info->chapters));
    if (!info->chapters)
        return AVERROR(ENOMEM);
    for (unsigned i = 0; i < fmt->nb_chapters; i++) {
        const AVChapter *c = fmt->chapters[i];
        SobreProbeChapter *out = &info->chapters[i];
        out->start_s = c->start * av_q2d(c->time_base);
        out->end_s = c->end != AV_NOPTS_VALUE ? c->end * av_q2d(c->time_base) : out->start_s;
        probe_copy(out->title, sizeof(out->title), tag(c->metadata, "title"));
    }
    info->nb_chapters = (int)fmt->nb_chapters;
    return 0;
}
