#!/usr/bin/env bash
# Builds the libFuzzer targets of tests/fuzz with clang (ASan + UBSan, the library
# instrumented for coverage) and runs each for a bounded time, starting from the
# committed corpus. A crash leaves crash-* in the work folder and fails the script; copy
# it into tests/fuzz/corpus/<target>/ once fixed so the gcc regression runner replays it.
# Usage: scripts/fuzz.sh [--seconds N] [--build DIR] [TARGET...]
#   TARGET: ladder factors report vtt escape probe (default: all)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
seconds=20
build="$root/build-fuzz"
targets=()
while [ $# -gt 0 ]; do
  case $1 in
    --seconds) seconds=$2; shift 2 ;;
    --build) build=$2; shift 2 ;;
    -h|--help) sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "fuzz.sh: unknown option $1" >&2; exit 2 ;;
    *) targets+=("$1"); shift ;;
  esac
done
[ ${#targets[@]} -gt 0 ] || targets=(ladder factors report vtt escape probe)
command -v clang >/dev/null || { echo "fuzz.sh: clang is missing (scripts/deps/fuzz.apt)" >&2; exit 1; }

san="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
cmake -S "$root" -B "$build" -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DSOBRE_FUZZ=ON -DCMAKE_C_FLAGS="$san" -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" \
  -DCMAKE_SHARED_LINKER_FLAGS="-fsanitize=address,undefined" >/dev/null
cmake --build "$build" -j"$(nproc)" --target $(printf 'fuzz_%s ' "${targets[@]}") >/dev/null

fail=0
for t in "${targets[@]}"; do
  work="$build/fuzz-work/$t"
  mkdir -p "$work/corpus"
  # New inputs go to the work corpus; the committed seeds are read, never written.
  log="$work/last.log"
  echo "== fuzz_$t for ${seconds}s"
  if ! (cd "$work" && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
        UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
        "$build/tests/fuzz/fuzz_$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
          -max_len=65536 -print_final_stats=1 \
          corpus "$root/tests/fuzz/corpus/$t") >"$log" 2>&1; then
    echo "fuzz_$t: FAILED (see $log)" >&2
    grep -E "ERROR|runtime error|invariant failed|Test unit written" "$log" | head -5 >&2 || true
    fail=1
  fi
  grep -E "^stat::number_of_executed_units|^stat::peak_rss_mb|^#[0-9]+.*DONE" "$log" | tail -3 || true
done
exit $fail
