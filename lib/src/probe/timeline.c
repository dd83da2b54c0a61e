/* Timestamp discontinuities: see timeline.h. */
#include "timeline.h"

void sobre_timeline_init(SobreTimeline *t, int discont)
{
    t->discont = discont;
    t->offset_us = 0;
    t->nb_jumps = 0;
    t->last_us = SOBRE_TS_NONE;
    sobre_timeline_forget(t);
}

void sobre_timeline_forget(SobreTimeline *t)
{
    t->next_us[0] = t->next_us[1] = SOBRE_TS_NONE;
}

int64_t sobre_timeline_packet(SobreTimeline *t, int k, int64_t ts_us, int dts_known, int64_t dur_us,
                              int64_t *at_us)
{
    int64_t ts = ts_us + t->offset_us, delta = 0;
    int64_t ref = t->next_us[k] != SOBRE_TS_NONE ? t->next_us[k]
                  : t->discont                   ? t->last_us
                                                 : SOBRE_TS_NONE;
    if (ref != SOBRE_TS_NONE) {
        int64_t d = ts - ref;
        int back = t->discont && dts_known && t->next_us[k] != SOBRE_TS_NONE;
        if (d > SOBRE_TS_JUMP_US || d < -SOBRE_TS_JUMP_US || (back && d < -SOBRE_TS_BACK_US)) {
            delta = d;
            t->nb_jumps++;
            if (at_us)
                *at_us = ref;
            if (t->discont) {
                t->offset_us -= d;
                ts -= d;
            }
        }
    }
    t->next_us[k] = ts + (dur_us > 0 ? dur_us : 0);
    t->last_us = ts;
    return delta;
}
