/**
 * Event names and payloads, as the Onegini React Native SDK names them.
 * Subscribe with `OneginiSdk.addEventListener(Events.SdkNotification.PinCreate, cb)`.
 * The string values mirror `core/api/events.go` (checked by the contract test).
 */

/** The event names (the `type` of each event). */
export enum SdkNotification {
  /** The registration URL to open in a browser: {@link RegistrationURLEvent}. */
  Registration = 'ONEWELCOME_REGISTRATION_NOTIFICATION',
  /** PIN creation (during registration): {@link PinCreateEvent}. */
  PinCreate = 'ONEWELCOME_PIN_CREATE_NOTIFICATION',
  /** PIN entry (during authentication): {@link PinAuthenticationEvent}. */
  PinAuth = 'ONEWELCOME_PIN_AUTHENTICATION_NOTIFICATION',
  /** A mobile authentication request to confirm: {@link MobileAuthOtpEvent}. */
  MobileAuthOtp = 'ONEWELCOME_MOBILE_AUTH_OTP_NOTIFICATION',
}

/** The `flow` of PIN events and the first argument of `submitPin`. */
export enum PinFlow {
  Create = 'Create',
  Authentication = 'Authentication',
}

/** The `action` of {@link PinCreateEvent}. */
export enum PinCreate {
  /** Show the PIN creation screen; `pinLength` tells the length. */
  Open = 'open',
  /** Close the PIN creation screen (done, cancelled or failed). */
  Close = 'close',
  /** The PIN breaks the policy; `errorCode`/`errorMsg` tell why; ask again. */
  PinNotAllowed = 'pinNotAllowed',
}

/** The `action` of {@link PinAuthenticationEvent}. */
export enum PinAuthentication {
  /** Show the PIN entry screen. */
  Open = 'open',
  /** Close the PIN entry screen. */
  Close = 'close',
  /** The PIN was wrong; `remainingFailureCount` tells how many attempts are left; ask again. */
  IncorrectPin = 'incorrectPin',
}

/** The `action` of {@link MobileAuthOtpEvent}. */
export enum MobileAuthOtp {
  /** Show the request and ask the user to accept or deny it. */
  StartAuthentication = 'startAuthentication',
  /** The flow ended (answered, cancelled or failed): close the confirmation screen. */
  FinishAuthentication = 'finishAuthentication',
}

/** Payload of {@link SdkNotification.Registration}: open `url` in a browser. */
export interface RegistrationURLEvent {
  url: string;
}

/** PIN creation screen should open. */
export interface PinCreateOpenEvent {
  action: PinCreate.Open;
  flow: PinFlow.Create;
  profileId: string;
  pinLength: number;
}

/** PIN creation screen should close. */
export interface PinCreateCloseEvent {
  action: PinCreate.Close;
  flow: PinFlow.Create;
  profileId?: string;
  pinLength?: number;
}

/** The submitted PIN was refused by the PIN policy. */
export interface PinNotAllowedEvent {
  action: PinCreate.PinNotAllowed;
  flow: PinFlow.Create;
  profileId: string;
  pinLength: number;
  errorCode: number;
  errorMsg: string;
}

/** Payload of {@link SdkNotification.PinCreate}. */
export type PinCreateEvent = PinCreateOpenEvent | PinCreateCloseEvent | PinNotAllowedEvent;

/** PIN entry screen should open. */
export interface PinAuthenticationOpenEvent {
  action: PinAuthentication.Open;
  flow: PinFlow.Authentication;
  profileId: string;
}

/** PIN entry screen should close. */
export interface PinAuthenticationCloseEvent {
  action: PinAuthentication.Close;
  flow: PinFlow.Authentication;
  profileId?: string;
}

/** The PIN was wrong; ask again. */
export interface IncorrectPinEvent {
  action: PinAuthentication.IncorrectPin;
  flow: PinFlow.Authentication;
  profileId: string;
  remainingFailureCount: number;
}

/** Payload of {@link SdkNotification.PinAuth}. */
export type PinAuthenticationEvent = PinAuthenticationOpenEvent | PinAuthenticationCloseEvent | IncorrectPinEvent;

/** What the user is asked to confirm. */
export interface MobileAuthenticationRequest {
  /** The text to show, e.g. "Log in to Example Bank from Chrome on Linux". */
  message: string;
  /** The request type configured on the server. */
  type: string;
  /** The server's transaction id. */
  transactionId: string;
  /** The profile that answers. */
  userProfile: { id: string };
}

/** Ask the user to accept or deny; answer with accept/denyMobileAuthConfirmation. */
export interface StartOtpAuthenticationEvent {
  action: MobileAuthOtp.StartAuthentication;
  mobileAuthenticationRequest: MobileAuthenticationRequest;
}

/** The mobile authentication flow ended. */
export interface FinishOtpAuthenticationEvent {
  action: MobileAuthOtp.FinishAuthentication;
  mobileAuthenticationRequest?: MobileAuthenticationRequest;
}

/** Payload of {@link SdkNotification.MobileAuthOtp}. */
export type MobileAuthOtpEvent = StartOtpAuthenticationEvent | FinishOtpAuthenticationEvent;

/** Any event payload. */
export type SdkEvent = RegistrationURLEvent | PinCreateEvent | PinAuthenticationEvent | MobileAuthOtpEvent;

/** Maps each event name to its payload type. */
export interface SdkEventMap {
  [SdkNotification.Registration]: RegistrationURLEvent;
  [SdkNotification.PinCreate]: PinCreateEvent;
  [SdkNotification.PinAuth]: PinAuthenticationEvent;
  [SdkNotification.MobileAuthOtp]: MobileAuthOtpEvent;
}
