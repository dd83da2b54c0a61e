#!/usr/bin/env bash
# The main job on the built-in sample, from a fresh Debian 12 machine: install what is
# missing, build, synthesise a 30 s awareness episode, then
#   probe -> encode (the default ladder) -> footprint (per-view energy and carbon, kept
#   in the episode's footprint.json) -> publish (the static site, which computes the
#   same figures itself), and say where the site is and how to serve it.
# Usage: scripts/demo.sh [OUT_DIR]   (default: out/demo)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$root/out/demo}
"$root/scripts/setup.sh"
"$root/scripts/build.sh" "$root/build"
sobre="$root/build/tools/sobre"

echo "== sample: synthesising a 30 s awareness episode (scripts/make-sample.sh)"
"$root/scripts/make-sample.sh" "$out/sample"

echo "== probe"
"$sobre" probe "$out/sample/episode.mp4"

echo "== encode (default ladder; a rerun keeps what is already done)"
"$sobre" encode "$out/sample/episode.mp4" -o "$out/episodes/episode-1" \
  --title "Épisode 1 — Le numérique responsable" \
  --description "Pourquoi une vidéo sobre : définition adaptée, son seul, poids affiché." \
  --captions "$out/sample/episode.vtt"

echo "== footprint of one view, for every viewing format (ADEME method, France 2024)"
"$sobre" footprint "$out/episodes/episode-1" --write --svg "$out/episodes/episode-1/footprint.svg" \
  --device smartphone,laptop,tv --network fixed-fr,mobile-4g-fr

echo "== publish"
"$sobre" publish "$out/episodes/episode-1" -o "$out/site" \
  --title "Numérique responsable" --description "Mini-série de sensibilisation (démo sobre)"

cat <<EOT

The site is in $out/site (open $out/site/index.html, or serve it:
  python3 -m http.server --directory "$out/site" 8000   then http://127.0.0.1:8000/ )
Copy that folder to any static web server; the admin notes and server samples are in
$out/site-admin/ (outside the site, so no server hands them out).
EOT
