/**
 * Errors of the SDK. Every failure reaches JavaScript as a {@link OneginiError}
 * with a `code` (the decimal string of a number that is the same on every
 * platform for the same condition; `numericCode` holds the number), a `domain` and a human-readable `message`. The numbers follow the
 * Onegini SDK where one exists.
 *
 * The table below mirrors `core/dispatch/codes.go`; `js/test/unit/contract.test.ts`
 * fails when the two drift (it compares it with `js/src/generated/contract.json`,
 * which CI regenerates from the Go source).
 */

/** Every error code, by its stable name. */
export const ErrorCodes = {
  /** An unexpected failure inside the SDK (a recovered panic, a bug). */
  INTERNAL_ERROR: 8000,
  /** The configuration given to `startClient` is invalid. */
  CONFIGURATION_ERROR: 8001,
  /** The PIN was wrong; `data.remainingFailureCount` tells what is left. */
  WRONG_PIN: 8004,
  /** A resource URL outside the resource base URL: refused, nothing sent. */
  RESOURCE_CALL_ERROR: 8005,
  /** The profile id does not exist on this device. */
  PROFILE_DOES_NOT_EXIST: 8007,
  /** Malformed request or a wrong/missing argument (the message names it). */
  BAD_PARAMETERS: 8009,
  /** The method is not in the core's method table. */
  UNKNOWN_METHOD: 8011,
  /** No profile is authenticated on this device (a session the server refuses is 9010). */
  NO_PROFILE_AUTHENTICATED: 8012,
  /** Accept/deny called while no mobile authentication waits for an answer. */
  NO_MOBILE_AUTH_IN_PROGRESS: 8013,
  /** submitPin/cancel/callback called while no matching flow waits. */
  NO_FLOW_IN_PROGRESS: 8014,
  /** The chosen PIN breaks the PIN policy. */
  PIN_NOT_ALLOWED: 8015,
  /** The SDK (bridge or client) has not been started. */
  SDK_NOT_STARTED: 8020,
  /** Start was called a second time. */
  SDK_ALREADY_STARTED: 8021,
  /** A network failure talking to the server (timeout, reset, TLS failure). */
  NETWORK_ERROR: 9000,
  /** The server could not be reached at all. */
  SERVER_NOT_REACHABLE: 9001,
  /** The server no longer knows this app instance. */
  DEVICE_DEREGISTERED: 9002,
  /** The server no longer knows this user registration. */
  USER_DEREGISTERED: 9003,
  /** The user or app cancelled the flow; also a denied mobile authentication. */
  ACTION_CANCELED: 9006,
  /** The same kind of flow is already running. */
  ACTION_ALREADY_IN_PROGRESS: 9007,
  /** The call needs an authenticated user and there is none. */
  USER_NOT_AUTHENTICATED: 9010,
  /** The new PIN is one of the easily guessed ones (pinNotAllowed event). */
  PIN_BLACKLISTED: 9011,
  /** The new PIN is a sequence of consecutive digits (pinNotAllowed event; `SDKError.PinIsASequence`). */
  PIN_IS_A_SEQUENCE: 9012,
  /** The new PIN repeats one digit (pinNotAllowed event). */
  PIN_USES_SIMILAR_DIGITS: 9013,
  /** The new PIN does not have the required length (pinNotAllowed event). */
  WRONG_PIN_LENGTH: 9014,
  /** This device is already enrolled for mobile authentication. */
  DEVICE_ALREADY_ENROLLED: 9016,
  /** Mobile-authentication enrollment is disabled on the server. */
  ENROLLMENT_NOT_AVAILABLE: 9017,
  /** The server's single-device policy refuses this enrollment. */
  ENROLLED_ON_ANOTHER_DEVICE: 9018,
  /** The user's enrollment was removed on the server. */
  USER_DISENROLLED: 9020,
  /** The user is not enrolled for mobile authentication on this device. */
  NOT_ENROLLED: 9021,
  /** An ImplicitUser resource request without a valid implicit token. */
  USER_NOT_AUTHENTICATED_IMPLICITLY: 9026,
  /** The mobile authentication request was already answered or claimed. */
  ALREADY_HANDLED: 9029,
  /** The server refused because of too many attempts; try later. Project-specific: 9100 is in none of the official tables. */
  TOO_MANY_ATTEMPTS: 9100,
  /** A server answer the SDK could not interpret. */
  GENERAL_ERROR: 10000,
  /** An Anonymous resource request without a valid device token. */
  DEVICE_NOT_AUTHENTICATED: 10012,
  /** The mobile authentication request is unknown or expired. */
  REQUEST_NOT_FOUND: 10013,
  /** The OTP is malformed and cannot be handled. */
  NOT_HANDLEABLE: 10018,
  /** The identity provider is unknown to this app's application, or of the wrong kind. */
  INVALID_IDENTITY_PROVIDER: 10020,
  /** The custom registration is unknown, used or expired. */
  CUSTOM_REGISTRATION_EXPIRED: 10021,
  /** The identity provider refused the custom registration (or its answer was not trusted). */
  CUSTOM_REGISTRATION_FAILURE: 10022,
  /** App-to-web single sign-on is not available for this target (not one of the application's allow-listed targets). */
  SINGLE_SIGN_ON_DISABLED: 10023,
  /** The biometric key is invalid (the enrolled biometrics changed); the authenticator was removed: register it again. */
  AUTHENTICATOR_DEREGISTERED: 9022,
  /** The biometric prompt is locked out or unavailable. */
  BIOMETRIC_AUTHENTICATOR_FAILURE: 9030,
  /** This device offers no such authenticator. */
  AUTHENTICATOR_NOT_SUPPORTED: 10006,
  /** The authenticator is not registered for the profile. */
  AUTHENTICATOR_NOT_REGISTERED: 10007,
} as const;

/** The name of an error code, such as `'ACTION_CANCELED'`. */
export type ErrorCodeName = keyof typeof ErrorCodes;

/** A numeric error code of {@link ErrorCodes}. */
export type ErrorCode = (typeof ErrorCodes)[ErrorCodeName];

/** The domain of each error code ("sdk", "network", "pin", "user", "device", "mobileAuth"). */
export const ErrorDomains: Readonly<Record<ErrorCode, string>> = {
  8000: 'sdk',
  8001: 'sdk',
  8004: 'pin',
  8005: 'sdk',
  8007: 'user',
  8009: 'sdk',
  8011: 'sdk',
  8012: 'user',
  8013: 'mobileAuth',
  8014: 'sdk',
  8015: 'pin',
  8020: 'sdk',
  8021: 'sdk',
  9000: 'network',
  9001: 'network',
  9002: 'device',
  9003: 'user',
  9006: 'sdk',
  9007: 'sdk',
  9010: 'user',
  9011: 'pin',
  9012: 'pin',
  9013: 'pin',
  9014: 'pin',
  9016: 'mobileAuth',
  9017: 'mobileAuth',
  9018: 'mobileAuth',
  9020: 'mobileAuth',
  9021: 'mobileAuth',
  9026: 'user',
  9029: 'mobileAuth',
  9100: 'network',
  10000: 'sdk',
  10012: 'device',
  10013: 'mobileAuth',
  10018: 'mobileAuth',
  10020: 'user',
  10021: 'user',
  10022: 'user',
  10023: 'user',
  9022: 'authenticator',
  9030: 'authenticator',
  10006: 'authenticator',
  10007: 'authenticator',
};

/** Returns the domain of a code, or "sdk" for a code this table does not know. */
export function domainOf(code: number): string {
  return (ErrorDomains as Record<number, string>)[code] ?? 'sdk';
}

/**
 * The official OneWelcome React Native SDK's error codes (`SDKError` of its
 * `errors.ts`): three string enums — the wrapper's own codes (8xxx), Android's
 * and iOS's native codes — and every name at the top level (iOS values win where
 * the platforms differ, as there). An {@link OneginiError}'s `code` is the same
 * kind of string, so `err.code === SDKError.ActionCanceled` works as in apps
 * written for the official SDK. Where this SDK gives a number a different meaning
 * than the official table (8001, 8011, 8014, 8015, 8020, 8021 are this SDK's own),
 * js/README's migration table says so.
 */
const WrapperErrors = {
  IdentityProviderNotFound: '8001', WrongConfigModel: '8002', MobileAuthOtpIsDisabled: '8003', WrongPin: '8004',
  ResourceCallError: '8005', AuthenticatorDoesNotExist: '8006', ProfileDoesNotExist: '8007', ParametersNotCorrect: '8009',
  RegistrationNotInProgress: '8010', FingerprintNotEnabled: '8011', NoProfileAuthenticated: '8012', MobileAuthNotInProgress: '8013',
  MalformedUrl: '8014', AuthenticationNotInProgress: '8015', PinCreationNotInProgress: '8016', ActionNotAllowed: '8017',
  IncorrectPinFlow: '8018', AuthenticatorNotRegisteredWrapper: '8019', MobileAuthAlreadyInProgress: '8020',
} as const;
const AndroidErrors = {
  NetworkConnectivityProblem: '9000', ServerNotReachable: '9001', DeviceDeregistered: '9002', UserDeregistered: '9003',
  OutdatedApp: '9004', OutdatedOs: '9005', ActionCanceled: '9006', ActionAlreadyInProgress: '9007',
  DeviceRegistrationError: '9008', UserNotAuthenticated: '9010', PinBlacklisted: '9011', PinIsASequence: '9012',
  PinUsesSimilarDigits: '9013', WrongPinLength: '9014', InvalidAuthenticator: '9015', DeviceAlreadyEnrolled: '9016',
  EnrollmentNotAvailable: '9017', UserAlreadyEnrolled: '9018', UserDisenrolled: '9020', MobileAuthenticationNotEnrolled: '9021',
  AuthenticatorDeregistered: '9022', MobileAuthenticationDisenrolled: '9023', DataStorageNotAvailable: '9024',
  CustomAuthenticatorFailure: '9027', AlreadyHandled: '9029', InvalidDatetime: '9031', GeneralError: '10000',
  ConfigurationError: '10001', InvalidState: '10002', LocalDeregistration: '10003', AuthenticatorAlreadyRegistered: '10004',
  FidoAuthenticationDisabledDeprecated: '10005', AuthenticatorNotSupported: '10006', AuthenticatorNotRegistered: '10007',
  AuthenticatorPinDeregistrationNotPossible: '10008', LocalLogout: '10009', DeviceNotAuthenticated: '10012',
  MobileAuthenticationRequestNotFound: '10013', InvalidRequest: '10015', FidoServerNotReachableDeprecated: '10016',
  CustomAuthenticationDisabled: '10017', NotHandleable: '10018', InvalidIdentityProvider: '10020',
  CustomRegistrationExpired: '10021', CustomRegistrationFailure: '10022', SingleSignOnDisabled: '10023', AppIntegrityFailure: '10024',
} as const;
const iOSErrors = {
  NetworkConnectivityProblem: '9000', ServerNotReachable: '9001', DeviceDeregistered: '9002', UserDeregistered: '9003',
  OutdatedApp: '9004', OutdatedOs: '9005', ActionCanceled: '9006', ActionAlreadyInProgress: '9007',
  DeviceRegistrationError: '9008', AuthenticationErrorInvalidPin: '9009', UserNotAuthenticated: '9010', PinBlacklisted: '9011',
  PinIsASequence: '9012', PinUsesSimilarDigits: '9013', WrongPinLength: '9014', InvalidAuthenticator: '9015',
  DeviceAlreadyEnrolled: '9016', EnrollmentNotAvailable: '9017', UserAlreadyEnrolled: '9018', UserDisenrolled: '9020',
  MobileAuthenticationNotEnrolled: '9021', AuthenticatorDeregistered: '9022', DataStorageNotAvailable: '9024',
  GenericErrorUnrecoverableDataState: '9025', UserNotAuthenticatedImplicitly: '9026', CustomAuthenticatorFailure: '9027',
  AlreadyHandled: '9029', AuthenticationErrorBiometricAuthenticatorFailure: '9030', GeneralError: '10000',
  ConfigurationError: '10001', InvalidState: '10002', LocalDeregistration: '10003', AuthenticatorAlreadyRegistered: '10004',
  AuthenticatorNotSupported: '10006', AuthenticatorNotRegistered: '10007', AuthenticatorPinDeregistrationNotPossible: '10008',
  LocalLogout: '10009', FetchInvalidMethod: '10010', DeviceNotAuthenticated: '10012', MobileAuthenticationRequestNotFound: '10013',
  InvalidRequest: '10015', NotHandleable: '10018', FetchInvalidHeaders: '10019', CustomAuthenticationDisabled: '10020',
  CustomRegistrationExpired: '10021', CustomRegistrationFailure: '10022', SingleSignOnDisabled: '10023', AppIntegrityFailure: '10024',
} as const;

type Merge<A, B> = Omit<A, keyof B> & B;

/** The official `SDKError` object: every code name at the top level plus the three groups. */
export const SDKError: Merge<Merge<typeof WrapperErrors, typeof AndroidErrors>, typeof iOSErrors> & {
  WrapperErrors: typeof WrapperErrors;
  AndroidErrors: typeof AndroidErrors;
  iOSErrors: typeof iOSErrors;
} = Object.freeze({ ...WrapperErrors, ...AndroidErrors, ...iOSErrors, WrapperErrors, AndroidErrors, iOSErrors });

/**
 * The one error type of the SDK: every rejected promise rejects with it.
 *
 * `code` is the decimal string of the code, as the official SDK's errors carry
 * it (`err.code === SDKError.ActionCanceled`, i.e. `'9006'`); `numericCode` is
 * the same code as a number (`err.numericCode === OneginiError.Codes.ACTION_CANCELED`).
 *
 * @example
 * try {
 *   await OneginiSdk.handleMobileAuthWithOtp(otp);
 * } catch (e) {
 *   if (e instanceof OneginiError && e.code === SDKError.ActionCanceled) {
 *     // the user denied the request (e.numericCode === 9006)
 *   }
 * }
 */
export class OneginiError extends Error {
  /** The numeric code table, for `err.numericCode === OneginiError.Codes.WRONG_PIN`. */
  static readonly Codes = ErrorCodes;

  /** The error code as a decimal string, comparable with {@link SDKError} values (`'9006'`). */
  readonly code: string;
  /** The same error code as a number (see {@link ErrorCodes}). */
  readonly numericCode: number;
  /** The error domain: "sdk", "network", "pin", "user", "device" or "mobileAuth". */
  readonly domain: string;
  /** Structured extras from the core, such as `remainingFailureCount` for a wrong PIN. */
  readonly data: Readonly<Record<string, unknown>>;

  constructor(code: number, message: string, domain?: string, data?: Record<string, unknown>) {
    super(message);
    this.name = 'OneginiError';
    this.code = String(code);
    this.numericCode = code;
    this.domain = domain ?? domainOf(code);
    this.data = data ?? {};
    Object.setPrototypeOf(this, new.target.prototype);
  }

  /** The message, under the name the Onegini Cordova plugin uses. */
  get description(): string {
    return this.message;
  }

  /** A plain-object form (for logging or passing across a postMessage). */
  toJSON(): { code: string; numericCode: number; domain: string; message: string; data: Readonly<Record<string, unknown>> } {
    return { code: this.code, numericCode: this.numericCode, domain: this.domain, message: this.message, data: this.data };
  }
}

/** An 8009 (bad parameters) error naming the argument that is wrong. */
export function badParameter(message: string): OneginiError {
  return new OneginiError(ErrorCodes.BAD_PARAMETERS, message);
}

/**
 * Builds an OneginiError from what a transport reports: a JSON-RPC error object
 * `{code, message, data: {domain, ...}}`, a React Native rejection
 * (`code` a numeric string, `userInfo` with `domain`), or a Cordova failure object
 * `{code, message, domain, ...}`. Anything unrecognisable becomes 8000.
 */
export function toOneginiError(raw: unknown): OneginiError {
  if (raw instanceof OneginiError) return raw;
  if (raw !== null && typeof raw === 'object') {
    const r = raw as Record<string, unknown>;
    const code = typeof r.code === 'number' ? r.code : typeof r.code === 'string' ? Number(r.code) : NaN;
    const message =
      typeof r.message === 'string' ? r.message : typeof r.description === 'string' ? r.description : 'unknown error';
    if (Number.isInteger(code) && code > 0) {
      const extra: Record<string, unknown> = {};
      const sources = [r.data, r.userInfo];
      for (const s of sources) {
        if (s !== null && typeof s === 'object') Object.assign(extra, s as Record<string, unknown>);
      }
      for (const [k, v] of Object.entries(r)) {
        if (!['code', 'message', 'description', 'data', 'userInfo', 'domain', 'stack', 'name', 'nativeStackAndroid', 'nativeStackIOS', 'line', 'column', 'sourceURL'].includes(k)) {
          extra[k] = v;
        }
      }
      const domain = typeof r.domain === 'string' ? r.domain : typeof extra.domain === 'string' ? extra.domain : undefined;
      delete extra.domain;
      return new OneginiError(code, message, domain, extra);
    }
    return new OneginiError(ErrorCodes.INTERNAL_ERROR, message);
  }
  if (typeof raw === 'string') return new OneginiError(ErrorCodes.INTERNAL_ERROR, raw);
  return new OneginiError(ErrorCodes.INTERNAL_ERROR, 'unknown error');
}
