/* The cores a process may use (util/cpus.c), on fake /proc and /sys trees: cgroup v2
 * cpu.max and v1 cfs quota, limits on a parent group, containers that mount part of the
 * hierarchy, a hybrid machine, no limit, and the affinity mask capping it all. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cpufeat.h"
#include "cpus.h"
#include "t.h"

static char base[512];

static void mkdirs(const char *path)
{
    char buf[1024];
    snprintf(buf, sizeof(buf), "%s", path);
    for (char *p = buf + 1; *p; p++)
        if (*p == '/') {
            *p = '\0';
            mkdir(buf, 0755);
            *p = '/';
        }
    mkdir(buf, 0755);
}

/* Writes text into root/rel, making the folders. */
static void put(const char *root, const char *rel, const char *text)
{
    char path[1024], dir[1024];
    FILE *f;
    snprintf(path, sizeof(path), "%s/%s", root, rel);
    snprintf(dir, sizeof(dir), "%s", path);
    *strrchr(dir, '/') = '\0';
    mkdirs(dir);
    f = fopen(path, "w");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

static const char *v2_mounts = "24 1 0:22 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw\n";
static const char *v1_mounts =
    "30 25 0:26 / /sys/fs/cgroup/cpu,cpuacct rw - cgroup cgroup rw,cpu,cpuacct\n"
    "31 25 0:27 / /sys/fs/cgroup/cpuset rw - cgroup cgroup rw,cpuset\n"
    "32 25 0:28 / /sys/fs/cgroup/unified rw - cgroup2 cgroup2 rw\n";

typedef struct Case {
    const char *name;
    const char *cgroup, *mounts;
    const char *files[4][2]; /* relative path, contents */
    int affinity;
    double quota;
    int cores;
    const char *source;
} Case;

static const Case cases[] = {
    {"v2, 2 CPUs on a 64-core host",
     "0::/docker/abc\n",
     NULL,
     {{"sys/fs/cgroup/docker/abc/cpu.max", "200000 100000\n"}},
     64,
     2.0,
     2,
     "cgroup quota"},
    {"v2, no limit",
     "0::/user.slice\n",
     NULL,
     {{"sys/fs/cgroup/user.slice/cpu.max", "max 100000\n"}},
     8,
     0,
     8,
     "affinity"},
    {"v2, 1.5 CPUs: two threads can use it",
     "0::/a\n",
     NULL,
     {{"sys/fs/cgroup/a/cpu.max", "150000 100000\n"}},
     16,
     1.5,
     2,
     "cgroup quota"},
    {"v2, the parent's limit holds for the child",
     "0::/kube/pod/box\n",
     NULL,
     {{"sys/fs/cgroup/kube/pod/box/cpu.max", "max 100000\n"},
      {"sys/fs/cgroup/kube/pod/cpu.max", "100000 100000\n"},
      {"sys/fs/cgroup/kube/cpu.max", "400000 100000\n"}},
     32,
     1.0,
     1,
     "cgroup quota"},
    {"v2, a quota above the affinity: the affinity",
     "0::/big\n",
     NULL,
     {{"sys/fs/cgroup/big/cpu.max", "800000 100000\n"}},
     2,
     8.0,
     2,
     "affinity"},
    {"v1, one CPU (the test's own group)",
     "12:cpu,cpuacct:/sobre-test\n0::/\n",
     "v1",
     {{"sys/fs/cgroup/cpu,cpuacct/sobre-test/cpu.cfs_quota_us", "100000\n"},
      {"sys/fs/cgroup/cpu,cpuacct/sobre-test/cpu.cfs_period_us", "100000\n"}},
     2,
     1.0,
     1,
     "cgroup quota"},
    {"v1, quota -1 is no limit",
     "12:cpu,cpuacct:/\n0::/\n",
     "v1",
     {{"sys/fs/cgroup/cpu,cpuacct/cpu.cfs_quota_us", "-1\n"},
      {"sys/fs/cgroup/cpu,cpuacct/cpu.cfs_period_us", "100000\n"}},
     4,
     0,
     4,
     "affinity"},
    {"v1, half a CPU: one core",
     "12:cpu,cpuacct:/x\n",
     "v1",
     {{"sys/fs/cgroup/cpu,cpuacct/x/cpu.cfs_quota_us", "25000\n"},
      {"sys/fs/cgroup/cpu,cpuacct/x/cpu.cfs_period_us", "50000\n"}},
     8,
     0.5,
     1,
     "cgroup quota"},
    {"v1 container: the mount shows only its own group",
     "12:cpu,cpuacct:/docker/abc\n",
     "30 25 0:26 /docker/abc /sys/fs/cgroup/cpu,cpuacct ro - cgroup cgroup rw,cpu,cpuacct\n",
     {{"sys/fs/cgroup/cpu,cpuacct/cpu.cfs_quota_us", "300000\n"},
      {"sys/fs/cgroup/cpu,cpuacct/cpu.cfs_period_us", "100000\n"}},
     64,
     3.0,
     3,
     "cgroup quota"},
    {"no cgroup files at all", NULL, NULL, {{NULL, NULL}}, 6, 0, 6, "affinity"},
    {"an escaped mount point (a blank in the path)",
     "0::/g\n",
     "24 1 0:22 / /sys/fs/my\\040cgroup rw - cgroup2 cgroup2 rw\n",
     {{"sys/fs/my cgroup/g/cpu.max", "100000 100000\n"}},
     4,
     1.0,
     1,
     "cgroup quota"},
};

static void run_case(int k, const Case *c)
{
    char root[600];
    SobreCpus cpus;
    snprintf(root, sizeof(root), "%s/case%d", base, k);
    mkdirs(root);
    if (c->cgroup)
        put(root, "proc/self/cgroup", c->cgroup);
    if (c->cgroup)
        put(root, "proc/self/mountinfo",
            !c->mounts                 ? v2_mounts
            : !strcmp(c->mounts, "v1") ? v1_mounts
                                       : c->mounts);
    for (int i = 0; i < 4 && c->files[i][0]; i++)
        put(root, c->files[i][0], c->files[i][1]);
    sobre_cpus_read(root, c->affinity, &cpus);
    T_CHECK(cpus.cores == c->cores, "%s: %d cores, want %d", c->name, cpus.cores, c->cores);
    T_CHECK(fabs(cpus.quota - c->quota) < 1e-9, "%s: quota %g, want %g", c->name, cpus.quota,
            c->quota);
    T_CHECK(!strcmp(cpus.source, c->source), "%s: source %s, want %s", c->name, cpus.source,
            c->source);
    T_CHECK(cpus.affinity == c->affinity, "%s: affinity %d", c->name, cpus.affinity);
    if (c->quota > 0)
        T_CHECK(strstr(cpus.quota_from, "/sys/fs/") == cpus.quota_from, "%s: quota from '%s'",
                c->name, cpus.quota_from);
}

static void test_parsers(void)
{
    T_NEAR(sobre_cpus_v2_max("max 100000"), 0, 0);
    T_NEAR(sobre_cpus_v2_max("max"), 0, 0);
    T_NEAR(sobre_cpus_v2_max("50000 100000\n"), 0.5, 1e-12);
    T_NEAR(sobre_cpus_v2_max("300000"), 3, 1e-12); /* period omitted: the default */
    T_NEAR(sobre_cpus_v2_max(""), 0, 0);
    T_NEAR(sobre_cpus_v2_max(NULL), 0, 0);
    T_NEAR(sobre_cpus_v1_quota(-1, 100000), 0, 0);
    T_NEAR(sobre_cpus_v1_quota(200000, 100000), 2, 1e-12);
    T_NEAR(sobre_cpus_v1_quota(100000, 0), 0, 0);
}

/* This machine: whatever it is, at least one core, never above the affinity. */
static void test_real(void)
{
    SobreCpus c;
    sobre_cpus_read(NULL, -1, &c);
    T_CHECK(c.cores >= 1 && c.cores <= c.affinity, "real: %d cores, affinity %d", c.cores,
            c.affinity);
    T_CHECK(c.online >= 1, "real: %d online", c.online);
}

/* The kernel's word for this CPU's flags (/proc/cpuinfo, which also leaves out AVX-512
 * when the OS does not save its state) against the compiler's detection. */
static void test_avx512(void)
{
    static const char *const need[] = {" avx512f ",  " avx512cd ", " avx512bw ", " avx512dq ",
                                       " avx512vl ", " avx2 ",     " fma ",      " bmi2 "};
    char line[8192] = {0}; /* the last byte stays the end of the string */
    int has = -1;
    FILE *f = fopen("/proc/cpuinfo", "r");
    while (f && has < 0 && fgets(line, sizeof(line) - 1, f))
        if (!strncmp(line, "flags", 5)) {
            line[strcspn(line, "\n")] = ' '; /* the last flag ends with a space too */
            has = 1;
            for (size_t i = 0; i < sizeof(need) / sizeof(need[0]); i++)
                if (!strstr(line, need[i]))
                    has = 0;
        }
    if (f)
        fclose(f);
    if (has < 0)
        has = 0; /* not x86: no flags line of that kind, and no AVX-512 */
    T_CHECK(sobre_cpu_avx512() == has, "AVX-512 for x264: %d, /proc/cpuinfo says %d",
            sobre_cpu_avx512(), has);
}

int main(void)
{
    const char *tmp = getenv("SOBRE_TMP");
    char cmd[700];
    snprintf(base, sizeof(base), "%s/unit-cpus.%d", tmp ? tmp : "/tmp", (int)getpid());
    mkdirs(base);
    test_parsers();
    for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++)
        run_case((int)k, &cases[k]);
    test_real();
    test_avx512();
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", base);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", base);
    return t_done();
}
