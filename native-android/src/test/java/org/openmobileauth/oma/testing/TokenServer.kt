package org.openmobileauth.oma.testing

import java.io.BufferedReader
import java.io.File
import java.io.InputStreamReader
import java.net.HttpURLConnection
import java.net.ServerSocket
import java.net.URL
import java.nio.file.Files
import java.util.concurrent.TimeUnit

/**
 * The real Token Server (cmd/tokenserver, built by scripts/test-native.sh and
 * named by the system property oma.tokenserver) on a free 127.0.0.1 port with a
 * fresh SQLite store, ready when /healthz answers. The store holds one
 * application, [APP_ID], that only the android platform may register with
 * (DESIGN §10), so a registration proves the module reported its platform,
 * and one user, [USER], who can log in on its login page ([WebLogin]).
 */
class TokenServer private constructor(private val process: Process, private val dir: File, val baseUrl: String) : AutoCloseable {
    override fun close() {
        process.destroy()
        if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly()
        dir.deleteRecursively()
    }

    companion object {
        /** The application the tests register as (android only). */
        const val APP_ID = "jvm-android"

        /** The user who logs in on the login page, and the password. */
        const val USER = "jvm-user"
        const val PASSWORD = "jvm-password-7391"

        /** Starts the server; [serveArgs] go to `tokenserver serve` (e.g. --no-rate-limits). */
        fun start(vararg serveArgs: String): TokenServer {
            val bin = System.getProperty("oma.tokenserver")
                ?: error("system property oma.tokenserver (the tokenserver binary) is not set")
            val dir = Files.createTempDirectory("oma-tokenserver").toFile()
            val port = ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress()).use { it.localPort }
            val store = "sqlite:${File(dir, "oma.db")}"
            val app = ProcessBuilder(
                bin, "app", "create", "--store", store, "--id", APP_ID, "--name", "JVM test",
                "--redirect-uri", "oma-app://registration/callback", "--platform", "android",
            ).redirectErrorStream(true).start()
            val appOut = app.inputStream.bufferedReader().readText()
            check(app.waitFor(20, TimeUnit.SECONDS) && app.exitValue() == 0) { "tokenserver app create failed: $appOut" }
            val user = ProcessBuilder(bin, "user", "create", "--store", store, "--username", USER, "--password", PASSWORD)
                .redirectErrorStream(true).start()
            val userOut = user.inputStream.bufferedReader().readText()
            check(user.waitFor(20, TimeUnit.SECONDS) && user.exitValue() == 0) { "tokenserver user create failed: $userOut" }
            val p = ProcessBuilder(
                bin, "serve", "--listen", "127.0.0.1:$port", "--store", store, "--log-level", "warn", *serveArgs,
            ).redirectError(ProcessBuilder.Redirect.INHERIT).start()
            // Drain stdout (the seed banner) so the server never blocks on it.
            Thread({ BufferedReader(InputStreamReader(p.inputStream)).useLines { it.forEach { } } }, "tokenserver-stdout")
                .apply { isDaemon = true }.start()
            val base = "http://127.0.0.1:$port"
            val deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20)
            while (true) {
                check(p.isAlive) { "tokenserver exited with ${p.exitValue()} before it was ready" }
                val ok = runCatching {
                    (URL("$base/healthz").openConnection() as HttpURLConnection).run {
                        connectTimeout = 500
                        readTimeout = 500
                        responseCode == 200
                    }
                }.getOrDefault(false)
                if (ok) return TokenServer(p, dir, base)
                if (System.nanoTime() > deadline) {
                    p.destroyForcibly()
                    error("tokenserver not ready within 20 s")
                }
                Thread.sleep(50)
            }
        }
    }
}
