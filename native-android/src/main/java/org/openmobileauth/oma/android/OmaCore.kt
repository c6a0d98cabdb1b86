package org.openmobileauth.oma.android

import java.util.concurrent.ExecutorService
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import org.json.JSONObject
import org.openmobileauth.oma.bridge.Bridge
import org.openmobileauth.oma.bridge.Callback
import org.openmobileauth.oma.bridge.Reply

/**
 * The Go core is one per process (gomobile binds package-level functions), so the
 * native modules share this holder. It starts the core on first use, routes every
 * event the core emits (from Go threads) to the one attached listener, and runs
 * start/invoke/close on a single background thread: never on the UI thread, and
 * they stay ordered (a close always finishes before the next start).
 *
 * Each call is answered through its own [Reply], exactly once, by the core; no
 * table of pending calls is kept here. Ordering: the core answers a call's reply
 * only after the callback returned for every event the call emitted before its
 * result, and both the event listener and the reply hand their value to
 * JavaScript synchronously on that Go thread (React Native's emit and promise
 * settlement, Cordova's plugin results, all queue in call order), so an event
 * emitted before a result reaches JavaScript before that result.
 */
object OmaCore {
    /** Receives the core's events (called on Go threads). */
    fun interface Listener {
        /** [eventJson] is the event's params object {"type": ..., ...payload}. */
        fun onEvent(eventJson: String)
    }

    /** Error codes the native layer itself answers with. */
    const val INTERNAL = 8000L
    const val NOT_STARTED = 8020L

    private val executor: ExecutorService = Executors.newSingleThreadExecutor { r ->
        Thread(r, "oma-bridge").apply { isDaemon = true }
    }

    @Volatile
    private var listener: Listener? = null

    /** The capabilities the running core was started with (closed when it stops). */
    @Volatile
    private var started: DeviceCapabilities? = null

    /** The last exception a listener or reply threw (logged, never thrown back into Go). */
    @Volatile
    var lastListenerError: Throwable? = null
        private set

    /** The callback given to Bridge.start; it forwards events to the attached listener. */
    val callback: Callback = object : Callback {
        override fun onEvent(eventJSON: String?) {
            if (eventJSON == null) return
            guard { listener?.onEvent(eventJSON) }
        }
    }

    /** Runs [block]; an exception is recorded and logged, never unwound into the Go thread that called us. */
    fun guard(block: () -> Unit) {
        try {
            block()
        } catch (t: Throwable) {
            lastListenerError = t
            runCatching { android.util.Log.e("OneginiSdk", "native delivery failed", t) }
        }
    }

    /** Makes [l] the receiver of the core's events (replacing any previous one). */
    fun attach(l: Listener) {
        listener = l
    }

    /** Runs [task] on the bridge thread. */
    fun submit(task: () -> Unit) {
        executor.execute(task)
    }

    /**
     * On the bridge thread (inside [submit]): starts the core with [options] unless
     * it runs, then hands [requestJson] to it; [reply] is answered exactly once.
     * A failed start needs no handling here: the core answers the call with the
     * start's error (8001 for a bad configuration).
     */
    fun invoke(options: OmaOptions, requestJson: String, reply: Reply) {
        if (!Bridge.isStarted()) {
            try {
                val caps = options.capabilities()
                started = caps
                Bridge.start(options.configJson(), callback, caps.storage, caps.keys, caps.biometric)
            } catch (e: Exception) {
                runCatching { android.util.Log.w("OneginiSdk", "core start failed: ${e.message}") }
            }
        }
        Bridge.invoke(requestJson, reply)
    }

    /** The JSON error object {code, message, data: {domain}} of an error the native layer itself answers. */
    fun errorJson(code: Long, message: String): String =
        JSONObject().put("code", code).put("message", message).put("data", JSONObject().put("domain", "sdk")).toString()

    /**
     * Detaches [l] (if it is still the listener) and stops the core on the bridge
     * thread; the core answers every call still running (9006) before it stops.
     * An open biometric prompt is closed first (the call waiting for it answers
     * UV_CANCELED), so the close never waits for the user. Returns at once.
     */
    fun shutdown(l: Listener) {
        if (listener === l) listener = null
        started?.let { caps -> guard { caps.close() } }
        executor.execute {
            started?.let { caps -> guard { caps.close() } }
            started = null
            Bridge.close()
        }
    }

    /** Waits until every task submitted so far has run (for tests and shutdown hooks). */
    fun drain(timeoutMillis: Long): Boolean {
        val done = java.util.concurrent.CountDownLatch(1)
        executor.execute { done.countDown() }
        return done.await(timeoutMillis, TimeUnit.MILLISECONDS)
    }
}
