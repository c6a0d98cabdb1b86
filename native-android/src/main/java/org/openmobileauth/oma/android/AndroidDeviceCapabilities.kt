package org.openmobileauth.oma.android

import android.app.Activity
import android.content.Context
import org.openmobileauth.oma.bridge.KeyStore
import org.openmobileauth.oma.bridge.SecureStorage

/**
 * The production capabilities: Keystore-encrypted storage, Keystore P-256 keys,
 * and the biometric authenticator's Keystore keys behind androidx
 * BiometricPrompt, shown over [activity] (the app's current FragmentActivity).
 */
class AndroidDeviceCapabilities @JvmOverloads constructor(
    context: Context,
    activity: () -> Activity? = { null },
) : DeviceCapabilities {
    override val storage: SecureStorage = KeystoreSecureStorage(context)
    override val keys: KeyStore = KeystoreKeyStore()
    override val biometric: BiometricKeyStore = BiometricKeyStore(
        KeystoreUserVerifiedKeys(),
        AndroidBiometricPrompt(activity),
        AndroidBiometricPrompt.availability(context),
    )

    override fun close() {
        biometric.close()
    }
}
