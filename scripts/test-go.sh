#!/usr/bin/env bash
# The Go suite: go vet, gofmt, go test -race of every package (fuzz seeds
# included) plus a short fuzz run of the dispatcher, the cross-compile of core and
# bridge for the mobile targets, gobind generation of the bridge without skipped
# symbols, the JS contract check, and the side-by-side measurement that keeps
# the dispatcher's and the load generator's hand-written JSON codecs (and the
# load generator's fasthttp client) only while they earn their place.
# Works on a fresh machine with Go installed.
# Usage: scripts/test-go.sh    Env: FUZZTIME (default 10s; 0 skips the fuzz run)
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

failed=()
step() {
  local name=$1; shift
  local start=$SECONDS
  echo "--- go: $name"
  if "$@"; then
    echo "--- go: $name ok ($((SECONDS-start)) s)"
  else
    echo "--- go: $name FAILED ($((SECONDS-start)) s)"
    failed+=("$name")
  fi
}

gofmt_check() {
  local files bad
  if git -C "$ROOT" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    files=$(git ls-files -co --exclude-standard -- '*.go' | grep -v '/node_modules/' || true)
  else
    files=$(find . -name '*.go' -not -path '*/node_modules/*' -not -path './.git/*')
  fi
  [ -n "$files" ] || return 0
  bad=$(echo "$files" | xargs gofmt -l)
  if [ -n "$bad" ]; then
    echo "files not gofmt-formatted:"; echo "$bad"; return 1
  fi
}

fuzz_short() {
  local t=${FUZZTIME:-10s}
  [ "$t" = 0 ] && { echo "fuzz run skipped (FUZZTIME=0)"; return 0; }
  go test -run='^$' -fuzz='^FuzzHandle$' -fuzztime="$t" ./core/dispatch
}

contract_check() {
  # contract.json (schema), contract.ts (TS layer) and js/README.md's method
  # table must equal a fresh generation from core/api.
  go run ./cmd/contractgen -check -root "$ROOT"
}

step "go vet" go vet ./...
step "gofmt" gofmt_check
step "go test -race" go test -race -timeout 20m ./...
step "fuzz FuzzHandle" fuzz_short
step "cross-compile" "$ROOT/scripts/cross-compile.sh"
step "gobind" "$ROOT/scripts/gobind-check.sh"
step "contract" contract_check
step "deploy guide (PostgreSQL)" "$ROOT/scripts/test-deploy.sh"
step "fast paths" env OMA_FASTPATH_BENCH=1 go test -count=1 -v -run '^TestFastPathsEarnTheirPlace$' ./core/dispatch ./server/loadgen ./server/httpio ./server/rp

if [ ${#failed[@]} -gt 0 ]; then
  echo "go suite FAILED: ${failed[*]}"
  exit 1
fi
echo "go suite: all steps passed"
