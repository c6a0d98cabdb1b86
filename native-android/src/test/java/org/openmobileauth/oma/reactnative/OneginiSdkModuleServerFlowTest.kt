package org.openmobileauth.oma.reactnative

import com.facebook.react.bridge.ReadableMap
import java.nio.file.Files
import java.util.concurrent.TimeUnit
import org.json.JSONObject
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.Test
import org.openmobileauth.oma.android.OmaOptions
import org.openmobileauth.oma.testing.CoreFixture
import org.openmobileauth.oma.testing.JvmCapabilities
import org.openmobileauth.oma.testing.TokenServer

/**
 * The React Native module against the real core AND the real Token Server on
 * loopback, with native (JVM) capabilities: client registration goes through the
 * capabilities over JNI, and the registration flow's event reaches the emitter.
 */
class OneginiSdkModuleServerFlowTest {
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

    private val caps = JvmCapabilities()
    private val dataDir = Files.createTempDirectory("oma-jvm").toFile()
    private val context = RecordingContext()
    // The app configuration (what an app ships as the oma-config.json asset) names the server.
    private val module = OneginiSdkModule(
        context,
        OmaOptions({ dataDir }, { caps }, "disabled", appConfig = { """{"serverUrl":"${server.baseUrl}","appId":"${TokenServer.APP_ID}"}""" }),
        JavaOnlyMaps,
    )

    @AfterEach
    fun tearDown() {
        module.invalidate()
        CoreFixture.reset()
    }

    private fun invoke(id: Int, method: String, params: JSONObject = JSONObject()) = RecordingPromise(context.order, method).also {
        module.invoke(JSONObject().put("jsonrpc", "2.0").put("id", id).put("method", method).put("params", params).toString(), it)
    }

    @Test
    fun startClientUsesTheNativeCapabilitiesAndRegistrationEmitsItsEvent() {
        // startClient() without arguments: the app configuration given at start is used.
        val start = invoke(1, "startClient").await()
        assertNull(start.code, "startClient rejected: ${start.code} ${start.message}")
        assertTrue(caps.calls.containsAll(listOf("get", "generateKey", "set")), "capability calls: ${caps.calls}")
        assertTrue(caps.entries.isNotEmpty(), "the client registration was not stored through the native storage")

        val register = invoke(2, "registerUser", JSONObject().put("identityProviderId", JSONObject.NULL))
        assertTrue(context.emitted.tryAcquire(1, 10, TimeUnit.SECONDS), "no registration event")
        val (name, body) = context.emits[0]
        assertEquals(OneginiSdkModule.EVENT_NAME, name)
        val params = JSONObject((body as ReadableMap).getString("message")!!)
        assertEquals("ONEWELCOME_REGISTRATION_NOTIFICATION", params.getString("type"))
        assertTrue(params.getString("url").startsWith(server.baseUrl), "registration url ${params.getString("url")}")

        val cancel = invoke(3, "cancelBrowserRegistration").await()
        assertNull(cancel.code, "cancel rejected: ${cancel.code} ${cancel.message}")
        register.await()
        assertEquals("9006", register.code)
        assertEquals("sdk", register.error.getJSONObject("data").getString("domain"))
        // What JS sees, in order: the flow's event before the flow's rejection.
        val ev = context.order.indexOf("event ONEWELCOME_REGISTRATION_NOTIFICATION")
        val settled = context.order.indexOf("settled registerUser 9006")
        assertTrue(ev in 0 until settled, "delivery order ${context.order}")
    }
}
