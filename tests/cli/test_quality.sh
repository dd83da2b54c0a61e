#!/usr/bin/env bash
# `sobre quality` as a user runs it: help, usage errors (exit 2), unreadable inputs that
# must be named (exit 1), text and JSON output, frame counts when lengths differ, pairing
# by index (not timestamp), --size, and a full stdout.
set -uo pipefail
: "${SOBRE:?}" "${SOBRE_TMP:?}" "${SOBRE_SRC:?}"
. "$SOBRE_SRC/tests/lib/need.sh"
need ffmpeg jq
work="$SOBRE_TMP/cli-quality.$$"
mkdir -p "$work"
trap 'rm -rf "$work"' EXIT
clip() { "$SOBRE_SRC/tests/lib/clips.sh" "$1"; }
pass=0
fail=0
ok() { pass=$((pass + 1)); }
ko() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }

# expect CODE STDOUT_PATTERN STDERR_PATTERN -- ARGS...   (patterns: grep -E, '' = any)
expect() {
  local code=$1 out_re=$2 err_re=$3 rc
  shift 4
  "$SOBRE" quality "$@" > "$work/out" 2> "$work/err"
  rc=$?
  if [ "$rc" -ne "$code" ]; then ko "quality $*: exit $rc, wanted $code ($(head -c 300 "$work/err"))"; return; fi
  if [ -n "$out_re" ] && ! grep -qE -- "$out_re" "$work/out"; then ko "quality $*: stdout lacks /$out_re/"; return; fi
  if [ -n "$err_re" ] && ! grep -qE -- "$err_re" "$work/err"; then ko "quality $*: stderr lacks /$err_re/: $(head -c 300 "$work/err")"; return; fi
  ok
}

basic=$(clip basic.mp4)
ff() { ffmpeg -nostdin -v error -y "$@"; }
# a lossless copy with other timestamps (twice slower, starting at 5 s): index pairing
# must still find every frame identical; and a 30-frame cut of it.
ff -i "$basic" -an -vf "setpts=2*PTS+5/TB" -fps_mode passthrough -c:v ffv1 "$work/slow.mkv"
ff -i "$basic" -an -frames:v 30 -c:v ffv1 "$work/short.mkv"
ff -i "$basic" -an -vf "scale=160:120" -c:v libx264 -preset ultrafast -crf 35 "$work/small.mp4"

# help and usage errors
expect 0 '^Usage: sobre quality REFERENCE DISTORTED' '' -- --help
expect 0 'flags=bicubic' '' -- --help
expect 2 '' 'needs two files' --
expect 2 '' 'needs two files' -- "$basic"
expect 2 '' "unknown option '--bogus'" -- --bogus "$basic" "$basic"
expect 2 '' "got a third" -- "$basic" "$basic" "$basic"
expect 2 '' "--size 'x': expected WxH" -- --size x "$basic" "$basic"
expect 2 '' "--size '0x10'" -- --size 0x10 "$basic" "$basic"
expect 2 '' "--size needs a value" -- "$basic" "$basic" --size
expect 2 '' "Try 'sobre quality --help'" -- --json

# unreadable inputs: exit 1 and the message names the file (either side)
expect 1 '' "quality: $work/missing.mp4: cannot open \(No such file" -- "$work/missing.mp4" "$basic"
expect 1 '' "quality: $work/missing.mp4: cannot open" -- "$basic" "$work/missing.mp4"
for c in random.bin empty.mp4 text.mp4 truncated.mp4; do
  p=$(clip "$c")
  expect 1 '' "quality: $p: not a media file" -- "$basic" "$p"
done
expect 1 '' "quality: .*audioonly.m4a: no video stream" -- "$(clip audioonly.m4a)" "$basic"
expect 1 '' "quality: $work: cannot open" -- "$work" "$basic"

# identical: SSIM 1, PSNR inf in text, null in JSON
expect 0 'SSIM Y +1\.00000 +1\.00000 +1\.00000' '' -- "$basic" "$basic"
expect 0 'PSNR Y dB +inf +inf +inf' '' -- "$basic" "$basic"
"$SOBRE" quality "$basic" "$basic" --json > "$work/same.json" 2> "$work/err"
if jq -e '.ssim_y.mean == 1 and .ssim_all.min == 1 and .psnr_y.mean == null and .psnr_all.p5 == null
          and .compared_frames == 50 and .reference.frames == 50 and .distorted.frames == 50
          and (has("frames") | not) and .schema == "sobre.quality/1"' "$work/same.json" > /dev/null
then ok; else ko "identical JSON: $(head -c 600 "$work/same.json")"; fi

# other timestamps, same pictures: paired by index, so identical
"$SOBRE" quality "$basic" "$work/slow.mkv" --json --per-frame > "$work/slow.json" 2> "$work/err"
if jq -e '.compared_frames == 50 and (.frames | length) == 50 and ([.frames[].ssim_all] | min) == 1
          and ([.frames[].psnr_all] | all(. == null))' "$work/slow.json" > /dev/null
then ok; else ko "index pairing: $(jq -c '[.compared_frames, .ssim_all]' "$work/slow.json")"; fi

# different lengths: compare the first 30, report 50 and 30, a note on stderr; -q drops it
expect 0 'compared +30 frames' 'note: .* has 50 frames and .*short.mkv 30: compared the first 30' \
  -- "$basic" "$work/short.mkv"
"$SOBRE" quality "$work/short.mkv" "$basic" --json -q > "$work/short.json" 2> "$work/err"
if [ ! -s "$work/err" ] && jq -e '.compared_frames == 30 and .reference.frames == 30
    and .distorted.frames == 50' "$work/short.json" > /dev/null
then ok; else ko "short JSON or -q: $(cat "$work/err")"; fi

# a smaller rendition is scaled up to the reference size; --size sets another size
"$SOBRE" quality "$basic" "$work/small.mp4" --json > "$work/small.json" 2> "$work/err"
if jq -e '.width == 320 and .height == 240 and .distorted.width == 160 and .ssim_y.mean < 0.98
    and .ssim_y.mean > 0.5 and .psnr_y.mean > 15 and .psnr_y.min <= .psnr_y.p5
    and .psnr_y.p5 <= .psnr_y.mean + 1 and .ssim_y.min <= .ssim_y.p5' "$work/small.json" > /dev/null
then ok; else ko "scaled: $(head -c 800 "$work/small.json")"; fi
"$SOBRE" quality "$basic" "$work/small.mp4" --json --size 160x120 > "$work/s2.json" 2> "$work/err"
if jq -e '.width == 160 and .height == 120' "$work/s2.json" > /dev/null; then ok; else ko "--size"; fi

# per-frame text table: one row per frame
expect 0 '^ +49 +0\.[0-9]{5}' '' -- "$basic" "$work/small.mp4" --per-frame
rows=$(grep -cE '^ +[0-9]+ +[01]\.[0-9]{5}' "$work/out")
[ "$rows" -eq 50 ] && ok || ko "per-frame rows: $rows"

# stdout that cannot be written is a failure
"$SOBRE" quality "$basic" "$basic" > /dev/full 2> "$work/err"
rc=$?
[ "$rc" -eq 1 ] && grep -q "cannot write to standard output" "$work/err" && ok || ko "/dev/full: exit $rc"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
