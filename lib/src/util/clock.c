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

int sobre_clock_cond_wait_ms(pthread_cond_t *cond, pthread_mutex_t *mutex, long ms)
{
    struct timespec ts; /* the condition's clock: CLOCK_REALTIME, the default */
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_sec += ms / 1000;
    ts.tv_nsec += (ms % 1000) * 1000000L;
    if (ts.tv_nsec >= 1000000000L)
        ts.tv_sec++, ts.tv_nsec -= 1000000000L;
    return pthread_cond_timedwait(cond, mutex, &ts);
}
