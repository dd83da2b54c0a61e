#!/usr/bin/env bash
# Segment-parallel against rung-parallel encoding (issue 18): measured on this machine in
# interleaved rounds on the same inputs (wall, CPU, bytes and SSIM per rung, the joined
# files checked against the rung-parallel ones, determinism), then, from each segment's
# and rung's CPU time measured here, the wall time of both plans computed on 4 to 32
# cores with the library's schedule simulation (sobre plan). Writes OUT/bench-scaling.md
# (measured and computed figures labelled as such) and OUT/bench-scaling.json.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/bench-lib.sh"

usage() {
  cat <<'EOF'
Usage: scripts/bench-scaling.sh [options]

For each input and round, in this order (interleaved rounds):
  rungs      sobre encode --segments off           (today's rung-parallel plan here)
  rungs-1t   sobre encode --segments off --threads 1  (rung-parallel, one encoder
             thread per rung: the encoders the segments use, like for like)
  segments   sobre encode --segments on
  segments-seq  the same segments one at a time (sobre encode --segment K --threads 1
             for each K, then the join run): the segment method's own cost (decode
             overlap, join, processes) apart from running two segments' encoders at once
then the medians of wall and CPU time (GNU time, user+sys) and of each round's ratio,
bytes and SSIM (display view, report.json) per rung, the segments' outputs checked
against the rung-parallel ones (decode errors, frame counts, duration, keyframe frames,
audio span), determinism (segment-parallel outputs of two rounds, one segment made
twice), and the computed wall time on --cores (sobre plan, from the measured CPU of
every segment and rung of the median round).

Options:
  --inputs LIST  720p (Big Buck Bunny, $SOBRE_MEDIA), 1080p (the same scaled to
                 1920x1080, made once as scripts/bench.sh makes it), sample, or
                 files (default 720p,1080p)
  --seconds S    cut every input to its first S seconds (stream copy; default: whole)
  --rounds N     rounds (default 3)
  --cores LIST   core counts to compute (default 4,8,16,32)
  --tiles-seconds S  the bytes VP9 tile columns cost (the plan uses them beyond what
                 row-mt feeds): each VP9 rung of the first S seconds encoded with 0, 1
                 and 2 log2 tile columns, 8 threads, sobre's settings (default 10; 0: no)
  --preset P     ladder preset (default: sobre's default)
  --only IDS     rungs to make (default: the preset's)
  --out DIR      output folder (default bench-scaling-out)
  --sobre PATH   the sobre binary (default $SOBRE, else build/tools/sobre)
  -h, --help     this help
EOF
}

inputs=720p,1080p seconds="" rounds=3 cores=4,8,16,32 preset="" only="" out=bench-scaling-out tiles_s=10
while [ $# -gt 0 ]; do
  case $1 in
    --inputs) inputs=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --cores) cores=$2; shift 2 ;;
    --tiles-seconds) tiles_s=$2; shift 2 ;;
    --preset) preset=$2; shift 2 ;;
    --only) only=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --sobre) SOBRE=$2; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) echo "bench-scaling: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done
[[ $rounds =~ ^[1-9][0-9]*$ ]] || { echo "bench-scaling: --rounds takes a number >= 1" >&2; exit 2; }
[[ $cores =~ ^[0-9]+(,[0-9]+)*$ ]] || { echo "bench-scaling: --cores takes numbers, comma-separated" >&2; exit 2; }
[ -z "$seconds" ] || [[ $seconds =~ ^[0-9]+$ ]] || { echo "bench-scaling: --seconds takes whole seconds" >&2; exit 2; }
[[ $tiles_s =~ ^[0-9]+$ ]] || { echo "bench-scaling: --tiles-seconds takes whole seconds" >&2; exit 2; }
bl_need ffmpeg ffprobe jq || exit 77
sobre=$(bl_sobre) || exit 1
cache=$(bl_cache_dir)
media=${SOBRE_MEDIA:-$bl_root/../shared/media}
mkdir -p "$out"
out=$(cd "$out" && pwd)
log() { echo "bench-scaling: $*" >&2; }
opts=()
[ -z "$preset" ] || opts+=(-p "$preset")
[ -z "$only" ] || opts+=(--only "$only")

make_1080p() { # as scripts/bench.sh makes it (the same cache file)
  local src=$media/bbb_1280x720_30s_moviepy.webm o=$cache/bbb_1920x1080_master.mp4
  [ -r "$src" ] || return 1
  if [ ! -s "$o" ]; then
    log "making the 1080p master $o (once)..."
    ffmpeg -nostdin -v error -y -i "$src" -vf scale=1920:1080:flags=lanczos -c:v libx264 \
      -preset medium -crf 12 -pix_fmt yuv420p -c:a aac -b:a 192k -movflags +faststart \
      "$o.tmp.mp4" && mv "$o.tmp.mp4" "$o"
  fi
  echo "$o"
}
list=()
for s in ${inputs//,/ }; do
  case $s in
    720p) [ -r "$media/bbb_1280x720_30s_moviepy.webm" ] && list+=("$media/bbb_1280x720_30s_moviepy.webm") ||
      log "no $media/bbb_1280x720_30s_moviepy.webm: 720p skipped" ;;
    1080p) if m=$(make_1080p); then list+=("$m"); else log "no Big Buck Bunny clip in $media: 1080p skipped"; fi ;;
    sample) "$here/make-sample.sh" "$cache/sample" >&2; list+=("$cache/sample/episode.mp4") ;;
    *) [ -r "$s" ] || { echo "bench-scaling: $s: not an input set nor a readable file" >&2; exit 2; }
      list+=("$s") ;;
  esac
done
[ ${#list[@]} -gt 0 ] || { echo "bench-scaling: no input" >&2; exit 77; }

ways=(rungs rungs-1t segments segments-seq)
way_args() {
  case $1 in
    rungs) echo --segments off ;;
    rungs-1t) echo --segments off --threads 1 ;;
    segments) echo --segments on ;;
  esac
}
# run_seq INPUT DIR N: segments 1..N one after the other, then the join (which also
# encodes the audio and verifies), into one timing file: summed wall and CPU, largest RSS
run_seq() {
  local in=$1 dir=$2 n=$3 k
  for k in $(seq "$n"); do
    bl_time "$dir.s$k.time" "$sobre" encode "$in" -o "$dir" -q "${opts[@]}" --threads 1 --segment "$k" ||
      { cp "$dir.s$k.time.err" "$dir.time.err"; return 1; }
  done
  bl_time "$dir.join.time" "$sobre" encode "$in" -o "$dir" -q "${opts[@]}" --segments on ||
    { cp "$dir.join.time.err" "$dir.time.err"; return 1; }
  awk '{ w += $1; u += $2; s += $3; if ($4 > m) m = $4 } END { printf "%.2f %.2f %.2f %d\n", w, u, s, m }' \
    "$dir".s*.time "$dir.join.time" >"$dir.time"
}
# run_one INPUT NAME WAY ROUND: one encode from an empty folder; one JSON line.
run_one() {
  local in=$1 name=$2 way=$3 r=$4 dir=$out/runs/$2-$3-r$4 ok=1
  rm -rf "$dir" "$dir".*
  if [ "$way" = segments-seq ]; then
    # as many segments as the segment-parallel run of this round made
    run_seq "$in" "$dir" "$(jq .plan.segments "$out/runs/$name-segments-r$r/report.json")" || ok=0
  else
    # shellcheck disable=SC2046
    bl_time "$dir.time" "$sobre" encode "$in" -o "$dir" -q "${opts[@]}" $(way_args "$way") || ok=0
  fi
  if [ $ok = 0 ]; then
    log "$name $way round $r failed: $(tail -3 "$dir.time.err")"
    return 1
  fi
  read -r wall user sys rss <"$dir.time"
  jq -c -n --arg input "$name" --arg way "$way" --argjson round "$r" --argjson wall "$wall" \
    --argjson cpu "$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.3f", u + s }')" --argjson rss "$rss" --arg dir "$dir" \
    --slurpfile rep "$dir/report.json" \
    '{input: $input, way: $way, round: $round, wall_s: $wall, cpu_s: $cpu, peak_rss_kb: $rss,
      dir: $dir, encode_wall_s: $rep[0].encode.wall_s, encode_cpu_s: $rep[0].encode.cpu_s}'
}

num='$1 ~ /^-?[0-9.]+$/'
frames() { ffprobe -v error -select_streams v:0 -count_packets -show_entries stream=nb_read_packets -of csv=p=0 "$1"; }
keyframes() { ffprobe -v error -select_streams v:0 -show_entries frame=key_frame -of csv=p=0 "$1" |
  awk -F, '$1 == "0" || $1 == "1" { if ($1 == 1) printf "%d ", n; n++ }'; }
vend() { ffprobe -v error -select_streams v:0 -show_entries packet=pts_time,duration_time -of csv=p=0 "$1" |
  awk -F, "$num"' { e = $1 + $2; if (e > m) m = e } END { printf "%.3f", m }'; }
aspan() { ffprobe -v error -select_streams a:0 -show_entries packet=pts_time,duration_time -of csv=p=0 "$1" |
  awk -F, "$num"' { if (!n++) s = $1; e = $1 + $2 } END { printf "%.3f %.3f", s, e }'; }
# same_files DIR_A DIR_B: "N of M": how many of A's renditions are byte-identical in B
same_files() {
  local f n=0 m=0
  for f in "$1"/*.webm "$1"/*.mp4; do
    m=$((m + 1))
    cmp -s "$f" "$2/$(basename "$f")" && n=$((n + 1))
  done
  echo "$n of $m"
}
decode_errors() { ffmpeg -nostdin -v error -i "$1" -f null - 2>&1 | grep -c . || true; }
# tiles SRC REPORT: per VP9 rung, the bytes of log2 tile columns 0, 1, 2 (what the
# width allows) with sobre's encoder settings, 8 threads; one JSON array
tiles() {
  local src=$1 rep=$2 id w h crf kbps g k b
  [ "$tiles_s" -gt 0 ] || { echo '[]'; return; }
  while IFS=$'\t' read -r id w h crf kbps g; do
    [ "$w" -ge 512 ] || continue # one tile column only below 512 pixels
    for k in 0 1 2; do
      [ $(((w + 63) / 64 >> k)) -ge 4 ] || continue
      b=$(ffmpeg -nostdin -v error -t "$tiles_s" -i "$src" -an -vf "scale=$w:$h:flags=bicubic,format=yuv420p" \
        -c:v libvpx-vp9 -deadline good -cpu-used 4 -row-mt 1 -tile-columns "$k" -lag-in-frames 0 \
        -auto-alt-ref 0 -crf "$crf" -b:v "${kbps:-0}k" -threads 8 -g "$g" -keyint_min "$g" -f webm - | wc -c)
      jq -c -n --arg id "$id" --argjson k "$k" --argjson b "$b" '{id: $id, tiles_log2: $k, bytes: $b}'
    done
  done < <(jq -r '.renditions[] | select(.video.codec == "vp9") |
    [.id, .video.width, .video.height, .video.crf, .video.max_kbps, .video.keyint_frames] | @tsv' "$rep") |
    jq -c -s .
}

mkdir -p "$out/runs"
: >"$out/runs.jsonl"
md=$out/bench-scaling.md
{
  echo "# Segment-parallel against rung-parallel ($(date -u +%Y-%m-%d), $(nproc) cores, sobre $("$sobre" --version | cut -d' ' -f2))"
  echo
  echo "Measured here: $rounds interleaved round(s) of ${ways[*]}; medians. Computed: the"
  echo "same encodes on more cores, from the CPU time of every segment and rung measured"
  echo "here (\`sobre plan\`, the schedule simulation of sobre/plan.h): not measurements."
} >"$md"
for in in "${list[@]}"; do
  src=$(bl_cut "$in" "$seconds" "$cache")
  name=$(basename "${src%.*}")
  log "$name: $rounds round(s) of ${ways[*]}"
  for r in $(seq "$rounds"); do
    for w in "${ways[@]}"; do
      run_one "$src" "$name" "$w" "$r" >>"$out/runs.jsonl"
      log "$(tail -n 1 "$out/runs.jsonl" | jq -r '"\(.input) \(.way) r\(.round): \(.wall_s) s wall, \(.cpu_s) s CPU"')"
    done
  done
  runs=$(jq -c -s --arg n "$name" '[.[] | select(.input == $n)]' "$out/runs.jsonl")
  med() { jq -r --arg w "$1" --arg f "$2" '[.[] | select(.way == $w) | .[$f]] | sort |
    if length % 2 == 1 then .[length / 2 | floor] else (.[length / 2 - 1] + .[length / 2]) / 2 end' <<<"$runs"; }
  ratio() { # median over rounds of WAY_A / WAY_B for field F
    jq -r --arg a "$1" --arg w "$2" --arg f "$3" '[group_by(.round)[] | (map(select(.way == $a))[0][$f]) /
      (map(select(.way == $w))[0][$f])] | sort |
      if length % 2 == 1 then .[length / 2 | floor] else (.[length / 2 - 1] + .[length / 2]) / 2 end' <<<"$runs"; }
  # the round whose segment-parallel CPU is the median: its reports feed the computed table
  mr=$(jq -r '[.[] | select(.way == "segments")] | sort_by(.cpu_s) | .[(length - 1) / 2 | floor].round' <<<"$runs")
  R=$out/runs/$name-rungs-r$mr R1=$out/runs/$name-rungs-1t-r$mr S=$out/runs/$name-segments-r$mr
  mkdir -p "$out/plans" "$out/inputs"
  "$sobre" plan "$S" --rungs "$R" --cores "2,$cores" --json >"$out/plans/$name.json"
  # determinism: the segment-parallel outputs of two rounds, and one segment made twice
  same="-"
  [ "$rounds" -lt 2 ] ||
    same="$(same_files "$out/runs/$name-segments-r1" "$out/runs/$name-segments-r2") files byte-identical between rounds 1 and 2"
  # the segments made one at a time join into the segment-parallel bytes (round 1)
  seqsame=$(same_files "$out/runs/$name-segments-r1" "$out/runs/$name-segments-seq-r1")
  nseg=$(jq .plan.segments "$S/report.json")
  k=$(((nseg + 1) / 2))
  for d in a b; do
    rm -rf "$out/seg-$d"
    "$sobre" encode "$src" -o "$out/seg-$d" -q "${opts[@]}" --segment "$k"
  done
  segsame=0 segfiles=0
  while read -r f; do
    segfiles=$((segfiles + 1))
    cmp -s "$out/seg-a/$f" "$out/seg-b/$f" && segsame=$((segsame + 1))
  done < <(cd "$out/seg-a" && find .sobre/seg -name '*.seg' | sort)
  rm -rf "$out/seg-a" "$out/seg-b"
  # per rung: bytes, SSIM, and the joined files checked against the rung-parallel ones
  rungs_json=$(jq -c '[.renditions[] | select(.kind == "video") | .id]' "$S/report.json")
  checks=""
  rows=()
  for id in $(jq -r '.[]' <<<"$rungs_json"); do
    file=$(jq -r --arg id "$id" '.renditions[] | select(.id == $id) | .file' "$S/report.json")
    row=$(jq -c -n --arg id "$id" --slurpfile r "$R/report.json" --slurpfile r1 "$R1/report.json" \
      --slurpfile s "$S/report.json" '
      def rend($x): $x[0].renditions[] | select(.id == $id);
      {id: $id, size: "\(rend($s).video.width)x\(rend($s).video.height)",
       threads_rungs: rend($r).video.threads,
       bytes_rungs: rend($r).bytes, bytes_rungs_1t: rend($r1).bytes, bytes_segments: rend($s).bytes,
       ssim_y_rungs: rend($r).quality.display.ssim_y.mean, ssim_y_rungs_1t: rend($r1).quality.display.ssim_y.mean,
       ssim_y_segments: rend($s).quality.display.ssim_y.mean,
       ssim_all_rungs: rend($r).quality.display.ssim_all.mean, ssim_all_segments: rend($s).quality.display.ssim_all.mean}')
    ok=1
    [ "$(decode_errors "$S/$file")" -eq 0 ] || { ok=0; checks+=" $id: decode errors;"; }
    [ "$(frames "$S/$file")" = "$(frames "$R/$file")" ] || { ok=0; checks+=" $id: frames $(frames "$S/$file") vs $(frames "$R/$file");"; }
    [ "$(vend "$S/$file")" = "$(vend "$R/$file")" ] || { ok=0; checks+=" $id: video ends $(vend "$S/$file") vs $(vend "$R/$file");"; }
    [ "$(keyframes "$S/$file")" = "$(keyframes "$R/$file")" ] || { ok=0; checks+=" $id: keyframes differ;"; }
    [ "$(aspan "$S/$file")" = "$(aspan "$R/$file")" ] || { ok=0; checks+=" $id: audio $(aspan "$S/$file") vs $(aspan "$R/$file");"; }
    k0=${k0:-$(keyframes "$S/$file")}
    [ "$(keyframes "$S/$file")" = "$k0" ] || { ok=0; checks+=" $id: keyframes not on the first rung's frames;"; }
    rows+=("$(jq -c --argjson ok "$ok" --argjson frames "$(frames "$S/$file")" '. + {checks_ok: ($ok == 1), frames: $frames}' <<<"$row")")
  done
  unset k0
  rows_json=$(printf '%s\n' "${rows[@]}" | jq -c -s .)
  log "$name: the bytes of VP9 tile columns"
  tiles_json=$(tiles "$src" "$R/report.json")
  jq -n --arg name "$name" --arg src "$src" --argjson runs "$runs" --argjson rows "$rows_json" \
    --slurpfile plan "$out/plans/$name.json" --slurpfile s "$S/report.json" --slurpfile r "$R/report.json" \
    --arg same "$same" --arg seqsame "$seqsame" --argjson segsame "$segsame" --argjson segfiles "$segfiles" \
    --arg checks "$checks" --argjson mr "$mr" --argjson tiles "$tiles_json" \
    --argjson xr "$(ratio segments rungs cpu_s)" --argjson xr1 "$(ratio segments rungs-1t cpu_s)" \
    --argjson wr "$(ratio segments rungs wall_s)" --argjson wr1 "$(ratio segments rungs-1t wall_s)" \
    --argjson sq1 "$(ratio segments-seq rungs-1t cpu_s)" --argjson ssq "$(ratio segments segments-seq cpu_s)" \
    '{input: $name, file: $src, median_round: $mr, runs: $runs, rungs: $rows,
      segments_cpu_over_rungs: $xr, segments_cpu_over_rungs_1t: $xr1,
      segments_wall_over_rungs: $wr, segments_wall_over_rungs_1t: $wr1,
      segments_seq_cpu_over_rungs_1t: $sq1, segments_cpu_over_segments_seq: $ssq,
      deterministic_rounds: $same, segments_seq_same_files: $seqsame, same_segment_twice: "\($segsame) of \($segfiles)",
      checks: (if $checks == "" then "all passed" else $checks end),
      segment_cpu: $s[0].plan.segment_stats, rung_cpu: [$r[0].renditions[] | select(.kind == "video") | {id, cpu_s, threads: .video.threads}],
      rung_decode_cpu_s: $r[0].plan.decode_cpu_s, plan: $plan[0], tiles: $tiles}' >"$out/inputs/$name.json"
  j=$out/inputs/$name.json
  {
    echo
    echo "## $name ($(jq -r '.source.video | "\(.width)x\(.height), \(.fps) fps"' "$S/report.json"), $(jq -r '.source.duration_s' "$S/report.json") s; $nseg segments of $(jq -r .plan.segment_s "$S/report.json") s)"
    echo
    echo "Measured on this machine ($(nproc) cores), medians of $rounds round(s):"
    echo
    echo "| way | wall | CPU (user+sys) | CPU use | peak RSS |"
    echo "|---|---:|---:|---:|---:|"
    for w in "${ways[@]}"; do
      awk -v w="$w" -v wall="$(med "$w" wall_s)" -v cpu="$(med "$w" cpu_s)" -v rss="$(med "$w" peak_rss_kb)" \
        -v t="$(jq -r '[.rungs[] | .threads_rungs] | map(tostring) | join("/")' "$j")" 'BEGIN {
        label = w == "rungs" ? "rung-parallel, as planned here (threads " t ")" : w == "rungs-1t" ? "rung-parallel, one thread per rung" : w == "segments" ? "segment-parallel (one thread per encoder)" : "segments one at a time, then the join (summed)"
        printf "| %s | %.1f s | %.1f s | %.0f %% | %.0f MB |\n", label, wall, cpu, 100 * cpu / wall, rss / 1024 }'
    done
    echo
    jq -r '"Segment-parallel ÷ rung-parallel (median of the per-round ratios): CPU \(.segments_cpu_over_rungs * 1000 | round / 1000) (today'"'"'s threads), \(.segments_cpu_over_rungs_1t * 1000 | round / 1000) (one thread per rung); wall \(.segments_wall_over_rungs * 1000 | round / 1000), \(.segments_wall_over_rungs_1t * 1000 | round / 1000). The segment method'"'"'s own extra CPU (decode overlap, join, processes: segments one at a time ÷ rung-parallel, one thread per rung): \(.segments_seq_cpu_over_rungs_1t * 1000 | round / 1000); running the segments at once ÷ one at a time: \(.segments_cpu_over_segments_seq * 1000 | round / 1000)."' "$j"
    echo
    echo "| rung | size | bytes: rungs (threads) | rungs, 1 thread | segments | Δ vs rungs | Δ vs 1 thread | SSIM Y rungs / 1 thread / segments | Δ SSIM |"
    echo "|---|---|---:|---:|---:|---:|---:|---:|---:|"
    jq -r '.rungs[] | "| \(.id) | \(.size) | \(.bytes_rungs) (\(.threads_rungs)) | \(.bytes_rungs_1t) | \(.bytes_segments) | " +
      "\((.bytes_segments / .bytes_rungs - 1) * 10000 | round / 100) % | \((.bytes_segments / .bytes_rungs_1t - 1) * 10000 | round / 100) % | " +
      "\(.ssim_y_rungs * 10000 | round / 10000) / \(.ssim_y_rungs_1t * 10000 | round / 10000) / \(.ssim_y_segments * 10000 | round / 10000) | " +
      "\((.ssim_y_segments - .ssim_y_rungs_1t) * 10000 | round / 10000) |"' "$j"
    echo
    jq -r '"Joined files against the rung-parallel ones (decode errors, frame count, video end, keyframe frames, the same keyframes in every rung, audio span): \(.checks). Determinism: \(.deterministic_rounds); segment '"$k"' made twice: \(.same_segment_twice) segment files byte-identical; made one at a time and joined: \(.segments_seq_same_files) files byte-identical to the segment-parallel ones."' "$j"
    echo
    echo "Computed (not measured) from round $mr's per-segment and per-rung CPU: wall time on N cores"
    echo
    echo "| cores | rung-parallel, today's threads | rung-parallel, threads by share | segment-parallel (segments at once) |"
    echo "|---:|---:|---:|---:|"
    jq -r '"| 2 (measured here) | \(.runs | map(select(.way == "rungs" and .round == '"$mr"'))[0].encode_wall_s * 10 | round / 10) s | – | \(.runs | map(select(.way == "segments" and .round == '"$mr"'))[0].encode_wall_s * 10 | round / 10) s |"' "$j"
    jq -r '.plan.rows[] | "| \(.cores)\(if .cores == 2 then " (computed)" else "" end) | \(.today_s * 10 | round / 10) s | \(.share_s * 10 | round / 10) s (\([.share_threads[]] | map(tostring) | join("/"))) | \(.segments_s * 10 | round / 10) s (\(.segments_at_once)) |"' "$j"
    if [ "$(jq '.tiles | length' "$j")" -gt 0 ]; then
      echo
      echo "VP9 tile columns (measured: first $tiles_s s, 8 threads, sobre's settings), bytes against one tile:"
      echo
      echo "| rung | 1 tile | 2 tiles | 4 tiles |"
      echo "|---|---:|---:|---:|"
      jq -r 'def pct($b; $b0): (($b / $b0) - 1) * 10000 | round / 100 | if . >= 0 then "+\(.)" else "\(.)" end;
        .tiles | group_by(.id)[] | (map(select(.tiles_log2 == 0))[0].bytes) as $b0 | .[0].id as $id |
        (map(select(.tiles_log2 == 1))[0].bytes) as $b1 | (map(select(.tiles_log2 == 2))[0].bytes) as $b2 |
        "| \($id) | \($b0) | \(if $b1 then "\($b1) (\(pct($b1; $b0)) %)" else "–" end) | \(if $b2 then "\($b2) (\(pct($b2; $b0)) %)" else "–" end) |"' "$j"
    fi
  } >>"$md"
done
jq -s '{schema: "sobre.bench-scaling/1", date: (now | todate), cores: '"$(nproc)"', inputs: .}' \
  "$out"/inputs/*.json >"$out/bench-scaling.json"
echo >>"$md"
echo "Load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)." >>"$md"
cat "$md"
