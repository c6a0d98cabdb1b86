package org.openmobileauth.oma.cordova

import java.util.concurrent.ConcurrentHashMap
import org.apache.cordova.CallbackContext
import org.apache.cordova.CordovaPlugin
import org.apache.cordova.PluginResult
import org.json.JSONArray
import org.json.JSONObject
import org.openmobileauth.oma.android.Envelope
import org.openmobileauth.oma.android.OmaCore
import org.openmobileauth.oma.android.OmaOptions
import org.openmobileauth.oma.bridge.Bridge

/**
 * The Cordova plugin (service `OneginiSdk`). Actions:
 *  - `invoke` [requestJson]: success(JSON text of the result) or
 *    error({code, message, domain, ...data});
 *  - `listen` []: the callback is kept and receives every event's params JSON
 *    text (PluginResult with keepCallback).
 */
class OneginiSdkPlugin @JvmOverloads constructor(
    private var options: OmaOptions? = null,
) : CordovaPlugin(), OmaCore.Listener {
    private val pending = ConcurrentHashMap<String, CallbackContext>()

    @Volatile
    private var listenCallback: CallbackContext? = null

    override fun pluginInitialize() {
        if (options == null) options = OmaOptions.forAndroid(cordova.context)
    }

    override fun execute(action: String, args: JSONArray, callbackContext: CallbackContext): Boolean {
        when (action) {
            "invoke" -> invoke(args.optString(0, ""), callbackContext)
            "listen" -> {
                listenCallback = callbackContext
                OmaCore.attach(this)
                callbackContext.sendPluginResult(PluginResult(PluginResult.Status.NO_RESULT).apply { keepCallback = true })
            }
            else -> return false
        }
        return true
    }

    private fun invoke(requestJson: String, cb: CallbackContext) {
        val key = Envelope.requestIdKey(requestJson)
        if (key == null) {
            cb.error(error(Envelope.BAD_PARAMETERS, "request must be a JSON-RPC object with an id", JSONObject().put("domain", "sdk")))
            return
        }
        if (pending.putIfAbsent(key, cb) != null) {
            cb.error(error(Envelope.BAD_PARAMETERS, "a request with this id is already pending", JSONObject().put("domain", "sdk")))
            return
        }
        val opts = options ?: OmaOptions.forAndroid(cordova.context).also { options = it }
        OmaCore.attach(this)
        OmaCore.submit {
            val startError = OmaCore.ensureStarted(opts)
            if (startError != null) {
                val e = JSONObject(startError)
                pending.remove(key)?.error(
                    error(e.optInt("code", Envelope.INTERNAL), e.optString("message"), JSONObject().put("domain", e.optString("domain", "sdk"))),
                )
            } else {
                Bridge.call(requestJson)
            }
        }
    }

    /** Called by the core (on Go threads) with every response and event. */
    override fun onMessage(message: String) {
        val env = Envelope.parse(message) ?: return
        val key = env.idKey
        if (key != null) {
            val cb = pending.remove(key) ?: return
            if (env.isError) cb.error(error(env.errorCode, env.errorMessage, env.errorData)) else cb.success(env.resultJson)
        } else if (env.isEvent) {
            listenCallback?.sendPluginResult(
                PluginResult(PluginResult.Status.OK, env.paramsJson).apply { keepCallback = true },
            )
        }
    }

    /** The page is reloading: answer what is pending and stop the core. */
    override fun onReset() {
        stop("page reloaded")
    }

    override fun onDestroy() {
        stop("app destroyed")
    }

    private fun stop(why: String) {
        OmaCore.shutdown(this)
        listenCallback = null
        val data = JSONObject().put("domain", "sdk")
        for (key in pending.keys.toList()) pending.remove(key)?.error(error(Envelope.NOT_STARTED, why, data))
    }

    /** Number of callbacks waiting for an answer (for tests). */
    val pendingCount: Int get() = pending.size

    private fun error(code: Int, message: String, data: JSONObject): JSONObject {
        val o = JSONObject()
        val keys = data.keys()
        while (keys.hasNext()) {
            val k = keys.next()
            o.put(k, data.get(k))
        }
        o.put("code", code).put("message", message)
        if (!o.has("domain")) o.put("domain", "sdk")
        return o
    }
}
