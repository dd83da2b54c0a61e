#!/usr/bin/env bash
# The cores an encode plans for (issue 18): --threads N, the CPU affinity (taskset -c 0)
# and a cgroup CPU quota of one CPU each make it plan for one core, whatever the machine
# has, and report.json's "plan" says so and why. The cgroup part makes a group of its own
# under the cgroup v1 cpu controller (or cgroup v2 with the cpu controller), moves only
# the encode into it and removes it afterwards: it needs root (CI runs as root; elsewhere
# without root the test skips, under CI=true it fails, tests/lib/need.sh).
set -u
. "$SOBRE_SRC/tests/lib/assert.sh"
need jq taskset
T=$(mktemp -d "${SOBRE_TMP:-/tmp}/cli-cores.XXXXXX")
cg=""
cleanup() {
  [ -z "$cg" ] || rmdir "$cg" 2>/dev/null || true
  rm -rf "$T"
}
trap cleanup EXIT
clip=$("$SOBRE_SRC/tests/lib/clips.sh" basic.mp4)
fast="$SOBRE_SRC/tests/data/fast.yaml"

plan_of() { jq -c '.plan | [.cores, .cores_from]' "$1/report.json"; }
# every video rendition's encoder threads, one line
threads_of() { jq -c '[.renditions[] | select(.kind == "video") | .video.threads] | unique' "$1/report.json"; }
one_core() { # DIR WHY: planned for one core for that reason, one thread per rendition
  check "$1: $(plan_of "$1"), want [1,\"$2\"]" test "$(plan_of "$1")" = "[1,\"$2\"]"
  check "$1: threads $(threads_of "$1"), want one each" test "$(threads_of "$1")" = "[1]"
  check "$1: rung-parallel on one core ($(jq -c .plan.mode "$1/report.json"))" \
    test "$(jq -r .plan.mode "$1/report.json")" = rungs
}

# --threads 1
run "$SOBRE" encode -q -p "$fast" --threads 1 "$clip" -o "$T/threads1"
expect_status 0
one_core "$T/threads1" "--threads"

# the CPU affinity: one CPU
run taskset -c 0 "$SOBRE" encode -q -p "$fast" "$clip" -o "$T/taskset"
expect_status 0
one_core "$T/taskset" affinity
check "taskset: affinity 1 in the report" test "$(jq '.plan.affinity == 1' "$T/taskset/report.json")" = true

# a cgroup with a quota of one CPU (100 ms per 100 ms period)
[ "$(id -u)" = 0 ] || missing "root to make a cgroup with a CPU quota"
v1=$(awk '$3 == "cgroup" && $4 ~ /(^|,)cpu(,|$)/ { print $2; exit }' /proc/mounts)
v2=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts)
if [ -n "$v1" ] && [ -w "$v1" ]; then
  cg="$v1/sobre-test-$$"
  mkdir "$cg" && echo 100000 >"$cg/cpu.cfs_period_us" && echo 100000 >"$cg/cpu.cfs_quota_us" ||
    cg_fail="cannot set a quota in $cg"
elif [ -n "$v2" ] && grep -qw cpu "$v2/cgroup.controllers" 2>/dev/null; then
  grep -qw cpu "$v2/cgroup.subtree_control" || echo +cpu >"$v2/cgroup.subtree_control" 2>/dev/null
  cg="$v2/sobre-test-$$"
  mkdir "$cg" && echo "100000 100000" >"$cg/cpu.max" || cg_fail="cannot set a quota in $cg"
else
  cg_fail="no cgroup cpu controller mounted (v1 cpu, or v2 with cpu)"
fi
if [ -z "${cg_fail:-}" ]; then
  # only the encode goes into the group: it moves itself in, then becomes sobre
  run sh -c 'echo $$ >"$1/cgroup.procs" && shift && exec "$@"' sh "$cg" \
    "$SOBRE" encode -q -p "$fast" "$clip" -o "$T/cgroup"
  expect_status 0
  one_core "$T/cgroup" "cgroup quota"
  check "cgroup: quota 1 CPU in the report ($(jq -c '.plan | [.cgroup_quota, .cgroup_file]' "$T/cgroup/report.json"))" \
    test "$(jq '.plan.cgroup_quota == 1' "$T/cgroup/report.json")" = true
  expect_file_contains "$T/cgroup/report.json" "sobre-test-$$/cpu."
  rmdir "$cg" && cg=""
  check "the test's cgroup is removed" test -z "$cg"
else
  echo "SKIP (cgroup part): $cg_fail"
fi
finish
