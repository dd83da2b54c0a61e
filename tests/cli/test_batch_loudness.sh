#!/usr/bin/env bash
# sobre batch levels a series: three episodes whose sources are 25 LU apart (a quiet
# lecture, a loud clipped one, a peaky one with knocks) come out within 1 LU of each other
# and of -16 LUFS, as ffmpeg's ebur128 filter measures their podcast (audio-only)
# renditions; --loudness is forwarded to every encode.
set -u
. "$SOBRE_SRC/tests/lib/assert.sh"
. "$SOBRE_SRC/tests/lib/loudness.sh"
need ffmpeg jq espeak-ng
T=$(mktemp -d "${SOBRE_TMP:-/tmp}/cli-batch-loudness.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT
fast="$SOBRE_SRC/tests/data/fast.yaml"
mkdir -p "$T/serie"
speech_clip "$T/serie/ep1.wav" -12                      # about -34 LUFS
EXTRA_AF="volume=12dB" speech_clip "$T/serie/ep2.wav" 2 # about -7 LUFS, clipped
clicks="if(lt(mod(t\,2)\,0.003)\,0.95*sin(2*PI*1500*t)\,0)"
ffmpeg -nostdin -v error -y -i "$T/serie/ep1.wav" -f lavfi -i "aevalsrc=$clicks|$clicks:s=48000:d=6" \
  -filter_complex "[0:a]volume=6dB[s];[s][1:a]amix=inputs=2:normalize=0" -c:a pcm_s16le "$T/serie/ep3.wav"

for e in ep1 ep2 ep3; do
  read -r i _ p < <(ff_loud "$T/serie/$e.wav")
  echo "source $e: $i LUFS, true peak $p dBTP"
done
run "$SOBRE" batch "$T/serie" -o "$T/out" -p "$fast" --only audio --quality off --progress none --json
expect_status 0
check "three episodes encoded" test "$(jq '.ok' <<<"$_out")" = 3
lo=0 hi=-100
for e in ep1 ep2 ep3; do
  read -r i _ p < <(ff_loud "$T/out/$e/audio.webm")
  echo "episode $e: $i LUFS, true peak $p dBTP (ffmpeg)"
  check "$e: $i LUFS within 0.5 LU of -16" near "$i" -16 0.5
  check "$e: true peak $p <= -1 dBTP" le "$p" -1.0
  lo=$(awk -v a="$lo" -v b="$i" 'BEGIN { print (b < a) ? b : a }')
  hi=$(awk -v a="$hi" -v b="$i" 'BEGIN { print (b > a) ? b : a }')
done
spread=$(awk -v a="$hi" -v b="$lo" 'BEGIN { printf "%.1f", a - b }')
echo "batch spread: $spread LU (from $lo to $hi)"
check "episodes within 1 LU of each other ($spread LU)" le "$spread" 1.0

# --loudness reaches every encode; a bad value is refused before anything runs
run "$SOBRE" batch "$T/serie" -o "$T/out23" -p "$fast" --only audio --quality off --progress none \
  --loudness -23 --episode ep2
expect_status 0
read -r i _ _ < <(ff_loud "$T/out23/ep2/audio.webm")
check "--loudness -23 forwarded: $i LUFS" near "$i" -23 0.5
check "--loudness -23 in the report" test "$(jq .loudness.target_lufs "$T/out23/ep2/report.json")" = -23
run "$SOBRE" batch "$T/serie" -o "$T/outx" --loudness 3
expect_status 2
expect_err "--loudness takes off or a loudness in LUFS"
expect_no_file "$T/outx"
finish
