#!/usr/bin/env bash
# Tests of the JavaScript/TypeScript package (package.json, js/):
#   1. npm ci (pinned dev dependencies: typescript, @types/node)
#   2. build (tsc + the one-file Cordova bundle + ESM entry points), `tsc --noEmit`
#      strict over sources and tests
#   3. go build of cmd/contractgen, cmd/bridgehost, cmd/tokenserver (started in the
#      background at the beginning); the committed generated contract files
#      (js/src/generated/contract.{json,ts}, js/README.md's method table) must
#      equal a fresh contractgen output
#   4. unit tests (node --test) with a scripted native module / cordova.exec
#   5. integration tests (node --test) through the Node transport against the real
#      Go core (cmd/bridgehost) and a real Token Server (cmd/tokenserver) on loopback
#   6. `npm pack --dry-run`: the package ships exactly what it should; the release
#      packaging of the Go core's AAR/xcframework (js/tools/native-artifacts.mjs)
#   7. the packed tarball installed in a scratch consumer project: its types
#      compile under strict in the resolution modes apps use, and require/import
#      work at run time without react-native
#   8. js/tools/onegini-surface.mjs --strict: the official Onegini surface (RN
#      exports, Cordova members, app-style code) against the packed package; fails
#      on anything not the same that js/test/onegini-surface/deliberate.json does
#      not list with its reason, on a stale entry there, or on a stale README table
#   9. scripts/test-toolchains.sh: Metro bundles a scratch React Native app with
#      the package; the Cordova CLI adds it as a plugin (android, ios)
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

# The Go binaries build in the background while npm and tsc run (on a cold Go
# build cache this is the longest part).
mkdir -p build/bin
tmp=$(mktemp -d)
trap 'wait; rm -rf "$tmp"' EXIT  # never leave the background builds behind
(
  go build -o build/bin/contractgen ./cmd/contractgen && go build -o build/bin/bridgehost ./cmd/bridgehost
  echo $? >"$tmp/core.rc"
) >"$tmp/core-build.log" 2>&1 &
core_pid=$!
(
  go build -o build/bin/tokenserver ./cmd/tokenserver
  echo $? >"$tmp/ts.rc"
) >"$tmp/ts-build.log" 2>&1 &
ts_pid=$!

step "npm ci"
npm ci --no-audit --no-fund --loglevel=error

step "build (tsc + Cordova bundle + ESM entry points)"
rm -rf build/js-test
npm run -s build

step "tsc --noEmit (strict) over sources and tests"
npx tsc --noEmit -p tsconfig.json
echo "typecheck: clean"

step "compile tests"
npx tsc -p tsconfig.test.json

step "build the real Go core host, contractgen and the Token Server (go build)"
wait "$core_pid" || true
if [ "$(cat "$tmp/core.rc" 2>/dev/null)" != 0 ]; then
  cat "$tmp/core-build.log"
  fail "go build of cmd/contractgen or cmd/bridgehost failed"
fi
export OMA_BRIDGEHOST=$ROOT/build/bin/bridgehost
wait "$ts_pid" || true
if [ "$(cat "$tmp/ts.rc" 2>/dev/null)" = 0 ]; then
  export OMA_TOKENSERVER=$ROOT/build/bin/tokenserver
else
  cat "$tmp/ts-build.log"
  fail "go build ./cmd/tokenserver failed (the integration tests need the real Token Server)"
fi

step "generated contract (contract.json, contract.ts, js/README.md method table) is up to date with core/api"
build/bin/contractgen -check -root "$ROOT" || fail "generated contract files are stale: run go run ./cmd/contractgen -write"

step "unit tests"
node --test build/js-test/unit/

step "integration tests (real Go core, real Token Server on 127.0.0.1)"
export OMA_CONTRACT_CAPTURE_DIR=$ROOT/build/contract-capture
rm -rf "$OMA_CONTRACT_CAPTURE_DIR"
node --test build/js-test/integration/

step "the integration flows together captured every declared result and event, all valid"
node js/tools/contract-coverage.mjs

step "release packaging: the native binaries' stamps and prepack (scratch module, stand-in build script)"
node --test js/tools/native-artifacts.test.mjs

step "npm pack --dry-run"
npm pack --dry-run --json --ignore-scripts --loglevel=error >"$tmp/pack.json"  # built above; prepack would rebuild
node js/tools/check-pack.mjs "$tmp/pack.json"

step "the packed package as a consumer sees it (types in 5 resolution modes, require/import at run time)"
npm pack --ignore-scripts --pack-destination "$tmp" --loglevel=error >/dev/null
node js/tools/check-consumer.mjs "$tmp"/openmobileauth-react-native-sdk-*.tgz

step "the Onegini surface: official RN exports, Cordova members, app-style code (--strict, gating)"
# First the tool's own test: a correct package measures identical, known defects are
# found, the allow-list excuses exactly its entries. Then the packed package, gating:
# everything the same except the listed (deliberate or pending) members, no other
# app-style error, the README migration table current.
node --test js/tools/onegini-surface.test.mjs
node js/tools/onegini-surface.mjs --strict --pack "$tmp"/openmobileauth-react-native-sdk-*.tgz \
  || fail "the Onegini surface (see above; js/README.md 'Migration'; allow-list js/test/onegini-surface/deliberate.json)"

step "real tool chains accept the packed package (Metro bundle; cordova plugin add)"
scripts/test-toolchains.sh "$tmp"/openmobileauth-react-native-sdk-*.tgz

echo
echo "js: all checks passed"
