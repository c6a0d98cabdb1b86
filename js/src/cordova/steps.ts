/**
 * The steps a Cordova handler chain answers, shared by the flows that ask
 * for them (after the Onegini Cordova plugin's AuthenticationHandler and
 * mobile authentication handlers): the PIN entry (onPinRequest), the PIN
 * creation (onCreatePinRequest), the biometric (onFingerprintRequest,
 * onFingerprintCaptured, onFingerprintFailed), and the PIN a mobile
 * authentication request with user verification asks for (onPinRequest with
 * accept(pin) / deny()). Each listens to the core's events while its flow runs.
 */
import type { OneginiSdkApi, Subscription } from '../client';
import { OneginiError } from '../errors';
import { asPluginError, pluginError, PluginError } from './flow';
import {
  Fingerprint,
  MobileAuthenticationRequest,
  MobileAuthOtp,
  PinAuthentication,
  PinCreate,
  PinFlow,
  SdkNotification,
} from '../events';

/** Looks up a handler the app set for the running flow (or app-wide). */
export type HandlerLookup = <A extends unknown[]>(name: string) => ((...args: A) => unknown) | undefined;

/**
 * Fails the running flow: `err` becomes its error (instead of the 9006 the
 * cancellation produces) and `cancel` stops the core's flow.
 */
export type FailFlow = (err: OneginiError, cancel: () => Promise<unknown>) => void;

/** A PIN given as the string or as `{pin}` (both forms of the plugin's actions). */
export function pinOf(action: string, v: unknown): string {
  const pin = v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as { pin?: unknown }).pin : v;
  if (typeof pin !== 'string' || pin === '') {
    throw pluginError(8009, `${action}: argument "pin" must be a non-empty string (or {pin})`);
  }
  return pin;
}

/** Answers from handlers settle the flow's own promise; their rejections must not go unhandled. */
export function quiet(p: Promise<unknown>): Promise<void> {
  return p.then(
    () => undefined,
    () => undefined,
  );
}

/** Calls an action and turns a throw (bad argument) into a rejected promise the flow reports. */
function attempt(fn: () => Promise<unknown>): Promise<void> {
  try {
    return quiet(fn());
  } catch (err) {
    return Promise.reject(err);
  }
}

/** Actions given to `onPinRequest` of user flows. */
export interface PinActions {
  /** Authenticates with the PIN (`pin` or `{pin}`). */
  providePin(pin: string | { pin: string }): Promise<void>;
  /** Cancels the flow (it fails with 9006). */
  cancel(): Promise<void>;
  /** The older name of {@link PinActions.cancel}. */
  cancelFlow(): Promise<void>;
}

/** Options given to `onPinRequest`; `remainingFailureCount` and `error` after a wrong PIN. */
export interface PinRequestOptions {
  profileId: string;
  remainingFailureCount?: number;
  error?: PluginError;
}

/** Actions given to `onCreatePinRequest`. */
export interface CreatePinActions {
  /** Creates the PIN (`pin` or `{pin}`). */
  createPin(pin: string | { pin: string }): Promise<void>;
  /** Cancels the flow (it fails with 9006). */
  cancel(): Promise<void>;
  /** The older name of {@link CreatePinActions.cancel}. */
  cancelFlow(): Promise<void>;
}

/** Options given to `onCreatePinRequest`; `error` is set when the previous PIN was refused. */
export interface CreatePinOptions {
  profileId: string;
  pinLength: number;
  error?: PluginError;
}

/** Actions given to `onFingerprintRequest` of user flows. */
export interface FingerprintActions {
  /** Shows the biometric prompt (`{iosPrompt}` is accepted and not used: the core titles the prompt). */
  acceptFingerprint(options?: { iosPrompt?: string }): Promise<void>;
  /** No biometric: the flow fails with 9006. */
  denyFingerprint(): Promise<void>;
  /** Use the PIN instead: `onPinRequest` follows. */
  fallbackToPin(): Promise<void>;
  /** Cancels the flow (it fails with 9006). */
  cancel(): Promise<void>;
}

/** Options given to `onFingerprintRequest`. */
export interface FingerprintRequestOptions {
  profileId: string;
}

/**
 * Listens for the PIN entry of a user flow: `open` and `incorrectPin` call
 * onPinRequest; a PIN the core refuses as malformed (8009) asks again with
 * that error. Without onPinRequest the flow fails with 8009.
 */
export function pinEntryStep(sdk: OneginiSdkApi, method: string, lookup: HandlerLookup, fail: FailFlow): Subscription {
  const ask = (opts: PinRequestOptions): void => {
    const h = lookup<[PinActions, PinRequestOptions]>('onPinRequest');
    if (!h) {
      fail(new OneginiError(8009, `${method}: set onPinRequest(...) to provide the PIN`), () => sdk.cancelPinAuthentication());
      return;
    }
    const cancel = (): Promise<void> => quiet(sdk.cancelPinAuthentication());
    h(
      {
        providePin: (pin) =>
          attempt(() =>
            sdk.submitPin(PinFlow.Authentication, pinOf('providePin', pin)).catch((err: unknown) => {
              if (err instanceof OneginiError && err.numericCode === 8009) ask({ profileId: opts.profileId, error: asPluginError(err) });
            }),
          ),
        cancel,
        cancelFlow: cancel,
      },
      opts,
    );
  };
  return sdk.addEventListener(SdkNotification.PinAuth, (e) => {
    if (e.action === PinAuthentication.Close) return;
    const opts: PinRequestOptions = { profileId: e.profileId ?? '' };
    if (e.action === PinAuthentication.IncorrectPin) {
      opts.remainingFailureCount = e.remainingFailureCount;
      opts.error = asPluginError(new OneginiError(8004, e.errorMsg || 'wrong PIN', 'pin', { remainingFailureCount: e.remainingFailureCount }));
    }
    ask(opts);
  });
}

/**
 * Listens for the PIN creation of a flow: `open` and `pinNotAllowed` call
 * onCreatePinRequest (with the refusal as `error`). Without it the flow fails with 8009.
 */
export function createPinStep(sdk: OneginiSdkApi, method: string, lookup: HandlerLookup, fail: FailFlow): Subscription {
  const ask = (opts: CreatePinOptions): void => {
    const h = lookup<[CreatePinActions, CreatePinOptions]>('onCreatePinRequest');
    if (!h) {
      fail(new OneginiError(8009, `${method}: set onCreatePinRequest(...) to create the PIN`), () => sdk.cancelPinCreation());
      return;
    }
    const cancel = (): Promise<void> => quiet(sdk.cancelPinCreation());
    h(
      {
        createPin: (pin) =>
          attempt(() =>
            sdk.submitPin(PinFlow.Create, pinOf('createPin', pin)).catch((err: unknown) => {
              if (err instanceof OneginiError && err.numericCode === 8009) ask({ ...opts, error: asPluginError(err) });
            }),
          ),
        cancel,
        cancelFlow: cancel,
      },
      opts,
    );
  };
  return sdk.addEventListener(SdkNotification.PinCreate, (e) => {
    if (e.action === PinCreate.Close) return;
    const opts: CreatePinOptions = { profileId: e.profileId ?? '', pinLength: e.pinLength ?? 0 };
    if (e.action === PinCreate.PinNotAllowed) opts.error = asPluginError(new OneginiError(e.errorCode || 8015, e.errorMsg || 'PIN not allowed'));
    ask(opts);
  });
}

/**
 * Listens for the biometric stages of a user flow (ONEWELCOME_FINGERPRINT_NOTIFICATION):
 * `startAuthentication` calls onFingerprintRequest, `onNextAuthenticationAttempt`
 * onFingerprintFailed, `onFingerprintCaptured` onFingerprintCaptured. Without
 * onFingerprintRequest the request is denied and the flow fails with 8009.
 */
export function fingerprintStep(sdk: OneginiSdkApi, method: string, lookup: HandlerLookup, fail: FailFlow): Subscription {
  return sdk.addEventListener(SdkNotification.Fingerprint, (e) => {
    if (e.action === Fingerprint.StartAuthentication) {
      const h = lookup<[FingerprintActions, FingerprintRequestOptions]>('onFingerprintRequest');
      if (!h) {
        fail(
          new OneginiError(8009, `${method}: set onFingerprintRequest(...) to answer the biometric request (acceptFingerprint, denyFingerprint or fallbackToPin)`),
          () => sdk.submitFingerprintDenyAuthenticationRequest(),
        );
        return;
      }
      h(
        {
          acceptFingerprint: () => quiet(sdk.submitFingerprintAcceptAuthenticationRequest()),
          denyFingerprint: () => quiet(sdk.submitFingerprintDenyAuthenticationRequest()),
          fallbackToPin: () => quiet(sdk.submitFingerprintFallbackToPin()),
          cancel: () => quiet(sdk.submitFingerprintDenyAuthenticationRequest()),
        },
        { profileId: e.userProfile.profileId },
      );
    } else if (e.action === Fingerprint.OnNextAuthenticationAttempt) {
      lookup<[]>('onFingerprintFailed')?.();
    } else if (e.action === Fingerprint.OnFingerprintCaptured) {
      lookup<[]>('onFingerprintCaptured')?.();
    }
  });
}

/** Actions given to `onConfirmationRequest` of mobile authentication. */
export interface ConfirmationActions {
  /** Accepts the request; with number matching pass the number the user picked (`{matchCode}`). */
  accept(options?: { matchCode?: string }): Promise<void>;
  /** Denies the request (the flow fails with 9006); `{reason: 'not_me'}`: the user did not start it. */
  deny(options?: { reason?: 'not_me' }): Promise<void>;
}

/** Actions given to `onPinRequest` of mobile authentication (a request with user verification). */
export interface MobileAuthPinActions {
  /**
   * Accepts the request with the user's PIN (`pin`, or `{pin, matchCode}` with
   * number matching); after a wrong PIN, answers the new request with the PIN.
   */
  accept(pin: string | { pin: string; matchCode?: string }): Promise<void>;
  /** Denies the request (after a wrong PIN: gives up); the flow fails with 9006. */
  deny(options?: { reason?: 'not_me' }): Promise<void>;
}

/** What `onPinRequest` of mobile authentication gets: the request, plus the count after a wrong PIN. */
export type MobileAuthPinRequest = MobileAuthenticationRequest & { remainingFailureCount?: number; error?: PluginError };

/** Actions given to `onFingerprintRequest` of mobile authentication (the biometric verifies the user). */
export interface MobileAuthFingerprintActions {
  /** Accepts the request and shows the biometric prompt (`{matchCode}` with number matching). */
  accept(options?: { matchCode?: string }): Promise<void>;
  /** Denies the request (the flow fails with 9006). */
  deny(options?: { reason?: 'not_me' }): Promise<void>;
  /** Accepts the request with the PIN instead: `onPinRequest` follows. */
  fallbackToPin(options?: { matchCode?: string }): Promise<void>;
}

/** Which app-wide handler a mobile authentication request went to (the plugin's `on(method)`). */
export type MobileAuthRoute = 'confirmation' | 'pin' | 'fingerprint';

/** The app-wide handler object a handler name belongs to. */
export function routeOf(handlerName: string): MobileAuthRoute {
  if (handlerName === 'onPinRequest') return 'pin';
  if (handlerName.startsWith('onFingerprint')) return 'fingerprint';
  return 'confirmation';
}

/**
 * Listens for one mobile authentication flow (OTP or push). A request
 * without user verification goes to onConfirmationRequest (accept / deny).
 * One with `userVerification: 'required'` goes to onFingerprintRequest when
 * it is set and the profile's preferred authenticator is the biometric (the
 * core then verifies with it: accept shows the prompt, onFingerprintFailed /
 * onFingerprintCaptured follow, fallbackToPin switches to the PIN), else to
 * onPinRequest (accept(pin) / deny): the PIN given with accept is handed to
 * the core when it asks for it (after declining the biometric stage for the
 * user when the core offers it first); a wrong PIN calls onPinRequest again
 * with `remainingFailureCount`. Without the handler a request is denied, never
 * accepted, and the flow fails with 8009.
 */
export function mobileAuthSteps(
  sdk: OneginiSdkApi,
  method: string,
  lookup: HandlerLookup,
  fail: FailFlow,
  routed: (route: MobileAuthRoute) => void,
): Subscription[] {
  let request: MobileAuthenticationRequest | null = null;
  let pendingPin: string | null = null;
  let fingerprint: 'accept' | 'fallback' | null = null;
  const deny = (options?: { reason?: 'not_me' }): Promise<void> => quiet(sdk.denyMobileAuthConfirmation(options));
  const acceptWith = (matchCode: string | undefined): Promise<void> =>
    sdk.acceptMobileAuthConfirmation(matchCode === undefined ? undefined : { matchCode });

  const askPin = (req: MobileAuthPinRequest, afterAccept: boolean): void => {
    const h = lookup<[MobileAuthPinActions, MobileAuthPinRequest]>('onPinRequest');
    if (!h) {
      fail(
        new OneginiError(8009, `${method}: this request needs the user's PIN: set onPinRequest(...) to accept it with the PIN or deny it`),
        afterAccept ? () => sdk.cancelPinAuthentication() : () => sdk.denyMobileAuthConfirmation(),
      );
      return;
    }
    h(
      {
        accept: (v) =>
          attempt(() => {
            const pin = pinOf('accept', v);
            if (afterAccept) return sdk.submitPin(PinFlow.Authentication, pin);
            pendingPin = pin;
            return acceptWith(v !== null && typeof v === 'object' ? v.matchCode : undefined).catch((err: unknown) => {
              pendingPin = null;
              throw err;
            });
          }),
        deny: afterAccept ? () => quiet(sdk.cancelPinAuthentication()) : deny,
      },
      req,
    );
  };

  const askFingerprint = (req: MobileAuthenticationRequest): void => {
    const h = lookup<[MobileAuthFingerprintActions, MobileAuthenticationRequest]>('onFingerprintRequest');
    if (!h) {
      askPin(req, false);
      return;
    }
    const accept = (intent: 'accept' | 'fallback', options?: { matchCode?: string }): Promise<void> => {
      fingerprint = intent;
      return quiet(acceptWith(options?.matchCode));
    };
    h({ accept: (o) => accept('accept', o), deny, fallbackToPin: (o) => accept('fallback', o) }, req);
  };

  return [
    sdk.addEventListener(SdkNotification.MobileAuthOtp, (e) => {
      if (e.action !== MobileAuthOtp.StartAuthentication) {
        pendingPin = null;
        fingerprint = null;
        return;
      }
      const req = e.mobileAuthenticationRequest;
      request = req;
      if (req.userVerification === 'required') {
        const pid = req.userProfile?.id;
        if (!lookup('onFingerprintRequest') || !pid) {
          routed('pin');
          askPin(req, false);
          return;
        }
        // Which verifier the core will use: the biometric when it is the
        // profile's preferred (registered) authenticator.
        void sdk.getAllAuthenticators(pid).then(
          (list) => list.some((a) => a.id !== 'PIN' && a.isRegistered && a.isPreferred),
          () => false,
        ).then((biometric) => {
          routed(biometric ? 'fingerprint' : 'pin');
          if (biometric) askFingerprint(req);
          else askPin(req, false);
        });
        return;
      }
      routed('confirmation');
      const h = lookup<[ConfirmationActions, MobileAuthenticationRequest]>('onConfirmationRequest');
      if (!h) {
        // Never accept on the user's behalf: without a handler the request is denied.
        fail(new OneginiError(8009, `${method}: set onConfirmationRequest(...) to answer the request`), () => sdk.denyMobileAuthConfirmation());
        return;
      }
      h({ accept: (options?: { matchCode?: string }) => quiet(sdk.acceptMobileAuthConfirmation(options)), deny }, req);
    }),
    sdk.addEventListener(SdkNotification.Fingerprint, (e) => {
      if (request === null) return;
      if (e.action === Fingerprint.StartAuthentication) {
        // The core offers the biometric first when it is preferred: answer
        // what the user chose; a PIN given with accept(pin) means the PIN.
        if (fingerprint === 'accept') void quiet(sdk.submitFingerprintAcceptAuthenticationRequest());
        else void quiet(sdk.submitFingerprintFallbackToPin());
      } else if (e.action === Fingerprint.OnNextAuthenticationAttempt) {
        lookup<[]>('onFingerprintFailed')?.();
      } else if (e.action === Fingerprint.OnFingerprintCaptured) {
        lookup<[]>('onFingerprintCaptured')?.();
      }
    }),
    sdk.addEventListener(SdkNotification.PinAuth, (e) => {
      if (request === null || e.action === PinAuthentication.Close) return;
      if (e.action === PinAuthentication.Open && pendingPin !== null) {
        const pin = pendingPin;
        pendingPin = null;
        void quiet(sdk.submitPin(PinFlow.Authentication, pin));
        return;
      }
      const req: MobileAuthPinRequest = { ...request };
      if (e.action === PinAuthentication.IncorrectPin) {
        req.remainingFailureCount = e.remainingFailureCount;
        req.error = asPluginError(new OneginiError(8004, e.errorMsg || 'wrong PIN', 'pin', { remainingFailureCount: e.remainingFailureCount }));
      }
      askPin(req, true);
    }),
  ];
}
