package org.openmobileauth.oma.android

import android.os.Looper
import android.security.keystore.KeyPermanentlyInvalidatedException
import androidx.biometric.BiometricPrompt
import java.security.Signature
import java.util.concurrent.CompletableFuture
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.ExecutionException
import java.util.concurrent.TimeUnit
import java.util.concurrent.TimeoutException
import java.util.concurrent.atomic.AtomicInteger
import org.openmobileauth.oma.bridge.UserVerifiedKeyStore

/**
 * The biometric authenticator's key store (issue 15): the core's
 * `UserVerifiedKeyStore` on Android. The key half is [keys] (the Android
 * Keystore in an app: [KeystoreUserVerifiedKeys]); the prompt is [prompt]
 * (androidx `BiometricPrompt` with `BIOMETRIC_STRONG` and a `CryptoObject`:
 * [AndroidBiometricPrompt]).
 *
 * The core calls [signWithUserVerification] on one of its own (Go) threads and
 * that call blocks until the prompt ends; the prompt itself runs on the main
 * thread, which is never blocked here. A call made on the main thread is
 * refused at once (it would wait for itself).
 *
 * Outcomes reach the core as exceptions whose message starts with a UV code
 * (gobind hands the message to Go; core/device.UserVerificationError reads the
 * prefix), see [outcomeOf]:
 *  - the key is invalidated (biometric enrollment changed) or gone → `UV_KEY_INVALIDATED`,
 *  - `ERROR_LOCKOUT`, `ERROR_LOCKOUT_PERMANENT` → `UV_LOCKOUT`,
 *  - `ERROR_USER_CANCELED`, `ERROR_NEGATIVE_BUTTON`, `ERROR_CANCELED`, `ERROR_TIMEOUT` → `UV_CANCELED`,
 *  - `ERROR_NO_BIOMETRICS`, `ERROR_HW_NOT_PRESENT`, `ERROR_HW_UNAVAILABLE`,
 *    `ERROR_NO_DEVICE_CREDENTIAL`, `ERROR_SECURITY_UPDATE_REQUIRED` → `UV_NOT_AVAILABLE`,
 *  - `ERROR_UNABLE_TO_PROCESS` → `UV_FAILED` (the sensor could not read: the core may prompt again).
 *
 * Unrecognised attempts (`onAuthenticationFailed`) do not end the call: the
 * system prompt stays open, says "not recognised" itself and counts the
 * attempts toward the platform's lockout, which then ends the prompt with
 * `ERROR_LOCKOUT` (→ `UV_LOCKOUT`). Closing the prompt after each miss to
 * return `UV_FAILED` would make it flicker and would not reset the platform's
 * counter; the number of misses is put in the message of the outcome that
 * ends the prompt. The core's own per-prompt bound (5 `UV_FAILED`) therefore
 * only applies to `ERROR_UNABLE_TO_PROCESS`.
 *
 * A prompt that gets no answer within [promptTimeoutMillis] is cancelled
 * (`UV_CANCELED`); [close] cancels every prompt still open (the core is
 * stopping) and makes later calls fail with `UV_CANCELED`.
 */
class BiometricKeyStore @JvmOverloads constructor(
    private val keys: UserVerifiedKeys,
    private val prompt: PromptDriver,
    private val availability: () -> String,
    private val promptTimeoutMillis: Long = DEFAULT_PROMPT_TIMEOUT_MILLIS,
    private val isMainThread: () -> Boolean = { Looper.getMainLooper()?.isCurrentThread == true },
) : UserVerifiedKeyStore {

    /** The key half of the capability: user-verification-bound P-256 keys by alias. */
    interface UserVerifiedKeys {
        /** Creates the key (replacing an old one); returns its public key, PKIX DER. */
        fun generate(alias: String): ByteArray

        /**
         * A `Signature` ("NONEwithECDSA") initialised for signing with alias's key,
         * still locked until the user passes the prompt. Throws
         * `KeyPermanentlyInvalidatedException` when the enrolled biometrics
         * changed since the key was made, and returns null when there is no key.
         */
        fun signature(alias: String): Signature?

        /** Removes the key; absent is not an error. */
        fun delete(alias: String)
    }

    /** Shows the biometric prompt; implemented with androidx BiometricPrompt in an app. */
    fun interface PromptDriver {
        /**
         * Shows a prompt titled [title] that unlocks [signature] (called on a
         * background thread; the prompt belongs on the main thread). Exactly one
         * of [PromptListener]'s terminal methods follows, from any thread. The
         * returned handle closes the prompt.
         */
        fun show(title: String, signature: Signature, listener: PromptListener): Cancellable
    }

    /** Closes a prompt that is still open. */
    fun interface Cancellable {
        fun cancel()
    }

    /** What a prompt reports (BiometricPrompt.AuthenticationCallback's shape). */
    interface PromptListener {
        /** The user passed; [signature] is the unlocked CryptoObject's signature. */
        fun onSucceeded(signature: Signature?)

        /** The prompt ended without success ([errorCode]: a BiometricPrompt.ERROR_* value, or [ERROR_NO_PROMPT]). */
        fun onError(errorCode: Int, message: CharSequence)

        /** One attempt was not recognised; the prompt stays open. */
        fun onFailed()
    }

    /** The exception an outcome reaches the core as: its message starts with [code]. */
    class UserVerificationException(val code: String, detail: String) : Exception("$code: $detail")

    private class Outcome(val signature: Signature?, val error: Exception?)

    private val open = ConcurrentHashMap<CompletableFuture<Outcome>, Cancellable>()

    @Volatile
    private var closed = false

    /** "" when a strong biometric can be used now, else UV_NOT_AVAILABLE (or UV_LOCKOUT). */
    override fun biometricAvailable(): String = try {
        availability()
    } catch (e: Exception) {
        UV_NOT_AVAILABLE
    }

    override fun generateUserVerifiedKey(alias: String): ByteArray {
        val why = biometricAvailable()
        if (why.isNotEmpty()) throw UserVerificationException(why, "no strong biometric can be used on this device")
        return keys.generate(alias)
    }

    override fun deleteUserVerifiedKey(alias: String) {
        keys.delete(alias)
    }

    override fun signWithUserVerification(alias: String, digest: ByteArray, prompt: String): ByteArray {
        require(digest.size == 32) { "biometric key store: digest must be 32 bytes (SHA-256)" }
        check(!isMainThread()) { "biometric key store: called on the main thread, which the prompt needs" }
        if (closed) throw UserVerificationException(UV_CANCELED, "the SDK is stopping")
        val signature = try {
            keys.signature(alias)
        } catch (e: KeyPermanentlyInvalidatedException) {
            throw UserVerificationException(UV_KEY_INVALIDATED, "the enrolled biometrics changed since the key was made")
        } ?: throw UserVerificationException(UV_KEY_INVALIDATED, "the biometric key is gone")

        val done = CompletableFuture<Outcome>()
        val misses = AtomicInteger()
        val listener = object : PromptListener {
            override fun onSucceeded(signature: Signature?) {
                done.complete(Outcome(signature, null))
            }

            override fun onError(errorCode: Int, message: CharSequence) {
                done.complete(Outcome(null, outcomeOf(errorCode, message.toString(), misses.get())))
            }

            override fun onFailed() {
                misses.incrementAndGet()
            }
        }
        val handle = this.prompt.show(prompt, signature, listener)
        open[done] = handle
        try {
            if (closed) cancel(done, handle, "the SDK is stopping")
            val outcome = try {
                done.get(promptTimeoutMillis, TimeUnit.MILLISECONDS)
            } catch (e: TimeoutException) {
                cancel(done, handle, "the prompt got no answer in time")
                done.get()
            } catch (e: InterruptedException) {
                cancel(done, handle, "interrupted")
                Thread.currentThread().interrupt()
                done.get()
            } catch (e: ExecutionException) {
                throw IllegalStateException("biometric prompt failed", e.cause)
            }
            outcome.error?.let { throw it }
            // The CryptoObject's signature is the unlocked one; signing happens
            // here, on the core's thread, not on the main thread.
            val unlocked = outcome.signature ?: signature
            unlocked.update(digest)
            return unlocked.sign()
        } finally {
            open.remove(done)
        }
    }

    private fun cancel(done: CompletableFuture<Outcome>, handle: Cancellable, why: String) {
        // Complete first: a prompt that never reports back must not keep the core waiting.
        done.complete(Outcome(null, UserVerificationException(UV_CANCELED, why)))
        runCatching { handle.cancel() }
    }

    /** Cancels every open prompt (UV_CANCELED) and refuses later ones: the core is stopping. */
    fun close() {
        closed = true
        for ((done, handle) in open) cancel(done, handle, "the SDK is stopping")
    }

    companion object {
        const val UV_FAILED = "UV_FAILED"
        const val UV_CANCELED = "UV_CANCELED"
        const val UV_LOCKOUT = "UV_LOCKOUT"
        const val UV_KEY_INVALIDATED = "UV_KEY_INVALIDATED"
        const val UV_NOT_AVAILABLE = "UV_NOT_AVAILABLE"

        /** A driver's own error: the prompt could not be shown (no foreground FragmentActivity, state already saved). */
        const val ERROR_NO_PROMPT = -1000

        /** How long a prompt may stay open without an answer. */
        const val DEFAULT_PROMPT_TIMEOUT_MILLIS = 5 * 60 * 1000L

        /** The exception a BiometricPrompt error becomes (see the class comment); [misses]: unrecognised attempts before it. */
        @JvmStatic
        fun outcomeOf(errorCode: Int, message: String, misses: Int = 0): Exception {
            val detail = "biometric prompt error $errorCode ($message)" + if (misses > 0) " after $misses unrecognised attempt(s)" else ""
            val code = when (errorCode) {
                BiometricPrompt.ERROR_LOCKOUT, BiometricPrompt.ERROR_LOCKOUT_PERMANENT -> UV_LOCKOUT
                BiometricPrompt.ERROR_USER_CANCELED, BiometricPrompt.ERROR_NEGATIVE_BUTTON,
                BiometricPrompt.ERROR_CANCELED, BiometricPrompt.ERROR_TIMEOUT -> UV_CANCELED
                BiometricPrompt.ERROR_NO_BIOMETRICS, BiometricPrompt.ERROR_HW_NOT_PRESENT, BiometricPrompt.ERROR_HW_UNAVAILABLE,
                BiometricPrompt.ERROR_NO_DEVICE_CREDENTIAL, BiometricPrompt.ERROR_SECURITY_UPDATE_REQUIRED -> UV_NOT_AVAILABLE
                BiometricPrompt.ERROR_UNABLE_TO_PROCESS -> UV_FAILED
                else -> return IllegalStateException(detail) // the core answers 9030 with it
            }
            return UserVerificationException(code, detail)
        }
    }
}
