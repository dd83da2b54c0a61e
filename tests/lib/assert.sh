# Shell assertions for the CLI and integration scripts (source it). Each check counts; a
# failure prints what was expected and what came out. `finish` prints the
# "N passed, N failed" line CI reads and exits non-zero on any failure, or when nothing
# was checked at all.
: "${SOBRE:?}" "${SOBRE_SRC:?}"
. "$SOBRE_SRC/tests/lib/need.sh"
_pass=0 _fail=0 _rc=0 _out="" _err=""
_fail_msg() { _fail=$((_fail + 1)); printf 'FAIL: %s\n' "$*" >&2; }

# check DESCRIPTION COMMAND...: passes when COMMAND succeeds
check() { local d=$1; shift; if "$@"; then _pass=$((_pass + 1)); else _fail_msg "$d"; fi; }

# run COMMAND...: runs it, keeps its status, stdout and stderr for the expect_* below
run() {
  local o e
  o=$(mktemp) e=$(mktemp)
  "$@" >"$o" 2>"$e"
  _rc=$?
  _out=$(cat "$o") _err=$(cat "$e")
  rm -f "$o" "$e"
  _cmd="$*"
}
expect_status() { check "'$_cmd': status $_rc, expected $1 (stderr: $_err)" test "$_rc" -eq "$1"; }
expect_out() { check "'$_cmd': stdout lacks '$1'" grep -qF -- "$1" <<<"$_out"; }
expect_err() { check "'$_cmd': stderr lacks '$1' (stderr: $_err)" grep -qF -- "$1" <<<"$_err"; }
expect_lines_err() {
  local n
  n=$(printf '%s' "$_err" | grep -c '')
  check "'$_cmd': $n stderr lines, expected $1 ($_err)" test "$n" -eq "$1"
}
expect_file() { check "missing file $1" test -s "$1"; }
expect_no_file() { check "unexpected file $1" test ! -e "$1"; }
expect_file_contains() { check "$1 lacks '$2'" grep -qF -- "$2" "$1"; }

finish() {
  echo "$_pass passed, $_fail failed"
  [ "$_fail" -eq 0 ] && [ "$_pass" -gt 0 ]
  exit $?
}
