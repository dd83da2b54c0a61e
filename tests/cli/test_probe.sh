#!/usr/bin/env bash
# `sobre probe` as a user runs it: --help, usage errors (exit 2), every kind of bad input
# (one stderr line naming the file and the problem, exit 1) while the other files on the
# same command line are still described, --json with error objects, odd file names.
set -uo pipefail
: "${SOBRE:?}" "${SOBRE_SRC:?}" "${SOBRE_TMP:?}"
export SOBRE_TMP
clips="$SOBRE_SRC/tests/lib/clips.sh"
work="$SOBRE_TMP/cli-probe.$$"
rm -rf "$work" && mkdir -p "$work"
trap 'rm -rf "$work"' EXIT
fails=0 passes=0
ok() { passes=$((passes + 1)); }
bad() { fails=$((fails + 1)); echo "FAIL: $*" >&2; }
check() { if eval "$1"; then ok; else bad "$2"; fi; }

# run ARGS...: sets rc, out, err
run() {
  "$SOBRE" probe "$@" >"$work/out" 2>"$work/err"
  rc=$?
  out=$(cat "$work/out")
  err=$(cat "$work/err")
}

for c in basic.mp4 noaudio.mp4 odd721.mkv subs.mkv truncated.mkv empty.mp4 random.bin text.mp4 \
  truncated.mp4; do
  "$clips" "$c" >/dev/null || { echo "cannot make $c" >&2; exit 1; }
done
C() { "$clips" "$1"; }

# --- help and usage -------------------------------------------------------------------
run --help
check '[ $rc -eq 0 ] && [ -z "$err" ]' "--help: rc=$rc err=$err"
for w in "Usage: sobre probe" --json --scan --no-end-check --verbose "Exit status" no-video \
  no-audio vfr interlaced odd-dimensions rotated truncated unreadable "empty file (0 bytes)"; do
  check 'grep -qF -- "$w" <<<"$out"' "--help lacks '$w'"
done
run -h
check '[ $rc -eq 0 ] && grep -q "Usage: sobre probe" <<<"$out"' "-h"
run
check '[ $rc -eq 2 ] && grep -q "no FILE given" <<<"$err" && [ -z "$out" ]' "no file: rc=$rc $err"
run --bogus "$(C basic.mp4)"
check '[ $rc -eq 2 ] && grep -qF "unknown option '"'"'--bogus'"'"'" <<<"$err"' "bad option: rc=$rc $err"
check 'grep -qF "sobre probe --help" <<<"$err" && [ -z "$out" ]' "bad option: no hint or stdout"
for s in abc -1 "" 2x; do
  run --scan "$s" "$(C basic.mp4)"
  check '[ $rc -eq 2 ] && grep -q -- "--scan" <<<"$err"' "--scan '$s': rc=$rc"
done
run --scan
check '[ $rc -eq 2 ]' "--scan without value: rc=$rc"

# --- one bad input at a time: exit 1, one line "sobre probe: PATH: problem" -----------
mkdir -p "$work/a dir"
printf 'WEBVTT\n\n00:00.000 --> 00:01.000\nBonjour\n' >"$work/only.vtt"
while IFS='|' read -r path words; do
  run "$path"
  check '[ $rc -eq 1 ]' "$path: rc=$rc (want 1)"
  check '[ -z "$out" ]' "$path: stdout not empty: $out"
  check '[ "$(wc -l <"$work/err")" -eq 1 ]' "$path: want one stderr line, got: $err"
  check '[[ "$err" == "sobre probe: $path: "* ]]' "$path: line does not name the file: $err"
  check 'grep -qF -- "$words" <<<"$err"' "$path: '$err' lacks '$words'"
done <<EOF
$work/missing.mp4|no such file
$work/a dir|is a directory
$(C empty.mp4)|empty file (0 bytes)
$(C random.bin)|not a media file
$(C text.mp4)|not a media file (it is text)
$(C truncated.mp4)|truncated or not a media file
$work/only.vtt|no audio or video stream (only subtitles)
/dev/null|not a regular file
EOF

# --- bad inputs mixed with good ones: the good ones are still described ---------------
run "$(C basic.mp4)" "$(C empty.mp4)" "$work/missing.mp4" "$(C noaudio.mp4)"
check '[ $rc -eq 1 ]' "mixed: rc=$rc"
check 'grep -qxF "$(C basic.mp4)" <<<"$out" && grep -qxF "$(C noaudio.mp4)" <<<"$out"' \
  "mixed: good files not printed: $out"
check '[ "$(wc -l <"$work/err")" -eq 2 ]' "mixed: want 2 error lines: $err"
check 'grep -qF "$(C empty.mp4): empty file (0 bytes)" <<<"$err"' "mixed: empty not named"
check 'grep -qF "$work/missing.mp4: no such file" <<<"$err"' "mixed: missing not named"
check 'grep -q "no audio stream.*\[no-audio\]" <<<"$out"' "mixed: noaudio problem not shown"

# --- the table -------------------------------------------------------------------------
run "$(C subs.mkv)" "$(C odd721.mkv)" "$(C truncated.mkv)"
check '[ $rc -eq 0 ] && [ -z "$err" ]' "table: rc=$rc err=$err (problems are not failures)"
for w in "container  matroska,webm" "subtitle  subrip" "lang fra" "chapter 1" "Début" \
  "721x405" "[odd-dimensions]" "[truncated]" "h264 (Constrained Baseline)" "48000 Hz"; do
  check 'grep -qF -- "$w" <<<"$out"' "table lacks '$w'"
done

# --- options that change what is read -------------------------------------------------
"$clips" vfr.mkv >/dev/null
run -v "$(C vfr.mkv)"
check '[ $rc -eq 0 ] && grep -q "debug: frame durations" <<<"$err"' "-v: no measurement lines: $err"
check 'grep -qF "[vfr]" <<<"$out"' "vfr.mkv: no [vfr] in the table"
run --scan 0 "$(C vfr.mkv)"
check '[ $rc -eq 0 ] && ! grep -qF "[vfr]" <<<"$out"' "--scan 0 still judged VFR"
run --scan=0 --no-end-check "$(C truncated.mkv)"
check '[ $rc -eq 0 ] && ! grep -qF "[truncated]" <<<"$out"' "--scan=0 --no-end-check still read the end"
run --scan=0 "$(C truncated.mkv)"
check '[ $rc -eq 0 ] && grep -qF "[truncated]" <<<"$out"' "the end check alone finds the cut"

# --- JSON --------------------------------------------------------------------------------
run --json "$(C basic.mp4)" "$(C empty.mp4)" "$(C subs.mkv)" "$work/a dir"
check '[ $rc -eq 1 ] && [ "$(wc -l <"$work/err")" -eq 2 ]' "json: rc=$rc err=$err"
if command -v node >/dev/null; then
  node - "$work/out" "$(C basic.mp4)" "$(C empty.mp4)" <<'EOF' || bad "json content (see above)"
const fs = require('fs');
const [file, basic, empty] = process.argv.slice(2);
const a = JSON.parse(fs.readFileSync(file, 'utf8'));
const want = (c, m) => { if (!c) { console.error('json: ' + m); process.exitCode = 1; } };
want(Array.isArray(a) && a.length === 4, 'want an array of 4');
want(a[0].file === basic && a[0].streams.length === 2 && a[0].error === undefined, 'basic');
want(a[0].video_stream === 0 && a[0].audio_stream === 1, 'best streams');
want(a[0].streams[0].codec === 'h264' && a[0].streams[0].width === 320, 'basic video');
want(a[0].streams[0].vfr === false && a[0].streams[0].sar === '1:1', 'basic vfr/sar');
want(a[0].streams[1].channel_layout === 'stereo', 'basic audio');
want(Math.abs(a[0].duration_s - 2) < 0.05 && a[0].problems.length === 0, 'basic duration');
want(a[1].file === empty && a[1].error === 'empty file (0 bytes)', 'empty: ' + JSON.stringify(a[1]));
want(Object.keys(a[1]).length === 2, 'error objects hold file and error only');
want(a[2].chapters.length === 1 && a[2].chapters[0].title === 'Début', 'chapter');
want(a[2].streams[2].type === 'subtitle' && a[2].streams[2].language === 'fra', 'subtitle');
want(/is a directory/.test(a[3].error), 'dir');
EOF
  ok
fi

# --- odd file names ----------------------------------------------------------------------
cp "$(C basic.mp4)" "$work/-dash.mp4"
cp "$(C basic.mp4)" "$work/concat:x.mp4"
cp "$(C basic.mp4)" "$work/$(printf 'caf\xe9.mp4')"
(cd "$work" && "$SOBRE" probe -- -dash.mp4 >/dev/null 2>&1)
check '[ $? -eq 0 ]' "-- then a file name starting with '-'"
(cd "$work" && "$SOBRE" probe concat:x.mp4 >/dev/null 2>&1)
check '[ $? -eq 0 ]' "a ':' in the name is not a protocol"
run --json "$work/$(printf 'caf\xe9.mp4')"
check '[ $rc -eq 0 ]' "latin-1 file name: rc=$rc"
if command -v node >/dev/null; then
  node -e 'const a=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8"));
    if (!/caf\?\.mp4$/.test(a[0].file)) process.exit(1)' "$work/out"
  check '[ $? -eq 0 ]' "non-UTF-8 file name must still give valid JSON"
fi

# --- stdout errors -----------------------------------------------------------------------
if [ -w /dev/full ]; then
  "$SOBRE" probe "$(C basic.mp4)" >/dev/full 2>"$work/err"
  rc=$?
  check '[ $rc -eq 1 ] && grep -q "standard output" "$work/err"' "/dev/full: rc=$rc"
fi

echo "$passes passed, $fails failed"
[ $fails -eq 0 ] && [ $passes -gt 0 ]
