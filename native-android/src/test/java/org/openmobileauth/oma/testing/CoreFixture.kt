package org.openmobileauth.oma.testing

import java.io.File
import java.nio.file.Files
import org.openmobileauth.oma.android.OmaCore
import org.openmobileauth.oma.android.OmaOptions
import org.openmobileauth.oma.android.PureGoCapabilities
import org.openmobileauth.oma.bridge.Bridge
import org.openmobileauth.oma.eventprobe.Eventprobe

/** Shared helpers: a fresh data dir per test, the pure-Go capabilities, a clean core. */
object CoreFixture {
    /** Options for the real core with its pure-Go capabilities under a temp dir. */
    fun options(dataDir: File = Files.createTempDirectory("oma-jvm").toFile()): OmaOptions =
        OmaOptions(dataDir = { dataDir }, capabilities = { PureGoCapabilities }, logLevel = "disabled")

    /** Stops the core and waits until the bridge thread is idle. */
    fun reset() {
        check(OmaCore.drain(10_000)) { "bridge thread stuck" }
        Bridge.close()
    }

    /** Makes real Go code (goroutines) deliver [count] events through OmaCore's callback. */
    fun emitFromGo(type: String, payloadJson: String, count: Int = 1) {
        Eventprobe.emit({ e -> OmaCore.callback.onEvent(e) }, type, payloadJson, count.toLong())
    }

    /** Blocks the bridge thread until the returned latch is released. */
    fun blockBridgeThread(): java.util.concurrent.CountDownLatch {
        val release = java.util.concurrent.CountDownLatch(1)
        val started = java.util.concurrent.CountDownLatch(1)
        OmaCore.submit {
            started.countDown()
            release.await()
        }
        started.await()
        return release
    }
}
