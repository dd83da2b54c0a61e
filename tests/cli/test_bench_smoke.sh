#!/usr/bin/env bash
# scripts/bench.sh end to end on 2 s of the built-in sample, 1 round, the two small rungs
# (the 720p rung would double the time on a loaded machine): every way runs, the
# report has its tables and targets, and the ffmpeg commands really use sobre's settings
# (same bytes within a few hundred, SSIM within 0.001, Opus packets byte for byte).
set -uo pipefail
: "${SOBRE:?}" "${SOBRE_TMP:?}" "${SOBRE_SRC:?}"
. "$SOBRE_SRC/tests/lib/need.sh"
need ffmpeg ffprobe jq espeak-ng
[ -x /usr/bin/time ] || missing "GNU time (/usr/bin/time) missing"
work="$SOBRE_TMP/bench-smoke.$$"
mkdir -p "$work"
trap 'rm -rf "$work"' EXIT
export SOBRE_BENCH_CACHE="$SOBRE_TMP/bench-cache" # the sample is made once per build dir
bench="$SOBRE_SRC/scripts/bench.sh"
pass=0
fail=0
ok() { pass=$((pass + 1)); }
ko() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
check() { if eval "$1"; then ok; else ko "$2"; fi; }

# help and usage errors
"$bench" --help > "$work/help" 2>&1
check '[ $? = 0 ] && grep -q "^Usage: scripts/bench.sh" "$work/help"' "--help: exit 0 with usage"
for bad in "--rounds 0" "--rounds x" "--inputs nope" "--seconds 2s" "--only h264-480p" "--frobnicate"; do
  # shellcheck disable=SC2086
  "$bench" $bad > /dev/null 2> "$work/err"
  rc=$?
  check '[ $rc = 2 ] && [ -s "$work/err" ]' "bench.sh $bad: exit $rc, wanted 2 with a message"
done

# the run
start=$(date +%s)
"$bench" --inputs sample --seconds 2 --rounds 1 --only vp9-360p,vp9-480p --out "$work/out" > "$work/stdout" 2> "$work/stderr"
rc=$?
echo "bench.sh took $(($(date +%s) - start)) s"
if [ $rc != 0 ]; then
  ko "bench.sh exit $rc: $(tail -5 "$work/stderr")"
  echo "$pass passed, $fail failed"
  exit 1
fi
j="$work/out/bench.json"
md="$work/out/bench.md"
q() { jq -e "$1" "$j" > /dev/null; }
check 'q ".schema == \"sobre.bench/1\" and (.inputs | length) == 1"' "one input in bench.json"
check 'q "[.runs[] | .method] | sort == [\"ffmpeg-parallel\", \"ffmpeg-sequence\", \"ffmpeg-single\", \"limit\", \"sobre\"]"' \
  "one run of each of the five ways"
check 'q "all(.runs[]; .wall_s > 0 and .cpu_s > 0 and .peak_rss_kb > 10000 and .bytes > 10000)"' \
  "every run has wall, CPU, peak RSS and bytes"
check 'q ".inputs[0].duration_s > 1.9 and .inputs[0].duration_s < 2.5"' "the input was cut to 2 s"
check 'q ".runs[] | select(.method == \"sobre\") | .encode_cpu_s > 0"' "sobre run carries report.json's encode CPU"
check 'q ".runs[] | select(.method == \"limit\") | (.encoders_cpu_s | keys) == [\"opus\", \"vp9-360p\", \"vp9-480p\"] and .limit_s > 0"' \
  "the limit has each encoder's CPU"
check 'q "(.runs[] | select(.method == \"limit\")) as \$l | \$l.limit_s >= ([\$l.encoders_cpu_s[]] | add) / .machine.cores - 0.01"' \
  "limit = summed encoder CPU / cores (at least)"
check 'q "[.inputs[0].rungs[] | .rung] == [\"vp9-360p\", \"vp9-480p\"]"' "the two rungs asked for are compared"
check 'q "[.inputs[0].rungs[] | [.width, .height]] == [[640, 360], [854, 480]]"' "rung sizes from sobre's report"
check 'q "all(.inputs[0].rungs[]; .ffmpeg_ways_identical)"' \
  "the three ffmpeg ways make the same VP9 packets (like-for-like settings)"
check 'q "all(.inputs[0].rungs[]; .audio_identical)"' "ffmpeg's Opus packets are sobre's, byte for byte"
check 'q "all(.inputs[0].rungs[]; .sobre_ssim_y > 0.95 and .sobre_ssim_y <= 1 and ((.sobre_ssim_y - .ffmpeg_ssim_y) | fabs) <= 0.001)"' \
  "SSIM (Y) measured, within 0.001 of ffmpeg's (issue 7's tolerance)"
check 'q "all(.inputs[0].rungs[]; (.sobre_bytes - .ffmpeg_bytes | fabs) < 400)"' \
  "files differ only by ffmpeg's tags (< 400 bytes)"
check 'q "(.inputs[0].targets | length) == 8 and all(.inputs[0].targets[]; (.pass | type) == \"boolean\" and (.value | type) == \"number\")"' \
  "eight targets, each with a value and pass/miss"
check 'q "(.machine.cores | type) == \"number\" and (.machine.cpu | length) > 0 and (.machine.ffmpeg | length) > 0"' \
  "machine description"
check 'grep -q "^| \`sobre encode\` | [0-9.]* s |" "$md"' "bench.md: sobre row"
check 'grep -q "^| one \`ffmpeg\` per rung, in parallel |" "$md"' "bench.md: parallel row"
check 'grep -q "^| encoders alone on raw input (the limit) |" "$md"' "bench.md: limit row"
check '[ "$(grep -cE "\| (pass|\*\*miss\*\*) \|$" "$md")" = 8 ]' "bench.md: eight pass/miss rows"
check 'grep -q "$(nproc) cores" "$md"' "bench.md: machine line"
check 'cmp -s "$md" "$work/stdout"' "bench.md is what was printed"
check '[ ! -e "$work/out/work/episode/raw" ]' "raw y4m inputs removed without --keep"
echo "$pass passed, $fail failed"
[ $fail = 0 ]
