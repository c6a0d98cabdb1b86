package org.openmobileauth.oma.android

import org.openmobileauth.oma.bridge.KeyStore
import org.openmobileauth.oma.bridge.SecureStorage
import org.openmobileauth.oma.bridge.UserVerifiedKeyStore

/**
 * The device capabilities the core is started with. Null storage or keys mean
 * "use the core's pure-Go implementation" (files under dataDir): that is what
 * desktop JVM tests use, since the Android Keystore exists only on a device.
 * A null [biometric] beside native keys means the device offers no biometric
 * authenticator; beside the pure-Go keys the core uses its pure-Go biometric.
 */
interface DeviceCapabilities {
    /** Secure key-value storage, or null for the pure-Go one. */
    val storage: SecureStorage?

    /** Hardware key store, or null for the pure-Go one. */
    val keys: KeyStore?

    /** The biometric authenticator's user-verified key store, or null (see above). */
    val biometric: UserVerifiedKeyStore?
        get() = null

    /** The core is stopping: end what waits for the user (open biometric prompts). */
    fun close() {}
}

/** The core's own pure-Go storage and key store (desktops, JVM tests). */
object PureGoCapabilities : DeviceCapabilities {
    override val storage: SecureStorage? = null
    override val keys: KeyStore? = null
}
