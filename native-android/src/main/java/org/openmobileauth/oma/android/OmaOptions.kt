package org.openmobileauth.oma.android

import android.app.Activity
import android.content.Context
import java.io.File
import java.io.FileNotFoundException
import org.json.JSONObject

/**
 * How a native module starts the core: the SDK configuration (DESIGN §11) and the
 * device capabilities. Both are computed lazily on the bridge thread at first use.
 */
class OmaOptions @JvmOverloads constructor(
    /** The directory where the core keeps files (its configuration "dataDir"). */
    val dataDir: () -> File,
    /** The device capabilities handed to Bridge.start. */
    val capabilities: () -> DeviceCapabilities,
    /** The core's log level ("debug", "info", "warn", "error", "disabled"). */
    val logLevel: String = "warn",
    /** The platform the core reports at client registration. */
    val platform: String = "android",
    /**
     * The JSON text of the app's configuration (startClient's defaults: serverUrl,
     * appId, appVersion, redirectUri, pinnedCertSha256), or null when the app ships none.
     */
    val appConfig: () -> String? = { null },
) {
    /** The SDK configuration JSON for Bridge.start; the app configuration goes in verbatim under "app" (the core checks it). */
    fun configJson(): String {
        val base = JSONObject().put("platform", platform).put("dataDir", dataDir().absolutePath).put("logLevel", logLevel).toString()
        val app = appConfig()?.trim()?.takeIf { it.isNotEmpty() } ?: return base
        return base.substring(0, base.length - 1) + ",\"app\":" + app + "}"
    }

    companion object {
        /** The asset holding the app's configuration. */
        const val APP_CONFIG_ASSET = "oma-config.json"

        /**
         * Production options: `<files dir>/oma`, the Android Keystore capabilities
         * (the biometric prompt shows over [activity], the app's current
         * FragmentActivity) and the `oma-config.json` asset.
         */
        @JvmStatic
        @JvmOverloads
        fun forAndroid(context: Context, activity: () -> Activity? = { null }): OmaOptions {
            val app = context.applicationContext ?: context
            return OmaOptions(
                dataDir = { File(app.filesDir, "oma") },
                capabilities = { AndroidDeviceCapabilities(app, activity) },
                appConfig = { readAsset(app, APP_CONFIG_ASSET) },
            )
        }

        /** The text of asset [name], or null when the app has no such asset. */
        @JvmStatic
        fun readAsset(context: Context, name: String): String? = try {
            context.assets.open(name).bufferedReader(Charsets.UTF_8).use { it.readText() }
        } catch (e: FileNotFoundException) {
            null
        }
    }
}
