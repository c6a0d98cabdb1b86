#!/usr/bin/env bash
# Size report of the Go core as a mobile app links it: cmd/sizeprobe (a tiny
# main importing ./bridge) built stripped with the flags gomobile bind uses, for
# android/arm64, android/arm (CGO_ENABLED=0) and darwin/arm64 (ios/arm64 needs
# cgo linking against the iOS SDK, which this machine does not have; darwin/arm64
# is the closest proxy; android/arm refuses internal linking without cgo, so
# linux/arm with GOARM=7 (the same compiler output for the armeabi-v7a ABI) is
# measured for it). Prints a table; exits non-zero when a budget is exceeded.
#
#   scripts/size-report.sh            # table + budget check
#   SIZE_BUDGET_ANDROID_ARM64_KB=...  # override a budget (KiB)
set -euo pipefail
cd "$(dirname "$0")/.."
out=build/_native/size
mkdir -p "$out"

# Budgets in KiB (1 MB = 1024 KiB here). android/arm64 must stay under 7 MB.
budget_android_arm64=${SIZE_BUDGET_ANDROID_ARM64_KB:-7168}
budget_android_arm=${SIZE_BUDGET_ANDROID_ARM_KB:-7168}
budget_darwin_arm64=${SIZE_BUDGET_DARWIN_ARM64_KB:-7168}

fail=0
printf '%-24s %12s %12s %8s\n' target bytes budget_KiB status
# target=label:GOOS/GOARCH actually built
for spec in android/arm64:android/arm64 android/arm:linux/arm darwin/arm64:darwin/arm64; do
	target=${spec%%:*} build=${spec#*:}
	goos=${target%/*} goarch=${target#*/}
	bin="$out/sizeprobe-$goos-$goarch"
	env CGO_ENABLED=0 GOOS="${build%/*}" GOARCH="${build#*/}" GOARM=7 \
		go build -trimpath -ldflags='-s -w' -o "$bin" ./cmd/sizeprobe
	[[ $build != "$target" ]] && target="$target($build)"
	bytes=$(stat -c %s "$bin")
	var="budget_${goos}_${goarch}"
	budget=${!var}
	status=ok
	if (( bytes > budget * 1024 )); then status=OVER; fail=1; fi
	printf '%-24s %12d %12d %8s\n' "$target" "$bytes" "$budget" "$status"
done
if (( fail )); then
	echo "size-report: a budget is exceeded" >&2
	exit 1
fi
