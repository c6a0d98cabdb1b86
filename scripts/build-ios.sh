#!/usr/bin/env bash
# Builds the Go core's iOS framework: native-ios/OmaBridge.xcframework (device
# arm64, simulator arm64 + x86_64; gobind Objective-C headers with the OMA prefix:
# <OmaBridge/OMABridge.objc.h>), with gomobile bind from the golang.org/x/mobile
# version pinned in go.mod. The podspec (OneginiSdk.podspec) and plugin.xml vendor it.
#
# Needs a Mac with Xcode (command-line tools and the iOS SDKs) and Go (the
# version in go.mod). It cannot run on Linux.
#
#   scripts/build-ios.sh                # -> native-ios/OmaBridge.xcframework
set -euo pipefail
cd "$(dirname "$0")/.."

[[ $(uname -s) == Darwin ]] || { echo "build-ios.sh needs macOS with Xcode" >&2; exit 1; }
xcrun --sdk iphoneos --show-sdk-path >/dev/null || { echo "Xcode's iOS SDK not found" >&2; exit 1; }

xmobile=$(go list -m -f '{{.Version}}' golang.org/x/mobile)
bin=$PWD/build/_native/bin
mkdir -p "$bin"
GOBIN=$bin go install "golang.org/x/mobile/cmd/gomobile@$xmobile" "golang.org/x/mobile/cmd/gobind@$xmobile"
export PATH=$bin:$PATH

gomobile init
rm -rf native-ios/OmaBridge.xcframework
gomobile bind -target=ios,iossimulator -iosversion 13.0 -prefix=OMA \
	-trimpath -ldflags='-s -w' -o native-ios/OmaBridge.xcframework ./bridge
ls native-ios/OmaBridge.xcframework
# The stamp (OmaBridge.xcframework.json): which Go sources and contract it was built
# from; copy it with the xcframework to the machine that runs npm publish.
node js/tools/native-artifacts.mjs stamp ios
