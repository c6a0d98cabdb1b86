#!/usr/bin/env bash
# The demo's browser test and the README quick-start check.
# Installs Debian's Chromium if missing (apt-get update once), installs the
# pinned playwright-core in e2e/ (npm ci), builds cmd/demo and cmd/phone, then
# runs with Node's test runner:
#   e2e/demo.test.mjs        headless Chromium on the demo page, answered by the terminal phone
#   e2e/quickstart.test.mjs  the README quick start's commands, as written, in a clean copy
#   e2e/sso.test.mjs         app-to-web single sign-on: phone sso, Chromium lands signed in
# Screenshots go to artifacts/. Exits non-zero on failure.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

if ! [ -x /usr/bin/chromium ]; then
  echo "installing chromium from Debian..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi
/usr/bin/chromium --version

want=$(node -p "require('./e2e/package.json').devDependencies['playwright-core']")
have=$(node -p "try { require('./e2e/node_modules/playwright-core/package.json').version } catch { '' }")
if [ "$want" != "$have" ]; then
  (cd e2e && npm ci --no-audit --no-fund --loglevel=error)
fi

mkdir -p build/e2e artifacts
go build -o build/e2e/demo ./cmd/demo
go build -o build/e2e/phone ./cmd/phone
go build -o build/e2e/tokenserver ./cmd/tokenserver

export OMA_E2E_BIN=$ROOT/build/e2e OMA_ARTIFACTS=$ROOT/artifacts
cd e2e
node --test --test-concurrency=1 demo.test.mjs quickstart.test.mjs antifatigue.test.mjs sso.test.mjs
