#!/usr/bin/env bash
# The benchmark: `sobre encode` against the ffmpeg command line with exactly sobre's
# encoder settings, interleaved round by round; medians, ratios, pass/miss against the
# targets (issues 7 and 17). Two ladders per input:
#  - the command people run, `sobre encode IN -o DIR` (five renditions, quality measured,
#    every output verified), against one ffmpeg making the same five files (ways A0-B0);
#  - the stripped VP9 ladder against one ffmpeg with split, one ffmpeg per rung in
#    sequence and in parallel, and the physical limits (ways A-E2).
# --duration instead encodes a 1-minute and a 10-minute cut of one 1080p master and
# compares their cost per minute. Writes OUT/bench.md and OUT/bench.json.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/bench-lib.sh"

usage() {
  cat <<'EOF'
Usage: scripts/bench.sh [options]

Encodes each input with `sobre encode` and with the ffmpeg command line using exactly
sobre's settings (taken from sobre's report.json: sizes, frame rate, crf, cap, keyframe
interval, threads; libvpx-vp9 good, cpu-used 4, row-mt 1, tile-columns 0, lag-in-frames 0,
auto-alt-ref 0; libx264 fast, forced IDR, maxrate/bufsize from the cap, the x264-params
sobre recorded (no scenecut; its AVX2 code on an AVX-512 CPU);
bicubic scaling; Opus mono 32 kbit/s 20 ms in the WebM files, 60 ms in the audio-only
file; AAC mono 48 kbit/s in the MP4), in interleaved rounds (each way once per round):

 the default ladder (presets/ladders/default.yaml: audio, vp9-360p, vp9-480p, vp9-720p,
 h264-480p; smaller sources get fewer rungs):
  A0  sobre encode IN -o DIR -q                      (the command people run)
  A1  sobre encode IN -o DIR -q --quality off        (what measuring quality costs)
  A2  sobre encode IN -o DIR -q --no-verify          (what verifying costs)
  A3  sobre encode IN -o DIR -q --loudness off       (what normalising loudness costs)
  B0  one ffmpeg making the same five files (no loudness normalisation: it does less
      than A0, which measures the input and sets every audio output to -16 LUFS)
 the stripped VP9 ladder (--only):
  A   sobre encode -q --no-verify --quality off --loudness off --only vp9-360p,vp9-480p,vp9-720p
  B   one ffmpeg, split filter, every output
  C   one ffmpeg per rung, one after another
  D   one ffmpeg per rung, all at once
  E   the physical limit: each rung's encoder alone on pre-scaled y4m (and Opus alone on
      pre-resampled audio), all at once; limit = max(sum of their CPU / cores, the
      largest single encoder's CPU / its threads)
  E2  decoding the input (one thread, as sobre) and scaling it to every rung, nothing
      encoded: the work the limit leaves out; second limit = max((encoders' CPU + this
      CPU) / cores, the largest encoder's CPU / its threads)
Reports medians of wall time, CPU time (user+sys), CPU use, peak RSS (summed over
processes when they run at once), output bytes, the ratios sobre / each, the packets'
identity with ffmpeg's and pass/miss for the targets.

Options:
  --rounds N     rounds (default 3; at least 3 for numbers worth quoting)
  --inputs SET   sample (built-in 30 s 720p sample), media (the clips of $SOBRE_MEDIA,
                 default ../shared/media), 1080p (Big Buck Bunny scaled to 1920x1080),
                 all (default), or a comma-separated list of those
  --ways LIST    which ways run (default all: A0,A1,A2,A3,B0,A,B,C,D,E,E2)
  --seconds S    cut every input to its first S seconds (quick runs)
  --out DIR      output folder (default bench-out)
  --profile      also run scripts/bench-profile.sh (callgrind, 2 s) and add its table
  --only IDS     the stripped ladder's VP9 rungs (default vp9-360p,vp9-480p,vp9-720p)
  --keep         keep the encoded files and the raw y4m inputs
  --report-only  only rebuild bench.md and bench.json from the runs already in --out
  --sobre PATH   the sobre binary (default $SOBRE, else build/tools/sobre)
  --baseline PATH  another sobre binary (an older tree's build) run in the same rounds:
                 Z0 = PATH encode IN -o DIR -q (its defaults), Z = PATH encode with
                 the stripped options A uses (less --loudness off, which an older sobre
                 may not know); sobre ÷ baseline for A0/Z0 and A/Z: a regression check
 growth with duration (instead of the inputs above):
  --duration     `sobre encode IN -o DIR -q` (A0) on cuts of one 1080p master, rounds
                 interleaved: CPU per minute, peak RSS, quality.json and report.json
                 sizes, against the shortest cut. The master: 60 s made once from the
                 shared clips (Big Buck Bunny, then 30 s of Tears of Steel from 20 s, both
                 fitted into 1920x1080 at 24 fps, x264 crf 12, AAC 192k), repeated by
                 stream copy, so that every minute holds the same pictures
  --duration-cuts LIST   cut lengths in seconds (default 60,600)
  --duration-master FILE use FILE instead (repeated by stream copy when shorter)
  -h, --help     this help

Derived inputs (the cut copies, the 1080p masters, the sample) are made once in
$SOBRE_BENCH_CACHE (default ~/.cache/sobre-bench), never in the repository.
Needs ffmpeg, jq, GNU time (/usr/bin/time): scripts/deps/bench.apt.
EOF
}

all_ways=A0,A1,A2,A3,B0,A,B,C,D,E,E2
rounds=3 inputs=all seconds="" out=bench-out profile=0 keep=0 report_only=0 ways=$all_ways
baseline=""
only=vp9-360p,vp9-480p,vp9-720p duration=0 cuts=60,600 dmaster=""
while [ $# -gt 0 ]; do
  case $1 in
    --rounds) rounds=${2:?}; shift 2 ;;
    --inputs) inputs=${2:?}; shift 2 ;;
    --ways) ways=${2:?}; shift 2 ;;
    --seconds) seconds=${2:?}; shift 2 ;;
    --out) out=${2:?}; shift 2 ;;
    --profile) profile=1; shift ;;
    --keep) keep=1; shift ;;
    --only) only=${2:?}; shift 2 ;;
    --report-only) report_only=1; shift ;;
    --sobre) SOBRE=${2:?}; shift 2 ;;
    --baseline) baseline=${2:?}; shift 2 ;;
    --duration) duration=1; shift ;;
    --duration-cuts) cuts=${2:?}; shift 2 ;;
    --duration-master) dmaster=${2:?}; shift 2 ;;
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
for w in ${ways//,/ }; do
  [[ ",$all_ways," == *,$w,* ]] || { echo "bench: --ways: unknown way '$w' ($all_ways)" >&2; exit 2; }
done
for c in ${cuts//,/ }; do
  case $c in '' | *[!0-9]* | 0) echo "bench: --duration-cuts wants whole seconds, not '$c'" >&2; exit 2 ;; esac
done
[ -z "$dmaster" ] || [ -r "$dmaster" ] || { echo "bench: --duration-master: cannot read '$dmaster'" >&2; exit 2; }
if [ -n "$baseline" ]; then
  [ -x "$baseline" ] || { echo "bench: --baseline: '$baseline' is not an executable" >&2; exit 2; }
  baseline=$(realpath "$baseline")
  [[ ",$ways," == *,A0,* ]] && ways+=,Z0
  [[ ",$ways," == *,A,* ]] && ways+=,Z
fi
way() { [[ ",$ways," == *,$1,* ]]; }
bl_need ffmpeg ffprobe jq || exit 77
sobre=$(bl_sobre) || exit 1
mkdir -p "$out"
out=$(cd "$out" && pwd)
cache=$(bl_cache_dir)
media=${SOBRE_MEDIA:-$bl_root/../shared/media}
cores=$(nproc)
runs=$out/runs.jsonl
log() { printf 'bench: %s\n' "$*" >&2; }
ff() { ffmpeg -nostdin -v error -y "$@"; }

# ---- recording one run ----------------------------------------------------------------
# record METHOD DIR WALL USER SYS RSS_KB [EXTRA_JSON]; round 0 (warm-up) is not kept
record() {
  local bytes extra=${7:-}
  [ "$round" != 0 ] || return 0
  [ -n "$extra" ] || extra='{}'
  bytes=$(find "$2" -maxdepth 1 \( -name '*.webm' -o -name '*.mp4' \) -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }')
  jq -cn --arg input "$name" --argjson round "$round" --arg method "$1" --argjson wall "$3" \
    --argjson user "$4" --argjson sys "$5" --argjson rss "$6" --argjson bytes "$bytes" \
    --argjson extra "$extra" '{input: $input, round: $round, method: $method, wall_s: $wall,
     user_s: $user, sys_s: $sys, cpu_s: ($user + $sys), cpu_use: (($user + $sys) / $wall),
     peak_rss_kb: $rss, bytes: $bytes} + $extra' >> "$runs"
}
# What sobre's own report says about a run: CPU use while encoding, the measurement's and
# the decode check's CPU, each rendition thread's wall time, the side files' sizes.
sobre_extra() { # DIR
  jq -c --argjson q "$(stat -c %s "$1/quality.json" 2> /dev/null || echo null)" \
    --argjson r "$(stat -c %s "$1/report.json")" '{encode_wall_s: .encode.wall_s,
     encode_cpu_s: .encode.cpu_s, encode_cpu_use: (.encode.cpu_s / .encode.wall_s),
     quality_cpu_s: ([.renditions[] | .quality.cpu_s // empty] | add),
     check_cpu_s: ([.renditions[] | .quality.decode_cpu_s // empty] | add),
     rung_wall_s: ([.renditions[] | select(.kind == "video") | {key: .id, value: .wall_s}] | from_entries),
     frames: ([.renditions[] | .quality.own.frames // empty] | add),
     duration_s: .source.duration_s, quality_json_bytes: $q, report_json_bytes: $r}' "$1/report.json"
}
# run_sobre METHOD DIR [OPTIONS...]: one sobre encode, recorded
run_sobre() {
  local m=$1 d=$2
  shift 2
  rm -rf "$d" && mkdir -p "$(dirname "$d")"
  bl_time "$d.time" "${bin:-$sobre}" encode "$in" -o "$d" -q "$@" ||
    { log "sobre failed on $name: $(cat "$d.time.err")"; return 1; }
  read -r w u s m_ < "$d.time"
  record "$m" "$d" "$w" "$u" "$s" "$m_" "$(sobre_extra "$d")"
}
stripped_opts() { echo "--no-verify --quality off --loudness off --only $only"; }

# ---- duration: cuts of one master --------------------------------------------------------
make_duration_master() { # prints a master at least as long as the longest cut
  local piece=$cache/duration_piece_1920x1080_60s.mp4 long=0 n o c
  for c in ${cuts//,/ }; do [ "$c" -gt "$long" ] && long=$c; done
  if [ -n "$dmaster" ]; then
    piece=$dmaster
  elif [ ! -s "$piece" ]; then
    [ -r "$media/bbb_1280x720_30s_moviepy.webm" ] && [ -r "$media/tos_battle_800x332_70s_mdn.webm" ] ||
      { log "the duration master needs bbb_1280x720_30s_moviepy.webm and tos_battle_800x332_70s_mdn.webm in $media"; return 1; }
    log "making the 60 s 1080p duration piece $piece (once)..."
    local fit="scale=1920:1080:force_original_aspect_ratio=decrease:flags=lanczos,pad=1920:1080:(ow-iw)/2:(oh-ih)/2,setsar=1,fps=24,format=yuv420p"
    local aud="aresample=48000,aformat=sample_fmts=fltp:channel_layouts=stereo"
    ff -i "$media/bbb_1280x720_30s_moviepy.webm" -ss 20 -t 30 -i "$media/tos_battle_800x332_70s_mdn.webm" \
      -filter_complex "[0:v]$fit[v0];[1:v]$fit[v1];[0:a]$aud[a0];[1:a]$aud[a1];[v0][a0][v1][a1]concat=n=2:v=1:a=1[v][a]" \
      -map '[v]' -map '[a]' -t 60 -c:v libx264 -preset medium -crf 12 -c:a aac -b:a 192k \
      -movflags +faststart "$piece.tmp.mp4" && mv "$piece.tmp.mp4" "$piece"
  fi
  n=$(awk -v l="$long" -v d="$(ffprobe -v error -show_entries format=duration -of csv=p=0 "$piece")" \
    'BEGIN { n = int(l / d); if (n * d < l) n++; print (n < 1 ? 1 : n) }')
  o=$cache/duration-$(basename "${piece%.*}")-x$n.mp4
  if [ "$n" = 1 ]; then echo "$piece"; return; fi
  if [ ! -s "$o" ]; then
    log "repeating it $n times by stream copy: $o (once)..."
    for _ in $(seq "$n"); do printf "file '%s'\n" "$piece"; done > "$o.txt"
    ff -f concat -safe 0 -i "$o.txt" -map 0 -c copy -movflags +faststart "$o.tmp.mp4" && mv "$o.tmp.mp4" "$o"
    rm -f "$o.txt"
  fi
  echo "$o"
}

# ---- inputs -------------------------------------------------------------------------
summaries=()
if [ $report_only = 1 ]; then
  for f in "$out"/work/*/input.json; do [ -s "$f" ] && summaries+=("$f"); done
  [ -s "$runs" ] || { log "$out: no runs.jsonl to report on"; exit 1; }
  rounds=$(jq -s 'map(.round) | max' "$runs")
  [ -s "$out/duration.json" ] && duration=1
elif [ $duration = 1 ]; then
  : > "$runs"
  master=$(make_duration_master) || exit 1
  dlist=()
  for c in ${cuts//,/ }; do dlist+=("$c"); done
  for round in $(seq 1 "$rounds"); do
    for c in "${dlist[@]}"; do
      in=$(bl_cut "$master" "$c" "$cache")
      name=duration-${c}s
      log "$name: round $round/$rounds: sobre encode (default)..."
      run_sobre sobre-default "$out/work/$name/r$round"
      [ $keep = 1 ] || rm -rf "$out/work/$name/r$round"
    done
  done
  jq -n --arg master "$master" --argjson cuts "$(printf '%s\n' "${dlist[@]}" | jq -s .)" \
    '{master: $master, cuts: $cuts}' > "$out/duration.json"
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
    ff -i "$src" -vf scale=1920:1080:flags=lanczos -c:v libx264 \
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
# Globals for the current input: in, work, has_audio, ids[] (the stripped ladder's VP9
# rungs), all_ids[] and files[] (the default ladder's outputs), and per rung: w h fps crf
# kbps g threads codec. Opus as sobre makes it (lib/src/pipeline/aenc.c): mono 48 kHz
# 32 kbit/s VBR, fed s16 samples (libopus's first format in FFmpeg, which sobre picks;
# ffmpeg would pick flt and make a slightly different stream); 20 ms frames in the video
# files ("speech"), 60 ms in the audio-only file ("listen"). AAC as sobre makes it: the
# native encoder, mono 48 kHz 48 kbit/s. x264 "fast" is the default ladder's speed 5.
aopts=(-c:a libopus -b:a 32k -ac 1 -ar 48000 -frame_duration 20 -application audio -vbr on -sample_fmt s16)
listen=(-c:a libopus -b:a 32k -ac 1 -ar 48000 -frame_duration 60 -application audio -vbr on -sample_fmt s16)
aac=(-c:a aac -b:a 48k -ac 1 -ar 48000)
declare -A R_W R_H R_FPS R_CRF R_KBPS R_G R_T R_CODEC R_KIND R_FILE R_XP
# the default ladder's threads per rung (the stripped ladder's plan may give a rung more:
# its heaviest rung is another one); B0 uses these, the stripped ways R_T
declare -A D_T
read_plan() { # REPORT: sets the per-rung settings of every rendition it lists
  local rep=$1 id
  has_audio=$(jq -r '[.renditions[] | .audio != null] | any' "$rep")
  src_fps=$(jq -r '.source.video.fps // 0' "$rep")
  keyint_s=$(jq -r '[.renditions[] | select(.kind == "video") | .video.keyint_s][0] // 4' "$rep")
  while read -r id kind file codec w h fps crf kbps g t xp; do
    R_KIND[$id]=$kind R_FILE[$id]=$file R_CODEC[$id]=$codec R_W[$id]=$w R_H[$id]=$h
    R_FPS[$id]=$fps R_CRF[$id]=$crf R_KBPS[$id]=$kbps R_G[$id]=$g R_T[$id]=$t R_XP[$id]=$xp
  done < <(jq -r '.renditions[] | [.id, .kind, .file, (.video.codec // "-"), (.video.width // 0),
    (.video.height // 0), (.video.fps // 0), (.video.crf // 0), (.video.max_kbps // 0),
    (.video.keyint_frames // 0), (.video.threads // 1),
    (.video.x264_params // "scenecut=0")] | map(tostring) | join(" ")' "$rep")
}
# vf ID: sobre's picture path: constant rate (the rung's cap when the source is faster,
# else the source's own rate, FFmpeg's guess as in sobre's probe), bicubic scale to the
# planned size, square pixels, yuv420p. The rate is the fps filter's, not the CLI's
# -fps_mode cfr: a timestamp gap (a stream-copied cut whose last B-frames were dropped,
# variable-rate footage) is filled with the picture before it, as sobre and the fps
# filter do, where -fps_mode cfr starts the next picture up to 0.6 frame early.
vf() {
  local id=$1 f="fps=source_fps,"
  awk -v a="$src_fps" -v b="${R_FPS[$id]}" 'BEGIN { exit !(a > b + 0.01) }' && f="fps=${R_FPS[$id]},"
  echo "${f}scale=${R_W[$id]}:${R_H[$id]}:flags=bicubic,setsar=1,format=yuv420p"
}
# vopts ID [LADDER]: sobre's video encoder settings (lib/src/pipeline/vrend.c): g = keyint_min = the
# keyframe interval in frames, keyframes forced every keyint_s seconds on the time grid,
# constant-rate output (made by vf's fps filter, which fills gaps as sobre does); no tags copied
# from the input (sobre copies none). LADDER "default": the default ladder's threads (B0).
vopts() {
  local id=$1 t=${R_T[$1]}
  [ "${2:-}" = default ] && t=${D_T[$id]:-$t}
  echo "-map_metadata -1 -fps_mode cfr"
  if [ "${R_CODEC[$id]}" = h264 ]; then
    # the x264-params sobre used, from its report: scenecut=0, and on a CPU with x264's
    # AVX-512 set its AVX2 code instead (docs/bench.md "H.264 determinism")
    echo "-c:v libx264 -preset fast -crf ${R_CRF[$id]} -forced-idr 1 -x264-params ${R_XP[$id]}"
    [ "${R_KBPS[$id]}" -gt 0 ] && echo "-maxrate ${R_KBPS[$id]}k -bufsize $((R_KBPS[$id] * 2))k"
  else
    echo "-c:v libvpx-vp9 -deadline good -cpu-used 4 -row-mt 1 -tile-columns 0 -lag-in-frames 0" \
      "-auto-alt-ref 0 -crf ${R_CRF[$id]} -b:v ${R_KBPS[$id]}k"
  fi
  echo "-threads $t -g ${R_G[$id]} -keyint_min ${R_G[$id]}"
}
# amap ID: the audio a rung's file carries, as sobre encodes it
amap() {
  if [ "$has_audio" != true ]; then echo "-an"
  elif [ "${R_CODEC[$1]}" = h264 ]; then echo "-map 0:a:0 ${aac[*]}"
  else echo "-map 0:a:0 ${aopts[*]}"; fi
}
mflags() { case ${R_FILE[$1]} in *.mp4) echo "-movflags +faststart" ;; esac; }

# ---- the ways ------------------------------------------------------------------------------
# Each writes its files into $1 and records one run.
run_default_ffmpeg() { # B0: one ffmpeg, the default ladder's files
  local d=$1 fc="" i=0 id args=() vids=()
  rm -rf "$d" && mkdir -p "$d"
  for id in "${all_ids[@]}"; do [ "${R_KIND[$id]}" = video ] && vids+=("$id"); done
  fc="[0:v]split=${#vids[@]}$(for i in "${!vids[@]}"; do printf '[s%d]' "$i"; done)"
  for i in "${!vids[@]}"; do
    id=${vids[$i]}
    fc+=";[s$i]$(vf "$id")[v$i]"
    # shellcheck disable=SC2046
    args+=(-map "[v$i]" $(vopts "$id" default) -force_key_frames "$kf" $(amap "$id") $(mflags "$id") "$d/${R_FILE[$id]}")
  done
  for id in "${all_ids[@]}"; do
    [ "${R_KIND[$id]}" = audio ] && args+=(-map 0:a:0 -vn -map_metadata -1 "${listen[@]}" "$d/${R_FILE[$id]}")
  done
  bl_time "$d.time" ffmpeg -nostdin -v error -y -i "$in" -filter_complex "$fc" "${args[@]}" ||
    { log "ffmpeg (default ladder) failed on $name: $(cat "$d.time.err")"; return 1; }
  read -r w u s m < "$d.time"
  record ffmpeg-default "$d" "$w" "$u" "$s" "$m"
}
run_single() { # B
  local d=$1 fc="" i=0 id args=()
  rm -rf "$d" && mkdir -p "$d"
  fc="[0:v]split=${#ids[@]}$(for i in "${!ids[@]}"; do printf '[s%d]' "$i"; done)"
  for i in "${!ids[@]}"; do
    id=${ids[$i]}
    fc+=";[s$i]$(vf "$id")[v$i]"
    # shellcheck disable=SC2046
    args+=(-map "[v$i]" $(vopts "$id") -force_key_frames "$kf" $(amap "$id") "$d/$id.webm")
  done
  bl_time "$d.time" ffmpeg -nostdin -v error -y -i "$in" -filter_complex "$fc" "${args[@]}" ||
    { log "ffmpeg (single) failed on $name: $(cat "$d.time.err")"; return 1; }
  read -r w u s m < "$d.time"
  record ffmpeg-single "$d" "$w" "$u" "$s" "$m"
}
one_rung() { # DIR ID: one ffmpeg for one rung
  # shellcheck disable=SC2046
  bl_time "$1/$2.time" ffmpeg -nostdin -v error -y -i "$in" -map 0:v:0 -vf "$(vf "$2")" \
    $(vopts "$2") -force_key_frames "$kf" $(amap "$2") "$1/$2.webm"
}
run_many() { # DIR parallel|sequence (C, D)
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
run_limit() { # E
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
       encoder_max_s: (map(.cpu / ([.threads, $cores] | min)) | max),
       limit_s: ([(map(.cpu) | add) / $cores, (map(.cpu / ([.threads, $cores] | min)) | max)] | max)}')
  record limit "$d" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')" "$u" "$s" "$rsum" "$extra"
}
run_decode_scale() { # E2: decode once with one thread (as sobre) and scale to every rung
  local d=$1 fc i args=()
  rm -rf "$d" && mkdir -p "$d"
  fc="[0:v]split=${#ids[@]}$(for i in "${!ids[@]}"; do printf '[s%d]' "$i"; done)"
  for i in "${!ids[@]}"; do
    fc+=";[s$i]$(vf "${ids[$i]}")[v$i]"
    args+=(-map "[v$i]" -f null -)
  done
  bl_time "$d.time" ffmpeg -nostdin -v error -threads 1 -filter_threads 1 -i "$in" -filter_complex "$fc" "${args[@]}" ||
    { log "decode and scale failed on $name: $(cat "$d.time.err")"; return 1; }
  read -r w u s m < "$d.time"
  record decode-scale "$d" "$w" "$u" "$s" "$m"
}

# ---- comparisons after the rounds -----------------------------------------------------------
quality() { # REF DIST: SSIM (Y) mean
  "$sobre" quality "$1" "$2" --json -q | jq '.ssim_y.mean'
}
# streams FILE: MD5 and bytes of the video and audio packet payloads
streams() {
  local vmd5="" amd5 vb=0 ab vsz=""
  if [ -n "$(ffprobe -v error -select_streams v:0 -show_entries stream=index -of csv=p=0 "$1")" ]; then
    vmd5=$(ffmpeg -nostdin -v error -i "$1" -map 0:v:0 -c copy -f md5 - | sed 's/^MD5=//')
    vsz=$(ffprobe -v error -select_streams v:0 -show_entries packet=size -of csv=p=0 "$1")
    vb=$(awk '{ s += $1 } END { print s + 0 }' <<< "$vsz")
  fi
  amd5=$(ffmpeg -nostdin -v error -i "$1" -map '0:a:0?' -vn -c copy -f md5 - 2> /dev/null | sed 's/^MD5=//' || true)
  ab=$(ffprobe -v error -select_streams a:0 -show_entries packet=size -of csv=p=0 "$1" | awk '{ s += $1 } END { print s + 0 }')
  jq -cn --arg m "$vmd5" --arg am "$amd5" --argjson v "$vb" --argjson a "$ab" \
    --arg sz "$(md5sum <<< "$vsz" | cut -d' ' -f1)" \
    '{video_md5: $m, video_sizes_md5: $sz, audio_md5: $am, video_bytes: $v, audio_bytes: $a}'
}
compare_stripped() { # the VP9 rungs of the last round: bytes, packets, SSIM
  local last=$1 id
  for id in "${ids[@]}"; do
    jq -cn --arg input "$name" --arg id "$id" --argjson w "${R_W[$id]}" --argjson h "${R_H[$id]}" \
      --argjson sb "$(stat -c %s "$last/sobre/$id.webm")" --argjson fb "$(stat -c %s "$last/ffmpeg-single/$id.webm")" \
      --argjson qb "$(stat -c %s "$last/ffmpeg-sequence/$id.webm" 2> /dev/null || echo null)" \
      --argjson pb "$(stat -c %s "$last/ffmpeg-parallel/$id.webm" 2> /dev/null || echo null)" \
      --argjson ss "$(quality "$in" "$last/sobre/$id.webm")" --argjson fs "$(quality "$in" "$last/ffmpeg-single/$id.webm")" \
      --argjson sst "$(streams "$last/sobre/$id.webm")" --argjson fst "$(streams "$last/ffmpeg-single/$id.webm")" \
      --argjson qst "$([ -s "$last/ffmpeg-sequence/$id.webm" ] && streams "$last/ffmpeg-sequence/$id.webm" || echo null)" \
      --argjson pst "$([ -s "$last/ffmpeg-parallel/$id.webm" ] && streams "$last/ffmpeg-parallel/$id.webm" || echo null)" \
      '{input: $input, rung: $id, width: $w, height: $h, sobre_bytes: $sb, ffmpeg_bytes: $fb,
        ffmpeg_sequence_bytes: $qb, ffmpeg_parallel_bytes: $pb, sobre_ssim_y: $ss, ffmpeg_ssim_y: $fs,
        sobre_streams: $sst, ffmpeg_streams: $fst,
        video_identical: ($sst.video_md5 == $fst.video_md5),
        video_sizes_identical: ($sst.video_sizes_md5 == $fst.video_sizes_md5),
        audio_identical: ($sst.audio_md5 == $fst.audio_md5),
        ffmpeg_ways_identical: ([$qst, $pst] | map(select(. != null)) | all(.video_md5 == $fst.video_md5))}' >> "$work/rungs.jsonl"
  done
}
# compare_default LAST: every output of the default ladder, last round: bytes and packets.
# ffmpeg (B0) does not normalise loudness, so the like-for-like files are A3's
# (--loudness off) when it ran, else A0's.
compare_default() {
  local last=$1 id f s=sobre-default
  [ -d "$last/sobre-noloud" ] && s=sobre-noloud
  for id in "${all_ids[@]}"; do
    f=${R_FILE[$id]}
    jq -cn --arg input "$name" --arg id "$id" --arg file "$f" --arg sm "$s" \
      --argjson sb "$(stat -c %s "$last/$s/$f")" --argjson fb "$(stat -c %s "$last/ffmpeg-default/$f")" \
      --argjson sst "$(streams "$last/$s/$f")" --argjson fst "$(streams "$last/ffmpeg-default/$f")" \
      '{input: $input, rung: $id, file: $file, sobre_method: $sm, sobre_bytes: $sb, ffmpeg_bytes: $fb,
        sobre_streams: $sst, ffmpeg_streams: $fst,
        video_identical: ($sst.video_md5 == $fst.video_md5),
        video_sizes_identical: ($sst.video_sizes_md5 == $fst.video_sizes_md5),
        audio_identical: ($sst.audio_md5 == $fst.audio_md5)}' >> "$work/outputs.jsonl"
  done
}

# ---- per input ---------------------------------------------------------------------------
stripped_ways=$(for w in A B C D E E2 Z; do if way $w; then echo $w; fi; done | tr '\n' ' ')
default_ways=$(for w in A0 A1 A2 A3 B0 Z0; do if way $w; then echo $w; fi; done | tr '\n' ' ')
for src in "${list[@]}"; do
  in=$(bl_cut "$src" "$seconds" "$cache")
  name=$(basename "$src")
  name=${name%.*}
  work=$out/work/$name
  raw=$work/raw
  rm -rf "$work" && mkdir -p "$raw"
  round=0 ids=() all_ids=()
  # warm-ups (not counted): the plans come from sobre's report.json, so both sides always
  # make the same rungs at the same sizes with the same settings
  if [ -n "$default_ways" ]; then
    log "$name: warm-up sobre run, default ladder..."
    # shellcheck disable=SC2046
    run_sobre sobre-default "$work/warmup-default" --no-verify --quality off || continue
    read_plan "$work/warmup-default/report.json"
    mapfile -t all_ids < <(jq -r '.renditions[].id' "$work/warmup-default/report.json")
    for id in "${all_ids[@]}"; do D_T[$id]=${R_T[$id]}; done
  fi
  if [ -n "$stripped_ways" ]; then
    log "$name: warm-up sobre run, stripped ladder..."
    # shellcheck disable=SC2046
    run_sobre sobre "$work/warmup" $(stripped_opts) || continue
    read_plan "$work/warmup/report.json"
    mapfile -t ids < <(jq -r '.renditions[] | select(.kind == "video") | .id' "$work/warmup/report.json")
    [ ${#ids[@]} -gt 0 ] || { log "$name: sobre made no video rung, skipped"; continue; }
  fi
  kf="expr:gte(t,n_forced*$keyint_s)"
  if way E; then
    log "$name: raw inputs for the encoder-alone runs (${ids[*]})..."
    for id in "${ids[@]}"; do
      ff -i "$in" -map 0:v:0 -vf "$(vf "$id")" -f yuv4mpegpipe -pix_fmt yuv420p "$raw/$id.y4m"
    done
    [ "$has_audio" = true ] && ff -i "$in" -map 0:a:0 -ac 1 -ar 48000 -c:a pcm_f32le "$raw/audio.wav"
  fi
  for round in $(seq 1 "$rounds"); do
    log "$name: round $round/$rounds: ${default_ways}${stripped_ways}"
    r=$work/r$round
    # shellcheck disable=SC2046
    for w in ${ways//,/ }; do
      case $w in
        A0) run_sobre sobre-default "$r/sobre-default" ;;
        A1) run_sobre sobre-noquality "$r/sobre-noquality" --quality off ;;
        A2) run_sobre sobre-noverify "$r/sobre-noverify" --no-verify ;;
        A3) run_sobre sobre-noloud "$r/sobre-noloud" --loudness off ;;
        Z0) bin=$baseline run_sobre baseline-default "$r/baseline-default" ;;
        Z) bin=$baseline run_sobre baseline "$r/baseline" $(stripped_opts | sed 's/ --loudness off//') ;;
        B0) run_default_ffmpeg "$r/ffmpeg-default" ;;
        A) run_sobre sobre "$r/sobre" $(stripped_opts) ;;
        B) run_single "$r/ffmpeg-single" ;;
        C) run_many "$r/ffmpeg-sequence" sequence ;;
        D) run_many "$r/ffmpeg-parallel" parallel ;;
        E) run_limit "$r/limit" ;;
        E2) run_decode_scale "$r/decode-scale" ;;
      esac
    done
  done
  log "$name: bytes and packets per output..."
  : > "$work/rungs.jsonl"
  : > "$work/outputs.jsonl"
  if way A && way B; then compare_stripped "$work/r$rounds"; fi
  if { way A0 || way A3; } && way B0; then compare_default "$work/r$rounds"; fi
  rep=$work/warmup-default/report.json
  [ -s "$rep" ] || rep=$work/warmup/report.json
  jq -cn --arg name "$name" --arg file "$in" --slurpfile r "$rep" \
    --slurpfile rungs "$work/rungs.jsonl" --slurpfile outs "$work/outputs.jsonl" '{name: $name, file: $file,
     width: $r[0].source.video.width, height: $r[0].source.video.height, fps: $r[0].source.video.fps,
     duration_s: $r[0].source.duration_s, audio: ($r[0].source.audio != null), rungs: $rungs,
     outputs: $outs}' > "$work/input.json"
  summaries+=("$work/input.json")
  if [ $keep = 0 ]; then rm -rf "$raw" "$work"/r*/ "$work/warmup" "$work/warmup-default"; fi
done
fi
[ ${#summaries[@]} -gt 0 ] || [ $duration = 1 ] || { log "no input could be run"; exit 1; }

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
  --arg seconds "$seconds" --arg only "$only" --argjson isdur "$duration" \
  --slurpfile dur <([ -s "$out/duration.json" ] && [ "$duration" = 1 ] && cat "$out/duration.json" || echo null) \
  --slurpfile runs "$runs" --slurpfile inputs <(cat "${summaries[@]}" /dev/null) '
  def median: sort | if length == 0 then null elif length % 2 == 1 then .[length / 2 | floor]
    else (.[length / 2 - 1] + .[length / 2]) / 2 end;
  def med($k): map(.[$k]) | map(select(. != null)) | median;
  def div($a; $b): if $a == null or $b == null or $b == 0 then null else $a / $b end;
  def stats: {wall_s: med("wall_s"), cpu_s: med("cpu_s"), cpu_use: med("cpu_use"),
    peak_rss_kb: med("peak_rss_kb"), bytes: med("bytes"), encode_cpu_s: med("encode_cpu_s"),
    encode_cpu_use: med("encode_cpu_use"), quality_cpu_s: med("quality_cpu_s"),
    check_cpu_s: med("check_cpu_s"), limit_s: med("limit_s"), encoder_max_s: med("encoder_max_s"),
    encoders_cpu_s: med("encoders_cpu_s_sum"), frames: med("frames"), duration_s: med("duration_s"),
    quality_json_bytes: med("quality_json_bytes"), report_json_bytes: med("report_json_bytes"),
    quality_share: med("quality_share")};
  def target($what; $v; $max): {what: $what, value: $v, max: $max} + {pass: ($v != null and $v <= $max)};
  def target_min($what; $v; $min): {what: $what, value: $v, min: $min} + {pass: ($v != null and $v >= $min)};
  ($runs | map(. + {encoders_cpu_s_sum: (if .encoders_cpu_s then ([.encoders_cpu_s[]] | add) else null end),
                    quality_share: div(.quality_cpu_s; .encode_cpu_s)})) as $runs |
  {schema: "sobre.bench/2", date: $date,
   machine: {cpu: $cpu, cores: $cores, ram_gb: $ram, ffmpeg: $ffmpeg, libvpx: $vpx, libopus: $opus,
             loadavg_at_end: $load},
   sobre: $sobre, rounds: $rounds, seconds: (if $seconds == "" then null else ($seconds | tonumber) end),
   rungs: $only, runs: $runs,
   inputs: [$inputs[] | select(. != null) | . as $in |
     ($runs | map(select(.input == $in.name))) as $r |
     ([1, ([$cores, ($in.rungs | length)] | min)] | max * 95) as $use_target |
     (["sobre-default", "sobre-noquality", "sobre-noverify", "sobre-noloud", "ffmpeg-default", "sobre",
       "baseline-default", "baseline",
       "ffmpeg-single", "ffmpeg-sequence", "ffmpeg-parallel", "limit", "decode-scale"] | map(. as $m |
       ($r | map(select(.method == $m))) as $x | select($x | length > 0) |
       {key: $m, value: ($x | stats)}) | from_entries) as $m |
     ($m.limit // null) as $lim | ($m["decode-scale"] // null) as $ds |
     (if $lim and $ds then ([($lim.encoders_cpu_s + $ds.cpu_s) / $cores, $lim.encoder_max_s] | max) else null end) as $limit2 |
     ($r | map(select(.method == "sobre-default") | .rung_wall_s // {})) as $rw |
     $in + {median: $m, limit2_s: $limit2,
       rung_wall_s: (($rw | map(keys) | add // []) | unique | map(. as $k | {key: $k, value: ($rw | map(.[$k]) | median)}) | from_entries),
       ratios: ((["ffmpeg-single", "ffmpeg-sequence", "ffmpeg-parallel"] | map(. as $k | select($m[$k] and $m.sobre) |
         {key: $k, value: {wall: div($m.sobre.wall_s; $m[$k].wall_s), cpu: div($m.sobre.cpu_s; $m[$k].cpu_s),
           peak_rss: div($m.sobre.peak_rss_kb; $m[$k].peak_rss_kb), bytes: div($m.sobre.bytes; $m[$k].bytes)}}) | from_entries)
         + (if $m.sobre and $lim then {limit: {wall: div($m.sobre.wall_s; $lim.limit_s), cpu: div($m.sobre.cpu_s; $lim.cpu_s)}} else {} end)
         + (if $m.sobre and $limit2 then {limit2: {wall: div($m.sobre.wall_s; $limit2)}} else {} end)
         + ([["sobre-default", "baseline-default"], ["sobre-noloud", "baseline-default"], ["sobre", "baseline"]] | map(. as [$a, $b] | select($m[$a] and $m[$b]) |
           {key: ("baseline/" + $a), value: {wall: div($m[$a].wall_s; $m[$b].wall_s), cpu: div($m[$a].cpu_s; $m[$b].cpu_s),
             peak_rss: div($m[$a].peak_rss_kb; $m[$b].peak_rss_kb), bytes: div($m[$a].bytes; $m[$b].bytes)}}) | from_entries)
         + ((["sobre-noquality", "sobre-noverify", "sobre-noloud", "ffmpeg-default"] | map(. as $k | select($m[$k] and $m["sobre-default"]) |
           {key: ("default/" + $k), value: {wall: div($m["sobre-default"].wall_s; $m[$k].wall_s),
             cpu: div($m["sobre-default"].cpu_s; $m[$k].cpu_s),
             peak_rss: div($m["sobre-default"].peak_rss_kb; $m[$k].peak_rss_kb),
             bytes: div($m["sobre-default"].bytes; $m[$k].bytes)}}) | from_entries))),
       costs: (if $m["sobre-default"] then {
         quality_cpu_share_report: $m["sobre-default"].quality_share,
         quality_cpu_share_ab: (if $m["sobre-noquality"] then div($m["sobre-default"].cpu_s - $m["sobre-noquality"].cpu_s; $m["sobre-default"].cpu_s) else null end),
         quality_rss_mb: (if $m["sobre-noquality"] then ($m["sobre-default"].peak_rss_kb - $m["sobre-noquality"].peak_rss_kb) / 1024 else null end),
         check_cpu_share_report: div($m["sobre-default"].check_cpu_s; $m["sobre-default"].encode_cpu_s),
         verify_wall_share: (if $m["sobre-noverify"] then div($m["sobre-default"].wall_s - $m["sobre-noverify"].wall_s; $m["sobre-noverify"].wall_s) else null end),
         verify_cpu_share: (if $m["sobre-noverify"] then div($m["sobre-default"].cpu_s - $m["sobre-noverify"].cpu_s; $m["sobre-noverify"].cpu_s) else null end),
         loudness_wall_share: (if $m["sobre-noloud"] then div($m["sobre-default"].wall_s - $m["sobre-noloud"].wall_s; $m["sobre-noloud"].wall_s) else null end),
         loudness_cpu_share: (if $m["sobre-noloud"] then div($m["sobre-default"].cpu_s - $m["sobre-noloud"].cpu_s; $m["sobre-noloud"].cpu_s) else null end)} else null end),
       targets: ([
         (if $m["sobre-default"] and $m["ffmpeg-default"] then
           target("default: wall <= 0.60 x one ffmpeg making the same files"; div($m["sobre-default"].wall_s; $m["ffmpeg-default"].wall_s); 0.60),
           target("default: CPU time <= 0.95 x one ffmpeg making the same files"; div($m["sobre-default"].cpu_s; $m["ffmpeg-default"].cpu_s); 0.95),
           target("default: peak RSS <= one ffmpeg making the same files"; div($m["sobre-default"].peak_rss_kb; $m["ffmpeg-default"].peak_rss_kb); 1.0),
           target("default: bytes within 0.3 % of ffmpeg (worst file)"; ($in.outputs | map((.sobre_bytes / .ffmpeg_bytes - 1) | fabs) | max); 0.003)
          else empty end),
         (if $m["sobre-default"] then target("quality measurement <= 5 % of the encode CPU (report.json)"; $m["sobre-default"].quality_share; 0.05) else empty end),
         (if $m["sobre-default"] and $m["sobre-noquality"] then
           target("quality measurement <= 20 MB of peak RSS (A0 - A1)"; (($m["sobre-default"].peak_rss_kb - $m["sobre-noquality"].peak_rss_kb) / 1024); 20) else empty end),
         (if $m["sobre-default"] and $m["sobre-noverify"] then
           target("verification <= 3 % of the wall time (A0 vs A2)"; div($m["sobre-default"].wall_s - $m["sobre-noverify"].wall_s; $m["sobre-noverify"].wall_s); 0.03) else empty end),
         (if $m.sobre and $m["ffmpeg-single"] then
           target("stripped: wall <= 0.90 x one ffmpeg command"; div($m.sobre.wall_s; $m["ffmpeg-single"].wall_s); 0.90),
           target("stripped: CPU time <= 0.92 x one ffmpeg command"; div($m.sobre.cpu_s; $m["ffmpeg-single"].cpu_s); 0.92),
           target("stripped: peak RSS <= one ffmpeg command"; div($m.sobre.peak_rss_kb; $m["ffmpeg-single"].peak_rss_kb); 1.0),
           target("stripped: bytes within 1 % of ffmpeg (worst rung)"; ($in.rungs | map((.sobre_bytes / .ffmpeg_bytes - 1) | fabs) | max); 0.01),
           target("stripped: SSIM (Y) within 0.001 of ffmpeg (worst rung)"; ($in.rungs | map((.sobre_ssim_y - .ffmpeg_ssim_y) | fabs) | max); 0.001)
          else empty end),
         (if $m.sobre and $m["ffmpeg-parallel"] then
           target("stripped: wall <= 0.92 x ffmpeg per rung in parallel"; div($m.sobre.wall_s; $m["ffmpeg-parallel"].wall_s); 0.92) else empty end),
         (if $m.sobre and $lim then target("stripped: wall <= 1.05 x the physical limit"; div($m.sobre.wall_s; $lim.limit_s); 1.05) else empty end),
         (if $m.sobre and $limit2 then target("stripped: wall <= 1.05 x the limit with decoding and scaling"; div($m.sobre.wall_s; $limit2); 1.05) else empty end),
         (if $m.sobre then target_min("stripped: CPU use while encoding >= \($use_target) %"; (100 * $m.sobre.encode_cpu_use); $use_target) else empty end)
       ])}],
   duration: (if $isdur == 1 and $dur[0] then ($dur[0] | . as $d |
     ($runs | map(select(.input | startswith("duration-")))) as $r |
     [$d.cuts[] | . as $c | ($r | map(select(.input == "duration-\($c)s")) | stats) as $s |
       {cut_s: $c, median: $s, cpu_per_min: div($s.cpu_s; $s.duration_s / 60),
        wall_per_min: div($s.wall_s; $s.duration_s / 60),
        quality_json_bytes_per_frame: div($s.quality_json_bytes; $s.frames)}] as $rows |
     ($rows | first) as $a | ($rows | last) as $b |
     {master: $d.master, cuts: $rows,
      growth: {cpu_per_min: div($b.cpu_per_min; $a.cpu_per_min), peak_rss: div($b.median.peak_rss_kb; $a.median.peak_rss_kb),
        quality_json_per_frame: div($b.quality_json_bytes_per_frame; $a.quality_json_bytes_per_frame),
        report_json: div($b.median.report_json_bytes; $a.median.report_json_bytes),
        duration: div($b.median.duration_s; $a.median.duration_s)},
      targets: [
        target("CPU per minute within 5 % (longest / shortest - 1)"; (div($b.cpu_per_min; $a.cpu_per_min) // 9) - 1 | fabs; 0.05),
        target("peak RSS within 10 % (longest / shortest - 1)"; (div($b.median.peak_rss_kb; $a.median.peak_rss_kb) // 9) - 1 | fabs; 0.10),
        target("quality.json linear: bytes per frame within 2 %"; (div($b.quality_json_bytes_per_frame; $a.quality_json_bytes_per_frame) // 9) - 1 | fabs; 0.02),
        target("report.json at most linear: size ratio / duration ratio"; div(div($b.median.report_json_bytes; $a.median.report_json_bytes); div($b.median.duration_s; $a.median.duration_s)); 1.0)]})
     else null end)}' > "$out/bench.json"

# Markdown
jq -r '
  def f($n): if $n == null then "–" elif $n >= 100 then ($n | round | tostring)
    elif $n >= 10 then ($n * 10 | round / 10 | tostring) else ($n * 100 | round / 100 | tostring) end;
  def pct($n): if $n == null then "–" else "\($n * 100 | round) %" end;
  def pct1($n): if $n == null then "–" else "\($n * 1000 | round / 10) %" end;
  def mb($k): if $k == null then "–" else "\($k / 1024 | round) MB" end;
  def kb($b): if $b == null then "–" elif $b >= 10485760 then "\($b / 1048576 | round) MB" else "\($b / 1024 | round) kB" end;
  def ratio($x): if $x == null then "–" else ($x * 100 | round) as $c |
    "\($c / 100 | floor).\($c % 100 | tostring | if length < 2 then "0" + . else . end)" end;
  def row($lbl; $m; $r): if $m == null then empty else
    "| \($lbl) | \(f($m.wall_s)) s | \(f($m.cpu_s)) s | \(pct($m.cpu_use)) | \(mb($m.peak_rss_kb)) | \(kb($m.bytes)) | \(if $r then "\(ratio($r.wall)) / \(ratio($r.cpu)) / \(ratio($r.peak_rss))" else "" end) |" end;
  def tval($t): if ($t.what | test("SSIM")) then ($t.value * 10000 | round / 10000 | tostring)
    elif ($t.what | test("CPU use")) then "\($t.value | round) %"
    elif ($t.what | test("bytes|%")) and ($t.what | test("x ") | not) then pct1($t.value)
    elif ($t.what | test("MB")) then "\($t.value | round) MB" else ratio($t.value) end;
  "## sobre encode vs the ffmpeg command line",
  "",
  "\(.date[0:10]), \(.machine.cpu), \(.machine.cores) cores, \(.machine.ram_gb) GB RAM; FFmpeg \(.machine.ffmpeg), libvpx \(.machine.libvpx), libopus \(.machine.libopus); \(.sobre). Load average at the end: \(.machine.loadavg_at_end).",
  "\(.rounds) interleaved round(s), medians\(if .seconds then "; inputs cut to \(.seconds) s" else "" end). sobre ÷ this = sobre'"'"'s median divided by the row'"'"'s median (below 1: sobre is better).",
  "",
  (.inputs[] | . as $i | $i.median as $m |
    "### \(.name) (\(.width)x\(.height), \(f(.fps)) fps, \(f(.duration_s)) s\(if .audio then "" else ", no audio" end))",
    "",
    (if $m["sobre-default"] then
      "The command people run, `sobre encode IN -o DIR` (default ladder: \([.outputs[].file] | join(", ")); quality measured, every output verified), against one `ffmpeg` making the same files with the same settings:",
      "",
      "| how | wall | CPU (user+sys) | CPU use | peak RSS | output | A0 ÷ this: wall / CPU / RSS |",
      "|---|---:|---:|---:|---:|---:|---|",
      row("A0 `sobre encode IN -o DIR` (the default)"; $m["sobre-default"]; null),
      row("A1 the same, `--quality off`"; $m["sobre-noquality"]; $i.ratios["default/sobre-noquality"]),
      row("A2 the same, `--no-verify`"; $m["sobre-noverify"]; $i.ratios["default/sobre-noverify"]),
      row("A3 the same, `--loudness off`"; $m["sobre-noloud"]; $i.ratios["default/sobre-noloud"]),
      row("B0 one `ffmpeg`, the same files"; $m["ffmpeg-default"]; $i.ratios["default/ffmpeg-default"]),
      row("Z0 the baseline sobre, its defaults"; $m["baseline-default"]; $i.ratios["baseline/sobre-default"]),
      (if $i.ratios["baseline/sobre-noloud"] then "", "A3 ÷ Z0 (the same work when the baseline has no loudness normalisation): \(ratio($i.ratios["baseline/sobre-noloud"].wall)) / \(ratio($i.ratios["baseline/sobre-noloud"].cpu)) / \(ratio($i.ratios["baseline/sobre-noloud"].peak_rss)) (wall / CPU / RSS)." else empty end),
      "",
      "Measuring quality: \(pct1($i.costs.quality_cpu_share_report)) of the encode'"'"'s CPU (report.json, \(f($m["sobre-default"].quality_cpu_s)) CPU-s), \(pct1($i.costs.quality_cpu_share_ab)) by A0 − A1, \(if $i.costs.quality_rss_mb then "\($i.costs.quality_rss_mb | round) MB" else "–" end) of peak RSS (A0 − A1). The decode check shared by quality and verification: \(pct1($i.costs.check_cpu_share_report)) of the CPU. Verification: \(pct1($i.costs.verify_wall_share)) wall, \(pct1($i.costs.verify_cpu_share)) CPU (A0 vs A2). Loudness normalisation: \(pct1($i.costs.loudness_wall_share)) wall, \(pct1($i.costs.loudness_cpu_share)) CPU (A0 vs A3). Rendition threads'"'"' wall time (A0): \($i.rung_wall_s | to_entries | map("\(.key) \(f(.value)) s") | join(", ")).",
      "",
      (if ($i.outputs | length) > 0 then
        "| output | bytes sobre | bytes ffmpeg | Δ | same video / audio packets |",
        "|---|---:|---:|---:|---|",
        ($i.outputs[] | "| \(.file) | \(.sobre_bytes) | \(.ffmpeg_bytes) | \((.sobre_bytes / .ffmpeg_bytes - 1) * 10000 | round / 100) % | \(if .sobre_streams.video_md5 == "" then "–" elif .video_identical then "yes" elif .video_sizes_identical then "same sizes¹" else "no" end) / \(if .audio_identical then "yes" else "no" end) |"),
        ""
       else empty end)
     else empty end),
    (if $m.sobre then
      "The stripped VP9 ladder, `sobre encode IN -o DIR -q --no-verify --quality off --only \(.rungs | map(.rung) | join(","))` (A), against the `ffmpeg` ways and the limits:",
      "",
      "| how | wall | CPU (user+sys) | CPU use | peak RSS | output | A ÷ this: wall / CPU / RSS |",
      "|---|---:|---:|---:|---:|---:|---|",
      row("A `sobre encode … --only` (stripped)"; $m.sobre; null),
      row("B one `ffmpeg`, split, all outputs"; $m["ffmpeg-single"]; $i.ratios["ffmpeg-single"]),
      row("C one `ffmpeg` per rung, in sequence"; $m["ffmpeg-sequence"]; $i.ratios["ffmpeg-sequence"]),
      row("D one `ffmpeg` per rung, in parallel"; $m["ffmpeg-parallel"]; $i.ratios["ffmpeg-parallel"]),
      row("Z the baseline sobre, stripped"; $m.baseline; $i.ratios["baseline/sobre"]),
      (if $m.limit then "| E encoders alone on raw input (the limit) | \(f($m.limit.limit_s)) s | \(f($m.limit.cpu_s)) s | | | | \(ratio($i.ratios.limit.wall)) / \(ratio($i.ratios.limit.cpu)) / – |" else empty end),
      (if $i.limit2_s then "| E2 the limit + decoding (1 thread) and scaling (\(f($m["decode-scale"].cpu_s)) CPU-s) | \(f($i.limit2_s)) s | | | | | \(ratio($i.ratios.limit2.wall)) / – / – |" else empty end),
      "",
      (if ($i.rungs | length) > 0 then
        "| rung | size | bytes sobre | bytes ffmpeg | Δ bytes (video / audio) | same VP9 / Opus packets | SSIM (Y) sobre | SSIM (Y) ffmpeg |",
        "|---|---|---:|---:|---:|---|---:|---:|",
        ($i.rungs[] | "| \(.rung) | \(.width)x\(.height) | \(.sobre_bytes) | \(.ffmpeg_bytes) | \((.sobre_bytes / .ffmpeg_bytes - 1) * 1000 | round / 10) % (\(.sobre_streams.video_bytes - .ffmpeg_streams.video_bytes) B / \(.sobre_streams.audio_bytes - .ffmpeg_streams.audio_bytes) B) | \(if .video_identical then "yes" elif .video_sizes_identical then "same sizes¹" else "no" end) / \(if .audio_identical then "yes" else "no" end) | \(.sobre_ssim_y * 10000 | round / 10000) | \(.ffmpeg_ssim_y * 10000 | round / 10000) |"),
        ""
       else empty end)
     else empty end),
    (if any(($i.rungs + $i.outputs)[]; (.video_identical | not) and .video_sizes_identical) then
      "¹ every video packet has the same size but header bits differ: ffmpeg takes the colour space from the decoded frames (e.g. the VP8 decoder marks them BT.601), sobre from the stream parameters (unspecified).\n" else empty end),
    "| target | measured | |",
    "|---|---:|---|",
    (.targets[] | "| \(.what) | \(tval(.)) | \(if .pass then "pass" else "**miss**" end) |"),
    ""),
  (if .duration then .duration as $d |
    "### Growth with duration: cuts of \($d.master | split("/") | last)",
    "",
    "`sobre encode IN -o DIR -q` (the default) on each cut, rounds interleaved, medians:",
    "",
    "| cut | content | wall | CPU | CPU per minute | peak RSS | quality.json | per frame and view | report.json |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ($d.cuts[] | "| \(.cut_s) s | \(f(.median.duration_s)) s | \(f(.median.wall_s)) s | \(f(.median.cpu_s)) s | \(f(.cpu_per_min)) s | \(mb(.median.peak_rss_kb)) | \(kb(.median.quality_json_bytes)) | \(f(.quality_json_bytes_per_frame)) B | \(kb(.median.report_json_bytes)) |"),
    "",
    "| target | measured | |",
    "|---|---:|---|",
    ($d.targets[] | "| \(.what) | \(if (.what | test("report")) then ratio(.value) else pct1(.value) end) | \(if .pass then "pass" else "**miss**" end) |"),
    "" else empty end)' "$out/bench.json" > "$out/bench.md"

if [ $profile = 1 ]; then
  "$here/bench-profile.sh" --out "$out/profile" --sobre "$sobre" > /dev/null &&
    { echo; cat "$out/profile/profile.md"; } >> "$out/bench.md"
fi
cat "$out/bench.md"
log "wrote $out/bench.md and $out/bench.json"
