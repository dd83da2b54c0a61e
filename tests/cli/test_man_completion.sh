#!/usr/bin/env bash
# The man pages and the bash completion say what `sobre --help` and `sobre CMD --help`
# say: the same commands (sobre-CMD(1) for each), and for every command the same long
# options (named anywhere in the text), and the same short options (on option lines),
# both ways. Every fixed value the completion offers (preset and factor names, rung ids,
# choices) is accepted by the CLI. The pages render without groff warnings and
# `cmake --install` puts pages and completion where man and bash-completion look.
# Needs help2man (the build makes the pages), bash-completion and man-db
# (scripts/deps/package.apt): skipped without them, failed under CI=true.
set -u
. "$SOBRE_SRC/tests/lib/assert.sh"
: "${SOBRE_BUILD:?}"
mkdir -p "${SOBRE_TMP:-/tmp}"
T=$(mktemp -d "${SOBRE_TMP:-/tmp}/man-completion.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT

man1="$SOBRE_BUILD/man/man1"
[ -s "$man1/sobre.1" ] || missing "no man pages in $man1: help2man missing at build time"
BC=/usr/share/bash-completion/bash_completion
[ -r "$BC" ] || missing "bash-completion missing (scripts/deps/package.apt)"
command -v man >/dev/null || missing "man (man-db) missing"
COMPLETION="$SOBRE_SRC/completion/sobre.bash"
export SOBRE_DATADIR="$SOBRE_SRC"

# --- extraction, independent of the completion's own parser and of help2man
long_opts() { grep -oE -- '(^|[^A-Za-z0-9-])--[a-z][a-z0-9-]*' | sed -E 's/^[^-]//' | sort -u; }
# short options on option lines: "  -o, --output DIR", "-f/--force" (before the description)
short_opts() {
  grep -E '^ +-' | sed -E 's/^ +//; s/  .*//' | grep -oE -- '(^|[ ,/])-[A-Za-z]([ ,/]|$)' |
    tr -d ' ,/' | sort -u
}
# groff source to text: \- is -, fonts and spacing escapes dropped
man_text() { sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' -e 's/\\[,\/&%]//g' -e 's/\\(dq/"/g' "$1"; }
# the tags of a page's .TP/.HP items, as text
man_tags() { awk 'p ~ /^\.(TP|HP)$/ {print} /^\.HP$/ {getline; print} {p = $0}' "$1" | man_text /dev/stdin; }

# completion: one bash with bash-completion and the completion loaded (so the help texts
# are read once), answering requests: a folder then the words, each ended by \x1f, on
# one line; the reply is COMPREPLY, one per line, then a line ".".
cat >"$T/complete.sh" <<EOF
. "$BC"
. "$COMPLETION"
while IFS= read -r line; do
  IFS=\$'\x1f' read -r -a w <<<"\$line"
  cd "\${w[0]}" || exit 1
  COMP_WORDS=("\${w[@]:1}"); COMP_CWORD=\$((\${#COMP_WORDS[@]} - 1))
  COMP_LINE="\${COMP_WORDS[*]}"; COMP_POINT=\${#COMP_LINE}; COMPREPLY=()
  _sobre "\${COMP_WORDS[0]}" "\${COMP_WORDS[COMP_CWORD]}" "\${COMP_WORDS[COMP_CWORD - 1]}"
  printf '%s\n' "\${COMPREPLY[@]}" .
done
EOF
mkdir -p "$T/empty"
coproc COMPLETER { bash "$T/complete.sh" 2>/dev/null; }
# (plain copies of its pipes: a coprocess's own are closed in pipelines' subshells)
exec {to_completer}>&"${COMPLETER[1]}" {from_completer}<&"${COMPLETER[0]}"
complete_in() { # DIR WORDS...
  local line
  { printf '%s\x1f' "$@"; printf '\n'; } >&$to_completer
  while IFS= read -r -t 60 line <&$from_completer && [ "$line" != . ]; do
    printf '%s\n' "$line"
  done
}
complete_words() { complete_in "$T/empty" "$SOBRE" "$@" | sed '/^$/d' | sort -u; }
same() { # DESCRIPTION A B: two sorted lists are equal
  if [ "$2" = "$3" ]; then _pass=$((_pass + 1)); else
    _fail_msg "$1: only in the first: $(comm -23 <(echo "$2") <(echo "$3") | tr '\n' ' ')| only in the second: $(comm -13 <(echo "$2") <(echo "$3") | tr '\n' ' ')"
  fi
}

# --- the completion file loads and registers itself
run bash -c ". '$BC'; . '$COMPLETION'; complete -p sobre"
expect_status 0; expect_out "complete -F _sobre sobre"

# --- commands: `sobre --help` = man pages = completion
"$SOBRE" --help >"$T/top.help"
cmds=$(awk '/^Commands:/ {on = 1; next} on && /^[[:space:]]*$/ {exit} on && /^ +[a-z]/ {print $1}' \
  "$T/top.help" | sort)
check "sobre --help lists commands" test -n "$cmds"
same "commands in --help vs man pages" "$cmds" \
  "$(cd "$man1" && ls sobre-*.1 | sed 's/^sobre-//; s/\.1$//' | sort)"
same "commands in --help vs completion" "$cmds" "$(complete_words "")"

# --- options, both ways, per command (and sobre itself)
for cmd in "" $cmds; do
  name=sobre${cmd:+-$cmd} page="$man1/sobre${cmd:+-$cmd}.1"
  "$SOBRE" $cmd --help >"$T/h" 2>&1
  expect_file "$page"
  [ -s "$page" ] || continue
  hl=$(long_opts <"$T/h") hs=$(short_opts <"$T/h")
  check "$name --help names options" test -n "$hl"
  same "$name: long options of --help vs man page" "$hl" "$(man_text "$page" | long_opts)"
  same "$name: short options of --help vs man page items" "$hs" \
    "$(man_tags "$page" | sed 's/^/  /' | short_opts)"
  comp=$(complete_words $cmd -)
  same "$name: long options of --help vs completion" "$hl" "$(grep -- '^--' <<<"$comp")"
  same "$name: short options of --help vs completion" "$hs" "$(grep -v -- '^--' <<<"$comp")"
  check "$name.1 has its NAME and SEE ALSO" grep -q '^\.SH "SEE ALSO"' "$page"
  LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -E UTF-8 -l -Tutf8 -Z "$page" >/dev/null 2>"$T/w"
  check "$name.1 renders without groff warnings: $(head -c 300 "$T/w")" test ! -s "$T/w"
done
check "sobre-encode(1) documents --target-ssim" grep -q 'target\\-ssim' "$man1/sobre-encode.1"

# --- values offered by the completion are accepted by the CLI: same status and same
# error lines as without the option (inputs that do not exist make every run stop early)
declare -A base=([encode]="$T/none.mp4 -o $T/out" [batch]="$T/none.csv -o $T/out"
  [footprint]="--explain" [publish]="$T/none -o $T/site" [probe]="$T/none.mp4"
  [quality]="$T/a.mp4 $T/b.mp4")
verdict() { # CMD ARGS...: "status|error lines"
  local cmd=$1 rc
  shift
  "$SOBRE" "$cmd" "$@" >/dev/null 2>"$T/err"
  rc=$?
  echo "$rc|$(grep "^sobre $cmd: " "$T/err")"
}
nvalues=0
for cmd in $cmds; do
  ref=$(verdict $cmd ${base[$cmd]:-$T/none})
  # the options that take a value, as the completion reads them
  # (long options: a short one has the values of the long one on its line)
  opts=$(bash -c ". '$BC'; . '$COMPLETION'; _sobre_options '$SOBRE' $cmd" | awk 'NF > 1 && /^--/ {print $1}')
  for opt in $opts; do
    values=$(complete_words $cmd "$opt" "")
    nvalues=$((nvalues + $(grep -c . <<<"$values")))
    case $opt in
      # lists (a,b,c): every value at once, then 'all' alone
      --enable | --only | --device | --network)
        list=$(grep -vx all <<<"$values" | paste -sd,)
        values=$(grep -x all <<<"$values"; [ -z "$list" ] || echo "$list") ;;
    esac
    for v in $values; do
      got=$(verdict $cmd ${base[$cmd]:-$T/none} "$opt" "$v")
      check "sobre $cmd $opt $v (offered by the completion): '$got', expected '$ref'" test "$got" = "$ref"
    done
  done
done
check "the completion offers values ($nvalues checked)" test $nvalues -ge 20
echo "$nvalues values offered by the completion checked against the CLI"
# ... and the check can fail: a value the CLI refuses gives another verdict
check "a refused value is seen" test "$(verdict footprint --explain --device bogus)" != "$(verdict footprint --explain)"

# a few values by name
same "preset names" "$(ls "$SOBRE_SRC/presets/ladders" | sed 's/\.yaml$//' | sort)" \
  "$(complete_words encode --preset "")"
same "factor names" "$(ls "$SOBRE_SRC/presets/factors" | sed 's/\.yaml$//' | sort)" \
  "$(complete_words footprint --factors "")"
check "rung ids of the preset on the line" test "$(complete_words encode -p minimal --only "" | tr '\n' ' ')" = "audio vp9-480p "
check "rung lists" grep -qx "vp9-720p,av1-720p" <<<"$(complete_words encode --enable vp9-720p,av)"
printf 'file,id\na.mp4,ep-a\nb.mp4,ep-b\n' >"$T/empty/s.csv"
check "episode ids of the series" test "$(complete_in "$T/empty" "$SOBRE" batch s.csv -o out --episode "" | sort | tr '\n' ' ')" = "ep-a ep-b "
check "series files" grep -qx "s.csv" <<<"$(complete_in "$T/empty" "$SOBRE" batch "")"
rm -f "$T/empty/s.csv"

# --- cmake --install: the pages where man looks, the completion where bash-completion does
run cmake --install "$SOBRE_BUILD" --prefix "$T/prefix"
expect_status 0
for cmd in "" $cmds; do
  expect_file "$T/prefix/share/man/man1/sobre${cmd:+-$cmd}.1"
done
expect_file "$T/prefix/share/bash-completion/completions/sobre"
run env MANPATH="$T/prefix/share/man" man -w sobre-encode
expect_status 0; expect_out "$T/prefix/share/man/man1/sobre-encode.1"
run env MANPATH="$T/prefix/share/man" MANWIDTH=100 man -P cat sobre-encode
expect_out "--target-ssim X"
run env HOME="$T" XDG_DATA_DIRS="$T/prefix/share" bash -c ". '$BC'; __load_completion sobre && complete -p sobre"
expect_status 0; expect_out "complete -F _sobre sobre"
finish
