package org.openmobileauth.oma.android

import android.app.Activity
import android.content.Context
import android.os.Handler
import android.os.Looper
import androidx.biometric.BiometricManager
import androidx.biometric.BiometricPrompt
import androidx.fragment.app.FragmentActivity
import java.security.Signature
import java.util.concurrent.Executor
import java.util.concurrent.atomic.AtomicBoolean
import java.util.concurrent.atomic.AtomicReference

/**
 * The biometric prompt of [BiometricKeyStore] on a device: androidx
 * `BiometricPrompt` restricted to `BIOMETRIC_STRONG`, unlocking the key's
 * `Signature` through a `CryptoObject`, shown over the app's current
 * `FragmentActivity` ([activity]: React Native's current activity, Cordova's
 * activity; both are AppCompat activities). Everything that touches the
 * prompt runs on the main thread; [show] only posts to it, so the core's
 * thread that waits for the outcome is never the main thread's problem.
 */
class AndroidBiometricPrompt @JvmOverloads constructor(
    private val activity: () -> Activity?,
    /** The prompt's button that closes it (ends the call with UV_CANCELED). */
    private val negativeButtonText: String = "Cancel",
    /** Runs work on the main thread (the main Looper in an app). */
    private val mainExecutor: Executor = MainThread,
) : BiometricKeyStore.PromptDriver {
    /** Posts to the main Looper. */
    private object MainThread : Executor {
        private val handler by lazy { Handler(Looper.getMainLooper()) }

        override fun execute(command: Runnable) {
            handler.post(command)
        }
    }

    override fun show(
        title: String,
        signature: Signature,
        listener: BiometricKeyStore.PromptListener,
    ): BiometricKeyStore.Cancellable {
        val shown = AtomicReference<BiometricPrompt?>()
        val cancelled = AtomicBoolean()
        mainExecutor.execute {
            if (cancelled.get()) return@execute
            val host = activity() as? FragmentActivity
            if (host == null || host.isFinishing || host.isDestroyed) {
                listener.onError(BiometricKeyStore.ERROR_NO_PROMPT, "no foreground FragmentActivity to show the biometric prompt over")
                return@execute
            }
            if (host.supportFragmentManager.isStateSaved) {
                // androidx would log and show nothing (no callback ever): the app is in the background.
                listener.onError(BiometricKeyStore.ERROR_NO_PROMPT, "the activity saved its state (app in the background); no prompt can be shown")
                return@execute
            }
            try {
                val prompt = BiometricPrompt(host, mainExecutor, object : BiometricPrompt.AuthenticationCallback() {
                    override fun onAuthenticationSucceeded(result: BiometricPrompt.AuthenticationResult) {
                        listener.onSucceeded(result.cryptoObject?.signature)
                    }

                    override fun onAuthenticationError(errorCode: Int, errString: CharSequence) {
                        listener.onError(errorCode, errString)
                    }

                    override fun onAuthenticationFailed() {
                        listener.onFailed()
                    }
                })
                val info = BiometricPrompt.PromptInfo.Builder()
                    .setTitle(title.ifEmpty { " " })
                    .setNegativeButtonText(negativeButtonText)
                    .setAllowedAuthenticators(BiometricManager.Authenticators.BIOMETRIC_STRONG)
                    .setConfirmationRequired(false)
                    .build()
                shown.set(prompt)
                prompt.authenticate(info, BiometricPrompt.CryptoObject(signature))
            } catch (e: RuntimeException) {
                listener.onError(BiometricKeyStore.ERROR_NO_PROMPT, "the biometric prompt could not be shown: ${e.message}")
            }
        }
        return BiometricKeyStore.Cancellable {
            cancelled.set(true)
            mainExecutor.execute { shown.get()?.cancelAuthentication() }
        }
    }

    companion object {
        /**
         * BiometricKeyStore's availability check: "" when a strong biometric is
         * enrolled and usable (`BiometricManager.canAuthenticate(BIOMETRIC_STRONG)`),
         * else UV_NOT_AVAILABLE. The platform reports no lockout here; a locked
         * sensor shows up as the prompt's ERROR_LOCKOUT.
         */
        @JvmStatic
        fun availability(context: Context): () -> String = {
            when (BiometricManager.from(context).canAuthenticate(BiometricManager.Authenticators.BIOMETRIC_STRONG)) {
                BiometricManager.BIOMETRIC_SUCCESS -> ""
                else -> BiometricKeyStore.UV_NOT_AVAILABLE
            }
        }
    }
}
