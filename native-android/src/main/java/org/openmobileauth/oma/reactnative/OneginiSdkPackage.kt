package org.openmobileauth.oma.reactnative

import com.facebook.fbreact.specs.NativeOneginiSdkSpec
import com.facebook.react.BaseReactPackage
import com.facebook.react.bridge.NativeModule
import com.facebook.react.bridge.ReactApplicationContext
import com.facebook.react.module.model.ReactModuleInfo
import com.facebook.react.module.model.ReactModuleInfoProvider

/** The React Native package autolinking registers; it provides `OneginiSdk`. */
class OneginiSdkPackage : BaseReactPackage() {
    override fun getModule(name: String, reactContext: ReactApplicationContext): NativeModule? =
        if (name == NativeOneginiSdkSpec.NAME) OneginiSdkModule(reactContext) else null

    override fun getReactModuleInfoProvider(): ReactModuleInfoProvider = ReactModuleInfoProvider {
        mapOf(
            NativeOneginiSdkSpec.NAME to ReactModuleInfo(
                NativeOneginiSdkSpec.NAME,
                OneginiSdkModule::class.java.name,
                false, // canOverrideExistingModule
                false, // needsEagerInit
                false, // isCxxModule
                true, // isTurboModule
            ),
        )
    }
}
