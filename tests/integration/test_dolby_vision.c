/* Dolby Vision sources (issue 15): phones add a Dolby Vision layer on an HLG base (profile
 * 8.4). Made here by remuxing an HEVC Main 10 clip whose pictures are HLG but whose
 * stream tags say nothing, with a Dolby Vision configuration record added (MP4 dvcC):
 * probe must read the record, the encode must tone map from the HLG base layer it names
 * (tagging the renditions BT.709) and say where it learnt it; a profile 5 record (no
 * displayable base layer) must be named as such. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>
#include <libavformat/avformat.h>
#include <libavutil/dovi_meta.h>
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

/* Copies in's video into out (MP4) with a Dolby Vision configuration record. */
static int add_dolby_vision(const char *in, const char *out, int profile, int compat)
{
    AVFormatContext *ifmt = NULL, *ofmt = NULL;
    AVPacket *pkt = av_packet_alloc();
    AVDOVIDecoderConfigurationRecord *dv;
    AVStream *st;
    size_t size;
    int ret;
    if ((ret = avformat_open_input(&ifmt, in, NULL, NULL)) < 0 ||
        (ret = avformat_find_stream_info(ifmt, NULL)) < 0 ||
        (ret = avformat_alloc_output_context2(&ofmt, NULL, "mp4", out)) < 0)
        goto end;
    ofmt->strict_std_compliance = FF_COMPLIANCE_UNOFFICIAL; /* dvcC is Dolby's box */
    if (!(st = avformat_new_stream(ofmt, NULL)) ||
        (ret = avcodec_parameters_copy(st->codecpar, ifmt->streams[0]->codecpar)) < 0) {
        ret = ret < 0 ? ret : AVERROR(ENOMEM);
        goto end;
    }
    st->codecpar->codec_tag = MKTAG('h', 'v', 'c', '1');
    st->time_base = ifmt->streams[0]->time_base;
    if (!(dv = av_dovi_alloc(&size))) {
        ret = AVERROR(ENOMEM);
        goto end;
    }
    dv->dv_version_major = 1;
    dv->dv_profile = (uint8_t)profile;
    dv->dv_level = 1;
    dv->rpu_present_flag = 1;
    dv->bl_present_flag = 1;
    dv->dv_bl_signal_compatibility_id = (uint8_t)compat;
    if ((ret = ffc_stream_add_side_data(st, AV_PKT_DATA_DOVI_CONF, (uint8_t *)dv, size)) < 0 ||
        (ret = avio_open(&ofmt->pb, out, AVIO_FLAG_WRITE)) < 0 ||
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
    T_EQ_INT(add_dolby_vision(base, dv84, 8, 4), 0);
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
    T_EQ_INT(add_dolby_vision(base, dv5, 5, 0), 0);
    T_EQ_INT(sobre_probe_file(&in, dv5, NULL, &err), 0);
    if (!in || !in->video)
        return;
    T_EQ_INT(in->video->dv_profile, 5);
    T_CONTAINS(problem(in, SOBRE_PROBLEM_HDR),
               "Dolby Vision profile 5 with no HDR10, HLG or SDR base layer");
    sobre_probe_free(&in);
}

int main(void)
{
    char base[1024];
    const char *tmp = getenv("SOBRE_TMP");
    snprintf(tmpdir, sizeof(tmpdir), "%s/test_dolby_vision.%d", tmp ? tmp : "/tmp", (int)getpid());
    /* the clip first: clips.sh makes SOBRE_TMP */
    if (clip("hlg-untagged.mp4", base, sizeof(base)) < 0 || mkdir(tmpdir, 0755) < 0) {
        fprintf(stderr, "cannot make %s or the clip\n", tmpdir);
        return 1;
    }
    sobre_media_set_log_level(-1);
    test_profile_84(base);
    test_profile_5(base);
    if (!t_fail) {
        char cmd[1200];
        snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
        if (system(cmd) != 0)
            fprintf(stderr, "could not remove %s\n", tmpdir);
    }
    return t_done();
}
