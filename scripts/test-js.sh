#!/usr/bin/env bash
# Tests of the JavaScript/TypeScript package (package.json, js/):
#   1. npm ci (pinned dev dependencies: typescript, @types/node)
#   2. the committed contract (js/src/generated/contract.json) equals a fresh
#      `go run ./cmd/contractgen`
#   3. build (tsc + the one-file Cordova bundle), `tsc --noEmit` strict over
#      sources and tests
#   4. unit tests (node --test) with a scripted native module / cordova.exec
#   5. integration tests (node --test) through the Node transport against the real
#      Go core (cmd/bridgehost) and a real Token Server (cmd/tokenserver) on loopback
#   6. `npm pack --dry-run`: the package ships exactly what it should
# Needs Node >= 20 and Go. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

step() { echo; echo "--- js: $* (at $((SECONDS))s)"; }
fail() { echo "js: FAIL: $*" >&2; exit 1; }

command -v node >/dev/null || fail "node is not installed (Node >= 20 needed)"
command -v go >/dev/null || fail "go is not installed"
node_major=$(node -p 'process.versions.node.split(".")[0]')
[ "$node_major" -ge 20 ] || fail "Node >= 20 needed, found $(node --version)"

step "npm ci"
npm ci --no-audit --no-fund --loglevel=error

step "contract.json is up to date with core/api and core/dispatch"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go run ./cmd/contractgen -o "$tmp/contract.json"
if ! diff -u js/src/generated/contract.json "$tmp/contract.json"; then
  fail "js/src/generated/contract.json is stale: run go run ./cmd/contractgen -o js/src/generated/contract.json"
fi
echo "contract.json: up to date"

step "build (tsc + Cordova bundle)"
rm -rf dist build/js-test
npx tsc -p tsconfig.build.json
node js/tools/bundle-cordova.mjs
node js/tools/esm-wrappers.mjs

step "tsc --noEmit (strict) over sources and tests"
npx tsc --noEmit -p tsconfig.json
echo "typecheck: clean"

step "compile tests"
npx tsc -p tsconfig.test.json

step "build the real Go core host and Token Server"
mkdir -p build/bin
go build -o build/bin/bridgehost ./cmd/bridgehost
export OMA_BRIDGEHOST=$ROOT/build/bin/bridgehost
if go build -o build/bin/tokenserver ./cmd/tokenserver 2>"$tmp/ts-build.log"; then
  export OMA_TOKENSERVER=$ROOT/build/bin/tokenserver
else
  echo "js: WARNING: cmd/tokenserver does not build; the server integration tests will report why they skip:"
  cat "$tmp/ts-build.log"
  export OMA_TOKENSERVER_BUILD_ERROR="$(head -c 2000 "$tmp/ts-build.log")"
fi

step "unit tests"
node --test build/js-test/unit/

step "integration tests (real Go core, real Token Server on 127.0.0.1)"
node --test build/js-test/integration/

step "npm pack --dry-run"
npm pack --dry-run --json --loglevel=error >"$tmp/pack.json"
node js/tools/check-pack.mjs "$tmp/pack.json"

echo
echo "js: all checks passed"
