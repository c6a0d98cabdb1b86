/**
 * `onegini.resource.init(baseUrl)` / `resource.disable()` of the Cordova
 * flavour (the plugin's "secure XHR"): while enabled, `XMLHttpRequest`
 * requests to URLs under `baseUrl` are sent by the core with the user's
 * access token (as `resource.fetch` with auth USER) instead of by the web
 * view; every other request goes through the web view's own XMLHttpRequest
 * untouched. A non-2xx answer is a `load` with its status (the plugin's 8.x
 * behaviour); `error` fires when nothing could be sent (no user
 * authenticated, URL refused, network). `disable()` puts the original back.
 */
import { OneginiError } from '../errors';
import { pluginError } from './flow';

/** What the secure XHR needs of `resource.fetch`. */
export interface XhrFetchResult {
  status: number;
  statusText: string;
  headers: Record<string, string>;
  body: string;
}
export type XhrFetch = (options: { url: string; method: string; headers: Record<string, string>; body?: string }) => Promise<XhrFetchResult>;

type Listener = (this: unknown, ev: { type: string; target: unknown; detail?: unknown }) => void;
type NativeXhrCtor = new () => Record<string, unknown>;

interface Secured {
  method: string;
  url: string;
  requestHeaders: Record<string, string>;
  responseHeaders: Record<string, string>;
  status: number;
  statusText: string;
  responseText: string;
  readyState: number;
}

/** Creates the init/disable pair over a fetch (resource.fetch with auth USER). */
export function createSecureXhr(fetch: XhrFetch): { init(baseUrl: string): void; disable(): void } {
  let original: NativeXhrCtor | null = null;
  let base = '';

  function makeClass(Native: NativeXhrCtor): NativeXhrCtor {
    // Each instance wraps a native one; requests under `base` never reach it.
    return class OneginiXMLHttpRequest {
      private readonly xhr: Record<string, unknown>;
      private secured: Secured | null = null;
      private readonly listeners = new Map<string, Listener[]>();
      onload: Listener | null = null;
      onerror: Listener | null = null;
      onloadend: Listener | null = null;
      onreadystatechange: Listener | null = null;
      responseType = '';

      constructor() {
        this.xhr = new Native();
        for (const name of ['onload', 'onerror', 'onloadend', 'onreadystatechange'] as const) {
          // Handler properties set on this object also serve native requests.
          this.xhr[name] = (ev: unknown) => {
            const h = this[name];
            if (typeof h === 'function') h.call(this, ev as { type: string; target: unknown });
          };
        }
      }

      open(method: string, url: string, ...rest: unknown[]): void {
        if (base !== '' && typeof url === 'string' && (url === base || url.startsWith(base.endsWith('/') ? base : base + '/'))) {
          this.secured = { method: String(method).toUpperCase(), url, requestHeaders: {}, responseHeaders: {}, status: 0, statusText: '', responseText: '', readyState: 1 };
          return;
        }
        this.secured = null;
        (this.xhr.open as (...a: unknown[]) => void)(method, url, ...rest);
      }

      setRequestHeader(name: string, value: string): void {
        if (this.secured) this.secured.requestHeaders[name] = String(value);
        else (this.xhr.setRequestHeader as (n: string, v: string) => void)(name, value);
      }

      send(body?: unknown): void {
        const s = this.secured;
        if (!s) {
          (this.xhr.send as (b?: unknown) => void)(body);
          return;
        }
        const options: { url: string; method: string; headers: Record<string, string>; body?: string } = { url: s.url, method: s.method, headers: s.requestHeaders };
        if (body !== undefined && body !== null) options.body = typeof body === 'string' ? body : JSON.stringify(body);
        fetch(options).then(
          (r) => this.finish(s, r, 'load'),
          (err: OneginiError & { httpResponse?: XhrFetchResult }) => {
            if (err && err.httpResponse) this.finish(s, err.httpResponse, 'load');
            else this.finish(s, null, 'error', err);
          },
        );
      }

      private finish(s: Secured, r: XhrFetchResult | null, type: 'load' | 'error', detail?: unknown): void {
        if (r) {
          s.status = r.status;
          s.statusText = r.statusText;
          s.responseText = r.body;
          s.responseHeaders = {};
          for (const [k, v] of Object.entries(r.headers ?? {})) s.responseHeaders[k.toLowerCase()] = v;
        }
        s.readyState = 4;
        this.emit('readystatechange');
        this.emit(type, detail);
        this.emit('loadend');
      }

      private emit(type: string, detail?: unknown): void {
        const ev = { type, target: this, detail };
        const prop = (this as unknown as Record<string, unknown>)['on' + type];
        if (typeof prop === 'function') (prop as Listener).call(this, ev);
        for (const l of [...(this.listeners.get(type) ?? [])]) l.call(this, ev);
      }

      addEventListener(type: string, listener: Listener): void {
        const list = this.listeners.get(type) ?? [];
        list.push(listener);
        this.listeners.set(type, list);
        (this.xhr.addEventListener as (t: string, l: Listener) => void)(type, (ev) => {
          if (!this.secured) listener.call(this, ev);
        });
      }

      removeEventListener(type: string, listener: Listener): void {
        const list = this.listeners.get(type);
        if (list) this.listeners.set(type, list.filter((l) => l !== listener));
      }

      abort(): void {
        if (!this.secured) (this.xhr.abort as () => void)();
      }

      getResponseHeader(name: string): string | null {
        if (!this.secured) return (this.xhr.getResponseHeader as (n: string) => string | null)(name);
        return this.secured.responseHeaders[String(name).toLowerCase()] ?? null;
      }

      getAllResponseHeaders(): string {
        if (!this.secured) return (this.xhr.getAllResponseHeaders as () => string)();
        return Object.entries(this.secured.responseHeaders)
          .map(([k, v]) => `${k}: ${v}\r\n`)
          .join('');
      }

      get readyState(): number {
        return this.secured ? this.secured.readyState : (this.xhr.readyState as number);
      }
      get status(): number {
        return this.secured ? this.secured.status : (this.xhr.status as number);
      }
      get statusText(): string {
        return this.secured ? this.secured.statusText : (this.xhr.statusText as string);
      }
      get responseText(): string {
        return this.secured ? this.secured.responseText : (this.xhr.responseText as string);
      }
      get response(): unknown {
        if (!this.secured) return this.xhr.response;
        if (this.responseType === 'json') {
          try {
            return JSON.parse(this.secured.responseText) as unknown;
          } catch {
            return null;
          }
        }
        return this.secured.responseText;
      }
    } as unknown as NativeXhrCtor;
  }

  const g = globalThis as { XMLHttpRequest?: NativeXhrCtor };
  return {
    init(baseUrl: string): void {
      if (typeof baseUrl !== 'string' || !/^https?:\/\/[^/]/i.test(baseUrl)) {
        throw pluginError(8009, 'resource.init: argument "url" must be the http(s) URL of the resource server');
      }
      base = baseUrl.replace(/\/+$/, '');
      if (original === null) {
        if (typeof g.XMLHttpRequest !== 'function') return;
        original = g.XMLHttpRequest;
        g.XMLHttpRequest = makeClass(original);
      }
    },
    disable(): void {
      if (original !== null) g.XMLHttpRequest = original;
      original = null;
      base = '';
    },
  };
}
