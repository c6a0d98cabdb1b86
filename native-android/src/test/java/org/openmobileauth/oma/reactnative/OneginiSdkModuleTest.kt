package org.openmobileauth.oma.reactnative

import android.content.ContextWrapper
import com.facebook.react.bridge.BridgeReactContext
import com.facebook.react.bridge.JavaOnlyMap
import com.facebook.react.bridge.JavaScriptModule
import com.facebook.react.bridge.Promise
import com.facebook.react.bridge.ReadableMap
import com.facebook.react.bridge.WritableMap
import com.facebook.react.modules.core.DeviceEventManagerModule
import java.io.File
import java.lang.reflect.Proxy
import java.nio.file.Files
import java.util.concurrent.CopyOnWriteArrayList
import java.util.concurrent.CountDownLatch
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicInteger
import org.json.JSONObject
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNotEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.openmobileauth.oma.android.OmaOptions
import org.openmobileauth.oma.android.PureGoCapabilities
import org.openmobileauth.oma.testing.CoreFixture

/** A Promise that records how it was settled (and how often), also into [order] when given. */
class RecordingPromise(private val order: MutableList<String>? = null, private val label: String = "") : Promise {
    val settled = CountDownLatch(1)
    val settlements = AtomicInteger()
    @Volatile var resolved: Any? = null
    @Volatile var code: String? = null
    @Volatile var message: String? = null
    @Volatile var userInfo: ReadableMap? = null
    @Volatile var thread: Thread? = null

    private fun done() {
        order?.add("settled $label ${code ?: "ok"}")
        thread = Thread.currentThread()
        settlements.incrementAndGet()
        settled.countDown()
    }

    fun await(): RecordingPromise {
        assertTrue(settled.await(10, TimeUnit.SECONDS), "promise not settled")
        return this
    }

    override fun resolve(value: Any?) { resolved = value; done() }

    /** The error object the module passed as userInfo.errorJson. */
    val error: JSONObject get() = JSONObject(userInfo!!.getString(OneginiSdkModule.USER_INFO_ERROR)!!)
    override fun reject(code: String?, message: String?) = record(code, message, null)
    override fun reject(code: String?, throwable: Throwable?) = record(code, throwable?.message, null)
    override fun reject(code: String?, message: String?, throwable: Throwable?) = record(code, message, null)
    override fun reject(throwable: Throwable) = record("EUNSPECIFIED", throwable.message, null)
    override fun reject(throwable: Throwable, userInfo: WritableMap) = record("EUNSPECIFIED", throwable.message, userInfo)
    override fun reject(code: String?, userInfo: WritableMap) = record(code, null, userInfo)
    override fun reject(code: String?, throwable: Throwable?, userInfo: WritableMap) = record(code, throwable?.message, userInfo)
    override fun reject(code: String?, message: String?, userInfo: WritableMap) = record(code, message, userInfo)
    override fun reject(code: String?, message: String?, throwable: Throwable?, userInfo: WritableMap?) =
        record(code, message, userInfo)

    private fun record(code: String?, message: String?, userInfo: WritableMap?) {
        this.code = code; this.message = message; this.userInfo = userInfo; done()
    }
    @Deprecated("React Native deprecated it")
    override fun reject(message: String) = reject("EUNSPECIFIED", message, null, null)
}

/** An Android context with nothing behind it (the module never touches it in these tests). */
class BareContext : ContextWrapper(null) {
    override fun getApplicationContext(): android.content.Context = this
}

/** A real React context whose JS event emitter records what the module emits (the bridge-mode context is deprecated upstream but is the concrete one). */
@Suppress("DEPRECATION")
class RecordingContext : BridgeReactContext(BareContext()) {
    val emits = CopyOnWriteArrayList<Pair<String, Any?>>()
    val emitted = java.util.concurrent.Semaphore(0)

    /** Emits ("event <type>") and, for promises made with it, settlements, in the order they happened. */
    val order = CopyOnWriteArrayList<String>()

    @Suppress("UNCHECKED_CAST")
    override fun <T : JavaScriptModule> getJSModule(jsInterface: Class<T>): T {
        require(jsInterface == DeviceEventManagerModule.RCTDeviceEventEmitter::class.java) { "unexpected JS module $jsInterface" }
        return Proxy.newProxyInstance(jsInterface.classLoader, arrayOf<Class<*>>(jsInterface)) { _, method, args ->
            if (method.name == "emit") {
                val type = runCatching { JSONObject((args[1] as ReadableMap).getString("message")!!).getString("type") }.getOrDefault("?")
                order.add("event $type")
                emits.add(args[0] as String to args[1])
                emitted.release()
            }
            null
        } as T
    }
}

object JavaOnlyMaps : OneginiSdkModule.MapFactory {
    override fun map(): WritableMap = JavaOnlyMap()
}

class OneginiSdkModuleTest {
    private val context = RecordingContext()
    private val module = OneginiSdkModule(context, CoreFixture.options(), JavaOnlyMaps)

    @AfterEach
    fun tearDown() {
        module.invalidate()
        CoreFixture.reset()
    }

    private fun invoke(json: String) = RecordingPromise().also { module.invoke(json, it) }

    @Test
    fun requestResolvesWithTheResultJson() {
        val p = invoke("""{"jsonrpc":"2.0","id":1,"method":"ping"}""").await()
        assertNull(p.code)
        assertEquals(true, JSONObject(p.resolved as String).getBoolean("pong"))
        val v = invoke("""{"jsonrpc":"2.0","id":2,"method":"getVersion"}""").await()
        assertEquals(org.openmobileauth.oma.bridge.Bridge.version(), JSONObject(v.resolved as String).getString("version"))
        assertNotEquals(Thread.currentThread(), p.thread, "settled on the calling thread")
    }

    @Test
    fun errorRejectsWithTheNumericCodeAndTheErrorObject() {
        val p = invoke("""{"jsonrpc":"2.0","id":"a","method":"noSuchMethod"}""").await()
        assertEquals("8011", p.code)
        assertTrue(p.message!!.isNotEmpty())
        assertEquals(8011, p.error.getInt("code"))
        assertEquals(p.message, p.error.getString("message"))
        assertEquals("sdk", p.error.getJSONObject("data").getString("domain"))
        val bad = invoke("""{"jsonrpc":"2.0","id":3,"method":"handleMobileAuthWithOtp","params":{}}""").await()
        assertTrue(bad.code!!.toInt() >= 8000, "want a numeric SDK code, got ${bad.code}")
        assertEquals(1, bad.settlements.get())
    }

    @Test
    fun requestWithoutIdOrNotJsonIsAnsweredByTheCore() {
        // The module does not read requests: the core answers 8009 through the call's reply.
        assertEquals("8009", invoke("""{"jsonrpc":"2.0","method":"ping"}""").await().code)
        val notJson = invoke("not json").await()
        assertEquals("8009", notJson.code)
        assertEquals(1, notJson.settlements.get())
    }

    @Test
    fun eventFromTheCoreReachesTheEmitter() {
        invoke("""{"jsonrpc":"2.0","id":1,"method":"ping"}""").await() // starts the core, attaches the module
        CoreFixture.emitFromGo("ONEWELCOME_PIN_CREATE_NOTIFICATION", """{"action":"open","flow":"Create","profileId":"P1","pinLength":5}""", 3)
        assertTrue(context.emitted.tryAcquire(3, 10, TimeUnit.SECONDS), "events not emitted: ${org.openmobileauth.oma.android.OmaCore.lastListenerError}")
        val (name, body) = context.emits[0]
        assertEquals(OneginiSdkModule.EVENT_NAME, name)
        val params = JSONObject((body as ReadableMap).getString("message")!!)
        assertEquals("ONEWELCOME_PIN_CREATE_NOTIFICATION", params.getString("type"))
        assertEquals(5, params.getInt("pinLength"))
        assertEquals("P1", params.getString("profileId"))
    }

    @Test
    fun eventsEmittedBeforeAResultReachJavaScriptBeforeIt() {
        invoke("""{"jsonrpc":"2.0","id":1,"method":"ping"}""").await() // starts the core, attaches the module
        context.order.clear()
        // Go code does what the core does for a call: events through the start callback, then the call's reply.
        repeat(20) { round ->
            val p = RecordingPromise(context.order, "call$round")
            org.openmobileauth.oma.eventprobe.Eventprobe.emitThenAnswer(
                { e -> org.openmobileauth.oma.android.OmaCore.callback.onEvent(e) }, module.replyFor(p), "PROBE_$round", 3,
            )
            p.await()
        }
        val expected = (0 until 20).flatMap { r -> List(3) { "event PROBE_$r" } + "settled call$r ok" }
        assertEquals(expected, context.order.toList())
    }

    @Test
    fun invalidateSettlesEveryQueuedCallOnceWithoutRestartingTheCore() {
        val release = CoreFixture.blockBridgeThread() // the calls cannot reach Go yet
        val ps = (1..5).map { invoke("""{"jsonrpc":"2.0","id":$it,"method":"ping"}""") }
        module.invalidate()
        release.countDown()
        assertTrue(org.openmobileauth.oma.android.OmaCore.drain(10_000))
        for (p in ps) {
            p.await()
            assertEquals("8020", p.code)
            assertEquals("sdk", p.error.getJSONObject("data").getString("domain"))
            assertEquals(1, p.settlements.get(), "a promise was settled twice")
        }
        assertTrue(!org.openmobileauth.oma.bridge.Bridge.isStarted(), "a call queued before invalidate restarted the core")
        assertEquals("8020", invoke("""{"jsonrpc":"2.0","id":9,"method":"ping"}""").code, "calls after invalidate are refused at once")
    }

    @Test
    fun startFailureRejectsWithItsCode() {
        val notADir = File.createTempFile("oma", ".file")
        val broken = OneginiSdkModule(RecordingContext(), CoreFixture.options(File(notADir, "sub")), JavaOnlyMaps)
        val p = RecordingPromise().also { broken.invoke("""{"jsonrpc":"2.0","id":1,"method":"ping"}""", it) }.await()
        assertEquals("8001", p.code)
        assertTrue(p.message!!.contains("dataDir"), p.message)
        broken.invalidate()
    }

    @Test
    fun badAppConfigurationRejectsWithConfigurationError() {
        val opts = OmaOptions({ Files.createTempDirectory("oma-jvm").toFile() }, { PureGoCapabilities }, "disabled",
            appConfig = { """{"serverUrl":"http://auth.example.com"}""" })
        assertTrue(opts.configJson().contains("\"platform\":\"android\""), opts.configJson())
        val m = OneginiSdkModule(RecordingContext(), opts, JavaOnlyMaps)
        val p = RecordingPromise().also { m.invoke("""{"jsonrpc":"2.0","id":1,"method":"ping"}""", it) }.await()
        assertEquals("8001", p.code)
        assertTrue(p.message!!.contains("serverUrl must use https"), p.message)
        m.invalidate()
    }

    @Test
    fun manyConcurrentInvokesAreAllSettledOnce() {
        val pool = Executors.newFixedThreadPool(4)
        val ps = CopyOnWriteArrayList<Pair<Int, RecordingPromise>>()
        (1..400).map { id ->
            pool.submit { ps.add(id to invoke("""{"jsonrpc":"2.0","id":$id,"method":"${if (id % 4 == 0) "nope" else "ping"}"}""")) }
        }.forEach { it.get(10, TimeUnit.SECONDS) }
        pool.shutdown()
        for ((id, p) in ps) {
            p.await()
            if (id % 4 == 0) assertEquals("8011", p.code) else assertEquals("""{"pong":true}""", p.resolved)
        }
        assertTrue(org.openmobileauth.oma.android.OmaCore.drain(10_000))
        Thread.sleep(100) // a second settlement would arrive from a Go thread
        ps.forEach { (_, p) -> assertEquals(1, p.settlements.get()) }
        assertEquals(400, ps.size)
    }
}
