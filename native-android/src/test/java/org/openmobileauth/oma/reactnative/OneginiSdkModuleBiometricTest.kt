package org.openmobileauth.oma.reactnative

import androidx.biometric.BiometricPrompt
import com.facebook.react.bridge.ReadableMap
import java.nio.file.Files
import java.util.concurrent.TimeUnit
import org.json.JSONObject
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNotEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.Test
import org.openmobileauth.oma.android.BiometricKeyStore
import org.openmobileauth.oma.android.OmaOptions
import org.openmobileauth.oma.testing.CoreFixture
import org.openmobileauth.oma.testing.JvmCapabilities
import org.openmobileauth.oma.testing.JvmUserVerifiedKeys
import org.openmobileauth.oma.testing.ScriptedPrompt
import org.openmobileauth.oma.testing.ScriptedPrompt.End
import org.openmobileauth.oma.testing.ScriptedPrompt.Play
import org.openmobileauth.oma.testing.TokenServer
import org.openmobileauth.oma.testing.WebLogin

/**
 * The biometric authenticator (issue 15) through the React Native module on
 * the real core (JNI) and the real Token Server: the core drives
 * BiometricKeyStore — the class the app ships, with JVM keys and a scripted
 * prompt on its own "main" thread instead of the Keystore and androidx — over
 * gobind. Registration, authentication, unrecognised attempts, cancel,
 * lockout, a changed biometric set (key invalid → authenticator removed → PIN
 * works → register again), a prompt still open when the React instance goes
 * away, and a device without the capability.
 */
class OneginiSdkModuleBiometricTest {
    companion object {
        private lateinit var server: TokenServer

        @BeforeAll
        @JvmStatic
        fun startServer() {
            // Many PIN and biometric logins in a few seconds (the server's limits are tested in Go).
            server = TokenServer.start("--no-rate-limits")
        }

        @AfterAll
        @JvmStatic
        fun stopServer() {
            server.close()
        }
    }

    private val keys = JvmUserVerifiedKeys()
    private val prompt = ScriptedPrompt()
    private val biometric = BiometricKeyStore(keys, prompt, { "" }, 10_000) { Thread.currentThread() == prompt.mainThread }
    private val context = RecordingContext()
    private var module: OneginiSdkModule? = null

    @AfterEach
    fun tearDown() {
        module?.invalidate()
        CoreFixture.reset()
    }

    /** A module on the real core with native (JVM) capabilities; [caps] decides the biometric. */
    private inner class Session(caps: JvmCapabilities) {
        val m = OneginiSdkModule(
            context,
            OmaOptions({ Files.createTempDirectory("oma-jvm").toFile() }, { caps }, "disabled",
                appConfig = { """{"serverUrl":"${server.baseUrl}","appId":"${TokenServer.APP_ID}","redirectUri":"oma-app://registration/callback"}""" }),
            JavaOnlyMaps,
        ).also { module = it }
        private var id = 0
        private var seen = 0
        lateinit var pin: String

        fun call(method: String, params: JSONObject = JSONObject()) = RecordingPromise(context.order, method).also {
            m.invoke(JSONObject().put("jsonrpc", "2.0").put("id", ++id).put("method", method).put("params", params).toString(), it)
        }

        fun ok(p: RecordingPromise): String? {
            p.await()
            assertNull(p.code, "${p.code} ${p.message}")
            return p.resolved as String?
        }

        fun code(p: RecordingPromise): String? = p.await().code

        fun profile(pid: String) = JSONObject().put("profileId", pid)

        /** Waits for the next event of [type] (and [action]) the module emitted. */
        fun event(type: String, action: String? = null): JSONObject {
            val deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15)
            while (true) {
                while (seen < context.emits.size) {
                    val e = JSONObject((context.emits[seen++].second as ReadableMap).getString("message")!!)
                    if (e.getString("type") == type && (action == null || e.optString("action") == action)) return e
                }
                assertTrue(System.nanoTime() < deadline, "no $type $action event")
                context.emitted.tryAcquire(100, TimeUnit.MILLISECONDS)
            }
        }

        fun register(): String {
            ok(call("startClient"))
            val reg = call("registerUser", JSONObject().put("identityProviderId", JSONObject.NULL))
            val url = event("ONEWELCOME_REGISTRATION_NOTIFICATION").getString("url")
            ok(call("handleRegistrationCallback", JSONObject().put("uri", WebLogin.login(url, TokenServer.USER, TokenServer.PASSWORD))))
            pin = "2468097531".take(event("ONEWELCOME_PIN_CREATE_NOTIFICATION", "open").getInt("pinLength"))
            ok(call("submitPin", JSONObject().put("flow", "Create").put("pin", pin)))
            return JSONObject(ok(reg)!!).getJSONObject("userProfile").getString("id")
        }

        fun authenticators(pid: String, method: String = "getAllAuthenticators"): List<String> {
            val a = org.json.JSONArray(ok(call(method, profile(pid))))
            return (0 until a.length()).map { a.getJSONObject(it).let { o -> "${o.getString("id")} registered=${o.getBoolean("isRegistered")}" } }
        }

        fun registerFingerprint(pid: String) {
            val reg = call("registerFingerprintAuthenticator", profile(pid))
            event("ONEWELCOME_PIN_AUTHENTICATION_NOTIFICATION", "open")
            ok(call("submitPin", JSONObject().put("flow", "Authentication").put("pin", pin)))
            ok(reg)
        }

        /** authenticateUser with the fingerprint, accepted by the app; returns the pending call. */
        fun fingerprint(pid: String): RecordingPromise {
            val c = call("authenticateUser", profile(pid).put("authenticatorId", "fingerprint"))
            assertEquals(pid, event("ONEWELCOME_FINGERPRINT_NOTIFICATION", "startAuthentication").getJSONObject("userProfile").getString("profileId"))
            ok(call("submitFingerprintAcceptAuthenticationRequest"))
            return c
        }
    }

    @Test
    fun biometricAuthenticatorThroughTheModuleOnTheRealCoreAndServer() {
        val s = Session(JvmCapabilities(biometric))
        val pid = s.register()
        assertEquals(listOf("PIN registered=true", "fingerprint registered=false"), s.authenticators(pid))

        s.registerFingerprint(pid)
        assertEquals(1, keys.pairs.size, "the core made its key through the native capability")
        assertEquals(listOf("PIN registered=true", "fingerprint registered=true"), s.authenticators(pid, "getRegisteredAuthenticators"))

        // Accepted: one prompt, shown from a core (Go) thread, not the prompt's main thread.
        val auth = JSONObject(s.ok(s.fingerprint(pid))!!)
        assertEquals(pid, auth.getJSONObject("userProfile").getString("id"))
        s.event("ONEWELCOME_FINGERPRINT_NOTIFICATION", "onFingerprintCaptured")
        s.event("ONEWELCOME_FINGERPRINT_NOTIFICATION", "finishAuthentication")
        assertEquals(listOf("Log in"), prompt.titles)
        assertNotEquals(prompt.mainThread, prompt.showThreads[0])
        assertFalse(prompt.showThreads[0].name.startsWith("oma-bridge"), "the prompt was awaited on the bridge thread")

        // Two unrecognised fingers, then the right one: the prompt stayed open, one call.
        prompt.script(Play(failures = 2, end = End.Success))
        s.ok(s.fingerprint(pid))
        assertEquals(2, prompt.titles.size)

        prompt.script(Play(end = End.Error(BiometricPrompt.ERROR_USER_CANCELED)))
        assertEquals("9006", s.code(s.fingerprint(pid)))
        prompt.script(Play(failures = 5, end = End.Error(BiometricPrompt.ERROR_LOCKOUT)))
        val locked = s.fingerprint(pid).await()
        assertEquals("9030", locked.code)
        assertTrue(locked.message!!.contains("use the PIN"), locked.message)

        // A fingerprint was enrolled: the key is invalid, the authenticator removed, the PIN works.
        keys.changeEnrollment()
        val titles = prompt.titles.size
        assertEquals("9022", s.code(s.fingerprint(pid)))
        assertEquals(titles, prompt.titles.size, "a prompt was shown for an invalidated key")
        assertEquals(listOf("PIN registered=true"), s.authenticators(pid, "getRegisteredAuthenticators"))
        val byPin = s.call("authenticateUser", s.profile(pid).put("authenticatorId", "PIN"))
        s.event("ONEWELCOME_PIN_AUTHENTICATION_NOTIFICATION", "open")
        s.ok(s.call("submitPin", JSONObject().put("flow", "Authentication").put("pin", s.pin)))
        s.ok(byPin)

        // Registered again: a new key signs.
        s.registerFingerprint(pid)
        s.ok(s.fingerprint(pid))

        // Deregistration removes the key from the native store.
        s.ok(s.call("deregisterFingerprintAuthenticator", s.profile(pid)))
        assertTrue(keys.pairs.isEmpty(), "key left behind: ${keys.pairs.keys}")
    }

    @Test
    fun aPromptStillOpenWhenTheReactInstanceGoesAwayIsClosed() {
        val caps = JvmCapabilities(biometric)
        val s = Session(caps)
        val pid = s.register()
        s.registerFingerprint(pid)
        prompt.script(Play(end = End.Hold)) // the user never answers
        val pending = s.fingerprint(pid)
        val deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10)
        while (prompt.titles.isEmpty()) {
            assertTrue(System.nanoTime() < deadline, "no prompt shown")
            Thread.sleep(10)
        }
        assertEquals(1L, pending.settled.count, "settled while the prompt was open")
        val started = System.nanoTime()
        s.m.invalidate()
        module = null
        // The prompt is cancelled and the core's close does not wait for the user.
        assertNotEquals(null, pending.await().code)
        assertTrue(CoreFixture.let { it.reset(); true })
        assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(8), "close waited for the prompt")
        // The open prompt was cancelled (none is left open). Under load it can be
        // cancelled twice (the close and the call's own end both cancel; a second
        // cancel is harmless for androidx), so the count is not fixed.
        assertTrue(prompt.cancels.isNotEmpty(), "the open prompt was not cancelled")
        assertTrue(prompt.cancels.all { it == "Log in" }, "cancelled: ${prompt.cancels}")
        assertTrue(prompt.cancels.size >= prompt.titles.size, "shown ${prompt.titles}, cancelled ${prompt.cancels}")
        assertTrue("close" in caps.calls)
    }

    @Test
    fun withoutTheCapabilityTheDeviceOffersNoBiometric() {
        val s = Session(JvmCapabilities(biometric = null))
        val pid = s.register()
        assertEquals(listOf("PIN registered=true"), s.authenticators(pid))
        assertEquals("10006", s.code(s.call("registerFingerprintAuthenticator", s.profile(pid))))
        assertEquals("10007", s.code(s.call("authenticateUser", s.profile(pid).put("authenticatorId", "fingerprint"))))
    }
}
