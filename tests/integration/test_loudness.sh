#!/usr/bin/env bash
# Loudness (issue 15, part 2). sobre probe reads EBU Tech 3341-style tones as their known
# loudness; it agrees with ffmpeg's ebur128 filter (an implementation of its own) within
# 0.2 LU on the clips of ../shared/media; every output of a quiet, a loud and a peaky
# speech clip lands within 0.5 LU of -16 LUFS with true peaks at or under -1 dBTP, as
# ffmpeg measures them, audio and video still ending together; near silence is left as it
# is and the +20 dB cap bites, each with a note; --loudness off and -23; the settings hash.
set -u
. "$SOBRE_SRC/tests/lib/assert.sh"
. "$SOBRE_SRC/tests/lib/loudness.sh"
need ffmpeg ffprobe jq espeak-ng
T=$(mktemp -d "${SOBRE_TMP:-/tmp}/loudness.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT
fast="$SOBRE_SRC/tests/data/fast.yaml"
ff() { ffmpeg -nostdin -v error -y "$@"; }
probe_l() { "$SOBRE" probe --json "$1" | jq -r ".[0].loudness.$2"; }

# --- EBU Tech 3341 cases, measured by sobre probe -------------------------------------
# 1: stereo 1 kHz sine at -23 dBFS, 20 s -> -23.0 LUFS; 2: the same at -33 dBFS -> -33.0;
# 5: -26 dBFS 20 s, -20 dBFS 20.1 s, -26 dBFS 20 s (gating) -> -23.0 (tolerance +-0.1 LU).
# BS.1770-4's channel weights: five channels, L R C at -30 dBFS and the side surrounds
# (weight 1.41) at -26.04 dBFS -> -23.0. True peak (Tech 3341 15-19 style): a 12 kHz sine
# at 48 kHz, 45 degrees, whose samples read -9.0 dBFS while its true peak is -6.0 dBTP
# (tolerance +0.2/-0.4 dB).
a() { awk -v d="$1" 'BEGIN { printf "%.7f", 10 ^ (d / 20) }'; }
s1k() { printf '%s*sin(2*PI*1000*t)' "$1"; }
ff -f lavfi -i "aevalsrc=$(s1k "$(a -23)")|$(s1k "$(a -23)"):s=48000:d=20" -c:a pcm_f32le "$T/t1.wav"
ff -f lavfi -i "aevalsrc=$(s1k "$(a -33)")|$(s1k "$(a -33)"):s=48000:d=20" -c:a pcm_f32le "$T/t2.wav"
seq5="if(lt(t\,20)+gte(t\,40.1)\,$(a -26)\,$(a -20))*sin(2*PI*1000*t)"
ff -f lavfi -i "aevalsrc=$seq5|$seq5:s=48000:d=60.1" -c:a pcm_f32le "$T/t5.wav"
l30=$(s1k "$(a -30)") l26=$(s1k "$(a -26.04)")
ff -f lavfi -i "aevalsrc=$l30|$l30|$l30|$l26|$l26:s=48000:d=20:channel_layout=5.0(side)" \
  -c:a pcm_f32le "$T/t6.wav"
ff -f lavfi -i "aevalsrc=0.5*sin(2*PI*12000*t+PI/4):s=48000:d=5" -c:a pcm_f32le "$T/tp.wav"
ff -f lavfi -i "anullsrc=r=48000:cl=stereo" -t 5 -c:a pcm_s16le "$T/silence.wav"
for c in "t1 -23.0" "t2 -33.0" "t5 -23.0" "t6 -23.0"; do
  set -- $c
  got=$(probe_l "$T/$1.wav" integrated_lufs)
  check "tone case ${1#t}: $got LUFS, expected $2 +-0.1" near "$got" "$2" 0.1
  echo "tone case ${1#t}: sobre probe $got LUFS (expected $2)"
done
tp=$(probe_l "$T/tp.wav" true_peak_dbtp)
check "true peak of the 45-degree fs/4 sine: $tp dBTP, expected -6.0 (+0.2/-0.4)" \
  awk -v v="$tp" 'BEGIN { exit !(v >= -6.4 && v <= -5.8) }'
echo "true-peak case: sobre probe $tp dBTP (expected -6.0, samples at -9.0 dBFS)"
run "$SOBRE" probe "$T/t1.wav"
expect_status 0
expect_out "loudness   -23.0 LUFS integrated, range 0.0 LU, true peak -23.0 dBTP"
run "$SOBRE" probe "$T/silence.wav"
expect_out "loudness   silence (below the -70 LUFS gate of BS.1770)"
check "silence: below_gate in JSON" test "$(probe_l "$T/silence.wav" below_gate)" = true
run "$SOBRE" probe --no-loudness --json "$T/t1.wav"
check "--no-loudness: loudness null" test "$(jq -r '.[0].loudness' <<<"$_out")" = null

# --- agreement with ffmpeg's ebur128 on the shared clips (within 0.2 LU) ---------------
media=${SOBRE_MEDIA:-}
if [ -n "$media" ] && [ -d "$media" ]; then
  for f in "$media"/*.mp4 "$media"/*.webm "$media"/*.wav; do
    [ -f "$f" ] || continue
    [ "$(ffprobe -v error -select_streams a -show_entries stream=index -of csv=p=0 "$f" | head -1)" ] || continue
    read -r fi fl fp < <(ff_loud "$f")
    j=$("$SOBRE" probe --json "$f")
    si=$(jq -r '.[0].loudness.integrated_lufs' <<<"$j")
    sl=$(jq -r '.[0].loudness.range_lu' <<<"$j")
    sp=$(jq -r '.[0].loudness.true_peak_dbtp' <<<"$j")
    echo "$(basename "$f"): ffmpeg I $fi LRA $fl TP $fp | sobre I $si LRA $sl TP $sp"
    if [ "$si" = null ]; then # below the gate: ffmpeg prints its floor, -70.0
      check "$(basename "$f"): silent for both (ffmpeg $fi)" test "$fi" = -70.0
      continue
    fi
    check "$(basename "$f"): integrated $si vs ffmpeg $fi, within 0.2 LU" near "$si" "$fi" 0.2
    check "$(basename "$f"): true peak $sp vs ffmpeg $fp, within 0.5 dB" near "$sp" "$fp" 0.5
  done
else
  echo "note: SOBRE_MEDIA absent, agreement on the shared clips skipped"
fi

# --- quiet, loud and peaky speech through the encode: every output at -16 +-0.5 --------
speech_clip "$T/quiet.mkv" -12 1                               # about -34 LUFS
EXTRA_AF="volume=12dB" speech_clip "$T/loud.mkv" 2 1           # about -8 LUFS, clipped
clicks="if(lt(mod(t\,2)\,0.003)\,0.95*sin(2*PI*1500*t)\,0)"    # a knock every 2 s at 0 dBFS
ff -f lavfi -i "testsrc2=size=320x180:rate=25:duration=6" -i "$T/quiet.mkv" \
  -f lavfi -i "aevalsrc=$clicks|$clicks:s=48000:d=6" \
  -filter_complex "[1:a]volume=6dB[s];[s][2:a]amix=inputs=2:normalize=0[a]" -map 0:v -map "[a]" \
  -c:v libx264 -preset ultrafast -pix_fmt yuv420p -c:a pcm_s16le -shortest "$T/peaky.mkv"
for c in quiet loud peaky; do
  in=$(probe_l "$T/$c.mkv" integrated_lufs) inp=$(probe_l "$T/$c.mkv" true_peak_dbtp)
  echo "$c: input $in LUFS, true peak $inp dBTP"
  run "$SOBRE" encode -q --quality off -p "$fast" "$T/$c.mkv" -o "$T/ep-$c"
  expect_status 0
  r="$T/ep-$c/report.json"
  check "$c: report has the input loudness" near "$(jq .loudness.input.integrated_lufs "$r")" "$in" 0.01
  for f in "$T/ep-$c"/*.webm "$T/ep-$c"/*.mp4; do
    read -r i l p < <(ff_loud "$f")
    b=$(basename "$f")
    echo "  $b: ffmpeg I $i LUFS, LRA $l LU, true peak $p dBTP; report $(jq -c --arg f "$b" \
      '.renditions[] | select(.file == $f) | .loudness | [.integrated_lufs, .true_peak_dbtp, .gain_db, .limiter]' "$r")"
    check "$c $b: $i LUFS within 0.5 LU of -16" near "$i" -16 0.5
    check "$c $b: true peak $p dBTP <= -1" le "$p" -1.0
    ri=$(jq --arg f "$b" '.renditions[] | select(.file == $f) | .loudness.integrated_lufs' "$r")
    check "$c $b: report's output loudness $ri = ffmpeg's $i (0.2)" near "$ri" "$i" 0.2
    # audio and video still end together, and the audio lasts what the source lasts
    ad=$(stream_end "$f" a:0)
    check "$c $b: audio lasts $ad s (6 s source)" near "$ad" 6 0.08
    if ffprobe -v error -select_streams v:0 -show_entries stream=index -of csv=p=0 "$f" | grep -q .; then
      vd=$(stream_end "$f" v:0)
      check "$c $b: video $vd s and audio $ad s end together" near "$vd" "$ad" 0.08
    fi
  done
done
check "peaky: the limiter acted" test "$(jq '.loudness.audio.listen.limiter_reduction_db < -1' "$T/ep-peaky/report.json")" = true
check "loud: attenuated" test "$(jq '.loudness.audio.listen.gain_db < -5' "$T/ep-loud/report.json")" = true

# --- near silence, the cap, off, -23 (audio rendition only: fast) ----------------------
speech_clip "$T/hush.wav" -38   # about -60 LUFS: near silence
speech_clip "$T/faint.wav" -20  # about -42 LUFS: +26 dB wanted
run "$SOBRE" encode -q --only audio -p "$fast" "$T/hush.wav" -o "$T/ep-hush"
expect_status 0
run "$SOBRE" encode -q --only audio --loudness off -p "$fast" "$T/hush.wav" -o "$T/ep-hush-off"
expect_status 0
read -r hi _ _ < <(ff_loud "$T/ep-hush/audio.webm")
read -r ho _ _ < <(ff_loud "$T/ep-hush-off/audio.webm")
hin=$(probe_l "$T/hush.wav" integrated_lufs)
echo "near silence: input $hin LUFS (stereo) -> $hi LUFS (mono), with --loudness off $ho"
check "near silence left as it is: $hi LUFS, as with --loudness off ($ho)" near "$hi" "$ho" 0.05
check "near silence: a note" jq -e '.notes | any(test("near silence"))' "$T/ep-hush/report.json"
check "near silence: action silent" test "$(jq -r .loudness.audio.listen.action "$T/ep-hush/report.json")" = silent
run "$SOBRE" encode -q --only audio -p "$fast" "$T/faint.wav" -o "$T/ep-faint"
expect_status 0
read -r fi _ fp < <(ff_loud "$T/ep-faint/audio.webm")
fin=$(probe_l "$T/faint.wav" integrated_lufs)
echo "faint: input $fin LUFS -> $fi LUFS (cap), true peak $fp"
check "cap: +20 dB from $fin gives $fi" near "$fi" "$(awk -v a="$fin" 'BEGIN { print a + 20 }')" 0.5
check "cap: a note" jq -e '.notes | any(test("capped at \\+20 dB"))' "$T/ep-faint/report.json"
check "cap: capped in the report" test "$(jq .loudness.audio.listen.capped "$T/ep-faint/report.json")" = true

run "$SOBRE" encode -q --only audio --loudness off -p "$fast" "$T/quiet.mkv" -o "$T/ep-off"
expect_status 0
read -r oi _ _ < <(ff_loud "$T/ep-off/audio.webm")
qin=$(probe_l "$T/quiet.mkv" integrated_lufs)
# the same speech on both channels, downmixed to mono as before (each channel's level):
# 3 LU under the stereo figure
check "--loudness off keeps the level: $oi vs $qin - 3 (mono downmix)" near "$oi" "$(awk -v a="$qin" 'BEGIN { print a - 3 }')" 0.5
check "--loudness off: mode off" test "$(jq -r .loudness.mode "$T/ep-off/report.json")" = off
run "$SOBRE" encode -q --only audio --loudness -23 -p "$fast" "$T/quiet.mkv" -o "$T/ep-off"
expect_status 0
read -r ti _ tp < <(ff_loud "$T/ep-off/audio.webm")
check "--loudness -23: $ti LUFS" near "$ti" -23 0.5
check "--loudness -23: true peak $tp" le "$tp" -1.0
# the setting is in the rendition's hash: the same again is kept, another target re-encodes
run "$SOBRE" encode --only audio --loudness -23 -p "$fast" "$T/quiet.mkv" -o "$T/ep-off"
expect_err "already up to date"
run "$SOBRE" encode --only audio -p "$fast" "$T/quiet.mkv" -o "$T/ep-off"
expect_err "(encoded)"
run "$SOBRE" encode --loudness -5 "$T/quiet.mkv" -o "$T/x"
expect_status 2
expect_err "--loudness takes off or a loudness in LUFS from -36 to -10"
run "$SOBRE" encode --loudness loud "$T/quiet.mkv" -o "$T/x"
expect_status 2
finish
