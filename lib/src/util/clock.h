/* Clocks for progress and cost accounting: wall time, and CPU time of the calling
 * thread or of the whole process (user + system), in seconds; and a bounded wait. */
#ifndef SOBRE_CLOCK_H
#define SOBRE_CLOCK_H

#include <pthread.h>

double sobre_clock_wall(void);
double sobre_clock_thread_cpu(void);
double sobre_clock_process_cpu(void);
/* pthread_cond_timedwait for at most ms milliseconds (the mutex held, as for it): for
 * the waits that must look at a cancel flag or print progress now and then. */
int sobre_clock_cond_wait_ms(pthread_cond_t *cond, pthread_mutex_t *mutex, long ms);

#endif
