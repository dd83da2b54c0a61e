#!/usr/bin/env bash
# Faults: publish into an unwritable place and onto a full disk (file size limit), a
# SIGKILL in the middle of an encode then a rerun (it completes; nothing earlier is
# lost), SIGKILL at many points of a publish (the site is always the previous one
# or the new one, whole; a rerun completes and sweeps what the killed run left), and an
# output damaged on its way to disk (the encode's check fails it; nothing is kept).
# (Two encodes into one folder and SIGINT are in tests/cli/test_encode_cli.sh.)
set -u
. "$SOBRE_SRC/tests/lib/assert.sh"
T=$(mktemp -d "${SOBRE_TMP:-/tmp}/hard-faults.XXXXXX")
trap 'chmod -R u+w "$T" 2>/dev/null; rm -rf "$T"' EXIT
clips="$SOBRE_SRC/tests/lib/clips.sh"
fast="$SOBRE_SRC/tests/data/fast.yaml"
need jq
decodes() { [ -z "$(ffmpeg -nostdin -v error -i "$1" -f null - 2>&1)" ]; }
no_partial() { test -z "$(find "$1" -name '*.part' -o -name '.*.sobre-tmp-*' 2>/dev/null)"; }
# site_ok SITE: manifest parses and every file it names is there
site_ok() {
  jq -e '.schema == "sobre.site/1"' "$1/manifest.json" >/dev/null 2>&1 || return 1
  local rel
  while read -r rel; do [ -s "$1/$rel" ] || return 1; done < \
    <(jq -r '.. | objects | .url? // empty | strings' "$1/manifest.json" | grep -v '^http')
  test -s "$1/index.html"
}

# Two small episodes to publish.
"$SOBRE" encode -q -p "$fast" --title "Un" "$($clips basic.mp4)" -o "$T/ep1" || _fail_msg "encode ep1"
"$SOBRE" encode -q -p "$fast" --title "Deux" "$($clips mono.mp4)" -o "$T/ep2" || _fail_msg "encode ep2"

# --- publish: unwritable output
run "$SOBRE" publish -q "$T/ep1" -o "$T/ep1/report.json/site"
expect_status 1; expect_err "report.json"
mkdir -p "$T/ro"; chmod a-w "$T/ro"
if [ "$(id -u)" -ne 0 ]; then
  run "$SOBRE" publish -q "$T/ep1" -o "$T/ro/site"
  expect_status 1; expect_err "$T/ro"
  expect_no_file "$T/ro/site"
fi
chmod u+w "$T/ro"

# --- publish: a first site, then a full disk while publishing again
run "$SOBRE" publish -q "$T/ep1" -o "$T/site"
expect_status 0
check "first site is whole" site_ok "$T/site"
before=$(cd "$T/site" && find . -type f | sort | xargs md5sum)
full_rc=0
( ulimit -f 1; trap '' XFSZ; exec "$SOBRE" publish -q "$T/ep1" "$T/ep2" -o "$T/site" ) 2>"$T/full.err" || full_rc=$?
check "disk full: publish exits 1 (got $full_rc)" test "$full_rc" -eq 1
check "disk full: the message says so ($(cat "$T/full.err"))" grep -q "File too large" "$T/full.err"
check "disk full: one line" test "$(wc -l <"$T/full.err")" -eq 1
check "disk full: previous site intact" test "$before" = "$(cd "$T/site" && find . -type f | sort | xargs md5sum)"
check "disk full: no temporary folder left" no_partial "$T"

# --- publish killed at many points: always the old or the new site, whole
for delay in 0.02 0.05 0.1 0.15 0.2 0.3 0.5; do
  "$SOBRE" publish -q "$T/ep1" "$T/ep2" -o "$T/site" 2>/dev/null &
  pid=$!
  sleep $delay
  kill -KILL $pid 2>/dev/null
  wait $pid 2>/dev/null
  check "publish killed after ${delay}s: the site is whole" site_ok "$T/site"
  n=$(jq '.episodes | length' "$T/site/manifest.json")
  if [ "$n" = 1 ]; then
    check "killed after ${delay}s: the old site is untouched" \
      test "$before" = "$(cd "$T/site" && find . -type f | sort | xargs md5sum)"
  else
    check "killed after ${delay}s: else the new site, 2 episodes (got $n)" test "$n" = 2
  fi
  # back to the one-episode site for the next round
  "$SOBRE" publish -q "$T/ep1" -o "$T/site" 2>"$T/re.err"
  check "rerun after a killed publish succeeds ($(cat "$T/re.err"))" test $? -eq 0
  check "rerun swept the killed run's temporary folder" no_partial "$T"
done
before=$(cd "$T/site" && find . -type f | sort | xargs md5sum)

# --- encode killed with SIGKILL half-way, then a rerun
ep="$T/ep1"
sums=$(md5sum "$ep"/*.webm "$ep"/*.mp4 "$ep/report.json")
wait_part() { for _ in $(seq 400); do ls "$1/.sobre" 2>/dev/null | grep -q part && return 0; sleep 0.05; done; return 1; }
long=$($clips long.mp4)
"$SOBRE" encode -q -f -p "$fast" "$long" -o "$ep" 2>/dev/null &
pid=$!
check "encode started writing" wait_part "$ep"
sleep 0.5
kill -KILL $pid
wait $pid 2>/dev/null
check "after SIGKILL, the earlier outputs and report are intact" \
  test "$sums" = "$(md5sum "$ep"/*.webm "$ep"/*.mp4 "$ep/report.json")"
for f in "$ep"/*.webm "$ep"/*.mp4; do check "after SIGKILL, $(basename "$f") decodes" decodes "$f"; done
check "report.json still parses" jq -e '.renditions | length > 0' "$ep/report.json"
# the rerun (same input as the first encode) completes: the killed run's lock is stale
run timeout 300 "$SOBRE" encode -q -p "$fast" --title "Un" "$($clips basic.mp4)" -o "$ep"
expect_status 0
check "rerun leaves nothing partial" test -z "$(ls "$ep/.sobre" 2>/dev/null | grep part)"
check "rerun after the kill keeps the same outputs" \
  test "$sums" = "$(md5sum "$ep"/*.webm "$ep"/*.mp4 "$ep/report.json")"
# and a rerun of the interrupted job itself completes too
run timeout 600 "$SOBRE" encode -q -f -p "$fast" "$long" -o "$ep"
expect_status 0
for f in "$ep"/*.webm "$ep"/*.mp4; do check "after the completed rerun, $(basename "$f") decodes" decodes "$f"; done
d=$(jq '[.renditions[].duration_s] | min' "$ep/report.json")
check "completed rerun covers the 20 s input (min duration $d)" awk -v d="$d" 'BEGIN { exit !(d > 19) }'

# --- encode: one byte of an output flipped as it is written (tests/lib/corrupt_write.c, a
# write() shim): the check reads every file back, so the encode fails naming the file and
# nothing takes its final name; with --no-verify the same damage goes through unnoticed
if [ -r "${SOBRE_CORRUPT_SO:-}" ]; then
  clean="$T/clean" basic=$($clips basic.mp4)
  damaged() { # TARGET OPTIONS...: encode basic.mp4 with TARGET's byte at 60 % flipped
    local target=$1 at
    shift
    at=$(($(stat -c %s "$clean/$target") * 6 / 10))
    rm -rf "$T/dmg"
    run env LD_PRELOAD="$SOBRE_CORRUPT_SO" SOBRE_CORRUPT_SUFFIX="/$target.part" SOBRE_CORRUPT_AT=$at \
      ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" \
      timeout 300 "$SOBRE" encode -q -p "$fast" "$basic" -o "$T/dmg" "$@"
  }
  "$SOBRE" encode -q -p "$fast" "$basic" -o "$clean" || _fail_msg "clean encode"
  for target in vp9-sobre.webm vp9-low.webm h264.mp4 audio.webm; do
    damaged "$target"
    expect_status 1
    expect_err "$target"
    expect_lines_err 1
    check "damaged $target: no output took its final name" \
      test -z "$(find "$T/dmg" -maxdepth 1 \( -name '*.webm' -o -name '*.mp4' -o -name report.json \))"
  done
  damaged vp9-sobre.webm --no-verify
  expect_status 0
  check "--no-verify: the damaged file was kept (the check is what catches it)" \
    test "$(md5sum < "$T/dmg/vp9-sobre.webm")" != "$(md5sum < "$clean/vp9-sobre.webm")"
else
  _fail_msg "SOBRE_CORRUPT_SO (the write() shim) is not built"
fi
finish
