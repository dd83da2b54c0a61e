/* HDR metadata in containers (issue 15). Dolby Vision: phones add a Dolby Vision layer on
 * an HLG base (profile 8.4); made here by remuxing an HEVC Main 10 clip whose pictures are
 * HLG but whose stream tags say nothing, with a Dolby Vision configuration record added
 * (MP4 dvcC): probe must read the record, the encode must tone map from the HLG base layer
 * it names (tagging the renditions BT.709) and say where it learnt it; a profile 5 record
 * (no displayable base layer) must be named as such. HDR10: a PQ clip remuxed into
 * Matroska with a mastering display and a content light level: the encode reads them
 * (report.json "colour"), and the 10-bit rendition of --hdr keep carries them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>
#include <libavformat/avformat.h>
#include <libavutil/dovi_meta.h>
#include <libavutil/mastering_display_metadata.h>
#include <libavutil/pixdesc.h>

#include "ffcompat.h"
#include "sobre/encode.h"
#include "sobre/probe.h"
#include "t.h"

static char tmpdir[1024];

static int clip(const char *name, char *out, size_t size)
{
    char cmd[2048];
    FILE *p;
    snprintf(cmd, sizeof(cmd), "%s/tests/lib/clips.sh %s", getenv("SOBRE_SRC"), name);
    if (!(p = popen(cmd, "r")) || !fgets(out, (int)size, p)) {
        if (p)
            pclose(p);
        return -1;
    }
    out[strcspn(out, "\n")] = '\0';
    return pclose(p) == 0 ? 0 : -1;
}

/* The HDR10 static metadata of a 1000-nit grade: P3 primaries, D65, 0.005-1000 nits, MaxCLL
 * 1000, MaxFALL 400. */
static int add_hdr10(AVStream *st)
{
    size_t size;
    AVMasteringDisplayMetadata *md = av_mastering_display_metadata_alloc();
    AVContentLightMetadata *cll = av_content_light_metadata_alloc(&size);
    static const int xy[3][2] = {{34000, 16000}, {13250, 34500}, {7500, 3000}};
    int ret;
    if (!md || !cll) {
        av_free(md);
        av_free(cll);
        return AVERROR(ENOMEM);
    }
    for (int i = 0; i < 3; i++) {
        md->display_primaries[i][0] = av_make_q(xy[i][0], 50000);
        md->display_primaries[i][1] = av_make_q(xy[i][1], 50000);
    }
    md->white_point[0] = av_make_q(15635, 50000);
    md->white_point[1] = av_make_q(16450, 50000);
    md->min_luminance = av_make_q(50, 10000);
    md->max_luminance = av_make_q(1000, 1);
    md->has_primaries = md->has_luminance = 1;
    cll->MaxCLL = 1000;
    cll->MaxFALL = 400;
    if ((ret = ffc_stream_add_side_data(st, AV_PKT_DATA_MASTERING_DISPLAY_METADATA, (uint8_t *)md,
                                        sizeof(*md))) < 0) {
        av_free(cll);
        return ret;
    }
    return ffc_stream_add_side_data(st, AV_PKT_DATA_CONTENT_LIGHT_LEVEL, (uint8_t *)cll, size);
}

/* Copies in's video into out (MP4 or Matroska, by its name) with a Dolby Vision
 * configuration record (profile > 0) or HDR10 static metadata (profile 0). */
static int remux(const char *in, const char *out, int profile, int compat)
{
    AVFormatContext *ifmt = NULL, *ofmt = NULL;
    AVPacket *pkt = av_packet_alloc();
    AVDOVIDecoderConfigurationRecord *dv;
    AVStream *st;
    size_t size;
    int ret;
    if ((ret = avformat_open_input(&ifmt, in, NULL, NULL)) < 0 ||
        (ret = avformat_find_stream_info(ifmt, NULL)) < 0 ||
        (ret = avformat_alloc_output_context2(&ofmt, NULL, NULL, out)) < 0)
        goto end;
    ofmt->strict_std_compliance = FF_COMPLIANCE_UNOFFICIAL; /* dvcC is Dolby's box */
    if (!(st = avformat_new_stream(ofmt, NULL)) ||
        (ret = avcodec_parameters_copy(st->codecpar, ifmt->streams[0]->codecpar)) < 0) {
        ret = ret < 0 ? ret : AVERROR(ENOMEM);
        goto end;
    }
    st->codecpar->codec_tag = 0;
    if (!strcmp(ofmt->oformat->name, "mp4"))
        st->codecpar->codec_tag = MKTAG('h', 'v', 'c', '1');
    st->time_base = ifmt->streams[0]->time_base;
    if (!profile) {
        if ((ret = add_hdr10(st)) < 0)
            goto end;
    } else if (!(dv = av_dovi_alloc(&size))) {
        ret = AVERROR(ENOMEM);
        goto end;
    } else {
        dv->dv_version_major = 1;
        dv->dv_profile = (uint8_t)profile;
        dv->dv_level = 1;
        dv->rpu_present_flag = 1;
        dv->bl_present_flag = 1;
        dv->dv_bl_signal_compatibility_id = (uint8_t)compat;
        if ((ret = ffc_stream_add_side_data(st, AV_PKT_DATA_DOVI_CONF, (uint8_t *)dv, size)) < 0)
            goto end;
    }
    if ((ret = avio_open(&ofmt->pb, out, AVIO_FLAG_WRITE)) < 0 ||
        (ret = avformat_write_header(ofmt, NULL)) < 0)
        goto end;
    while (av_read_frame(ifmt, pkt) >= 0) {
        if (pkt->stream_index == 0) {
            av_packet_rescale_ts(pkt, ifmt->streams[0]->time_base, st->time_base);
            pkt->stream_index = 0;
            if ((ret = av_interleaved_write_frame(ofmt, pkt)) < 0)
                goto end;
        }
        av_packet_unref(pkt);
    }
    ret = av_write_trailer(ofmt);
end:
    av_packet_free(&pkt);
    avformat_close_input(&ifmt);
    if (ofmt && ofmt->pb)
        avio_closep(&ofmt->pb);
    avformat_free_context(ofmt);
    return ret;
}

static const char *jstr(const json_t *o, const char *key)
{
    const char *v = json_string_value(json_object_get(o, key));
    return v ? v : "";
}

static const char *problem(const SobreProbeInfo *in, unsigned flag)
{
    for (int i = 0; i < in->nb_issues; i++)
        if (in->issues[i].flag == flag)
            return in->issues[i].message;
    return "";
}

/* The video stream's colour tags of a file, as FFmpeg names them. */
static void tags(const char *path, char *out, size_t size)
{
    AVFormatContext *f = NULL;
    snprintf(out, size, "?");
    if (avformat_open_input(&f, path, NULL, NULL) < 0)
        return;
    if (avformat_find_stream_info(f, NULL) >= 0 && f->nb_streams > 0) {
        const AVCodecParameters *p = f->streams[0]->codecpar;
        snprintf(out, size, "%s/%s/%s", av_color_primaries_name(p->color_primaries),
                 av_color_transfer_name(p->color_trc), av_color_space_name(p->color_space));
    }
    avformat_close_input(&f);
}

static void test_profile_84(const char *base)
{
    char dv84[1200], dir[1200], out[1300], t[128];
    SobreProbeInfo *in = NULL;
    SobreError err = {0, ""};
    SobreLadder *ladder = NULL;
    SobreEncodeSettings s;
    SobreEncodeJob *job = NULL;
    char *colour;
    json_t *c;

    snprintf(dv84, sizeof(dv84), "%s/dv84.mp4", tmpdir);
    T_EQ_INT(remux(base, dv84, 8, 4), 0);
    T_EQ_INT(sobre_probe_file(&in, dv84, NULL, &err), 0);
    if (!in || !in->video)
        return;
    T_EQ_INT(in->video->dv_present, 1);
    T_EQ_INT(in->video->dv_profile, 8);
    T_EQ_INT(in->video->dv_level, 1);
    T_EQ_INT(in->video->dv_bl_compat, 4);
    T_EQ_STR(in->video->color_transfer, ""); /* only the record says HLG */
    T_CHECK(in->problems & SOBRE_PROBLEM_HDR, "hdr problem flagged");
    T_CONTAINS(problem(in, SOBRE_PROBLEM_HDR),
               "HDR video (arib-std-b67 transfer, bt2020 primaries, Dolby Vision 8.4)");
    sobre_probe_free(&in);

    snprintf(out, sizeof(out), "%s/tests/data/fast.yaml", getenv("SOBRE_SRC"));
    T_EQ_INT(sobre_ladder_load(&ladder, out, &err), 0);
    T_EQ_INT(sobre_ladder_only(ladder, "vp9-sobre,h264", &err), 0);
    snprintf(dir, sizeof(dir), "%s/dv84", tmpdir);
    sobre_encode_default_settings(&s);
    s.input = dv84;
    s.output_dir = dir;
    s.ladder = ladder;
    T_EQ_INT(sobre_encode_open(&job, &s, &err), 0);
    T_CHECK(job && sobre_encode_run(job, &err) == 0, "encode: %s", err.detail);
    colour = job ? sobre_report_get_section(sobre_encode_report(job), NULL, "colour") : NULL;
    c = colour ? json_loads(colour, 0, NULL) : NULL;
    T_EQ_STR(jstr(c, "conversion"), "tonemap");
    T_EQ_STR(jstr(c, "from"), "HLG");
    T_EQ_STR(jstr(json_object_get(c, "source"), "from"), "Dolby Vision 8.4 base layer");
    json_decref(c);
    free(colour);
    sobre_encode_close(&job);
    sobre_ladder_free(&ladder);
    snprintf(out, sizeof(out), "%s/vp9-sobre.webm", dir);
    tags(out, t, sizeof(t));
    T_EQ_STR(t, "bt709/bt709/bt709");
    snprintf(out, sizeof(out), "%s/h264.mp4", dir);
    tags(out, t, sizeof(t));
    T_EQ_STR(t, "bt709/bt709/bt709");
}

static void test_profile_5(const char *base)
{
    char dv5[1200];
    SobreProbeInfo *in = NULL;
    SobreError err = {0, ""};
    snprintf(dv5, sizeof(dv5), "%s/dv5.mp4", tmpdir);
    T_EQ_INT(remux(base, dv5, 5, 0), 0);
    T_EQ_INT(sobre_probe_file(&in, dv5, NULL, &err), 0);
    if (!in || !in->video)
        return;
    T_EQ_INT(in->video->dv_profile, 5);
    T_CONTAINS(problem(in, SOBRE_PROBLEM_HDR),
               "Dolby Vision profile 5 with no HDR10, HLG or SDR base layer");
    sobre_probe_free(&in);
}

static void test_hdr10(void)
{
    char pq[1024], mkv[1200], dir[1200], out[1300];
    SobreError err = {0, ""};
    SobreLadder *ladder = NULL;
    SobreEncodeSettings s;
    SobreEncodeJob *job = NULL;
    AVFormatContext *f = NULL;
    char *colour;
    json_t *c;

    if (clip("pq.mp4", pq, sizeof(pq)) < 0) {
        T_CHECK(0, "cannot make pq.mp4");
        return;
    }
    snprintf(mkv, sizeof(mkv), "%s/hdr10.mkv", tmpdir);
    T_EQ_INT(remux(pq, mkv, 0, 0), 0);
    snprintf(out, sizeof(out), "%s/tests/data/fast.yaml", getenv("SOBRE_SRC"));
    T_EQ_INT(sobre_ladder_load(&ladder, out, &err), 0);
    T_EQ_INT(sobre_ladder_only(ladder, "vp9-sobre", &err), 0);
    snprintf(dir, sizeof(dir), "%s/hdr10", tmpdir);
    sobre_encode_default_settings(&s);
    s.input = mkv;
    s.output_dir = dir;
    s.ladder = ladder;
    s.hdr = SOBRE_HDR_KEEP;
    s.quality = 0;
    T_EQ_INT(sobre_encode_open(&job, &s, &err), 0);
    T_CHECK(job && sobre_encode_run(job, &err) == 0, "encode: %s", err.detail);
    colour = job ? sobre_report_get_section(sobre_encode_report(job), NULL, "colour") : NULL;
    c = colour ? json_loads(colour, 0, NULL) : NULL;
    T_EQ_STR(jstr(c, "from"), "PQ");
    T_NEAR(json_number_value(json_object_get(c, "max_cll")), 1000, 1e-9);
    T_NEAR(json_number_value(json_object_get(c, "mastering_max_nits")), 1000, 1e-9);
    T_EQ_STR(jstr(c, "hdr_rendition"), "vp9-sobre-hdr");
    json_decref(c);
    free(colour);
    sobre_encode_close(&job);
    sobre_ladder_free(&ladder);
    /* the HDR rendition carries the grade's metadata (WebM MasteringMetadata, MaxCLL) */
    snprintf(out, sizeof(out), "%s/vp9-sobre-hdr.webm", dir);
    if (avformat_open_input(&f, out, NULL, NULL) == 0 && avformat_find_stream_info(f, NULL) >= 0) {
        size_t size = 0;
        const AVMasteringDisplayMetadata *md =
            (const AVMasteringDisplayMetadata *)ffc_stream_side_data(
                f->streams[0], AV_PKT_DATA_MASTERING_DISPLAY_METADATA, &size);
        const AVContentLightMetadata *cll = (const AVContentLightMetadata *)ffc_stream_side_data(
            f->streams[0], AV_PKT_DATA_CONTENT_LIGHT_LEVEL, &size);
        T_CHECK(md && md->has_luminance && av_q2d(md->max_luminance) == 1000,
                "mastering display kept");
        T_CHECK(cll && cll->MaxCLL == 1000 && cll->MaxFALL == 400, "content light level kept");
        T_EQ_INT(f->streams[0]->codecpar->color_trc, AVCOL_TRC_SMPTE2084);
    } else {
        T_CHECK(0, "%s opens", out);
    }
    avformat_close_input(&f);
}

int main(void)
{
    char base[1024];
    const char *tmp = getenv("SOBRE_TMP");
    snprintf(tmpdir, sizeof(tmpdir), "%s/test_hdr_metadata.%d", tmp ? tmp : "/tmp", (int)getpid());
    /* the clip first: clips.sh makes SOBRE_TMP */
    if (clip("hlg-untagged.mp4", base, sizeof(base)) < 0 || mkdir(tmpdir, 0755) < 0) {
        fprintf(stderr, "cannot make %s or the clip\n", tmpdir);
        return 1;
    }
    sobre_media_set_log_level(-1);
    test_profile_84(base);
    test_profile_5(base);
    test_hdr10();
    if (!t_fail) {
        char cmd[1200];
        snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
        if (system(cmd) != 0)
            fprintf(stderr, "could not remove %s\n", tmpdir);
    }
    return t_done();
}
