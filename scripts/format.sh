#!/usr/bin/env bash
# Formats every C source in place with the committed .clang-format (CI checks it).
set -euo pipefail
cd "$(dirname "$0")/.."
git ls-files -co --exclude-standard '*.c' '*.h' | xargs -r clang-format -i
