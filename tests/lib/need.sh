# What a test may do when something it needs is absent (source it).
#   need TOOL...   a command scripts/setup.sh installs
#   missing WHY    anything else setup.sh or the CI machine provides (npm packages,
#                  chromium, root for network namespaces)
# Both skip (exit 77, CTest's SKIP_RETURN_CODE) on a developer's machine, where a tool
# may simply not be installed yet, but FAIL under CI=true: there setup.sh has run, so a
# missing tool means an install step broke, and a skip would hide it. The only skips
# allowed in CI are the ones a test makes itself for an optional input (../shared/media)
# or for a machine where a tool cannot run at all (valgrind on a CPU it cannot decode),
# each printing its reason.
missing() {
  if [ "${CI:-}" = true ]; then
    echo "FAIL: $* (scripts/setup.sh provides it: under CI=true this is an install failure, not a skip)"
    exit 1
  fi
  echo "SKIP: $* (run scripts/setup.sh)"
  exit 77
}
need() {
  local t
  for t in "$@"; do
    command -v "$t" >/dev/null 2>&1 || missing "$t missing"
  done
}
