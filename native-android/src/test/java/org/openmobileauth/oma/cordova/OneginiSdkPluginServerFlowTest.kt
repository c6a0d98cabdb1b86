package org.openmobileauth.oma.cordova

import java.nio.file.Files
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
import org.openmobileauth.oma.android.OmaOptions
import org.openmobileauth.oma.testing.CoreFixture
import org.openmobileauth.oma.testing.JvmCapabilities
import org.openmobileauth.oma.testing.TokenServer

/**
 * The Cordova plugin against the real core and the real Token Server: one kept
 * `listen` callback receives the events of two registration flows in a row.
 */
class OneginiSdkPluginServerFlowTest {
    companion object {
        private lateinit var server: TokenServer

        @BeforeAll
        @JvmStatic
        fun startServer() {
            server = TokenServer.start()
        }

        @AfterAll
        @JvmStatic
        fun stopServer() {
            server.close()
        }
    }

    private val web = RecordingWebView()
    private val caps = JvmCapabilities()
    private val dataDir = Files.createTempDirectory("oma-jvm").toFile()
    private val plugin = OneginiSdkPlugin(OmaOptions({ dataDir }, { caps }, "disabled")).apply {
        privateInitialize("OneginiSdk", null, web.view, null)
    }
    private var n = 0

    @AfterEach
    fun tearDown() {
        plugin.onDestroy()
        CoreFixture.reset()
    }

    private fun exec(action: String, vararg args: Any): String {
        val id = "OneginiSdk${++n}"
        assertTrue(plugin.execute(action, JSONArray(args.toList()), CallbackContext(id, web.view)))
        return id
    }

    private fun request(id: Int, method: String, params: JSONObject = JSONObject()) =
        JSONObject().put("jsonrpc", "2.0").put("id", id).put("method", method).put("params", params).toString()

    @Test
    fun listenCallbackIsKeptAcrossTwoRegistrationFlows() {
        val listen = exec("listen")
        assertTrue(web.next(listen).keepCallback)
        val start = web.next(exec("invoke", request(1, "startClient", JSONObject().put("serverUrl", server.baseUrl).put("appId", TokenServer.APP_ID))))
        assertEquals(PluginResult.Status.OK.ordinal, start.status, "startClient: ${start.message}")
        assertTrue("generateKey" in caps.calls, "capability calls: ${caps.calls}")

        for (round in 0 until 2) {
            val register = exec("invoke", request(10 + round, "registerUser", JSONObject().put("identityProviderId", JSONObject.NULL)))
            val event = web.next(listen)
            assertEquals(PluginResult.Status.OK.ordinal, event.status)
            assertTrue(event.keepCallback, "the listen callback must be kept (round $round)")
            val params = JSONObject(event.strMessage)
            assertEquals("ONEWELCOME_REGISTRATION_NOTIFICATION", params.getString("type"))
            assertTrue(params.getString("url").startsWith(server.baseUrl))

            val cancel = web.next(exec("invoke", request(20 + round, "cancelBrowserRegistration")))
            assertEquals(PluginResult.Status.OK.ordinal, cancel.status, "cancel: ${cancel.message}")
            val r = web.next(register)
            assertEquals(PluginResult.Status.ERROR.ordinal, r.status)
            val e = JSONObject(r.strMessage)
            assertEquals(9006, e.getInt("code"))
            assertEquals("sdk", e.getJSONObject("data").getString("domain"))
        }
    }
}
