#!/usr/bin/env bash
# Quality-targeted ladder against the fixed-CRF default: each clip of $SOBRE_MEDIA is
# encoded twice with the VP9 rungs of presets/ladders/default.yaml (fixed crf, then
# --target-ssim), both with in-pipeline quality on; prints a Markdown table of bytes,
# display-view SSIM All (mean and min) per rung and the encode CPU time of each run.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)

usage() {
  cat <<'EOF'
Usage: scripts/bench-target.sh [options]

Options:
  --target X     target SSIM (display view, SSIM All) for every rung (default 0.98)
  --rungs IDS    rungs to make (default vp9-360p,vp9-480p,vp9-720p)
  --seconds S    cut every clip to its first S seconds first (stream copy; 0 = whole
                 clips; default 0)
  --media DIR    clips folder (default $SOBRE_MEDIA, else ../shared/media)
  --sobre PATH   the sobre binary (default build/tools/sobre)
  --out DIR      work folder (default bench-target-out)
  -h, --help     this help
Prints the Markdown table on stdout and writes it to OUT/bench-target.md.
EOF
}

target=0.98 rungs=vp9-360p,vp9-480p,vp9-720p seconds=0 out=bench-target-out
media=${SOBRE_MEDIA:-$root/../shared/media}
sobre=${SOBRE:-$root/build/tools/sobre}
while [ $# -gt 0 ]; do
  case $1 in
    --target) target=$2; shift 2 ;;
    --rungs) rungs=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --media) media=$2; shift 2 ;;
    --sobre) sobre=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "bench-target: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done
[ -x "$sobre" ] || { echo "bench-target: $sobre: not built" >&2; exit 1; }
[ -d "$media" ] || { echo "bench-target: $media: no clips folder" >&2; exit 1; }
command -v ffmpeg >/dev/null || { echo "bench-target: ffmpeg is needed to cut the clips" >&2; exit 1; }
mkdir -p "$out"
md="$out/bench-target.md"

clips=()
for f in "$media"/*.mp4 "$media"/*.webm "$media"/*.mkv; do
  [ -f "$f" ] || continue
  ffprobe -v error -select_streams v -show_entries stream=codec_type -of csv=p=0 "$f" |
    grep -q video && clips+=("$f")
done

rows=()
for clip in "${clips[@]}"; do
  name=$(basename "${clip%.*}")
  in=$clip
  if [ "$seconds" != 0 ]; then
    in="$out/$name-${seconds}s.${clip##*.}"
    [ -f "$in" ] || ffmpeg -v error -y -i "$clip" -t "$seconds" -c copy "$in"
  fi
  for mode in fixed target; do
    # fixed: sobre's resume keeps a previous run of the same settings (and its CPU
    # figures); target: always searched from scratch (no cache) and encoded again
    args=(--only "$rungs" -q --progress none)
    if [ $mode = target ]; then
      args+=(--target-ssim "$target" -f)
      rm -f "$out/$name-$mode/.sobre/target-cache.json"
    fi
    echo "bench-target: $name: $mode" >&2
    "$sobre" encode "$in" -o "$out/$name-$mode" "${args[@]}"
  done
  rows+=("$(python3 - "$out/$name-fixed/report.json" "$out/$name-target/report.json" "$name" <<'PY'
import json, sys
fixed, target = (json.load(open(p)) for p in sys.argv[1:3])
name = sys.argv[3]
def rung(r, i):
    d = {x["id"]: x for x in r["renditions"]}.get(i)
    if not d:
        return None
    q = d.get("quality", {}).get("display", {}).get("ssim_all", {})
    return d["bytes"], q.get("mean"), q.get("min"), d["video"]["crf"], d.get("target", {}), d["cpu_s"]
lines = []
for d in fixed["renditions"]:
    a, b = rung(fixed, d["id"]), rung(target, d["id"])
    if not a or not b:
        continue
    t = b[4]
    lines.append("| %s | %s | %d | %d | %.1f | %.4f / %.4f | %d | %d | %.1f | %.4f / %.4f | %+.1f %% |" % (
        name, d["id"], a[3], a[0] // 1000, a[5], a[1], a[2], b[3], b[0] // 1000, b[5], b[1], b[2],
        100.0 * (b[0] - a[0]) / a[0]))
cpu = "| %s | all (process CPU s, incl. search) | | | %.1f | | | | %.1f | | |" % (
    name, fixed["encode"]["cpu_s"], target["encode"]["cpu_s"])
print("\n".join(lines + [cpu]))
PY
)")
done

{
  echo "Target: display-view mean SSIM All $target; rungs $rungs$([ "$seconds" != 0 ] && echo ", clips cut to their first $seconds s")."
  echo
  echo "Rung CPU s = the rendition thread (encoder + measurement); the 'all' rows give the"
  echo "process CPU seconds of each run, the CRF search included."
  echo
  echo "| clip | rung | fixed crf | fixed kB | CPU s | fixed SSIM mean / min | target crf | target kB | CPU s | target SSIM mean / min | bytes |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|"
  for r in "${rows[@]}"; do echo "$r"; done
} | tee "$md"
