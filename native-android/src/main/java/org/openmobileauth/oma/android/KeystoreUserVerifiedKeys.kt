package org.openmobileauth.oma.android

import android.os.Build
import android.security.keystore.KeyGenParameterSpec
import android.security.keystore.KeyProperties
import android.security.keystore.StrongBoxUnavailableException
import java.security.KeyPairGenerator
import java.security.PrivateKey
import java.security.Signature
import java.security.spec.ECGenParameterSpec

/**
 * The key half of the biometric authenticator on the Android Keystore:
 * non-exportable P-256 keys (StrongBox when the device has one) that sign only
 * through a BiometricPrompt with a strong (class 3) biometric, once per use
 * (`setUserAuthenticationRequired(true)` with `setUserAuthenticationParameters(0,
 * AUTH_BIOMETRIC_STRONG)` on API 30+, a validity of -1 below), and that the
 * Keystore invalidates for good when a biometric is enrolled or removed
 * (`setInvalidatedByBiometricEnrollment(true)`: `initSign` then throws
 * `KeyPermanentlyInvalidatedException`). Signing is "NONEwithECDSA" over the
 * core's SHA-256 digest, as [KeystoreKeyStore] does; public keys are PKIX DER.
 */
class KeystoreUserVerifiedKeys(private val prefix: String = "oma.uvkey.") : BiometricKeyStore.UserVerifiedKeys {
    private fun keyStore(): java.security.KeyStore =
        java.security.KeyStore.getInstance(PROVIDER).apply { load(null) }

    override fun generate(alias: String): ByteArray {
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
            .setUserAuthenticationRequired(true)
            .setInvalidatedByBiometricEnrollment(true)
        if (Build.VERSION.SDK_INT >= Build.VERSION_CODES.R) {
            spec.setUserAuthenticationParameters(0, KeyProperties.AUTH_BIOMETRIC_STRONG)
        } else {
            perUseAuthentication(spec)
        }
        if (strongBox && Build.VERSION.SDK_INT >= Build.VERSION_CODES.P) spec.setIsStrongBoxBacked(true)
        val gen = KeyPairGenerator.getInstance(KeyProperties.KEY_ALGORITHM_EC, PROVIDER)
        gen.initialize(spec.build())
        return gen.generateKeyPair().public.encoded
    }

    /** API 24–29: -1 means every use needs its own authentication (deprecated from API 30, replaced above). */
    @Suppress("DEPRECATION")
    private fun perUseAuthentication(spec: KeyGenParameterSpec.Builder) {
        spec.setUserAuthenticationValidityDurationSeconds(-1)
    }

    override fun signature(alias: String): Signature? {
        val key = keyStore().getKey(prefix + alias, null) as? PrivateKey ?: return null
        // initSign throws KeyPermanentlyInvalidatedException for a key the
        // Keystore invalidated; the BiometricPrompt's CryptoObject unlocks it.
        return Signature.getInstance("NONEwithECDSA").apply { initSign(key) }
    }

    override fun delete(alias: String) {
        keyStore().deleteEntry(prefix + alias)
    }

    private companion object {
        const val PROVIDER = "AndroidKeyStore"
    }
}
