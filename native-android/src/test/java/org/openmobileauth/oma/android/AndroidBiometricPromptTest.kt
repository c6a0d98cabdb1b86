package org.openmobileauth.oma.android

import java.security.MessageDigest
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.openmobileauth.oma.testing.JvmUserVerifiedKeys

/**
 * The androidx prompt driver's paths that need no device: without a foreground
 * FragmentActivity the call ends at once with a plain error (the core answers
 * 9030) instead of waiting for a prompt that never comes. Showing the real
 * BiometricPrompt needs a device.
 */
class AndroidBiometricPromptTest {
    private val main = Executors.newSingleThreadExecutor { r -> Thread(r, "fake-main").apply { isDaemon = true } }
    private val digest = MessageDigest.getInstance("SHA-256").digest("challenge".toByteArray())

    @Test
    fun noForegroundActivityEndsTheCallAtOnce() {
        val keys = JvmUserVerifiedKeys()
        val driver = AndroidBiometricPrompt({ null }, "Cancel", main)
        val store = BiometricKeyStore(keys, driver, { "" }, 60_000)
        store.generateUserVerifiedKey("p1")
        val started = System.nanoTime()
        val e = assertThrows(IllegalStateException::class.java) { store.signWithUserVerification("p1", digest, "Log in") }
        assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(5), "waited for a prompt that cannot be shown")
        assertTrue(e.message!!.contains("no foreground FragmentActivity"), e.message)
        assertFalse(e.message!!.startsWith("UV_"), e.message)
    }
}
