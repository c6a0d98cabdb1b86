/**
 * The result shapes and handler chains (flows) of the Cordova flavour's
 * user and mobile-authentication members; api.ts builds the `onegini` object
 * over them.
 */
import type { MobileAuthenticationRequest } from '../events';
import { FlowHandler } from './flow';
import type {
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

/** A profile as the Cordova flavour reports it (both spellings of the id). */
export interface CordovaProfile {
  id: string;
  profileId: string;
}

/** What user.getAppToWebSingleSignOn resolves to (the plugin's names). */
export interface CordovaSingleSignOn {
  /** The one-time URL to open in the browser. */
  redirectUri: string;
  /** The token parameter of redirectUri, as a convenience. */
  token: string;
}

/** What registration and authentication resolve to. */
export interface CordovaAuthResult {
  userProfile: CordovaProfile;
}

/** What registration resolves to: also the profile id at the top (as the plugin's success) and a custom registration's last answer. */
export interface CordovaRegistrationResult extends CordovaAuthResult {
  profileId: string;
  customInfo?: { status: number; data: string };
}


/** Actions given to `onRegistrationRequest`. */
export interface RegistrationActions {
  /** Hands the redirect URI the browser ended on to the registration (`url` or `{url}`). */
  handleRegistrationUrl(url: string | { url: string }): Promise<void>;
  /** Cancels the registration (it fails with 9006). */
  cancel(): Promise<void>;
  /** The older name of {@link RegistrationActions.cancel}. */
  cancelRegistration(): Promise<void>;
}

/** Actions given to the custom registration handlers (the identity provider's init and complete steps). */
export interface CustomRegistrationActions {
  /** Answers the init step: data for the backend's init (or none). */
  acceptRegistrationInitRequest(data?: string | { data?: string | null } | null): Promise<void>;
  /** Refuses the init step: the registration fails with 9006. */
  denyRegistrationInitRequest(): Promise<void>;
  /** Answers the complete step with the user's input (e.g. the code from a letter). */
  acceptRegistrationCompleteRequest(data?: string | { data?: string | null } | null): Promise<void>;
  /** Refuses the complete step: the registration fails with 9006. */
  denyRegistrationCompleteRequest(): Promise<void>;
  /** Cancels the registration (it fails with 9006). */
  cancel(): Promise<void>;
}

/** Options given to the custom registration handlers: the backend's last answer when there is one. */
export interface CustomRegistrationOptions {
  identityProviderId: string;
  customInfoStatus?: number;
  customInfoData?: string;
}

/** The registration flow's handler chain. */
export class RegistrationFlow extends FlowHandler<CordovaRegistrationResult> {
  /**
   * Called with the URL to open; answer with `actions.handleRegistrationUrl(redirectUri)`.
   * Without it the plugin opens the URL itself (cordova-plugin-inappbrowser).
   */
  onRegistrationRequest(cb: (actions: RegistrationActions, options: { url: string }) => void): this {
    return this.set('onRegistrationRequest', cb);
  }
  /** Called when the user must choose a PIN; answer with `actions.createPin(pin)`. Required. */
  onCreatePinRequest(cb: (actions: CreatePinActions, options: CreatePinOptions) => void): this {
    return this.set('onCreatePinRequest', cb);
  }
  /**
   * A custom identity provider's init step: answer with
   * `actions.acceptRegistrationInitRequest(data?)` or `denyRegistrationInitRequest()`.
   * Without it the init step is answered without data.
   */
  onCustomRegistrationInitRequest(cb: (actions: CustomRegistrationActions, options: CustomRegistrationOptions) => void): this {
    return this.set('onCustomRegistrationInitRequest', cb);
  }
  /**
   * A custom identity provider's complete step, with the backend's init answer
   * (`customInfoStatus`, `customInfoData`): answer with
   * `actions.acceptRegistrationCompleteRequest(userInput)` or
   * `denyRegistrationCompleteRequest()`. Required for custom identity providers.
   */
  onCustomRegistrationCompleteRequest(cb: (actions: CustomRegistrationActions, options: CustomRegistrationOptions) => void): this {
    return this.set('onCustomRegistrationCompleteRequest', cb);
  }
}

/** The authentication (and reauthentication) flow's handler chain. */
export class AuthenticationFlow extends FlowHandler<CordovaAuthResult> {
  /** Called when the user must enter the PIN (again after a wrong one); answer with `actions.providePin(pin)`. */
  onPinRequest(cb: (actions: PinActions, options: PinRequestOptions) => void): this {
    return this.set('onPinRequest', cb);
  }
  /**
   * Called when the biometric authenticator is used: answer with
   * `actions.acceptFingerprint()` (the prompt), `denyFingerprint()` (9006) or
   * `fallbackToPin()` (onPinRequest follows).
   */
  onFingerprintRequest(cb: (actions: FingerprintActions, options: FingerprintRequestOptions) => void): this {
    return this.set('onFingerprintRequest', cb);
  }
  /** Called when the biometric was recognised. */
  onFingerprintCaptured(cb: () => void): this {
    return this.set('onFingerprintCaptured', cb);
  }
  /** Called when a biometric was not recognised; the prompt goes on. */
  onFingerprintFailed(cb: () => void): this {
    return this.set('onFingerprintFailed', cb);
  }
}

/** The change PIN flow's handler chain: the current PIN, then the new one. */
export class ChangePinFlow extends FlowHandler<void> {
  /** Called for the current PIN (again after a wrong one); answer with `actions.providePin(pin)`. Required. */
  onPinRequest(cb: (actions: PinActions, options: PinRequestOptions) => void): this {
    return this.set('onPinRequest', cb);
  }
  /** Called for the new PIN (again with `error` when the policy refuses it); answer with `actions.createPin(pin)`. Required. */
  onCreatePinRequest(cb: (actions: CreatePinActions, options: CreatePinOptions) => void): this {
    return this.set('onCreatePinRequest', cb);
  }
}

/** The OTP mobile authentication flow's handler chain. */
export class OtpFlow extends FlowHandler<void> {
  /** Called with the request to confirm; answer with `actions.accept()` or `actions.deny()`. Required. */
  onConfirmationRequest(cb: (actions: ConfirmationActions, request: MobileAuthenticationRequest) => void): this {
    return this.set('onConfirmationRequest', cb);
  }
  /**
   * Called for a request whose OTP type requires user verification
   * (`request.userVerification === 'required'`): answer with
   * `actions.accept(pin)` or `actions.deny()`; called again with
   * `remainingFailureCount` after a wrong PIN.
   */
  onPinRequest(cb: (actions: MobileAuthPinActions, request: MobileAuthPinRequest) => void): this {
    return this.set('onPinRequest', cb);
  }
  /**
   * Called for a request with user verification when the biometric is the
   * profile's preferred authenticator: `actions.accept()` shows the prompt,
   * `actions.fallbackToPin()` uses the PIN (onPinRequest), `actions.deny()`.
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
}
