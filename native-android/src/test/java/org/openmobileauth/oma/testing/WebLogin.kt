package org.openmobileauth.oma.testing

import java.net.HttpURLConnection
import java.net.URI
import java.net.URL
import java.net.URLEncoder

/**
 * What a browser does with the registration URL, done with HttpURLConnection:
 * GET the Token Server's login page (keeping its cookies and hidden fields,
 * the CSRF token), POST the user name and password, and return the redirect's
 * Location (the app's redirect URI with the authorization code).
 */
object WebLogin {
    private val input = Regex("""<input\b[^>]*>""", RegexOption.IGNORE_CASE)
    private val attr = Regex("""\b(type|name|value)\s*=\s*("([^"]*)"|'([^']*)'|([^\s>]+))""", RegexOption.IGNORE_CASE)
    private val form = Regex("""<form\b[^>]*\baction\s*=\s*["']([^"']*)["']""", RegexOption.IGNORE_CASE)

    private fun unescape(s: String) = s.replace("&quot;", "\"").replace("&#34;", "\"").replace("&#39;", "'")
        .replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")

    fun login(url: String, username: String, password: String): String {
        val page = (URL(url).openConnection() as HttpURLConnection).apply { instanceFollowRedirects = false }
        check(page.responseCode == 200) { "the login page answered ${page.responseCode}" }
        val html = page.inputStream.bufferedReader().readText()
        val cookies = page.headerFields.entries.filter { it.key.equals("Set-Cookie", ignoreCase = true) }
            .flatMap { it.value }.joinToString("; ") { it.substringBefore(';') }
        val fields = linkedMapOf<String, String>()
        for (tag in input.findAll(html)) {
            val a = attr.findAll(tag.value).associate { m ->
                m.groupValues[1].lowercase() to unescape(m.groupValues.drop(3).firstOrNull { it.isNotEmpty() } ?: "")
            }
            if (a["type"].equals("hidden", ignoreCase = true) && a["name"] != null) fields[a["name"]!!] = a["value"] ?: ""
        }
        fields["username"] = username
        fields["password"] = password
        val action = form.find(html)?.groupValues?.get(1)?.let { URI(url).resolve(unescape(it)).toString() } ?: url
        val body = fields.entries.joinToString("&") { (k, v) -> URLEncoder.encode(k, "UTF-8") + "=" + URLEncoder.encode(v, "UTF-8") }
        val post = (URL(action).openConnection() as HttpURLConnection).apply {
            instanceFollowRedirects = false
            requestMethod = "POST"
            doOutput = true
            setRequestProperty("Content-Type", "application/x-www-form-urlencoded")
            if (cookies.isNotEmpty()) setRequestProperty("Cookie", cookies)
        }
        post.outputStream.use { it.write(body.toByteArray()) }
        val status = post.responseCode
        check(status in 300..399) { "the login form answered $status" }
        val location = post.getHeaderField("Location") ?: error("the login form redirected without a Location")
        return if (Regex("^[a-z][a-z0-9+.-]*:", RegexOption.IGNORE_CASE).containsMatchIn(location)) location else URI(url).resolve(location).toString()
    }
}
