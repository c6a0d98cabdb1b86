#!/usr/bin/env bash
# Builds the Go core's Android library: native-android/libs/oma.aar (gobind Java
# classes org.openmobileauth.oma.bridge.* and go.*, plus libgojni.so for every ABI:
# arm64-v8a, armeabi-v7a, x86, x86_64), with gomobile bind from the golang.org/x/mobile
# version pinned in go.mod.
#
# Needs (developer machine or CI runner, not the Linux test machines):
#   - Go (the version in go.mod), Java 17
#   - the Android SDK (ANDROID_HOME) with an NDK (ANDROID_NDK_HOME, or the SDK's ndk/<version>)
#   - API level: -androidapi 24 (the library's minSdk)
#
#   scripts/build-android.sh            # -> native-android/libs/oma.aar (+ oma-sources.jar, oma.aar.json)
# npm pack / npm publish run it through prepack (js/tools/native-artifacts.mjs) when
# an NDK is found and the AAR is not current.
set -euo pipefail
cd "$(dirname "$0")/.."

: "${ANDROID_HOME:?set ANDROID_HOME to the Android SDK}"
if [[ -z ${ANDROID_NDK_HOME:-} ]]; then
	ANDROID_NDK_HOME=$(ls -d "$ANDROID_HOME"/ndk/* 2>/dev/null | sort -V | tail -1 || true)
	export ANDROID_NDK_HOME
fi
[[ -d ${ANDROID_NDK_HOME:-} ]] || { echo "no Android NDK found (set ANDROID_NDK_HOME)" >&2; exit 1; }

xmobile=$(go list -m -f '{{.Version}}' golang.org/x/mobile)
bin=$PWD/build/_native/bin
mkdir -p "$bin" native-android/libs
GOBIN=$bin go install "golang.org/x/mobile/cmd/gomobile@$xmobile" "golang.org/x/mobile/cmd/gobind@$xmobile"
export PATH=$bin:$PATH

gomobile init
gomobile bind -target=android -androidapi 24 -javapkg=org.openmobileauth.oma \
	-trimpath -ldflags='-s -w' -o native-android/libs/oma.aar ./bridge
ls -l native-android/libs/oma.aar
unzip -l native-android/libs/oma.aar | grep -E 'libgojni.so|classes.jar'
# The stamp (oma.aar.json): which Go sources and contract this AAR was built from;
# npm's prepack (js/tools/native-artifacts.mjs) ships only a current one for a release.
node js/tools/native-artifacts.mjs stamp android
