#!/usr/bin/env bash
# One analysis of the source (issue 14): what `sobre probe` says of a file is what the
# encode plans with and what report.json's "source" block records. For sources where the
# rules used to differ (SAR < 1 and > 1, rotation, variable frame rate, interlacing),
# probe's JSON and the report agree field by field, and the made renditions keep the
# display aspect probe reported.
set -u
. "$SOBRE_SRC/tests/lib/assert.sh"
need jq ffprobe
T=$(mktemp -d "${SOBRE_TMP:-/tmp}/probe-report.XXXXXX")
trap 'rm -rf "$T"' EXIT
clips="$SOBRE_SRC/tests/lib/clips.sh"
fast="$SOBRE_SRC/tests/data/fast.yaml"

for c in sar89.mp4 sar1011.mkv sar.mp4 rotated.mp4 vfr.mkv interlaced.mkv hd.mp4; do
  in=$("$clips" "$c")
  "$SOBRE" probe --json "$in" >"$T/$c.probe.json"
  run "$SOBRE" encode -q -p "$fast" --only vp9-sobre,audio "$in" -o "$T/$c"
  expect_status 0
  # probe's best video stream and the report's source, field by field
  p=$(jq -c '.[0] as $f | ($f.streams[] | select(.index == $f.video_stream)) as $v
    | ($f.streams[] | select(.index == $f.audio_stream)) as $a
    | {container: $f.format, bytes: $f.bytes, codec: $v.codec, width: $v.width, height: $v.height,
       display_width: $v.display_width, display_height: $v.display_height, fps: ($v.fps * 1000 | round),
       vfr: $v.vfr, rotation: $v.rotation, interlaced: $v.interlaced, pix_fmt: $v.pix_fmt,
       acodec: $a.codec, channels: $a.channels, sample_rate: $a.sample_rate}' "$T/$c.probe.json")
  r=$(jq -c '.source as $s | $s.video as $v
    | {container: $s.container, bytes: $s.bytes, codec: $v.codec, width: $v.width, height: $v.height,
       display_width: $v.display_width, display_height: $v.display_height, fps: ($v.fps * 1000 | round),
       vfr: $v.vfr, rotation: $v.rotation, interlaced: $v.interlaced, pix_fmt: $v.pix_fmt,
       acodec: $s.audio.codec, channels: $s.audio.channels, sample_rate: $s.audio.sample_rate}' \
    "$T/$c/report.json")
  check "$c: probe and report agree
  probe:  $p
  report: $r" test "$p" = "$r"
  # the made rendition keeps the displayed aspect (within the rounding to even sizes)
  read -r dw dh < <(jq -r '.source.video | "\(.display_width) \(.display_height)"' "$T/$c/report.json")
  IFS=x read -r ow oh < <(ffprobe -v error -select_streams v:0 -show_entries stream=width,height \
    -of csv=p=0:s=x "$T/$c/vp9-sobre.webm")
  check "$c: rendition ${ow}x${oh} has the display aspect of ${dw}x${dh}" \
    awk -v a="$dw" -v b="$dh" -v c="$ow" -v d="$oh" \
    'BEGIN { r = (a / b) / (c / d); exit !(r > 0.97 && r < 1.03) }'
done

# the rules themselves, on the clips made for them
jqv() { jq -r ".[0] as \$f | (\$f.streams[] | select(.index == \$f.video_stream)) | $2" "$T/$1.probe.json"; }
check "SAR 8:9 720x480 shows as 720x540 ($(jqv sar89.mp4 '"\(.display_width)x\(.display_height)"'))" \
  test "$(jqv sar89.mp4 '"\(.display_width)x\(.display_height)"')" = 720x540
check "SAR 10:11 720x480 shows as 720x528" \
  test "$(jqv sar1011.mkv '"\(.display_width)x\(.display_height)"')" = 720x528
check "SAR 4:3 480x480 shows as 640x480" \
  test "$(jqv sar.mp4 '"\(.display_width)x\(.display_height)"')" = 640x480
check "rotated 90: 320x240 shows as 240x320" \
  test "$(jqv rotated.mp4 '"\(.display_width)x\(.display_height)"')" = 240x320
check "VFR clip: vfr true, rate 30 ($(jqv vfr.mkv '"\(.vfr) \(.frame_rate)"'))" \
  test "$(jqv vfr.mkv '"\(.vfr) \(.frame_rate)"')" = "true 30/1"
check "interlaced clip: interlaced" test "$(jqv interlaced.mkv .interlaced)" = true
check "NTSC rate kept as a fraction ($(jqv sar89.mp4 .frame_rate))" \
  test "$(jqv sar89.mp4 .frame_rate)" = 30000/1001
finish
