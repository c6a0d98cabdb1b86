package org.openmobileauth.oma.android

import android.content.Context
import java.io.File
import org.json.JSONObject

/**
 * How a native module starts the core: the start configuration and the device
 * capabilities. Both are computed lazily on the bridge thread at first use.
 */
class OmaOptions(
    /** The directory where the core keeps files (its configuration "dataDir"). */
    val dataDir: () -> File,
    /** The device capabilities handed to Bridge.start. */
    val capabilities: () -> DeviceCapabilities,
    /** The core's log level ("debug", "info", "warn", "error", "disabled"). */
    val logLevel: String = "warn",
) {
    /** The configuration JSON for Bridge.start. */
    fun configJson(): String =
        JSONObject().put("dataDir", dataDir().absolutePath).put("logLevel", logLevel).toString()

    companion object {
        /** Production options: `<files dir>/oma` and the Android Keystore capabilities. */
        @JvmStatic
        fun forAndroid(context: Context): OmaOptions {
            val app = context.applicationContext ?: context
            return OmaOptions(
                dataDir = { File(app.filesDir, "oma") },
                capabilities = { AndroidDeviceCapabilities(app) },
            )
        }
    }
}
