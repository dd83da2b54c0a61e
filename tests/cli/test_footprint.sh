#!/usr/bin/env bash
# sobre footprint as a user runs it: the table covers every rendition x 5 devices x 5
# networks, every output format parses, --write writes EPISODE/footprint.json and leaves
# report.json byte for byte (encode is its only writer), --explain names every source,
# and every bad input exits 1 or 2 with the file, line and field named and nothing
# written.
set -u
: "${SOBRE:?}" "${SOBRE_TMP:?}"
. "$SOBRE_SRC/tests/lib/need.sh"
need jq
work="$SOBRE_TMP/cli-footprint-$$"
rm -rf "$work" && mkdir -p "$work/ep"
pass=0 fail=0
ok() { pass=$((pass + 1)); }
ko() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
expect() { if eval "$1"; then ok; else ko "$2"; fi; }

report() { # dir bytes_of_480p
  cat >"$1/report.json" <<EOF
{"schema": "sobre.report/1", "sobre_version": "0.1.0", "title": "Épisode <1>", "description": "",
 "source": {"file": "m.mp4", "bytes": 5000000, "duration_s": 30},
 "encode": {"wall_s": 41.2, "cpu_s": 80.1, "energy_uj": null, "cores": 2},
 "renditions": [
  {"id": "audio", "label": "audio seul", "kind": "audio", "role": "audio", "file": "audio.webm",
   "mime": "audio/webm", "bytes": 121000, "duration_s": 30, "bitrate_bps": 32266, "cpu_s": 0.2},
  {"id": "vp9-480p", "label": "480p (sobre)", "kind": "video", "role": "sobre", "file": "v4.webm",
   "mime": "video/webm", "bytes": $2, "duration_s": 30, "bitrate_bps": 373333, "cpu_s": 25,
   "quality": {"ssim": 0.97}},
  {"id": "vp9-720p", "label": "720p", "kind": "video", "role": "standard", "file": "v7.webm",
   "mime": "video/webm", "bytes": 2900000, "duration_s": 30, "bitrate_bps": 773333, "cpu_s": 50}
 ],
 "notes": [], "publish": {"kept": true}}
EOF
}
report "$work/ep" 1400000
cp "$work/ep/report.json" "$work/orig.json"

# --help
out=$("$SOBRE" footprint --help); rc=$?
expect '[ $rc -eq 0 ] && [[ $out == *"--method M"* ]]' "--help exit $rc"

# text: 3 renditions x 5 devices x 5 networks rows, heaviest first with ratio 1.00
out=$("$SOBRE" footprint "$work/ep"); rc=$?
expect '[ $rc -eq 0 ]' "text exit $rc"
rows=$(grep -cE '^(audio|vp9-480p|vp9-720p) ' <<<"$out")
expect '[ "$rows" -eq 75 ]' "text rows $rows, want 75"
first=$(grep -E '^(audio|vp9-480p|vp9-720p) ' <<<"$out" | head -1)
expect '[[ $first == *" 1.00"* ]]' "first row ratio 1.00: $first"
expect 'cmp -s "$work/ep/report.json" "$work/orig.json"' "without --write report.json is unchanged"

# csv / json / md
csv=$("$SOBRE" footprint "$work/ep" --format csv)
expect '[ "$(wc -l <<<"$csv")" -eq 76 ]' "csv lines"
json=$("$SOBRE" footprint "$work/ep" --json --views 1000)
expect '[ "$(jq ".table | length" <<<"$json")" -eq 75 ]' "json table length"
expect '[ "$(jq -r ".renditions[\"vp9-480p\"].network" <<<"$json")" = mobile-4g-fr ]' "typical network"
expect '[ "$(jq ".renditions[\"vp9-720p\"].wh_per_view > 0" <<<"$json")" = true ]' "wh_per_view"
expect '[ "$(jq ".encoding.wh_per_view > 0" <<<"$json")" = true ]' "encode share per view"
expect '[ "$(jq ".table[0].gco2e_for_views > 0" <<<"$json")" = true ]' "totals for N views"
md=$("$SOBRE" footprint "$work/ep" --format md --device tv --network fixed-fr)
expect '[ "$(grep -c "^| " <<<"$md")" -eq 4 ]' "md: header + 3 rows"
expect '[[ $md == *"&lt;1&gt;"* ]]' "md escapes the title"

# filters
n=$("$SOBRE" footprint "$work/ep" --json --device smartphone,tablet --network 5g-fr | jq '.table | length')
expect '[ "$n" -eq 6 ]' "filtered rows $n"

# every method runs
for m in ademe attributional power swd4 onebyte; do
  v=$("$SOBRE" footprint "$work/ep" --json --method $m | jq -r '.method')
  expect '[ "$v" = "$m" ]' "method $m"
done

# --explain: every factor used is listed with its source and file:line
exp=$("$SOBRE" footprint "$work/ep" --explain); rc=$?
nused=$(jq '.factors_used | length' <<<"$json")
nlisted=$(grep -c '\[fr-2024.yaml:[0-9]*\]$' <<<"$exp")
expect '[ $rc -eq 0 ] && [ "$nused" -gt 10 ] && [ "$nused" -eq "$nlisted" ]' "explain lists $nlisted of $nused"
expect '[[ $exp == *"Negaoctet"* && $exp == *"Formula (per view)"* ]]' "explain has formula and sources"
out=$("$SOBRE" footprint --explain --method swd4); rc=$?
expect '[ $rc -eq 0 ] && [[ $out == *"swd4.embodied_grid"* ]]' "explain without an episode"

# --factors: a preset name, an override file
v=$("$SOBRE" footprint "$work/ep" --json --factors eu-2024 | jq -r '.factors')
expect '[ "$v" = "fr-2024 + eu-2024" ]' "factors label $v"
printf 'factors:\n  grid:\n    unit: gCO2e/kWh\n    central: 100\n    source: mine\n' >"$work/mine.yaml"
v=$("$SOBRE" footprint "$work/ep" --json --factors "$work/mine.yaml" | jq '[.factors_used[] | select(.id == "grid")][0].central')
expect '[ "$v" = 100 ]' "override grid $v"

# --write + --svg: EPISODE/footprint.json, report.json untouched (encode is its only writer)
"$SOBRE" footprint "$work/ep" --write --svg "$work/chart.svg" >/dev/null 2>"$work/err"; rc=$?
expect '[ $rc -eq 0 ]' "--write exit $rc: $(cat "$work/err")"
r="$work/ep/report.json"
fj="$work/ep/footprint.json"
expect 'grep -q "wrote $fj" "$work/err"' "--write names the file: $(cat "$work/err")"
expect 'cmp -s "$r" "$work/orig.json"' "--write changed report.json"
expect '[ "$(jq ".renditions[\"audio\"].gco2e_per_view > 0" "$fj")" = true ]' "footprint.json written"
expect '[ "$(jq ".table | length" "$fj")" -eq 75 ]' "footprint.json has every row"
expect '[ "$(jq -r ".schema" "$fj")" = sobre.footprint/1 ]' "footprint.json schema tag"
expect '[ "$(jq ".report.bytes[\"vp9-480p\"]" "$fj")" = 1400000 ]' "footprint.json says which sizes it costed"
expect '[ "$(jq ".renditions[1].quality.ssim" "$r")" = 0.97 ]' "rendition quality kept"
expect '[ "$(jq ".publish.kept" "$r")" = true ]' "other section kept"
expect '[ "$(jq "has(\"footprint\")" "$r")" = false ]' "no footprint section in report.json"
expect 'head -c 4 "$work/chart.svg" | grep -q "<svg"' "svg written"
# given a report.json path, footprint.json goes beside it
mkdir -p "$work/bypath" && report "$work/bypath" 1400000
"$SOBRE" footprint "$work/bypath/report.json" --write >/dev/null 2>&1; rc=$?
expect '[ $rc -eq 0 ] && [ -s "$work/bypath/footprint.json" ]' "--write on a report.json path: rc=$rc"
cp "$r" "$work/written.json"

# bad inputs: exit code, message, nothing written
bad() { # expected-rc pattern args...
  local want=$1 pat=$2
  shift 2
  rm -f "$work/bad.svg"
  "$SOBRE" footprint "$@" >"$work/out" 2>"$work/err"
  local rc=$?
  expect '[ $rc -eq $want ]' "$* exit $rc, want $want"
  expect 'grep -qF -- "$pat" "$work/err"' "$*: message lacks '$pat': $(cat "$work/err")"
  expect '[ ! -s "$work/out" ] && [ ! -e "$work/bad.svg" ]' "$*: nothing written"
  expect 'cmp -s "$r" "$work/written.json"' "$*: report.json unchanged"
}
bad 2 "unknown device 'watch'" "$work/ep" --device watch --write --svg "$work/bad.svg"
bad 2 "unknown network '6g'" "$work/ep" --network 6g --write
bad 2 "unknown method 'co2'" "$work/ep" --method co2 --write
bad 2 "--views '0'" "$work/ep" --views 0 --write
bad 2 "--format 'xml'" "$work/ep" --format xml
bad 2 "which episode" --write
bad 2 "unknown option '--colour'" "$work/ep" --colour
printf 'factors:\n  grid:\n    central: 50\n    source: x\n' >"$work/nounit.yaml"
bad 1 "nounit.yaml:2: factor 'grid': missing field 'unit'" "$work/ep" --factors "$work/nounit.yaml" --write --svg "$work/bad.svg"
printf 'factors:\n  dc_energy:\n    unit: Wh/GB\n    central: -1\n    source: x\n' >"$work/neg.yaml"
bad 1 "neg.yaml:4: factor 'dc_energy': field 'central' is negative" "$work/ep" --factors "$work/neg.yaml" --write
printf 'factors:\n  device_power.tv:\n    unit: W\n    central: 65000\n    source: x\n' >"$work/absurd.yaml"
bad 1 "absurd.yaml:4: factor 'device_power.tv': field 'central' is absurd" "$work/ep" --factors "$work/absurd.yaml" --write
bad 1 "nope.yaml: cannot open" "$work/ep" --factors "$work/nope.yaml"
mkdir -p "$work/nosize"
report "$work/nosize" 0
bad 1 "renditions[1] ('vp9-480p'): field 'bytes' is 0" "$work/nosize" --write
expect '[ ! -e "$work/nosize/footprint.json" ]' "no footprint.json for a bad report"
bad 1 "missing" "$work/missing-episode"
# a bad second episode stops everything before anything is written
bad 1 "field 'bytes' is 0" "$work/ep" "$work/nosize" --write

# a measured (RAPL) encode wins over the CPU-time estimate and is shared by CPU seconds
# (vp9-720p: 0.1 Wh x 50 / 80.1 CPU-s)
mkdir -p "$work/rapl" && report "$work/rapl" 1400000
jq '.encode.energy_uj = 360000000' "$work/rapl/report.json" >"$work/rapl/r.tmp" && mv "$work/rapl/r.tmp" "$work/rapl/report.json"
json=$("$SOBRE" footprint "$work/rapl" --json)
expect '[ "$(jq ".encoding.measured" <<<"$json")" = true ] && [ "$(jq ".encoding.wh" <<<"$json")" = 0.1 ]' "RAPL energy used"
v=$(jq '.renditions["vp9-720p"].encode.wh' <<<"$json")
expect '[ "$(awk -v v="$v" "BEGIN { print (v > 0.06241 && v < 0.06243) }")" = 1 ]' "RAPL share by CPU time: $v"

# a title with terminal escapes and newlines is printed inert
mkdir -p "$work/esc" && report "$work/esc" 1400000
jq '.title = "Evil\u001b[31m red\nsecond line"' "$work/esc/report.json" >"$work/esc/r.tmp" && mv "$work/esc/r.tmp" "$work/esc/report.json"
out=$("$SOBRE" footprint "$work/esc" --device tv --network fixed-fr)
expect '! grep -q $'"'"'\x1b'"'"' <<<"$out"' "no escape character in text output"
expect '[[ $(head -1 <<<"$out") == *"Evil"*"second line"* ]]' "title on one line: $(head -1 <<<"$out")"

# several episodes: JSON array, CSV with one header
mkdir -p "$work/ep2" && report "$work/ep2" 1000000
n=$("$SOBRE" footprint "$work/ep" "$work/ep2" --json | jq '.episodes | length')
expect '[ "$n" -eq 2 ]' "two episodes in JSON"
n=$("$SOBRE" footprint "$work/ep" "$work/ep2" --format csv | grep -c '^episode,')
expect '[ "$n" -eq 1 ]' "one CSV header"
bad 2 "--svg charts one episode" "$work/ep" "$work/ep2" --svg "$work/bad.svg"

echo "$pass passed, $fail failed"
[ $fail -eq 0 ] && [ $pass -gt 0 ]
