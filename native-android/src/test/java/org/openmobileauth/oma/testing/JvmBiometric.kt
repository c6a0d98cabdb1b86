package org.openmobileauth.oma.testing

import android.security.keystore.KeyPermanentlyInvalidatedException
import java.security.KeyPair
import java.security.KeyPairGenerator
import java.security.Signature
import java.security.spec.ECGenParameterSpec
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.CopyOnWriteArrayList
import java.util.concurrent.Executors
import java.util.concurrent.LinkedBlockingQueue
import org.openmobileauth.oma.android.BiometricKeyStore

/**
 * The key half of BiometricKeyStore on the JVM, with the Keystore keys'
 * contract (P-256, PKIX DER, "NONEwithECDSA" over the digest): after
 * [changeEnrollment] every existing key throws KeyPermanentlyInvalidatedException
 * at initSign, as the Keystore does for setInvalidatedByBiometricEnrollment keys.
 */
class JvmUserVerifiedKeys : BiometricKeyStore.UserVerifiedKeys {
    val pairs = ConcurrentHashMap<String, KeyPair>()
    private val invalid = ConcurrentHashMap.newKeySet<String>()

    override fun generate(alias: String): ByteArray {
        val kp = KeyPairGenerator.getInstance("EC").apply { initialize(ECGenParameterSpec("secp256r1")) }.generateKeyPair()
        pairs[alias] = kp
        invalid.remove(alias)
        return kp.public.encoded
    }

    override fun signature(alias: String): Signature? {
        val kp = pairs[alias] ?: return null
        if (alias in invalid) throw KeyPermanentlyInvalidatedException()
        return Signature.getInstance("NONEwithECDSA").apply { initSign(kp.private) }
    }

    override fun delete(alias: String) {
        pairs.remove(alias)
        invalid.remove(alias)
    }

    /** A biometric was enrolled: every existing key is invalid for good. */
    fun changeEnrollment() {
        invalid.addAll(pairs.keys)
    }
}

/**
 * A prompt driver that plays scripted outcomes on its own "main" thread, the
 * way androidx BiometricPrompt calls back on the main thread: [show] is called
 * on the core's thread and returns at once; the outcome follows from "main".
 */
class ScriptedPrompt : BiometricKeyStore.PromptDriver {
    /** One prompt's behaviour: [failures] unrecognised attempts, then [end]. */
    data class Play(val failures: Int = 0, val end: End = End.Success)

    sealed interface End {
        object Success : End
        data class Error(val code: Int) : End
        /** The prompt stays open until cancelled (the user walked away). */
        object Hold : End
    }

    val mainThread: Thread
    private val main = Executors.newSingleThreadExecutor { r -> Thread(r, "fake-main").apply { isDaemon = true } }
    private val script = LinkedBlockingQueue<Play>()
    val titles = CopyOnWriteArrayList<String>()
    val showThreads = CopyOnWriteArrayList<Thread>()
    val cancels = CopyOnWriteArrayList<String>()

    init {
        mainThread = main.submit<Thread> { Thread.currentThread() }.get()
    }

    /** Runs [block] on the "main" thread and returns its value. */
    fun <T> onMain(block: () -> T): T = main.submit<T> { block() }.get(10, java.util.concurrent.TimeUnit.SECONDS)

    fun script(vararg plays: Play) {
        script.addAll(plays)
    }

    override fun show(
        title: String,
        signature: Signature,
        listener: BiometricKeyStore.PromptListener,
    ): BiometricKeyStore.Cancellable {
        titles.add(title)
        showThreads.add(Thread.currentThread())
        val play = script.poll() ?: Play()
        main.execute {
            repeat(play.failures) { listener.onFailed() }
            when (val end = play.end) {
                End.Success -> listener.onSucceeded(signature)
                is End.Error -> listener.onError(end.code, "scripted error ${end.code}")
                End.Hold -> {}
            }
        }
        return BiometricKeyStore.Cancellable {
            cancels.add(title)
            // What androidx reports after cancelAuthentication().
            main.execute { listener.onError(androidx.biometric.BiometricPrompt.ERROR_CANCELED, "canceled") }
        }
    }
}
