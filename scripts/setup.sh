#!/usr/bin/env bash
# Installs everything sobre needs on Debian 12, and nothing when all is present.
# Debian packages are listed one per line in scripts/deps/*.apt (one file per concern);
# npm packages for the browser and oracle tests come from tests/*/package.json.
# Usage: scripts/setup.sh [--no-npm]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
want_npm=1
[ "${1:-}" = "--no-npm" ] && want_npm=0

mapfile -t pkgs < <(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$root"/scripts/deps/*.apt | tr -d ' \t' | sort -u)
sudo=""
[ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null && sudo="sudo"
missing=()
for p in "${pkgs[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  if [ "$(id -u)" -ne 0 ] && [ -z "$sudo" ]; then
    echo "setup: need root (or sudo) to install: ${missing[*]}" >&2
    exit 1
  fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Browser and oracle tests run on Node.js: use the machine's own if it has one (this
# workplace ships Node 20), else Debian's.
if [ $want_npm -eq 1 ] && ! command -v node >/dev/null; then
  echo "setup: installing Debian's nodejs and npm" >&2
  ${sudo:-} apt-get update -qq
  DEBIAN_FRONTEND=noninteractive ${sudo:-} apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
fi

if [ $want_npm -eq 1 ]; then
  for dir in "$root"/tests/*/; do
    [ -f "$dir/package.json" ] || continue
    stamp="$dir/node_modules/.sobre-stamp"
    if [ ! -f "$stamp" ] || [ "$dir/package.json" -nt "$stamp" ] || \
       { [ -f "$dir/package-lock.json" ] && [ "$dir/package-lock.json" -nt "$stamp" ]; }; then
      command -v npm >/dev/null || { echo "setup: npm missing, skipping $dir" >&2; continue; }
      echo "setup: npm packages for ${dir#"$root"/}" >&2
      if [ -f "$dir/package-lock.json" ]; then
        (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
      else
        (cd "$dir" && npm install --no-audit --no-fund --loglevel=error >/dev/null)
      fi
      touch "$stamp"
    fi
  done
fi
