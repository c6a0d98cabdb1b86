/**
 * The handler chain of the Cordova flavour:
 * `flow.onSomething(cb).onSuccess(cb).onError(cb)`, which is also a promise
 * (`await flow`, `flow.then(...)`).
 */
import { OneginiError, toOneginiError } from '../errors';

/**
 * The Onegini Cordova plugin's own code for "no user is authenticated" (its
 * ERROR_CODE_NO_USER_AUTHENTICATED). Its example app routes to the login screen
 * on it right after `onegini.start()` (`err.code == 8005`); the React Native SDK
 * and this core call the same condition 8012 (NoProfileAuthenticated).
 */
export const PLUGIN_NO_USER_AUTHENTICATED = 8005;

/**
 * An error as the `onegini.*` members report it, shaped like the Onegini Cordova
 * plugin's: `code` is a **number** (`err.code === 9003`), `description` the
 * message. It is still an {@link OneginiError} at run time (`instanceof` holds)
 * and keeps `numericCode` (the same number), `domain`, `message` and `data`; only
 * the React Native flavour's string `code` (`'9003'`, SDKError-style) differs.
 */
export type PluginError = Omit<OneginiError, 'code' | 'toJSON'> & {
  /** The error code as a number, as the Onegini Cordova plugin reports it. */
  readonly code: number;
  /** The message, under the plugin's name. */
  readonly description: string;
  /** A plain-object form (for logging or passing across a postMessage). */
  toJSON(): { code: number; numericCode: number; domain: string; message: string; data: Readonly<Record<string, unknown>> };
};

/** Gives an OneginiError the plugin's numeric `code` (in place; idempotent). */
export function asPluginError(e: OneginiError): PluginError {
  Object.defineProperty(e, 'code', { value: e.numericCode, enumerable: true, writable: false, configurable: true });
  return e as unknown as PluginError;
}

/** A new {@link PluginError} (what the `onegini.*` members throw for a bad argument). */
export function pluginError(code: number, message: string, domain?: string, data?: Record<string, unknown>): PluginError {
  return asPluginError(new OneginiError(code, message, domain, data));
}

/**
 * An error as the `onegini.*` members report it ({@link PluginError}): the core's
 * OneginiError with a numeric `code`, and the one condition whose code the
 * Cordova plugin numbers differently (8012 → 8005) renumbered; the core's code
 * stays in `data.sdkCode`.
 */
export function toPluginError(raw: unknown): PluginError {
  const e = toOneginiError(raw);
  if (e.numericCode !== OneginiError.Codes.NO_PROFILE_AUTHENTICATED) return asPluginError(e);
  const out = new OneginiError(PLUGIN_NO_USER_AUTHENTICATED, e.message, e.domain, { ...e.data, sdkCode: e.numericCode });
  if (e.stack) out.stack = e.stack;
  return asPluginError(out);
}

/** A running flow: a chain of handlers and a promise of its result. */
export class FlowHandler<T> implements PromiseLike<T> {
  private readonly handlers = new Map<string, (...args: never[]) => unknown>();
  private readonly successCbs: Array<(value: T) => void> = [];
  private readonly errorCbs: Array<(err: PluginError) => void> = [];
  private readonly promise: Promise<T>;
  private settled = false;

  /** @internal */
  constructor(promise: Promise<T>) {
    this.promise = promise.then(
      (value) => value,
      (err) => {
        throw toPluginError(err);
      },
    );
    // Attaching these marks the promise handled: a flow used only with callbacks
    // never produces an unhandled rejection.
    this.promise.then(
      (value) => {
        this.settled = true;
        for (const cb of this.successCbs) safe(() => cb(value));
      },
      (err: PluginError) => {
        this.settled = true;
        for (const cb of this.errorCbs) safe(() => cb(err));
      },
    );
  }

  /** @internal sets a named handler (the public on* methods call it). */
  protected set(name: string, cb: unknown): this {
    if (typeof cb !== 'function') throw pluginError(8009, `${name}: argument "handler" must be a function`);
    this.handlers.set(name, cb as (...args: never[]) => unknown);
    return this;
  }

  /** @internal the named handler, if set. */
  handler<A extends unknown[]>(name: string): ((...args: A) => unknown) | undefined {
    return this.handlers.get(name) as ((...args: A) => unknown) | undefined;
  }

  /** Called with the result when the flow succeeds. */
  onSuccess(cb: (value: T) => void): this {
    if (typeof cb !== 'function') throw pluginError(8009, 'onSuccess: argument "handler" must be a function');
    if (!this.settled) this.successCbs.push(cb);
    else this.promise.then((v) => safe(() => cb(v)), () => undefined);
    return this;
  }

  /** Called with a {@link PluginError} (numeric `code`) when the flow fails. */
  onError(cb: (err: PluginError) => void): this {
    if (typeof cb !== 'function') throw pluginError(8009, 'onError: argument "handler" must be a function');
    if (!this.settled) this.errorCbs.push(cb);
    else this.promise.then(() => undefined, (e: PluginError) => safe(() => cb(e)));
    return this;
  }

  then<R1 = T, R2 = never>(
    onfulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: PluginError) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return this.promise.then(onfulfilled, onrejected);
  }

  catch<R = never>(onrejected?: ((reason: PluginError) => R | PromiseLike<R>) | null): Promise<T | R> {
    return this.promise.catch(onrejected);
  }

  finally(onfinally?: (() => void) | null): Promise<T> {
    return this.promise.finally(onfinally);
  }
}

function safe(fn: () => void): void {
  try {
    fn();
  } catch (err) {
    const c = (globalThis as { console?: { error?: (...a: unknown[]) => void } }).console;
    if (c?.error) c.error('onegini: a handler threw', err);
  }
}

/** Runs `promise` and reports it to optional success/failure callbacks too (Cordova style). */
export function withCallbacks<T>(
  promise: Promise<T>,
  success?: unknown,
  failure?: unknown,
): Promise<T> {
  const p = promise.then(
    (v) => v,
    (e) => {
      throw toPluginError(e);
    },
  );
  if (typeof success === 'function' || typeof failure === 'function') {
    p.then(
      (v) => {
        if (typeof success === 'function') safe(() => (success as (v: T) => void)(v));
      },
      (e: PluginError) => {
        if (typeof failure === 'function') safe(() => (failure as (e: PluginError) => void)(e));
      },
    );
  }
  return p;
}
