#!/usr/bin/env bash
# sobre encode as a user meets it: --help, usage errors (exit 2), every bad input gets
# one clear line naming the file and exit 1 with nothing written, SIGINT exits 130 and
# leaves no partial file and the earlier outputs intact, two encodes into one folder.
set -u
. "$SOBRE_SRC/tests/lib/assert.sh"
T=$(mktemp -d "${SOBRE_TMP:-/tmp}/cli-encode.XXXXXX")
trap 'rm -rf "$T"' EXIT
clips="$SOBRE_SRC/tests/lib/clips.sh"
fast="$SOBRE_SRC/tests/data/fast.yaml"
need jq

run "$SOBRE" encode --help
expect_status 0; expect_out "Usage: sobre encode INPUT -o EPISODE_DIR"; expect_out "--preset"
run "$SOBRE" encode
expect_status 2; expect_err "missing INPUT"
run "$SOBRE" encode "$($clips basic.mp4)"
expect_status 2; expect_err "missing -o EPISODE_DIR"
run "$SOBRE" encode --bogus x -o "$T/x"
expect_status 2
run "$SOBRE" encode "$($clips basic.mp4)" -o "$T/x" --progress sometimes
expect_status 2; expect_err "--progress takes auto, json or none"

# bad inputs: exit 1, the file named, no episode folder content
for bad in missing.mp4 empty.mp4 random.bin text.mp4 truncated.mp4 folder; do
  case $bad in
    missing.mp4) in="$T/missing.mp4" ;;
    folder) in="$T"; ;;
    *) in=$($clips "$bad") ;;
  esac
  out="$T/out-$bad"
  run "$SOBRE" encode -q -p "$fast" "$in" -o "$out"
  expect_status 1
  expect_err "$in"
  expect_lines_err 1
  expect_no_file "$out/report.json"
done
run "$SOBRE" encode -q -p "$fast" "$T" -o "$T/o"
expect_err "is a folder"
run "$SOBRE" encode -q -p "$fast" "$($clips empty.mp4)" -o "$T/o"
expect_err "empty file (0 bytes)"

# bad presets: file, line and what is allowed
printf 'name: bad\nrungs:\n  - {id: v, role: sobre, codec: vp9, container: webm, width: 640, height: 360, crf: 99}\n' > "$T/bad.yaml"
run "$SOBRE" encode -q -p "$T/bad.yaml" "$($clips basic.mp4)" -o "$T/o"
expect_status 1; expect_err "bad.yaml:3: field 'crf' must be a whole number from 0 to 63, got '99'"
run "$SOBRE" encode -q -p nosuchpreset "$($clips basic.mp4)" -o "$T/o"
expect_status 1; expect_err "no preset named 'nosuchpreset'"
run "$SOBRE" encode -q --enable nosuchrung "$($clips basic.mp4)" -o "$T/o"
expect_status 1; expect_err "no rung 'nosuchrung'"
printf 'WEBVTT\n\n00:00:05.000 --> 00:00:01.000\nbackwards\n' > "$T/bad.vtt"
run "$SOBRE" encode -q -p "$fast" -c "$T/bad.vtt" "$($clips basic.mp4)" -o "$T/o"
expect_status 1; expect_err "bad.vtt:3: cue ends before it starts"

# unwritable output: below a regular file
run "$SOBRE" encode -q -p "$fast" "$($clips basic.mp4)" -o "$T/bad.yaml/ep"
expect_status 1; expect_err "bad.yaml"

# audio-only input: the audio rendition only, with the reason for the others
run "$SOBRE" encode -q -p "$fast" --json "$($clips audioonly.m4a)" -o "$T/audio"
expect_status 0; expect_out '"id": "audio"'; expect_out 'the input has no video'
expect_file "$T/audio/audio.webm"; expect_no_file "$T/audio/vp9-sobre.webm"

# a good encode, then an interrupted --force: exit 130, nothing partial, old files intact
run "$SOBRE" encode -q -p "$fast" --threads 2 --title '<b>Épisode</b> "1"' -c "$SOBRE_SRC/tests/data/captions.vtt" "$($clips hd.mp4)" -o "$T/ep"
expect_status 0
expect_file "$T/ep/vp9-sobre.webm"; expect_file "$T/ep/captions.vtt"; expect_file "$T/ep/poster.webp"
expect_file_contains "$T/ep/report.json" '"title": "<b>Épisode</b> \"1\""'
# encoder threads (issues 7, 18): by share of the work on the cores planned for, whatever
# this machine has. On 2 cores the fast ladder's three rungs weigh about the same (the
# quality measurement at the display size dominates at these sizes): one thread each;
# planned for 4 cores, the sobre rung, on the critical path, gets two.
threads() { jq -c '[.renditions[] | select(.kind == "video") | [.id, .video.threads]]' "$1"; }
check "threads on 2 cores: one each ($(threads "$T/ep/report.json"))" \
  test "$(threads "$T/ep/report.json")" = '[["vp9-low",1],["vp9-sobre",1],["h264",1]]'
check "report.json: planned for 2 cores from --threads ($(jq -c '.plan | [.cores, .cores_from, .mode]' "$T/ep/report.json"))" \
  test "$(jq -c '.plan | [.cores, .cores_from, .mode]' "$T/ep/report.json")" = '[2,"--threads","rungs"]'
run "$SOBRE" encode -p "$fast" --threads 4 --segments off --plan --json "$($clips hd.mp4)" -o "$T/plan4"
expect_status 0
plan4=$(jq -c '[.renditions | to_entries[] | [.key, .value.threads]]' <<<"$_out")
check "threads on 4 cores: two for vp9-sobre ($plan4)" \
  test "$plan4" = '[["vp9-low",1],["vp9-sobre",2],["h264",1]]'
run "$SOBRE" encode -p "$fast" --plan "$($clips hd.mp4)" -o "$T/plan4"
expect_status 0; expect_out "cores "; expect_out "mode "; expect_out "rendition vp9-sobre"
run "$SOBRE" encode -p "$fast" --threads 0 "$($clips hd.mp4)" -o "$T/x"
expect_status 2; expect_err "--threads takes a number from 1 to 1024"
run "$SOBRE" encode -p "$fast" --segments maybe "$($clips hd.mp4)" -o "$T/x"
expect_status 2; expect_err "--segments takes auto, on or off"
run "$SOBRE" encode -p "$fast" --segment 1 --segments off "$($clips hd.mp4)" -o "$T/x"
expect_status 2; expect_err "--segment needs segments"
run "$SOBRE" encode -q -p "$fast" --segment 9 "$($clips hd.mp4)" -o "$T/x"
expect_status 1; expect_err "--segment 9: the plan has 3 segments"
before=$(md5sum "$T/ep/"*.webm "$T/ep/report.json")
# wait_part DIR: until an output is being written (so the signal lands mid-encode)
wait_part() { for _ in $(seq 200); do ls "$1/.sobre" 2>/dev/null | grep -q part && return 0; sleep 0.05; done; return 1; }
long=$($clips long.mp4)
"$SOBRE" encode -q -f -p "$fast" "$long" -o "$T/ep" 2>"$T/int.err" &
pid=$!
check "encode started writing" wait_part "$T/ep"
kill -INT $pid
wait $pid
status=$?
check "interrupted encode exits 130 (got $status)" test "$status" -eq 130
check "no partial file after SIGINT" test -z "$(ls "$T/ep/.sobre" | grep part)"
check "earlier outputs intact after SIGINT" test "$before" = "$(md5sum "$T/ep/"*.webm "$T/ep/report.json")"

# a rerun is a no-op, --progress json prints machine-readable lines
run "$SOBRE" encode -p "$fast" --progress json "$($clips hd.mp4)" -o "$T/ep"
expect_status 0; expect_err "already up to date"
check "rerun changed nothing" test "$before" = "$(md5sum "$T/ep/"*.webm "$T/ep/report.json")"
run "$SOBRE" encode -f -p "$fast" --progress json "$($clips basic.mp4)" -o "$T/json"
expect_status 0; expect_err '{"progress":'

# disk full (a file size limit): a clear message, exit 1, nothing partial, no report
full_rc=0
( ulimit -f 400; trap '' XFSZ; exec "$SOBRE" encode -q -p "$fast" "$long" -o "$T/full" ) 2>"$T/full.err" || full_rc=$?
check "disk full: exit 1 (got $full_rc)" test "$full_rc" -eq 1
check "disk full: the message says so ($(cat "$T/full.err"))" grep -q "File too large" "$T/full.err"
check "disk full: no partial file" test -z "$(ls "$T/full/.sobre" | grep part)"
expect_no_file "$T/full/report.json"
expect_no_file "$T/full/vp9-sobre.webm"

# two encodes into the same folder: the second is refused with a clear message
"$SOBRE" encode -q -f -p "$fast" "$long" -o "$T/lock" &
pid=$!
check "first encode started writing" wait_part "$T/lock"
run "$SOBRE" encode -q -f -p "$fast" "$long" -o "$T/lock"
expect_status 1; expect_err "another 'sobre encode' is writing into this folder"
wait $pid
check "first encode finished fine" test $? -eq 0
expect_file "$T/lock/vp9-sobre.webm"
finish
