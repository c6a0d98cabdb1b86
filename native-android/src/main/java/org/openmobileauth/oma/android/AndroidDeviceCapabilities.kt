package org.openmobileauth.oma.android

import android.content.Context
import org.openmobileauth.oma.bridge.KeyStore
import org.openmobileauth.oma.bridge.SecureStorage

/** The production capabilities: Keystore-encrypted storage and Keystore P-256 keys. */
class AndroidDeviceCapabilities(context: Context) : DeviceCapabilities {
    override val storage: SecureStorage = KeystoreSecureStorage(context)
    override val keys: KeyStore = KeystoreKeyStore()
}
