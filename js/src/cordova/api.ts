/**
 * The Cordova flavour, `onegini.*`, in the Onegini Cordova plugin's style: the
 * same core and the same error codes as OneginiSdk, with handler chains for the
 * flows that ask the user something, and both promise and success/failure
 * callback forms.
 */
import { createOneginiSdk, OneginiSdkApi } from '../client';
import { OneginiError } from '../errors';
import {
  MobileAuthenticationRequest,
  MobileAuthOtp,
  PinAuthentication,
  PinCreate,
  PinFlow,
  SdkNotification,
} from '../events';
import { createCordovaTransport, CordovaExec } from '../transports/cordova';
import type { Config, HttpMethod, ResourceResponse } from '../types';
import { ResourceRequestType } from '../types';
import { FlowHandler, withCallbacks } from './flow';
import { CordovaPush, createCordovaPush } from './push';

/** A profile as the Cordova flavour reports it (both spellings of the id). */
export interface CordovaProfile {
  id: string;
  profileId: string;
}

/** What registration and authentication resolve to. */
export interface CordovaAuthResult {
  userProfile: CordovaProfile;
}

type Cb<T> = (value: T) => void;
type ErrCb = (err: OneginiError) => void;

/** Actions given to `onRegistrationRequest`. */
export interface RegistrationActions {
  /** Hands the redirect URI the browser ended on to the registration. */
  handleRegistrationUrl(url: string): Promise<void>;
  /** Cancels the registration (it fails with 9006). */
  cancelRegistration(): Promise<void>;
}

/** Actions given to `onCreatePinRequest`. */
export interface CreatePinActions {
  /** Creates the PIN. */
  createPin(pin: string): Promise<void>;
  /** Cancels PIN creation (the flow fails with 9006). */
  cancelFlow(): Promise<void>;
}

/** Options given to `onCreatePinRequest`; `error` is set when the previous PIN was refused. */
export interface CreatePinOptions {
  profileId: string;
  pinLength: number;
  error?: OneginiError;
}

/** Actions given to `onPinRequest`. */
export interface PinActions {
  /** Authenticates with the PIN. */
  providePin(pin: string): Promise<void>;
  /** Cancels the authentication (it fails with 9006). */
  cancelFlow(): Promise<void>;
}

/** Options given to `onPinRequest`; `remainingFailureCount` and `error` after a wrong PIN. */
export interface PinRequestOptions {
  profileId: string;
  remainingFailureCount?: number;
  error?: OneginiError;
}

/** Actions given to `onConfirmationRequest`. */
export interface ConfirmationActions {
  /** Accepts the request; with number matching pass the number the user picked (`{matchCode}`). */
  accept(options?: { matchCode?: string }): Promise<void>;
  /** Denies the request (the flow fails with 9006); `{reason: 'not_me'}`: the user did not start it. */
  deny(options?: { reason?: 'not_me' }): Promise<void>;
}

/** The registration flow's handler chain. */
export class RegistrationFlow extends FlowHandler<CordovaAuthResult> {
  /** Called with the URL to open; answer with `actions.handleRegistrationUrl(redirectUri)`. Required. */
  onRegistrationRequest(cb: (actions: RegistrationActions, options: { url: string }) => void): this {
    return this.set('onRegistrationRequest', cb);
  }
  /** Called when the user must choose a PIN; answer with `actions.createPin(pin)`. Required. */
  onCreatePinRequest(cb: (actions: CreatePinActions, options: CreatePinOptions) => void): this {
    return this.set('onCreatePinRequest', cb);
  }
}

/** The authentication flow's handler chain. */
export class AuthenticationFlow extends FlowHandler<CordovaAuthResult> {
  /** Called when the user must enter the PIN; answer with `actions.providePin(pin)`. Required. */
  onPinRequest(cb: (actions: PinActions, options: PinRequestOptions) => void): this {
    return this.set('onPinRequest', cb);
  }
}

/** The OTP mobile authentication flow's handler chain. */
export class OtpFlow extends FlowHandler<void> {
  /** Called with the request to confirm; answer with `actions.accept()` or `actions.deny()`. Required. */
  onConfirmationRequest(cb: (actions: ConfirmationActions, request: MobileAuthenticationRequest) => void): this {
    return this.set('onConfirmationRequest', cb);
  }
}

/** The `onegini` object of the Cordova plugin. */
export interface Onegini {
  /**
   * Starts the SDK client (see OneginiSdk.startClient). Rejects/fails with 8001
   * (configuration), 9000/9001 (network), 9002 (device deregistered).
   * @example
   * onegini.start({ serverUrl: 'https://tokens.example.com' })
   *   .then(() => console.log('ready'))
   *   .catch((err) => console.error(err.code, err.description));
   * // or: onegini.start(config, () => ready(), (err) => failed(err));
   */
  start(config?: Config, success?: Cb<void>, failure?: ErrCb): Promise<void>;
  start(success?: Cb<void>, failure?: ErrCb): Promise<void>;
  user: {
    /**
     * Registers a user: a handler chain with onRegistrationRequest (required: open
     * the URL, answer with the redirect URI), onCreatePinRequest (required),
     * onSuccess({userProfile}) and onError (9006 cancelled, 9007 in progress, 8020 not started).
     * @example
     * onegini.user.register({ identityProviderId: null })
     *   .onRegistrationRequest((actions, { url }) => openBrowser(url).then((redirect) => actions.handleRegistrationUrl(redirect)))
     *   .onCreatePinRequest((actions, { pinLength, error }) => askPin(pinLength, error).then((pin) => actions.createPin(pin)))
     *   .onSuccess(({ userProfile }) => console.log('registered', userProfile.profileId))
     *   .onError((err) => console.error(err.code, err.description));
     */
    register(options?: { identityProviderId?: string | null; id?: string | null; scopes?: string[] }): RegistrationFlow;
    /**
     * Authenticates a user: a handler chain with onPinRequest (required; called
     * again with `remainingFailureCount` after a wrong PIN), onSuccess({userProfile})
     * and onError (8007 unknown profile, 9003 user deregistered, 9006 cancelled).
     * @example
     * await onegini.user.authenticate({ profileId })
     *   .onPinRequest((actions, options) => askPin(options).then((pin) => actions.providePin(pin)));
     */
    authenticate(options: { profileId: string; authenticatorId?: string | null } | string): AuthenticationFlow;
    /**
     * Whether a profile is registered on this device (the profile id, or `{profileId}`).
     * @example
     * if (await onegini.user.isUserRegistered({ profileId })) { ... }
     */
    isUserRegistered(options: { profileId: string } | string, success?: Cb<boolean>, failure?: ErrCb): Promise<boolean>;
    /** Lists the registered profiles. */
    getUserProfiles(success?: Cb<CordovaProfile[]>, failure?: ErrCb): Promise<CordovaProfile[]>;
    /** The identity providers of this app's application: `[{id, name}]` (pass an id to `register`). */
    getIdentityProviders(success?: Cb<{ id: string; name: string }[]>, failure?: ErrCb): Promise<{ id: string; name: string }[]>;
    /** The authenticated profile (9010 when none). */
    getAuthenticatedUserProfile(success?: Cb<CordovaProfile>, failure?: ErrCb): Promise<CordovaProfile>;
    /** Removes a profile. */
    deregister(options: { profileId: string }, success?: Cb<void>, failure?: ErrCb): Promise<void>;
    /** Logs out. */
    logout(success?: Cb<void>, failure?: ErrCb): Promise<void>;
    /** The authenticated user's access token. */
    getAccessToken(success?: Cb<string>, failure?: ErrCb): Promise<string>;
    /**
     * Authenticates a registered profile without its PIN for implicit resources
     * (`{profileId, scopes?}` or the profile id; only the server's implicit scopes, default read).
     */
    authenticateImplicitly(options: { profileId: string; scopes?: string[] } | string, success?: Cb<void>, failure?: ErrCb): Promise<void>;
    /** The implicitly authenticated profile (9026 when none). */
    getImplicitlyAuthenticatedUserProfile(success?: Cb<CordovaProfile>, failure?: ErrCb): Promise<CordovaProfile>;
  };
  device: {
    /** Authenticates this app instance for anonymous resources (`{scopes?}`; the server's device scopes, default read). */
    authenticate(options?: { scopes?: string[] } | Cb<void>, success?: Cb<void> | ErrCb, failure?: ErrCb): Promise<void>;
  };
  mobileAuth: {
    /**
     * Enrolls this device for mobile authentication (the authenticated user).
     * Fails with 9010 (no authenticated user), 9016 (already enrolled), 9018 (another device).
     * @example
     * await onegini.mobileAuth.enroll();
     */
    enroll(options?: Record<string, never>, success?: Cb<void>, failure?: ErrCb): Promise<void>;
    enroll(success?: Cb<void>, failure?: ErrCb): Promise<void>;
    /**
     * Whether a profile is enrolled on this device (8007 unknown profile).
     * @example
     * if (!(await onegini.mobileAuth.isUserEnrolled({ profileId }))) await onegini.mobileAuth.enroll();
     */
    isUserEnrolled(options: { profileId: string } | string, success?: Cb<boolean>, failure?: ErrCb): Promise<boolean>;
    otp: {
      /**
       * Handles an OTP (from a QR code): a handler chain with onConfirmationRequest
       * (required; without it the request is denied), onSuccess and onError (9006
       * denied, 10018 malformed, 10013 unknown/expired, 9029 already handled, 9021 not enrolled).
       * Also a promise: `await onegini.mobileAuth.otp.handleRequest({otp}).onConfirmationRequest(...)`.
       * @example
       * onegini.mobileAuth.otp.handleRequest({ otp })
       *   .onConfirmationRequest((actions, request) => confirm(request.message) ? actions.accept() : actions.deny())
       *   .onSuccess(() => alert('Logged in'))
       *   .onError((err) => alert(err.description));
       */
      handleRequest(options: { otp: string }): OtpFlow;
    };
    /** Push mobile authentication (see ./push.ts). */
    push: CordovaPush;
  };
  resource: {
    /**
     * Calls a resource with the user's access token (`auth` USER, the default).
     * The URL (or `path`) is a path on the configured server, or the URL string
     * alone for a GET. An object body is sent as JSON. Resolves with
     * `{status, statusText, headers, body, rawBody, json, ok}` for a 2xx answer;
     * any other status rejects with 8005 and the same object as `err.httpResponse`.
     * `auth` IMPLICIT uses the implicitly authenticated user's token (9026 without
     * one), ANONYMOUS (or `anonymous: true`) the device's (10012 without one).
     * @example
     * const res = await onegini.resource.fetch({ url: '/resources/user-id' });
     * console.log(res.json);
     */
    fetch(
      options: CordovaFetchOptions | string,
      success?: Cb<CordovaResourceResponse>,
      failure?: ErrCb,
    ): Promise<CordovaResourceResponse>;
    /** The `auth` values of `fetch`. */
    auth: { readonly USER: 'user'; readonly IMPLICIT: 'implicit'; readonly ANONYMOUS: 'anonymous' };
  };
  /** The older name of {@link Onegini.mobileAuth} (same object). */
  mobileAuthentication: Onegini['mobileAuth'];
}

/** Options of `onegini.resource.fetch`. */
export interface CordovaFetchOptions {
  url?: string;
  path?: string;
  method?: HttpMethod;
  headers?: Record<string, string>;
  body?: string | Record<string, unknown> | unknown[];
  auth?: 'user' | 'implicit' | 'anonymous';
  anonymous?: boolean;
}

/** What `onegini.resource.fetch` resolves to (and a non-2xx error's `httpResponse`). */
export interface CordovaResourceResponse extends ResourceResponse {
  /** The HTTP reason phrase of the status ("" when unknown). */
  statusText: string;
  /** The body as received (text). */
  rawBody: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json?: unknown;
}

const RESOURCE_AUTH = Object.freeze({ USER: 'user', IMPLICIT: 'implicit', ANONYMOUS: 'anonymous' } as const);

const STATUS_TEXT: Readonly<Record<number, string>> = {
  200: 'OK', 201: 'Created', 202: 'Accepted', 204: 'No Content', 301: 'Moved Permanently', 302: 'Found', 304: 'Not Modified',
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 409: 'Conflict',
  410: 'Gone', 415: 'Unsupported Media Type', 422: 'Unprocessable Entity', 429: 'Too Many Requests',
  500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout',
};

function toCordovaResponse(r: ResourceResponse): CordovaResourceResponse {
  const out: CordovaResourceResponse = { ...r, statusText: STATUS_TEXT[r.status] ?? '', rawBody: r.body };
  try {
    out.json = JSON.parse(r.body) as unknown;
  } catch {
    // not JSON: json stays undefined
  }
  return out;
}

/** A profile id given as a string or as `{profileId}`. */
function profileIdOf(method: string, o: unknown): string {
  if (typeof o === 'string') return o;
  return optionsObject(method, o).profileId as string;
}

/** The InAppBrowser of cordova-plugin-inappbrowser, when installed. */
interface InAppBrowserRef {
  addEventListener(type: 'loadstart' | 'exit', cb: (e: { url?: string }) => void): void;
  close(): void;
}
function inAppBrowser(): ((url: string, target: string, options?: string) => InAppBrowserRef) | null {
  const g = globalThis as { cordova?: { InAppBrowser?: { open?: unknown } } };
  const open = g.cordova?.InAppBrowser?.open;
  return typeof open === 'function' ? (open as (url: string, target: string, options?: string) => InAppBrowserRef) : null;
}

function toCordovaProfile(p: { id: string }): CordovaProfile {
  return { id: p.id, profileId: p.id };
}

function quiet(p: Promise<unknown>): Promise<void> {
  // Answers given from handlers settle the flow's own promise; their own
  // rejections (e.g. 8013 after a timeout) must not become unhandled rejections.
  return p.then(
    () => undefined,
    () => undefined,
  );
}

/** Splits `(options?, success?, failure?)` where options may be left out. */
function args3(a: unknown, b: unknown, c: unknown): [unknown, unknown, unknown] {
  return typeof a === 'function' ? [undefined, a, b] : [a, b, c];
}

function optionsObject(method: string, o: unknown): Record<string, unknown> {
  if (o === undefined || o === null) return {};
  if (typeof o !== 'object' || Array.isArray(o)) {
    throw new OneginiError(8009, `${method}: argument "options" must be an object`);
  }
  return o as Record<string, unknown>;
}

function rejected<T>(err: unknown): Promise<T> {
  return Promise.reject(err);
}

/**
 * Creates the `onegini` object over `cordova.exec` (or over any OneginiSdk API,
 * for tests).
 */
export function createOneginiCordova(source: CordovaExec | (() => CordovaExec) | OneginiSdkApi): Onegini {
  const sdk: OneginiSdkApi =
    typeof source === 'function' ? createOneginiSdk(() => createCordovaTransport(source)) : source;

  function register(options?: { identityProviderId?: string | null; id?: string | null; scopes?: string[] }): RegistrationFlow {
    let subs: Array<{ remove(): void }> = [];
    let flow!: RegistrationFlow;
    const run = (async () => {
      const o = optionsObject('user.register', options);
      const idp = o.identityProviderId !== undefined ? o.identityProviderId : o.id !== undefined ? o.id : null;
      // A handler that is missing cancels the flow; the flow then fails with this
      // error instead of the 9006 the cancellation produces.
      let missing: OneginiError | null = null;
      const failFlow = (message: string, cancel: () => Promise<void>): void => {
        missing = new OneginiError(8009, message);
        void quiet(cancel());
      };
      subs = [
        sdk.addEventListener(SdkNotification.Registration, (e) => {
          const h = flow.handler<[RegistrationActions, { url: string }]>('onRegistrationRequest');
          if (!h) {
            // As the plugin: without a handler the plugin opens the browser itself.
            // Here through cordova-plugin-inappbrowser (cordova.InAppBrowser.open,
            // target _blank): the first page load under the configured redirect URI
            // completes the registration, closing the browser first cancels it.
            const open = inAppBrowser();
            if (!open) {
              failFlow(
                'user.register: set onRegistrationRequest(...) to answer the registration URL, or install cordova-plugin-inappbrowser so the plugin can open it',
                () => sdk.cancelBrowserRegistration(),
              );
              return;
            }
            void sdk.getRedirectUri().then(
              (redirectUri) => {
                const ref = open(e.url, '_blank', 'location=yes,clearcache=yes,clearsessioncache=yes');
                let done = false;
                ref.addEventListener('loadstart', (ev) => {
                  if (done || typeof ev.url !== 'string' || !ev.url.startsWith(redirectUri)) return;
                  done = true;
                  ref.close();
                  void quiet(sdk.handleRegistrationCallback(ev.url));
                });
                ref.addEventListener('exit', () => {
                  if (done) return;
                  done = true;
                  void quiet(sdk.cancelBrowserRegistration());
                });
              },
              () => void quiet(sdk.cancelBrowserRegistration()),
            );
            return;
          }
          h(
            {
              handleRegistrationUrl: (url: string) => quiet(sdk.handleRegistrationCallback(url)),
              cancelRegistration: () => quiet(sdk.cancelBrowserRegistration()),
            },
            { url: e.url },
          );
        }),
        sdk.addEventListener(SdkNotification.PinCreate, (e) => {
          if (e.action === PinCreate.Close) return;
          const h = flow.handler<[CreatePinActions, CreatePinOptions]>('onCreatePinRequest');
          if (!h) {
            failFlow('user.register: set onCreatePinRequest(...) to create the PIN', () => sdk.cancelPinCreation());
            return;
          }
          const opts: CreatePinOptions = { profileId: e.profileId ?? '', pinLength: e.pinLength ?? 0 };
          if (e.action === PinCreate.PinNotAllowed) opts.error = new OneginiError(e.errorCode || 8015, e.errorMsg || 'PIN not allowed');
          h(
            {
              createPin: (pin: string) => quiet(sdk.submitPin(PinFlow.Create, pin)),
              cancelFlow: () => quiet(sdk.cancelPinCreation()),
            },
            opts,
          );
        }),
      ];
      try {
        const r = await sdk.registerUser(idp as string | null, o.scopes as string[] | undefined);
        return { userProfile: toCordovaProfile(r.userProfile) };
      } catch (err) {
        throw missing ?? err;
      }
    })().finally(() => subs.forEach((s) => s.remove()));
    flow = new RegistrationFlow(run);
    return flow;
  }

  function authenticate(options: { profileId: string; authenticatorId?: string | null } | string): AuthenticationFlow {
    let sub: { remove(): void } | null = null;
    let flow!: AuthenticationFlow;
    const run = (async () => {
      const o = typeof options === 'string' ? { profileId: options } : optionsObject('user.authenticate', options);
      let missing: OneginiError | null = null;
      sub = sdk.addEventListener(SdkNotification.PinAuth, (e) => {
        if (e.action === PinAuthentication.Close) return;
        const h = flow.handler<[PinActions, PinRequestOptions]>('onPinRequest');
        if (!h) {
          missing = new OneginiError(8009, 'user.authenticate: set onPinRequest(...) to provide the PIN');
          void quiet(sdk.cancelPinAuthentication());
          return;
        }
        const opts: PinRequestOptions = { profileId: e.profileId ?? '' };
        if (e.action === PinAuthentication.IncorrectPin) {
          opts.remainingFailureCount = e.remainingFailureCount;
          opts.error = new OneginiError(8004, 'wrong PIN', 'pin', { remainingFailureCount: e.remainingFailureCount });
        }
        h(
          {
            providePin: (pin: string) => quiet(sdk.submitPin(PinFlow.Authentication, pin)),
            cancelFlow: () => quiet(sdk.cancelPinAuthentication()),
          },
          opts,
        );
      });
      try {
        const r = await sdk.authenticateUser(o.profileId as string, (o.authenticatorId as string | null | undefined) ?? null);
        return { userProfile: toCordovaProfile(r.userProfile) };
      } catch (err) {
        throw missing ?? err;
      }
    })().finally(() => sub?.remove());
    flow = new AuthenticationFlow(run);
    return flow;
  }

  function handleOtp(options: { otp: string }): OtpFlow {
    let sub: { remove(): void } | null = null;
    let flow!: OtpFlow;
    const run = (async () => {
      const o = optionsObject('mobileAuth.otp.handleRequest', options);
      let missing: OneginiError | null = null;
      sub = sdk.addEventListener(SdkNotification.MobileAuthOtp, (e) => {
        if (e.action !== MobileAuthOtp.StartAuthentication) return;
        const h = flow.handler<[ConfirmationActions, MobileAuthenticationRequest]>('onConfirmationRequest');
        if (!h) {
          // Never accept on the user's behalf: without a handler the request is denied.
          missing = new OneginiError(8009, 'mobileAuth.otp.handleRequest: set onConfirmationRequest(...) to answer the request');
          void quiet(sdk.denyMobileAuthConfirmation());
          return;
        }
        h(
          {
            accept: (options?: { matchCode?: string }) => quiet(sdk.acceptMobileAuthConfirmation(options)),
            deny: (options?: { reason?: 'not_me' }) => quiet(sdk.denyMobileAuthConfirmation(options)),
          },
          e.mobileAuthenticationRequest,
        );
      });
      try {
        await sdk.handleMobileAuthWithOtp(o.otp as string);
      } catch (err) {
        throw missing ?? err;
      }
    })().finally(() => sub?.remove());
    flow = new OtpFlow(run);
    return flow;
  }

  const api: Onegini = {
    start(config?: Config | Cb<void>, success?: Cb<void> | ErrCb, failure?: ErrCb): Promise<void> {
      const [c, s, f] = args3(config, success, failure);
      // secureXhr (the plugin's native XMLHttpRequest switch) has no meaning
      // here: every request of the core goes through its own HTTP client.
      let conf = c as (Config & { secureXhr?: unknown }) | undefined;
      if (conf !== null && typeof conf === 'object' && 'secureXhr' in conf) {
        const { secureXhr: _x, ...rest } = conf;
        void _x;
        conf = rest;
      }
      return withCallbacks(sdk.startClient(conf).then(() => undefined), s, f);
    },
    user: {
      register,
      authenticate,
      getUserProfiles(success?: Cb<CordovaProfile[]>, failure?: ErrCb): Promise<CordovaProfile[]> {
        return withCallbacks(
          sdk.getUserProfiles().then((ps) => ps.map(toCordovaProfile)),
          success,
          failure,
        );
      },
      getAuthenticatedUserProfile(success?: Cb<CordovaProfile>, failure?: ErrCb): Promise<CordovaProfile> {
        return withCallbacks(sdk.getAuthenticatedUserProfile().then(toCordovaProfile), success, failure);
      },
      getIdentityProviders(success?: Cb<{ id: string; name: string }[]>, failure?: ErrCb): Promise<{ id: string; name: string }[]> {
        return withCallbacks(sdk.getIdentityProviders(), success, failure);
      },
      deregister(options: { profileId: string }, success?: Cb<void>, failure?: ErrCb): Promise<void> {
        let p: Promise<void>;
        try {
          p = sdk.deregisterUser(optionsObject('user.deregister', options).profileId as string);
        } catch (err) {
          p = rejected(err);
        }
        return withCallbacks(p, success, failure);
      },
      isUserRegistered(options: { profileId: string } | string, success?: Cb<boolean>, failure?: ErrCb): Promise<boolean> {
        let p: Promise<boolean>;
        try {
          const id = profileIdOf('user.isUserRegistered', options);
          if (typeof id !== 'string' || id === '') throw new OneginiError(8009, 'user.isUserRegistered: argument "profileId" must be a non-empty string');
          p = sdk.getUserProfiles().then((ps) => ps.some((x) => x.id === id));
        } catch (err) {
          p = rejected(err);
        }
        return withCallbacks(p, success, failure);
      },
      logout(success?: Cb<void>, failure?: ErrCb): Promise<void> {
        return withCallbacks(sdk.logout(), success, failure);
      },
      getAccessToken(success?: Cb<string>, failure?: ErrCb): Promise<string> {
        return withCallbacks(sdk.getAccessToken(), success, failure);
      },
      authenticateImplicitly(options: { profileId: string; scopes?: string[] } | string, success?: Cb<void>, failure?: ErrCb): Promise<void> {
        let p: Promise<void>;
        try {
          const o = typeof options === 'string' ? { profileId: options } : optionsObject('user.authenticateImplicitly', options);
          p = sdk.authenticateUserImplicitly(o.profileId as string, o.scopes as string[] | undefined);
        } catch (err) {
          p = rejected(err);
        }
        return withCallbacks(p, success, failure);
      },
      getImplicitlyAuthenticatedUserProfile(success?: Cb<CordovaProfile>, failure?: ErrCb): Promise<CordovaProfile> {
        return withCallbacks(sdk.getImplicitlyAuthenticatedUserProfile().then(toCordovaProfile), success, failure);
      },
    },
    device: {
      authenticate(options?: { scopes?: string[] } | Cb<void>, success?: Cb<void> | ErrCb, failure?: ErrCb): Promise<void> {
        const [o, s, f] = args3(options, success, failure);
        let p: Promise<void>;
        try {
          p = sdk.authenticateDeviceForResource(optionsObject('device.authenticate', o).scopes as string[] | undefined);
        } catch (err) {
          p = rejected(err);
        }
        return withCallbacks(p, s as Cb<void> | undefined, f as ErrCb | undefined);
      },
    },
    mobileAuth: {
      enroll(options?: Record<string, never> | Cb<void>, success?: Cb<void> | ErrCb, failure?: ErrCb): Promise<void> {
        const [, s, f] = args3(options, success, failure);
        return withCallbacks(sdk.enrollMobileAuthentication(), s, f);
      },
      isUserEnrolled(options: { profileId: string } | string, success?: Cb<boolean>, failure?: ErrCb): Promise<boolean> {
        let p: Promise<boolean>;
        try {
          p = sdk.isUserEnrolledForMobileAuth(profileIdOf('mobileAuth.isUserEnrolled', options));
        } catch (err) {
          p = rejected(err);
        }
        return withCallbacks(p, success, failure);
      },
      otp: { handleRequest: handleOtp },
      push: createCordovaPush(sdk),
    },
    resource: {
      fetch(
        options: CordovaFetchOptions | string,
        success?: Cb<CordovaResourceResponse>,
        failure?: ErrCb,
      ): Promise<CordovaResourceResponse> {
        let p: Promise<CordovaResourceResponse>;
        try {
          const o = typeof options === 'string' ? { url: options } : (optionsObject('resource.fetch', options) as CordovaFetchOptions);
          const auth = o.anonymous === true ? RESOURCE_AUTH.ANONYMOUS : (o.auth ?? RESOURCE_AUTH.USER);
          const type =
            auth === RESOURCE_AUTH.USER ? ResourceRequestType.User
            : auth === RESOURCE_AUTH.IMPLICIT ? ResourceRequestType.Implicit
            : auth === RESOURCE_AUTH.ANONYMOUS ? ResourceRequestType.Anonymous
            : null;
          if (type === null) throw new OneginiError(8009, 'resource.fetch: argument "auth" must be one of resource.auth.USER, IMPLICIT, ANONYMOUS');
          const headers: Record<string, string> = { ...(o.headers ?? {}) };
          let body = o.body;
          if (body !== undefined && body !== null && typeof body === 'object') {
            body = JSON.stringify(body);
            if (!Object.keys(headers).some((k) => k.toLowerCase() === 'content-type')) headers['Content-Type'] = 'application/json';
          }
          const details: Record<string, unknown> = { method: o.method ?? 'GET', path: o.path ?? o.url };
          if (o.headers !== undefined || Object.keys(headers).length > 0) details.headers = headers;
          if (body !== undefined) details.body = body;
          p = sdk.resourceRequest(type, details as never).then((r) => {
            const res = toCordovaResponse(r);
            if (r.ok) return res;
            const err = new OneginiError(8005, `resource.fetch: HTTP ${r.status} ${res.statusText}`.trim(), 'resource', { httpResponse: res });
            throw Object.assign(err, { httpResponse: res });
          });
        } catch (err) {
          p = rejected(err);
        }
        return withCallbacks(p, success, failure);
      },
      auth: RESOURCE_AUTH,
    },
    mobileAuthentication: undefined as unknown as Onegini['mobileAuth'],
  };
  api.mobileAuthentication = api.mobileAuth;
  return api;
}
