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
  /** Biometric authentication stages: {@link FingerprintEvent}. */
  Fingerprint = 'ONEWELCOME_FINGERPRINT_NOTIFICATION',
  /** A custom registration step (custom identity provider): {@link CustomRegistrationEvent}. */
  CustomRegistration = 'ONEWELCOME_CUSTOM_REGISTRATION_NOTIFICATION',
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

/** The `action` of {@link FingerprintEvent}. */
export enum Fingerprint {
  /** Offer the biometric: answer with submitFingerprintAcceptAuthenticationRequest, ...Deny... or ...FallbackToPin. */
  StartAuthentication = 'startAuthentication',
  /** A biometric was not recognised; the prompt continues. */
  OnNextAuthenticationAttempt = 'onNextAuthenticationAttempt',
  /** The biometric was recognised. */
  OnFingerprintCaptured = 'onFingerprintCaptured',
  /** The biometric authentication ended. */
  FinishAuthentication = 'finishAuthentication',
}

/** UI stages an app may track for the fingerprint events (the official enum). */
export enum FingerprintStage {
  Idle = 'idle',
  Started = 'started',
  NextAttempt = 'nextAttempt',
  Captured = 'captured',
  Finished = 'finished',
}

/** The `action` of {@link CustomRegistrationEvent} (answer with `submitCustomRegistrationAction`). */
export enum CustomRegistration {
  /** The registration starts: submit a token for the backend's init step, or null. */
  InitRegistration = 'initRegistration',
  /** The backend's init answer is in `customInfo`: submit the user's input. */
  FinishRegistration = 'finishRegistration',
}

// The payload types are generated from core/api (one struct per event action)
// by cmd/contractgen; the names follow the Onegini RN SDK.
export type {
  RegistrationURLEvent,
  PinCreateOpenEvent,
  PinCreateCloseEvent,
  PinNotAllowedEvent,
  PinCreateEvent,
  PinAuthenticationOpenEvent,
  PinAuthenticationCloseEvent,
  IncorrectPinEvent,
  PinAuthenticationEvent,
  MobileAuthenticationRequest,
  StartOtpAuthenticationEvent,
  FinishOtpAuthenticationEvent,
  MobileAuthOtpEvent,
  startFingerprintAuthenticationEvent,
  onNextFingerprintAuthenticationAttemptEvent,
  onFingerprintCapturedEvent,
  finishFingerprintAuthenticationEvent,
  FingerprintEvent,
  initRegistrationEvent,
  finishRegistrationEvent,
  CustomRegistrationEvent,
} from './generated/contract';
import type { EventPayloads } from './generated/contract';

/** Any event payload. */
export type SdkEvent = EventPayloads[keyof EventPayloads];

/** Maps each event name to its payload type. */
export interface SdkEventMap {
  [SdkNotification.Registration]: EventPayloads['ONEWELCOME_REGISTRATION_NOTIFICATION'];
  [SdkNotification.PinCreate]: EventPayloads['ONEWELCOME_PIN_CREATE_NOTIFICATION'];
  [SdkNotification.PinAuth]: EventPayloads['ONEWELCOME_PIN_AUTHENTICATION_NOTIFICATION'];
  [SdkNotification.MobileAuthOtp]: EventPayloads['ONEWELCOME_MOBILE_AUTH_OTP_NOTIFICATION'];
  [SdkNotification.Fingerprint]: EventPayloads['ONEWELCOME_FINGERPRINT_NOTIFICATION'];
  [SdkNotification.CustomRegistration]: EventPayloads['ONEWELCOME_CUSTOM_REGISTRATION_NOTIFICATION'];
}

import type { FinishOtpAuthenticationEvent, StartOtpAuthenticationEvent } from './generated/contract';
/** The official SDK's lower-case name of {@link StartOtpAuthenticationEvent}. */
export type startOtpAuthenticationEvent = StartOtpAuthenticationEvent;
/** The official SDK's lower-case name of {@link FinishOtpAuthenticationEvent}. */
export type finishOtpAuthenticationEvent = FinishOtpAuthenticationEvent;
