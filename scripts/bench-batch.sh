#!/usr/bin/env bash
# How many episodes to encode at once: `sobre batch --jobs N` on a five-episode series
# made of the clips of ../shared/media (or the built-in sample, cut in five), for each N
# in interleaved rounds; medians of wall time, CPU time, CPU use and peak memory summed
# over every process of the batch. Writes OUT/bench-batch.md and OUT/bench-batch.json.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/bench-lib.sh"

usage() {
  cat <<'EOF'
Usage: scripts/bench-batch.sh [options]

Runs `sobre batch SERIES.csv -o DIR --jobs N -q` (default ladder and settings) from an
empty DIR for each N, rounds interleaved (N=1, N=2, ..., N=1, N=2, ...), and reports the
medians: wall time, CPU time (user+sys of every encode), CPU use, peak RSS summed over
all the batch's processes (sampled every 0.2 s), and each N's wall and CPU relative to
--jobs 1.

Options:
  --jobs LIST    comma-separated values of --jobs to compare (default 1,2)
  --rounds N     rounds (default 2)
  --inputs SET   media (the five videos of $SOBRE_MEDIA, default ../shared/media) or
                 sample (the built-in sample cut into five 6 s episodes)
  --seconds S    cut every input to its first S seconds (quick runs)
  --out DIR      output folder (default bench-batch-out)
  --sobre PATH   the sobre binary (default $SOBRE, else build/tools/sobre)
  -h, --help     this help
EOF
}

jobs_list=1,2 rounds=2 inputs=media seconds="" out=bench-batch-out
while [ $# -gt 0 ]; do
  case $1 in
    --jobs) jobs_list=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --inputs) inputs=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --sobre) SOBRE=$2; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) echo "bench-batch: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done
bl_need ffmpeg jq || exit 77
sobre=$(bl_sobre) || exit 1
cache=$(bl_cache_dir)
mkdir -p "$out"
out=$(cd "$out" && pwd)

# The series: five episodes, in a CSV with absolute paths.
csv=$out/series.csv
echo "file,title,captions,id" >"$csv"
if [ "$inputs" = media ]; then
  media=${SOBRE_MEDIA:-$bl_root/../shared/media}
  [ -d "$media" ] || { echo "SKIP: $media not found (use --inputs sample)" >&2; exit 77; }
  n=0
  for f in "$media"/*.mp4 "$media"/*.webm; do
    [ -f "$f" ] || continue
    n=$((n + 1))
    c=$(bl_cut "$f" "$seconds" "$cache")
    vtt=${f%.*}.vtt
    [ -f "$vtt" ] || vtt=""
    printf '"%s","Épisode %d — %s","%s",ep%d\n' "$c" $n "$(basename "${f%.*}")" "$vtt" $n >>"$csv"
  done
else
  "$here/make-sample.sh" "$cache/sample" >&2 # made once per version of the script
  sample=$cache/sample/episode.mp4
  for n in 1 2 3 4 5; do
    c=$cache/cut/sample-part$n.mp4
    [ -s "$c" ] || { mkdir -p "$cache/cut"; ffmpeg -nostdin -v error -y -ss $(((n - 1) * 6)) -t 6 -i "$sample" -c copy "$c"; }
    printf '"%s","Épisode %d",,ep%d\n' "$c" $n $n >>"$csv"
  done
fi

# run_one N ROUND: one batch from an empty folder; prints "wall cpu rss_peak_kB".
run_one() {
  local n=$1 r=$2 dir=$out/run-j$1-r$2 peak=0 rss sid
  rm -rf "$dir"
  setsid /usr/bin/time -f '%e %U %S' -o "$dir.time" "$sobre" batch "$csv" -o "$dir" --jobs "$n" -q &
  sid=$!
  while kill -0 $sid 2>/dev/null; do
    rss=$(ps -o rss= -s $sid 2>/dev/null | awk '{ s += $1 } END { print s + 0 }')
    [ "$rss" -gt "$peak" ] && peak=$rss
    sleep 0.2
  done
  wait $sid || { echo "bench-batch: --jobs $n round $r failed (see $dir)" >&2; return 1; }
  awk -v p=$peak '{ printf "%.2f %.2f %d\n", $1, $2 + $3, p }' "$dir.time"
  rm -rf "$dir"
}

IFS=, read -r -a jobs_arr <<<"$jobs_list"
: >"$out/runs.txt"
for r in $(seq "$rounds"); do
  for n in "${jobs_arr[@]}"; do
    line=$(run_one "$n" "$r")
    echo "$n $r $line" | tee -a "$out/runs.txt" >&2
  done
done

cores=$(nproc)
{
  echo "| --jobs | wall (s) | CPU (s) | CPU use | peak RSS, all processes (MB) | wall vs --jobs 1 | CPU vs --jobs 1 |"
  echo "|---|---|---|---|---|---|---|"
  w1=$(awk '$1 == 1 { print $3 }' "$out/runs.txt" | bl_median)
  c1=$(awk '$1 == 1 { print $4 }' "$out/runs.txt" | bl_median)
  for n in "${jobs_arr[@]}"; do
    w=$(awk -v n="$n" '$1 == n { print $3 }' "$out/runs.txt" | bl_median)
    c=$(awk -v n="$n" '$1 == n { print $4 }' "$out/runs.txt" | bl_median)
    m=$(awk -v n="$n" '$1 == n { print $5 }' "$out/runs.txt" | bl_median)
    awk -v n="$n" -v w="$w" -v c="$c" -v m="$m" -v w1="$w1" -v c1="$c1" 'BEGIN {
      printf "| %s | %.1f | %.1f | %.0f %% | %.0f | %s | %s |\n", n, w, c, 100 * c / w, m / 1024,
        (w1 == "null" ? "-" : sprintf("%.2f", w / w1)), (c1 == "null" ? "-" : sprintf("%.2f", c / c1)) }'
  done
  echo
  echo "$(date -u +%Y-%m-%d), $cores cores, inputs: $inputs${seconds:+ (first $seconds s)}, $rounds round(s), medians."
} >"$out/bench-batch.md"
jq -R -s '[split("\n")[] | select(length > 0) | split(" ") |
  {jobs: (.[0] | tonumber), round: (.[1] | tonumber), wall_s: (.[2] | tonumber),
   cpu_s: (.[3] | tonumber), peak_rss_kb: (.[4] | tonumber)}]' "$out/runs.txt" >"$out/bench-batch.json"
cat "$out/bench-batch.md"
