package org.openmobileauth.oma.android

import java.util.concurrent.ExecutorService
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import org.openmobileauth.oma.bridge.Bridge
import org.openmobileauth.oma.bridge.Callback

/**
 * The Go core is one per process (gomobile binds package-level functions), so the
 * native modules share this holder. It starts the core on first use, routes every
 * message the core sends (from Go threads) to the one attached listener, and runs
 * every bridge call on a single background thread: never on the UI thread, and
 * start/close/call stay ordered (a close always finishes before the next start).
 */
object OmaCore {
    /** Receives the core's responses and events (called on Go threads). */
    fun interface Listener {
        fun onMessage(message: String)
    }

    private val executor: ExecutorService = Executors.newSingleThreadExecutor { r ->
        Thread(r, "oma-bridge").apply { isDaemon = true }
    }

    @Volatile
    private var listener: Listener? = null

    /** The last exception a listener threw (it is logged, never thrown back into Go). */
    @Volatile
    var lastListenerError: Throwable? = null
        private set

    /** The callback given to Bridge.start; it forwards to the attached listener. */
    val callback: Callback = object : Callback {
        override fun onMessage(message: String?) {
            if (message == null) return
            try {
                listener?.onMessage(message)
            } catch (t: Throwable) {
                // An exception must not unwind into the Go thread that called us.
                lastListenerError = t
                runCatching { android.util.Log.e("OneginiSdk", "listener failed", t) }
            }
        }
    }

    /** Makes [l] the receiver of the core's messages (replacing any previous one). */
    fun attach(l: Listener) {
        listener = l
    }

    /** Runs [task] on the bridge thread. */
    fun submit(task: () -> Unit) {
        executor.execute(task)
    }

    /**
     * Starts the core with [options] unless it already runs. Must be called on the
     * bridge thread (inside [submit]). Returns null when the core runs, otherwise
     * the JSON error object {code, domain, message} that Bridge.start reported.
     */
    fun ensureStarted(options: OmaOptions): String? {
        if (Bridge.isStarted()) return null
        return try {
            val caps = options.capabilities()
            Bridge.start(options.configJson(), callback, caps.storage, caps.keys)
            null
        } catch (e: Exception) {
            e.message ?: """{"code":8000,"domain":"sdk","message":"start failed"}"""
        }
    }

    /**
     * Detaches [l] (if it is still the listener) and stops the core on the bridge
     * thread, so that answers for a destroyed JS instance are never delivered to
     * its successor. Returns at once.
     */
    fun shutdown(l: Listener) {
        if (listener === l) listener = null
        executor.execute { Bridge.close() }
    }

    /** Waits until every task submitted so far has run (for tests and shutdown hooks). */
    fun drain(timeoutMillis: Long): Boolean {
        val done = java.util.concurrent.CountDownLatch(1)
        executor.execute { done.countDown() }
        return done.await(timeoutMillis, TimeUnit.MILLISECONDS)
    }
}
