#!/usr/bin/env bash
# Writes sobre's man pages into OUT_DIR with help2man: sobre.1 from `sobre --help` and one
# sobre-CMD.1 for every command that `sobre --help` lists, from `sobre CMD --help`. The
# pages are made from the built CLI at build time, so an option added to --help is in the
# man page of the next build; nothing is written twice. Two small fixes to what help2man
# reads (columns where an option's argument meets its description with one space,
# second "Usage:" lines) and to what it writes (quotes in sub-headings, example lines
# kept apart) are made here, so the --help texts stay as they are.
# Usage: man/sobre-man.sh SOBRE_BINARY OUT_DIR DATADIR
#   DATADIR: where the installed sobre finds presets/ (named in sobre(1) FILES)
set -euo pipefail
[ $# -eq 3 ] || { echo "usage: $0 SOBRE_BINARY OUT_DIR DATADIR" >&2; exit 2; }
sobre=$1 out=$2 datadir=$3
command -v help2man >/dev/null || { echo "sobre-man: help2man missing (Debian package help2man)" >&2; exit 1; }
export LC_ALL=C.UTF-8
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

version=$("$sobre" --version | awk 'NR == 1 {print $2}')
[ -n "$version" ] || { echo "sobre-man: '$sobre --version' printed no version" >&2; exit 1; }
"$sobre" --help >"$tmp/top.help"
# The command table of `sobre --help`: "  NAME  summary" lines after "Commands:".
awk '/^Commands:/ {on = 1; next} on && /^[[:space:]]*$/ {exit}
     on && /^ +[a-z]/ {n = $1; sub(/^ +[^ ]+ +/, ""); print n "\t" $0}' "$tmp/top.help" >"$tmp/commands"
[ -s "$tmp/commands" ] || { echo "sobre-man: no 'Commands:' table in '$sobre --help'" >&2; exit 1; }
cut -f1 "$tmp/commands" | grep -vqE '^[a-z][a-z0-9-]*$' &&
  { echo "sobre-man: odd command names in '$sobre --help'" >&2; exit 1; }

# What help2man reads: the help text, with (1) "Usage:" continuation lines turned into
# "  or: ..." lines, (2) an option line whose description starts at the column the other
# option lines use, but after a single space, given a second space (help2man splits an
# option from its description at two spaces), (3) "Example:" read as "Examples:".
normalize() {
  awk '
    { line[NR] = $0 }
    END {
      # the most common description column of option lines ("  -o, --output DIR   text")
      for (i = 1; i <= NR; i++) {
        if (line[i] !~ /^ +-/) continue
        s = line[i]; ind = match(s, /[^ ]/) - 1
        if (match(substr(s, ind + 1), /[^ ]  +[^ ]/)) {
          c = ind + RSTART + RLENGTH - 1
          count[c]++
          if (count[c] > best) { best = count[c]; col = c }
        }
      }
      usage = 0
      for (i = 1; i <= NR; i++) {
        s = line[i]
        if (s ~ /^Usage: /) { usage = 1; print s; continue }
        if (usage && s ~ /^ +[^ ]/ && s !~ /^ +or: /) { sub(/^ +/, "  or: ", s); print s; continue }
        usage = 0
        if (s == "Example:") s = "Examples:"
        if (col > 2 && s ~ /^ +-/ && length(s) >= col && substr(s, col - 1, 1) == " " &&
            substr(s, col - 2, 1) != " " && substr(s, col, 1) != " " &&
            substr(s, 1, col - 1) !~ /[^ ]  +[^ ]/)
          s = substr(s, 1, col - 2) " " substr(s, col - 1)
        print s
      }
    }'
}

# What help2man wrote: double quotes inside a .SS heading escaped (help2man leaves them
# bare, which ends the heading early), and one line per example in EXAMPLES.
fixup() {
  awk '
    /^\.SS "/ { h = substr($0, 6, length($0) - 6); gsub(/"/, "\\(dq", h); print ".SS \"" h "\""; next }
    /^\.S[HS] / { ex = ($0 == ".SH EXAMPLES") }
    { print }
    ex && !/^\./ { print ".br" }'
}

see_also() { # $1: the page itself (left out)
  local first=1 c
  echo "[SEE ALSO]"
  for c in sobre $(cut -f1 "$tmp/commands" | sed 's/^/sobre-/'); do
    [ "$c" = "$1" ] && continue
    [ $first -eq 1 ] || echo ","
    printf '.BR \\%%%s (1)' "$c"
    first=0
  done
  echo
}

# help2man runs a program with --help: a stand-in that prints the normalised text.
page() { # $1 page name, $2 help file, $3 NAME description, $4 include file
  printf '#!/bin/sh\ncat "%s"\n' "$tmp/$1.norm" >"$tmp/bin/$1"
  chmod +x "$tmp/bin/$1"
  normalize <"$2" >"$tmp/$1.norm"
  help2man --no-info --locale=C.UTF-8 --section=1 --version-string="$1 $version" \
    --name="$3" --include="$4" --output="$tmp/$1.raw" "$tmp/bin/$1"
  fixup <"$tmp/$1.raw" >"$tmp/man1/$1.1"
}

mkdir -p "$tmp/bin" "$tmp/man1"
{
  cat <<EOT
[FILES]
.TP
.I $datadir/presets/ladders/
ladder presets of \\fBsobre encode\\fR and \\fBsobre batch\\fR, named by their file name without .yaml
.TP
.I $datadir/presets/factors/
footprint factors of \\fBsobre footprint\\fR, named by their file name without .yaml
.TP
.I $datadir/presets/site/
style sheet, script and web server samples that \\fBsobre publish\\fR copies into a site
[ENVIRONMENT]
.TP
.B SOBRE_DATADIR
a folder holding a \\fIpresets/\\fR folder, searched before \\fI../share/sobre\\fR next
to the executable and before \\fI$datadir\\fR
EOT
  see_also sobre
} >"$tmp/sobre.h2m"
page sobre "$tmp/top.help" "sober video for the public sector: encode, measure, publish" "$tmp/sobre.h2m"

while IFS=$'\t' read -r cmd summary; do
  "$sobre" "$cmd" --help >"$tmp/$cmd.help" ||
    { echo "sobre-man: '$sobre $cmd --help' failed" >&2; exit 1; }
  see_also "sobre-$cmd" >"$tmp/sobre-$cmd.h2m"
  page "sobre-$cmd" "$tmp/$cmd.help" "$summary" "$tmp/sobre-$cmd.h2m"
done <"$tmp/commands"

# Replace the pages all at once, so a command that went away leaves no page behind.
mkdir -p "$out"
rm -f "$out"/*.1
cp "$tmp/man1"/*.1 "$out/"
