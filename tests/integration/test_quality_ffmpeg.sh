#!/usr/bin/env bash
# `sobre quality` against FFmpeg's own ssim and psnr filters: on generated clips and on
# every video of $SOBRE_MEDIA (cut to 2 s), a lossless CFR yuv420p reference and two
# distortions (a high-CRF encode at the same size, a lower-resolution encode that both
# tools scale back with bicubic swscale). Pooled SSIM Y/All must agree within 0.002 and
# PSNR Y/average within 0.05 dB, per frame too, over the same number of frames.
# Prints the agreement table. Both tools see CFR files derived from one reference, so
# ffmpeg's timestamp pairing (framesync) and sobre's index pairing pick the same frames.
set -euo pipefail
: "${SOBRE:?}" "${SOBRE_TMP:?}" "${SOBRE_SRC:?}"
. "$SOBRE_SRC/tests/lib/need.sh"
need ffmpeg jq

work="$SOBRE_TMP/quality-ffmpeg.$$"
mkdir -p "$work"
trap 'rm -rf "$work"' EXIT
ff() { ffmpeg -nostdin -v error -y "$@"; }
dims() { ffprobe -v error -select_streams v:0 -show_entries stream=width,height -of csv=p=0 "$1" | tr , ' '; }
fails=0
checks=0

check() { # check DESCRIPTION CONDITION-AS-AWK-EXPR
  checks=$((checks + 1))
  if ! awk "BEGIN { exit !($2) }"; then
    echo "FAIL: $1" >&2
    fails=$((fails + 1))
  fi
}

# ffmpeg pooled figures from its summary lines: "SSIM Y:a ... All:b (..)", "PSNR y:c ... average:d".
ffmpeg_scores() { # DIST REF W H LOGPREFIX
  local graph="[1:v]split[r1][r2];[0:v]scale=$3:$4:flags=bicubic[d];"
  graph+="[d][r1]ssim=stats_file=$5.ssim[m];[m][r2]psnr=stats_file=$5.psnr"
  ffmpeg -nostdin -v info -i "$1" -i "$2" -lavfi "$graph" -f null - 2> "$5.log"
  local ssim psnr
  ssim=$(grep -E 'Parsed_ssim.* SSIM ' "$5.log" | tail -1)
  psnr=$(grep -E 'Parsed_psnr.* PSNR ' "$5.log" | tail -1)
  echo "$(sed -E 's/.* Y:([0-9.]+) .*/\1/' <<<"$ssim") \
$(sed -E 's/.* All:([0-9.]+) .*/\1/' <<<"$ssim") \
$(sed -E 's/.* y:([0-9.a-z]+) .*/\1/' <<<"$psnr") \
$(sed -E 's/.* average:([0-9.a-z]+) .*/\1/' <<<"$psnr") \
$(wc -l < "$5.ssim")"
}

# Largest per-frame difference: SSIM Y from ffmpeg's "Y:" (6 decimals), PSNR Y from its
# "psnr_y:" (2 decimals, hence the extra 0.005 of rounding allowed by the tolerance).
per_frame_diffs() { # SOBRE_JSON LOGPREFIX
  jq -r '.frames[] | [.ssim_y, (.psnr_y // "inf")] | @tsv' "$1" > "$2.sobre.tsv"
  sed -E 's/.* Y:([0-9.]+) .*/\1/' "$2.ssim" > "$2.ff_ssim"
  sed -E 's/.* psnr_y:([0-9.a-z]+) .*/\1/' "$2.psnr" > "$2.ff_psnr"
  paste "$2.sobre.tsv" "$2.ff_ssim" "$2.ff_psnr" | awk -F'\t' '
    function d(a, b) { return a > b ? a - b : b - a }
    { ds = d($1, $3); if (ds > ms) ms = ds
      if ($2 == "inf" || $4 == "inf") { if ($2 != $4) mp = 99 } else { dp = d($2, $4); if (dp > mp) mp = dp } }
    END { printf "%.6f %.4f %d\n", ms, mp, NR }'
}

row=0
compare() { # LABEL REF DIST
  local label=$1 ref=$2 dist=$3 w h base="$work/cmp$((row += 1))"
  read -r w h < <(dims "$ref")
  "$SOBRE" quality "$ref" "$dist" --json --per-frame -q > "$base.json"
  local s_ssy s_ssa s_py s_pa s_n f_ssy f_ssa f_py f_pa f_n pf_s pf_p pf_n
  read -r s_ssy s_ssa s_py s_pa s_n < <(jq -r \
    '[.ssim_y.mean, .ssim_all.mean, (.psnr_y.mean // "inf"), (.psnr_all.mean // "inf"), .compared_frames] | @tsv' \
    "$base.json")
  read -r f_ssy f_ssa f_py f_pa f_n < <(ffmpeg_scores "$dist" "$ref" "$w" "$h" "$base")
  read -r pf_s pf_p pf_n < <(per_frame_diffs "$base.json" "$base")
  printf '| %-34s | %4s | %.5f | %.5f | %+.5f | %.5f | %.5f | %+.5f | %7.3f | %7.3f | %+.3f | %7.3f | %7.3f | %+.3f | %.6f | %.3f |\n' \
    "$label" "$s_n" "$s_ssy" "$f_ssy" "$(awk "BEGIN{print $s_ssy-$f_ssy}")" \
    "$s_ssa" "$f_ssa" "$(awk "BEGIN{print $s_ssa-$f_ssa}")" \
    "$s_py" "$f_py" "$(awk "BEGIN{print $s_py-$f_py}")" \
    "$s_pa" "$f_pa" "$(awk "BEGIN{print $s_pa-$f_pa}")" "$pf_s" "$pf_p"
  check "$label: frame counts sobre $s_n, ffmpeg $f_n, per-frame rows $pf_n" \
    "$s_n == $f_n && $s_n == $pf_n && $s_n > 0"
  check "$label: SSIM Y $s_ssy vs $f_ssy" "($s_ssy - $f_ssy)^2 <= 0.002^2"
  check "$label: SSIM All $s_ssa vs $f_ssa" "($s_ssa - $f_ssa)^2 <= 0.002^2"
  check "$label: PSNR Y $s_py vs $f_py" "($s_py - $f_py)^2 <= 0.05^2"
  check "$label: PSNR avg $s_pa vs $f_pa" "($s_pa - $f_pa)^2 <= 0.05^2"
  check "$label: per-frame SSIM Y max diff $pf_s" "$pf_s <= 0.002"
  check "$label: per-frame PSNR Y max diff $pf_p" "$pf_p <= 0.055"
  check "$label: really distorted (SSIM Y $s_ssy < 0.999)" "$s_ssy < 0.999 && $s_ssy > 0.3"
}

# One source: a 2 s lossless CFR yuv420p reference, then the two distortions.
run_source() { # LABEL SOURCE
  local label=$1 src=$2 ref dir w h
  dir="$work/$label"
  mkdir -p "$dir"
  ref="$dir/ref.mkv"
  ff -i "$src" -t 2 -map 0:v:0 -fps_mode cfr -pix_fmt yuv420p -c:v ffv1 "$ref"
  read -r w h < <(dims "$ref")
  if (( w % 2 == 0 && h % 2 == 0 )); then
    ff -i "$ref" -c:v libx264 -preset veryfast -crf 42 "$dir/crf.mkv"
  else # x264 needs even sizes in 4:2:0; MPEG-4 part 2 takes odd ones
    ff -i "$ref" -c:v mpeg4 -q:v 20 "$dir/crf.mkv"
  fi
  ff -i "$ref" -vf "scale=trunc(iw/4)*2:trunc(ih/4)*2" -c:v libx264 -preset veryfast -crf 30 \
    "$dir/low.mkv"
  compare "$label ${w}x${h} crf" "$ref" "$dir/crf.mkv"
  compare "$label half-size" "$ref" "$dir/low.mkv"
}

echo "| clip | frames | SSIM Y sobre | ffmpeg | diff | SSIM All sobre | ffmpeg | diff | PSNR Y sobre | ffmpeg | diff | PSNR avg sobre | ffmpeg | diff | max frame dSSIM Y | max frame dPSNR Y |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
clips="$SOBRE_SRC/tests/lib/clips.sh"
run_source basic "$("$clips" basic.mp4)"
run_source odd721 "$("$clips" odd721.mkv)"

# FFmpeg's x86 ssim_end_line miscounts the tail of a row when a plane has (w/4 - 1) % 4 == 1
# windows per row (e.g. 361- or 427-wide chroma: 721- or 854-wide video): it drops one
# valid window and adds one made of stale sums. Its C code (-cpuflags 0) has no such
# slip, and sobre must match it on exactly such a plane, within 1e-5: FFmpeg 5.1's C code
# sums each row's windows in float, where its SIMD code and sobre sum in double.
exact="$work/odd721"
ffmpeg -nostdin -v info -cpuflags 0 -i "$exact/crf.mkv" -i "$exact/ref.mkv" -lavfi ssim -f null - \
  2> "$work/cref.log"
cref=$(grep -E 'Parsed_ssim.* SSIM ' "$work/cref.log" | sed -E 's/.* Y:([0-9.]+) .* U:([0-9.]+) .* V:([0-9.]+) .* All:([0-9.]+) .*/\1 \2 \3 \4/')
"$SOBRE" quality "$exact/ref.mkv" "$exact/crf.mkv" --json -q > "$work/cref.json"
read -r c_y c_u c_v c_all <<<"$cref"
read -r s_y s_u s_v s_all < <(jq -r '[.ssim_y.mean, .ssim_u, .ssim_v, .ssim_all.mean] | @tsv' "$work/cref.json")
echo "C reference (ffmpeg -cpuflags 0), odd721 crf: Y $c_y/$s_y U $c_u/$s_u V $c_v/$s_v All $c_all/$s_all (ffmpeg/sobre)"
for p in "Y $c_y $s_y" "U $c_u $s_u" "V $c_v $s_v" "All $c_all $s_all"; do
  set -- $p
  check "C reference SSIM $1: ffmpeg $2, sobre $3" "($2 - $3)^2 <= 0.00001^2"
done

# identical files: SSIM exactly 1, PSNR infinite (null in JSON), like ffmpeg's "inf"
same="$work/basic/ref.mkv"
"$SOBRE" quality "$same" "$same" --json -q > "$work/same.json"
check "identical: SSIM Y 1" "$(jq '.ssim_y.mean' "$work/same.json") == 1"
check "identical: SSIM All min 1" "$(jq '.ssim_all.min' "$work/same.json") == 1"
check "identical: PSNR null" "\"$(jq -c '[.psnr_y.mean, .psnr_all.p5, .psnr_y.min]' "$work/same.json")\" == \"[null,null,null]\""
ffmpeg -nostdin -v info -i "$same" -i "$same" -lavfi psnr -f null - 2>&1 | grep -q 'average:inf' \
  && check "ffmpeg agrees: infinite PSNR" "1" || check "ffmpeg agrees: infinite PSNR" "0"

# the shared real clips, when present
if [ -d "${SOBRE_MEDIA:-}" ]; then
  for f in "$SOBRE_MEDIA"/*; do
    case "$f" in *.mp4|*.webm|*.mkv|*.mov) ;; *) continue ;; esac
    base=$(basename "$f"); base=${base%.*}
    run_source "${base:0:20}" "$f"
  done
else
  echo "note: \$SOBRE_MEDIA absent, only generated clips were compared"
fi

echo "$((checks - fails)) passed, $fails failed"
[ "$fails" -eq 0 ]
