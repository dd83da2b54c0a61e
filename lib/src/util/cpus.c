/* The cores this process may use (see cpus.h): the affinity mask, then the cgroup CPU
 * quota found by following /proc/self/cgroup to the group's folder under the cgroup
 * mounts of /proc/self/mountinfo, as the JVM and Go's runtime do. Every level from the
 * group up to its mount counts: a limit on a parent limits its children. */
#define _GNU_SOURCE /* sched_getaffinity(), CPU_COUNT_S() */
#include <math.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cpus.h"

#define PATH_MAX_LEN 1024

double sobre_cpus_v2_max(const char *text)
{
    char quota[32];
    long long period = 0;
    if (!text || sscanf(text, "%31s %lld", quota, &period) < 1 || !strcmp(quota, "max"))
        return 0;
    if (period <= 0)
        period = 100000; /* the kernel's default when only the quota is written */
    return sobre_cpus_v1_quota(atoll(quota), period);
}

double sobre_cpus_v1_quota(long long quota_us, long long period_us)
{
    if (quota_us <= 0 || period_us <= 0)
        return 0;
    return (double)quota_us / (double)period_us;
}

static int read_text(const char *path, char *buf, size_t size)
{
    FILE *f = fopen(path, "r");
    size_t n;
    if (!f)
        return -1;
    n = fread(buf, 1, size - 1, f);
    fclose(f);
    buf[n] = '\0';
    return 0;
}

/* mountinfo escapes blanks and backslashes as \ooo. */
static void unescape(char *s)
{
    char *d = s;
    for (; *s; s++) {
        if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' &&
            s[3] >= '0' && s[3] <= '7') {
            *d++ = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0'));
            s += 3;
        } else {
            *d++ = *s;
        }
    }
    *d = '\0';
}

static int has_word(const char *list, const char *word)
{
    size_t n = strlen(word);
    for (const char *p = list; p && *p;) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len == n && !strncmp(p, word, n))
            return 1;
        p = e ? e + 1 : NULL;
    }
    return 0;
}

/* The mount of a hierarchy: v2 (fstype cgroup2) or the v1 one whose super options name
 * the cpu controller. mroot = the part of the hierarchy mounted, mpoint = where. */
static int find_mount(const char *root, int v2, char *mroot, char *mpoint, size_t size)
{
    char path[PATH_MAX_LEN], line[4096];
    FILE *f;
    int found = 0;
    snprintf(path, sizeof(path), "%s/proc/self/mountinfo", root);
    if (!(f = fopen(path, "r")))
        return 0;
    while (!found && fgets(line, sizeof(line), f)) {
        char r[PATH_MAX_LEN], m[PATH_MAX_LEN], fstype[64], super[1024];
        const char *dash = strstr(line, " - ");
        if (!dash || sscanf(line, "%*s %*s %*s %1023s %1023s", r, m) != 2 ||
            sscanf(dash + 3, "%63s %*s %1023s", fstype, super) != 2)
            continue;
        if (v2 ? strcmp(fstype, "cgroup2") : strcmp(fstype, "cgroup") || !has_word(super, "cpu"))
            continue;
        unescape(r);
        unescape(m);
        snprintf(mroot, size, "%s", r);
        snprintf(mpoint, size, "%s", m);
        found = 1;
    }
    fclose(f);
    return found;
}

/* The process's group in a hierarchy, from /proc/self/cgroup ("0::/a/b" for v2,
 * "4:cpu,cpuacct:/a/b" for v1). */
static int find_group(const char *root, int v2, char *group, size_t size)
{
    char path[PATH_MAX_LEN], line[4096];
    FILE *f;
    int found = 0;
    snprintf(path, sizeof(path), "%s/proc/self/cgroup", root);
    if (!(f = fopen(path, "r")))
        return 0;
    while (!found && fgets(line, sizeof(line), f)) {
        char *c1 = strchr(line, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL, *nl;
        if (!c2)
            continue;
        *c1 = *c2 = '\0';
        if (v2 ? strcmp(line, "0") || c1[1] != '\0' : !has_word(c1 + 1, "cpu"))
            continue;
        if ((nl = strchr(c2 + 1, '\n')))
            *nl = '\0';
        snprintf(group, size, "%s", c2 + 1);
        found = 1;
    }
    fclose(f);
    return found;
}

static double limit_in(const char *dir, int v2)
{
    char path[PATH_MAX_LEN + 32], text[128];
    if (v2) {
        snprintf(path, sizeof(path), "%s/cpu.max", dir);
        return read_text(path, text, sizeof(text)) < 0 ? 0 : sobre_cpus_v2_max(text);
    }
    {
        long long q, p;
        snprintf(path, sizeof(path), "%s/cpu.cfs_quota_us", dir);
        if (read_text(path, text, sizeof(text)) < 0 || sscanf(text, "%lld", &q) != 1)
            return 0;
        snprintf(path, sizeof(path), "%s/cpu.cfs_period_us", dir);
        if (read_text(path, text, sizeof(text)) < 0 || sscanf(text, "%lld", &p) != 1)
            return 0;
        return sobre_cpus_v1_quota(q, p);
    }
}

/* The smallest quota from the group's folder up to the mount point. */
static void hierarchy_quota(const char *root, int v2, SobreCpus *out)
{
    char mroot[PATH_MAX_LEN], mpoint[PATH_MAX_LEN], group[PATH_MAX_LEN], dir[3 * PATH_MAX_LEN];
    const char *rel;
    size_t base, rl = 0;
    if (!find_mount(root, v2, mroot, mpoint, sizeof(mroot)) ||
        !find_group(root, v2, group, sizeof(group)))
        return;
    /* the group's path is from the hierarchy's root; the mount shows mroot of it */
    rel = group;
    if (strcmp(mroot, "/")) {
        rl = strlen(mroot);
        rel = !strncmp(group, mroot, rl) && (group[rl] == '/' || !group[rl]) ? group + rl : "";
    }
    snprintf(dir, sizeof(dir), "%s%s", root, mpoint);
    base = strlen(dir);
    snprintf(dir + base, sizeof(dir) - base, "%s", strcmp(rel, "/") ? rel : "");
    for (;;) {
        double q = limit_in(dir, v2);
        char *slash;
        if (q > 0 && (out->quota <= 0 || q < out->quota)) {
            out->quota = q;
            snprintf(out->quota_from, sizeof(out->quota_from), "%s/%s",
                     dir + strlen(root ? root : ""), v2 ? "cpu.max" : "cpu.cfs_quota_us");
        }
        if (strlen(dir) <= base || !(slash = strrchr(dir + base, '/')))
            break;
        *slash = '\0';
    }
}

static int affinity_count(void)
{
    for (int n = 1024; n <= 65536; n *= 4) {
        cpu_set_t *set = CPU_ALLOC(n);
        size_t size = CPU_ALLOC_SIZE(n);
        int count = -1;
        if (!set)
            return 0;
        CPU_ZERO_S(size, set);
        if (sched_getaffinity(0, size, set) == 0)
            count = CPU_COUNT_S(size, set);
        CPU_FREE(set);
        if (count >= 0)
            return count;
    }
    return 0;
}

void sobre_cpus_read(const char *root, int affinity, SobreCpus *out)
{
    long online = sysconf(_SC_NPROCESSORS_ONLN);
    memset(out, 0, sizeof(*out));
    if (!root)
        root = "";
    out->online = online > 0 ? (int)online : 1;
    out->affinity = affinity >= 0 ? affinity : affinity_count();
    if (out->affinity <= 0)
        out->affinity = out->online;
    hierarchy_quota(root, 1, out);
    hierarchy_quota(root, 0, out);
    out->cores = out->affinity;
    snprintf(out->source, sizeof(out->source), "affinity");
    if (out->quota > 0) {
        /* 1.5 CPUs of quota: two threads can use it (the JVM's rule); 0.5: one */
        int q = (int)ceil(out->quota - 0.01);
        if (q < 1)
            q = 1;
        if (q < out->cores) {
            out->cores = q;
            snprintf(out->source, sizeof(out->source), "cgroup quota");
        }
    }
    if (out->cores < 1)
        out->cores = 1;
}
