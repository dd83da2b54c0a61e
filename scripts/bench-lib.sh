# shellcheck shell=bash
# Helpers shared by scripts/bench.sh and scripts/bench-profile.sh (sourced, not run):
# locating sobre and the cache, cutting inputs, timing one command or a group of
# processes with GNU time, and medians.

bl_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# bl_need CMD...: says which command is missing (and its Debian package) and fails.
bl_need() {
  local c
  for c in "$@"; do
    command -v "$c" > /dev/null 2>&1 && continue
    echo "SKIP: '$c' not found (sudo apt-get install \$(cat scripts/deps/bench.apt))" >&2
    return 1
  done
  [ -x /usr/bin/time ] && /usr/bin/time -f %e true > /dev/null 2>&1 ||
    { echo "SKIP: GNU time (/usr/bin/time, Debian package time) not found" >&2; return 1; }
}

bl_sobre() {
  local s=${SOBRE:-$bl_root/build/tools/sobre}
  [ -x "$s" ] || { echo "bench: $s: no sobre binary (build first: scripts/build.sh, or set SOBRE)" >&2; return 1; }
  echo "$s"
}

# Where inputs derived at bench time live (never committed): $SOBRE_BENCH_CACHE, else
# ~/.cache/sobre-bench.
bl_cache_dir() {
  local d=${SOBRE_BENCH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/sobre-bench}
  mkdir -p "$d" && (cd "$d" && pwd)
}

# bl_cut FILE SECONDS CACHE: prints FILE, or a copy of its first SECONDS seconds (stream
# copy: the same codecs, so the decode cost stays representative), made once per source.
bl_cut() {
  local in=$1 s=$2 cache=$3 name ext o
  if [ -z "$s" ] || [ "$s" = 0 ]; then echo "$in"; return; fi
  name=$(basename "$in"); ext=${name##*.}; name=${name%.*}
  o=$cache/cut/$name-${s}s.$ext
  if [ ! -s "$o" ] || [ "$in" -nt "$o" ]; then # made again when its source was
    mkdir -p "$cache/cut"
    ffmpeg -nostdin -v error -y -i "$in" -map 0:v:0 -map '0:a:0?' -t "$s" -c copy \
      "$o.tmp.$ext" && mv "$o.tmp.$ext" "$o" || { rm -f "$o.tmp.$ext"; return 1; }
  fi
  echo "$o"
}

# bl_time FILE CMD...: runs CMD under GNU time; FILE gets "wall user sys maxrss_kB".
# The command's stderr goes to FILE.err. Returns the command's status.
bl_time() {
  local f=$1
  shift
  /usr/bin/time -f '%e %U %S %M' -o "$f" "$@" 2> "$f.err"
}

# bl_sum FILES...: sums timing files: "wall_max user sys rss_sum rss_max".
bl_sum() {
  awk '{ if ($1 > w) w = $1; u += $2; s += $3; r += $4; if ($4 > m) m = $4 }
       END { printf "%.3f %.3f %.3f %d %d\n", w, u, s, r, m }' "$@"
}

# bl_now: monotonic-enough wall clock in seconds with decimals.
bl_now() { date +%s.%N; }

# bl_median: median of the numbers on stdin (one per line).
bl_median() {
  sort -g | awk '{ a[NR] = $1 } END { if (!NR) { print "null"; exit }
    if (NR % 2) print a[(NR + 1) / 2]; else printf "%.6g\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}
