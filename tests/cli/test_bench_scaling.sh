#!/usr/bin/env bash
# scripts/bench-scaling.sh end to end on a 3 s clip with the test ladder (1 s keyframes:
# three segments), two rounds: every way runs (segments one at a time too), the joined
# files pass their checks, the segment-parallel outputs of both rounds, a segment made
# twice and the segments made one at a time then joined are byte-identical, and the
# computed table (sobre plan) has every core count. No figure is asserted: they
# are timings.
set -uo pipefail
: "${SOBRE:?}" "${SOBRE_TMP:?}" "${SOBRE_SRC:?}"
. "$SOBRE_SRC/tests/lib/assert.sh"
need ffmpeg ffprobe jq
[ -x /usr/bin/time ] || missing "GNU time (/usr/bin/time) missing"
T=$(mktemp -d "$SOBRE_TMP/bench-scaling.XXXXXX")
trap 'rm -rf "$T"' EXIT
bench="$SOBRE_SRC/scripts/bench-scaling.sh"

run "$bench" --help
expect_status 0; expect_out "Usage: scripts/bench-scaling.sh"
for bad in "--rounds 0" "--cores x" "--seconds 2s" "--frobnicate"; do
  # shellcheck disable=SC2086
  run "$bench" $bad
  expect_status 2
done

clip=$("$SOBRE_SRC/tests/lib/clips.sh" hd.mp4)
run "$bench" --inputs "$clip" --preset "$SOBRE_SRC/tests/data/fast.yaml" --rounds 2 \
  --cores 4,8 --out "$T/out"
expect_status 0
j="$T/out/bench-scaling.json"
expect_file "$j"
expect_file "$T/out/bench-scaling.md"
q() { jq -e "$1" "$j" >/dev/null; }
check "one input, eight runs (4 ways x 2 rounds)" q '(.inputs | length) == 1 and (.inputs[0].runs | length) == 8'
check "every run has wall and CPU" q 'all(.inputs[0].runs[]; .wall_s > 0 and .cpu_s > 0)'
check "three rungs compared, their checks passed ($(jq -c '.inputs[0].checks' "$j"))" \
  q '(.inputs[0].rungs | length) == 3 and all(.inputs[0].rungs[]; .checks_ok and .frames == 90)'
check "segment outputs identical between rounds ($(jq -r '.inputs[0].deterministic_rounds' "$j"))" \
  q '.inputs[0].deterministic_rounds | startswith("4 of 4")'
check "segments made one at a time join into the segment-parallel files ($(jq -r '.inputs[0].segments_seq_same_files' "$j"))" \
  q '.inputs[0].segments_seq_same_files == "4 of 4"'
check "the segment method's own CPU and running segments at once, as ratios" \
  q '.inputs[0].segments_seq_cpu_over_rungs_1t > 0 and .inputs[0].segments_cpu_over_segments_seq > 0'
check "a segment made twice is identical ($(jq -r '.inputs[0].same_segment_twice' "$j"))" \
  q '.inputs[0].same_segment_twice == "3 of 3"'
check "each segment's and rung's CPU recorded" \
  q '(.inputs[0].segment_cpu | length) == 3 and all(.inputs[0].segment_cpu[]; (.cpu_s | length) == 3) and (.inputs[0].rung_cpu | length) == 3'
check "computed for 2 (check), 4 and 8 cores" q '[.inputs[0].plan.rows[].cores] == [2, 4, 8]'
expect_file_contains "$T/out/bench-scaling.md" "Computed (not measured)"
expect_file_contains "$T/out/bench-scaling.md" "2 (measured here)"
finish
