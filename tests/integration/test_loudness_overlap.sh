#!/usr/bin/env bash
# The loudness pre-pass runs beside the encode (encode_loudness.c): the audio encoders
# hold the decoded audio until their level is known, up to AENC_PENDING_MAX_S (6 s), then
# the decode waits. Checked on a clip whose video is so small that the decode outruns the
# pass (the hold fills up and the decode waits) and on one where it does not:
# - every output carries exactly the audio the pass's last trial measured (the report's
#   "expected" figures equal the verify step's decoded ones, to the last digit): no held
#   frame lost, doubled or reordered;
# - the WebM files are interleaved as a muxer given every packet in time would write
#   them: in file order the packet timestamps never go back by more than one packet, so
#   no video was flushed ahead of its audio;
# - the audio lasts what the source lasts;
# - SIGINT while the decode waits for the level stops at once (exit 130, nothing written).
set -u
. "$SOBRE_SRC/tests/lib/assert.sh"
. "$SOBRE_SRC/tests/lib/loudness.sh"
need ffmpeg ffprobe jq espeak-ng
T=$(mktemp -d "${SOBRE_TMP:-/tmp}/loudover.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT
fast="$SOBRE_SRC/tests/data/fast.yaml"

speech_clip "$T/speech.wav" 4 # loud enough for the limiter
# 40 s of loud speech (the 6 s clip five times with pauses), under a 160x90 or 320x180 picture
ffmpeg -nostdin -v error -y -stream_loop 5 -i "$T/speech.wav" -af "apad,atrim=0:40" \
  -c:a pcm_s16le "$T/long.wav"
for v in 160x90 320x180; do
  ffmpeg -nostdin -v error -y -f lavfi -i "testsrc2=size=$v:rate=25:duration=40" -i "$T/long.wav" \
    -map 0:v -map 1:a -c:v libx264 -preset ultrafast -pix_fmt yuv420p -c:a aac -b:a 128k \
    -shortest "$T/clip-$v.mp4"
done

# in file order, no packet's timestamp is earlier than the latest seen minus one packet
# (60 ms: the longest Opus frame; the muxer orders Opus before its pre-skip shift, so a
# few milliseconds back are normal); prints the worst step back in seconds
step_back() {
  ffprobe -v error -show_entries packet=dts_time -of csv=p=0 "$1" |
    awk -F, '$1 ~ /^-?[0-9]/ { t = $1 + 0; if (n++ && hi - t > worst) worst = hi - t
                               if (n == 1 || t > hi) hi = t }
             END { printf "%.3f\n", worst + 0 }'
}

for v in 160x90 320x180; do
  d="$T/ep-$v"
  run "$SOBRE" encode -v --quality off -p "$fast" "$T/clip-$v.mp4" -o "$d"
  expect_status 0
  r="$d/report.json"
  held=$(grep -o "audio 'speech': [0-9.]* s of decoded audio held" <<<"$_err" | awk '{ print $3 }')
  echo "$v: speech held ${held:-0} s until its level was known"
  if [ "$v" = 160x90 ]; then
    # the decode outran the pass: the hold filled up to its 6 s and the decode waited
    check "$v: the hold reached its 6 s (held ${held:-none})" near "${held:-0}" 6 0.2
  fi
  for id in vp9-low vp9-sobre h264; do
    set="$(jq -r --arg id "$id" '.renditions[] | select(.id == $id) | .file' "$r")"
    [ -n "$set" ] || continue # smaller than the source: not made
    a=$([ "$id" = h264 ] && echo aac || echo speech)
    want=$(jq -c --arg a "$a" '.loudness.audio[$a].expected | [.integrated_lufs, .range_lu, .true_peak_dbtp]' "$r")
    got=$(jq -c --arg id "$id" '.renditions[] | select(.id == $id) | .loudness | [.integrated_lufs, .range_lu, .true_peak_dbtp]' "$r")
    echo "  $id ($set): the pass measured $want, the output decodes to $got"
    check "$v $id: output loudness $got = the pass's last trial $want" test "$got" = "$want"
    ad=$(stream_end "$d/$set" a:0)
    check "$v $id: audio lasts $ad s (40 s source)" near "$ad" 40 0.1
    case $set in
    *.webm)
      back=$(step_back "$d/$set")
      echo "  $id: worst timestamp step back in file order $back s"
      check "$v $id: interleaved (a step back of $back s, at most one packet)" le "$back" 0.061
      ;;
    esac
  done
done

# SIGINT while the decode waits for the level (the 160x90 clip: the hold is full within a
# fraction of a second, the pass takes about 5 s): the wait and the pass both stop, exit
# 130 at once, no output, no partial file
"$SOBRE" encode -q --quality off -p "$fast" "$T/clip-160x90.mp4" -o "$T/ep-int" 2>"$T/int.err" &
pid=$!
for _ in $(seq 100); do ls "$T/ep-int/.sobre/"*.part > /dev/null 2>&1 && break; sleep 0.05; done
sleep 0.5
t0=$(date +%s%N)
kill -INT $pid
wait $pid
rc=$? ms=$((($(date +%s%N) - t0) / 1000000))
echo "interrupted while waiting for the level: exit $rc after $ms ms ($(tr '\n' ' ' < "$T/int.err"))"
check "interrupted: exit 130 (got $rc)" test "$rc" -eq 130
check "interrupted: stopped in $ms ms, not at the end of the pass (< 1500)" test "$ms" -lt 1500
check "interrupted: no output" test -z "$(ls "$T/ep-int" | grep -v '^\.sobre$')"
check "interrupted: no partial file" test -z "$(ls "$T/ep-int/.sobre" 2> /dev/null | grep part)"
finish
