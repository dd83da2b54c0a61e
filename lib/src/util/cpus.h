/* How many cores this process may use (cpus.c): the CPUs of its affinity mask, bounded
 * by the CPU quota of its cgroup (v2 cpu.max, v1 cpu.cfs_quota_us / cpu.cfs_period_us,
 * on its own group and every parent up to the mount). A container limited to 2 CPUs on
 * a 64-core host plans for 2. Reads /proc and /sys only; no FFmpeg, no global state. */
#ifndef SOBRE_CPUS_H
#define SOBRE_CPUS_H

typedef struct SobreCpus {
    int affinity;         /* CPUs in the affinity mask (sched_getaffinity) */
    int online;           /* CPUs online (sysconf), for the report */
    double quota;         /* CPUs the cgroup quota allows, 0 = no quota found */
    char quota_from[200]; /* the file that set it, e.g. "/sys/fs/cgroup/cpu/x/cpu.cfs_quota_us" */
    int cores;            /* what to plan for: the affinity, capped by the quota rounded up */
    char source[32];      /* "affinity" or "cgroup quota" */
} SobreCpus;

/* Fills out for this process. root: NULL or "" for the real /proc and /sys, or a folder
 * holding a fake tree (proc/self/cgroup, proc/self/mountinfo and the mounts it names,
 * for the tests). affinity: < 0 asks the kernel, else the count to assume. Never fails:
 * what cannot be read is no limit, and cores is at least 1. */
void sobre_cpus_read(const char *root, int affinity, SobreCpus *out);

/* The CPUs a quota allows: v2 cpu.max text ("max 100000", "150000 100000"), or v1 quota
 * and period in microseconds (quota < 0 = none). 0 when there is no limit. */
double sobre_cpus_v2_max(const char *text);
double sobre_cpus_v1_quota(long long quota_us, long long period_us);

#endif
