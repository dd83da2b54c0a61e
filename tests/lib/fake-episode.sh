#!/usr/bin/env bash
# Makes a real episode folder (docs/episode-folder.md) without `sobre encode`: tiny
# renditions made by the ffmpeg CLI from a 2.5 s lavfi clip, plus a report.json that
# follows docs/report.schema.json with the real byte sizes and durations.
# Usage: fake-episode.sh OUT_DIR [TITLE [DESCRIPTION]] [--footprint] [--no-captions]
#   --footprint    add a top-level "footprint" section (as `sobre footprint` would)
#   --no-captions  leave out captions.vtt
# The media are made once and cached under $SOBRE_TMP/fake-episode-v1 (CPU stays low:
# realtime deadline, 320x180 / 426x240 frames); each call copies them and writes the report.
set -euo pipefail

out="" title="" desc="" footprint=0 captions=1 npos=0
for a in "$@"; do
  case "$a" in
    --footprint) footprint=1 ;;
    --no-captions) captions=0 ;;
    *)
      case $npos in
        0) out=$a ;;
        1) title=$a ;;
        2) desc=$a ;;
        *) echo "fake-episode.sh: too many arguments" >&2; exit 2 ;;
      esac
      npos=$((npos + 1)) ;;
  esac
done
[ -n "$out" ] || { echo "usage: fake-episode.sh OUT_DIR [TITLE [DESCRIPTION]] [--footprint] [--no-captions]" >&2; exit 2; }
[ $npos -ge 2 ] || title="Épisode de test"

cache=${SOBRE_TMP:-/tmp/sobre-test}/fake-episode-v1
D=2.5
ff() { ffmpeg -nostdin -v error -y "$@"; }
V="testsrc2=size=%s:rate=15:duration=$D"
A="sine=frequency=330:beep_factor=3:sample_rate=48000:duration=$D"
VPX=(-c:v libvpx-vp9 -deadline realtime -cpu-used 8 -row-mt 1 -pix_fmt yuv420p -g 30)

make_media() {
  local d=$1
  ff -f lavfi -i "$A" -ac 1 -c:a libopus -b:a 24k "$d/audio.webm"
  ff -f lavfi -i "$(printf "$V" 320x180)" -f lavfi -i "$A" "${VPX[@]}" -b:v 120k \
    -ac 1 -c:a libopus -b:a 24k -shortest "$d/vp9-360p.webm"
  ff -f lavfi -i "$(printf "$V" 426x240)" -f lavfi -i "$A" "${VPX[@]}" -b:v 200k \
    -ac 1 -c:a libopus -b:a 32k -shortest "$d/vp9-480p.webm"
  ff -f lavfi -i "$(printf "$V" 426x240)" -f lavfi -i "$A" -c:v libx264 -preset ultrafast \
    -level 3.0 -pix_fmt yuv420p -b:v 200k -ac 1 -c:a aac -b:a 48k \
    -movflags +faststart -shortest "$d/h264-480p.mp4"
  ff -f lavfi -i "$(printf "$V" 320x180)" -frames:v 1 -c:v libwebp -quality 60 "$d/poster.webp"
  printf '%s\n' "WEBVTT" "" \
    "1" "00:00:00.000 --> 00:00:01.200" "Bonjour et bienvenue." "" \
    "00:00:01.200 --> 00:00:02.500 line:85%" "<v Animatrice>Un épisode sobre &amp; léger.</v>" "" \
    >"$d/captions.vtt"
}

if [ ! -f "$cache/.done" ]; then
  mkdir -p "$(dirname "$cache")"
  exec 9>"$cache.lock"
  flock 9
  if [ ! -f "$cache/.done" ]; then
    rm -rf "$cache.part"
    mkdir -p "$cache.part"
    make_media "$cache.part"
    touch "$cache.part/.done"
    rm -rf "$cache"
    mv "$cache.part" "$cache"
  fi
  exec 9>&-
fi

mkdir -p "$out"
files=(audio.webm vp9-360p.webm vp9-480p.webm h264-480p.mp4 poster.webp)
[ $captions -eq 1 ] && files+=(captions.vtt)
for f in "${files[@]}"; do cp "$cache/$f" "$out/$f"; done

# JSON string body: backslash, quote and the control characters a title may carry.
json_str() {
  local s=$1
  s=${s//\\/\\\\}
  s=${s//\"/\\\"}
  s=${s//$'\n'/\\n}
  s=${s//$'\r'/\\r}
  s=${s//$'\t'/\\t}
  printf '%s' "$s" | tr -d '\000-\010\013\014\016-\037'
}
bytes() { stat -c %s "$out/$1"; }
dur() { ffprobe -v error -show_entries format=duration -of default=nw=1:nk=1 "$out/$1"; }
rate() { awk -v b="$1" -v d="$2" 'BEGIN { printf "%d", b * 8 / d }'; }

rendition() { # id label kind role file container mime w h vcodec achannels abitrate
  local b d
  b=$(bytes "$5")
  d=$(dur "$5")
  printf '    {"id": "%s", "label": "%s", "kind": "%s", "role": "%s", "file": "%s",\n' "$1" "$2" "$3" "$4" "$5"
  printf '     "container": "%s", "mime": "%s", "bytes": %s, "duration_s": %s, "bitrate_bps": %s,\n' \
    "$6" "$(json_str "$7")" "$b" "$d" "$(rate "$b" "$d")"
  if [ "$3" = video ]; then
    printf '     "video": {"codec": "%s", "width": %s, "height": %s, "fps": 15, "crf": -1, "max_kbps": 0, "keyint_frames": 30, "keyint_s": 2},\n' "${10}" "$8" "$9"
  fi
  local acodec=opus
  [ "$6" = mp4 ] && acodec=aac
  printf '     "audio": {"codec": "%s", "channels": %s, "sample_rate": 48000, "bitrate_bps": %s},\n' "$acodec" "${11}" "${12}"
  printf '     "cpu_s": 0.1, "wall_s": 0.2}'
}

{
  printf '{\n  "schema": "sobre.report/1",\n  "sobre_version": "0.1.0",\n'
  printf '  "created": "2026-11-28T21:40:00Z",\n'
  printf '  "title": "%s",\n  "description": "%s",\n  "language": "fr",\n' "$(json_str "$title")" "$(json_str "$desc")"
  printf '  "source": {"file": "master.mp4", "bytes": 123456, "duration_s": %s, "container": "mov,mp4,m4a,3gp,3g2,mj2",\n' "$D"
  printf '             "video": {"codec": "h264", "width": 426, "height": 240, "fps": 15},\n'
  printf '             "audio": {"codec": "aac", "channels": 1, "sample_rate": 48000}},\n'
  printf '  "preset": {"name": "test", "file": "presets/ladders/default.yaml"},\n'
  printf '  "encode": {"wall_s": 1.0, "cpu_s": 1.5, "energy_uj": null, "cores": 2},\n'
  printf '  "poster": {"file": "poster.webp", "width": 320, "height": 180, "bytes": %s},\n' "$(bytes poster.webp)"
  if [ $captions -eq 1 ]; then
    printf '  "captions": [{"file": "captions.vtt", "lang": "fr", "label": "Français", "origin": "file"}],\n'
  else
    printf '  "captions": [],\n'
  fi
  printf '  "renditions": [\n'
  rendition audio "audio seul" audio audio audio.webm webm 'audio/webm; codecs="opus"' 0 0 - 1 24000
  printf ',\n'
  rendition vp9-360p "180p (sobre)" video sobre vp9-360p.webm webm 'video/webm; codecs="vp09.00.10.08, opus"' 320 180 vp9 1 24000
  printf ',\n'
  rendition vp9-480p "240p (standard)" video standard vp9-480p.webm webm 'video/webm; codecs="vp09.00.20.08, opus"' 426 240 vp9 1 32000
  printf ',\n'
  rendition h264-480p "240p (H.264)" video fallback h264-480p.mp4 mp4 'video/mp4; codecs="avc1.42C01E, mp4a.40.2"' 426 240 h264 1 48000
  printf '\n  ],\n'
  printf '  "skipped": [{"id": "vp9-720p", "reason": "source is 426x240: rungs above it are never made (no upscale)"}],\n'
  if [ $footprint -eq 1 ]; then
    # The shape `sobre footprint --write` gives (docs/footprint.md), trimmed.
    printf '  "footprint": {"schema": "sobre.footprint/1", "method": "ademe", "factors": "fr-2024", "renditions": {\n'
    printf '    "audio": {"device": "smartphone", "network": "mobile-4g-fr", "wh_per_view": 0.0012, "gco2e_per_view": 0.061, "low": 0.05, "high": 0.09, "embodied_gco2e_per_view": 0.2},\n'
    printf '    "vp9-360p": {"device": "smartphone", "network": "mobile-4g-fr", "wh_per_view": 0.0049, "gco2e_per_view": 0.25, "low": 0.2, "high": 0.4, "embodied_gco2e_per_view": 0.2},\n'
    printf '    "vp9-480p": {"device": "laptop", "network": "fixed-fr", "wh_per_view": 0.0081, "gco2e_per_view": 0.41, "low": 0.3, "high": 0.6, "embodied_gco2e_per_view": 0.3},\n'
    printf '    "h264-480p": {"device": "laptop", "network": "fixed-fr", "wh_per_view": 0.0123, "gco2e_per_view": 0.62, "low": 0.5, "high": 0.9, "embodied_gco2e_per_view": 0.3}}},\n'
  fi
  printf '  "notes": []\n}\n'
} >"$out/report.json.tmp"
mv "$out/report.json.tmp" "$out/report.json"
