package org.openmobileauth.oma.cordova

import org.apache.cordova.CallbackContext
import org.apache.cordova.CordovaPlugin
import org.apache.cordova.PluginResult
import org.json.JSONArray
import org.openmobileauth.oma.android.OmaCore
import org.openmobileauth.oma.android.OmaOptions
import org.openmobileauth.oma.bridge.Reply

/**
 * The Cordova plugin (service `OneginiSdk`). Actions:
 *  - `invoke` [requestJson]: success(JSON text of the result) or error(JSON text
 *    of the error object {code, message, data: {domain, ...}}), answered by the
 *    core through the call's own [Reply];
 *  - `listen` []: the callback is kept and receives every event's params JSON
 *    text (PluginResult with keepCallback).
 * Nothing here reads the JSON.
 */
class OneginiSdkPlugin @JvmOverloads constructor(
    private var options: OmaOptions? = null,
) : CordovaPlugin(), OmaCore.Listener {
    @Volatile
    private var listenCallback: CallbackContext? = null

    /** Counts page resets: a call queued before a reset is not run after it. */
    private val generation = java.util.concurrent.atomic.AtomicInteger()

    override fun pluginInitialize() {
        if (options == null) options = androidOptions()
    }

    /** Production options; the biometric prompt shows over Cordova's activity (an AppCompatActivity). */
    private fun androidOptions(): OmaOptions = OmaOptions.forAndroid(cordova.context) { cordova.activity }

    /** Answers one `invoke` callback; the core calls it exactly once, on a Go thread. */
    private class CallbackReply(private val cb: CallbackContext) : Reply {
        override fun onResult(resultJSON: String?) {
            OmaCore.guard { cb.success(resultJSON ?: "null") }
        }

        override fun onError(code: Long, message: String?, errorJSON: String?) {
            OmaCore.guard { cb.error(errorJSON ?: OmaCore.errorJson(code, message ?: "")) }
        }
    }

    /** The [Reply] that answers [cb]: what `invoke` hands the core with the request. */
    fun replyFor(cb: CallbackContext): Reply = CallbackReply(cb)

    override fun execute(action: String, args: JSONArray, callbackContext: CallbackContext): Boolean {
        when (action) {
            "invoke" -> invoke(args.optString(0, ""), replyFor(callbackContext))
            "listen" -> {
                listenCallback = callbackContext
                OmaCore.attach(this)
                callbackContext.sendPluginResult(PluginResult(PluginResult.Status.NO_RESULT).apply { keepCallback = true })
            }
            else -> return false
        }
        return true
    }

    private fun invoke(requestJson: String, reply: Reply) {
        val gen = generation.get()
        val opts = options ?: androidOptions().also { options = it }
        OmaCore.attach(this)
        OmaCore.submit {
            if (generation.get() != gen) reply.onError(OmaCore.NOT_STARTED, "page reloaded", null) else OmaCore.invoke(opts, requestJson, reply)
        }
    }

    /** Called by the core (on Go threads) with every event. */
    override fun onEvent(eventJson: String) {
        listenCallback?.sendPluginResult(PluginResult(PluginResult.Status.OK, eventJson).apply { keepCallback = true })
    }

    /** The page is reloading: stop the core (it answers the calls still running). */
    override fun onReset() {
        stop()
    }

    override fun onDestroy() {
        stop()
    }

    private fun stop() {
        generation.incrementAndGet()
        OmaCore.shutdown(this)
        listenCallback = null
    }
}
