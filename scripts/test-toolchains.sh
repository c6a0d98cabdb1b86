#!/usr/bin/env bash
# Real tool chains accept the packed package (no native build):
#   1. Metro: a scratch React Native app (js/test/toolchains/rn-app, versions
#      pinned by its package-lock.json) with the packed package in node_modules is
#      bundled with `react-native bundle` for android and ios; the source map must
#      show the package's react-native entry (dist/index.js) and its React Native
#      transport in the bundle.
#   2. Cordova: a scratch app made with the pinned Cordova CLI
#      (js/test/toolchains/cordova) gets the android and ios platforms (pinned
#      below) and `cordova plugin add <the unpacked package>`; then
#      js/tools/check-cordova-install.mjs checks every file and plugin.xml wiring
#      landed where plugin.xml says, and that the installed js-module loads.
# Usage: scripts/test-toolchains.sh <packed .tgz>
# Installs come from the npm registry through ~/.npm; the installed tool chains
# are kept in $OMA_TOOLCHAIN_CACHE (default ~/.cache/oma-toolchains), keyed by
# lock file, Node version and platform versions, so a warm run installs nothing.
# A fresh machine installs everything (a few minutes).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

CORDOVA_ANDROID=15.1.0
CORDOVA_IOS=8.1.1
CACHE=${OMA_TOOLCHAIN_CACHE:-$HOME/.cache/oma-toolchains}

fail() { echo "toolchains: FAIL: $*" >&2; exit 1; }
t0=$SECONDS
step() { echo; echo "--- toolchains: $* (at $((SECONDS - t0))s)"; }

[ $# -eq 1 ] && [ -f "$1" ] || fail "usage: scripts/test-toolchains.sh <packed .tgz>"
TGZ=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
command -v npm >/dev/null || fail "npm is not installed"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$CACHE" "$tmp/pkg" "$tmp/rn"
tar -xzf "$TGZ" -C "$tmp/pkg"
PKGDIR=$tmp/pkg/package
[ -f "$PKGDIR/package.json" ] || fail "$TGZ is not an npm package tarball"
node_v=$(node -p 'process.versions.node')
key() { { cat "$@"; echo "$node_v $CORDOVA_ANDROID $CORDOVA_IOS"; } | sha256sum | cut -c1-16; }
npm_ci() { npm ci --no-audit --no-fund --loglevel=error --prefer-offline; }

# ---------------------------------------------------------------- 1. Metro
step "React Native scratch app: install the pinned tool chain (cached)"
RNSRC=$ROOT/js/test/toolchains/rn-app
RNAPP=$CACHE/rn-app-$(key "$RNSRC/package-lock.json")
if [ ! -f "$RNAPP/.installed" ]; then
  rm -rf "$RNAPP" && mkdir -p "$RNAPP"
  cp "$RNSRC/package.json" "$RNSRC/package-lock.json" "$RNAPP/"
  (cd "$RNAPP" && npm_ci) || fail "npm ci of the scratch React Native app"
  touch "$RNAPP/.installed"
else
  echo "cached: $RNAPP"
fi
cp "$RNSRC/index.js" "$RNSRC/app.json" "$RNSRC/babel.config.js" "$RNSRC/metro.config.js" "$RNAPP/"
# The package exactly as `npm install <tgz>` lays it out (it has no dependencies).
rm -rf "$RNAPP/node_modules/@openmobileauth/react-native-sdk"
mkdir -p "$RNAPP/node_modules/@openmobileauth"
cp -a "$PKGDIR" "$RNAPP/node_modules/@openmobileauth/react-native-sdk"

for platform in android ios; do
  step "Metro: react-native bundle --platform $platform"
  s=$SECONDS
  if ! (cd "$RNAPP" && node node_modules/react-native/cli.js bundle --platform "$platform" --dev false \
      --entry-file index.js --bundle-output "$tmp/rn/index.$platform.bundle" \
      --sourcemap-output "$tmp/rn/index.$platform.map" --assets-dest "$tmp/rn/assets-$platform") >"$tmp/rn/$platform.log" 2>&1; then
    cat "$tmp/rn/$platform.log"
    fail "Metro could not bundle the scratch app for $platform"
  fi
  node - "$tmp/rn/index.$platform.bundle" "$tmp/rn/index.$platform.map" <<'EOF' || fail "the $platform bundle does not contain the package"
const fs = require('node:fs');
const [bundle, map] = process.argv.slice(2);
const sources = JSON.parse(fs.readFileSync(map, 'utf8')).sources;
const want = ['node_modules/@openmobileauth/react-native-sdk/dist/index.js', 'node_modules/@openmobileauth/react-native-sdk/dist/transports/react-native.js'];
const text = fs.readFileSync(bundle, 'utf8');
let ok = true;
for (const w of want) {
  const hit = sources.some((s) => s.endsWith(w));
  console.log(`${hit ? 'ok  ' : 'FAIL'} source map lists ${w}`);
  ok &&= hit;
}
const named = text.includes('ONEWELCOME_PIN_CREATE_NOTIFICATION');
console.log(`${named ? 'ok  ' : 'FAIL'} bundle contains the package's event names`);
console.log(`bundle: ${(text.length / 1024).toFixed(0)} KiB, ${sources.length} modules`);
process.exit(ok && named ? 0 : 1);
EOF
  echo "Metro $platform: ok in $((SECONDS - s))s"
done

# ---------------------------------------------------------------- 2. Cordova
step "Cordova CLI and a scratch app with android@$CORDOVA_ANDROID and ios@$CORDOVA_IOS (cached)"
CDVSRC=$ROOT/js/test/toolchains/cordova
CDVKEY=$(key "$CDVSRC/package-lock.json")
CDVTOOLS=$CACHE/cordova-tools-$CDVKEY
if [ ! -f "$CDVTOOLS/.installed" ]; then
  rm -rf "$CDVTOOLS" && mkdir -p "$CDVTOOLS"
  cp "$CDVSRC/package.json" "$CDVSRC/package-lock.json" "$CDVTOOLS/"
  (cd "$CDVTOOLS" && npm_ci) || fail "npm ci of the Cordova CLI"
  touch "$CDVTOOLS/.installed"
fi
CORDOVA="$CDVTOOLS/node_modules/.bin/cordova"
export CORDOVA_TELEMETRY_OPT_OUT=1 # never ask
TEMPLATE=$CACHE/cordova-app-$CDVKEY
if [ ! -f "$TEMPLATE/.ready" ]; then
  rm -rf "$TEMPLATE"
  "$CORDOVA" create "$TEMPLATE" org.openmobileauth.scratch Scratch --no-telemetry >"$tmp/cdv-create.log" 2>&1 || { cat "$tmp/cdv-create.log"; fail "cordova create"; }
  (cd "$TEMPLATE" && "$CORDOVA" platform add "android@$CORDOVA_ANDROID" "ios@$CORDOVA_IOS" --no-telemetry) >"$tmp/cdv-platform.log" 2>&1 \
    || { cat "$tmp/cdv-platform.log"; fail "cordova platform add android ios"; }
  touch "$TEMPLATE/.ready"
else
  echo "cached: $TEMPLATE"
fi
APP=$tmp/cordova-app
cp -a "$TEMPLATE" "$APP"

# The Go core's binaries (plugin.xml: <lib-file native-android/libs/oma.aar>,
# <framework native-ios/OmaBridge.xcframework>) are built by scripts/build-android.sh
# (Android NDK) and scripts/build-ios.sh (macOS) before a release; Linux CI has
# neither. Without them `cordova plugin add` stops ("... not found"). To check the
# wiring, clearly marked stand-ins go into the scratch copy only.
PLUGIN=$tmp/plugin
cp -a "$PKGDIR" "$PLUGIN"
standins=0
if [ ! -f "$PLUGIN/native-android/libs/oma.aar" ]; then
  echo "NOTE: the packed package has no native-android/libs/oma.aar (scripts/build-android.sh builds it): using a stand-in to check the wiring"
  mkdir -p "$PLUGIN/native-android/libs"
  node -e 'require("fs").writeFileSync(process.argv[1], "STAND-IN: not the Go core; scripts/build-android.sh builds the real oma.aar\n")' "$PLUGIN/native-android/libs/oma.aar"
  standins=$((standins + 1))
fi
if [ ! -d "$PLUGIN/native-ios/OmaBridge.xcframework" ]; then
  echo "NOTE: the packed package has no native-ios/OmaBridge.xcframework (scripts/build-ios.sh builds it): using a stand-in to check the wiring"
  mkdir -p "$PLUGIN/native-ios/OmaBridge.xcframework"
  echo "STAND-IN: not the Go core; scripts/build-ios.sh builds the real xcframework" >"$PLUGIN/native-ios/OmaBridge.xcframework/README"
  standins=$((standins + 1))
fi

step "cordova plugin add (the unpacked package)"
s=$SECONDS
(cd "$APP" && "$CORDOVA" plugin add "$PLUGIN" --no-telemetry) >"$tmp/cdv-plugin.log" 2>&1 || { cat "$tmp/cdv-plugin.log"; fail "cordova plugin add"; }
echo "cordova plugin add: ok in $((SECONDS - s))s"
node "$ROOT/js/tools/check-cordova-install.mjs" "$APP" "$PLUGIN" || fail "the plugin's files or wiring did not land where plugin.xml says"

echo
echo "toolchains: Metro (android, ios) and cordova plugin add (android, ios) accept the package in $((SECONDS - t0))s" \
  "($standins native binary stand-in(s): the packed package does not ship the Go core's binaries)"
