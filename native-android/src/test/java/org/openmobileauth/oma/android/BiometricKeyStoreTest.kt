package org.openmobileauth.oma.android

import androidx.biometric.BiometricPrompt
import java.security.KeyFactory
import java.security.MessageDigest
import java.security.Signature
import java.security.spec.X509EncodedKeySpec
import java.util.concurrent.CompletableFuture
import java.util.concurrent.ExecutionException
import java.util.concurrent.TimeUnit
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertInstanceOf
import org.junit.jupiter.api.Assertions.assertNotEquals
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.openmobileauth.oma.testing.JvmUserVerifiedKeys
import org.openmobileauth.oma.testing.ScriptedPrompt
import org.openmobileauth.oma.testing.ScriptedPrompt.End
import org.openmobileauth.oma.testing.ScriptedPrompt.Play

/**
 * BiometricKeyStore on the JVM: the blocking handoff between the core's thread
 * and the prompt's main thread, and how BiometricPrompt's outcomes become the
 * core's UV_* codes. The prompt is ScriptedPrompt (callbacks on its own "main"
 * thread, as androidx delivers them); the keys are JVM P-256 keys with the
 * Keystore keys' contract.
 */
class BiometricKeyStoreTest {
    private val keys = JvmUserVerifiedKeys()
    private val prompt = ScriptedPrompt()
    private val digest = MessageDigest.getInstance("SHA-256").digest("challenge".toByteArray())

    private fun store(available: () -> String = { "" }, timeout: Long = 10_000) =
        BiometricKeyStore(keys, prompt, available, timeout) { Thread.currentThread() == prompt.mainThread }

    /** The UV code of what [block] threw. */
    private fun uvCode(block: () -> Unit): String {
        val e = assertThrows(BiometricKeyStore.UserVerificationException::class.java) { block() }
        assertTrue(e.message!!.startsWith(e.code + ": "), "message ${e.message}")
        return e.code
    }

    @Test
    fun passedPromptSignsTheDigestOnTheCallersThread() {
        val s = store()
        val pub = s.generateUserVerifiedKey("p1")
        val sig = s.signWithUserVerification("p1", digest, "Log in")
        val key = KeyFactory.getInstance("EC").generatePublic(X509EncodedKeySpec(pub))
        assertTrue(Signature.getInstance("NONEwithECDSA").run { initVerify(key); update(digest); verify(sig) })
        // SHA256withECDSA over the same message verifies too: the digest was signed as is.
        assertTrue(Signature.getInstance("SHA256withECDSA").run { initVerify(key); update("challenge".toByteArray()); verify(sig) })
        assertEquals(listOf("Log in"), prompt.titles)
        assertEquals(Thread.currentThread(), prompt.showThreads.single())
    }

    @Test
    fun promptErrorsBecomeTheCoresCodes() {
        val want = mapOf(
            BiometricPrompt.ERROR_LOCKOUT to "UV_LOCKOUT",
            BiometricPrompt.ERROR_LOCKOUT_PERMANENT to "UV_LOCKOUT",
            BiometricPrompt.ERROR_USER_CANCELED to "UV_CANCELED",
            BiometricPrompt.ERROR_NEGATIVE_BUTTON to "UV_CANCELED",
            BiometricPrompt.ERROR_CANCELED to "UV_CANCELED",
            BiometricPrompt.ERROR_TIMEOUT to "UV_CANCELED",
            BiometricPrompt.ERROR_NO_BIOMETRICS to "UV_NOT_AVAILABLE",
            BiometricPrompt.ERROR_HW_NOT_PRESENT to "UV_NOT_AVAILABLE",
            BiometricPrompt.ERROR_HW_UNAVAILABLE to "UV_NOT_AVAILABLE",
            BiometricPrompt.ERROR_NO_DEVICE_CREDENTIAL to "UV_NOT_AVAILABLE",
            BiometricPrompt.ERROR_SECURITY_UPDATE_REQUIRED to "UV_NOT_AVAILABLE",
            BiometricPrompt.ERROR_UNABLE_TO_PROCESS to "UV_FAILED",
        )
        val s = store()
        s.generateUserVerifiedKey("p1")
        for ((code, uv) in want) {
            prompt.script(Play(end = End.Error(code)))
            assertEquals(uv, uvCode { s.signWithUserVerification("p1", digest, "Log in") }, "BiometricPrompt error $code")
        }
        // An error the core has no code for is a plain failure (the core answers 9030), never a success.
        for (code in listOf(BiometricPrompt.ERROR_VENDOR, BiometricPrompt.ERROR_NO_SPACE, BiometricKeyStore.ERROR_NO_PROMPT)) {
            prompt.script(Play(end = End.Error(code)))
            val e = assertThrows(Exception::class.java) { s.signWithUserVerification("p1", digest, "Log in") }
            assertFalse(e is BiometricKeyStore.UserVerificationException, "error $code became ${e.message}")
            assertFalse(e.message!!.startsWith("UV_"), e.message)
        }
    }

    @Test
    fun unrecognisedAttemptsKeepThePromptOpenUntilItEnds() {
        val s = store()
        s.generateUserVerifiedKey("p1")
        prompt.script(Play(failures = 3, end = End.Success))
        assertTrue(s.signWithUserVerification("p1", digest, "Log in").isNotEmpty())
        prompt.script(Play(failures = 5, end = End.Error(BiometricPrompt.ERROR_LOCKOUT)))
        val e = assertThrows(BiometricKeyStore.UserVerificationException::class.java) { s.signWithUserVerification("p1", digest, "Log in") }
        assertEquals("UV_LOCKOUT", e.code)
        assertTrue(e.message!!.contains("after 5 unrecognised attempt(s)"), e.message)
        assertEquals(2, prompt.titles.size, "one prompt per call, however many misses")
    }

    @Test
    fun changedEnrollmentOrMissingKeyIsKeyInvalidatedWithoutAPrompt() {
        val s = store()
        s.generateUserVerifiedKey("p1")
        keys.changeEnrollment()
        assertEquals("UV_KEY_INVALIDATED", uvCode { s.signWithUserVerification("p1", digest, "Log in") })
        assertEquals("UV_KEY_INVALIDATED", uvCode { s.signWithUserVerification("nobody", digest, "Log in") })
        assertTrue(prompt.titles.isEmpty(), "a prompt was shown: ${prompt.titles}")
        // A new key (re-registration) signs again; deleting it makes it missing.
        s.generateUserVerifiedKey("p1")
        assertTrue(s.signWithUserVerification("p1", digest, "Log in").isNotEmpty())
        s.deleteUserVerifiedKey("p1")
        s.deleteUserVerifiedKey("p1") // absent is not an error
        assertEquals("UV_KEY_INVALIDATED", uvCode { s.signWithUserVerification("p1", digest, "Log in") })
    }

    @Test
    fun theCallBlocksUntilThePromptEndsAndCloseEndsIt() {
        val s = store()
        s.generateUserVerifiedKey("p1")
        prompt.script(Play(end = End.Hold))
        val caller = CompletableFuture<ByteArray>()
        val t = Thread({
            try {
                caller.complete(s.signWithUserVerification("p1", digest, "Log in"))
            } catch (e: Exception) {
                caller.completeExceptionally(e)
            }
        }, "go-thread")
        t.start()
        val deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10)
        while (prompt.titles.isEmpty() || t.state != Thread.State.TIMED_WAITING) {
            assertTrue(System.nanoTime() < deadline, "the call did not wait for the prompt (state ${t.state})")
            Thread.sleep(5)
        }
        assertFalse(caller.isDone, "answered before the prompt ended")
        // The prompt's main thread is free meanwhile.
        assertTrue(CompletableFuture.supplyAsync({ true }, { r -> Thread(r).start() }).get(5, TimeUnit.SECONDS))
        s.close() // the core is stopping
        val e = assertThrows(ExecutionException::class.java) { caller.get(10, TimeUnit.SECONDS) }
        assertEquals("UV_CANCELED", (e.cause as BiometricKeyStore.UserVerificationException).code)
        assertEquals(listOf("Log in"), prompt.cancels)
        // After close, no prompt is shown.
        assertEquals("UV_CANCELED", uvCode { s.signWithUserVerification("p1", digest, "Log in") })
        assertEquals(1, prompt.titles.size)
    }

    @Test
    fun aPromptWithoutAnswerIsCancelledAfterTheTimeout() {
        val s = store(timeout = 200)
        s.generateUserVerifiedKey("p1")
        prompt.script(Play(end = End.Hold))
        val started = System.nanoTime()
        assertEquals("UV_CANCELED", uvCode { s.signWithUserVerification("p1", digest, "Log in") })
        assertTrue(System.nanoTime() - started >= TimeUnit.MILLISECONDS.toNanos(200))
        assertEquals(listOf("Log in"), prompt.cancels)
    }

    @Test
    fun aCallOnTheMainThreadIsRefusedInsteadOfDeadlocking() {
        val s = store()
        s.generateUserVerifiedKey("p1")
        val e = prompt.onMain { runCatching { s.signWithUserVerification("p1", digest, "Log in") }.exceptionOrNull() }
        assertInstanceOf(IllegalStateException::class.java, e)
        assertTrue(prompt.titles.isEmpty())
    }

    @Test
    fun availabilityAndBadInput() {
        var why = "UV_NOT_AVAILABLE"
        val s = store(available = { why })
        assertEquals("UV_NOT_AVAILABLE", s.biometricAvailable())
        assertEquals("UV_NOT_AVAILABLE", uvCode { s.generateUserVerifiedKey("p1") })
        assertTrue(keys.pairs.isEmpty())
        why = ""
        assertEquals("", s.biometricAvailable())
        s.generateUserVerifiedKey("p1")
        assertThrows(IllegalArgumentException::class.java) { s.signWithUserVerification("p1", ByteArray(31), "Log in") }
        // A failing availability check reports "not available", not a crash.
        val broken = BiometricKeyStore(keys, prompt, { throw IllegalStateException("no BiometricManager") })
        assertEquals("UV_NOT_AVAILABLE", broken.biometricAvailable())
        assertNotEquals("", broken.biometricAvailable())
    }
}
