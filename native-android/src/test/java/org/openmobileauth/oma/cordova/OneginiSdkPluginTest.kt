package org.openmobileauth.oma.cordova

import java.lang.reflect.Proxy
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.CopyOnWriteArrayList
import java.util.concurrent.LinkedBlockingQueue
import java.util.concurrent.TimeUnit
import org.apache.cordova.CallbackContext
import org.apache.cordova.CordovaWebView
import org.apache.cordova.PluginResult
import org.json.JSONArray
import org.json.JSONObject
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.openmobileauth.oma.testing.CoreFixture

/** A CordovaWebView (the real interface) that records every plugin result per callback id. */
class RecordingWebView {
    val results = ConcurrentHashMap<String, LinkedBlockingQueue<PluginResult>>()

    /** Callback id and status of every plugin result, in the order they were sent. */
    val order = CopyOnWriteArrayList<String>()

    private fun queue(id: String) = results.computeIfAbsent(id) { LinkedBlockingQueue() }

    val view: CordovaWebView = Proxy.newProxyInstance(
        CordovaWebView::class.java.classLoader, arrayOf(CordovaWebView::class.java),
    ) { _, method, args ->
        when (method.name) {
            "sendPluginResult" -> {
                order.add("${args[1]} ${(args[0] as PluginResult).status}")
                queue(args[1] as String).add(args[0] as PluginResult)
                null
            }
            "isInitialized" -> true
            else -> if (method.returnType == Boolean::class.javaPrimitiveType) false else null
        }
    } as CordovaWebView

    fun next(id: String): PluginResult {
        val r = queue(id).poll(10, TimeUnit.SECONDS)
        assertNotNull(r, "no plugin result for $id")
        return r!!
    }

    fun none(id: String): Boolean = queue(id).poll(200, TimeUnit.MILLISECONDS) == null
}

class OneginiSdkPluginTest {
    private val web = RecordingWebView()
    private val plugin = OneginiSdkPlugin(CoreFixture.options()).apply {
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

    @Test
    fun invokeSucceedsWithTheResultJsonText() {
        val r = web.next(exec("invoke", """{"jsonrpc":"2.0","id":1,"method":"ping"}"""))
        assertEquals(PluginResult.Status.OK.ordinal, r.status)
        assertEquals(PluginResult.MESSAGE_TYPE_STRING, r.messageType)
        assertEquals(true, JSONObject(r.strMessage).getBoolean("pong"))
        assertFalse(r.keepCallback)
    }

    @Test
    fun invokeErrorCarriesCodeMessageAndDomain() {
        val r = web.next(exec("invoke", """{"jsonrpc":"2.0","id":2,"method":"noSuchMethod"}"""))
        assertEquals(PluginResult.Status.ERROR.ordinal, r.status)
        assertEquals(PluginResult.MESSAGE_TYPE_STRING, r.messageType)
        val e = JSONObject(r.strMessage)
        assertEquals(8011, e.getInt("code"))
        assertEquals("sdk", e.getJSONObject("data").getString("domain"))
        assertTrue(e.getString("message").isNotEmpty())
        val bad = web.next(exec("invoke", "not json"))
        assertEquals(8009, JSONObject(bad.strMessage).getInt("code"))
    }

    @Test
    fun unknownActionIsNotHandled() {
        assertFalse(plugin.execute("nope", JSONArray(), CallbackContext("x", web.view)))
    }

    @Test
    fun listenKeepsItsCallbackForEveryEvent() {
        val listen = exec("listen")
        val first = web.next(listen)
        assertEquals(PluginResult.Status.NO_RESULT.ordinal, first.status)
        assertTrue(first.keepCallback)
        web.next(exec("invoke", """{"jsonrpc":"2.0","id":1,"method":"ping"}""")) // the core runs
        CoreFixture.emitFromGo("ONEWELCOME_MOBILE_AUTH_OTP_NOTIFICATION", """{"action":"startAuthentication","mobileAuthenticationRequest":{"message":"Log in","type":"push","transactionId":"t1","userProfile":{"id":"P1"}}}""")
        CoreFixture.emitFromGo("ONEWELCOME_MOBILE_AUTH_OTP_NOTIFICATION", """{"action":"finishAuthentication"}""")
        val actions = CopyOnWriteArrayList<String>()
        repeat(2) {
            val r = web.next(listen)
            assertEquals(PluginResult.Status.OK.ordinal, r.status)
            assertTrue(r.keepCallback, "the listen callback must be kept")
            val params = JSONObject(r.strMessage)
            assertEquals("ONEWELCOME_MOBILE_AUTH_OTP_NOTIFICATION", params.getString("type"))
            actions.add(params.getString("action"))
        }
        assertEquals(listOf("startAuthentication", "finishAuthentication"), actions)
    }

    @Test
    fun eventsEmittedBeforeAResultReachJavaScriptBeforeIt() {
        val listen = exec("listen")
        web.next(listen)
        web.next(exec("invoke", """{"jsonrpc":"2.0","id":1,"method":"ping"}""")) // the core runs
        web.order.clear()
        val ok = PluginResult.Status.OK.ordinal
        repeat(20) { round ->
            val id = "probe$round"
            org.openmobileauth.oma.eventprobe.Eventprobe.emitThenAnswer(
                { e -> org.openmobileauth.oma.android.OmaCore.callback.onEvent(e) }, plugin.replyFor(CallbackContext(id, web.view)), "PROBE", 3,
            )
        }
        val expected = (0 until 20).flatMap { r -> List(3) { "$listen $ok" } + "probe$r $ok" }
        assertEquals(expected, web.order.toList())
    }

    @Test
    fun resetAnswersQueuedCallbacksOnceWithoutRestartingTheCore() {
        val release = CoreFixture.blockBridgeThread()
        val id = exec("invoke", """{"jsonrpc":"2.0","id":7,"method":"ping"}""")
        plugin.onReset()
        release.countDown()
        assertTrue(org.openmobileauth.oma.android.OmaCore.drain(10_000))
        val r = web.next(id)
        assertEquals(PluginResult.Status.ERROR.ordinal, r.status)
        assertEquals(8020, JSONObject(r.strMessage).getInt("code"))
        assertTrue(web.none(id), "a callback was answered twice")
        assertFalse(org.openmobileauth.oma.bridge.Bridge.isStarted(), "a call queued before the reset restarted the core")
        // The reloaded page's calls work again.
        val again = web.next(exec("invoke", """{"jsonrpc":"2.0","id":8,"method":"ping"}"""))
        assertEquals(PluginResult.Status.OK.ordinal, again.status)
    }
}
