package org.openmobileauth.oma.android

import android.os.Build
import android.security.keystore.KeyGenParameterSpec
import android.security.keystore.KeyProperties
import android.security.keystore.StrongBoxUnavailableException
import java.security.KeyPairGenerator
import java.security.PrivateKey
import java.security.Signature
import java.security.spec.ECGenParameterSpec
import org.openmobileauth.oma.bridge.KeyStore

/**
 * The hardware key store capability on the Android Keystore: non-exportable
 * P-256 signing keys (StrongBox when the device has one). The core hands in a
 * SHA-256 digest; it is signed as is ("NONEwithECDSA") and the signature comes
 * back in DER. Public keys are returned as PKIX DER (SubjectPublicKeyInfo).
 */
class KeystoreKeyStore(private val prefix: String = "oma.key.") : KeyStore {
    private fun keyStore(): java.security.KeyStore =
        java.security.KeyStore.getInstance(PROVIDER).apply { load(null) }

    override fun generateKey(alias: String): ByteArray {
        val name = prefix + alias
        keyStore().deleteEntry(name)
        val strongBox = Build.VERSION.SDK_INT >= Build.VERSION_CODES.P
        return try {
            generate(name, strongBox)
        } catch (e: StrongBoxUnavailableException) {
            generate(name, false)
        }
    }

    private fun generate(name: String, strongBox: Boolean): ByteArray {
        val spec = KeyGenParameterSpec.Builder(name, KeyProperties.PURPOSE_SIGN)
            .setAlgorithmParameterSpec(ECGenParameterSpec("secp256r1"))
            .setDigests(KeyProperties.DIGEST_NONE, KeyProperties.DIGEST_SHA256)
        if (strongBox && Build.VERSION.SDK_INT >= Build.VERSION_CODES.P) spec.setIsStrongBoxBacked(true)
        val gen = KeyPairGenerator.getInstance(KeyProperties.KEY_ALGORITHM_EC, PROVIDER)
        gen.initialize(spec.build())
        return gen.generateKeyPair().public.encoded
    }

    override fun publicKey(alias: String): ByteArray =
        keyStore().getCertificate(prefix + alias)?.publicKey?.encoded
            ?: throw IllegalStateException("keystore: no key for this alias")

    override fun sign(alias: String, digest: ByteArray): ByteArray {
        require(digest.size == 32) { "keystore: digest must be 32 bytes (SHA-256)" }
        val key = keyStore().getKey(prefix + alias, null) as? PrivateKey
            ?: throw IllegalStateException("keystore: no key for this alias")
        return Signature.getInstance("NONEwithECDSA").run {
            initSign(key)
            update(digest)
            sign()
        }
    }

    override fun deleteKey(alias: String) {
        keyStore().deleteEntry(prefix + alias)
    }

    private companion object {
        const val PROVIDER = "AndroidKeyStore"
    }
}
