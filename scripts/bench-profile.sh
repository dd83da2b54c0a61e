#!/usr/bin/env bash
# Instruction-count profile of `sobre encode` under callgrind: how many of the executed
# instructions are spent inside the encoders (libvpx, libopus, libx264, SVT-AV1, libwebp
# for the poster) and how many in everything else (demux, decode, scale, queues, copies,
# mux, start-up). Instruction counts are stable on a shared machine where times are not.
# Usage: scripts/bench-profile.sh [--seconds S] [--input FILE] [--only IDS] [--out DIR]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/bench-lib.sh"

usage() {
  cat <<'EOF'
Usage: scripts/bench-profile.sh [options]

Runs `sobre encode` once under valgrind --tool=callgrind on a short cut of the input
and splits the instructions executed between the encoders and the rest:
  encoders  = inclusive cost of every call from outside an encoder library into
              libvpx, libopus, libx264, libSvtAv1Enc or libwebp (their memset/memcpy
              and allocations included);
  the rest  = decode, scale, queues, frame copies, mux, program start-up.
Writes DIR/profile.md (printed too), DIR/profile.json and DIR/callgrind.out.

Options:
  --seconds S   length of the cut (default 2)
  --input FILE  master to profile (default: the built-in sample, scripts/make-sample.sh)
  --only IDS    rungs to make (default vp9-360p,vp9-480p,vp9-720p)
  --out DIR     output folder (default bench-out/profile)
  --sobre PATH  the sobre binary (default $SOBRE, else build/tools/sobre)
  --annotate-only  rebuild the tables from DIR/callgrind.out without running again
  -h, --help    this help

Target: non-encoder instructions <= 4 % of the total. Expect ~50x slow-down (2 s of the
720p sample: about 3-5 minutes). Needs valgrind (Debian package valgrind).
EOF
}

seconds=2 input="" only=vp9-360p,vp9-480p,vp9-720p out=bench-out/profile annotate_only=0
while [ $# -gt 0 ]; do
  case $1 in
    --seconds) seconds=${2:?}; shift 2 ;;
    --input) input=${2:?}; shift 2 ;;
    --only) only=${2:?}; shift 2 ;;
    --out) out=${2:?}; shift 2 ;;
    --sobre) SOBRE=${2:?}; shift 2 ;;
    --annotate-only) annotate_only=1; shift ;;
    -h | --help) usage; exit 0 ;;
    *) echo "bench-profile: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done
bl_need valgrind callgrind_annotate ffmpeg jq || exit 77
sobre=$(bl_sobre) || exit 1
mkdir -p "$out"
out=$(cd "$out" && pwd)
cache=$(bl_cache_dir)
if [ $annotate_only = 1 ]; then
  [ -s "$out/callgrind.out" ] || { echo "bench-profile: no $out/callgrind.out to annotate" >&2; exit 1; }
  cut=$(sed -n 's/^cmd: .* encode \([^ ]*\) -o .*/\1/p' "$out/callgrind.out")
  only=$(sed -n 's/^cmd: .* --only \([^ ]*\).*/\1/p' "$out/callgrind.out")
else
if [ -z "$input" ]; then
  "$here/make-sample.sh" "$cache/sample" >&2
  input=$cache/sample/episode.mp4
fi
[ -r "$input" ] || { echo "bench-profile: $input: cannot read the input" >&2; exit 1; }
cut=$(bl_cut "$input" "$seconds" "$cache")

rm -rf "$out/episode"
echo "bench-profile: callgrind on $(basename "$cut") ($seconds s, $only)..." >&2
valgrind --tool=callgrind --dump-instr=no --callgrind-out-file="$out/callgrind.out" \
  "$sobre" encode "$cut" -o "$out/episode" -q --no-verify --quality off --loudness off --only "$only" 2> "$out/valgrind.log" ||
  { echo "bench-profile: the run failed, see $out/valgrind.log" >&2; exit 1; }
fi
callgrind_annotate --inclusive=yes --tree=caller --threshold=100 "$out/callgrind.out" > "$out/tree.txt"
callgrind_annotate --inclusive=no --threshold=100 "$out/callgrind.out" > "$out/self.txt"
callgrind_annotate --inclusive=yes --threshold=100 "$out/callgrind.out" > "$out/inclusive.txt"

# Encoder objects, as a regular expression on the ELF object path.
enc_re='/lib(vpx|opus|x264|SvtAv1Enc|webp)[.]so'
# tree.txt: blocks separated by blank lines; "<" lines are callers of the "*" function
# with the inclusive cost of that call arc. Sum the arcs entering an encoder object from
# outside one.
total=$(awk '/PROGRAM TOTALS/ { gsub(/,/, "", $1); print $1; exit }' "$out/self.txt")
awk -v re="$enc_re" -v total="$total" '
  function obj(s) { if (match(s, /\[[^]]*\]$/)) return substr(s, RSTART + 1, RLENGTH - 2); return "?" }
  function lib(o) { n = split(o, p, "/"); sub(/[.]so.*/, "", p[n]); return p[n] }
  BEGIN { RS = ""; FS = "\n" }
  {
    star = ""
    for (i = 1; i <= NF; i++) if ($i ~ /^ *[0-9,]+ \([ 0-9.]+%\)  \*  /) star = $i
    if (star == "" || obj(star) !~ re) next
    for (i = 1; i <= NF; i++) {
      if ($i !~ /^ *[0-9,]+ \([ 0-9.]+%\)  < /) continue
      if (obj($i) ~ re) continue
      c = $i; sub(/^ */, "", c); sub(/ .*/, "", c); gsub(/,/, "", c)
      enc[lib(obj(star))] += c
    }
  }
  END { for (l in enc) printf "%s %.0f\n", l, enc[l] }' "$out/tree.txt" | sort > "$out/encoders.txt"
# Self cost per object (exclusive), for the "everything else" breakdown.
awk '
  / \[\/.*\]$/ && /^ *[0-9,]+ \(/ {
    c = $1; gsub(/,/, "", c)
    o = $NF; gsub(/[][]/, "", o); n = split(o, p, "/"); sub(/[.]so.*/, "", p[n])
    self[p[n]] += c
  }
  END { for (l in self) printf "%s %.0f\n", l, self[l] }' "$out/self.txt" | sort -k2,2nr > "$out/objects.txt"
# The rest by what it is for: inclusive cost of the library entry points sobre calls.
awk '
  BEGIN {
    w["avcodec_send_packet"] = "decode (avcodec_send_packet)"
    w["sws_scale"] = "scale (sws_scale)"
    w["swr_convert"] = "resample (swr_convert)"
    w["av_read_frame"] = "demux (av_read_frame)"
    w["av_interleaved_write_frame"] = "mux (av_interleaved_write_frame, av_write_trailer)"
    w["av_write_trailer"] = w["av_interleaved_write_frame"]
    w["avformat_find_stream_info"] = "probe (avformat_find_stream_info)"
    w["_dl_start"] = "dynamic linking (_dl_start)"
    w["av_frame_clone"] = "frame references (av_frame_clone, av_frame_free)"
    w["av_frame_free"] = w["av_frame_clone"]
  }
  /^ *[0-9,]+ \(/ {
    f = $0; sub(/ \[[^]]*\]$/, "", f); sub(/.*:/, "", f)
    if (f in w) { c = $1; gsub(/,/, "", c); t[w[f]] += c }
  }
  END { for (k in t) printf "%s\t%.0f\n", k, t[k] }' "$out/inclusive.txt" | sort -t "$(printf '\t')" -k2,2nr > "$out/rest.txt"
# Top functions by self cost outside the encoder objects.
grep -E '^ *[0-9,]+ \(' "$out/self.txt" | grep -vE "$enc_re|PROGRAM TOTALS" | head -15 > "$out/top-other.txt" || true

jq -n --argjson total "$total" --arg input "$cut" --arg only "$only" --argjson seconds "$seconds" \
  --rawfile enc "$out/encoders.txt" --rawfile objs "$out/objects.txt" --rawfile rest "$out/rest.txt" '
  def pairs($s): [$s | split("\n")[] | select(length > 0) | split(" ") | {key: .[0], value: (.[1] | tonumber)}] | from_entries;
  (pairs($enc) | with_entries(select(.value > 0))) as $e | ($e | add // 0) as $in |
  {schema: "sobre.bench-profile/1", input: $input, seconds: $seconds, only: $only,
   instructions: $total, encoders: $e, encoder_instructions: $in,
   other_instructions: ($total - $in), other_share: (($total - $in) / $total),
   self_by_object: pairs($objs),
   rest_by_entry_point: [$rest | split("\n")[] | select(length > 0) | split("\t") | {key: .[0], value: (.[1] | tonumber)}] | from_entries,
   target_other_share_max: 0.04,
   pass: ((($total - $in) / $total) <= 0.04)}' > "$out/profile.json"

{
  echo "### Instruction profile of \`sobre encode\` (callgrind)"
  echo
  echo "Input: $(basename "$cut") ($seconds s), rungs $only; $(date -u +%Y-%m-%d), valgrind $(valgrind --version | sed 's/valgrind-//')."
  echo
  echo "| where | instructions | share |"
  echo "|---|---:|---:|"
  jq -r '.instructions as $t |
    (.encoders | to_entries | sort_by(-.value)[] | "| inside \(.key) (inclusive) | \(.value / 1e6 * 10 | round / 10) M | \(100 * .value / $t * 100 | round / 100) % |"),
    "| **all encoders** | **\(.encoder_instructions / 1e6 | floor) M** | **\(100 * .encoder_instructions / $t * 100 | round / 100) %** |",
    "| **everything else** | **\(.other_instructions / 1e6 | floor) M** | **\(100 * .other_share * 100 | round / 100) %** |",
    "| total | \($t / 1e6 | floor) M | 100 % |",
    "",
    "Target: everything else <= 4 % of the total: **\(if .pass then "pass" else "miss" end)**."' "$out/profile.json"
  echo
  echo "Everything else, by library entry point (inclusive; what is left is start-up and set-up):"
  echo
  echo "| what | instructions | share |"
  echo "|---|---:|---:|"
  jq -r '.instructions as $t | .rest_by_entry_point | to_entries | sort_by(-.value)[] |
    "| \(.key) | \(.value / 1e6 * 10 | round / 10) M | \(100 * .value / $t * 100 | round / 100) % |"' "$out/profile.json"
  echo
  echo "Self cost by ELF object (exclusive; libc/libavutil include calls made by the encoders):"
  echo
  echo "| object | instructions | share |"
  echo "|---|---:|---:|"
  jq -r '.instructions as $t | .self_by_object | to_entries | sort_by(-.value)[] |
    select(.value / $t >= 0.001) | "| \(.key) | \(.value / 1e6 | floor) M | \(100 * .value / $t * 100 | round / 100) % |"' "$out/profile.json"
  echo
  echo "Top functions by self cost outside the encoder objects:"
  echo
  echo '```'
  sed -E 's#\[/usr/lib/x86_64-linux-gnu/#[#' "$out/top-other.txt"
  echo '```'
} > "$out/profile.md"
cat "$out/profile.md"
