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
import org.openmobileauth.oma.bridge.Reply;
import org.openmobileauth.oma.bridge.SecureStorage;
import org.openmobileauth.oma.eventprobe.Eventprobe;

/**
 * The Java API that gobind generates for Android, running over the real JNI glue
 * against the real Go core (built as a linux/amd64 shared library).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BridgeJniTest {
    /** Records every event, and every call's answer (by the label of its Reply), with the thread it arrived on. */
    static final class Recorder implements Callback {
        final Map<Long, String> responses = new ConcurrentHashMap<>();
        final List<String> events = java.util.Collections.synchronizedList(new ArrayList<>());
        final Set<Long> threadIds = ConcurrentHashMap.newKeySet();
        final AtomicInteger duplicates = new AtomicInteger();
        final List<String> malformed = java.util.Collections.synchronizedList(new ArrayList<>());
        volatile CountDownLatch latch = new CountDownLatch(0);

        @Override
        public void onEvent(String eventJSON) {
            events.add(eventJSON);
        }

        /** A Reply for call [label]: records {"result":..} or {"error":..} once per label. */
        Reply reply(long label) {
            return new Reply() {
                @Override
                public void onResult(String resultJSON) {
                    record(label, "{\"result\":" + resultJSON + "}");
                }

                @Override
                public void onError(long code, String message, String errorJSON) {
                    try {
                        JSONObject e = new JSONObject(errorJSON);
                        if (e.getLong("code") != code || !e.getString("message").equals(message)) malformed.add(errorJSON);
                    } catch (org.json.JSONException ex) {
                        malformed.add(errorJSON);
                    }
                    record(label, "{\"error\":" + errorJSON + "}");
                }
            };
        }

        private void record(long label, String answer) {
            threadIds.add(Thread.currentThread().getId());
            try {
                new JSONObject(answer);
            } catch (org.json.JSONException e) {
                malformed.add(answer);
            }
            if (responses.put(label, answer) != null) duplicates.incrementAndGet();
            latch.countDown();
        }
    }

    static final Recorder recorder = new Recorder();

    @BeforeAll
    static void start() throws Exception {
        assertFalse(Bridge.isStarted());
        Bridge.start("{\"logLevel\":\"disabled\"}", recorder, null, null, null);
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
        Exception e = assertThrows(Exception.class, () -> Bridge.start("{}", recorder, null, null, null));
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
        Bridge.invoke("{\"jsonrpc\":\"2.0\",\"id\":100,\"method\":\"ping\"}", recorder.reply(100));
        assertTrue(recorder.latch.await(10, TimeUnit.SECONDS), "no answer through the reply");
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
                    Bridge.invoke("{\"jsonrpc\":\"2.0\",\"id\":" + (start + i) + ",\"method\":\"" + method + "\"}", recorder.reply(start + i));
                }
            }));
        }
        for (Future<?> f : fs) f.get(30, TimeUnit.SECONDS);
        pool.shutdown();
        assertTrue(recorder.latch.await(30, TimeUnit.SECONDS), "missing answers: " + recorder.latch.getCount());
        Thread.sleep(100); // a second answer to a reply would arrive from a Go thread
        assertEquals(0, recorder.duplicates.get(), "a reply was answered twice");
        assertTrue(recorder.malformed.isEmpty(), "malformed answers: " + recorder.malformed);
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
        Eventprobe.emit(recorder::onEvent, "ONEWELCOME_PIN_CREATE_NOTIFICATION", "{\"action\":\"open\",\"pinLength\":5}", 20);
        assertEquals(20, recorder.events.size());
        JSONObject e = new JSONObject(recorder.events.get(0));
        assertEquals("ONEWELCOME_PIN_CREATE_NOTIFICATION", e.getString("type"));
        assertEquals(5, e.getInt("pinLength"));
        Exception bad = assertThrows(Exception.class, () -> Eventprobe.emit(recorder::onEvent, "x", "[1]", 1));
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
        recorder.latch = new CountDownLatch(1);
        Bridge.invoke("{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"ping\"}", recorder.reply(6));
        assertTrue(recorder.latch.await(10, TimeUnit.SECONDS), "Invoke before Start must still answer its reply");
        assertEquals(8020, new JSONObject(recorder.responses.get(6L)).getJSONObject("error").getInt("code"));
        // Start works again after Close.
        Bridge.start("{\"logLevel\":\"disabled\"}", recorder, null, null, null);
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
        Bridge.start("{\"logLevel\":\"disabled\"}", recorder, storage, new UnusedKeys(), null);
        JSONObject r = new JSONObject(Bridge.callSync(
            "{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":\"startClient\",\"params\":{\"serverUrl\":\"http://127.0.0.1:1\"}}"));
        assertTrue(storage.gets.get() > 0, "the core never called the Java storage");
        JSONObject err = r.getJSONObject("error");
        assertEquals(8000, err.getInt("code"), r.toString());
        assertFalse(err.getString("message").isEmpty());
        assertTrue(Bridge.isStarted(), "a failing capability must not stop the core");
    }
}
