/**
 * What a browser does with the registration URL, done by an HTTP client: GET the
 * login page (keeping its cookies and hidden form fields), POST the login form
 * with the user's credentials, and return the redirect Location, which is the
 * app's redirect URI carrying the authorization code.
 */

function hiddenFields(html: string): URLSearchParams {
  const form = new URLSearchParams();
  for (const m of html.matchAll(/<input\b[^>]*>/gi)) {
    const tag = m[0];
    if (!/type\s*=\s*["']?hidden/i.test(tag)) continue;
    const name = /name\s*=\s*"([^"]*)"|name\s*=\s*'([^']*)'/i.exec(tag);
    const value = /value\s*=\s*"([^"]*)"|value\s*=\s*'([^']*)'/i.exec(tag);
    const n = name?.[1] ?? name?.[2];
    if (n) form.set(n, decodeEntities(value?.[1] ?? value?.[2] ?? ''));
  }
  return form;
}

function decodeEntities(s: string): string {
  return s
    .replace(/&quot;/g, '"')
    .replace(/&#34;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** The form's action attribute, resolved against the page URL (default: the page itself). */
function formAction(html: string, pageUrl: string): string {
  const m = /<form\b[^>]*\baction\s*=\s*["']([^"']*)["']/i.exec(html);
  return m && m[1] ? new URL(decodeEntities(m[1]), pageUrl).toString() : pageUrl;
}

/** Logs in on the login page at url; resolves with the redirect Location. */
export async function webLogin(url: string, username: string, password: string): Promise<string> {
  const page = await fetch(url, { redirect: 'manual' });
  const html = await page.text();
  // The server sends an authorization error (e.g. invalid_scope) straight back
  // to the app's redirect URI, as a browser would follow it.
  const early = page.status >= 300 && page.status <= 399 ? page.headers.get('location') : null;
  if (early) return /^[a-z][a-z0-9+.-]*:/i.test(early) ? early : new URL(early, url).toString();
  if (page.status !== 200) throw new Error(`the login page answered ${page.status}`);
  const cookies = page.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const form = hiddenFields(html);
  form.set('username', username);
  form.set('password', password);
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (cookies) headers.cookie = cookies;
  const res = await fetch(formAction(html, url), { method: 'POST', body: form.toString(), headers, redirect: 'manual' });
  await res.arrayBuffer();
  if (res.status === 200) throw new Error('the login page refused the username or password');
  if (res.status < 300 || res.status > 399) throw new Error(`the login form answered ${res.status}`);
  const location = res.headers.get('location');
  if (!location) throw new Error('the login form redirected without a Location');
  return /^[a-z][a-z0-9+.-]*:/i.test(location) ? location : new URL(location, url).toString();
}
