#!/usr/bin/env bash
# HDR sources (issue 15): SDR originals (colour bars, a colour chart, real footage) are
# turned into HLG and PQ (10-bit BT.2020 HEVC Main 10, as phones and cameras make them)
# with ffmpeg's zscale (npl 100); `sobre encode` must bring them back to SDR BT.709 with
# the colours right. Measured by ffmpeg/ffprobe, never by sobre: every rendition tagged
# BT.709 in the stream and in the container, mean saturation (signalstats SATAVG) >= 80 %
# of the original's, the full-size renditions >= 32 dB PSNR against the original. The same
# checks run on what sobre made before (the HDR signal squeezed into 8 bits, tags copied,
# as ffmpeg does by default) and must fail there. Then a BT.2020 SDR source (gamut only),
# `--hdr keep` on a rotated phone-style clip (a 10-bit VP9 Profile 2 rendition tagged as
# the source), and probe's sentence.
set -u
. "$SOBRE_SRC/tests/lib/assert.sh"
need ffmpeg ffprobe jq od
T=$(mktemp -d "${SOBRE_TMP:-/tmp}/hdr.XXXXXX")
trap 'rm -rf "$T"' EXIT
fast="$SOBRE_SRC/tests/data/fast.yaml"
ff() { ffmpeg -nostdin -v error -y "$@"; }
BT709="-color_primaries bt709 -color_trc bt709 -colorspace bt709"
SIZE=320x180 # the fast ladder's largest rungs: vp9-sobre and h264 are full-size

# ---- the SDR originals: 2 s, BT.709, lossless (they are the reference) ----
sdr() { ff "$@" -t 2 -vf "scale=${SIZE/x/:},setsar=1,scale=out_color_matrix=bt709:out_range=tv,format=yuv420p" \
  -c:v libx264 -preset ultrafast -qp 0 $BT709 -an "$out"; }
out=$T/bars.mp4 sdr -f lavfi -i "smptehdbars=size=$SIZE:rate=25"
out=$T/chart.mp4 sdr -f lavfi -i "colorchart=rate=25:patch_size=52x52"
flower="${SOBRE_MEDIA:-}/flower_960x540_5s_mdn.mp4"
if [ -f "$flower" ]; then
  out=$T/real.mp4 sdr -ss 1 -i "$flower"
  real="flower (../shared/media)"
else # without ../shared/media: smooth moving colours stand in for footage
  out=$T/real.mp4 sdr -f lavfi -i "gradients=size=$SIZE:rate=25:speed=0.05"
  real="gradients (generated; ../shared/media absent)"
fi
echo "clips: bars, chart, $real"

# ---- HDR versions: what a phone (HLG) or a camera (PQ) records ----
hdr() { # SRC TRANSFER OUT [extra output options]
  local src=$1 t=$2 o=$3; shift 3
  ff -i "$src" -vf "zscale=t=$t:p=bt2020:m=bt2020nc:r=tv:npl=${NPL:-100},format=yuv420p10le" \
    -c:v libx265 -preset ultrafast -x265-params log-level=error:crf=8 -tag:v hvc1 \
    -color_primaries bt2020 -color_trc "$t" -colorspace bt2020nc "$@" "$o"
}

sat() { # mean SATAVG over the frames
  ffmpeg -nostdin -v error -i "$1" -vf "format=yuv420p,signalstats,metadata=print:key=lavfi.signalstats.SATAVG:file=-" \
    -f null - | awk -F= '/SATAVG/ { s += $2; n++ } END { if (n) printf "%.3f", s / n; else print 0 }'
}
psnr() { # DISTORTED REFERENCE: the psnr filter's average (all planes)
  ffmpeg -nostdin -i "$1" -i "$2" -lavfi "[0:v]format=yuv420p[d];[1:v]format=yuv420p[r];[d][r]psnr" \
    -f null - 2>&1 | sed -n 's/.*PSNR .* average:\([0-9.inf]*\) .*/\1/p' | tail -1
}
tags() { ffprobe -v error -select_streams v:0 -show_entries stream=color_primaries,color_transfer,color_space \
  -of csv=p=0 "$1"; }
hex() { od -An -v -tx1 "$1" | tr -d ' \n'; }
# BT.709 in the container too: WebM Colour elements (TransferCharacteristics 0x55BA,
# MatrixCoefficients 0x55B1, Primaries 0x55BB = 1), MP4 colr nclx 1/1/1.
container_709() {
  case "$1" in
    *.webm) local h; h=$(hex "$1"); [[ $h == *55ba8101* && $h == *55b18101* && $h == *55bb8101* ]] ;;
    *.mp4) [[ $(hex "$1") == *636f6c726e636c78000100010001* ]] ;;
  esac
}

declare -A SAT0 # the originals' saturation, measured once
# verdict ORIGINAL FILE FULLSIZE: prints the figures, returns 0 when all three hold
verdict() {
  local o=$1 f=$2 full=$3 so sf pct p ok=0 tg
  [ -n "${SAT0[$o]:-}" ] || SAT0[$o]=$(sat "$o")
  so=${SAT0[$o]} sf=$(sat "$f")
  pct=$(awk -v a="$so" -v b="$sf" 'BEGIN { printf "%.1f", (a > 0 ? 100 * b / a : 0) }')
  tg=$(tags "$f")
  [ "$tg" = "bt709,bt709,bt709" ] && container_709 "$f" || ok=1
  awk -v p="$pct" 'BEGIN { exit !(p >= 80) }' || ok=1
  p=-
  if [ "$full" = 1 ]; then
    p=$(psnr "$f" "$o")
    awk -v p="$p" 'BEGIN { exit !(p == "inf" || p + 0 >= 32) }' || ok=1
  fi
  printf '    %-22s tags %-30s saturation %6s %% (%s of %s)  PSNR %s dB  %s\n' "$(basename "$f")" \
    "$tg" "$pct" "$sf" "$so" "$p" "$([ $ok = 0 ] && echo ok || echo FAILS)"
  return $ok
}

fails() { ! verdict "$@"; }

for c in bars chart real; do
  for t in arib-std-b67 smpte2084; do
    name=$([ $t = arib-std-b67 ] && echo HLG || echo PQ)
    src=$T/$c-$name.mp4
    hdr "$T/$c.mp4" $t "$src"
    echo "$c, $name:"
    run "$SOBRE" encode -p "$fast" "$src" -o "$T/ep-$c-$name"
    expect_status 0
    expect_err "colour: tone mapped from $name (BT.2020, 10-bit) to SDR BT.709 (mobius"
    r=$T/ep-$c-$name/report.json
    echo "  sobre: $(jq -r .colour.summary "$r") (measured $(jq -r .colour.measured_peak_nits "$r") nits)"
    check "$c $name: report says tonemap from $name ($(jq -c '.colour | [.conversion, .from, .peak_nits]' "$r"))" \
      test "$(jq -r '.colour | "\(.conversion) \(.from) \(.operator)"' "$r")" = "tonemap $name mobius"
    check "$c $name: the note is in report.json" \
      jq -e '.notes | any(startswith("tone mapped from '$name'"))' "$r" >/dev/null
    check "$c $name: a poster from the SDR pictures" test -s "$T/ep-$c-$name/poster.webp"
    for f in vp9-low.webm vp9-sobre.webm h264.mp4; do
      full=0; [ "$f" != vp9-low.webm ] && full=1
      check "$c $name: $f is SDR BT.709 with the colours kept" verdict "$T/$c.mp4" "$T/ep-$c-$name/$f" $full
      check "$c $name: $f is 8-bit" test "$(ffprobe -v error -select_streams v:0 -show_entries stream=pix_fmt \
        -of csv=p=0 "$T/ep-$c-$name/$f")" = yuv420p
    done
    # what came out before: the 10-bit HDR signal squeezed into 8-bit VP9 with its tags
    ff -i "$src" -vf "format=yuv420p" -c:v libvpx-vp9 -deadline good -cpu-used 8 -crf 38 -b:v 0 \
      "$T/pass-$c-$name.webm"
    echo "  untreated pass-through (before this change):"
    check "$c $name: the same checks fail on the untreated pass-through" \
      fails "$T/$c.mp4" "$T/pass-$c-$name.webm" 1
  done
done

# A bright HDR grade (the same footage with SDR white at 1000 nits, as a PQ master graded
# for a 1000-nit screen): the measured peak engages the curve instead of clipping
NPL=1000 hdr "$T/real.mp4" smpte2084 "$T/bright1000.mp4"
run "$SOBRE" encode -q -p "$fast" --only vp9-sobre "$T/bright1000.mp4" -o "$T/ep-bright"
expect_status 0
peak=$(jq -r .colour.peak_nits "$T/ep-bright/report.json")
echo "bright PQ grade: $(jq -r .colour.summary "$T/ep-bright/report.json")"
check "bright PQ grade: the peak measured above SDR white, within PQ's 1000-nit grade ($peak)" \
  awk -v p="$peak" 'BEGIN { exit !(p > 200 && p <= 1000) }'
check "bright PQ grade: SDR BT.709 ($(tags "$T/ep-bright/vp9-sobre.webm"))" \
  test "$(tags "$T/ep-bright/vp9-sobre.webm")" = bt709,bt709,bt709

# BT.2020 SDR (wide gamut, no HDR transfer): gamut-mapped, not tone mapped
ff -i "$T/chart.mp4" -vf "zscale=t=bt2020-10:p=bt2020:m=bt2020nc:r=tv,format=yuv420p10le" \
  -c:v libx265 -preset ultrafast -x265-params log-level=error:crf=8 -color_primaries bt2020 \
  -color_trc bt2020-10 -colorspace bt2020nc "$T/chart-2020.mp4"
echo "chart, BT.2020 SDR:"
run "$SOBRE" encode -q -p "$fast" --only vp9-sobre "$T/chart-2020.mp4" -o "$T/ep-2020"
expect_status 0
check "BT.2020 SDR: gamut-mapped ($(jq -c .colour.summary "$T/ep-2020/report.json"))" \
  test "$(jq -r .colour.conversion "$T/ep-2020/report.json")" = gamut
check "BT.2020 SDR: vp9-sobre is SDR BT.709 with the colours kept" \
  verdict "$T/chart.mp4" "$T/ep-2020/vp9-sobre.webm" 1

# --hdr keep on a phone-style clip: HLG, with audio, stored landscape and turned by metadata
hdr "$T/real.mp4" arib-std-b67 "$T/phone-v.mp4"
ff -i "$T/phone-v.mp4" -f lavfi -i "sine=frequency=440:duration=2" -c:v copy -c:a aac -shortest \
  "$T/phone-src.mp4"
ff -display_rotation 90 -i "$T/phone-src.mp4" -c copy "$T/phone.mp4" 2>/dev/null ||
  ff -i "$T/phone-src.mp4" -c copy -metadata:s:v:0 rotate=90 "$T/phone.mp4"
run "$SOBRE" probe "$T/phone.mp4"
expect_out "HDR video (arib-std-b67 transfer, bt2020 primaries): encode tone maps it to SDR BT.709 (mobius)"
run "$SOBRE" encode --hdr keep -p "$fast" "$T/phone.mp4" -o "$T/keep"
expect_status 0
k=$T/keep/vp9-sobre-hdr.webm
expect_file "$k"
info=$(ffprobe -v error -select_streams v:0 -show_entries \
  stream=profile,pix_fmt,color_transfer,color_primaries,color_space,width,height -of json "$k" | jq -c '.streams[0]')
echo "--hdr keep: $info"
check "hdr keep: VP9 Profile 2, 10-bit ($info)" \
  test "$(jq -r '"\(.profile) \(.pix_fmt)"' <<<"$info")" = "Profile 2 yuv420p10le"
check "hdr keep: tagged as the source: bt2020 / arib-std-b67 / bt2020nc" \
  test "$(jq -r '"\(.color_primaries) \(.color_transfer) \(.color_space)"' <<<"$info")" = "bt2020 arib-std-b67 bt2020nc"
check "hdr keep: turned like the SDR rungs (180x320)" \
  test "$(jq -r '"\(.width)x\(.height)"' <<<"$info")" = 180x320
container_hlg() { local h; h=$(hex "$1"); [[ $h == *55ba8112* && $h == *55bb8109* && $h == *55b18109* ]]; }
check "hdr keep: container Colour elements HLG/BT.2020" container_hlg "$k"
check "hdr keep: decodes without an error" test -z "$(ffmpeg -nostdin -v error -i "$k" -f null - 2>&1)"
# the HDR rendition carries the source's signal, not a tone-mapped one
p=$(psnr "$k" "$T/phone.mp4")
echo "hdr keep: PSNR against the HLG source (same signal): $p dB"
check "hdr keep: the source's HLG pictures ($p dB)" awk -v p="$p" 'BEGIN { exit !(p + 0 >= 32) }'
r=$T/keep/report.json
check "hdr keep: report role hdr, codecs vp09.02...10.01.09.18.09 ($(jq -c '.renditions[] | select(.role == "hdr") | .mime' "$r"))" \
  jq -e '.renditions | any(.id == "vp9-sobre-hdr" and .role == "hdr" and .video.pix_fmt == "yuv420p10le"
    and (.mime | contains("vp09.02.") and contains(".10.01.09.18.09.00")))' "$r" >/dev/null
check "hdr keep: report colour.hdr_rendition" test "$(jq -r .colour.hdr_rendition "$r")" = vp9-sobre-hdr
for f in vp9-low.webm vp9-sobre.webm h264.mp4; do
  check "hdr keep: $f stays SDR BT.709 ($(tags "$T/keep/$f"))" test "$(tags "$T/keep/$f")" = bt709,bt709,bt709
done
check "hdr keep: SDR rungs turned too (vp9-sobre 180x320)" test "$(ffprobe -v error -select_streams v:0 \
  -show_entries stream=width,height -of csv=p=0:s=x "$T/keep/vp9-sobre.webm")" = 180x320
check "hdr keep: the HDR rendition has its audio" test "$(ffprobe -v error -select_streams a -show_entries \
  stream=codec_name -of csv=p=0 "$k")" = opus
# the site offers the HDR rendition to HDR screens only, first
# segment-parallel encoding (issue 18) is not for sources whose colours are converted (the
# conversion and its measured peak belong to the one reader before the fan-out) nor with an
# HDR rendition: rung-parallel, and the plan says why, even with --segments on
plan_of() { jq -r "$1" <<<"$_out"; }
run "$SOBRE" encode --plan --json --segments on -p "$fast" "$T/phone.mp4" -o "$T/plan-hlg"
expect_status 0
check "HLG, --segments on: rung-parallel ($(plan_of .reason))" test "$(plan_of .mode)" = rungs
check "HLG, --segments on: the reason names the conversion ($(plan_of .reason))" \
  grep -q "cannot be cut into segments: its colours (HLG) are converted once" <<<"$(plan_of .reason)"
run "$SOBRE" encode --plan --json --segments on --hdr keep -p "$fast" "$T/phone.mp4" -o "$T/plan-keep"
expect_status 0
check "hdr keep, --segments on: rung-parallel ($(plan_of .reason))" test "$(plan_of .mode)" = rungs
check "hdr keep, --segments on: the reason names the HDR rendition ($(plan_of .reason))" \
  grep -q "cannot be cut into segments: an HDR rendition (--hdr keep)" <<<"$(plan_of .reason)"
run "$SOBRE" encode --plan --json --segments on -p "$fast" "$T/chart-2020.mp4" -o "$T/plan-2020"
check "BT.2020 SDR, --segments on: rung-parallel ($(plan_of .reason))" test "$(plan_of .mode)" = rungs
run "$SOBRE" encode -q --segment 1 -p "$fast" "$T/phone.mp4" -o "$T/plan-seg"
expect_status 1
expect_err "--segment: the input cannot be cut into segments: its colours (HLG) are converted"

run "$SOBRE" publish "$T/keep" -o "$T/site"
expect_status 0
check "publish: the HDR source first, for HDR screens only" \
  grep -q 'vp9-sobre-hdr.webm" type="video/webm; codecs=&quot;vp09.02.[0-9]*.10.01.09.18.09.00, opus&quot;" media="(dynamic-range:high) and (min-width:701px)"' \
  "$T/site/index.html"

# sobre batch: the same by default (one sobre encode per episode)
mkdir -p "$T/series"
cp "$T/real-PQ.mp4" "$T/series/camera.mp4"
run "$SOBRE" batch "$T/series" -o "$T/batch" -p "$fast" --only vp9-sobre --quality off -q
expect_status 0
check "batch: tone mapped from PQ ($(jq -r .colour.summary "$T/batch/camera/report.json"))" \
  test "$(jq -r .colour.from "$T/batch/camera/report.json")" = PQ
check "batch: vp9-sobre is SDR BT.709 with the colours kept" \
  verdict "$T/real.mp4" "$T/batch/camera/vp9-sobre.webm" 1
finish
