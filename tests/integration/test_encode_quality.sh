#!/usr/bin/env bash
# Quality measured during `sobre encode`, and quality-targeted encoding.
# 1. Agreement: on a plain CFR clip (B-frames in the source, VP9 and x264 renditions),
#    the display-view figures the encode measured equal what `sobre quality SOURCE
#    RENDITION --size WxH` computes afterwards on the output file: SSIM Y/All within
#    0.002, PSNR Y/average within 0.05 dB, same frame count; quality.json holds one
#    value per frame. A rotated source measures in display orientation with a high SSIM.
#    --quality off writes no quality. Prints the agreement table.
# 2. Target: 2 shared clips cut to 3 s; the target is set just under what the default
#    crf gave (so it is reachable inside the CRF range); the targeted rung lands within
#    +-0.005 of it; a rerun keeps it; --force reuses the cached sample encodes.
set -euo pipefail
: "${SOBRE:?}" "${SOBRE_TMP:?}" "${SOBRE_SRC:?}"
. "$SOBRE_SRC/tests/lib/need.sh"
need jq ffmpeg

work="$SOBRE_TMP/encode-quality.$$"
mkdir -p "$work"
trap 'rm -rf "$work"' EXIT
clips="$SOBRE_SRC/tests/lib/clips.sh"
fails=0 checks=0
check() { # check DESCRIPTION AWK-CONDITION
  checks=$((checks + 1))
  if ! awk "BEGIN { exit !($2) }"; then
    echo "FAIL: $1" >&2
    fails=$((fails + 1))
  fi
}
q() { jq -r "$2" "$1"; }

# ---- 1. agreement with `sobre quality` ----
hd=$("$clips" hd.mp4)
"$SOBRE" encode "$hd" -o "$work/hd" --only vp9-360p,h264-480p -q
rep="$work/hd/report.json"
printf '| rendition | view | frames | SSIM Y encode / quality | SSIM All | PSNR Y | PSNR avg |\n'
printf '|---|---|---|---|---|---|---|\n'
for id in vp9-360p h264-480p; do
  file=$(q "$rep" ".renditions[] | select(.id==\"$id\") | .file")
  dw=$(q "$rep" ".renditions[] | select(.id==\"$id\") | .quality.display.width")
  dh=$(q "$rep" ".renditions[] | select(.id==\"$id\") | .quality.display.height")
  check "$id: display view at the source size (got ${dw}x$dh)" "\"${dw}x$dh\" == \"1280x720\""
  "$SOBRE" quality "$hd" "$work/hd/$file" --size "${dw}x$dh" --json > "$work/$id.q.json"
  row="| $id | display |"
  for m in frames ssim_y ssim_all psnr_y psnr_all; do
    if [ $m = frames ]; then
      a=$(q "$rep" ".renditions[] | select(.id==\"$id\") | .quality.display.frames")
      b=$(q "$work/$id.q.json" ".compared_frames")
      check "$id: frames $a vs $b" "$a == $b && $a > 0"
      row="$row $a |"
      continue
    fi
    a=$(q "$rep" ".renditions[] | select(.id==\"$id\") | .quality.display.$m.mean")
    b=$(q "$work/$id.q.json" ".$m.mean")
    tol=0.002
    case $m in psnr*) tol=0.05 ;; esac
    check "$id: $m mean $a (encode) vs $b (sobre quality)" "$a - $b <= $tol && $b - $a <= $tol"
    for s in p5 min; do
      a2=$(q "$rep" ".renditions[] | select(.id==\"$id\") | .quality.display.$m.$s")
      b2=$(q "$work/$id.q.json" ".$m.$s")
      check "$id: $m $s $a2 vs $b2" "$a2 - $b2 <= $tol && $b2 - $a2 <= $tol"
    done
    row="$row $(printf '%.5f / %.5f' "$a" "$b") |"
  done
  echo "$row"
  own=$(q "$rep" ".renditions[] | select(.id==\"$id\") | .quality.own.ssim_all.mean")
  ow=$(q "$rep" ".renditions[] | select(.id==\"$id\") | .quality.own.width")
  vw=$(q "$rep" ".renditions[] | select(.id==\"$id\") | .video.width")
  check "$id: own view at the rendition size ($ow vs $vw)" "$ow == $vw"
  check "$id: own SSIM All $own in (0.8, 1)" "$own > 0.8 && $own < 1"
  n=$(q "$work/hd/quality.json" ".renditions[\"$id\"].display.ssim_y | length")
  f=$(q "$rep" ".renditions[] | select(.id==\"$id\") | .quality.display.frames")
  check "$id: quality.json has $n per-frame values for $f frames" "$n == $f"
done

rot=$("$clips" rotated.mp4)
"$SOBRE" encode "$rot" -o "$work/rot" --only vp9-360p -q
r=$(q "$work/rot/report.json" '.renditions[] | select(.id=="vp9-360p") | .quality.display | "\(.width) \(.height) \(.ssim_y.mean)"')
read -r w h s <<< "$r"
check "rotated: display view is portrait 240x320 (got ${w}x$h)" "$w == 240 && $h == 320"
check "rotated: display SSIM Y $s > 0.9 (pictures in the same orientation)" "$s > 0.9"

basic=$("$clips" basic.mp4)
"$SOBRE" encode "$basic" -o "$work/off" --only vp9-360p --quality off -q
check "--quality off: no quality member" \
  "\"$(q "$work/off/report.json" '.renditions[0].quality // "none"')\" == \"none\""
check "--quality off: no quality.json" "$([ -e "$work/off/quality.json" ] && echo 0 || echo 1)"
"$SOBRE" encode "$basic" -o "$work/off2" --only vp9-360p -q
check "basic: quality.json has the rung" \
  "\"$(q "$work/off2/quality.json" '.renditions | has("vp9-360p")')\" == \"true\""
"$SOBRE" encode "$basic" -o "$work/off2" --only vp9-360p -q -f --quality off
check "re-encoded with --quality off: its old per-frame figures are gone" \
  "\"$(q "$work/off2/quality.json" '.renditions | has("vp9-360p")')\" == \"false\""

# ---- 2. targets on shared clips ----
media=${SOBRE_MEDIA:-}
if [ -z "$media" ] || [ ! -d "$media" ]; then
  echo "note: SOBRE_MEDIA absent, target checks on shared clips skipped"
else
  for clip in flower_960x540_5s_mdn.mp4 his_girl_friday_640x480_6s_mdn.mp4; do
    [ -f "$media/$clip" ] || continue
    cut="$work/${clip%.*}-3s.mp4"
    ffmpeg -nostdin -v error -y -i "$media/$clip" -t 3 -c copy "$cut"
    "$SOBRE" encode "$cut" -o "$work/fixed-$clip" --only vp9-360p -q
    base=$(q "$work/fixed-$clip/report.json" '.renditions[] | select(.id=="vp9-360p") | .quality.display.ssim_all.mean')
    target=$(awk "BEGIN { printf \"%.3f\", $base - 0.003 }")
    out="$work/target-$clip"
    "$SOBRE" encode "$cut" -o "$out" --only vp9-360p --target-ssim "$target" -q
    t=$(q "$out/report.json" '.renditions[] | select(.id=="vp9-360p") | .target')
    got=$(jq -r .achieved_ssim <<< "$t")
    crf=$(jq -r .crf <<< "$t")
    pred=$(jq -r .predicted_ssim <<< "$t")
    echo "| $clip | vp9-360p | fixed crf 38: SSIM $base | target $target | crf $crf | predicted $pred | achieved $got |"
    check "$clip: achieved $got within 0.005 of target $target" \
      "$got - $target <= 0.005 && $target - $got <= 0.005"
    check "$clip: met is true" "\"$(jq -r .met <<< "$t")\" == \"true\""
    check "$clip: chosen crf $crf >= the fixed 38 (the target is under its SSIM)" "$crf >= 38"
    check "$clip: report crf is the chosen one" \
      "$(q "$out/report.json" '.renditions[] | select(.id=="vp9-360p") | .video.crf') == $crf"
    check "$clip: prediction $pred within 0.005 of the result $got" \
      "$pred - $got <= 0.005 && $got - $pred <= 0.005"
    "$SOBRE" encode "$cut" -o "$out" --only vp9-360p --target-ssim "$target" 2> "$work/rerun.txt"
    check "$clip: rerun with the same target is up to date" \
      "$(grep -c 'already up to date' "$work/rerun.txt") == 1"
    "$SOBRE" encode "$cut" -o "$out" --only vp9-360p --target-ssim "$target" -f -q
    t2=$(q "$out/report.json" '.renditions[] | select(.id=="vp9-360p") | .target')
    check "$clip: --force searched from the cache ($(jq -c '[.evaluations,.cached_evaluations]' <<< "$t2"))" \
      "$(jq -r .evaluations <<< "$t2") == 0 && $(jq -r .cached_evaluations <<< "$t2") > 0"
    check "$clip: same crf from the cache" "$(jq -r .crf <<< "$t2") == $crf"
  done
fi

echo "$checks checks, $fails failed"
[ "$fails" -eq 0 ] && [ "$checks" -gt 0 ]
