package org.openmobileauth.oma.jni;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.json.JSONObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import org.openmobileauth.oma.bridge.Bridge;
import org.openmobileauth.oma.bridge.Callback;
import org.openmobileauth.oma.bridge.KeyStore;
import org.openmobileauth.oma.bridge.SecureStorage;
import org.openmobileauth.oma.eventprobe.Eventprobe;

/**
 * The Java API that gobind generates for Android, running over the real JNI glue
 * against the real Go core (built as a linux/amd64 shared library).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BridgeJniTest {
    /** Records every message with the thread it arrived on. */
    static final class Recorder implements Callback {
        final Map<Long, String> responses = new ConcurrentHashMap<>();
        final List<String> events = java.util.Collections.synchronizedList(new ArrayList<>());
        final Set<Long> threadIds = ConcurrentHashMap.newKeySet();
        final AtomicInteger duplicates = new AtomicInteger();
        final List<String> malformed = java.util.Collections.synchronizedList(new ArrayList<>());
        volatile CountDownLatch latch = new CountDownLatch(0);

        @Override
        public void onMessage(String message) {
            threadIds.add(Thread.currentThread().getId());
            try {
                JSONObject m = new JSONObject(message);
                if (m.has("id") && !m.isNull("id")) {
                    if (responses.put(m.getLong("id"), message) != null) {
                        duplicates.incrementAndGet();
                    }
                } else {
                    events.add(message);
                }
            } catch (org.json.JSONException e) {
                malformed.add(message);
            }
            latch.countDown();
        }
    }

    static final Recorder recorder = new Recorder();

    @BeforeAll
    static void start() throws Exception {
        assertFalse(Bridge.isStarted());
        Bridge.start("{\"logLevel\":\"disabled\"}", recorder, null, null);
        assertTrue(Bridge.isStarted());
    }

    @AfterAll
    static void close() throws Exception {
        Bridge.close();
        assertFalse(Bridge.isStarted());
    }

    @Test
    @Order(1)
    void versionAndSyncCall() throws Exception {
        assertFalse(Bridge.version().isEmpty());
        JSONObject r = new JSONObject(Bridge.callSync("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"getVersion\"}"));
        assertEquals(1, r.getInt("id"));
        assertEquals(Bridge.version(), r.getJSONObject("result").getString("version"));
    }

    @Test
    @Order(2)
    void secondStartThrowsWithCode() throws Exception {
        Exception e = assertThrows(Exception.class, () -> Bridge.start("{}", recorder, null, null));
        JSONObject err = new JSONObject(e.getMessage());
        assertEquals(8021, err.getInt("code"));
        assertEquals("sdk", err.getString("domain"));
        assertTrue(Bridge.isStarted(), "a failed second start must leave the first running");
    }

    @Test
    @Order(3)
    void errorsAreEnvelopesWithCodes() throws Exception {
        JSONObject unknown = new JSONObject(Bridge.callSync("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"noSuchMethod\"}"));
        assertEquals(8011, unknown.getJSONObject("error").getInt("code"));
        JSONObject malformed = new JSONObject(Bridge.callSync("{not json"));
        assertEquals(8009, malformed.getJSONObject("error").getInt("code"));
    }

    @Test
    @Order(4)
    void asyncCallAnswersOnAGoThread() throws Exception {
        recorder.latch = new CountDownLatch(1);
        long caller = Thread.currentThread().getId();
        Bridge.call("{\"jsonrpc\":\"2.0\",\"id\":100,\"method\":\"ping\"}");
        assertTrue(recorder.latch.await(10, TimeUnit.SECONDS), "no answer through the callback");
        JSONObject r = new JSONObject(recorder.responses.get(100L));
        assertTrue(r.getJSONObject("result").getBoolean("pong"));
        assertFalse(recorder.threadIds.isEmpty());
        for (long id : recorder.threadIds) {
            assertNotEquals(caller, id, "the callback ran on the calling thread");
        }
    }

    @Test
    @Order(5)
    void manyConcurrentCallsAreEachAnsweredOnce() throws Exception {
        final int threads = 8, perThread = 500, base = 10_000;
        recorder.latch = new CountDownLatch(threads * perThread);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> fs = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            final int start = base + t * perThread;
            fs.add(pool.submit(() -> {
                for (int i = 0; i < perThread; i++) {
                    String method = (i % 10 == 9) ? "noSuchMethod" : "ping";
                    Bridge.call("{\"jsonrpc\":\"2.0\",\"id\":" + (start + i) + ",\"method\":\"" + method + "\"}");
                }
            }));
        }
        for (Future<?> f : fs) f.get(30, TimeUnit.SECONDS);
        pool.shutdown();
        assertTrue(recorder.latch.await(30, TimeUnit.SECONDS), "missing answers: " + recorder.latch.getCount());
        assertEquals(0, recorder.duplicates.get(), "an id was answered twice");
        assertTrue(recorder.malformed.isEmpty(), "malformed envelopes: " + recorder.malformed);
        for (int id = base; id < base + threads * perThread; id++) {
            String msg = recorder.responses.get((long) id);
            assertNotNull(msg, "no answer for id " + id);
            JSONObject r = new JSONObject(msg);
            if ((id - base) % perThread % 10 == 9) {
                assertEquals(8011, r.getJSONObject("error").getInt("code"));
            } else {
                assertTrue(r.getJSONObject("result").getBoolean("pong"));
            }
        }
        assertTrue(recorder.threadIds.size() > 1, "expected callbacks on several Go threads");
    }

    @Test
    @Order(6)
    void eventsFromGoGoroutinesReachJava() throws Exception {
        recorder.events.clear();
        Eventprobe.emit(recorder::onMessage, "ONEWELCOME_PIN_CREATE_NOTIFICATION", "{\"action\":\"open\",\"pinLength\":5}", 20);
        assertEquals(20, recorder.events.size());
        JSONObject e = new JSONObject(recorder.events.get(0));
        assertEquals("event", e.getString("method"));
        assertEquals("ONEWELCOME_PIN_CREATE_NOTIFICATION", e.getJSONObject("params").getString("type"));
        Exception bad = assertThrows(Exception.class, () -> Eventprobe.emit(recorder::onMessage, "x", "[1]", 1));
        assertTrue(bad.getMessage().contains("JSON object"));
    }

    @Test
    @Order(7)
    void closeThenCallAnswersNotStarted() throws Exception {
        Bridge.close();
        assertFalse(Bridge.isStarted());
        JSONObject r = new JSONObject(Bridge.callSync("{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"ping\"}"));
        assertEquals(8020, r.getJSONObject("error").getInt("code"));
        assertEquals(5, r.getInt("id"));
        // Start works again after Close.
        Bridge.start("{\"logLevel\":\"disabled\"}", recorder, null, null);
        assertTrue(Bridge.isStarted());
    }

    /** Java capabilities whose storage fails: Go must see the Java exception as an error. */
    static final class FailingStorage implements SecureStorage {
        final AtomicInteger gets = new AtomicInteger();

        @Override
        public byte[] get(String key) throws Exception {
            gets.incrementAndGet();
            throw new java.io.IOException("storage unavailable");
        }

        @Override
        public void set(String key, byte[] value) throws Exception {
            throw new java.io.IOException("storage unavailable");
        }

        @Override
        public void delete(String key) throws Exception {
            throw new java.io.IOException("storage unavailable");
        }
    }

    static final class UnusedKeys implements KeyStore {
        @Override public byte[] generateKey(String alias) throws Exception { throw new IllegalStateException("not reached"); }
        @Override public byte[] publicKey(String alias) throws Exception { throw new IllegalStateException("not reached"); }
        @Override public byte[] sign(String alias, byte[] digest) throws Exception { throw new IllegalStateException("not reached"); }
        @Override public void deleteKey(String alias) throws Exception { throw new IllegalStateException("not reached"); }
    }

    @Test
    @Order(8)
    void javaCapabilityExceptionsBecomeGoErrors() throws Exception {
        Bridge.close();
        FailingStorage storage = new FailingStorage();
        Bridge.start("{\"logLevel\":\"disabled\"}", recorder, storage, new UnusedKeys());
        JSONObject r = new JSONObject(Bridge.callSync(
            "{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":\"startClient\",\"params\":{\"serverUrl\":\"http://127.0.0.1:1\"}}"));
        assertTrue(storage.gets.get() > 0, "the core never called the Java storage");
        JSONObject err = r.getJSONObject("error");
        assertEquals(8000, err.getInt("code"), r.toString());
        assertFalse(err.getString("message").isEmpty());
        assertTrue(Bridge.isStarted(), "a failing capability must not stop the core");
    }
}
