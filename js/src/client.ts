/**
 * The OneginiSdk promise API over any {@link Transport}: Onegini-style
 * positional wrappers over the generated contract (js/src/generated/contract.ts:
 * method table, params and result types; js/src/validate.ts checks both against
 * the generated schemas), and event delivery by type.
 */
import { badParameter, OneginiError, toOneginiError } from './errors';
import { PinFlow, SdkEvent, SdkEventMap, SdkNotification } from './events';
import type {
  AcceptMobileAuthParams,
  Authenticator,
  DenyMobileAuthParams,
  IdentityProvider,
  MethodName,
  MethodParams,
  MethodResult,
  PendingMobileAuthRequest,
  PushEnrollParams,
  PushEnrollResult,
  SingleSignOnData,
} from './generated/contract';
import type { EventParams, Transport } from './transport';
import type { AuthData, Config, Profile, ResourceResponse, ResourcesDetails } from './types';
import { ResourceRequestType } from './types';
import { validateParams, validateResult } from './validate';

/** What `addEventListener` returns. */
export interface Subscription {
  /** Stops delivering events to this listener. Calling it twice is harmless. */
  remove(): void;
}

/** The OneginiSdk API: every method returns a Promise that rejects with {@link OneginiError}. */
export interface OneginiSdkApi {
  /**
   * Subscribes to one kind of event.
   * @returns a subscription whose `remove()` unsubscribes.
   * @example
   * const sub = OneginiSdk.addEventListener(Events.SdkNotification.PinCreate, (e) => {
   *   if (e.action === Events.PinCreate.Open) showPinScreen(e.pinLength);
   * });
   * // later
   * sub.remove();
   */
  addEventListener(eventType: SdkNotification.PinCreate, callback?: (event: SdkEventMap[SdkNotification.PinCreate]) => void): Subscription;
  addEventListener(eventType: SdkNotification.PinAuth, callback?: (event: SdkEventMap[SdkNotification.PinAuth]) => void): Subscription;
  addEventListener(eventType: SdkNotification.MobileAuthOtp, callback?: (event: SdkEventMap[SdkNotification.MobileAuthOtp]) => void): Subscription;
  addEventListener(eventType: SdkNotification.Registration, callback?: (event: SdkEventMap[SdkNotification.Registration]) => void): Subscription;
  addEventListener(eventType: SdkNotification.Fingerprint, callback?: (event: SdkEventMap[SdkNotification.Fingerprint]) => void): Subscription;
  addEventListener(eventType: SdkNotification.CustomRegistration, callback?: (event: SdkEventMap[SdkNotification.CustomRegistration]) => void): Subscription;
  addEventListener(eventType: SdkNotification, callback?: (event: SdkEvent) => void): Subscription;

  /**
   * Starts the SDK client: loads the configuration, registers this app instance
   * with the server when needed. Call it once before anything else.
   * @param config overrides of the native configuration (see {@link Config}).
   * @returns resolves when the client is ready.
   * @throws 8001 bad configuration, 8009 wrong argument types, 8021 already started,
   *   9000/9001 network, 9002 device deregistered.
   * @example
   * await OneginiSdk.startClient({ serverUrl: 'https://tokens.example.com' });
   */
  startClient(config?: Config): Promise<string | null>;

  /**
   * Registers a new user. Emits {@link SdkNotification.Registration} with the URL to
   * open in a browser (answer with {@link handleRegistrationCallback}), then
   * {@link SdkNotification.PinCreate} `open` (answer with `submitPin(PinFlow.Create, pin)`).
   * @param identityProviderId the identity provider, or null for the server's default.
   * @param scopes the scopes to request (default: none beyond the server's defaults).
   * @returns resolves with the new profile once the PIN is created: `{userProfile: {id}}`.
   * @throws 8009 wrong arguments, 9006 cancelled, 9007 a registration is already running,
   *   8020 not started, 9000/9001 network.
   * @example
   * const { userProfile } = await OneginiSdk.registerUser(null, ['read']);
   */
  // eslint-disable-next-line @typescript-eslint/no-wrapper-object-types
  registerUser(identityProviderId: string | null, scopes?: String[]): Promise<AuthData>;

  /**
   * Hands the redirect URI the browser ended on (the app's redirect scheme) to the
   * running registration.
   * @returns resolves when the callback was accepted; the registration promise goes on.
   * @throws 8009 missing uri, 8014 no registration waits for a callback.
   * @example
   * Linking.addEventListener('url', ({ url }) => OneginiSdk.handleRegistrationCallback(url));
   */
  handleRegistrationCallback(uri: string): Promise<void>;

  /**
   * Cancels a registration waiting for its browser callback; `registerUser` rejects with 9006.
   * @throws 8014 no registration waits.
   * @example
   * await OneginiSdk.cancelBrowserRegistration();
   */
  cancelBrowserRegistration(): Promise<void>;

  /**
   * The identity providers of this app's application: the browser one and the
   * custom-registration ones (pass an `id` to `registerUser`).
   * @example
   * const idps = await OneginiSdk.getIdentityProviders(); // [{id: 'browser', name: 'Browser'}, ...]
   */
  getIdentityProviders(): Promise<IdentityProvider[]>;

  /**
   * Answers a {@link SdkNotification.CustomRegistration} event of a custom
   * registration: at `initRegistration` a token for the backend's init step (or
   * null), at `finishRegistration` the user's input (e.g. the code from a letter).
   * @throws 8009 missing identityProviderId or not the running registration's, 8014 nothing waits.
   * @example
   * await OneginiSdk.submitCustomRegistrationAction(e.identityProviderId, code);
   */
  submitCustomRegistrationAction(identityProviderId: string, token: string | null): Promise<void>;

  /**
   * Cancels the custom registration waiting for an action; `registerUser` rejects with 9006.
   * @throws 8014 nothing waits.
   */
  cancelCustomRegistration(message: string): Promise<void>;

  /**
   * Answers a PIN event: creates the PIN (`PinFlow.Create`) or authenticates with it
   * (`PinFlow.Authentication`).
   * @returns resolves when the PIN was handed over; the outcome arrives as events and
   *   through the promise of the flow that asked.
   * @throws 8009 wrong flow or empty pin, 8014 no such PIN request waiting.
   * @example
   * await OneginiSdk.submitPin(Events.PinFlow.Create, '24680');
   */
  submitPin(flow: PinFlow | 'Create' | 'Authentication', pin: string): Promise<void>;

  /**
   * Cancels the PIN creation that is waiting; the registration rejects with 9006.
   * @throws 8014 no PIN creation waiting.
   * @example
   * await OneginiSdk.cancelPinCreation();
   */
  cancelPinCreation(): Promise<void>;

  /**
   * Cancels the PIN entry that is waiting; the authentication rejects with 9006.
   * @throws 8014 no PIN entry waiting.
   * @example
   * await OneginiSdk.cancelPinAuthentication();
   */
  cancelPinAuthentication(): Promise<void>;

  /**
   * Authenticates a registered user. Emits {@link SdkNotification.PinAuth} `open`
   * (answer with `submitPin(PinFlow.Authentication, pin)`).
   * @param profileId the profile to authenticate.
   * @param authenticatorId the authenticator (`'PIN'` or a {@link Types.BiometricAuthenticatorIds} value),
   *   or null for the preferred one. Required as in the official SDK's type; an app in plain
   *   JavaScript that leaves it out gets the preferred one.
   * @returns resolves with `{userProfile: {id}}`.
   * @throws 8007 unknown profile, 8004 wrong PIN (after the attempts the server allows),
   *   9003 user deregistered, 9006 cancelled, 9000/9001 network.
   * @example
   * await OneginiSdk.authenticateUser(profile.id, null);
   */
  authenticateUser(profileId: string, authenticatorId: string | null): Promise<AuthData>;

  /**
   * Logs the authenticated user out (revokes the session's tokens).
   * @throws 9010 no authenticated user.
   * @example
   * await OneginiSdk.logout();
   */
  logout(): Promise<void>;

  /**
   * Removes a profile from this device and the server.
   * @throws 8007 unknown profile, 8009 missing profileId.
   * @example
   * await OneginiSdk.deregisterUser(profile.id);
   */
  deregisterUser(profileId: string): Promise<void>;

  /**
   * Lists the profiles registered on this device.
   * @returns resolves with `[{id}]` (empty when there is none).
   * @example
   * const profiles = await OneginiSdk.getUserProfiles();
   */
  getUserProfiles(): Promise<Profile[]>;

  /**
   * The profile currently authenticated.
   * @returns resolves with `{id}`.
   * @throws 9010 no authenticated user.
   * @example
   * const { id } = await OneginiSdk.getAuthenticatedUserProfile();
   */
  getAuthenticatedUserProfile(): Promise<Profile>;

  /**
   * Enrolls this device for mobile authentication for the authenticated user
   * (generates a device key in the key store and has the server certify it).
   * @throws 9010 no authenticated user, 9016 already enrolled, 9017 not available,
   *   9018 enrolled on another device (single-device policy), 9000/9001 network.
   * @example
   * await OneginiSdk.enrollMobileAuthentication();
   */
  enrollMobileAuthentication(): Promise<void>;

  /**
   * Tells whether a profile is enrolled for mobile authentication on this device.
   * @returns resolves with true or false.
   * @throws 8007 unknown profile, 8009 missing profileId.
   * @example
   * if (!(await OneginiSdk.isUserEnrolledForMobileAuth(id))) await OneginiSdk.enrollMobileAuthentication();
   */
  isUserEnrolledForMobileAuth(profileId: string): Promise<boolean>;

  /**
   * Handles a mobile authentication OTP (from a QR code). Emits
   * {@link SdkNotification.MobileAuthOtp} `startAuthentication` with the request to
   * show; answer with {@link acceptMobileAuthConfirmation} or
   * {@link denyMobileAuthConfirmation}. Settles when the whole flow ends.
   * @returns resolves after an accepted answer reached the server.
   * @throws 9006 denied or cancelled, 10018 malformed OTP, 10013 unknown or expired
   *   request, 9029 already handled, 9021 not enrolled, 9007 another request in progress.
   * @example
   * const sub = OneginiSdk.addEventListener(Events.SdkNotification.MobileAuthOtp, (e) => {
   *   if (e.action === Events.MobileAuthOtp.StartAuthentication) OneginiSdk.acceptMobileAuthConfirmation();
   * });
   * await OneginiSdk.handleMobileAuthWithOtp(otpFromQrCode);
   */
  handleMobileAuthWithOtp(otp: string): Promise<void>;

  /**
   * Accepts the mobile authentication request shown to the user. With number
   * matching (the request has `matchCandidates`) pass the number the user
   * picked; a wrong pick denies the request (handleMobileAuthWithOtp rejects
   * 9006). When the request says `userVerification: 'required'` accepting
   * asks for the PIN (`ONEWELCOME_PIN_AUTHENTICATION_NOTIFICATION` open,
   * answered with submitPin).
   * @returns resolves when the answer was handed over (handleMobileAuthWithOtp settles the flow).
   * @throws 8013 no mobile authentication waiting, 8009 matchCode missing or not a candidate.
   * @example
   * await OneginiSdk.acceptMobileAuthConfirmation({ matchCode: pickedNumber });
   */
  acceptMobileAuthConfirmation(options?: AcceptMobileAuthParams): Promise<void>;

  /**
   * Denies the mobile authentication request shown to the user;
   * handleMobileAuthWithOtp rejects with 9006. `{reason: 'not_me'}` reports
   * that the user did not start the request ("this wasn't me"): the relying
   * party is told and the server suspends requests for that user.
   * @throws 8013 no mobile authentication waiting.
   * @example
   * await OneginiSdk.denyMobileAuthConfirmation({ reason: 'not_me' });
   */
  denyMobileAuthConfirmation(options?: DenyMobileAuthParams): Promise<void>;

  /**
   * The authenticated user's access token.
   * @returns resolves with the token string (treat it as a secret).
   * @throws 9010 no authenticated user.
   * @example
   * const token = await OneginiSdk.getAccessToken();
   */
  getAccessToken(): Promise<string>;

  /**
   * The redirect URI of the client's configuration (the URI registration ends on).
   * @throws 8020 not started.
   * @example
   * const redirectUri = await OneginiSdk.getRedirectUri();
   */
  getRedirectUri(): Promise<string>;

  /**
   * Registers this device's push target on an enrolled profile (push mobile
   * authentication): an FCM or APNs token (`provider` defaults to apns on iOS,
   * fcm elsewhere), or a Web Push subscription (`subscription.toJSON()`, e.g.
   * from a UnifiedPush distributor). Call again when the token changes.
   * @example
   * await OneginiSdk.enrollUserForMobileAuthWithPush(fcmToken);
   * await OneginiSdk.enrollUserForMobileAuthWithPush({ webPushSubscription: sub.toJSON() });
   * Resolves `{vapidPublicKey}` when the server sends Web Push: the
   * applicationServerKey to (re)subscribe with, then enroll that subscription.
   */
  enrollUserForMobileAuthWithPush(target: string | PushEnrollParams): Promise<PushEnrollResult>;

  /** Whether a profile has a push target registered from this device. */
  isUserEnrolledForMobileAuthWithPush(profileId: string): Promise<boolean>;

  /**
   * Whether a received push's data is a mobile authentication request for a
   * profile enrolled here (og_transaction_id, og_profile_id at the root or under `content`).
   */
  canHandlePushMessage(data: Record<string, unknown> | string): Promise<boolean>;

  /**
   * Handles a received push: the same confirmation flow as an OTP (mobile auth
   * events, accept or deny); resolves when it ends, rejects with 9006 after a deny.
   */
  handleMobileAuthWithPushRequest(data: Record<string, unknown> | string): Promise<void>;

  /** The open push requests of the enrolled profiles (the pull fallback). */
  getPendingMobileAuthWithPushRequests(): Promise<PendingMobileAuthRequest[]>;

  /** Handles one request of getPendingMobileAuthWithPushRequests. */
  handlePendingMobileAuthWithPushRequest(request: PendingMobileAuthRequest): Promise<void>;

  /**
   * Calls a resource with the token of `type`: `User` (the authenticated user's),
   * `ImplicitUser` (after authenticateUserImplicitly) or `Anonymous` (after
   * authenticateDeviceForResource). `path` is a URL under getResourceBaseUrl()
   * (as the official apps pass `baseUrl + path`) or a path on the configured server;
   * any other URL is refused with 8005 and nothing is sent.
   * @returns resolves with `{ok, status, headers, body}` whatever the status.
   * @throws 8005 URL outside the resource base, 8009 bad details, 8012/9010 no authenticated user,
   * 9026 not authenticated implicitly, 10012 device not authenticated, 9000/9001 network.
   * @example
   * const base = await OneginiSdk.getResourceBaseUrl();
   * const res = await OneginiSdk.resourceRequest(Types.ResourceRequestType.User, { method: Types.ResourceMethod.GET, path: base + '/profile' });
   */
  resourceRequest(type: ResourceRequestType, details: ResourcesDetails): Promise<ResourceResponse>;

  /** The authenticators this device offers for a profile (PIN, and the biometric when enrolled). */
  getAllAuthenticators(profileId: string): Promise<Authenticator[]>;
  /** The authenticators registered for a profile. */
  getRegisteredAuthenticators(profileId: string): Promise<Authenticator[]>;
  /**
   * Registers an authenticator (a BiometricAuthenticatorIds value) for the
   * authenticated profile; asks for the PIN first ({@link SdkNotification.PinAuth} events).
   * @throws 10006 not offered here, 9030 no usable biometric, 9006 cancelled.
   */
  registerAuthenticator(authenticatorId: string): Promise<void>;
  /** Removes an authenticator of the authenticated profile (not the PIN). */
  deregisterAuthenticator(authenticatorId: string): Promise<void>;
  /** The authenticator `authenticateUser(profileId, null)` uses. */
  setPreferredAuthenticator(authenticatorId: string): Promise<void>;
  /** Registers the biometric authenticator for the authenticated profile (asks for the PIN first). */
  registerFingerprintAuthenticator(profileId: string): Promise<void>;
  /** Removes the biometric authenticator of the authenticated profile. */
  deregisterFingerprintAuthenticator(profileId: string): Promise<void>;
  /**
   * Answers {@link SdkNotification.Fingerprint} `startAuthentication`: show the
   * biometric prompt. authenticateUser then resolves, or rejects with 9006
   * (prompt cancelled), 9030 (locked out) or 9022 (the enrolled biometrics
   * changed: the authenticator was removed; use the PIN and register again).
   */
  submitFingerprintAcceptAuthenticationRequest(): Promise<void>;
  /** Answers `startAuthentication`: no biometric; authenticateUser rejects with 9006. */
  submitFingerprintDenyAuthenticationRequest(): Promise<void>;
  /** Answers `startAuthentication`: use the PIN instead (PIN authentication events follow). */
  submitFingerprintFallbackToPin(): Promise<void>;
  /**
   * Changes the authenticated profile's PIN: {@link SdkNotification.PinAuth}
   * events for the current PIN (wrong ones count), then {@link SdkNotification.PinCreate}
   * events for the new one (`pinNotAllowed` with its code when refused).
   */
  changePin(): Promise<void>;
  /** Checks a PIN against the policy: rejects 9011 blacklisted, 9012 sequence, 9013 similar digits, 9014 wrong length, 8015 not digits. */
  validatePinWithPolicy(pin: string): Promise<void>;

  /** The resource base URL (the configured server's `/resources`). */
  getResourceBaseUrl(): Promise<string>;

  /**
   * Gets a limited-scope token for a registered profile without its PIN (only the
   * scopes the server allows implicitly, default `read`), for `ImplicitUser` requests.
   * @throws 8007 unknown profile, 9003 deregistered, 10000 a scope the server does not allow implicitly.
   */
  authenticateUserImplicitly(profileId: string, scopes?: string[]): Promise<void>;

  /**
   * Authenticates this app instance (client credentials with the device key; only the
   * server's device scopes, default `read`), for `Anonymous` requests.
   */
  authenticateDeviceForResource(scopes?: string[]): Promise<void>;

  /** The profile of the valid implicit token (9026 when none). */
  getImplicitlyAuthenticatedUserProfile(): Promise<Profile>;

  /**
   * App-to-web single sign-on: a one-time URL (valid about a minute) that, opened in
   * the browser, signs it in as the authenticated user at the Token Server and lands
   * on `url`, which must be one of the single sign-on targets the operator
   * allow-listed for the app's application (exact match).
   * @example
   * const { url } = await OneginiSdk.startSingleSignOn('https://bank.example/personal/dashboard');
   * await Linking.openURL(url);
   * @throws 9010 no authenticated user, 10023 (`SDKError.SingleSignOnDisabled`) a target
   *   the application does not list, 8009 not an absolute http(s) URL.
   */
  startSingleSignOn(url: string): Promise<SingleSignOnData>;
}

/** Where a client gets its transport: a transport, or a function called on first use. */
export type TransportSource = Transport | (() => Transport);

/** An OneginiSdk whose transport can be replaced (used by the Node entry and tests). */
export interface OneginiSdkInstance extends OneginiSdkApi {
  /** Replaces the transport; listeners stay registered and move to the new one. */
  setTransport(source: TransportSource): void;
}

type Listener = (event: SdkEvent) => void;

/**
 * Creates an OneginiSdk API object over a transport.
 * @example
 * const sdk = createOneginiSdk(await startBridgeHost({ binary: './bridgehost' }));
 * await sdk.startClient({ serverUrl: 'http://127.0.0.1:8080' });
 */
export function createOneginiSdk(source: TransportSource): OneginiSdkInstance {
  let src: TransportSource = source;
  let transport: Transport | null = null;
  let unsubscribe: (() => void) | null = null;
  const listeners = new Map<string, Set<Listener>>();

  function dispatch(params: EventParams): void {
    const set = listeners.get(params.type);
    if (!set || set.size === 0) return;
    const { type: _type, ...payload } = params;
    void _type;
    for (const cb of [...set]) {
      try {
        cb(payload as unknown as SdkEvent);
      } catch (err) {
        // A throwing listener must not stop the others, nor the transport.
        reportListenerError(params.type, err);
      }
    }
  }

  function getTransport(): Transport {
    if (transport === null) {
      try {
        transport = typeof src === 'function' ? src() : src;
      } catch (err) {
        throw err instanceof OneginiError ? err : new OneginiError(8020, `no transport to the SDK core: ${errText(err)}`);
      }
      unsubscribe = transport.subscribe(dispatch);
    }
    return transport;
  }

  /**
   * Calls a core method: the params are checked against the generated schema
   * before they cross the bridge (8009 naming the argument; `root` is the
   * positional argument they came from), the result after (10000 when the core
   * answered a shape it does not declare).
   */
  async function call<M extends MethodName>(method: M, params: MethodParams<M>, root = ''): Promise<MethodResult<M>> {
    const p = params as Record<string, unknown>;
    validateParams(method, p, root);
    const t = getTransport();
    let r: unknown;
    try {
      r = await t.invoke(method, p);
    } catch (err) {
      throw toOneginiError(err);
    }
    validateResult(method, r);
    return r as MethodResult<M>;
  }

  const api: OneginiSdkInstance = {
    setTransport(next: TransportSource): void {
      if (unsubscribe) unsubscribe();
      unsubscribe = null;
      transport = null;
      src = next;
      if (listeners.size > 0) getTransport();
    },

    addEventListener(eventType: string, callback?: (event: never) => void): Subscription {
      if (typeof eventType !== 'string' || eventType.length === 0) {
        throw new OneginiError(8009, 'addEventListener: argument "eventType" must be a non-empty string');
      }
      if (callback === undefined) {
        // As the official SDK (react-native's addListener): optional; with none,
        // nothing is delivered and remove() is harmless.
        return { remove(): void {} };
      }
      if (typeof callback !== 'function') {
        throw new OneginiError(8009, 'addEventListener: argument "callback" must be a function');
      }
      getTransport();
      let set = listeners.get(eventType);
      if (!set) {
        set = new Set();
        listeners.set(eventType, set);
      }
      // Wrap so the same function added twice gets two independent subscriptions.
      const entry: Listener = (e) => (callback as (e: SdkEvent) => void)(e);
      set.add(entry);
      let removed = false;
      return {
        remove(): void {
          if (removed) return;
          removed = true;
          const s = listeners.get(eventType);
          if (s) {
            s.delete(entry);
            if (s.size === 0) listeners.delete(eventType);
          }
        },
      };
    },

    async startClient(config?: Config): Promise<string | null> {
      await call('startClient', config ?? {}, 'config');
      return null;
    },

    // eslint-disable-next-line @typescript-eslint/no-wrapper-object-types
    async registerUser(identityProviderId: string | null, scopes?: String[]): Promise<AuthData> {
      if (identityProviderId === undefined) {
        throw badParameter('registerUser: argument "identityProviderId" must be a string or null, got undefined');
      }
      // The official signature types scopes as boxed String objects; unbox them
      // (anything else is left for the contract check to refuse with 8009).
      const plain = Array.isArray(scopes) ? scopes.map((s) => (s instanceof String ? s.valueOf() : s)) : scopes;
      return call('registerUser', { identityProviderId, scopes: (plain as string[] | undefined) ?? [] });
    },

    async getIdentityProviders(): Promise<IdentityProvider[]> {
      return call('getIdentityProviders', {});
    },

    async submitCustomRegistrationAction(identityProviderId: string, token: string | null): Promise<void> {
      if (token === undefined) {
        throw badParameter('submitCustomRegistrationAction: argument "token" must be a string or null, got undefined');
      }
      await call('submitCustomRegistrationAction', token === null ? { identityProviderId } : { identityProviderId, token });
    },

    async cancelCustomRegistration(message: string): Promise<void> {
      await call('cancelCustomRegistration', { message });
    },

    async handleRegistrationCallback(uri: string): Promise<void> {
      await call('handleRegistrationCallback', { uri });
    },

    async cancelBrowserRegistration(): Promise<void> {
      await call('cancelBrowserRegistration', {});
    },

    async submitPin(flow: PinFlow | 'Create' | 'Authentication', pin: string): Promise<void> {
      await call('submitPin', { flow, pin });
    },

    async cancelPinCreation(): Promise<void> {
      await call('cancelPinCreation', {});
    },

    async cancelPinAuthentication(): Promise<void> {
      await call('cancelPinAuthentication', {});
    },

    async authenticateUser(profileId: string, authenticatorId: string | null): Promise<AuthData> {
      // `?? null`: plain-JavaScript callers may leave it out (undefined).
      return call('authenticateUser', { profileId, authenticatorId: authenticatorId ?? null });
    },

    async logout(): Promise<void> {
      await call('logout', {});
    },

    async deregisterUser(profileId: string): Promise<void> {
      await call('deregisterUser', { profileId });
    },

    getUserProfiles: (): Promise<Profile[]> => call('getUserProfiles', {}),

    getAuthenticatedUserProfile: (): Promise<Profile> => call('getAuthenticatedUserProfile', {}),

    async enrollMobileAuthentication(): Promise<void> {
      await call('enrollMobileAuthentication', {});
    },

    isUserEnrolledForMobileAuth: (profileId: string): Promise<boolean> => call('isUserEnrolledForMobileAuth', { profileId }),

    async handleMobileAuthWithOtp(otp: string): Promise<void> {
      await call('handleMobileAuthWithOtp', { otp });
    },

    async acceptMobileAuthConfirmation(options?: AcceptMobileAuthParams): Promise<void> {
      await call('acceptMobileAuthConfirmation', { ...(options ?? {}) });
    },

    async denyMobileAuthConfirmation(options?: DenyMobileAuthParams): Promise<void> {
      await call('denyMobileAuthConfirmation', { ...(options ?? {}) });
    },

    getAccessToken: (): Promise<string> => call('getAccessToken', {}),

    getRedirectUri: (): Promise<string> => call('getRedirectUri', {}),

    getAllAuthenticators: (profileId: string): Promise<Authenticator[]> => call('getAllAuthenticators', { profileId }),
    getRegisteredAuthenticators: (profileId: string): Promise<Authenticator[]> => call('getRegisteredAuthenticators', { profileId }),
    async registerAuthenticator(authenticatorId: string): Promise<void> {
      await call('registerAuthenticator', { authenticatorId });
    },
    async deregisterAuthenticator(authenticatorId: string): Promise<void> {
      await call('deregisterAuthenticator', { authenticatorId });
    },
    async setPreferredAuthenticator(authenticatorId: string): Promise<void> {
      await call('setPreferredAuthenticator', { authenticatorId });
    },
    async registerFingerprintAuthenticator(profileId: string): Promise<void> {
      await call('registerFingerprintAuthenticator', { profileId });
    },
    async deregisterFingerprintAuthenticator(profileId: string): Promise<void> {
      await call('deregisterFingerprintAuthenticator', { profileId });
    },
    async submitFingerprintAcceptAuthenticationRequest(): Promise<void> {
      await call('submitFingerprintAcceptAuthenticationRequest', {});
    },
    async submitFingerprintDenyAuthenticationRequest(): Promise<void> {
      await call('submitFingerprintDenyAuthenticationRequest', {});
    },
    async submitFingerprintFallbackToPin(): Promise<void> {
      await call('submitFingerprintFallbackToPin', {});
    },
    async changePin(): Promise<void> {
      await call('changePin', {});
    },
    async validatePinWithPolicy(pin: string): Promise<void> {
      await call('validatePinWithPolicy', { pin });
    },

    enrollUserForMobileAuthWithPush(target: string | PushEnrollParams): Promise<PushEnrollResult> {
      return call('enrollUserForMobileAuthWithPush', typeof target === 'string' ? { pushToken: target } : target);
    },

    isUserEnrolledForMobileAuthWithPush: (profileId: string): Promise<boolean> => call('isUserEnrolledForMobileAuthWithPush', { profileId }),

    canHandlePushMessage: (data: Record<string, unknown> | string): Promise<boolean> => call('canHandlePushMessage', { data }),

    async handleMobileAuthWithPushRequest(data: Record<string, unknown> | string): Promise<void> {
      await call('handleMobileAuthWithPushRequest', { data });
    },

    getPendingMobileAuthWithPushRequests: (): Promise<PendingMobileAuthRequest[]> => call('getPendingMobileAuthWithPushRequests', {}),

    async handlePendingMobileAuthWithPushRequest(request: PendingMobileAuthRequest): Promise<void> {
      await call('handlePendingMobileAuthWithPushRequest', { request: request as unknown as Record<string, unknown> });
    },

    async resourceRequest(a: ResourceRequestType | ResourcesDetails, b?: ResourcesDetails): Promise<ResourceResponse> {
      let details: unknown = a;
      let type: ResourceRequestType = ResourceRequestType.User;
      if (typeof a === 'string') {
        if (a !== ResourceRequestType.User && a !== ResourceRequestType.Implicit && a !== ResourceRequestType.Anonymous) {
          throw badParameter('resourceRequest: argument "type" must be "User", "ImplicitUser" or "Anonymous"');
        }
        type = a;
        details = b;
      }
      const d = details as ResourcesDetails | null | undefined;
      const params = d !== null && typeof d === 'object' && typeof d.method === 'string' ? { ...d, method: d.method.toUpperCase() as ResourcesDetails['method'] } : d;
      if (params !== null && typeof params === 'object' && params.body === '') delete params.body;
      if (params !== null && typeof params === 'object' && params.body !== undefined && typeof params.body !== 'string') {
        throw badParameter('resourceRequest: argument "details.body" must be a string');
      }
      const withType = params !== null && typeof params === 'object' ? { ...params, type } : params;
      const r = await call('resourceRequest', withType as MethodParams<'resourceRequest'>, 'details');
      return { ...r, ok: r.status >= 200 && r.status <= 299 };
    },

    getResourceBaseUrl: (): Promise<string> => call('getResourceBaseUrl', {}),

    async authenticateUserImplicitly(profileId: string, scopes?: string[]): Promise<void> {
      await call('authenticateUserImplicitly', scopes === undefined ? { profileId } : { profileId, scopes });
    },

    async authenticateDeviceForResource(scopes?: string[]): Promise<void> {
      await call('authenticateDeviceForResource', scopes === undefined ? {} : { scopes });
    },

    getImplicitlyAuthenticatedUserProfile: (): Promise<Profile> => call('getImplicitlyAuthenticatedUserProfile', {}),

    startSingleSignOn: (url: string): Promise<SingleSignOnData> => call('startSingleSignOn', { url }),
  };
  return api;
}

function errText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function reportListenerError(type: string, err: unknown): void {
  const c = (globalThis as { console?: { error?: (...a: unknown[]) => void } }).console;
  if (c && typeof c.error === 'function') c.error(`OneginiSdk: a listener for ${type} threw`, err);
}
