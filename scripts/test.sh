#!/usr/bin/env bash
# Installs what is missing, builds with -Werror, runs the whole CTest suite, then runs it
# again under AddressSanitizer + UndefinedBehaviorSanitizer in a second build directory
# (without the package label: the packages are built from the sources, not the build).
# Usage: scripts/test.sh [--fast]   (--fast: unit tests only, no sanitizer pass)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
fast=0
[ "${1:-}" = "--fast" ] && fast=1

scripts/setup.sh
jobs=$(nproc)

echo "== format check (clang-format)"
mapfile -t sources < <(git ls-files '*.c' '*.h' 2>/dev/null || find lib tools tests -name '*.[ch]')
if [ ${#sources[@]} -gt 0 ]; then
  clang-format --dry-run --Werror "${sources[@]}"
fi

echo "== build (warnings are errors)"
scripts/build.sh "$root/build" -DSOBRE_WERROR=ON
if [ $fast -eq 1 ]; then
  ctest --test-dir "$root/build" -L unit --output-on-failure -j"$jobs"
  exit 0
fi

echo "== tests"
ctest --test-dir "$root/build" --output-on-failure -j"$jobs"

echo "== fuzzing (libFuzzer, 20 s per target)"
scripts/fuzz.sh --seconds 20

echo "== tests under ASan + UBSan"
scripts/build.sh "$root/build-asan" -DSOBRE_WERROR=ON -DSOBRE_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir "$root/build-asan" --output-on-failure -j"$jobs" -LE 'web|oracle|media|valgrind|package|bench'
