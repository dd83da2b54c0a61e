#!/usr/bin/env bash
# The H.264 rung at the default ladder's settings is the same file whatever memory the
# process happens to get. libx264's AVX-512 code (Debian 12's 0.164, with B-frames and
# mb-tree) reads memory it never wrote, so the bytes changed with the heap's contents
# (vrend.c now keeps x264 on its AVX2 code where the CPU has AVX-512). MALLOC_PERTURB_
# fills each new allocation with another byte: two values, two heaps; the same file in
# one continuous encode and in segments. On a CPU without AVX-512 the encodes take the
# same path and the test still holds the result. report.json records the x264-params.
set -u
. "$SOBRE_SRC/tests/lib/assert.sh"
need ffprobe jq
T=$(mktemp -d "${SOBRE_TMP:-/tmp}/h264det.XXXXXX")
trap 'rm -rf "$T"' EXIT
hd=$("$SOBRE_SRC/tests/lib/clips.sh" hd.mp4)
p="$SOBRE_SRC/tests/data/h264-fast.yaml"
grep -q "avx512" /proc/cpuinfo && echo "# this CPU has AVX-512: the case that failed before" ||
  echo "# this CPU has no AVX-512: x264's AVX2 or older code in every run"

for mode in off on; do
  for b in 165 77; do
    run env MALLOC_PERTURB_=$b "$SOBRE" encode -q --quality off -p "$p" --segments $mode "$hd" \
      -o "$T/$mode-$b"
    expect_status 0
  done
  check "segments $mode: $(jq -c .plan.mode "$T/$mode-165/report.json") for both" \
    test "$(jq -r .plan.mode "$T/$mode-165/report.json")" = "$([ $mode = on ] && echo segments || echo rungs)"
  check "segments $mode: the same H.264 file with heap bytes 165 and 77 ($(cmp "$T/$mode-165/h264.mp4" "$T/$mode-77/h264.mp4" 2>&1))" \
    cmp -s "$T/$mode-165/h264.mp4" "$T/$mode-77/h264.mp4"
done
# report.json records the x264-params (scripts/bench.sh gives them to ffmpeg): the AVX2 code
# exactly where /proc/cpuinfo lists the AVX-512 subset x264 uses (and what AVX2 needs)
want=scenecut=0
awk '/^flags/ { for (i = 3; i <= NF; i++) f[$i] = 1; exit }
  END { exit !(f["avx512f"] && f["avx512cd"] && f["avx512bw"] && f["avx512dq"] && f["avx512vl"] &&
    f["avx2"] && f["fma"] && f["bmi2"]) }' /proc/cpuinfo && want=scenecut=0:asm=SSE2Fast,AVX2
got=$(jq -r '.renditions[] | select(.video.codec == "h264") | .video.x264_params' "$T/off-165/report.json")
check "report.json: x264_params '$got', expected '$want' on this CPU" test "$got" = "$want"
check "B-frames in the file (what the case needs): $(ffprobe -v error -select_streams v -show_entries frame=pict_type -of csv=p=0 "$T/off-165/h264.mp4" | sort | uniq -c | tr -s ' \n' ' ')" \
  test "$(ffprobe -v error -select_streams v -show_entries frame=pict_type -of csv=p=0 "$T/off-165/h264.mp4" | grep -c B)" -gt 0
finish
