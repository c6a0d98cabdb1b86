package org.openmobileauth.oma.reactnative

import com.facebook.fbreact.specs.NativeOneginiSdkSpec
import com.facebook.react.bridge.Arguments
import com.facebook.react.bridge.Promise
import com.facebook.react.bridge.ReactApplicationContext
import com.facebook.react.bridge.WritableArray
import com.facebook.react.bridge.WritableMap
import com.facebook.react.modules.core.DeviceEventManagerModule
import java.util.concurrent.ConcurrentHashMap
import org.json.JSONArray
import org.json.JSONObject
import org.openmobileauth.oma.android.Envelope
import org.openmobileauth.oma.android.OmaCore
import org.openmobileauth.oma.android.OmaOptions
import org.openmobileauth.oma.bridge.Bridge

/**
 * The React Native module `OneginiSdk` (old architecture and TurboModule: it
 * extends the spec class that React Native's codegen generates from
 * js/src/NativeOneginiSdk.ts). It forwards JSON-RPC request strings to the Go
 * core and settles the JS promise from the response with the same id; event
 * envelopes are emitted as `OneginiSdkEvent` with body `{message: <params JSON>}`.
 */
class OneginiSdkModule @JvmOverloads constructor(
    context: ReactApplicationContext,
    private val options: OmaOptions = OmaOptions.forAndroid(context),
    private val maps: MapFactory = MapFactory.Native,
) : NativeOneginiSdkSpec(context), OmaCore.Listener {

    /** Creates React Native maps and arrays (native ones in an app). */
    interface MapFactory {
        fun map(): WritableMap
        fun array(): WritableArray

        /** Arguments.createMap/createArray: what React Native itself uses. */
        object Native : MapFactory {
            override fun map(): WritableMap = Arguments.createMap()
            override fun array(): WritableArray = Arguments.createArray()
        }
    }

    private val pending = ConcurrentHashMap<String, Promise>()

    @Volatile
    private var invalidated = false

    override fun invoke(requestJson: String, promise: Promise) {
        val key = Envelope.requestIdKey(requestJson)
        if (key == null) {
            reject(promise, Envelope.BAD_PARAMETERS, "request must be a JSON-RPC object with an id", JSONObject().put("domain", "sdk"))
            return
        }
        if (invalidated) {
            reject(promise, Envelope.NOT_STARTED, "React instance destroyed", JSONObject().put("domain", "sdk"))
            return
        }
        if (pending.putIfAbsent(key, promise) != null) {
            reject(promise, Envelope.BAD_PARAMETERS, "a request with this id is already pending", JSONObject().put("domain", "sdk"))
            return
        }
        OmaCore.attach(this)
        OmaCore.submit {
            val startError = OmaCore.ensureStarted(options)
            if (startError != null) {
                val e = JSONObject(startError)
                pending.remove(key)?.let {
                    reject(it, e.optInt("code", Envelope.INTERNAL), e.optString("message"), JSONObject().put("domain", e.optString("domain", "sdk")))
                }
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
            val promise = pending.remove(key) ?: return
            if (env.isError) {
                reject(promise, env.errorCode, env.errorMessage, env.errorData)
            } else {
                promise.resolve(env.resultJson)
            }
        } else if (env.isEvent) {
            val body = maps.map()
            body.putString("message", env.paramsJson)
            reactApplicationContext
                .getJSModule(DeviceEventManagerModule.RCTDeviceEventEmitter::class.java)
                .emit(EVENT_NAME, body)
        }
    }

    override fun addListener(eventName: String) {
        // Emitter bookkeeping lives in JS (NativeEventEmitter); nothing to do here.
    }

    override fun removeListeners(count: Double) {
        // See addListener.
    }

    /** The React instance is going away: no promise may be left pending. */
    override fun invalidate() {
        invalidated = true
        OmaCore.shutdown(this)
        val data = JSONObject().put("domain", "sdk")
        for (key in pending.keys.toList()) {
            pending.remove(key)?.let { reject(it, Envelope.NOT_STARTED, "React instance destroyed", data) }
        }
        super.invalidate()
    }

    /** Number of promises waiting for an answer (for tests). */
    val pendingCount: Int get() = pending.size

    private fun reject(promise: Promise, code: Int, message: String, data: JSONObject) {
        val info = toMap(data)
        if (!info.hasKey("domain")) info.putString("domain", "sdk")
        promise.reject(code.toString(), message, info)
    }

    private fun toMap(o: JSONObject): WritableMap {
        val m = maps.map()
        val keys = o.keys()
        while (keys.hasNext()) {
            val k = keys.next()
            when (val v = o.get(k)) {
                JSONObject.NULL -> m.putNull(k)
                is JSONObject -> m.putMap(k, toMap(v))
                is JSONArray -> m.putArray(k, toArray(v))
                is Boolean -> m.putBoolean(k, v)
                is Int -> m.putInt(k, v)
                is Number -> m.putDouble(k, v.toDouble())
                else -> m.putString(k, v.toString())
            }
        }
        return m
    }

    private fun toArray(a: JSONArray): WritableArray {
        val r = maps.array()
        for (i in 0 until a.length()) {
            when (val v = a.get(i)) {
                JSONObject.NULL -> r.pushNull()
                is JSONObject -> r.pushMap(toMap(v))
                is JSONArray -> r.pushArray(toArray(v))
                is Boolean -> r.pushBoolean(v)
                is Int -> r.pushInt(v)
                is Number -> r.pushDouble(v.toDouble())
                else -> r.pushString(v.toString())
            }
        }
        return r
    }

    companion object {
        /** The event name JS listens to. */
        const val EVENT_NAME = "OneginiSdkEvent"
    }
}
