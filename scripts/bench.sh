#!/usr/bin/env bash
# The benchmark: `sobre encode` against the ffmpeg command line on the same VP9/Opus
# ladder with exactly sobre's encoder settings (one command with split, one command per
# rung in sequence, one per rung in parallel) and against the physical limit (each rung's
# encoder alone on pre-scaled raw input), interleaved round by round; medians, ratios,
# pass/miss against the targets of issue 7. Writes OUT/bench.md and OUT/bench.json.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/bench-lib.sh"

usage() {
  cat <<'EOF'
Usage: scripts/bench.sh [options]

Encodes each input with `sobre encode` and with the ffmpeg command line using exactly
sobre's settings (VP9 rungs vp9-360p, vp9-480p, vp9-720p of presets/ladders/default.yaml:
libvpx-vp9 good, cpu-used 4, row-mt 1, tile-columns 0, lag-in-frames 0, auto-alt-ref 0,
per-rung crf and b:v, the threads sobre used (its report: 2 for the heaviest rung, 1 for the others), keyframes every keyint_s, bicubic scaling
to the sizes sobre's report gives, Opus mono 32 kbit/s 20 ms in each file; sobre's loudness
normalisation off, as ffmpeg has none here), in
interleaved rounds (A B C D E, A B C D E...):
  A  sobre encode -q --no-verify --quality off --loudness off --only vp9-360p,vp9-480p,vp9-720p
  B  one ffmpeg, split filter, every output
  C  one ffmpeg per rung, one after another
  D  one ffmpeg per rung, all at once
  E  the physical limit: each rung's encoder alone on pre-scaled y4m (and Opus alone on
     pre-resampled audio), all at once; limit = max(sum of their CPU / cores,
     the largest single encoder's CPU)
Reports medians of wall time, CPU time (user+sys), CPU use, peak RSS (summed over
processes when they run at once), output bytes and SSIM (Y) against the input, the
ratios sobre / each, and pass/miss for the targets.

Options:
  --rounds N     rounds (default 3; at least 3 for numbers worth quoting)
  --inputs SET   sample (built-in 30 s 720p sample), media (the clips of $SOBRE_MEDIA,
                 default ../shared/media), 1080p (Big Buck Bunny scaled to 1920x1080),
                 all (default), or a comma-separated list of those
  --seconds S    cut every input to its first S seconds (quick runs)
  --out DIR      output folder (default bench-out)
  --profile      also run scripts/bench-profile.sh (callgrind, 2 s) and add its table
  --only IDS     a subset of the VP9 rungs (default vp9-360p,vp9-480p,vp9-720p)
  --keep         keep the encoded files and the raw y4m inputs
  --report-only  only rebuild bench.md and bench.json from the runs already in --out
  --sobre PATH   the sobre binary (default $SOBRE, else build/tools/sobre)
  -h, --help     this help

Derived inputs (the cut copies, the 1080p master, the sample) are made once in
$SOBRE_BENCH_CACHE (default ~/.cache/sobre-bench), never in the repository.
Needs ffmpeg, jq, GNU time (/usr/bin/time): scripts/deps/bench.apt.
EOF
}

rounds=3 inputs=all seconds="" out=bench-out profile=0 keep=0 report_only=0
only=vp9-360p,vp9-480p,vp9-720p
while [ $# -gt 0 ]; do
  case $1 in
    --rounds) rounds=${2:?}; shift 2 ;;
    --inputs) inputs=${2:?}; shift 2 ;;
    --seconds) seconds=${2:?}; shift 2 ;;
    --out) out=${2:?}; shift 2 ;;
    --profile) profile=1; shift ;;
    --keep) keep=1; shift ;;
    --only) only=${2:?}; shift 2 ;;
    --report-only) report_only=1; shift ;;
    --sobre) SOBRE=${2:?}; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) echo "bench: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done
case $rounds in '' | *[!0-9]* | 0) echo "bench: --rounds wants a positive integer, not '$rounds'" >&2; exit 2 ;; esac
case $seconds in *[!0-9.]*) echo "bench: --seconds wants a number of seconds, not '$seconds'" >&2; exit 2 ;; esac
for s in ${inputs//,/ }; do
  case $s in sample | media | 1080p | all) ;; *) echo "bench: --inputs: unknown set '$s' (sample, media, 1080p, all)" >&2; exit 2 ;; esac
done
[[ ",$inputs," == *,all,* ]] && inputs=sample,media,1080p
for id in ${only//,/ }; do
  case $id in vp9-*) ;; *) echo "bench: --only: '$id' is not a VP9 rung (the ffmpeg side mimics VP9 rungs only)" >&2; exit 2 ;; esac
done
bl_need ffmpeg ffprobe jq || exit 77
sobre=$(bl_sobre) || exit 1
mkdir -p "$out"
out=$(cd "$out" && pwd)
cache=$(bl_cache_dir)
media=${SOBRE_MEDIA:-$bl_root/../shared/media}
cores=$(nproc)
runs=$out/runs.jsonl
log() { printf 'bench: %s\n' "$*" >&2; }

# ---- inputs -------------------------------------------------------------------------
summaries=()
if [ $report_only = 1 ]; then
  for f in "$out"/work/*/input.json; do [ -s "$f" ] && summaries+=("$f"); done
  [ -s "$runs" ] || { log "$out: no runs.jsonl to report on"; exit 1; }
  rounds=$(jq -s 'map(.round) | max' "$runs")
else
: > "$runs"
list=()
has_video() { [ -n "$(ffprobe -v error -select_streams v:0 -show_entries stream=codec_type -of csv=p=0 "$1" 2> /dev/null)" ]; }
make_1080p() {
  # Big Buck Bunny scaled to 1920x1080 with lanczos, near-lossless H.264 (crf 12): a
  # master of the size people export, made here once.
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
for s in ${inputs//,/ }; do
  case $s in
    sample)
      "$here/make-sample.sh" "$cache/sample" >&2
      list+=("$cache/sample/episode.mp4") ;;
    media)
      if [ -d "$media" ]; then
        for f in "$media"/*; do
          case $f in *.mp4 | *.webm | *.mkv | *.mov) has_video "$f" && list+=("$f") ;; esac
        done
      else
        log "no media folder ($media): media inputs skipped"
      fi ;;
    1080p)
      if m=$(make_1080p); then list+=("$m"); else log "no Big Buck Bunny clip in $media: 1080p input skipped"; fi ;;
  esac
done
[ ${#list[@]} -gt 0 ] || { log "no input to run"; exit 77; }

# ---- settings, taken from sobre's own report ----------------------------------------------
# Globals for the current input: in, work, has_audio, ids[], and per rung: w h fps crf kbps g
# Opus as sobre makes it (lib/src/pipeline/aenc.c): mono 48 kHz 32 kbit/s VBR, 20 ms frames,
# fed s16 samples (libopus's first format in FFmpeg, which sobre picks; ffmpeg would pick
# flt and make a slightly different stream).
aopts=(-c:a libopus -b:a 32k -ac 1 -ar 48000 -frame_duration 20 -application audio -vbr on -sample_fmt s16)
read_plan() {
  local rep=$1
  mapfile -t ids < <(jq -r '.renditions[] | select(.kind == "video") | .id' "$rep")
  has_audio=$(jq -r '[.renditions[] | select(.kind == "video") | .audio != null] | any' "$rep")
  src_fps=$(jq -r '.source.video.fps // 0' "$rep")
  keyint_s=$(jq -r '.renditions[] | select(.kind == "video") | .video.keyint_s' "$rep" | head -1)
  declare -gA R_W R_H R_FPS R_CRF R_KBPS R_G R_T
  local id
  for id in "${ids[@]}"; do
    read -r R_W[$id] R_H[$id] R_FPS[$id] R_CRF[$id] R_KBPS[$id] R_G[$id] R_T[$id] < <(jq -r --arg id "$id" \
      '.renditions[] | select(.id == $id) | .video | "\(.width) \(.height) \(.fps) \(.crf) \(.max_kbps) \(.keyint_frames) \(.threads // 1)"' "$rep")
  done
}
# vf ID: sobre's picture path: frame-rate cap (only when the source is faster), bicubic
# scale to the planned size, square pixels, yuv420p.
vf() {
  local id=$1 f=""
  awk -v a="$src_fps" -v b="${R_FPS[$id]}" 'BEGIN { exit !(a > b + 0.01) }' && f="fps=${R_FPS[$id]},"
  echo "${f}scale=${R_W[$id]}:${R_H[$id]}:flags=bicubic,setsar=1,format=yuv420p"
}

# vopts ID: sobre's libvpx-vp9 settings (lib/src/pipeline/vrend.c): g = keyint_min = the
# keyframe interval in frames, keyframes forced every keyint_s seconds on the time grid,
# constant-rate output (sobre fills timestamp gaps as -fps_mode cfr does); no tags copied
# from the input (sobre copies none).
vopts() {
  local id=$1
  echo "-map_metadata -1 -fps_mode cfr -c:v libvpx-vp9 -deadline good -cpu-used 4 -row-mt 1 -tile-columns 0 -lag-in-frames 0" \
    "-auto-alt-ref 0 -crf ${R_CRF[$id]} -b:v ${R_KBPS[$id]}k -threads ${R_T[$id]} -g ${R_G[$id]}" \
    "-keyint_min ${R_G[$id]}"
}
amap() { if [ "$has_audio" = true ]; then echo "-map 0:a:0 ${aopts[*]}"; else echo "-an"; fi; }
ff() { ffmpeg -nostdin -v error -y "$@"; }

# ---- the five ways ------------------------------------------------------------------------
# Each writes its files into $1 and prints one JSON object (the run).
record() { # METHOD DIR WALL USER SYS RSS_KB [EXTRA_JSON]; round 0 (warm-up) is not kept
  local bytes extra=${7:-}
  [ "$round" != 0 ] || return 0
  [ -n "$extra" ] || extra='{}'
  bytes=$(find "$2" -maxdepth 1 -name '*.webm' -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }')
  jq -cn --arg input "$name" --argjson round "$round" --arg method "$1" --argjson wall "$3" \
    --argjson user "$4" --argjson sys "$5" --argjson rss "$6" --argjson bytes "$bytes" \
    --argjson extra "$extra" '{input: $input, round: $round, method: $method, wall_s: $wall,
     user_s: $user, sys_s: $sys, cpu_s: ($user + $sys), cpu_use: (($user + $sys) / $wall),
     peak_rss_kb: $rss, bytes: $bytes} + $extra' >> "$runs"
}
run_sobre() {
  local d=$1 t
  rm -rf "$d" && mkdir -p "$(dirname "$d")"
  bl_time "$d.time" "$sobre" encode "$in" -o "$d" -q --no-verify --quality off --loudness off --only "$only" ||
    { log "sobre failed on $name: $(cat "$d.time.err")"; return 1; }
  read -r w u s m < "$d.time"
  t=$(jq -c '{encode_wall_s: .encode.wall_s, encode_cpu_s: .encode.cpu_s,
     encode_cpu_use: (.encode.cpu_s / .encode.wall_s)}' "$d/report.json")
  record sobre "$d" "$w" "$u" "$s" "$m" "$t"
}
run_single() {
  local d=$1 fc="" i=0 id args=()
  rm -rf "$d" && mkdir -p "$d"
  fc="[0:v]split=${#ids[@]}$(for i in "${!ids[@]}"; do printf '[s%d]' "$i"; done)"
  for i in "${!ids[@]}"; do
    id=${ids[$i]}
    fc+=";[s$i]$(vf "$id")[v$i]"
    # shellcheck disable=SC2046
    args+=(-map "[v$i]" $(vopts "$id") -force_key_frames "$kf" $(amap) "$d/$id.webm")
  done
  bl_time "$d.time" ffmpeg -nostdin -v error -y -i "$in" -filter_complex "$fc" "${args[@]}" ||
    { log "ffmpeg (single) failed on $name: $(cat "$d.time.err")"; return 1; }
  read -r w u s m < "$d.time"
  record ffmpeg-single "$d" "$w" "$u" "$s" "$m"
}
one_rung() { # DIR ID: one ffmpeg for one rung
  # shellcheck disable=SC2046
  bl_time "$1/$2.time" ffmpeg -nostdin -v error -y -i "$in" -map 0:v:0 -vf "$(vf "$2")" \
    $(vopts "$2") -force_key_frames "$kf" $(amap) "$1/$2.webm"
}
run_many() { # DIR parallel|sequence
  local d=$1 mode=$2 t0 t1 id pids=() rc=0
  rm -rf "$d" && mkdir -p "$d"
  t0=$(bl_now)
  for id in "${ids[@]}"; do
    if [ "$mode" = parallel ]; then one_rung "$d" "$id" & pids+=($!); else one_rung "$d" "$id" || rc=1; fi
  done
  for p in "${pids[@]}"; do wait "$p" || rc=1; done
  t1=$(bl_now)
  [ $rc = 0 ] || { log "ffmpeg ($mode) failed on $name: $(cat "$d"/*.err)"; return 1; }
  read -r _ u s rsum rmax < <(bl_sum "$d"/*.time)
  record "ffmpeg-$mode" "$d" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')" \
    "$u" "$s" "$([ "$mode" = parallel ] && echo "$rsum" || echo "$rmax")"
}
run_limit() {
  local d=$1 t0 t1 id pids=() rc=0 extra
  rm -rf "$d" && mkdir -p "$d"
  t0=$(bl_now)
  for id in "${ids[@]}"; do
    # shellcheck disable=SC2046
    bl_time "$d/$id.time" ffmpeg -nostdin -v error -y -i "$raw/$id.y4m" $(vopts "$id") \
      -force_key_frames "$kf" -an "$d/$id.webm" & pids+=($!)
  done
  if [ "$has_audio" = true ]; then
    bl_time "$d/opus.time" ffmpeg -nostdin -v error -y -i "$raw/audio.wav" "${aopts[@]}" "$d/opus.webm" &
    pids+=($!)
  fi
  for p in "${pids[@]}"; do wait "$p" || rc=1; done
  t1=$(bl_now)
  [ $rc = 0 ] || { log "encoder-alone run failed on $name: $(cat "$d"/*.err)"; return 1; }
  read -r _ u s rsum _ < <(bl_sum "$d"/*.time)
  # limit: the encoders' CPU spread over the cores, and never less than the longest
  # encoder's CPU divided by its own threads (a 1-thread encoder cannot go faster)
  extra=$(for f in "$d"/*.time; do read -r _ fu fs _ < "$f"; id=$(basename "$f" .time)
    printf '%s %s %s\n' "$id" "$(awk -v a="$fu" -v b="$fs" 'BEGIN { print a + b }')" "${R_T[$id]:-1}"; done |
    jq -Rn --argjson cores "$cores" '[inputs | split(" ") | {id: .[0], cpu: (.[1] | tonumber), threads: (.[2] | tonumber)}] |
      {encoders_cpu_s: (map({key: .id, value: .cpu}) | from_entries),
       limit_s: ([(map(.cpu) | add) / $cores, (map(.cpu / ([.threads, $cores] | min)) | max)] | max)}')
  record limit "$d" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')" "$u" "$s" "$rsum" "$extra"
}

# ---- per input ---------------------------------------------------------------------------
quality() { # REF DIST: SSIM (Y) mean
  "$sobre" quality "$1" "$2" --json -q | jq '.ssim_y.mean'
}
# streams FILE: MD5 and bytes of the video and audio packet payloads
streams() {
  local vmd5 amd5 vb ab vsz
  vmd5=$(ffmpeg -nostdin -v error -i "$1" -map 0:v:0 -c copy -f md5 - | sed 's/^MD5=//')
  amd5=$(ffmpeg -nostdin -v error -i "$1" -map '0:a:0?' -vn -c copy -f md5 - 2> /dev/null | sed 's/^MD5=//' || true)
  vsz=$(ffprobe -v error -select_streams v:0 -show_entries packet=size -of csv=p=0 "$1")
  vb=$(awk '{ s += $1 } END { print s + 0 }' <<< "$vsz")
  ab=$(ffprobe -v error -select_streams a:0 -show_entries packet=size -of csv=p=0 "$1" | awk '{ s += $1 } END { print s + 0 }')
  jq -cn --arg m "$vmd5" --arg am "$amd5" --argjson v "$vb" --argjson a "$ab" \
    --arg sz "$(md5sum <<< "$vsz" | cut -d' ' -f1)" \
    '{video_md5: $m, video_sizes_md5: $sz, audio_md5: $am, video_bytes: $v, audio_bytes: $a}'
}
for src in "${list[@]}"; do
  in=$(bl_cut "$src" "$seconds" "$cache")
  name=$(basename "$src")
  name=${name%.*}
  work=$out/work/$name
  raw=$work/raw
  rm -rf "$work" && mkdir -p "$raw"
  round=0
  log "$name: warm-up sobre run (settings and sizes come from its report.json)..."
  run_sobre "$work/warmup" || continue
  read_plan "$work/warmup/report.json"
  kf="expr:gte(t,n_forced*$keyint_s)"
  [ ${#ids[@]} -gt 0 ] || { log "$name: sobre made no video rung, skipped"; continue; }
  log "$name: raw inputs for the encoder-alone runs (${ids[*]})..."
  for id in "${ids[@]}"; do
    ff -i "$in" -map 0:v:0 -vf "$(vf "$id")" -f yuv4mpegpipe -pix_fmt yuv420p "$raw/$id.y4m"
  done
  [ "$has_audio" = true ] && ff -i "$in" -map 0:a:0 -ac 1 -ar 48000 -c:a pcm_f32le "$raw/audio.wav"
  for round in $(seq 1 "$rounds"); do
    log "$name: round $round/$rounds: sobre, ffmpeg single, sequence, parallel, encoders alone"
    run_sobre "$work/r$round/sobre"
    run_single "$work/r$round/ffmpeg-single"
    run_many "$work/r$round/ffmpeg-sequence" sequence
    run_many "$work/r$round/ffmpeg-parallel" parallel
    run_limit "$work/r$round/limit"
  done
  log "$name: bytes and SSIM per rung..."
  last=$work/r$rounds
  for id in "${ids[@]}"; do
    jq -cn --arg input "$name" --arg id "$id" --argjson w "${R_W[$id]}" --argjson h "${R_H[$id]}" \
      --argjson sb "$(stat -c %s "$last/sobre/$id.webm")" --argjson fb "$(stat -c %s "$last/ffmpeg-single/$id.webm")" \
      --argjson qb "$(stat -c %s "$last/ffmpeg-sequence/$id.webm")" --argjson pb "$(stat -c %s "$last/ffmpeg-parallel/$id.webm")" \
      --argjson ss "$(quality "$in" "$last/sobre/$id.webm")" --argjson fs "$(quality "$in" "$last/ffmpeg-single/$id.webm")" \
      --argjson sst "$(streams "$last/sobre/$id.webm")" --argjson fst "$(streams "$last/ffmpeg-single/$id.webm")" \
      --argjson qst "$(streams "$last/ffmpeg-sequence/$id.webm")" --argjson pst "$(streams "$last/ffmpeg-parallel/$id.webm")" \
      '{input: $input, rung: $id, width: $w, height: $h, sobre_bytes: $sb, ffmpeg_bytes: $fb,
        ffmpeg_sequence_bytes: $qb, ffmpeg_parallel_bytes: $pb, sobre_ssim_y: $ss, ffmpeg_ssim_y: $fs,
        sobre_streams: $sst, ffmpeg_streams: $fst,
        video_identical: ($sst.video_md5 == $fst.video_md5),
        video_sizes_identical: ($sst.video_sizes_md5 == $fst.video_sizes_md5),
        audio_identical: ($sst.audio_md5 == $fst.audio_md5),
        ffmpeg_ways_identical: ($fst.video_md5 == $qst.video_md5 and $fst.video_md5 == $pst.video_md5)}' >> "$work/rungs.jsonl"
  done
  jq -cn --arg name "$name" --arg file "$in" --slurpfile r "$work/warmup/report.json" \
    --slurpfile rungs "$work/rungs.jsonl" '{name: $name, file: $file,
     width: $r[0].source.video.width, height: $r[0].source.video.height, fps: $r[0].source.video.fps,
     duration_s: $r[0].source.duration_s, audio: ($r[0].source.audio != null), rungs: $rungs}' > "$work/input.json"
  summaries+=("$work/input.json")
  if [ $keep = 0 ]; then rm -rf "$raw" "$work"/r*/ "$work/warmup"; fi
done
fi
[ ${#summaries[@]} -gt 0 ] || { log "no input could be run"; exit 1; }

# ---- machine, medians, targets, report ----------------------------------------------------
cpu_model=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
ram_gb=$(awk '/^MemTotal/ { printf "%.1f", $2 / 1048576 }' /proc/meminfo)
ffv=$(ffmpeg -version | awk 'NR == 1 { print $3 }')
vpxv=$(pkg-config --modversion vpx 2> /dev/null || dpkg-query -W -f '${Version}' 'libvpx[0-9]*' 2> /dev/null | head -1 || echo "?")
opusv=$(pkg-config --modversion opus 2> /dev/null || echo "?")
load=$(cut -d' ' -f1-3 /proc/loadavg)
jq -n --arg date "$(date -u +%Y-%m-%dT%H:%M:%SZ)" --arg cpu "$cpu_model" --argjson cores "$cores" \
  --argjson ram "$ram_gb" --arg ffmpeg "$ffv" --arg vpx "$vpxv" --arg opus "$opusv" --arg load "$load" \
  --arg sobre "$("$sobre" --version 2> /dev/null | head -1 || echo sobre)" --argjson rounds "$rounds" \
  --arg seconds "$seconds" --arg only "$only" \
  --slurpfile runs "$runs" --slurpfile inputs <(cat "${summaries[@]}") '
  def median: sort | if length == 0 then null elif length % 2 == 1 then .[length / 2 | floor]
    else (.[length / 2 - 1] + .[length / 2]) / 2 end;
  def med($k): map(.[$k]) | map(select(. != null)) | median;
  {schema: "sobre.bench/1", date: $date,
   machine: {cpu: $cpu, cores: $cores, ram_gb: $ram, ffmpeg: $ffmpeg, libvpx: $vpx, libopus: $opus,
             loadavg_at_end: $load},
   sobre: $sobre, rounds: $rounds, seconds: (if $seconds == "" then null else ($seconds | tonumber) end),
   rungs: $only, runs: $runs,
   inputs: [$inputs[] | . as $in |
     ($runs | map(select(.input == $in.name))) as $r |
     ([1, ([$cores, ($in.rungs | length)] | min)] | max * 95) as $use_target |
     ([ "sobre", "ffmpeg-single", "ffmpeg-sequence", "ffmpeg-parallel", "limit"] | map(. as $m |
       ($r | map(select(.method == $m))) as $x |
       {key: $m, value: {wall_s: ($x | med("wall_s")), cpu_s: ($x | med("cpu_s")),
         cpu_use: ($x | med("cpu_use")), peak_rss_kb: ($x | med("peak_rss_kb")),
         bytes: ($x | med("bytes")), encode_cpu_use: ($x | med("encode_cpu_use")),
         limit_s: ($x | med("limit_s"))}}) | from_entries) as $m |
     $in + {median: $m,
       ratios: (([ "ffmpeg-single", "ffmpeg-sequence", "ffmpeg-parallel"] | map(. as $k |
         {key: $k, value: {wall: ($m.sobre.wall_s / $m[$k].wall_s), cpu: ($m.sobre.cpu_s / $m[$k].cpu_s),
           peak_rss: ($m.sobre.peak_rss_kb / $m[$k].peak_rss_kb), bytes: ($m.sobre.bytes / $m[$k].bytes)}}) | from_entries)
         + {limit: {wall: ($m.sobre.wall_s / $m.limit.limit_s), cpu: ($m.sobre.cpu_s / $m.limit.cpu_s)}}),
       targets: [
         {what: "wall <= 0.90 x one ffmpeg command", value: ($m.sobre.wall_s / $m["ffmpeg-single"].wall_s), max: 0.90},
         {what: "wall <= 0.92 x ffmpeg per rung in parallel", value: ($m.sobre.wall_s / $m["ffmpeg-parallel"].wall_s), max: 0.92},
         {what: "CPU time <= 0.92 x one ffmpeg command", value: ($m.sobre.cpu_s / $m["ffmpeg-single"].cpu_s), max: 0.92},
         {what: "wall <= 1.05 x the physical limit", value: ($m.sobre.wall_s / $m.limit.limit_s), max: 1.05},
         {what: "CPU use while encoding >= \($use_target) %", value: (100 * $m.sobre.encode_cpu_use), min: $use_target},
         {what: "peak RSS <= one ffmpeg command", value: ($m.sobre.peak_rss_kb / $m["ffmpeg-single"].peak_rss_kb), max: 1.0},
         {what: "bytes within 1 % of ffmpeg (worst rung)", value: ($in.rungs | map((.sobre_bytes / .ffmpeg_bytes - 1) | fabs) | max), max: 0.01},
         {what: "SSIM (Y) within 0.001 of ffmpeg (worst rung)", value: ($in.rungs | map((.sobre_ssim_y - .ffmpeg_ssim_y) | fabs) | max), max: 0.001}
       ] | map(. + {pass: (if .max != null then .value <= .max else .value >= .min end)})}]}' > "$out/bench.json"

# Markdown
jq -r '
  def f($n): if $n == null then "–" elif $n >= 100 then ($n | round | tostring)
    elif $n >= 10 then ($n * 10 | round / 10 | tostring) else ($n * 100 | round / 100 | tostring) end;
  def pct($n): if $n == null then "–" else "\($n * 100 | round) %" end;
  def mb($k): if $k == null then "–" else "\($k / 1024 | round) MB" end;
  def kb($b): if $b == null then "–" elif $b >= 10485760 then "\($b / 1048576 | round) MB" else "\($b / 1024 | round) kB" end;
  def ratio($x): if $x == null then "–" else ($x * 100 | round) as $c |
    "\($c / 100 | floor).\($c % 100 | tostring | if length < 2 then "0" + . else . end)" end;
  "## sobre encode vs the ffmpeg command line",
  "",
  "\(.date[0:10]), \(.machine.cpu), \(.machine.cores) cores, \(.machine.ram_gb) GB RAM; FFmpeg \(.machine.ffmpeg), libvpx \(.machine.libvpx), libopus \(.machine.libopus); \(.sobre). Load average at the end: \(.machine.loadavg_at_end).",
  "Ladder \(.rungs) (presets/ladders/default.yaml, VP9 good/cpu-used 4, 2 threads for the 720p rung, 1 for the others) + Opus mono 32 kbit/s in each file; \(.rounds) interleaved round(s), medians\(if .seconds then "; inputs cut to \(.seconds) s" else "" end). sobre ÷ this = sobre'"'"'s median divided by the row'"'"'s median (below 1: sobre is better).",
  "",
  (.inputs[] | . as $i |
    "### \(.name) (\(.width)x\(.height), \(f(.fps)) fps, \(f(.duration_s)) s\(if .audio then "" else ", no audio" end))",
    "",
    "| how | wall | CPU (user+sys) | CPU use | peak RSS | output | sobre ÷ this: wall / CPU / RSS |",
    "|---|---:|---:|---:|---:|---:|---|",
    ([["sobre", "`sobre encode`"], ["ffmpeg-single", "one `ffmpeg`, split, all outputs"],
      ["ffmpeg-sequence", "one `ffmpeg` per rung, in sequence"], ["ffmpeg-parallel", "one `ffmpeg` per rung, in parallel"]][] |
      . as [$k, $lbl] | $i.median[$k] as $m | $i.ratios[$k] as $r |
      "| \($lbl) | \(f($m.wall_s)) s | \(f($m.cpu_s)) s | \(pct($m.cpu_use)) | \(mb($m.peak_rss_kb)) | \(kb($m.bytes)) | \(if $r then "\(ratio($r.wall)) / \(ratio($r.cpu)) / \(ratio($r.peak_rss))" else "" end) |"),
    "| encoders alone on raw input (the limit) | \(f($i.median.limit.limit_s)) s | \(f($i.median.limit.cpu_s)) s | | | | \(ratio($i.ratios.limit.wall)) / \(ratio($i.ratios.limit.cpu)) / – |",
    "",
    "| rung | size | bytes sobre | bytes ffmpeg | Δ bytes (video / audio) | same VP9 / Opus packets | SSIM (Y) sobre | SSIM (Y) ffmpeg |",
    "|---|---|---:|---:|---:|---|---:|---:|",
    (.rungs[] | "| \(.rung) | \(.width)x\(.height) | \(.sobre_bytes) | \(.ffmpeg_bytes) | \((.sobre_bytes / .ffmpeg_bytes - 1) * 1000 | round / 10) % (\(.sobre_streams.video_bytes - .ffmpeg_streams.video_bytes) B / \(.sobre_streams.audio_bytes - .ffmpeg_streams.audio_bytes) B) | \(if .video_identical then "yes" elif .video_sizes_identical then "same sizes¹" else "no" end) / \(if .audio_identical then "yes" else "no" end) | \(.sobre_ssim_y * 10000 | round / 10000) | \(.ffmpeg_ssim_y * 10000 | round / 10000) |"),
    "",
    (if any(.rungs[]; .video_identical | not) and all(.rungs[]; .video_sizes_identical) then
      "¹ every VP9 packet has the same size but header bits differ: ffmpeg takes the colour space from the decoded frames (e.g. the VP8 decoder marks them BT.601), sobre from the stream parameters (unspecified).\n" else empty end),
    "| target | measured | |",
    "|---|---:|---|",
    (.targets[] | "| \(.what) | \(if (.what | test("SSIM")) then (.value * 10000 | round / 10000 | tostring) elif (.what | test("CPU use")) then "\(.value | round) %" elif (.what | test("bytes")) then "\(.value * 1000 | round / 10) %" else ratio(.value) end) | \(if .pass then "pass" else "**miss**" end) |"),
    "")' "$out/bench.json" > "$out/bench.md"

if [ $profile = 1 ]; then
  "$here/bench-profile.sh" --out "$out/profile" --sobre "$sobre" > /dev/null &&
    { echo; cat "$out/profile/profile.md"; } >> "$out/bench.md"
fi
cat "$out/bench.md"
log "wrote $out/bench.md and $out/bench.json"
