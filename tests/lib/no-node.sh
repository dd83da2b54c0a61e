#!/usr/bin/env bash
# Stands in for node when CMake found none: the web and oracle tests then skip, or fail
# under CI=true (tests/lib/need.sh). Usage: no-node.sh TEST.mjs
. "$(dirname "$0")/need.sh"
missing "node missing: cannot run ${1##*/}"
