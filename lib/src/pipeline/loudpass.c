/* The loudness pre-pass (loudpass.h). Read 1 measures the input at its own layout and at
 * each setting's; the decision (loudness.h) gives a first level. Then trials: each read
 * runs every undecided setting's real audio encoder (aenc.c, the same code, samples and
 * level the encode will use) and decodes and measures its packets, which is what the
 * listener gets; the codec's effect on loudness (a low-bitrate Opus drops the top of the
 * spectrum) and on peaks (lossy coding overshoots) is then corrected, until the output is
 * on target (or MAX_TRIALS reads). The encoders being deterministic, the encode then
 * writes exactly what the last trial measured. Each read costs an audio decode and each
 * trial an audio encode: a few percent of a video encode (README, Loudness). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "clock.h"
#include "loudpass.h"

enum { MAX_TRIALS = 3, GRID = 5 };
#define TOLERANCE_LU 0.2
/* Where the limiter's curve is read around the trial's drive (dB): the limiter takes more
 * loudness as the drive grows (and the codec's overshoot may lower the ceiling by a few
 * dB), so the curve is mostly read above. */
static const double grid_db[GRID] = {-1, 1, 3, 6, 10};

/* One setting's trial: its audio encoder, a decoder for its packets and a meter of what
 * comes out; a meter of what the encoder is fed; meters of the limiter's curve. */
typedef struct Trial {
    AudioEnc *ae;
    AVCodecContext *dec;
    AVFrame *f;
    LoudMeter *meter;
    LoudMeter *fed;
    int has_curve; /* the first trial of a layout reads the curve for all of them */
    LoudMeter *curve[GRID];
    SobreLoudPoint pts[GRID];
} Trial;

/* What a read feeds: meters (read 1) or trials, and the job's progress. */
typedef struct Feed {
    LoudMeter **meters;
    int nb_meters;
    Trial *trials;
    int nb_trials;
    const LoudPassConfig *c;
} Feed;

static int decode_frames(Trial *t, const AVPacket *pkt, SobreError *err)
{
    int ret = avcodec_send_packet(t->dec, pkt);
    if (ret < 0 && ret != AVERROR_EOF)
        return sobre_fail(err, ret, "loudness trial: the encoded audio does not decode");
    while ((ret = avcodec_receive_frame(t->dec, t->f)) >= 0) {
        ret = sobre_loudmeter_add(t->meter, t->f, err);
        av_frame_unref(t->f);
        if (ret < 0)
            return ret;
    }
    return 0;
}

static int trial_packet(void *opaque, const AVPacket *pkt, SobreError *err)
{
    return decode_frames(opaque, pkt, err);
}

static int trial_open(Trial *t, const SobreAudioSetting *set, const AudioLevel *lv, int curve,
                      SobreError *err)
{
    AVCodecParameters *par = avcodec_parameters_alloc();
    const AVCodec *c;
    int ret;
    if (!par || !(t->f = av_frame_alloc())) {
        avcodec_parameters_free(&par);
        return sobre_fail(err, AVERROR(ENOMEM), "out of memory");
    }
    if ((ret = sobre_aenc_open(&t->ae, set, lv, err)) < 0 ||
        (ret = sobre_loudmeter_new(&t->meter, 0, 0, err)) < 0) {
        avcodec_parameters_free(&par);
        return ret;
    }
    t->ae->on_packet = trial_packet;
    t->ae->on_packet_opaque = t;
    if ((ret = sobre_loudmeter_new(&t->fed, set->channels, set->sample_rate, err)) < 0 ||
        (ret = sobre_loudmeter_set_level(t->fed, lv->gain_db, lv->limit, lv->ceiling_dbtp, err)) <
            0) {
        avcodec_parameters_free(&par);
        return ret;
    }
    t->has_curve = curve;
    for (int i = 0; curve && i < GRID; i++) {
        if ((ret = sobre_loudmeter_new(&t->curve[i], set->channels, set->sample_rate, err)) < 0 ||
            (ret = sobre_loudmeter_set_level(
                 t->curve[i], lv->gain_db - lv->ceiling_dbtp + grid_db[i], 1, 0, err)) < 0) {
            avcodec_parameters_free(&par);
            return ret;
        }
        sobre_loudmeter_integrated_only(t->curve[i]);
    }
    if ((ret = avcodec_parameters_from_context(par, t->ae->ctx)) < 0 ||
        !(c = avcodec_find_decoder(par->codec_id)) || !(t->dec = avcodec_alloc_context3(c)) ||
        (ret = avcodec_parameters_to_context(t->dec, par)) < 0 ||
        (ret = avcodec_open2(t->dec, c, NULL)) < 0) {
        avcodec_parameters_free(&par);
        return sobre_fail(err, ret < 0 ? ret : SOBRE_E_UNSUPPORTED,
                          "loudness trial: no decoder for the %s audio", set->name);
    }
    avcodec_parameters_free(&par);
    t->dec->thread_count = 1;
    return 0;
}

/* Results: out (the decoded output), fed, and the curve's points when it reads them. */
static int trial_finish(Trial *t, const AudioLevel *lv, LoudMeterResult *out, LoudMeterResult *fed,
                        SobreError *err)
{
    LoudMeterResult r;
    int ret;
    if ((ret = sobre_aenc_flush(t->ae, err)) < 0 || (ret = decode_frames(t, NULL, err)) < 0 ||
        (ret = sobre_loudmeter_finish(t->meter, out, err)) < 0 ||
        (ret = sobre_loudmeter_finish(t->fed, fed, err)) < 0)
        return ret;
    for (int i = 0; t->has_curve && i < GRID; i++) {
        if ((ret = sobre_loudmeter_finish(t->curve[i], &r, err)) < 0)
            return ret;
        t->pts[i].u = lv->gain_db - lv->ceiling_dbtp + grid_db[i];
        t->pts[i].lufs = r.m.integrated_lufs;
    }
    return 0;
}

static void trial_free(Trial *t)
{
    sobre_aenc_free(&t->ae);
    avcodec_free_context(&t->dec);
    av_frame_free(&t->f);
    sobre_loudmeter_free(&t->meter);
    sobre_loudmeter_free(&t->fed);
    for (int i = 0; i < GRID; i++)
        sobre_loudmeter_free(&t->curve[i]);
}

static int on_frame(void *opaque, const AVFrame *f, int64_t us, SobreError *err)
{
    Feed *fd = opaque;
    int ret = 0;
    for (int i = 0; ret >= 0 && i < fd->nb_meters; i++)
        ret = sobre_loudmeter_add(fd->meters[i], f, err);
    for (int i = 0; ret >= 0 && i < fd->nb_trials; i++) {
        Trial *t = &fd->trials[i];
        AudioEnc *ae = t->ae;
        /* the start sample as the encode's reader gives it (input.c on_audio) */
        int64_t at = us != AV_NOPTS_VALUE ? av_rescale(us, ae->set->sample_rate, 1000000) : us;
        ret = sobre_aenc_send(ae, f, at, err);
        if (ret >= 0)
            ret = sobre_loudmeter_add(t->fed, f, err);
        for (int k = 0; ret >= 0 && t->has_curve && k < GRID; k++)
            ret = sobre_loudmeter_add(t->curve[k], f, err);
    }
    return ret;
}

static void tick_relay(void *opaque, double done_s)
{
    const Feed *fd = opaque;
    fd->c->tick(fd->c->opaque, done_s);
}

static int read_once(LoudPass *lp, Feed *fd, SobreError *err)
{
    AudioRead r = {on_frame, fd->c->tick ? tick_relay : NULL, fd, fd->c->cancel};
    lp->reads++;
    return sobre_audio_read(fd->c->input, fd->c->stream, &r, err);
}

/* Read 1: the input's own layout and every distinct layout of the used settings. */
static int measure(LoudPass *lp, const LoudPassConfig *c, SobreError *err)
{
    LoudMeter *m[SOBRE_LADDER_MAX_AUDIO + 1] = {NULL};
    LoudMeterResult *out[SOBRE_LADDER_MAX_AUDIO + 1];
    int owner[SOBRE_LADDER_MAX_AUDIO]; /* the audio entry whose meter measures this one */
    int n = 1, ret = sobre_loudmeter_new(&m[0], 0, 0, err);
    Feed fd = {m, 0, NULL, 0, c};
    out[0] = &lp->input;
    for (int k = 0; ret >= 0 && k < lp->nb_audio; k++) {
        LoudPassAudio *a = &lp->audio[k];
        owner[k] = k;
        for (int j = 0; j < k; j++)
            if (lp->audio[j].channels == a->channels && lp->audio[j].sample_rate == a->sample_rate)
                owner[k] = j;
        if (owner[k] != k)
            continue;
        out[n] = &a->measured;
        ret = sobre_loudmeter_new(&m[n++], a->channels, a->sample_rate, err);
    }
    fd.nb_meters = n;
    if (ret >= 0)
        ret = read_once(lp, &fd, err);
    for (int i = 0; ret >= 0 && i < n; i++)
        ret = sobre_loudmeter_finish(m[i], out[i], err);
    for (int i = 0; i < n; i++)
        sobre_loudmeter_free(&m[i]);
    for (int k = 0; ret >= 0 && k < lp->nb_audio; k++)
        lp->audio[k].measured = lp->audio[owner[k]].measured;
    return ret;
}

/* The limiter is always in the chain when the level is on: below its ceiling it hands the
 * samples back untouched, and the trial then measures the same chain the encode runs. */
static void level_of(const SobreLoudDecision *d, AudioLevel *lv)
{
    lv->on = d->action == SOBRE_LOUD_ACT_GAIN || d->action == SOBRE_LOUD_ACT_LIMIT;
    lv->gain_db = lv->on ? d->gain_db : 0;
    lv->limit = lv->on;
    lv->ceiling_dbtp = d->ceiling_dbtp;
}

/* How far a trial's output is from the goal: dB of true peak over the ceiling, plus
 * twice the LU outside the loudness tolerance. */
static double miss(const LoudMeterResult *r, double aim, double peak)
{
    double over = r->m.true_peak_dbtp > peak ? r->m.true_peak_dbtp - peak : 0;
    double off = fabs(r->m.integrated_lufs - aim) - TOLERANCE_LU;
    return over + (off > 0 ? 2 * off : 0);
}

/* The trial to keep: the nearest to the goal (the first of equals). */
static int better(const LoudPassAudio *a, const LoudMeterResult *r, double peak)
{
    return !a->trials || miss(r, a->d.aim_lufs, peak) < miss(&a->out, a->d.aim_lufs, peak) - 1e-9;
}

static void add_point(LoudPassAudio *a, SobreLoudPoint p)
{
    if (!isfinite(p.lufs) || a->npts >= LOUDPASS_MAX_POINTS)
        return;
    for (int i = 0; i < a->npts; i++)
        if (fabs(a->pts[i].u - p.u) < 0.01)
            return;
    a->pts[a->npts++] = p;
}

static int same_layout(const LoudPassAudio *a, const LoudPassAudio *b)
{
    return a->channels == b->channels && a->sample_rate == b->sample_rate;
}

/* One read running the trial of every setting not yet on target; returns how many ran. */
static int run_trials(LoudPass *lp, const LoudPassConfig *c, int *done, SobreError *err)
{
    Trial t[SOBRE_LADDER_MAX_AUDIO];
    AudioLevel lv[SOBRE_LADDER_MAX_AUDIO];
    LoudMeterResult r[SOBRE_LADDER_MAX_AUDIO], fed[SOBRE_LADDER_MAX_AUDIO];
    int idx[SOBRE_LADDER_MAX_AUDIO], n = 0, ret = 0;
    Feed fd = {NULL, 0, t, 0, c};
    memset(t, 0, sizeof(t));
    for (int k = 0; k < lp->nb_audio && ret >= 0; k++) {
        LoudPassAudio *a = &lp->audio[k];
        int first = 1;
        if (done[k] || a->leader >= 0 ||
            (a->d.action != SOBRE_LOUD_ACT_GAIN && a->d.action != SOBRE_LOUD_ACT_LIMIT))
            continue;
        for (int j = 0; j < n; j++)
            first &= !same_layout(&lp->audio[idx[j]], a);
        first &= a->npts == 0; /* read once: later trials add their fed points to it */
        /* the curve matters where the limiter may act: peaks within 3 dB of its ceiling */
        first &= a->measured.m.true_peak_dbtp + a->d.gain_db > a->d.ceiling_dbtp - 3;
        level_of(&a->d, &lv[n]);
        idx[n] = k;
        ret = trial_open(&t[n], &c->ladder->audio[a->setting], &lv[n], first, err);
        n++;
    }
    fd.nb_trials = n;
    if (ret >= 0 && n)
        ret = read_once(lp, &fd, err);
    for (int i = 0; ret >= 0 && i < n; i++)
        ret = trial_finish(&t[i], &lv[i], &r[i], &fed[i], err);
    for (int i = 0; ret >= 0 && i < n; i++) {
        LoudPassAudio *a = &lp->audio[idx[i]];
        /* the curve belongs to the layout, whatever the gain and ceiling: the grid of
         * the first trial on it, and every fed measurement on it (F(u) = fed - ceiling),
         * kept from one trial to the next */
        for (int j = 0; j < n; j++) {
            if (!same_layout(&lp->audio[idx[j]], a))
                continue;
            for (int g = 0; t[j].has_curve && g < GRID; g++)
                add_point(a, t[j].pts[g]);
            add_point(a, (SobreLoudPoint){lv[j].gain_db - lv[j].ceiling_dbtp,
                                          fed[j].m.integrated_lufs - lv[j].ceiling_dbtp});
        }
        if (better(a, &r[i], lp->target.true_peak_dbtp)) {
            a->out = r[i];
            a->fed = fed[i];
            a->level = lv[i];
            a->level.limiter_db = fed[i].limiter_db;
        }
        a->trials++;
        done[idx[i]] =
            sobre_loud_next(&a->d, lp->target.true_peak_dbtp, a->measured.m.true_peak_dbtp,
                            &fed[i].m, &r[i].m, a->pts, a->npts, TOLERANCE_LU);
        sobre_log(c->logger, SOBRE_LOG_DEBUG,
                  "loudness trial %d of audio '%s': gain %+.2f dB, ceiling %.2f dBTP: fed "
                  "%.2f LUFS %.2f dBTP, out %.2f LUFS %.2f dBTP%s",
                  a->trials, c->ladder->audio[a->setting].name, lv[i].gain_db, lv[i].ceiling_dbtp,
                  fed[i].m.integrated_lufs, fed[i].m.true_peak_dbtp, r[i].m.integrated_lufs,
                  r[i].m.true_peak_dbtp, done[idx[i]] ? " (done)" : "");
    }
    for (int i = 0; i < n; i++)
        trial_free(&t[i]);
    return ret < 0 ? ret : n;
}

int sobre_loudpass_run(LoudPass *lp, const LoudPassConfig *c, SobreError *err)
{
    double w0 = sobre_clock_wall(), c0 = sobre_clock_thread_cpu();
    int done[SOBRE_LADDER_MAX_AUDIO] = {0}, ret;
    memset(lp, 0, sizeof(*lp));
    lp->target = c->target;
    for (int k = 0; k < c->ladder->nb_audio; k++)
        if (c->used[k]) {
            LoudPassAudio *a = &lp->audio[lp->nb_audio++];
            const SobreAudioSetting *s = &c->ladder->audio[k];
            a->setting = k;
            a->channels = s->channels;
            a->sample_rate = s->sample_rate;
            a->leader = -1;
            for (int j = 0; j < lp->nb_audio - 1 && a->leader < 0; j++) {
                const SobreAudioSetting *o = &c->ladder->audio[lp->audio[j].setting];
                if (o->codec == s->codec && o->channels == s->channels &&
                    o->sample_rate == s->sample_rate && o->bitrate_kbps == s->bitrate_kbps &&
                    o->voip == s->voip)
                    a->leader = j;
            }
        }
    if ((ret = measure(lp, c, err)) < 0)
        return ret;
    for (int k = 0; k < lp->nb_audio; k++) {
        LoudPassAudio *a = &lp->audio[k];
        const SobreAudioSetting *s = &c->ladder->audio[a->setting];
        sobre_loud_decide(
            lp->target.enabled, lp->target.target_lufs, lp->target.true_peak_dbtp, &a->measured.m,
            sobre_loud_codec_headroom(s->codec == SOBRE_CODEC_AAC, s->bitrate_kbps), &a->d);
        a->first = a->d;
        level_of(&a->d, &a->level);
    }
    for (int i = 0; i < MAX_TRIALS; i++)
        if ((ret = run_trials(lp, c, done, err)) <= 0)
            break;
    if (ret < 0)
        return ret;
    for (int k = 0; k < lp->nb_audio; k++) {
        LoudPassAudio *a = &lp->audio[k];
        const SobreAudioSetting *s = &c->ladder->audio[a->setting];
        if (a->leader < 0 && a->trials && a->out.m.true_peak_dbtp > lp->target.true_peak_dbtp &&
            !a->first.note[0])
            snprintf(a->first.note, sizeof(a->first.note),
                     "audio '%s': its decoded true peak stays at %.1f dBTP, over %.1f: at %d "
                     "kbit/s the codec's own overshoot on this dense audio (the limiter holds "
                     "the peaks it is fed at %.1f dBTP)",
                     s->name, a->out.m.true_peak_dbtp, lp->target.true_peak_dbtp, s->bitrate_kbps,
                     a->level.ceiling_dbtp);
        if (a->leader >= 0) { /* the leader's level, and what its trials measured */
            const LoudPassAudio *l = &lp->audio[a->leader];
            a->d = l->d;
            a->out = l->out;
            a->fed = l->fed;
            a->level = l->level;
        }
    }
    lp->wall_s = sobre_clock_wall() - w0;
    lp->cpu_s = sobre_clock_thread_cpu() - c0;
    for (int k = 0; k < lp->nb_audio; k++) {
        const LoudPassAudio *a = &lp->audio[k];
        sobre_log(c->logger, SOBRE_LOG_INFO,
                  "%s: audio '%s': %.1f LUFS, true peak %.1f dBTP at %d ch %d Hz: %s, gain "
                  "%+.2f dB, limiter at %.2f dBTP (%.1f dB) -> %.2f LUFS, %.2f dBTP after %d "
                  "trial(s)",
                  c->input, c->ladder->audio[a->setting].name, a->measured.m.integrated_lufs,
                  a->measured.m.true_peak_dbtp, a->channels, a->sample_rate,
                  sobre_loud_action_name(a->first.action), a->level.gain_db, a->level.ceiling_dbtp,
                  a->fed.limiter_db, a->out.m.integrated_lufs, a->out.m.true_peak_dbtp, a->trials);
    }
    return 0;
}

const AudioLevel *sobre_loudpass_level(const LoudPass *lp, int setting)
{
    for (int k = 0; lp && k < lp->nb_audio; k++)
        if (lp->audio[k].setting == setting)
            return &lp->audio[k].level;
    return NULL;
}

static json_t *num(double v, double scale)
{
    return isfinite(v) ? json_real(round(v * scale) / scale) : json_null();
}

json_t *sobre_loud_result_json(const LoudMeterResult *r)
{
    return json_pack("{s:o, s:o, s:o}", "integrated_lufs", num(r->m.integrated_lufs, 100),
                     "range_lu", num(r->m.range_lu, 100), "true_peak_dbtp",
                     num(r->m.true_peak_dbtp, 100));
}

static json_t *audio_json(const LoudPass *lp, const LoudPassAudio *a, const SobreLadder *ladder)
{
    int limited = a->level.on && a->fed.limiter_db < -0.005;
    const char *action =
        a->level.on ? (limited ? "limit" : "gain") : sobre_loud_action_name(a->first.action);
    json_t *o =
        json_pack("{s:i, s:i, s:o, s:s, s:o, s:o, s:b, s:i}", "channels", a->channels,
                  "sample_rate", a->sample_rate, "measured", sobre_loud_result_json(&a->measured),
                  "action", action, "gain_db", num(a->level.gain_db, 100), "wanted_gain_db",
                  num(a->first.wanted_db, 100), "capped", a->first.capped, "trials", a->trials);
    if (a->level.on) {
        json_object_set_new(o, "limiter_ceiling_dbtp", num(a->level.ceiling_dbtp, 100));
        json_object_set_new(o, "limiter_reduction_db", num(limited ? a->fed.limiter_db : 0, 100));
    }
    if (a->trials || a->leader >= 0)
        json_object_set_new(o, "expected", sobre_loud_result_json(&a->out));
    if (a->leader >= 0)
        json_object_set_new(o, "trials_of",
                            json_string(ladder->audio[lp->audio[a->leader].setting].name));
    if (a->first.note[0])
        json_object_set_new(o, "note", json_string(a->first.note));
    return o;
}

json_t *sobre_loudpass_json(const LoudPass *lp, const SobreLadder *ladder)
{
    json_t *o = json_pack("{s:s, s:o, s:o}", "mode", lp->target.enabled ? "on" : "off",
                          "target_lufs", num(lp->target.target_lufs, 100), "true_peak_dbtp",
                          num(lp->target.true_peak_dbtp, 100));
    json_t *audio, *in;
    if (!lp->target.enabled || !lp->reads)
        return o;
    in = sobre_loud_result_json(&lp->input);
    json_object_set_new(in, "channels", json_integer(lp->input.channels));
    json_object_set_new(in, "sample_rate", json_integer(lp->input.sample_rate));
    json_object_set_new(in, "seconds", num(lp->input.seconds, 1000));
    json_object_set_new(o, "input", in);
    audio = json_object();
    for (int k = 0; k < lp->nb_audio; k++)
        json_object_set_new(audio, ladder->audio[lp->audio[k].setting].name,
                            audio_json(lp, &lp->audio[k], ladder));
    json_object_set_new(o, "audio", audio);
    json_object_set_new(o, "reads", json_integer(lp->reads));
    json_object_set_new(o, "wall_s", num(lp->wall_s, 1000));
    json_object_set_new(o, "cpu_s", num(lp->cpu_s, 1000));
    return o;
}
