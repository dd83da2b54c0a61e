#!/usr/bin/env bash
# Keeps test_valgrind.sh honest on every machine, whatever valgrind does there: the test
# is run with stand-in valgrinds (SOBRE_VALGRIND).
#   - one that dies at load like valgrind 3.19 on a CPU without the rdtscp flag
#     (SIGILL, "unhandled instruction bytes"): the test must skip (77) and say why;
#   - one that runs the program natively and writes a clean memcheck log: the test must
#     run every command and pass, as it does where valgrind works;
#   - one that fails at start for another reason: the test must fail, not skip.
set -u
. "$SOBRE_SRC/tests/lib/assert.sh"
T=$(mktemp -d "${SOBRE_TMP:-/tmp}/hard-vgskip.XXXXXX")
trap 'rm -rf "$T"' EXIT
test_vg="$SOBRE_SRC/tests/hardening/test_valgrind.sh"

cat >"$T/vg-sigill" <<'SH'
#!/usr/bin/env bash
# like valgrind 3.19 on a CPU whose CPUID lacks RDTSCP: the log, then SIGILL
for a; do case $a in --log-file=*) log=${a#--log-file=} ;; esac; done
printf '==1== vex amd64->IR: unhandled instruction bytes: 0xF 0x1 0xF9 0x48\n==1== Process terminating with default action of signal 4 (SIGILL)\n' >"$log"
kill -ILL $$
SH
cat >"$T/vg-native" <<'SH'
#!/usr/bin/env bash
# runs the program itself and writes the summary lines of a clean memcheck run
log=/dev/null
while [ $# -gt 0 ]; do case $1 in --log-file=*) log=${1#--log-file=}; shift ;; --*) shift ;; *) break ;; esac; done
"$@"; rc=$?
printf '==1== ERROR SUMMARY: 0 errors from 0 contexts (suppressed: 0 from 0)\n' >"$log"
exit $rc
SH
cat >"$T/vg-broken" <<'SH'
#!/usr/bin/env bash
echo "valgrind: failed to start tool 'memcheck' for platform 'amd64-linux': No such file or directory" >&2
exit 1
SH
chmod +x "$T"/vg-*

run env SOBRE_VALGRIND="$T/vg-sigill" bash "$test_vg"
expect_status 77
expect_out "SKIP: valgrind cannot run an FFmpeg-linked program on this CPU"
expect_out "unhandled instruction bytes"
check "SIGILL stand-in: nothing counted as passed ($_out)" test -z "$(grep -E '[0-9]+ passed' <<<"$_out")"

run env SOBRE_VALGRIND="$T/vg-native" bash "$test_vg"
expect_status 0
check "native stand-in: every command checked ($_out)" grep -qE '^(1[0-9]|[2-9][0-9]) passed, 0 failed' <<<"$_out"

run env SOBRE_VALGRIND="$T/vg-broken" bash "$test_vg"
expect_status 1
expect_err "valgrind runs 'sobre --version'"
finish
