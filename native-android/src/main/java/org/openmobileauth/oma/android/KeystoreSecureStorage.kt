package org.openmobileauth.oma.android

import android.content.Context
import android.security.keystore.KeyGenParameterSpec
import android.security.keystore.KeyProperties
import android.util.Base64
import javax.crypto.Cipher
import javax.crypto.KeyGenerator
import javax.crypto.SecretKey
import javax.crypto.spec.GCMParameterSpec
import org.openmobileauth.oma.bridge.SecureStorage

/**
 * The secure storage capability: values live in a private SharedPreferences file
 * as AES-256-GCM ciphertexts (12-byte IV || ciphertext+tag, Base64) under a
 * non-exportable Android Keystore key; the entry's name is the associated data,
 * so a ciphertext moved to another name does not decrypt.
 */
class KeystoreSecureStorage(
    context: Context,
    fileName: String = "oma_secure_storage",
    private val keyAlias: String = "oma.storage",
) : SecureStorage {
    private val prefs = context.getSharedPreferences(fileName, Context.MODE_PRIVATE)

    @Synchronized
    private fun key(): SecretKey {
        val ks = java.security.KeyStore.getInstance(PROVIDER).apply { load(null) }
        (ks.getKey(keyAlias, null) as? SecretKey)?.let { return it }
        val gen = KeyGenerator.getInstance(KeyProperties.KEY_ALGORITHM_AES, PROVIDER)
        gen.init(
            KeyGenParameterSpec.Builder(keyAlias, KeyProperties.PURPOSE_ENCRYPT or KeyProperties.PURPOSE_DECRYPT)
                .setBlockModes(KeyProperties.BLOCK_MODE_GCM)
                .setEncryptionPaddings(KeyProperties.ENCRYPTION_PADDING_NONE)
                .setKeySize(256)
                .build(),
        )
        return gen.generateKey()
    }

    override fun get(name: String): ByteArray? {
        val stored = prefs.getString(name, null) ?: return null
        val blob = Base64.decode(stored, Base64.NO_WRAP)
        require(blob.size > IV_BYTES) { "storage: entry is corrupt" }
        val cipher = Cipher.getInstance(TRANSFORMATION)
        cipher.init(Cipher.DECRYPT_MODE, key(), GCMParameterSpec(128, blob, 0, IV_BYTES))
        cipher.updateAAD(name.toByteArray(Charsets.UTF_8))
        return cipher.doFinal(blob, IV_BYTES, blob.size - IV_BYTES)
    }

    override fun set(name: String, value: ByteArray?) {
        val cipher = Cipher.getInstance(TRANSFORMATION)
        cipher.init(Cipher.ENCRYPT_MODE, key()) // the Keystore picks a fresh random IV
        cipher.updateAAD(name.toByteArray(Charsets.UTF_8))
        val sealed = cipher.doFinal(value ?: ByteArray(0))
        val iv = cipher.iv
        check(iv.size == IV_BYTES) { "storage: unexpected IV length" }
        val blob = iv + sealed
        if (!prefs.edit().putString(name, Base64.encodeToString(blob, Base64.NO_WRAP)).commit()) {
            throw IllegalStateException("storage: write failed")
        }
    }

    override fun delete(name: String) {
        if (!prefs.edit().remove(name).commit()) throw IllegalStateException("storage: delete failed")
    }

    private companion object {
        const val PROVIDER = "AndroidKeyStore"
        const val TRANSFORMATION = "AES/GCM/NoPadding"
        const val IV_BYTES = 12
    }
}
