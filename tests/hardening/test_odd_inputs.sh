#!/usr/bin/env bash
# Real-world odd inputs through probe, encode (tests/data/fast.yaml) and publish: legacy
# codecs, H.264 starting inside a GOP, cut and truncated files, rotation, 10-bit and
# 4:2:2/4:4:4, interlaced, 5.1/7.1/3-channel audio, 8 kHz and 96 kHz, phone VFR, a huge
# timestamp jump, streams with no packets, 16x16 and 3840x2160, audio-only, video-only,
# subtitles only. Every run is under `timeout`. Each command either succeeds with
# outputs that decode without an error message and sane durations, or exits 1 with one
# message naming the input and nothing partial left; never a crash, a hang or exit > 1.
set -u
. "$SOBRE_SRC/tests/lib/assert.sh"
T=$(mktemp -d "${SOBRE_TMP:-/tmp}/hard-odd.XXXXXX")
trap 'rm -rf "$T"' EXIT
clips="$SOBRE_SRC/tests/lib/clips.sh"
fast="$SOBRE_SRC/tests/data/fast.yaml"
need ffmpeg ffprobe jq timeout
# Under valgrind-less sanitizer builds everything is slower: scale the time limits.
slow=1
ldd "$SOBRE" 2>/dev/null | grep -q libasan && slow=4

# Clips that must encode, clips that must be refused, and clips whose outcome is
# either (known encode issues, see docs/reliability.md: only crash/hang/partial/exit
# code are checked for them, not the audio/video agreement). The timeline clips (jump.ts,
# cutmid.ts, noparams.ts) get their specific checks in test_discontinuities.sh.
must_ok="mpeg2.mpg mpeg4.avi cinepak.mov mjpeg.avi nonidr.ts cutend.mp4 truncated.mkv
  rotated.mp4 10bit.mkv 422.mkv 444p10.mov odd721.mkv interlaced.mkv surround.mkv
  layout3.mkv surround71.mkv mono8k.mp4 hi96k.mkv phone.mp4 vfr.mkv tiny.mp4 uhd.mkv
  audioonly.m4a noaudio.mp4 start.ts jump.ts rejoin.ts cutmid.ts noparams.ts"
must_fail="noframes.mp4 subsonly.mkv truncated.mp4 empty.mp4 random.bin"
known="zeroaudio.mkv"

dur() { ffprobe -v error -show_entries format=duration -of csv=p=0 "$1" 2>/dev/null; }
no_partial() { # DIR: no *.part and no temporary file anywhere below
  test -z "$(find "$1" -name '*.part' -o -name '*.tmp*' -o -name '.*.sobre-tmp-*' 2>/dev/null)"
}

episodes=()
summary=""
for c in $must_ok $must_fail $known; do
  in=$($clips "$c") || { _fail_msg "clips.sh $c"; continue; }
  # probe: exit 0 or 1, valid JSON either way, a named reason on failure
  timeout $((60 * slow)) "$SOBRE" probe --json "$in" >"$T/$c.probe.json" 2>"$T/$c.probe.err"
  prc=$?
  check "$c: probe exits 0 or 1 (got $prc: $(head -c 300 "$T/$c.probe.err"))" test $prc -le 1
  check "$c: probe --json is JSON" jq -e . "$T/$c.probe.json" >/dev/null
  [ $prc -eq 1 ] && check "$c: probe failure names the file" grep -qF "$in" "$T/$c.probe.err"

  ep="$T/ep-$c"
  timeout $((180 * slow)) "$SOBRE" encode -q -p "$fast" "$in" -o "$ep" 2>"$T/$c.err"
  rc=$?
  summary+=$(printf '%-15s probe %d encode %d' "$c" $prc $rc)
  check "$c: encode exits 0 or 1, no crash or timeout (got $rc: $(head -c 300 "$T/$c.err"))" test $rc -le 1
  [ -d "$ep" ] && check "$c: nothing partial left in $ep" no_partial "$ep"
  case " $(echo $must_fail) " in *" $c "*)
    check "$c: refused (exit 1, got $rc)" test $rc -eq 1 ;;
  esac
  case " $(echo $must_ok) " in *" $c "*)
    check "$c: encoded (exit 0, got $rc: $(head -c 300 "$T/$c.err"))" test $rc -eq 0 ;;
  esac
  is_known=0
  case " $(echo $known) " in *" $c "*) is_known=1 ;; esac
  if [ $rc -eq 1 ]; then
    check "$c: one line of message" test "$(wc -l <"$T/$c.err")" -eq 1
    [ $is_known -eq 0 ] && check "$c: the message names the input ($(cat "$T/$c.err"))" grep -qF "$in" "$T/$c.err"
    expect_no_file "$ep/report.json"
    summary+=$'\n'
    [ $is_known -eq 0 ] && check "$c: no rendition left after a failure" \
      test -z "$(ls "$ep" 2>/dev/null | grep -E '\.(webm|mp4)$')"
    continue
  fi
  [ $rc -eq 0 ] || continue
  expect_file "$ep/report.json"
  src=$(jq -r '.source.duration_s' "$ep/report.json")
  mapfile -t files < <(jq -r '.renditions[].file' "$ep/report.json")
  check "$c: at least one rendition" test ${#files[@]} -gt 0
  lo=""; hi=""
  for f in "${files[@]}"; do
    decode_err=$(timeout $((120 * slow)) ffmpeg -nostdin -v error -i "$ep/$f" -f null - 2>&1)
    check "$c/$f: decodes with no error message ($(head -c 200 <<<"$decode_err"))" test -z "$decode_err"
    d=$(dur "$ep/$f")
    check "$c/$f: duration $d is > 0 and <= source $src + 1" \
      awk -v d="$d" -v s="$src" 'BEGIN { exit !(d > 0 && d <= s + 1) }'
    lo=$(awk -v a="${lo:-$d}" -v d="$d" 'BEGIN { print (d < a ? d : a) }')
    hi=$(awk -v a="${hi:-$d}" -v d="$d" 'BEGIN { print (d > a ? d : a) }')
  done
  [ $is_known -eq 0 ] && check "$c: renditions agree on the duration ($lo..$hi s)" \
    awk -v l="$lo" -v h="$hi" 'BEGIN { exit !(h - l <= 0.5) }'
  if [ $is_known -eq 0 ]; then
    episodes+=("$ep")
  else
    # Known encode issues may write a report publish refuses (see docs/reliability.md):
    # publish must then fail cleanly, never crash or leave a half site.
    timeout $((60 * slow)) "$SOBRE" publish -q "$ep" -o "$T/site-$c" 2>"$T/$c.perr2"
    prc=$?
    check "$c: publish exits 0 or 1 (got $prc)" test $prc -le 1
    [ $prc -eq 1 ] && expect_no_file "$T/site-$c"
    summary+=$(printf ' publish %d' $prc)
  fi
  summary+=$'\n'
done
printf '%s' "$summary"

# publish every episode that encoded into one site
timeout $((120 * slow)) "$SOBRE" publish -q "${episodes[@]}" -o "$T/site" 2>"$T/publish.err"
rc=$?
check "publish of ${#episodes[@]} odd episodes exits 0 (got $rc: $(head -c 300 "$T/publish.err"))" test $rc -eq 0
expect_file "$T/site/index.html"
check "manifest lists every episode" \
  test "$(jq '.episodes | length' "$T/site/manifest.json" 2>/dev/null)" = "${#episodes[@]}"
check "no temporary folder left next to the site" no_partial "$T"
# every media file the manifest names exists in the site
missing=0
while read -r rel; do [ -e "$T/site/$rel" ] || { missing=$((missing + 1)); echo "missing $rel"; }; done < \
  <(jq -r '.. | objects | (.src? // .file? // .url? // empty) | strings' "$T/site/manifest.json" 2>/dev/null | grep -v '^http' | grep '/')
check "every file the manifest names is in the site ($missing missing)" test $missing -eq 0

# publish refuses an episode that is not one, naming it, and leaves no site behind
timeout 60 "$SOBRE" publish -q "$T" -o "$T/site2" 2>"$T/publish2.err"
rc=$?
check "publish of a non-episode exits 1 (got $rc)" test $rc -eq 1
check "publish names the folder ($(cat "$T/publish2.err"))" grep -qF "$T" "$T/publish2.err"
expect_no_file "$T/site2"
finish
