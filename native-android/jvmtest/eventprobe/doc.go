// Package eventprobe is a test-only companion of the bridge, bound with gobind
// next to it into the desktop JNI library that scripts/test-native.sh builds.
// Until the core has a flow that emits events without a server, the native
// module tests need a way to make real Go code deliver an event envelope through
// the same gobind callback path a running core uses (a Go goroutine calling a
// Java/Kotlin Callback over JNI). It is never linked into the mobile library.
package eventprobe
