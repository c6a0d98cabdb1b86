#!/usr/bin/env bash
# Generates the Java and Objective-C bindings of ./bridge with gobind at the
# golang.org/x/mobile version pinned in go.mod (installing that gobind when it is
# missing) and fails when gobind skipped any symbol. A negative control first
# proves the check detects skipped symbols.
# Usage: scripts/gobind-check.sh [OUTDIR]   (default: a temporary directory)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

version=$(go list -m -f '{{.Version}}' golang.org/x/mobile 2>/dev/null || true)
if [ -z "$version" ]; then
  echo "gobind-check: golang.org/x/mobile is not required in go.mod (go get golang.org/x/mobile/bind@<version>)"
  exit 1
fi
gobin=$(go env GOBIN)
[ -n "$gobin" ] || gobin=$(go env GOPATH)/bin
gobind=$gobin/gobind
if ! [ -x "$gobind" ] || ! go version -m "$gobind" 2>/dev/null | grep -q "golang.org/x/mobile[[:space:]]*$version"; then
  echo "gobind-check: installing gobind $version"
  go install "golang.org/x/mobile/cmd/gobind@$version"
fi
# gobind's generated Go imports golang.org/x/mobile/bind/seq from this module.
go list golang.org/x/mobile/bind/seq >/dev/null

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
out=${1:-$tmp/out}
rm -rf "$out"; mkdir -p "$out"

# skipped DIR: lists the symbols gobind skipped (it notes them as comments).
skipped() { grep -rhoE 'skipped [^*]*' "$1" | sort -u || true; }

# Negative control: a package with unsupported signatures must be caught.
mkdir -p "$tmp/neg/negpkg"
cp go.mod go.sum "$tmp/neg/"
cat > "$tmp/neg/negpkg/negpkg.go" <<'GO'
// Package negpkg has symbols gobind cannot bind.
package negpkg

// Bad takes a map, which gobind does not support.
func Bad(m map[string]int) {}

// Fine is supported.
func Fine(s string) string { return s }
GO
(cd "$tmp/neg" && "$gobind" -lang=java,objc -outdir="$tmp/negout" ./negpkg >/dev/null 2>"$tmp/neg.err") || {
  echo "gobind-check: negative control did not run:"; cat "$tmp/neg.err"; exit 1; }
if [ -z "$(skipped "$tmp/negout")" ]; then
  echo "gobind-check: negative control FAILED: a skipped symbol went unnoticed"
  exit 1
fi

if ! "$gobind" -lang=java,objc -outdir="$out" ./bridge 2>"$tmp/err"; then
  echo "gobind-check: gobind failed:"; cat "$tmp/err"; exit 1
fi
if [ -s "$tmp/err" ]; then cat "$tmp/err"; fi
s=$(skipped "$out")
if [ -n "$s" ]; then
  echo "gobind-check: FAILED, gobind skipped symbols of ./bridge:"
  echo "$s"
  exit 1
fi
for f in java/bridge/Bridge.java java/bridge/Callback.java java/bridge/Reply.java java/bridge/SecureStorage.java java/bridge/KeyStore.java src/gobind/Bridge.objc.h; do
  [ -s "$out/$f" ] || { echo "gobind-check: FAILED, $f was not generated"; exit 1; }
done
for sym in start invoke callSync close; do
  grep -q "public static native .* $sym(" "$out/java/bridge/Bridge.java" || {
    echo "gobind-check: FAILED, Bridge.$sym missing from the Java binding"; exit 1; }
done
echo "gobind-check: ok (gobind $version, java+objc, no skipped symbol; $(find "$out" -type f | wc -l) files)"
