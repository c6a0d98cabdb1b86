package org.openmobileauth.oma.cordova

import java.nio.file.Files
import java.util.concurrent.TimeUnit
import org.apache.cordova.CallbackContext
import org.apache.cordova.PluginResult
import org.json.JSONArray
import org.json.JSONObject
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertEquals
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
 * The biometric authenticator through the Cordova plugin on the real core and
 * Token Server: the core drives BiometricKeyStore (JVM keys, scripted prompt)
 * over gobind; a page reload (onReset) while the prompt is open closes the
 * prompt, so the core's close does not wait for the user.
 */
class OneginiSdkPluginBiometricTest {
    companion object {
        private lateinit var server: TokenServer

        @BeforeAll
        @JvmStatic
        fun startServer() {
            server = TokenServer.start("--no-rate-limits")
        }

        @AfterAll
        @JvmStatic
        fun stopServer() {
            server.close()
        }
    }

    private val web = RecordingWebView()
    private val keys = JvmUserVerifiedKeys()
    private val prompt = ScriptedPrompt()
    private val caps = JvmCapabilities(BiometricKeyStore(keys, prompt, { "" }, 20_000) { Thread.currentThread() == prompt.mainThread })
    private val dataDir = Files.createTempDirectory("oma-jvm").toFile()
    private val plugin = OneginiSdkPlugin(
        OmaOptions({ dataDir }, { caps }, "disabled",
            appConfig = { """{"serverUrl":"${server.baseUrl}","appId":"${TokenServer.APP_ID}","redirectUri":"oma-app://registration/callback"}""" }),
    ).apply { privateInitialize("OneginiSdk", null, web.view, null) }
    private var n = 0
    private lateinit var listen: String

    @AfterEach
    fun tearDown() {
        plugin.onDestroy()
        CoreFixture.reset()
    }

    private fun invoke(method: String, params: JSONObject = JSONObject()): String {
        val id = "OneginiSdk${++n}"
        val req = JSONObject().put("jsonrpc", "2.0").put("id", n).put("method", method).put("params", params).toString()
        assertTrue(plugin.execute("invoke", JSONArray(listOf(req)), CallbackContext(id, web.view)))
        return id
    }

    private fun ok(id: String): String {
        val r = web.next(id)
        assertEquals(PluginResult.Status.OK.ordinal, r.status, "error: ${r.strMessage}")
        return r.strMessage
    }

    private fun errorCode(id: String): Int {
        val r = web.next(id)
        assertEquals(PluginResult.Status.ERROR.ordinal, r.status, "result: ${r.strMessage}")
        return JSONObject(r.strMessage).getInt("code")
    }

    private fun event(type: String, action: String? = null): JSONObject {
        while (true) {
            val e = JSONObject(web.next(listen).strMessage)
            if (e.getString("type") == type && (action == null || e.optString("action") == action)) return e
        }
    }

    @Test
    fun fingerprintThroughThePluginAndAResetClosesAnOpenPrompt() {
        listen = "OneginiSdk-listen"
        assertTrue(plugin.execute("listen", JSONArray(), CallbackContext(listen, web.view)))
        web.next(listen) // NO_RESULT, kept
        ok(invoke("startClient"))
        val reg = invoke("registerUser", JSONObject().put("identityProviderId", JSONObject.NULL))
        ok(invoke("handleRegistrationCallback", JSONObject().put("uri",
            WebLogin.login(event("ONEWELCOME_REGISTRATION_NOTIFICATION").getString("url"), TokenServer.USER, TokenServer.PASSWORD))))
        val pin = "2468097531".take(event("ONEWELCOME_PIN_CREATE_NOTIFICATION", "open").getInt("pinLength"))
        ok(invoke("submitPin", JSONObject().put("flow", "Create").put("pin", pin)))
        val pid = JSONObject(ok(reg)).getJSONObject("userProfile").getString("id")

        val fp = invoke("registerFingerprintAuthenticator", JSONObject().put("profileId", pid))
        event("ONEWELCOME_PIN_AUTHENTICATION_NOTIFICATION", "open")
        ok(invoke("submitPin", JSONObject().put("flow", "Authentication").put("pin", pin)))
        ok(fp)

        fun fingerprint(): String {
            val c = invoke("authenticateUser", JSONObject().put("profileId", pid).put("authenticatorId", "fingerprint"))
            event("ONEWELCOME_FINGERPRINT_NOTIFICATION", "startAuthentication")
            ok(invoke("submitFingerprintAcceptAuthenticationRequest"))
            return c
        }
        assertEquals(pid, JSONObject(ok(fingerprint())).getJSONObject("userProfile").getString("id"))
        prompt.script(Play(end = End.Error(androidx.biometric.BiometricPrompt.ERROR_NEGATIVE_BUTTON)))
        assertEquals(9006, errorCode(fingerprint()))

        // The user never answers; the page reloads.
        prompt.script(Play(end = End.Hold))
        val pending = fingerprint()
        val deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10)
        while (prompt.titles.size < 3) {
            assertTrue(System.nanoTime() < deadline, "no prompt shown")
            Thread.sleep(10)
        }
        val started = System.nanoTime()
        plugin.onReset()
        assertTrue(errorCode(pending) != 0)
        CoreFixture.reset()
        assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(10), "the reset waited for the prompt")
        // The open prompt was cancelled; the reset and the call's own end may both
        // cancel it (harmless for androidx), so one or two cancels of it.
        assertTrue(prompt.cancels.size in 1..2, "cancelled: ${prompt.cancels}")
        assertTrue(prompt.cancels.toSet().size == 1, "cancelled: ${prompt.cancels}")
    }
}
