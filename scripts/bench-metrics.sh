#!/usr/bin/env bash
# Micro-benchmark of the metrics core (SSIM + PSNR of 4:2:0 frames, as the encode scores
# every rung): CPU ms per frame of the plain-C and AVX2 kernels at the ladder's sizes, on
# frames in cache and on frames read from memory, medians of interleaved rounds. Thread
# CPU time, so it is usable on a busy machine; the ratios hold better than the times.
# Usage: scripts/bench-metrics.sh [--rounds N] [--build DIR] [--out DIR]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/bench-lib.sh"
rounds=7 build=$bl_root/build out=bench-out/metrics
while [ $# -gt 0 ]; do
  case $1 in
    --rounds) rounds=${2:?}; shift 2 ;;
    --build) build=${2:?}; shift 2 ;;
    --out) out=${2:?}; shift 2 ;;
    -h | --help) sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench-metrics: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done
case $rounds in '' | *[!0-9]* | 0) echo "bench-metrics: --rounds wants a positive integer" >&2; exit 2 ;; esac
bl_need jq || exit 77
bin=$build/tests/bench_metrics
[ -x "$bin" ] || { echo "bench-metrics: $bin: not built (cmake --build $build --target bench_metrics)" >&2; exit 1; }
mkdir -p "$out"
"$bin" "$rounds" > "$out/metrics.jsonl"
{
  echo "### Metrics core: SSIM + PSNR of one 4:2:0 frame pair (CPU ms, median of $rounds rounds)"
  echo
  echo "$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo), load average $(cut -d' ' -f1-3 /proc/loadavg); AVX2 kernels: $(grep -q avx2 /proc/cpuinfo && echo yes || echo "no (C only)")."
  echo
  echo "| size | C, in cache | C, from memory | AVX2, in cache | AVX2, from memory | C ÷ AVX2 (from memory) |"
  echo "|---|---:|---:|---:|---:|---:|"
  jq -rs 'group_by([.width, .height])[] | (map(select(.kernel == "c"))[0]) as $c | (map(select(.kernel == "avx2"))[0]) as $a |
    def ms($x): if $x == null then "–" else ($x * 1000 | round / 1000 | tostring) end;
    "| \($c.width)x\($c.height) | \(ms($c.hot_ms)) | \(ms($c.cold_ms)) | \(ms($a.hot_ms)) | \(ms($a.cold_ms)) | \(if $a then ($c.cold_ms / $a.cold_ms * 10 | round / 10 | tostring) + "×" else "–" end) |"' "$out/metrics.jsonl"
} > "$out/metrics.md"
cat "$out/metrics.md"
