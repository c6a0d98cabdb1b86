package org.openmobileauth.oma.testing

import java.security.KeyPair
import java.security.KeyPairGenerator
import java.security.Signature
import java.security.spec.ECGenParameterSpec
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.CopyOnWriteArrayList
import org.openmobileauth.oma.android.BiometricKeyStore
import org.openmobileauth.oma.android.DeviceCapabilities
import org.openmobileauth.oma.bridge.KeyStore
import org.openmobileauth.oma.bridge.SecureStorage

/**
 * Device capabilities implemented on the JVM with the same contract as the
 * Android Keystore ones (P-256, PKIX DER public key, "NONEwithECDSA" over the
 * core's SHA-256 digest, absent storage entry → null), recording every call, so
 * tests see the Go core drive native capabilities through the JNI glue.
 */
class JvmCapabilities(
    /** The biometric capability (null: the device offers none). */
    override val biometric: BiometricKeyStore? = null,
) : DeviceCapabilities {
    val calls = CopyOnWriteArrayList<String>()
    val entries = ConcurrentHashMap<String, ByteArray>()
    private val pairs = ConcurrentHashMap<String, KeyPair>()

    override val storage: SecureStorage = object : SecureStorage {
        override fun get(key: String): ByteArray? { calls.add("get"); return entries[key] }
        override fun set(key: String, value: ByteArray?) { calls.add("set"); entries[key] = value ?: ByteArray(0) }
        override fun delete(key: String) { calls.add("delete"); entries.remove(key) }
    }

    override val keys: KeyStore = object : KeyStore {
        override fun generateKey(alias: String): ByteArray {
            calls.add("generateKey")
            val kp = KeyPairGenerator.getInstance("EC").apply { initialize(ECGenParameterSpec("secp256r1")) }.generateKeyPair()
            pairs[alias] = kp
            return kp.public.encoded
        }

        override fun publicKey(alias: String): ByteArray {
            calls.add("publicKey")
            return (pairs[alias] ?: throw IllegalStateException("no key for this alias")).public.encoded
        }

        override fun sign(alias: String, digest: ByteArray): ByteArray {
            calls.add("sign")
            require(digest.size == 32) { "digest must be 32 bytes" }
            val kp = pairs[alias] ?: throw IllegalStateException("no key for this alias")
            return Signature.getInstance("NONEwithECDSA").run { initSign(kp.private); update(digest); sign() }
        }

        override fun deleteKey(alias: String) { calls.add("deleteKey"); pairs.remove(alias) }
    }

    /** The core is stopping (OmaCore.shutdown): open biometric prompts end. */
    override fun close() {
        calls.add("close")
        biometric?.close()
    }
}
