/* Clocks for progress and cost accounting: wall time, and CPU time of the calling
 * thread or of the whole process (user + system), in seconds. */
#ifndef SOBRE_CLOCK_H
#define SOBRE_CLOCK_H

double sobre_clock_wall(void);
double sobre_clock_thread_cpu(void);
double sobre_clock_process_cpu(void);

#endif
