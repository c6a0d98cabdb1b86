#!/usr/bin/env bash
# Linux checks of the native layer (native-android/, native-ios/) against the
# real Go core. Installs what it needs (Debian packages, Maven Central jars, npm
# tarballs, gobind) into build/_native/ (gitignored; the leading underscore keeps
# `go ... ./...` out of it), idempotently: a second run reuses the caches.
#
#   scripts/test-native.sh [stage ...]
#   stages: setup gobind jni kotlin objc packaging size   (default: all, in this order)
#
#   gobind  Java and Objective-C bindings of ./bridge from the x/mobile pinned in
#           go.mod; fails if gobind skips any exported symbol.
#   jni     the generated JNI glue + the real core as a linux/amd64 shared library,
#           loaded into a desktop JVM; JUnit 5 tests of the generated Java API.
#   kotlin  codegen'd TurboModule spec + the Kotlin React Native module and Cordova
#           plugin compiled against react-android (Maven Central), cordova-android
#           (npm), android-all (Robolectric's jar) and androidx.biometric (Maven);
#           JUnit 5 tests of both modules and of the biometric key store against
#           the real core.
#   objc    clang -fsyntax-only -fobjc-arc of the iOS modules against React Native
#           and Cordova headers from npm and the gobind headers, plus negative
#           controls that must fail.
#   packaging  react-native.config.js, plugin.xml and the podspec point at files that exist.
#   size    scripts/size-report.sh (budget check).
# Ends with a line "native: N passed, M failed".
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
N=$ROOT/build/_native
mkdir -p "$N"

# ---- pinned versions ---------------------------------------------------------
RN_VERSION=0.87.1            # react-native (npm headers) = react-android (Maven) = @react-native/codegen
KOTLIN_VERSION=2.4.20        # npm kotlin-compiler (a full kotlinc distribution)
CORDOVA_ANDROID_VERSION=15.1.0
CORDOVA_IOS_VERSION=8.1.1
ANDROID_ALL_VERSION=15-robolectric-14663667-2   # Android 15, Java 17 class files (the 16/17 jars are Java 21)
JUNIT_CONSOLE_VERSION=1.13.4
# androidx.biometric (the biometric authenticator's prompt) and what its public
# API's types extend (FragmentActivity's supertypes), from Maven: the versions
# biometric 1.1.0's POM names. Compiled against only; nothing of them runs.
ANDROIDX_ARTIFACTS=(
	androidx.biometric:biometric:1.1.0:aar
	androidx.fragment:fragment:1.2.5:aar
	androidx.activity:activity:1.1.0:aar
	androidx.core:core:1.3.2:aar
	androidx.lifecycle:lifecycle-common:2.2.0:jar
	androidx.lifecycle:lifecycle-runtime:2.2.0:aar
	androidx.lifecycle:lifecycle-viewmodel:2.2.0:aar
	androidx.savedstate:savedstate:1.0.0:aar
	androidx.annotation:annotation:1.1.0:jar
)
MVN_DEP_PLUGIN=org.apache.maven.plugins:maven-dependency-plugin:3.8.1
APT_PACKAGES=(clang libobjc-12-dev libgnustep-base-dev gnustep-make libblocksruntime-dev android-liblog-dev maven unzip)

JAVA_HOME=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")}
export JAVA_HOME
M2=$N/m2
TOOLS=$N/tools
GEN=$N/gen           # gobind output for ./bridge alone (what the mobile library binds)
GENT=$N/gen-test     # gobind output for ./bridge + the test-only eventprobe
LIBDIR=$N/lib
CLS=$N/classes
REPORTS=$N/reports

passed=0 failed=0
JUNIT_JVM_ARGS=()
log() { printf '\n=== native: %s\n' "$*"; }

# count_junit REPORT_DIR: add the JUnit console launcher's totals to passed/failed.
count_junit() {
	local f=$1/TEST-junit-jupiter.xml t fl er sk
	[[ -f $f ]] || { failed=$((failed + 1)); return; }
	t=$(grep -o 'tests="[0-9]*"' "$f" | head -1 | tr -dc 0-9)
	fl=$(grep -o 'failures="[0-9]*"' "$f" | head -1 | tr -dc 0-9)
	er=$(grep -o 'errors="[0-9]*"' "$f" | head -1 | tr -dc 0-9)
	sk=$(grep -o 'skipped="[0-9]*"' "$f" | head -1 | tr -dc 0-9)
	passed=$((passed + t - fl - er - sk))
	failed=$((failed + fl + er))
}

# ---- setup -------------------------------------------------------------------
mvn_get() { # groupId:artifactId:version[:packaging[:classifier]] -> path in $M2
	local coords=$1 g a v p c path
	IFS=: read -r g a v p c <<<"$coords"
	p=${p:-jar}
	path="$M2/${g//.//}/$a/$v/$a-$v${c:+-$c}.$p"
	if [[ ! -f $path ]]; then
		mvn -q -B -Dmaven.repo.local="$M2" "$MVN_DEP_PLUGIN:get" -Dtransitive=false \
			-Dartifact="$g:$a:$v:$p${c:+:$c}" >&2
	fi
	[[ -f $path ]] || { echo "missing $path" >&2; return 1; }
	echo "$path"
}

npm_tarball() { # name version -> extracted directory
	local name=$1 version=$2 dir
	dir="$TOOLS/${name//\//_}-$version"
	if [[ ! -f $dir/package.json ]]; then
		rm -rf "$dir" && mkdir -p "$dir"
		(cd "$TOOLS" && npm pack --silent "$name@$version" >/dev/null)
		tar -xzf "$TOOLS/$(echo "${name#@}" | tr / -)-$version.tgz" -C "$dir" --strip-components=1
		rm -f "$TOOLS/$(echo "${name#@}" | tr / -)-$version.tgz"
	fi
	echo "$dir"
}

setup() {
	log "setup (caches in build/_native)"
	local missing=()
	for p in "${APT_PACKAGES[@]}"; do
		dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
	done
	if ((${#missing[@]})); then
		echo "installing Debian packages: ${missing[*]}"
		apt-get -o DPkg::Lock::Timeout=300 update -qq
		DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq "${missing[@]}" >/dev/null
	fi
	mkdir -p "$TOOLS" "$N/bin"
	local xm
	xm=$(go list -m -f '{{.Version}}' golang.org/x/mobile)
	if [[ ! -x $N/bin/gobind || $(cat "$N/bin/.xmobile" 2>/dev/null) != "$xm" ]]; then
		GOBIN=$N/bin go install "golang.org/x/mobile/cmd/gobind@$xm"
		echo "$xm" >"$N/bin/.xmobile"
	fi
	RN_DIR=$(npm_tarball react-native "$RN_VERSION")
	CORDOVA_ANDROID_DIR=$(npm_tarball cordova-android "$CORDOVA_ANDROID_VERSION")
	CORDOVA_IOS_DIR=$(npm_tarball cordova-ios "$CORDOVA_IOS_VERSION")
	KOTLIN_DIR=$(npm_tarball kotlin-compiler "$KOTLIN_VERSION")
	CODEGEN_DIR=$TOOLS/codegen-$RN_VERSION
	if [[ ! -d $CODEGEN_DIR/node_modules/@react-native/codegen ]]; then
		mkdir -p "$CODEGEN_DIR" && echo '{"private":true}' >"$CODEGEN_DIR/package.json"
		(cd "$CODEGEN_DIR" && npm install --silent --no-audit --no-fund --ignore-scripts \
			"@react-native/codegen@$RN_VERSION" >/dev/null)
	fi
	ANDROID_ALL_JAR=$(mvn_get "org.robolectric:android-all:$ANDROID_ALL_VERSION")
	JUNIT_JAR=$(mvn_get "org.junit.platform:junit-platform-console-standalone:$JUNIT_CONSOLE_VERSION")
	local aar
	aar=$(mvn_get "com.facebook.react:react-android:$RN_VERSION:aar:release")
	RN_CLASSES_JAR=$N/react-android-$RN_VERSION-classes.jar
	[[ -f $RN_CLASSES_JAR ]] || unzip -p "$aar" classes.jar >"$RN_CLASSES_JAR"
	local coords path jar
	ANDROIDX_CP=
	mkdir -p "$N/androidx"
	for coords in "${ANDROIDX_ARTIFACTS[@]}"; do
		path=$(mvn_get "$coords")
		jar=$path
		if [[ $path == *.aar ]]; then # an AAR's classes are its classes.jar
			jar=$N/androidx/$(basename "$path" .aar).jar
			[[ -s $jar ]] || unzip -p "$path" classes.jar >"$jar"
		fi
		ANDROIDX_CP+=${ANDROIDX_CP:+:}$jar
	done
	echo "tools ready: gobind $xm, react-native $RN_VERSION, kotlin $KOTLIN_VERSION, cordova-android $CORDOVA_ANDROID_VERSION, cordova-ios $CORDOVA_IOS_VERSION"
}

# ---- gobind -------------------------------------------------------------------
run_gobind() { # outdir packages...
	local out=$1 errf
	shift
	errf=$(mktemp)
	rm -rf "$out"
	if ! PATH=$N/bin:$PATH "$N/bin/gobind" -lang=java,go,objc -javapkg=org.openmobileauth.oma -prefix=OMA \
		-outdir="$out" "$@" 2>"$errf"; then
		cat "$errf" >&2
		rm -f "$errf"
		return 1
	fi
	# gobind reports what it cannot bind ("skipped ..." / "unsupported ...") on stderr.
	if [[ -s $errf ]]; then
		echo "gobind reported problems for $*:" >&2
		cat "$errf" >&2
		rm -f "$errf"
		return 1
	fi
	rm -f "$errf"
}

gobind_stage() {
	log "gobind: Java + Objective-C bindings of ./bridge"
	if run_gobind "$GEN" github.com/openmobileauth/oma/bridge &&
		[[ -f $GEN/java/org/openmobileauth/oma/bridge/Bridge.java && -f $GEN/src/gobind/OMABridge.objc.h ]] &&
		grep -q 'public static native void start(String configJSON, Callback callback, SecureStorage storage, KeyStore keys, UserVerifiedKeyStore biometric) throws Exception;' \
			"$GEN/java/org/openmobileauth/oma/bridge/Bridge.java" &&
		grep -q 'FOUNDATION_EXPORT BOOL OMABridgeStart(' "$GEN/src/gobind/OMABridge.objc.h"; then
		echo "gobind: ok (no skipped symbols; Java org.openmobileauth.oma.bridge.Bridge, ObjC OMABridge.objc.h)"
		passed=$((passed + 1))
	else
		echo "gobind: FAILED"
		failed=$((failed + 1))
		return 1
	fi
}

# ---- jni: generated glue + real core in a desktop JVM --------------------------
build_jni_lib() {
	run_gobind "$GENT" github.com/openmobileauth/oma/bridge github.com/openmobileauth/oma/native-android/jvmtest/eventprobe || return 1
	# A main package inside the module (under a "_" directory, so ./... skips it).
	local pkg=$N/_jni/gojni f base
	rm -rf "$pkg" && mkdir -p "$pkg" "$LIBDIR"
	for f in "$GENT"/src/gobind/*; do
		base=$(basename "$f")
		case $base in *_darwin.* | *.objc.h | ref.h) continue ;; esac
		# The _android suffix would mean GOOS=android; the glue itself is plain JNI.
		cp "$f" "$pkg/${base/_android./_jni.}"
	done
	# Files that #include the renamed headers.
	sed -i 's/_android\.h"/_jni.h"/' "$pkg"/* || return 1
	CGO_ENABLED=1 \
		CGO_CFLAGS="-D__GOBIND_ANDROID__ -Wno-incompatible-pointer-types -I$JAVA_HOME/include -I$JAVA_HOME/include/linux -I/usr/include/android" \
		CGO_LDFLAGS="-L/usr/lib/x86_64-linux-gnu/android -Wl,-rpath,/usr/lib/x86_64-linux-gnu/android" \
		go build -buildmode=c-shared -o "$LIBDIR/libgojni.so" "./build/_native/_jni/gojni"
}

compile_java_api() { # gobind Java sources -> $CLS/gobind
	rm -rf "$CLS/gobind" && mkdir -p "$CLS/gobind" || return 1
	javac -nowarn -d "$CLS/gobind" -cp "$ANDROID_ALL_JAR" $(find "$GENT/java" -name '*.java')
}

run_junit() { # name classpath classdir
	local name=$1 cp=$2 dir=$3 rc=0
	rm -rf "$REPORTS/$name"
	java -Djava.library.path="$LIBDIR" "${JUNIT_JVM_ARGS[@]}" -cp "$JUNIT_JAR:$cp" org.junit.platform.console.ConsoleLauncher \
		execute --disable-banner --details=tree --disable-ansi-colors \
		--reports-dir="$REPORTS/$name" --scan-classpath "$dir" || rc=$?
	count_junit "$REPORTS/$name"
	return $rc
}

jni_stage() {
	log "jni: generated JNI glue + real Go core as a linux/amd64 shared library, JUnit in a desktop JVM"
	build_jni_lib || return 1
	compile_java_api || return 1
	rm -rf "$CLS/jnitest" && mkdir -p "$CLS/jnitest"
	javac -nowarn -d "$CLS/jnitest" -cp "$CLS/gobind:$ANDROID_ALL_JAR:$JUNIT_JAR" \
		$(find "$ROOT/native-android/jvmtest/java" -name '*.java') || return 1
	run_junit jni "$CLS/jnitest:$CLS/gobind:$ANDROID_ALL_JAR" "$CLS/jnitest"
}

# ---- kotlin: RN module + Cordova plugin against real RN/Cordova/Android classes ----
kotlin_stage() {
	log "kotlin: codegen spec + React Native module + Cordova plugin, JUnit against the real core"
	[[ -f $LIBDIR/libgojni.so && -d $CLS/gobind ]] || { build_jni_lib && compile_java_api; } || return 1
	local jsr305 proguard infer kotlinc=$KOTLIN_DIR/bin/kotlinc stdlib=$KOTLIN_DIR/lib/kotlin-stdlib.jar
	jsr305=$(mvn_get com.google.code.findbugs:jsr305:3.0.2) || return 1
	proguard=$(mvn_get com.facebook.yoga:proguard-annotations:1.19.0) || return 1
	infer=$(mvn_get com.facebook.infer.annotation:infer-annotation:0.18.0) || return 1 # react-android's runtime asserts
	chmod +x "$KOTLIN_DIR"/bin/* 2>/dev/null || true

	# 1. The new-architecture spec class, generated by React Native's codegen from
	#    the TypeScript spec (as the React Native Gradle plugin does in an app).
	rm -rf "$N/codegen" "$CLS/spec" && mkdir -p "$CLS/spec"
	node "$ROOT/native-android/jvmtest/codegen/generate-spec.js" "$CODEGEN_DIR/node_modules" \
		"$ROOT/js/src/NativeOneginiSdk.ts" "$N/codegen" com.facebook.fbreact.specs || return 1
	javac -nowarn -d "$CLS/spec" -cp "$RN_CLASSES_JAR:$jsr305:$proguard:$ANDROID_ALL_JAR" \
		$(find "$N/codegen/java" -name '*.java') || return 1

	# 2. Cordova's real framework classes (cordova-android sources); javac pulls in
	#    what the plugin API needs through -sourcepath.
	local cdv=$CORDOVA_ANDROID_DIR/framework/src/org/apache/cordova
	rm -rf "$CLS/cordova" && mkdir -p "$CLS/cordova"
	javac -nowarn -d "$CLS/cordova" -cp "$ANDROID_ALL_JAR" \
		-sourcepath "$CORDOVA_ANDROID_DIR/framework/src:$ROOT/native-android/jvmtest/androidx-standins" \
		"$cdv"/{CordovaPlugin,CallbackContext,PluginResult,CordovaWebView,CordovaInterface,CordovaArgs,CordovaPreferences}.java || return 1

	# 3. The module sources, exactly as the Gradle build compiles them.
	local cp_main="$CLS/gobind:$CLS/spec:$RN_CLASSES_JAR:$CLS/cordova:$ANDROID_ALL_JAR:$ANDROIDX_CP:$jsr305:$proguard"
	rm -rf "$CLS/kotlin-main" "$CLS/kotlin-test" && mkdir -p "$CLS/kotlin-main" "$CLS/kotlin-test"
	"$kotlinc" -jvm-target 17 -Werror -no-reflect -d "$CLS/kotlin-main" -cp "$cp_main" \
		$(find "$ROOT/native-android/src/main/java" "$ROOT/native-android/src/cordova/java" -name '*.kt') || return 1

	# Negative control: a module that does not match the codegen'd spec must not compile.
	local neg=$ROOT/native-android/jvmtest/negative/WrongSignatureModule.kt expect
	expect=$(sed -n 's#^// expect-error: ##p' "$neg")
	if "$kotlinc" -jvm-target 17 -no-reflect -d "$CLS/negative" -cp "$cp_main" "$neg" >"$N/kotlin-negative.log" 2>&1; then
		echo "kotlin: FAILED  negative control $(basename "$neg") compiled"
		failed=$((failed + 1))
		return 1
	elif ! grep -qF -- "$expect" "$N/kotlin-negative.log"; then
		echo "kotlin: FAILED  negative control $(basename "$neg") failed for another reason:"
		grep -m3 'error:' "$N/kotlin-negative.log"
		failed=$((failed + 1))
		return 1
	fi
	echo "kotlin: ok      negative control $(basename "$neg") rejected: $(grep -m1 'error:' "$N/kotlin-negative.log" | sed 's/.*error: //')"
	passed=$((passed + 1))

	# 4. Their JVM tests against the real core (libgojni.so), with the pure-Go
	#    capabilities or JVM ones, some against the real Token Server on loopback.
	go build -o "$N/bin/tokenserver" ./cmd/tokenserver || return 1
	JUNIT_JVM_ARGS=(-Doma.tokenserver="$N/bin/tokenserver")
	"$kotlinc" -jvm-target 17 -no-reflect -d "$CLS/kotlin-test" -cp "$CLS/kotlin-main:$cp_main:$JUNIT_JAR" \
		$(find "$ROOT/native-android/src/test/java" -name '*.kt') || return 1
	run_junit kotlin "$CLS/kotlin-test:$CLS/kotlin-main:$cp_main:$stdlib:$infer" "$CLS/kotlin-test"
}

# ---- objc: clang syntax check of the iOS modules ---------------------------------
objc_stage() {
	log "objc: clang -fsyntax-only -fobjc-arc against React Native + Cordova headers (npm) and gobind headers"
	local o=$N/objc shims=$ROOT/native-ios/check/shims f
	[[ -f $GEN/src/gobind/OMABridge.objc.h ]] || run_gobind "$GEN" github.com/openmobileauth/oma/bridge || return 1
	rm -rf "$o/include" "$o/shim-objc" && mkdir -p "$o/include/React" "$o/include/RCTDeprecation" "$o/include/OmaBridge" "$o/shim-objc/objc"
	# Headers laid out as CocoaPods/the xcframework expose them: <React/...>,
	# <RCTDeprecation/...>, <Cordova/...>, <OmaBridge/...>.
	find "$RN_DIR/React" -name '*.h' -exec ln -sf {} "$o/include/React/" \;
	ln -sf "$RN_DIR/ReactApple/Libraries/RCTFoundation/RCTDeprecation/Exported/RCTDeprecation.h" "$o/include/RCTDeprecation/"
	ln -sfn "$CORDOVA_IOS_DIR/CordovaLib/include/Cordova" "$o/include/Cordova"
	cp "$GEN"/src/gobind/{OMABridge.objc.h,Universe.objc.h,ref.h} "$o/include/OmaBridge/"
	# gcc's Objective-C runtime headers, made valid under ARC.
	cp /usr/lib/gcc/x86_64-linux-gnu/*/include/objc/*.h "$o/shim-objc/objc/"
	echo '#include <Block.h>' >"$o/shim-objc/objc/blocks_runtime.h"
	sed -i 's/return object->class_pointer;/return *(Class *)(__bridge void *)object;/; s/Protocol \*\*/Protocol * __unsafe_unretained */g' \
		"$o/shim-objc/objc/runtime.h"
	printf 'module Foundation [system] {\n  header "/usr/include/GNUstep/Foundation/Foundation.h"\n  export *\n}\n' >"$o/module.modulemap"
	local flags=(-fsyntax-only -x objective-c -fobjc-arc -fblocks -fobjc-runtime=gnustep-1.9 -fmodules
		-fmodule-map-file="$o/module.modulemap" -fmodules-cache-path="$o/modcache"
		-DGNUSTEP -DGNUSTEP_BASE_LIBRARY=1 -DGNU_RUNTIME=1 -include "$shims/apple-compat.h"
		-isystem "$o/shim-objc" -isystem "$shims" -isystem "$o/include" -isystem /usr/include/GNUstep
		-I "$ROOT/native-ios/OneginiSdk" -Wall -Werror)
	local ok=0 bad=0
	for f in "$ROOT"/native-ios/OneginiSdk/*.m; do
		for sim in 0 1; do
			if clang "${flags[@]}" -DTARGET_OS_SIMULATOR=$sim "$f"; then
				echo "objc: ok      $(basename "$f") (simulator=$sim)"
				ok=$((ok + 1))
			else
				echo "objc: FAILED  $(basename "$f") (simulator=$sim)"
				bad=$((bad + 1))
			fi
		done
	done
	# Negative controls: each must fail, or the check proves nothing.
	local expect
	for f in "$ROOT"/native-ios/check/negative/*.m; do
		expect=$(sed -n 's#^// expect-error: ##p' "$f")
		if clang "${flags[@]}" "$f" 2>"$o/negative.log"; then
			echo "objc: FAILED  negative control $(basename "$f") compiled"
			bad=$((bad + 1))
		elif [[ -z $expect ]] || ! grep -qF -- "$expect" "$o/negative.log"; then
			echo "objc: FAILED  negative control $(basename "$f") failed for another reason:"
			grep -m3 'error:' "$o/negative.log"
			bad=$((bad + 1))
		else
			echo "objc: ok      negative control $(basename "$f") rejected: $(grep -m1 'error:' "$o/negative.log" | sed 's/.*error: //')"
			ok=$((ok + 1))
		fi
	done
	passed=$((passed + ok))
	failed=$((failed + bad))
	((bad == 0))
}

# ---- main --------------------------------------------------------------------
stages=("$@")
((${#stages[@]})) || stages=(setup gobind jni kotlin objc packaging size)
[[ ${stages[0]} == setup ]] || stages=(setup "${stages[@]}")
rc=0
for s in "${stages[@]}"; do
	case $s in
	setup) setup ;;
	gobind) gobind_stage || rc=1 ;;
	jni) jni_stage || rc=1 ;;
	kotlin) kotlin_stage || rc=1 ;;
	objc) objc_stage || rc=1 ;;
	packaging)
		log "packaging: react-native.config.js, plugin.xml, podspec"
		if node "$ROOT/native-android/jvmtest/packaging/check-packaging.js" "$ROOT"; then passed=$((passed + 1)); else failed=$((failed + 1)) rc=1; fi
		;;
	size)
		log "size report"
		if "$ROOT/scripts/size-report.sh"; then passed=$((passed + 1)); else failed=$((failed + 1)) rc=1; fi
		;;
	*) echo "unknown stage $s" >&2 && exit 2 ;;
	esac
done
((rc == 0 || failed > 0)) || failed=1 # a stage failed before its tests ran
echo
echo "native: $passed passed, $failed failed"
((failed == 0 && rc == 0))
