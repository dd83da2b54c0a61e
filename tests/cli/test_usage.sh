#!/usr/bin/env bash
# The one CLI convention, on every command: --help on stdout with exit 0; a usage error
# is exit 2 with two lines on stderr ("sobre CMD: message", "Try 'sobre CMD --help'.")
# and nothing on stdout; every option that --help lists is one the parser knows, with a
# value exactly when --help shows one (each checked through a usage error: nothing runs).
set -u
. "$SOBRE_SRC/tests/lib/assert.sh"

cmds=(probe encode quality footprint publish batch plan)

for c in "${cmds[@]}"; do
  run "$SOBRE" "$c" --help
  expect_status 0
  expect_out "Usage: sobre $c"
  check "$c --help: nothing on stderr ($_err)" test -z "$_err"
  help=$_out

  for bad in --bogus --bogus=1 -Z; do
    run "$SOBRE" "$c" "$bad"
    expect_status 2
    expect_lines_err 2
    check "$c $bad: message ($_err)" test "$(head -1 <<<"$_err")" = "sobre $c: unknown option '${bad%%=*}'"
    check "$c $bad: hint ($_err)" test "$(tail -1 <<<"$_err")" = "Try 'sobre $c --help'."
    check "$c $bad: nothing on stdout ($_out)" test -z "$_out"
  done

  # "  -o, --output DIR   text", "      --json   text", "  --scan SECONDS  text": the
  # option takes a value when one word follows its name after a single space. Given
  # without its value, or a flag given one, the parser must name it: it knows it.
  while read -r name value; do
    if [ -n "$value" ]; then
      run "$SOBRE" "$c" "$name"
      expect_status 2
      expect_err "sobre $c: $name needs a value ($value)"
    else
      run "$SOBRE" "$c" "$name=x"
      expect_status 2
      expect_err "sobre $c: $name takes no value"
    fi
  done < <(sed -nE 's/^ {2,6}(-[A-Za-z], )?(--[a-z0-9-]+)( ([^ ]+))?( .*|)$/\2 \4/p' <<<"$help")
done

# the number of options found above, so a change of help layout cannot empty the loop
n=$(for c in "${cmds[@]}"; do "$SOBRE" "$c" --help; done |
  grep -cE '^ {2,6}(-[A-Za-z], )?--[a-z0-9-]+')
check "options listed by the helps: $n" test "$n" -ge 60

run "$SOBRE" nosuchcommand
expect_status 2
expect_err "sobre: unknown command 'nosuchcommand'"
finish
