// expect-error: is not abstract and does not implement abstract base class member
// Negative control (scripts/test-native.sh, kotlin stage): must FAIL to compile.
// A module whose invoke() does not match the codegen'd TurboModule spec
// (js/src/NativeOneginiSdk.ts: invoke(requestJson: string): Promise<string>) is
// rejected, so the check that OneginiSdkModule compiles against the spec is real.
package org.openmobileauth.oma.negative

import com.facebook.fbreact.specs.NativeOneginiSdkSpec
import com.facebook.react.bridge.Promise
import com.facebook.react.bridge.ReactApplicationContext

class WrongSignatureModule(context: ReactApplicationContext) : NativeOneginiSdkSpec(context) {
    fun invoke(requestJson: String, timeoutMillis: Int, promise: Promise) {
        promise.resolve(requestJson + timeoutMillis)
    }

    override fun addListener(eventName: String) {}

    override fun removeListeners(count: Double) {}
}
