/* The input's loudness for `sobre probe` (when asked: it decodes the whole audio stream):
 * the best audio stream at its own channels and rate, through the same meter and pass as
 * the encode's pre-pass (loudmeter.h), so probe and report.json say the same. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "loudmeter.h"
#include "probe_internal.h"

void probe_loudness(SobreProbeInfo *info, const char *path, const SobreProbeSettings *settings)
{
    SobreProbeLoudness *l = &info->loudness;
    LoudMeter *m = NULL;
    LoudMeterResult r;
    SobreError err = {0, ""};
    int ret;

    memset(l, 0, sizeof(*l));
    l->integrated_lufs = l->true_peak_dbtp = -HUGE_VAL;
    if (!info->audio) {
        snprintf(l->error, sizeof(l->error), "no audio stream");
        return;
    }
    if ((ret = sobre_loudmeter_new(&m, 0, 0, &err)) >= 0 &&
        (ret = sobre_loud_scan(path, info->audio->index, &m, 1, &err)) >= 0)
        ret = sobre_loudmeter_finish(m, &r, &err);
    sobre_loudmeter_free(&m);
    if (ret < 0) {
        /* the detail is longer than the probe's field: cut it there */
        snprintf(l->error, sizeof(l->error), "%.*s", (int)sizeof(l->error) - 1, err.detail);
        sobre_log(&settings->logger, SOBRE_LOG_DEBUG, "%s: loudness not measured: %s", path,
                  err.detail);
        return;
    }
    l->measured = 1;
    l->integrated_lufs = r.m.integrated_lufs;
    l->range_lu = r.m.range_lu;
    l->true_peak_dbtp = r.m.true_peak_dbtp;
    l->seconds = r.seconds;
    sobre_log(&settings->logger, SOBRE_LOG_DEBUG,
              "%s: stream %d: %.1f LUFS, range %.1f LU, true peak %.1f dBTP (%.2f s of audio)",
              path, info->audio->index, l->integrated_lufs, l->range_lu, l->true_peak_dbtp,
              l->seconds);
}
