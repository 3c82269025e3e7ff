# The shell tests' one way to count checks (sourced by tests/package.sh,
# tests/tauri_dev.sh and tests/node_setup.sh): `check "what" command…`
# prints "ok - what" or "not ok - what" and counts it; `not command…`
# inverts a command for a check. Each script prints its own "NAME: N
# passed, N failed" line from the two counters.

passed=0
failed=0

check() {
  local what="$1"
  shift
  if "$@" >/dev/null 2>&1; then
    echo "ok - $what"
    passed=$((passed + 1))
  else
    echo "not ok - $what"
    failed=$((failed + 1))
  fi
}

not() { ! "$@"; }
