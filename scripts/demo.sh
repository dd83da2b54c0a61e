#!/usr/bin/env bash
# The main job on the built-in sample, from a fresh Debian 12 machine:
# install what is missing, build, synthesise the sample, then probe it.
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
