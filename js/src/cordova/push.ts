/**
 * `onegini.mobileAuth.push.*` of the Cordova flavour, after the Onegini Cordova
 * plugin's reference (mobileAuthentication/push/*.md): enroll(pushToken),
 * isUserEnrolled({profileId}), canHandlePushMessage(data) (a synchronous check
 * of the payload's shape), handlePushMessage(data), on(method) returning a
 * PushMobileAuthHandler; plus the pull fallback this project adds
 * (getPendingRequests, handlePendingRequest). The app receives pushes with its
 * own messaging plugin and hands the data over.
 */
import type { OneginiSdkApi } from '../client';
import { OneginiError } from '../errors';
import type { MobileAuthenticationRequest } from '../events';
import type { PendingMobileAuthRequest, PushEnrollParams, PushEnrollResult } from '../generated/contract';
import { FlowHandler, pluginError, PluginError, withCallbacks } from './flow';
import {
  ConfirmationActions,
  MobileAuthFingerprintActions,
  MobileAuthPinActions,
  MobileAuthPinRequest,
  MobileAuthRoute,
  mobileAuthSteps,
  quiet,
  routeOf,
} from './steps';

type Cb<T> = (value: T) => void;
type ErrCb = (err: PluginError) => void;

/** Actions given to `onConfirmationRequest` of a push request: the OTP flow's (accept({matchCode}), deny({reason})). */
export type PushConfirmationActions = ConfirmationActions;

type ConfirmationCb = (actions: PushConfirmationActions, request: MobileAuthenticationRequest) => void;

/** The methods `on` takes, as the Onegini plugin names them. */
export type PushMobileAuthMethod = 'confirmation' | 'pin' | 'fingerprint' | 'fido';
const METHODS: readonly string[] = ['confirmation', 'pin', 'fingerprint', 'fido'];

/**
 * What `onegini.mobileAuth.push.on(method)` returns: the app-wide handlers for
 * push requests (used by handlePushMessage and handlePendingRequest when the
 * flow itself sets none). `confirmation` handles requests of OTP types
 * without user verification, `pin` those whose type requires it (the PIN
 * verified by the server), `fingerprint` those when the biometric is the
 * profile's preferred authenticator (onFingerprintRequest); `fido` requests
 * do not exist on this server (its setter is kept so apps written for the
 * plugin load).
 */
export class PushMobileAuthHandler {
  /** @internal */
  readonly callbacks = new Map<string, (...args: never[]) => unknown>();
  /** @internal */
  constructor(readonly method: PushMobileAuthMethod) {}
  private set(name: string, cb: unknown): this {
    if (typeof cb !== 'function') throw pluginError(8009, `${name}: argument "handler" must be a function`);
    this.callbacks.set(name, cb as (...args: never[]) => unknown);
    return this;
  }
  /** Called with a push request to confirm; answer with `actions.accept()` or `actions.deny()`. */
  onConfirmationRequest(cb: ConfirmationCb): this {
    return this.set('onConfirmationRequest', cb);
  }
  /**
   * Push with PIN: a request whose OTP type requires user verification. Answer
   * with `actions.accept(pin)` or `actions.deny()`; called again with
   * `remainingFailureCount` after a wrong PIN.
   */
  onPinRequest(cb: (actions: MobileAuthPinActions, request: MobileAuthPinRequest) => void): this {
    return this.set('onPinRequest', cb);
  }
  /**
   * Push with fingerprint: a request with user verification when the
   * biometric is the profile's preferred authenticator. Answer with
   * `actions.accept()` (the prompt), `actions.deny()` or `actions.fallbackToPin()`.
   */
  onFingerprintRequest(cb: (actions: MobileAuthFingerprintActions, request: MobileAuthenticationRequest) => void): this {
    return this.set('onFingerprintRequest', cb);
  }
  /** The biometric was recognised. */
  onFingerprintCaptured(cb: () => void): this {
    return this.set('onFingerprintCaptured', cb);
  }
  /** A biometric was not recognised; the prompt goes on. */
  onFingerprintFailed(cb: () => void): this {
    return this.set('onFingerprintFailed', cb);
  }
  /** Push with FIDO (not offered by this server; kept for compatibility). */
  onFidoRequest(cb: (actions: PushConfirmationActions, request: MobileAuthenticationRequest) => void): this {
    return this.set('onFidoRequest', cb);
  }
  /** Called when a push request was accepted and the server has the answer. */
  onSuccess(cb: () => void): this {
    return this.set('onSuccess', cb);
  }
  /** Called when a push request failed (9006 denied, 10013 expired, 9029 already handled, ...). */
  onError(cb: ErrCb): this {
    return this.set('onError', cb);
  }
}

/**
 * One push request being handled: set `onConfirmationRequest` here or app-wide
 * with `on('confirmation')`; `onSuccess`/`onError`; also a promise.
 */
export class PushFlow extends FlowHandler<void> {
  /** Called with the request to confirm; answer with `actions.accept()` or `actions.deny()`. */
  onConfirmationRequest(cb: ConfirmationCb): this {
    return this.set('onConfirmationRequest', cb);
  }
  /** Called for a request that needs the user's PIN: `actions.accept(pin)` or `actions.deny()`. */
  onPinRequest(cb: (actions: MobileAuthPinActions, request: MobileAuthPinRequest) => void): this {
    return this.set('onPinRequest', cb);
  }
}

/** `onegini.mobileAuth.push`. */
export interface CordovaPush {
  /**
   * Registers this device's push token on the authenticated (enrolled) user:
   * a string (FCM on Android, APNs on iOS; pass `{pushToken, provider}` to say
   * which) or `{webPushSubscription}`. Fails with 9021 when the profile is not
   * enrolled for mobile authentication. Resolves `{vapidPublicKey}` when the
   * server sends Web Push (the applicationServerKey to subscribe with).
   * @example
   * await onegini.mobileAuth.push.enroll(fcmToken);
   */
  enroll(pushToken: string | PushEnrollParams, success?: Cb<PushEnrollResult>, failure?: ErrCb): Promise<PushEnrollResult>;
  /** Whether a profile has a push target registered from this device. */
  isUserEnrolled(options: { profileId: string }, success?: Cb<boolean>, failure?: ErrCb): Promise<boolean>;
  /**
   * Whether push data is a mobile authentication request: `og_transaction_id`
   * and `og_profile_id` (strings) at the root or under `content`. Synchronous,
   * as in the Onegini plugin: it checks the shape only.
   */
  canHandlePushMessage(data: unknown): boolean;
  /**
   * Handles received push data: the request is fetched from the server (the
   * push never holds the message) and confirmed through `onConfirmationRequest`
   * of this flow or of `on('confirmation')`; without either it is denied (8009).
   * @example
   * onegini.mobileAuth.push.on('confirmation').onConfirmationRequest((actions, request) =>
   *   confirm(request.message) ? actions.accept() : actions.deny());
   * if (onegini.mobileAuth.push.canHandlePushMessage(data.additionalData))
   *   onegini.mobileAuth.push.handlePushMessage(data.additionalData).catch((err) => alert(err.description));
   */
  handlePushMessage(data: unknown, success?: Cb<void>, failure?: ErrCb): PushFlow;
  /** The open push requests of the enrolled profiles (the pull fallback for lost pushes). */
  getPendingRequests(success?: Cb<PendingMobileAuthRequest[]>, failure?: ErrCb): Promise<PendingMobileAuthRequest[]>;
  /** Handles one request of getPendingRequests as handlePushMessage does. */
  handlePendingRequest(request: PendingMobileAuthRequest, success?: Cb<void>, failure?: ErrCb): PushFlow;
  /** The app-wide handlers for a push method: 'confirmation' (push), 'pin', 'fingerprint', 'fido'. */
  on(method: PushMobileAuthMethod): PushMobileAuthHandler;
}

function pushIds(data: unknown): boolean {
  let d = data;
  if (typeof d === 'string') {
    try {
      d = JSON.parse(d);
    } catch {
      return false;
    }
  }
  const has = (o: unknown): boolean =>
    o !== null &&
    typeof o === 'object' &&
    typeof (o as Record<string, unknown>).og_transaction_id === 'string' &&
    (o as Record<string, string>).og_transaction_id !== '' &&
    typeof (o as Record<string, unknown>).og_profile_id === 'string' &&
    (o as Record<string, string>).og_profile_id !== '';
  return has(d) || (d !== null && typeof d === 'object' && has((d as Record<string, unknown>).content));
}

function safeCall(fn: (() => unknown) | undefined): void {
  if (!fn) return;
  try {
    fn();
  } catch (err) {
    const c = (globalThis as { console?: { error?: (...a: unknown[]) => void } }).console;
    if (c?.error) c.error('onegini: a handler threw', err);
  }
}

/** Builds `onegini.mobileAuth.push` over an OneginiSdk API. */
export function createCordovaPush(sdk: OneginiSdkApi): CordovaPush {
  const handlers = new Map<string, PushMobileAuthHandler>();

  function runFlow(method: string, start: () => Promise<void>, success?: unknown, failure?: unknown): PushFlow {
    let subs: Array<{ remove(): void }> = [];
    let flow!: PushFlow;
    // The app-wide handler object a request goes to: on('pin') for requests
    // that need the PIN, on('confirmation') for the others.
    let route: MobileAuthRoute = 'confirmation';
    const appWide = (): PushMobileAuthHandler | undefined => handlers.get(route) ?? handlers.get('confirmation');
    const run = (async () => {
      let missing: OneginiError | null = null;
      const fail = (err: OneginiError, cancel: () => Promise<unknown>): void => {
        missing ??= new OneginiError(err.numericCode, `${err.message} (on the flow or on mobileAuth.push.on('${route}'))`);
        void quiet(cancel());
      };
      // The flow's own handler, else the app-wide one of on(method) for it
      // (onPinRequest: on('pin'), onFingerprint*: on('fingerprint')), else
      // of on('confirmation').
      const lookup = <A extends unknown[]>(name: string) =>
        flow.handler<A>(name) ??
        ((handlers.get(routeOf(name))?.callbacks.get(name) ?? handlers.get('confirmation')?.callbacks.get(name)) as ((...args: A) => unknown) | undefined);
      subs = mobileAuthSteps(sdk, `mobileAuth.push.${method}`, lookup, fail, (r) => {
        route = r;
      });
      try {
        await start();
      } catch (err) {
        throw missing ?? err;
      }
    })().finally(() => subs.forEach((s) => s.remove()));
    flow = new PushFlow(run);
    flow.then(
      () => safeCall(appWide()?.callbacks.get('onSuccess') as (() => void) | undefined),
      (err: PluginError) => {
        const cb = appWide()?.callbacks.get('onError') as ErrCb | undefined;
        safeCall(cb && (() => cb(err)));
      },
    );
    if (typeof success === 'function') flow.onSuccess(success as () => void);
    if (typeof failure === 'function') flow.onError(failure as ErrCb);
    return flow;
  }

  const call = <T>(f: () => Promise<T>, success?: unknown, failure?: unknown): Promise<T> => {
    let p: Promise<T>;
    try {
      p = f();
    } catch (err) {
      p = Promise.reject(err);
    }
    return withCallbacks(p, success, failure);
  };

  const objectArg = (method: string, name: string, o: unknown): Record<string, unknown> => {
    if (o === null || typeof o !== 'object' || Array.isArray(o)) {
      throw pluginError(8009, `mobileAuth.push.${method}: argument "${name}" must be an object`);
    }
    return o as Record<string, unknown>;
  };

  return {
    enroll(pushToken, success, failure) {
      return call(() => {
        if (typeof pushToken !== 'string') objectArg('enroll', 'pushToken', pushToken);
        return sdk.enrollUserForMobileAuthWithPush(pushToken);
      }, success, failure);
    },
    isUserEnrolled(options, success, failure) {
      return call(
        () => sdk.isUserEnrolledForMobileAuthWithPush(objectArg('isUserEnrolled', 'options', options).profileId as string),
        success,
        failure,
      );
    },
    canHandlePushMessage(data) {
      return pushIds(data);
    },
    handlePushMessage(data, success, failure) {
      return runFlow(
        'handlePushMessage',
        async () => {
          if (!pushIds(data)) {
            throw pluginError(
              10018,
              'mobileAuth.push.handlePushMessage: the data holds no og_transaction_id and og_profile_id (at the root or under "content")',
            );
          }
          await sdk.handleMobileAuthWithPushRequest(data as Record<string, unknown> | string);
        },
        success,
        failure,
      );
    },
    getPendingRequests(success, failure) {
      return call(() => sdk.getPendingMobileAuthWithPushRequests(), success, failure);
    },
    handlePendingRequest(request, success, failure) {
      return runFlow(
        'handlePendingRequest',
        async () => {
          objectArg('handlePendingRequest', 'request', request);
          await sdk.handlePendingMobileAuthWithPushRequest(request);
        },
        success,
        failure,
      );
    },
    on(method) {
      if (typeof method !== 'string' || !METHODS.includes(method)) {
        throw pluginError(8009, `mobileAuth.push.on: method must be one of ${METHODS.join(', ')}`);
      }
      let h = handlers.get(method);
      if (!h) {
        h = new PushMobileAuthHandler(method);
        handlers.set(method, h);
      }
      return h;
    },
  };
}
