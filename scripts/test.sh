#!/usr/bin/env bash
# Runs every test of the project: Go (core, bridge, server — against SQLite and
# a throwaway PostgreSQL cluster), the JavaScript package, the native modules'
# Linux checks, and the demo's browser test. Installs what it needs.
# Usage: scripts/test.sh [go|js|native|demo ...]   (default: all)
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
suites=("$@")
[ ${#suites[@]} -eq 0 ] && suites=(go js native demo)

passed=0; failed=0; failed_names=()
run_suite() {
  local name=$1; shift
  echo
  echo "=================== suite: $name ==================="
  local start=$SECONDS
  if "$@"; then
    passed=$((passed+1))
    echo "=== suite $name: ok ($((SECONDS-start)) s)"
  else
    failed=$((failed+1)); failed_names+=("$name")
    echo "=== suite $name: FAILED ($((SECONDS-start)) s)"
  fi
}

for s in "${suites[@]}"; do
  case $s in
    go)     run_suite go     "$ROOT/scripts/pg.sh" "$ROOT/scripts/test-go.sh" ;;
    js)     run_suite js     "$ROOT/scripts/test-js.sh" ;;
    native) run_suite native "$ROOT/scripts/test-native.sh" ;;
    demo)   run_suite demo   "$ROOT/scripts/test-demo.sh" ;;
    *) echo "unknown suite $s"; exit 2 ;;
  esac
done

echo
[ $failed -gt 0 ] && echo "failed suites: ${failed_names[*]}"
echo "suites: $passed passed, $failed failed"
[ $failed -eq 0 ]
