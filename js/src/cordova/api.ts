/**
 * The Cordova flavour, `onegini.*`, in the Onegini Cordova plugin's style: the
 * same core and the same error codes as OneginiSdk, with handler chains for the
 * flows that ask the user something, and both promise and success/failure
 * callback forms.
 */
import { createOneginiSdk, OneginiSdkApi, Subscription } from '../client';
import { OneginiError } from '../errors';
import { CustomRegistration, SdkNotification } from '../events';
import { createCordovaTransport, CordovaExec } from '../transports/cordova';
import type { Config, HttpMethod, ResourceResponse } from '../types';
import { ResourceRequestType } from '../types';
import { authenticatorIdOf, CordovaAuthenticators, createCordovaAuthenticators } from './authenticators';
import { FlowHandler, pluginError, PluginError, withCallbacks } from './flow';
import { CordovaPush, createCordovaPush, PushMobileAuthHandler, PushMobileAuthMethod } from './push';
import {
  pinOf,
  createPinStep,
  fingerprintStep,
  HandlerLookup,
  mobileAuthSteps,
  pinEntryStep,
  quiet,
} from './steps';
import { createSecureXhr } from './xhr';

type Cb<T> = (value: T) => void;
type ErrCb = (err: PluginError) => void;

export type {
  ConfirmationActions,
  CreatePinActions,
  CreatePinOptions,
  FingerprintActions,
  FingerprintRequestOptions,
  MobileAuthFingerprintActions,
  MobileAuthPinActions,
  MobileAuthPinRequest,
  PinActions,
  PinRequestOptions,
} from './steps';
export type { AuthenticatorOptions, CordovaAuthenticator, CordovaAuthenticators } from './authenticators';

export {
  AuthenticationFlow,
  ChangePinFlow,
  OtpFlow,
  RegistrationFlow,
} from './flows';
export type {
  CordovaAuthResult,
  CordovaProfile,
  CordovaRegistrationResult,
  CordovaSingleSignOn,
  CustomRegistrationActions,
  CustomRegistrationOptions,
  RegistrationActions,
} from './flows';
import {
  CordovaProfile,
  CordovaSingleSignOn,
  CordovaAuthResult,
  CordovaRegistrationResult,
  RegistrationActions,
  CustomRegistrationActions,
  CustomRegistrationOptions,
  RegistrationFlow,
  AuthenticationFlow,
  ChangePinFlow,
  OtpFlow,
} from './flows';


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
    register(options?: { identityProviderId?: string | null; id?: string | null; scopes?: string[] } | string[]): RegistrationFlow;
    /**
     * Authenticates a user: a handler chain with onPinRequest (required; called
     * again with `remainingFailureCount` after a wrong PIN), onSuccess({userProfile})
     * and onError (8007 unknown profile, 9003 user deregistered, 9006 cancelled).
     * @example
     * await onegini.user.authenticate({ profileId })
     *   .onPinRequest((actions, options) => askPin(options).then((pin) => actions.providePin(pin)));
     */
    authenticate(
      options: { profileId: string; authenticatorId?: string | null } | string,
      authenticator?: { authenticatorType?: string; authenticatorId?: string } | string,
    ): AuthenticationFlow;
    /**
     * Authenticates the user again (to make sure it is still them): the same
     * handler chain as {@link Onegini.user.authenticate}.
     * @example
     * await onegini.user.reauthenticate({ profileId }).onPinRequest((actions) => actions.providePin(askPin()));
     */
    reauthenticate(
      options: { profileId: string; authenticatorId?: string | null } | string,
      authenticator?: { authenticatorType?: string; authenticatorId?: string } | string,
    ): AuthenticationFlow;
    /**
     * Changes the authenticated user's PIN: onPinRequest for the current PIN
     * (wrong ones count), onCreatePinRequest for the new one; onError with 9010
     * (nobody authenticated), 9003 (removed after the last wrong PIN), 9006 (cancelled).
     * @example
     * await onegini.user.changePin()
     *   .onPinRequest((actions) => actions.providePin(askPin('current PIN')))
     *   .onCreatePinRequest((actions, { pinLength }) => actions.createPin(askPin(`new ${pinLength}-digit PIN`)));
     */
    changePin(): ChangePinFlow;
    /**
     * Checks a PIN against the server's PIN policy (`{pin}` or the PIN): fails
     * with 9011 (blacklisted), 9013 (similar digits), 9014 (wrong length), 9012 (a sequence), 8015 (not digits).
     * @example
     * await onegini.user.validatePinWithPolicy({ pin: '28649' });
     */
    validatePinWithPolicy(options: { pin: string } | string, success?: Cb<void>, failure?: ErrCb): Promise<void>;
    /** The authenticators: getAll, getRegistered, getNotRegistered, getPreferred, setPreferred, registerNew, deregister. */
    authenticators: CordovaAuthenticators;
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
    /**
     * App-to-web single sign-on (`{targetUri}` or the URL): resolves `{redirectUri, token}`,
     * the one-time URL to open in the browser (9010 no authenticated user, 10023 a target
     * the application does not allow-list).
     */
    getAppToWebSingleSignOn(options: { targetUri: string } | string, success?: Cb<CordovaSingleSignOn>, failure?: ErrCb): Promise<CordovaSingleSignOn>;
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
    /**
     * Secure XHR: from now on `XMLHttpRequest` requests to URLs under `url`
     * are sent by the core with the user's access token (as fetch with auth
     * USER); others go through the web view unchanged. `start({secureXhr: true})`
     * does this with the resource base URL.
     * @example
     * onegini.resource.init('https://tokens.example.com/resources');
     */
    init(url: string): void;
    /** Ends secure XHR: `XMLHttpRequest` is the web view's own again. */
    disable(): void;
  };
  /** The older name of {@link Onegini.mobileAuth} (the same members), with `on` = `mobileAuth.push.on`. */
  mobileAuthentication: Onegini['mobileAuth'] & { on(method: PushMobileAuthMethod): PushMobileAuthHandler };
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

/** Splits `(options?, success?, failure?)` where options may be left out. */
function args3(a: unknown, b: unknown, c: unknown): [unknown, unknown, unknown] {
  return typeof a === 'function' ? [undefined, a, b] : [a, b, c];
}

function optionsObject(method: string, o: unknown): Record<string, unknown> {
  if (o === undefined || o === null) return {};
  if (typeof o !== 'object' || Array.isArray(o)) {
    throw pluginError(8009, `${method}: argument "options" must be an object`);
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

  /**
   * Runs a flow with the steps its handlers answer: `steps` subscribes them
   * (with the flow's handler lookup and the failure for a missing handler),
   * `start` calls the core. A missing handler cancels the core's flow; the
   * flow then fails with that 8009 instead of the cancellation's 9006.
   */
  function runFlow<T, F extends FlowHandler<T>>(
    make: (p: Promise<T>) => F,
    steps: (lookup: HandlerLookup, fail: (err: OneginiError, cancel: () => Promise<unknown>) => void) => Subscription[],
    start: () => Promise<T>,
  ): F {
    let subs: Subscription[] = [];
    let flow!: F;
    const run = (async () => {
      let missing: OneginiError | null = null;
      const fail = (err: OneginiError, cancel: () => Promise<unknown>): void => {
        missing ??= err;
        void quiet(cancel());
      };
      const lookup = <A extends unknown[]>(name: string) => flow.handler<A>(name);
      subs = steps(lookup, fail);
      try {
        return await start();
      } catch (err) {
        throw missing ?? err;
      }
    })().finally(() => subs.forEach((s) => s.remove()));
    flow = make(run);
    return flow;
  }

  function register(options?: { identityProviderId?: string | null; id?: string | null; scopes?: string[] } | string[]): RegistrationFlow {
    return runFlow<CordovaRegistrationResult, RegistrationFlow>(
      (p) => new RegistrationFlow(p),
      (lookup, fail) => [
        sdk.addEventListener(SdkNotification.Registration, (e) => {
          const h = lookup<[RegistrationActions, { url: string }]>('onRegistrationRequest');
          if (!h) {
            // As the plugin: without a handler the plugin opens the browser itself.
            // Here through cordova-plugin-inappbrowser (cordova.InAppBrowser.open,
            // target _blank): the first page load under the configured redirect URI
            // completes the registration, closing the browser first cancels it.
            const open = inAppBrowser();
            if (!open) {
              fail(
                new OneginiError(8009, 'user.register: set onRegistrationRequest(...) to answer the registration URL, or install cordova-plugin-inappbrowser so the plugin can open it'),
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
          const cancel = (): Promise<void> => quiet(sdk.cancelBrowserRegistration());
          h(
            {
              handleRegistrationUrl: (url: string | { url: string }) => {
                const u = url !== null && typeof url === 'object' ? url.url : url;
                return quiet(sdk.handleRegistrationCallback(u));
              },
              cancel,
              cancelRegistration: cancel,
            },
            { url: e.url },
          );
        }),
        createPinStep(sdk, 'user.register', lookup, fail),
        sdk.addEventListener(SdkNotification.CustomRegistration, (e) => {
          const idp = e.identityProviderId;
          const opts: CustomRegistrationOptions = { identityProviderId: idp };
          if (e.customInfo) {
            opts.customInfoStatus = e.customInfo.status;
            opts.customInfoData = e.customInfo.data;
          }
          const dataOf = (d: unknown): string | null => {
            const v = d !== null && typeof d === 'object' && !Array.isArray(d) ? (d as { data?: unknown }).data : d;
            if (v === undefined || v === null) return null;
            if (typeof v !== 'string') throw pluginError(8009, 'custom registration: argument "data" must be a string');
            return v;
          };
          const submit = (d: unknown): Promise<void> => {
            try {
              return quiet(sdk.submitCustomRegistrationAction(idp, dataOf(d)));
            } catch (err) {
              return Promise.reject(err);
            }
          };
          const deny = (): Promise<void> => quiet(sdk.cancelCustomRegistration('denied by the user'));
          const actions: CustomRegistrationActions = {
            acceptRegistrationInitRequest: submit,
            denyRegistrationInitRequest: deny,
            acceptRegistrationCompleteRequest: submit,
            denyRegistrationCompleteRequest: deny,
            cancel: deny,
          };
          if (e.action === CustomRegistration.InitRegistration) {
            const h = lookup<[CustomRegistrationActions, CustomRegistrationOptions]>('onCustomRegistrationInitRequest');
            // The init step asks nothing of the user: without a handler it is answered without data.
            if (!h) void submit(null);
            else h(actions, opts);
            return;
          }
          const h = lookup<[CustomRegistrationActions, CustomRegistrationOptions]>('onCustomRegistrationCompleteRequest');
          if (!h) {
            fail(
              new OneginiError(8009, 'user.register: set onCustomRegistrationCompleteRequest(...) to answer the identity provider'),
              () => sdk.cancelCustomRegistration('no handler'),
            );
            return;
          }
          h(actions, opts);
        }),
      ],
      async () => {
        const o = Array.isArray(options) ? { scopes: options } : optionsObject('user.register', options);
        const idp = o.identityProviderId !== undefined ? o.identityProviderId : o.id !== undefined ? o.id : null;
        const r = await sdk.registerUser(idp as string | null, o.scopes as string[] | undefined);
        const out: CordovaRegistrationResult = { userProfile: toCordovaProfile(r.userProfile), profileId: r.userProfile.id };
        if (r.customInfo) out.customInfo = r.customInfo;
        return out;
      },
    );
  }

  function authenticateAs(method: string) {
    return (
      options: { profileId: string; authenticatorId?: string | null } | string,
      authenticator?: { authenticatorType?: string; authenticatorId?: string } | string,
    ): AuthenticationFlow =>
      runFlow<CordovaAuthResult, AuthenticationFlow>(
        (p) => new AuthenticationFlow(p),
        (lookup, fail) => [pinEntryStep(sdk, method, lookup, fail), fingerprintStep(sdk, method, lookup, fail)],
        async () => {
          const o = typeof options === 'string' ? { profileId: options } : optionsObject(method, options);
          let id = (o.authenticatorId as string | null | undefined) ?? null;
          if (authenticator !== undefined && authenticator !== null) id = authenticatorIdOf(method, authenticator);
          const r = await sdk.authenticateUser(o.profileId as string, id);
          return { userProfile: toCordovaProfile(r.userProfile) };
        },
      );
  }

  function changePin(): ChangePinFlow {
    return runFlow<void, ChangePinFlow>(
      (p) => new ChangePinFlow(p),
      (lookup, fail) => [pinEntryStep(sdk, 'user.changePin', lookup, fail), createPinStep(sdk, 'user.changePin', lookup, fail)],
      () => sdk.changePin(),
    );
  }

  function handleOtp(options: { otp: string }): OtpFlow {
    return runFlow<void, OtpFlow>(
      (p) => new OtpFlow(p),
      (lookup, fail) => mobileAuthSteps(sdk, 'mobileAuth.otp.handleRequest', lookup, fail, () => undefined),
      async () => {
        const o = optionsObject('mobileAuth.otp.handleRequest', options);
        await sdk.handleMobileAuthWithOtp(o.otp as string);
      },
    );
  }

  const call = <T>(f: () => Promise<T>, success?: unknown, failure?: unknown): Promise<T> => {
    let p: Promise<T>;
    try {
      p = f();
    } catch (err) {
      p = rejected(err);
    }
    return withCallbacks(p, success, failure);
  };

  let secureXhr: ReturnType<typeof createSecureXhr> | null = null;

  const api: Onegini = {
    start(config?: Config | Cb<void>, success?: Cb<void> | ErrCb, failure?: ErrCb): Promise<void> {
      const [c, s, f] = args3(config, success, failure);
      // secureXhr: the plugin's switch for resource.init with the resource
      // base URL once started (not a core setting).
      let conf = c as (Config & { secureXhr?: unknown }) | undefined;
      let xhr = false;
      if (conf !== null && typeof conf === 'object' && 'secureXhr' in conf) {
        const { secureXhr: x, ...rest } = conf;
        xhr = x === true;
        conf = rest;
      }
      const started = sdk.startClient(conf).then(async () => {
        if (xhr) api.resource.init(await sdk.getResourceBaseUrl());
      });
      return withCallbacks(started, s, f);
    },
    user: {
      register,
      authenticate: authenticateAs('user.authenticate'),
      reauthenticate: authenticateAs('user.reauthenticate'),
      changePin,
      validatePinWithPolicy(options: { pin: string } | string, success?: Cb<void>, failure?: ErrCb): Promise<void> {
        return call(() => sdk.validatePinWithPolicy(pinOf('user.validatePinWithPolicy', options)), success, failure);
      },
      authenticators: createCordovaAuthenticators(sdk),
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
          if (typeof id !== 'string' || id === '') throw pluginError(8009, 'user.isUserRegistered: argument "profileId" must be a non-empty string');
          // The core looks the profile up in this device's storage: it answers
          // 8007 (PROFILE_DOES_NOT_EXIST) for a profile not registered here.
          p = sdk.getAllAuthenticators(id).then(
            () => true,
            (err: unknown) => {
              if (err instanceof OneginiError && err.numericCode === 8007) return false;
              throw err;
            },
          );
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
      getAppToWebSingleSignOn(options: { targetUri: string } | string, success?: Cb<CordovaSingleSignOn>, failure?: ErrCb): Promise<CordovaSingleSignOn> {
        let p: Promise<CordovaSingleSignOn>;
        try {
          const target = typeof options === 'string' ? options : optionsObject('user.getAppToWebSingleSignOn', options).targetUri;
          p = sdk.startSingleSignOn(target as string).then((r) => ({ redirectUri: r.url, token: r.token }));
        } catch (err) {
          p = rejected(err);
        }
        return withCallbacks(p, success, failure);
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
          if (type === null) throw pluginError(8009, 'resource.fetch: argument "auth" must be one of resource.auth.USER, IMPLICIT, ANONYMOUS');
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
      init(url: string): void {
        secureXhr ??= createSecureXhr((o) => api.resource.fetch({ ...o, method: o.method as HttpMethod, auth: RESOURCE_AUTH.USER }));
        secureXhr.init(url);
      },
      disable(): void {
        secureXhr?.disable();
      },
    },
    mobileAuthentication: undefined as unknown as Onegini['mobileAuthentication'],
  };
  api.mobileAuthentication = { ...api.mobileAuth, on: (method: PushMobileAuthMethod) => api.mobileAuth.push.on(method) };
  return api;
}
