package org.openmobileauth.oma.android

import org.openmobileauth.oma.bridge.KeyStore
import org.openmobileauth.oma.bridge.SecureStorage

/**
 * The two device capabilities the core is started with. Null means "use the
 * core's pure-Go implementation" (files under dataDir): that is what desktop JVM
 * tests use, since the Android Keystore exists only on a device.
 */
interface DeviceCapabilities {
    /** Secure key-value storage, or null for the pure-Go one. */
    val storage: SecureStorage?

    /** Hardware key store, or null for the pure-Go one. */
    val keys: KeyStore?
}

/** The core's own pure-Go storage and key store (desktops, JVM tests). */
object PureGoCapabilities : DeviceCapabilities {
    override val storage: SecureStorage? = null
    override val keys: KeyStore? = null
}
