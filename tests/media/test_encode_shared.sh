#!/usr/bin/env bash
# The default ladder on every real clip of ../shared/media (issue "done when"): each
# output decodes without a single error message from `ffmpeg -v error`, its duration is
# within one frame of the source, the 480p "sobre" rung stays <= 450 kbit/s in total,
# and rotation/aspect are right (SSIM of the sobre rung against ffmpeg's own display of
# the source). The video clips go through `sobre batch` as one five-episode series (issue
# 9: CSV with titles and captions -> episodes -> published site, in CSV order); the audio
# clip through `sobre encode`; every podcast rendition at -16 LUFS (+-0.5) with true peaks
# <= -1 dBTP (ffmpeg's ebur128), silent sources left alone with a note. Skipped when the
# folder is absent. CPU heavy: label "media".
set -u
. "$SOBRE_SRC/tests/lib/assert.sh"
media=${SOBRE_MEDIA:-}
[ -d "$media" ] || { echo "no shared media folder: skipped"; exit 77; }
T=$(mktemp -d "${SOBRE_TMP:-/tmp}/media-encode.XXXXXX")
trap 'rm -rf "$T"' EXIT

dur() { ffprobe -v error -show_entries format=duration -of csv=p=0 "$1"; }
vdur() { # end of the video stream as a player sees it: last pts + its duration
  ffprobe -v error -select_streams v:0 -show_entries packet=pts_time,duration_time -of csv=p=0 "$1" |
    awk -F, '$1 != "N/A" { e = $1 + ($2 == "N/A" ? 0 : $2); if (e > m) m = e } END { printf "%.3f", m }'
}
fps() { ffprobe -v error -select_streams v:0 -show_entries stream=avg_frame_rate -of csv=p=0 "$1" | awk -F/ '{ printf "%.6f", ($2 ? $1 / $2 : 0) }'; }

# The series: every video clip, in name order, one CSV row each (captions when a .vtt
# sits beside the clip); one title is hostile on purpose.
declare -A dir_of
k=0
printf 'file,title,captions,id\n' >"$T/serie.csv"
for src in "$media"/*.mp4 "$media"/*.webm; do
  [ -e "$src" ] || continue
  k=$((k + 1))
  vtt=${src%.*}.vtt
  [ -e "$vtt" ] || vtt=""
  title="Épisode $k — $(basename "${src%.*}")"
  [ $k -eq 2 ] && title="Épisode 2 <img src=x onerror=alert(1)> & \"co\""
  printf '"%s","%s","%s",ep%d\n' "$src" "${title//\"/\"\"}" "$vtt" $k >>"$T/serie.csv"
  dir_of[$(basename "$src")]="$T/eps/ep$k"
done
run "$SOBRE" batch "$T/serie.csv" -o "$T/eps" --publish "$T/site" --site-title "Série" -q --json
expect_status 0
check "batch: $k episodes encoded ($(jq -c '[.episodes[].status]' <<<"$_out"))" \
  test "$(jq '[.episodes[] | select(.status == "encoded")] | length' <<<"$_out")" -eq $k
check "site: $k episodes in the manifest" test "$(jq '.episodes | length' "$T/site/manifest.json")" -eq $k
check "site: episodes in CSV order" test "$(jq -r '[.episodes[].title | capture("Épisode (?<n>[0-9]+)").n] | join(",")' "$T/site/manifest.json")" = "$(seq -s, 1 $k)"
check "site: hostile title inert" bash -c "! grep -q '<img src=x' '$T/site/index.html'"
expect_file_contains "$T/site/index.html" "&lt;img src=x onerror=alert(1)&gt;"

for src in "$media"/*.mp4 "$media"/*.webm "$media"/*.wav; do
  [ -e "$src" ] || continue
  name=$(basename "$src")
  out=${dir_of[$name]:-$T/${name%.*}}
  if [ -z "${dir_of[$name]:-}" ]; then
    run "$SOBRE" encode -q "$src" -o "$out"
    expect_status 0
    [ "$_rc" -eq 0 ] || continue
  fi
  [ -s "$out/report.json" ] || { _fail_msg "$name: no report.json in $out"; continue; }
  report="$out/report.json"
  n=$(jq '.renditions | length' "$report")
  has_video=$(jq '.source.video != null' "$report")
  if [ "$has_video" = true ]; then
    check "$name: video renditions made ($n)" test "$n" -ge 3
  else
    check "$name: audio only ($n)" test "$n" -eq 1
  fi
  sf=$(fps "$src")
  for f in $(jq -r '.renditions[].file' "$report"); do
    errs=$(ffmpeg -nostdin -v error -i "$out/$f" -f null - 2>&1)
    check "$name/$f: ffmpeg -v error printed: $errs" test -z "$errs"
    if [ "$(jq -r --arg f "$f" '.renditions[] | select(.file == $f) | .kind' "$report")" = video ]; then
      a=$(vdur "$out/$f") b=$(vdur "$src")
      tol=$(awk -v f="$sf" 'BEGIN { printf "%.4f", (f > 0 ? 1 / f : 0.05) + 0.002 }')
      check "$name/$f: video ends at $a s, source at $b s (tolerance $tol)" \
        awk -v a="$a" -v b="$b" -v t="$tol" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d <= t) }'
    else
      a=$(dur "$out/$f") b=$(dur "$src")
      check "$name/$f: lasts $a s, source $b s" \
        awk -v a="$a" -v b="$b" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d <= 0.1) }'
    fi
  done
  if [ "$has_video" = true ]; then
    kbps=$(jq '.renditions[] | select(.role == "sobre") | .bitrate_bps / 1000' "$report")
    check "$name: sobre rung is $kbps kbit/s (<= 450)" awk -v k="$kbps" 'BEGIN { exit !(k > 0 && k <= 450) }'
    sobre=$(jq -r '.renditions[] | select(.role == "sobre") | .file' "$report")
    ffmpeg -nostdin -v error -y -i "$src" -an -c:v libx264 -qp 0 -preset ultrafast "$T/ref.mkv"
    ssim=$("$SOBRE" quality --json "$T/ref.mkv" "$out/$sobre" | jq '.ssim_y.mean')
    check "$name: sobre rung looks like the source (SSIM $ssim >= 0.85)" \
      awk -v s="$ssim" 'BEGIN { exit !(s >= 0.85) }'
    check "$name: poster <= 15 KB" test "$(jq '.poster.bytes' "$report")" -le 15000
  fi
  # loudness (issue 15): every episode's podcast rendition at -16 LUFS, as ffmpeg measures
  # it; silent sources are left as they are
  a=$(jq -r '.renditions[] | select(.role == "audio") | .file' "$report")
  if [ -n "$a" ] && [ "$(jq -r '.loudness.audio.listen.action' "$report")" != silent ]; then
    read -r li lp < <(ffmpeg -nostdin -hide_banner -i "$out/$a" -af ebur128=peak=true -f null - 2>&1 |
      awk '/Summary/ { s = 1 } s && / I:/ { i = $2 } s && /Peak:/ { p = $2 } END { print i, p }')
    echo "$name: $(jq .loudness.input.integrated_lufs "$report") LUFS in, $a at $li LUFS, true peak $lp dBTP"
    check "$name/$a: $li LUFS within 0.5 LU of -16" \
      awk -v a="$li" 'BEGIN { exit !(a >= -16.5 && a <= -15.5) }'
    # or, where a 32 kbit/s codec overshoots on dense audio whatever the limiter does, said
    # in a note, with the figure the report gives
    check "$name/$a: true peak $lp <= -1 dBTP, or the codec's overshoot noted" bash -c \
      "awk -v a='$lp' 'BEGIN { exit !(a <= -1) }' || jq -e '.notes | any(test(\"overshoot\"))' '$report' >/dev/null"
    check "$name/$a: true peak $lp as the report says" awk -v a="$lp" \
      -v b="$(jq --arg f "$a" '.renditions[] | select(.file == $f) | .loudness.true_peak_dbtp' "$report")" \
      'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d <= 0.2) }'
  elif [ -n "$a" ]; then
    check "$name: near silence noted" jq -e '.notes | any(test("silence"))' "$report"
  fi
done
finish
