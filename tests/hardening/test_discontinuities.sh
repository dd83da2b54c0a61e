#!/usr/bin/env bash
# Broken timelines, checked on the outputs themselves (docs/reliability.md, issue #8):
# - jump.ts: two MPEG-TS recordings joined, the clock jumps by one hour (rejoin.ts: both
#   start at the same time, the clock goes back). Encode closes the jump (the outputs last
#   the ~2 s of content, audio and video together, in every rendition); probe names the
#   jump, where and by how much.
# - cutmid.ts: the middle third cut out. Audio follows its timestamps (silence in the
#   gap), so it lasts as long as the video.
# - noparams.ts: H.264 with no SPS/PPS anywhere. Encode makes the audio and says that the
#   video does not decode, and why, rather than "the input has no video".
set -u
. "$SOBRE_SRC/tests/lib/assert.sh"
T=$(mktemp -d "${SOBRE_TMP:-/tmp}/hard-disc.XXXXXX")
trap 'rm -rf "$T"' EXIT
clips="$SOBRE_SRC/tests/lib/clips.sh"
fast="$SOBRE_SRC/tests/data/fast.yaml"
need ffmpeg ffprobe jq timeout
slow=1
ldd "$SOBRE" 2>/dev/null | grep -q libasan && slow=4

# end FILE v|a: where the stream ends (latest packet pts + duration), in seconds
end() {
  ffprobe -v error -select_streams "$2" -show_entries packet=pts_time,duration_time -of csv=p=0 \
    "$1" 2>/dev/null |
    awk -F, '$1 != "N/A" { e = $1 + ($2 == "N/A" ? 0 : $2); if (n++ == 0 || e > m) m = e }
             END { if (n) print m }'
}
near() { awk -v a="$1" -v b="$2" -v t="$3" 'BEGIN { d = a - b; exit !(a != "" && b != "" && d <= t && -d <= t) }'; }
within() { awk -v x="$1" -v lo="$2" -v hi="$3" 'BEGIN { exit !(x != "" && x >= lo && x <= hi) }'; }

encode() { # CLIP: encodes into $T/ep-CLIP, keeps stdout+stderr in $T/CLIP.log
  local in
  in=$("$clips" "$1") || { _fail_msg "clips.sh $1"; return 1; }
  timeout $((180 * slow)) "$SOBRE" encode -p "$fast" "$in" -o "$T/ep-$1" >"$T/$1.log" 2>&1
  local rc=$?
  check "$1: encode exits 0 (got $rc: $(tail -c 400 "$T/$1.log"))" test $rc -eq 0
  return $rc
}

# --- jump.ts, rejoin.ts ----------------------------------------------------------------
# JUMP: clip, the jump probe reports ("by ... at ..." regexp)
for spec in "jump.ts|jump by \+3599\.[0-9] s at 1\.0[0-9] s" "rejoin.ts|jump by -1\.0 s at 1\.0[0-9] s"; do
  c=${spec%%|*} want=${spec#*|}
  in=$("$clips" "$c")
  timeout $((60 * slow)) "$SOBRE" probe --json "$in" >"$T/$c.json" 2>"$T/$c.perr"
  check "$c: probe exits 0 ($(cat "$T/$c.perr"))" test $? -eq 0
  msg=$(jq -r '.[0].problems[]? | select(.id == "timestamp-jump") | .message' "$T/$c.json" 2>/dev/null)
  check "$c: probe lists timestamp-jump ($(jq -c '.[0].problems' "$T/$c.json"))" test -n "$msg"
  check "$c: the message gives the size and place of the jump ($msg)" grep -qE "$want" <<<"$msg"
  timeout $((60 * slow)) "$SOBRE" probe "$in" >"$T/$c.txt" 2>&1
  check "$c: the probe table shows it" grep -qF '[timestamp-jump]' "$T/$c.txt"

  encode "$c" || continue
  ep="$T/ep-$c"
  src=$(jq -r '.source.duration_s' "$ep/report.json")
  check "$c: report's source duration is the content's ($src s), not the clock's" \
    within "$src" 1.5 3
  check "$c: encode warns about the jump" grep -qE 'timestamps jump by [-+][0-9.]+ s' "$T/$c.log"
  mapfile -t files < <(jq -r '.renditions[].file' "$ep/report.json")
  check "$c: 4 renditions (${files[*]})" test ${#files[@]} -eq 4
  for f in "${files[@]}"; do
    a=$(end "$ep/$f" a)
    v=$(end "$ep/$f" v)
    check "$c/$f: audio ends at $a s, about the content's 2 s" within "$a" 1.8 2.3
    [ -n "$v" ] || continue
    check "$c/$f: video ends at $v s, about the content's 2 s" within "$v" 1.8 2.3
    check "$c/$f: audio ($a s) and video ($v s) agree within 0.1 s" near "$a" "$v" 0.1
    n=$(ffprobe -v error -select_streams v -count_packets -show_entries stream=nb_read_packets \
      -of csv=p=0 "$ep/$f")
    check "$c/$f: both recordings' pictures are there ($n frames, ~50)" within "$n" 45 52
  done
done
# a clip without a jump is not flagged
timeout $((60 * slow)) "$SOBRE" probe --json "$("$clips" start.ts)" >"$T/start.json" 2>/dev/null
check "start.ts: no timestamp-jump" \
  test -z "$(jq -r '.[0].problems[]? | select(.id == "timestamp-jump") | .id' "$T/start.json")"

# --- cutmid.ts -----------------------------------------------------------------------
if encode cutmid.ts; then
  ep="$T/ep-cutmid.ts"
  mapfile -t files < <(jq -r '.renditions[].file' "$ep/report.json")
  vend=""
  for f in "${files[@]}"; do
    a=$(end "$ep/$f" a)
    v=$(end "$ep/$f" v)
    check "cutmid.ts/$f: audio ends at $a s (~2 s: the gap is silence, not dropped)" within "$a" 1.9 2.2
    [ -n "$v" ] || continue
    vend=$v
    check "cutmid.ts/$f: audio ($a s) and video ($v s) agree within 0.1 s" near "$a" "$v" 0.1
  done
  a=$(end "$ep/audio.webm" a)
  check "cutmid.ts: the audio rendition ($a s) lasts as the video ($vend s)" near "$a" "$vend" 0.1
fi

# --- noparams.ts ---------------------------------------------------------------------
if encode noparams.ts; then
  ep="$T/ep-noparams.ts"
  check "noparams.ts: the audio rendition is made" \
    test "$(jq -r '[.renditions[].id] | join(" ")' "$ep/report.json")" = audio
  mapfile -t reasons < <(jq -r '.skipped[].reason' "$ep/report.json")
  check "noparams.ts: the 3 video rungs are skipped (${#reasons[@]})" test ${#reasons[@]} -eq 3
  for r in "${reasons[@]}"; do
    check "noparams.ts: the reason says the h264 video does not decode ($r)" \
      grep -qE '^the video stream \(h264\) does not decode \(.+\): audio rendition only$' <<<"$r"
    check "noparams.ts: the reason names the missing parameter sets ($r)" grep -qF 'SPS/PPS' <<<"$r"
    check "noparams.ts: the reason does not say there is no video ($r)" \
      test "$(grep -c 'has no video' <<<"$r")" -eq 0
  done
  check "noparams.ts: the CLI summary shows the reason" \
    grep -qE 'skipped vp9-low: the video stream \(h264\) does not decode' "$T/noparams.ts.log"
fi

# --target-ssim on the joined TS: the CRF search samples the first seconds when its
# windows (placed over the clock's hour) hold no frame
in=$("$SOBRE_SRC/tests/lib/clips.sh" jump.ts)
timeout $((180 * slow)) "$SOBRE" encode -q -p "$fast" --target-ssim 0.9 "$in" -o "$T/ep-jump-target" >"$T/jt.log" 2>&1
rc=$?
check "jump.ts --target-ssim: exit 0 (got $rc: $(head -c 300 "$T/jt.log"))" test $rc -eq 0
check "jump.ts --target-ssim: a CRF was chosen for the sobre rung" \
  jq -e '.renditions[] | select(.id == "vp9-sobre") | .video.crf >= 0' "$T/ep-jump-target/report.json" >/dev/null
finish
