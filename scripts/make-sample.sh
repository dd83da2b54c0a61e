#!/usr/bin/env bash
# Synthesises the built-in sample: a 30 s, 1280x720, 30 fps "awareness episode" made only
# from Debian packages, so the demo and benchmarks run on any fresh machine.
#  - picture: slowly moving colour gradients (ffmpeg's `gradients` source) behind title
#    cards drawn with DejaVu Sans (drawtext), and a moving progress bar;
#  - sound: a French voice (espeak-ng) over a quiet two-tone bed (sine sources);
#  - captions: a WebVTT file with the spoken sentences and their timings.
# The same bytes on every run and every AVX2 machine: the gradients' colours and line are
# given (the source draws random ones for any left out or off the picture), and x264 runs
# without mb-tree (its AVX-512 code makes mb-tree depend on memory it never wrote;
# docs/bench.md). So a test or a benchmark sees the sample the last one saw. (Checked
# under two heaps, and with -cpuflags -avx512: the same file; without AVX2, another.)
# Usage: scripts/make-sample.sh OUT_DIR   (writes OUT_DIR/episode.mp4 and OUT_DIR/episode.vtt;
# a sample made there by another version of this script is made again)
set -euo pipefail
out=${1:?usage: make-sample.sh OUT_DIR}
mkdir -p "$out"
recipe=$(md5sum < "${BASH_SOURCE[0]}" | cut -d' ' -f1)
[ -s "$out/episode.mp4" ] && [ -s "$out/episode.vtt" ] &&
  [ "$(cat "$out/episode.recipe" 2> /dev/null)" = "$recipe" ] && exit 0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
font=/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf
[ -r "$font" ] || { echo "make-sample: missing $font (package fonts-dejavu-core)" >&2; exit 1; }

# Sentences and their start times (s); each is spoken and shown as a caption.
sentences=(
  "0|Le numérique représente deux virgule cinq pour cent de l'empreinte carbone de la France."
  "7|Une vidéo sobre, c'est une définition adaptée à l'écran, et un son seul quand l'image n'apporte rien."
  "15|Avant de publier, choisissez le bon format : trois cent soixante ou quatre cent quatre-vingts lignes suffisent souvent."
  "23|Merci de votre attention. Épisode un, série numérique responsable."
)
inputs=(); filt=""; mix=""; i=0
: > "$tmp/cues"
for s in "${sentences[@]}"; do
  start=${s%%|*}; text=${s#*|}
  espeak-ng -v fr -s 165 -w "$tmp/s$i.wav" "$text"
  dur=$(ffprobe -v error -show_entries format=duration -of csv=p=0 "$tmp/s$i.wav")
  printf '%s|%s|%s\n' "$start" "$dur" "$text" >> "$tmp/cues"
  inputs+=(-i "$tmp/s$i.wav")
  filt+="[$((i + 2)):a]aresample=48000,adelay=$((start * 1000)):all=1[v$i];"
  mix+="[v$i]"
  i=$((i + 1))
done

cards="drawtext=fontfile=$font:text='sobre — épisode 1':fontsize=64:fontcolor=white:x=(w-tw)/2:y=h/3-th+20*sin(t/3):box=1:boxcolor=black@0.35:boxborderw=24,"
cards+="drawtext=fontfile=$font:text='Le numérique responsable':fontsize=40:fontcolor=white:x=(w-tw)/2+40*sin(t/5):y=h/2"
cards+=",drawbox=x=0:y=ih-24:w=iw*t/30:h=24:color=white@0.8:t=fill"
ffmpeg -nostdin -v error -y \
  -f lavfi -i "gradients=s=1280x720:r=30:d=30:speed=0.015:n=3:c0=0x000091:c1=0x1b7a6e:c2=0x6a1b9a:x0=0:y0=0:x1=1279:y1=719" \
  -f lavfi -i "sine=f=220:d=30:sample_rate=48000" \
  "${inputs[@]}" \
  -filter_complex "[0:v]${cards},format=yuv420p[vid];[1:a]volume=0.04[bed];${filt}[bed]${mix}amix=inputs=$((i + 1)):duration=first:normalize=0,pan=stereo|c0=c0|c1=c0[aud]" \
  -map "[vid]" -map "[aud]" -t 30 -c:v libx264 -preset veryfast -crf 20 -g 60 -x264-params mbtree=0 \
  -c:a aac -b:a 128k -movflags +faststart "$tmp/episode.mp4"

ts() { awk -v t="$1" 'BEGIN { h=int(t/3600); m=int((t-h*3600)/60); s=t-h*3600-m*60; printf "%02d:%02d:%06.3f", h, m, s }'; }
{
  printf 'WEBVTT\n\n'
  n=1
  while IFS='|' read -r start dur text; do
    end=$(awk -v a="$start" -v b="$dur" 'BEGIN { printf "%.3f", a + b }')
    printf '%d\n%s --> %s\n%s\n\n' "$n" "$(ts "$start")" "$(ts "$end")" "$text"
    n=$((n + 1))
  done < "$tmp/cues"
} > "$tmp/episode.vtt"
mv "$tmp/episode.vtt" "$out/episode.vtt"
mv "$tmp/episode.mp4" "$out/episode.mp4"
echo "$recipe" > "$out/episode.recipe"
