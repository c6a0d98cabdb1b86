#!/usr/bin/env bash
# Compile-only check that the SDK core and the bridge build for every mobile and
# web target: android/arm64, android/arm, android/amd64, ios/arm64, darwin/arm64
# and js/wasm. Non-main packages compile without linking, so CGO_ENABLED=0 works
# for ios/arm64 too (linking an iOS binary needs Xcode; that is the macOS
# runner's job). Usage: scripts/cross-compile.sh
set -euo pipefail
cd "$(dirname "$0")/.."

targets=(android/arm64 android/arm android/amd64 ios/arm64 darwin/arm64 js/wasm)
fail=0
for t in "${targets[@]}"; do
  goos=${t%/*} goarch=${t#*/}
  if out=$(GOOS=$goos GOARCH=$goarch CGO_ENABLED=0 go build ./core/... ./bridge 2>&1); then
    echo "cross-compile $t: ok"
  else
    echo "cross-compile $t: FAILED"
    echo "$out"
    fail=1
  fi
done
exit $fail
