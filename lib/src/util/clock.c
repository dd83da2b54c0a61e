/* Clocks (see clock.h): one place for the clock_gettime/getrusage calls every pipeline
 * stage uses to report its cost. */
#include <sys/resource.h>
#include <time.h>

#include "clock.h"

static double seconds(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

double sobre_clock_wall(void)
{
    return seconds(CLOCK_MONOTONIC);
}

double sobre_clock_thread_cpu(void)
{
    return seconds(CLOCK_THREAD_CPUTIME_ID);
}

double sobre_clock_process_cpu(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec +
           ru.ru_stime.tv_usec / 1e6;
}
