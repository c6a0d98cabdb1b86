/**
 * The public TypeScript surface of the official OneWelcome (Onegini) React Native
 * SDK, written down by hand as facts (names, argument and result shapes, enum string
 * values) from the public repository onewelcome/sdk-react-native: src/index.ts,
 * src/events.ts, src/data-types.ts and src/errors.ts. It is the yardstick that
 * js/tools/onegini-surface.mjs measures the packed package against; nothing ships it.
 *
 * Conventions of this file (chosen so that the comparison is strict and fair):
 * - the SDK's methods are written as function-typed properties, so that
 *   assignability checks compare parameters contravariantly (no method bivariance);
 * - `EmitterSubscription` (a react-native class) is reduced to what an app uses of
 *   it, `remove()`, because react-native is not installed where this is checked;
 * - everything the official module exports is here: the default export (the SDK
 *   object), the namespaces `Events` and `Types`, and `SDKError`.
 */

/** What the official addEventListener returns (react-native's EmitterSubscription, as apps use it). */
export interface EmitterSubscription {
  remove(): void;
}

export declare namespace Events {
  // ---- enums (string values are part of the contract) ----
  export enum SdkNotification {
    PinCreate = 'ONEWELCOME_PIN_CREATE_NOTIFICATION',
    PinAuth = 'ONEWELCOME_PIN_AUTHENTICATION_NOTIFICATION',
    CustomRegistration = 'ONEWELCOME_CUSTOM_REGISTRATION_NOTIFICATION',
    MobileAuthOtp = 'ONEWELCOME_MOBILE_AUTH_OTP_NOTIFICATION',
    Fingerprint = 'ONEWELCOME_FINGERPRINT_NOTIFICATION',
    Registration = 'ONEWELCOME_REGISTRATION_NOTIFICATION',
  }
  export enum PinFlow {
    Authentication = 'Authentication',
    Create = 'Create',
  }
  export enum PinCreate {
    Open = 'open',
    Close = 'close',
    PinNotAllowed = 'pinNotAllowed',
  }
  export enum PinAuthentication {
    Open = 'open',
    Close = 'close',
    IncorrectPin = 'incorrectPin',
  }
  export enum CustomRegistration {
    InitRegistration = 'initRegistration',
    FinishRegistration = 'finishRegistration',
  }
  export enum Fingerprint {
    StartAuthentication = 'startAuthentication',
    OnNextAuthenticationAttempt = 'onNextAuthenticationAttempt',
    OnFingerprintCaptured = 'onFingerprintCaptured',
    FinishAuthentication = 'finishAuthentication',
  }
  export enum FingerprintStage {
    Idle = 'idle',
    Started = 'started',
    NextAttempt = 'nextAttempt',
    Captured = 'captured',
    Finished = 'finished',
  }
  export enum MobileAuthOtp {
    StartAuthentication = 'startAuthentication',
    FinishAuthentication = 'finishAuthentication',
  }

  // ---- event payloads ----
  export type PinCreateOpenEvent = { flow: PinFlow.Create; action: PinCreate.Open; profileId: string; pinLength: number };
  export type PinCreateCloseEvent = { flow: PinFlow.Create; action: PinCreate.Close };
  export type PinNotAllowedEvent = { flow: PinFlow.Create; action: PinCreate.PinNotAllowed; errorCode: number; errorMsg: string };
  export type PinCreateEvent = PinCreateCloseEvent | PinCreateOpenEvent | PinNotAllowedEvent;

  export type PinAuthenticationOpenEvent = { flow: PinFlow.Authentication; action: PinAuthentication.Open; profileId: string };
  export type PinAuthenticationCloseEvent = { flow: PinFlow.Authentication; action: PinAuthentication.Close };
  export type IncorrectPinEvent = {
    flow: PinFlow.Authentication;
    action: PinAuthentication.IncorrectPin;
    errorCode: number;
    errorMsg: string;
    remainingFailureCount: number;
  };
  export type PinAuthenticationEvent = PinAuthenticationCloseEvent | PinAuthenticationOpenEvent | IncorrectPinEvent;

  export type RegistrationURLEvent = { url: string };

  export type initRegistrationEvent = {
    action: CustomRegistration.InitRegistration;
    identityProviderId: string;
    customInfo?: { data: string; status: number };
  };
  export type finishRegistrationEvent = {
    action: CustomRegistration.FinishRegistration;
    identityProviderId: string;
    customInfo?: { data: string; status: number };
  };
  export type CustomRegistrationEvent = initRegistrationEvent | finishRegistrationEvent;

  export type startOtpAuthenticationEvent = {
    action: MobileAuthOtp.StartAuthentication;
    mobileAuthenticationRequest: { message: string; type: string; transactionId: string; signingData: string };
  };
  export type finishOtpAuthenticationEvent = {
    action: MobileAuthOtp.FinishAuthentication;
    mobileAuthenticationRequest: { message: string; type: string; transactionId: string; signingData: string };
  };
  export type MobileAuthOtpEvent = startOtpAuthenticationEvent | finishOtpAuthenticationEvent;

  export type startFingerprintAuthenticationEvent = { action: Fingerprint.StartAuthentication; userProfile: { profileId: string } };
  export type onNextFingerprintAuthenticationAttemptEvent = { action: Fingerprint.OnNextAuthenticationAttempt };
  export type onFingerprintCapturedEvent = { action: Fingerprint.OnFingerprintCaptured };
  export type finishFingerprintAuthenticationEvent = { action: Fingerprint.FinishAuthentication };
  export type FingerprintEvent =
    | startFingerprintAuthenticationEvent
    | onNextFingerprintAuthenticationAttemptEvent
    | onFingerprintCapturedEvent
    | finishFingerprintAuthenticationEvent;

  export type SdkEvent =
    | PinCreateEvent
    | PinAuthenticationEvent
    | CustomRegistrationEvent
    | FingerprintEvent
    | MobileAuthOtpEvent
    | RegistrationURLEvent;
}

export declare namespace Types {
  export interface userInfo { remainingFailureCount: string }
  export interface IdentityProvider { id: string; name: string }
  export interface Profile { id: string }
  export interface ImplicitUserDetails { decoratedUserId: string }
  export interface AppDetailsResources { applicationIdentifier: string; applicationPlatform: string; applicationVersion: string }
  export interface Device { id: string; name: string; application: string; platform: string; isMobileAuthenticationEnabled: boolean }
  export interface CustomInfo { status: number; data: string }
  export interface AuthData { userProfile: Profile; customInfo?: CustomInfo }
  export interface Authenticator {
    id: string;
    name: string;
    type: string;
    isPreferred: boolean;
    isRegistered: boolean;
    userProfile?: Profile;
  }
  export interface SingleSignOnData { token: string; url: string }
  export enum ResourceRequestType {
    User = 'User',
    Implicit = 'ImplicitUser',
    Anonymous = 'Anonymous',
  }
  export interface StringMap { [key: string]: string }
  export enum ResourceMethod {
    GET = 'GET',
    POST = 'POST',
    DELETE = 'DELETE',
    PUT = 'PUT',
  }
  export interface ResourcesDetailsGet { path: string; method: ResourceMethod.GET; headers?: StringMap }
  export interface ResourceDetailsDelete { path: string; method: ResourceMethod.DELETE; headers?: StringMap; body?: string }
  export interface ResourceDetailsPost { path: string; method: ResourceMethod.POST; headers?: StringMap; body: string }
  export interface ResourceDetailsPut { path: string; method: ResourceMethod.PUT; headers?: StringMap; body: string }
  export type ResourcesDetails = ResourcesDetailsGet | ResourceDetailsPost | ResourceDetailsDelete | ResourceDetailsPut;
  export interface ResourceResponse { body: string; headers: StringMap; ok: boolean; status: number }
  export enum BiometricAuthenticatorIds {
    AndroidFingerprint = 'fingerprint',
    iOSBiometric = 'com.onegini.authenticator.TouchID',
  }
}

// ---- errors.ts: three string enums merged into one object (later spreads win) ----
declare enum WrapperErrors {
  IdentityProviderNotFound = '8001', WrongConfigModel = '8002', MobileAuthOtpIsDisabled = '8003', WrongPin = '8004',
  ResourceCallError = '8005', AuthenticatorDoesNotExist = '8006', ProfileDoesNotExist = '8007', ParametersNotCorrect = '8009',
  RegistrationNotInProgress = '8010', FingerprintNotEnabled = '8011', NoProfileAuthenticated = '8012', MobileAuthNotInProgress = '8013',
  MalformedUrl = '8014', AuthenticationNotInProgress = '8015', PinCreationNotInProgress = '8016', ActionNotAllowed = '8017',
  IncorrectPinFlow = '8018', AuthenticatorNotRegisteredWrapper = '8019', MobileAuthAlreadyInProgress = '8020',
}
declare enum AndroidErrors {
  NetworkConnectivityProblem = '9000', ServerNotReachable = '9001', DeviceDeregistered = '9002', UserDeregistered = '9003',
  OutdatedApp = '9004', OutdatedOs = '9005', ActionCanceled = '9006', ActionAlreadyInProgress = '9007',
  DeviceRegistrationError = '9008', UserNotAuthenticated = '9010', PinBlacklisted = '9011', PinIsASequence = '9012',
  PinUsesSimilarDigits = '9013', WrongPinLength = '9014', InvalidAuthenticator = '9015', DeviceAlreadyEnrolled = '9016',
  EnrollmentNotAvailable = '9017', UserAlreadyEnrolled = '9018', UserDisenrolled = '9020', MobileAuthenticationNotEnrolled = '9021',
  AuthenticatorDeregistered = '9022', MobileAuthenticationDisenrolled = '9023', DataStorageNotAvailable = '9024',
  CustomAuthenticatorFailure = '9027', AlreadyHandled = '9029', InvalidDatetime = '9031', GeneralError = '10000',
  ConfigurationError = '10001', InvalidState = '10002', LocalDeregistration = '10003', AuthenticatorAlreadyRegistered = '10004',
  FidoAuthenticationDisabledDeprecated = '10005', AuthenticatorNotSupported = '10006', AuthenticatorNotRegistered = '10007',
  AuthenticatorPinDeregistrationNotPossible = '10008', LocalLogout = '10009', DeviceNotAuthenticated = '10012',
  MobileAuthenticationRequestNotFound = '10013', InvalidRequest = '10015', FidoServerNotReachableDeprecated = '10016',
  CustomAuthenticationDisabled = '10017', NotHandleable = '10018', InvalidIdentityProvider = '10020',
  CustomRegistrationExpired = '10021', CustomRegistrationFailure = '10022', SingleSignOnDisabled = '10023', AppIntegrityFailure = '10024',
}
declare enum iOSErrors {
  NetworkConnectivityProblem = '9000', ServerNotReachable = '9001', DeviceDeregistered = '9002', UserDeregistered = '9003',
  OutdatedApp = '9004', OutdatedOs = '9005', ActionCanceled = '9006', ActionAlreadyInProgress = '9007',
  DeviceRegistrationError = '9008', AuthenticationErrorInvalidPin = '9009', UserNotAuthenticated = '9010', PinBlacklisted = '9011',
  PinIsASequence = '9012', PinUsesSimilarDigits = '9013', WrongPinLength = '9014', InvalidAuthenticator = '9015',
  DeviceAlreadyEnrolled = '9016', EnrollmentNotAvailable = '9017', UserAlreadyEnrolled = '9018', UserDisenrolled = '9020',
  MobileAuthenticationNotEnrolled = '9021', AuthenticatorDeregistered = '9022', DataStorageNotAvailable = '9024',
  GenericErrorUnrecoverableDataState = '9025', UserNotAuthenticatedImplicitly = '9026', CustomAuthenticatorFailure = '9027',
  AlreadyHandled = '9029', AuthenticationErrorBiometricAuthenticatorFailure = '9030', GeneralError = '10000',
  ConfigurationError = '10001', InvalidState = '10002', LocalDeregistration = '10003', AuthenticatorAlreadyRegistered = '10004',
  AuthenticatorNotSupported = '10006', AuthenticatorNotRegistered = '10007', AuthenticatorPinDeregistrationNotPossible = '10008',
  LocalLogout = '10009', FetchInvalidMethod = '10010', DeviceNotAuthenticated = '10012', MobileAuthenticationRequestNotFound = '10013',
  InvalidRequest = '10015', NotHandleable = '10018', FetchInvalidHeaders = '10019', CustomAuthenticationDisabled = '10020',
  CustomRegistrationExpired = '10021', CustomRegistrationFailure = '10022', SingleSignOnDisabled = '10023', AppIntegrityFailure = '10024',
}
type Merge<A, B> = Omit<A, keyof B> & B;
/** `SDKError`: every code name at the top level (iOS values win where the platforms differ) plus the three groups. */
export declare const SDKError: Merge<Merge<typeof WrapperErrors, typeof AndroidErrors>, typeof iOSErrors> & {
  WrapperErrors: typeof WrapperErrors;
  AndroidErrors: typeof AndroidErrors;
  iOSErrors: typeof iOSErrors;
};

/** The default export: the SDK object (every method returns a Promise). */
export interface OfficialOneginiSdk {
  addEventListener: {
    (eventType: Events.SdkNotification, callback?: (event: Events.SdkEvent) => void): EmitterSubscription;
    (eventType: Events.SdkNotification.PinCreate, callback?: (event: Events.PinCreateEvent) => void): EmitterSubscription;
    (eventType: Events.SdkNotification.PinAuth, callback?: (event: Events.PinAuthenticationEvent) => void): EmitterSubscription;
    (eventType: Events.SdkNotification.CustomRegistration, callback?: (event: Events.CustomRegistrationEvent) => void): EmitterSubscription;
    (eventType: Events.SdkNotification.MobileAuthOtp, callback?: (event: Events.MobileAuthOtpEvent) => void): EmitterSubscription;
    (eventType: Events.SdkNotification.Fingerprint, callback?: (event: Events.FingerprintEvent) => void): EmitterSubscription;
    (eventType: Events.SdkNotification.Registration, callback?: (event: Events.RegistrationURLEvent) => void): EmitterSubscription;
  };
  // setup
  startClient: () => Promise<string | null>;
  // data getters
  getIdentityProviders: () => Promise<Types.IdentityProvider[]>;
  getAccessToken: () => Promise<string>;
  getAuthenticatedUserProfile: () => Promise<Types.Profile>;
  getUserProfiles: () => Promise<Types.Profile[]>;
  getRedirectUri: () => Promise<string>;
  // resources
  authenticateUserImplicitly: (profileId: string, scopes?: string[]) => Promise<void>;
  authenticateDeviceForResource: (scopes?: string[]) => Promise<void>;
  resourceRequest: (type: Types.ResourceRequestType, details: Types.ResourcesDetails) => Promise<Types.ResourceResponse>;
  getResourceBaseUrl: () => Promise<string>;
  // registration
  // (the official signature types scopes as the boxed `String[]`; apps pass string arrays)
  registerUser: (identityProviderId: string | null, scopes?: String[]) => Promise<Types.AuthData>;
  deregisterUser: (profileId: string) => Promise<void>;
  deregisterAuthenticator: (authenticatorId: string) => Promise<void>;
  handleRegistrationCallback: (uri: string) => Promise<void>;
  cancelBrowserRegistration: () => Promise<void>;
  cancelCustomRegistration: (message: string) => Promise<void>;
  // authentication
  authenticateUser: (profileId: string, authenticatorId: string | null) => Promise<Types.AuthData>;
  logout: () => Promise<void>;
  getAllAuthenticators: (profileId: string) => Promise<Types.Authenticator[]>;
  getRegisteredAuthenticators: (profileId: string) => Promise<Types.Authenticator[]>;
  setPreferredAuthenticator: (authenticatorId: string) => Promise<void>;
  validatePinWithPolicy: (pin: string) => Promise<void>;
  registerAuthenticator: (authenticatorId: string) => Promise<void>;
  // PIN
  submitPin: (flow: Events.PinFlow, pin: string) => Promise<void>;
  changePin: () => Promise<void>;
  cancelPinAuthentication: () => Promise<void>;
  cancelPinCreation: () => Promise<void>;
  // mobile authentication (OTP) and custom registration
  enrollMobileAuthentication: () => Promise<void>;
  acceptMobileAuthConfirmation: () => Promise<void>;
  denyMobileAuthConfirmation: () => Promise<void>;
  handleMobileAuthWithOtp: (otpCode: string) => Promise<void>;
  submitCustomRegistrationAction: (identityProviderId: string, token: string | null) => Promise<void>;
  // fingerprint (Android only in the official SDK; results typed `any` there)
  registerFingerprintAuthenticator: (profileId: string) => Promise<any>;
  deregisterFingerprintAuthenticator: (profileId: string) => Promise<void>;
  submitFingerprintAcceptAuthenticationRequest: () => Promise<any>;
  submitFingerprintDenyAuthenticationRequest: () => Promise<any>;
  submitFingerprintFallbackToPin: () => Promise<any>;
  // app-to-web single sign-on
  startSingleSignOn: (uri: string) => Promise<Types.SingleSignOnData>;
}

declare const OneginiSdk: OfficialOneginiSdk;
export default OneginiSdk;
