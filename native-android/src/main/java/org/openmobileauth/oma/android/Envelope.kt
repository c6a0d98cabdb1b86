package org.openmobileauth.oma.android

import org.json.JSONException
import org.json.JSONObject

/**
 * The little of the JSON-RPC 2.0 envelope a native module reads: the id (to find
 * the waiting promise or callback), the result's JSON text, the error's code,
 * message and data, and an event's params. Nothing else is interpreted here.
 */
class Envelope private constructor(private val o: JSONObject) {
    /** The id as a map key (numbers and strings kept apart), or null for events. */
    val idKey: String? get() = keyOf(o.opt("id"))

    /** True for an event envelope: no id and method "event". */
    val isEvent: Boolean get() = idKey == null && o.optString("method") == "event"

    /** True when the envelope carries an error object. */
    val isError: Boolean get() = o.optJSONObject("error") != null

    /** The JSON text of "result" ("null" when absent). */
    val resultJson: String get() = jsonText(o.opt("result"))

    /** The JSON text of an event's "params" ("{}" when absent). */
    val paramsJson: String get() = o.optJSONObject("params")?.toString() ?: "{}"

    /** The error code (8000 when missing). */
    val errorCode: Int get() = o.optJSONObject("error")?.optInt("code", INTERNAL) ?: INTERNAL

    /** The error message. */
    val errorMessage: String get() = o.optJSONObject("error")?.optString("message", "") ?: ""

    /** The error's data object ({} when missing); holds "domain" and flow details. */
    val errorData: JSONObject get() = o.optJSONObject("error")?.optJSONObject("data") ?: JSONObject()

    companion object {
        /** Internal error code (a broken envelope). */
        const val INTERNAL = 8000

        /** Bad parameters (a request the module cannot forward). */
        const val BAD_PARAMETERS = 8009

        /** SDK not started (also: the JS instance went away). */
        const val NOT_STARTED = 8020

        /** Parses [text]; null when it is not a JSON object. */
        @JvmStatic
        fun parse(text: String): Envelope? = try {
            Envelope(JSONObject(text))
        } catch (e: JSONException) {
            null
        }

        /** The map key of a request's id, or null when it has none usable. */
        @JvmStatic
        fun requestIdKey(requestJson: String): String? = parse(requestJson)?.idKey

        private fun keyOf(v: Any?): String? = when (v) {
            null, JSONObject.NULL -> null
            is String -> JSONObject.quote(v)
            is Int, is Long -> v.toString()
            is Number -> if (v.toDouble() == Math.floor(v.toDouble()) && !v.toDouble().isInfinite()) v.toLong().toString() else v.toString()
            else -> null
        }

        private fun jsonText(v: Any?): String = when (v) {
            null, JSONObject.NULL -> "null"
            is String -> JSONObject.quote(v)
            else -> v.toString()
        }
    }
}
