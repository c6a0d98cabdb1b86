package org.openmobileauth.oma.reactnative

import com.facebook.fbreact.specs.NativeOneginiSdkSpec
import com.facebook.react.bridge.Arguments
import com.facebook.react.bridge.Promise
import com.facebook.react.bridge.ReactApplicationContext
import com.facebook.react.bridge.WritableMap
import com.facebook.react.modules.core.DeviceEventManagerModule
import org.openmobileauth.oma.android.OmaCore
import org.openmobileauth.oma.android.OmaOptions
import org.openmobileauth.oma.bridge.Reply

/**
 * The React Native module `OneginiSdk` (old architecture and TurboModule: it
 * extends the spec class that React Native's codegen generates from
 * js/src/NativeOneginiSdk.ts). It forwards each JSON-RPC request string to the Go
 * core with a [Reply] that settles that call's promise: resolve(result JSON text)
 * or reject(numeric code as a string, message, userInfo {errorJson: the error
 * object's JSON text}). Events are emitted as `OneginiSdkEvent` with body
 * `{message: <event params JSON>}`. Nothing here reads the JSON.
 */
class OneginiSdkModule @JvmOverloads constructor(
    context: ReactApplicationContext,
    // The biometric prompt shows over the current activity (a ReactActivity is a FragmentActivity).
    private val options: OmaOptions = OmaOptions.forAndroid(context) { context.currentActivity },
    private val maps: MapFactory = MapFactory.Native,
) : NativeOneginiSdkSpec(context), OmaCore.Listener {

    /** Creates React Native maps (native ones in an app). */
    fun interface MapFactory {
        fun map(): WritableMap

        /** Arguments.createMap: what React Native itself uses. */
        object Native : MapFactory {
            override fun map(): WritableMap = Arguments.createMap()
        }
    }

    @Volatile
    private var invalidated = false

    /** Settles one call's promise; the core calls it exactly once, on a Go thread. */
    private inner class PromiseReply(private val promise: Promise) : Reply {
        override fun onResult(resultJSON: String?) {
            OmaCore.guard { promise.resolve(resultJSON ?: "null") }
        }

        override fun onError(code: Long, message: String?, errorJSON: String?) {
            OmaCore.guard { reject(promise, code, message ?: "", errorJSON ?: OmaCore.errorJson(code, message ?: "")) }
        }
    }

    /** The [Reply] that settles [promise]: what [invoke] hands the core with the request. */
    fun replyFor(promise: Promise): Reply = PromiseReply(promise)

    override fun invoke(requestJson: String, promise: Promise) {
        val reply = replyFor(promise)
        if (invalidated) {
            reply.onError(OmaCore.NOT_STARTED, DESTROYED, null)
            return
        }
        OmaCore.attach(this)
        OmaCore.submit {
            // A call queued before the instance went away must not restart the core.
            if (invalidated) reply.onError(OmaCore.NOT_STARTED, DESTROYED, null) else OmaCore.invoke(options, requestJson, reply)
        }
    }

    /** Called by the core (on Go threads) with every event. */
    override fun onEvent(eventJson: String) {
        val body = maps.map()
        body.putString("message", eventJson)
        reactApplicationContext
            .getJSModule(DeviceEventManagerModule.RCTDeviceEventEmitter::class.java)
            .emit(EVENT_NAME, body)
    }

    override fun addListener(eventName: String) {
        // Emitter bookkeeping lives in JS (NativeEventEmitter); nothing to do here.
    }

    override fun removeListeners(count: Double) {
        // See addListener.
    }

    /**
     * The React instance is going away: the core is closed, which answers every
     * call still running (9006); calls still queued are answered 8020.
     */
    override fun invalidate() {
        invalidated = true
        OmaCore.shutdown(this)
        super.invalidate()
    }

    private fun reject(promise: Promise, code: Long, message: String, errorJson: String) {
        val info = maps.map()
        info.putString(USER_INFO_ERROR, errorJson)
        promise.reject(code.toString(), message, info)
    }

    companion object {
        /** The event name JS listens to. */
        const val EVENT_NAME = "OneginiSdkEvent"

        /** The userInfo key holding the error object's JSON text. */
        const val USER_INFO_ERROR = "errorJson"

        private const val DESTROYED = "React instance destroyed"
    }
}
