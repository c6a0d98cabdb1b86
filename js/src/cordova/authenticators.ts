/**
 * `onegini.user.authenticators.*` of the Cordova flavour, after the Onegini
 * Cordova plugin's reference (user/authenticators.md): getAll, getRegistered,
 * getNotRegistered ({profileId}), getPreferred (the authenticated user's),
 * setPreferred, registerNew (a handler chain: the PIN first) and deregister
 * ({authenticatorType}). Authenticators are `{authenticatorType, authenticatorId,
 * name, isRegistered, isPreferred}` with the plugin's types "PIN" and
 * "Fingerprint" (the device's biometric, fingerprint or face).
 */
import type { OneginiSdkApi, Subscription } from '../client';
import { OneginiError } from '../errors';
import type { Authenticator } from '../generated/contract';
import { FlowHandler, pluginError, PluginError, withCallbacks } from './flow';
import { pinEntryStep, PinActions, PinRequestOptions, quiet } from './steps';

type Cb<T> = (value: T) => void;
type ErrCb = (err: PluginError) => void;

/** An authenticator as the plugin reports it. */
export interface CordovaAuthenticator {
  /** "PIN" or "Fingerprint" (the device's biometric). */
  authenticatorType: 'PIN' | 'Fingerprint';
  /** The core's id: "PIN", or the biometric id of Types.BiometricAuthenticatorIds. */
  authenticatorId: string;
  name: string;
  isRegistered: boolean;
  isPreferred: boolean;
}

/** Names an authenticator: `{authenticatorType}` ("PIN" / "Fingerprint"), `{authenticatorId}`, or the string. */
export type AuthenticatorOptions = { authenticatorType?: string; authenticatorId?: string } | string;

/** The handler chain of `authenticators.registerNew`: onPinRequest (required), onSuccess, onError. */
export class AuthenticatorRegistrationFlow extends FlowHandler<void> {
  /** Called when the user must enter the PIN; answer with `actions.providePin(pin)`. Required. */
  onPinRequest(cb: (actions: PinActions, options: PinRequestOptions) => void): this {
    return this.set('onPinRequest', cb);
  }
}

/** `onegini.user.authenticators`. */
export interface CordovaAuthenticators {
  /**
   * The authenticators this device offers for a profile (PIN, and the biometric
   * when one is enrolled on the device). Fails with 8007 (unknown profile).
   * @example
   * const list = await onegini.user.authenticators.getAll({ profileId });
   */
  getAll(options: { profileId: string } | string, success?: Cb<CordovaAuthenticator[]>, failure?: ErrCb): Promise<CordovaAuthenticator[]>;
  /** The authenticators registered for a profile. */
  getRegistered(options: { profileId: string } | string, success?: Cb<CordovaAuthenticator[]>, failure?: ErrCb): Promise<CordovaAuthenticator[]>;
  /** The authenticators offered but not registered for a profile. */
  getNotRegistered(options: { profileId: string } | string, success?: Cb<CordovaAuthenticator[]>, failure?: ErrCb): Promise<CordovaAuthenticator[]>;
  /** The authenticated user's preferred authenticator (9010, or the plugin's 8005 when nobody is authenticated). */
  getPreferred(success?: Cb<CordovaAuthenticator>, failure?: ErrCb): Promise<CordovaAuthenticator>;
  /**
   * Makes a registered authenticator the one `user.authenticate({profileId})` uses.
   * @example
   * await onegini.user.authenticators.setPreferred({ authenticatorType: 'Fingerprint' });
   */
  setPreferred(options: AuthenticatorOptions, success?: Cb<void>, failure?: ErrCb): Promise<void>;
  /**
   * Registers an authenticator for the authenticated user: a handler chain
   * with onPinRequest (the PIN first), onSuccess, onError (10006 not offered
   * here, 9030 no usable biometric, 9006 cancelled).
   * @example
   * await onegini.user.authenticators.registerNew({ authenticatorType: 'Fingerprint' })
   *   .onPinRequest((actions) => actions.providePin(askPin()));
   */
  registerNew(options: AuthenticatorOptions): AuthenticatorRegistrationFlow;
  /** Removes an authenticator of the authenticated user (not the PIN). */
  deregister(options: AuthenticatorOptions, success?: Cb<void>, failure?: ErrCb): Promise<void>;
}

/**
 * The core's authenticator id for the plugin's `{authenticatorType}` /
 * `{authenticatorId}`: "PIN", or the biometric by its type "Fingerprint" or
 * its id (the core takes either, in any case, and answers 10006 for others).
 */
export function authenticatorIdOf(method: string, options: unknown): string {
  let v: unknown = options;
  if (options !== null && typeof options === 'object' && !Array.isArray(options)) {
    const o = options as { authenticatorType?: unknown; authenticatorId?: unknown };
    v = o.authenticatorId ?? o.authenticatorType;
  }
  if (typeof v !== 'string' || v === '') {
    throw pluginError(8009, `${method}: argument "authenticatorType" must be "PIN" or "Fingerprint"`);
  }
  return v.toUpperCase() === 'PIN' ? 'PIN' : v;
}

/** The plugin's shape of an authenticator. */
export function toCordovaAuthenticator(a: Authenticator): CordovaAuthenticator {
  return {
    authenticatorType: a.id === 'PIN' ? 'PIN' : 'Fingerprint',
    authenticatorId: a.id,
    name: a.name,
    isRegistered: a.isRegistered,
    isPreferred: a.isPreferred,
  };
}

function profileOf(method: string, o: unknown): string {
  const id = typeof o === 'string' ? o : o !== null && typeof o === 'object' && !Array.isArray(o) ? (o as { profileId?: unknown }).profileId : undefined;
  if (typeof id !== 'string' || id === '') throw pluginError(8009, `${method}: argument "profileId" must be a non-empty string`);
  return id;
}

/** Builds `onegini.user.authenticators` over an OneginiSdk API. */
export function createCordovaAuthenticators(sdk: OneginiSdkApi): CordovaAuthenticators {
  const call = <T>(f: () => Promise<T>, success?: unknown, failure?: unknown): Promise<T> => {
    let p: Promise<T>;
    try {
      p = f();
    } catch (err) {
      p = Promise.reject(err);
    }
    return withCallbacks(p, success, failure);
  };
  const list = (method: string, options: unknown, keep: (a: Authenticator) => boolean): Promise<CordovaAuthenticator[]> =>
    sdk.getAllAuthenticators(profileOf(`user.authenticators.${method}`, options)).then((all) => all.filter(keep).map(toCordovaAuthenticator));

  return {
    getAll: (options, success, failure) => call(() => list('getAll', options, () => true), success, failure),
    getRegistered: (options, success, failure) => call(() => list('getRegistered', options, (a) => a.isRegistered), success, failure),
    getNotRegistered: (options, success, failure) => call(() => list('getNotRegistered', options, (a) => !a.isRegistered), success, failure),
    getPreferred: (success, failure) =>
      call(
        async () => {
          const { id } = await sdk.getAuthenticatedUserProfile();
          const preferred = (await sdk.getAllAuthenticators(id)).find((a) => a.isPreferred);
          if (!preferred) throw pluginError(10000, 'user.authenticators.getPreferred: the core reported no preferred authenticator');
          return toCordovaAuthenticator(preferred);
        },
        success,
        failure,
      ),
    setPreferred: (options, success, failure) =>
      call(() => sdk.setPreferredAuthenticator(authenticatorIdOf('user.authenticators.setPreferred', options)), success, failure),
    deregister: (options, success, failure) =>
      call(() => sdk.deregisterAuthenticator(authenticatorIdOf('user.authenticators.deregister', options)), success, failure),
    registerNew(options) {
      let subs: Subscription[] = [];
      let flow!: AuthenticatorRegistrationFlow;
      const run = (async () => {
        const id = authenticatorIdOf('user.authenticators.registerNew', options);
        let missing: OneginiError | null = null;
        const fail = (err: OneginiError, cancel: () => Promise<unknown>): void => {
          missing = err;
          void quiet(cancel());
        };
        const lookup = <A extends unknown[]>(name: string) => flow.handler<A>(name);
        subs = [pinEntryStep(sdk, 'user.authenticators.registerNew', lookup, fail)];
        try {
          await sdk.registerAuthenticator(id);
        } catch (err) {
          throw missing ?? err;
        }
      })().finally(() => subs.forEach((s) => s.remove()));
      flow = new AuthenticatorRegistrationFlow(run);
      return flow;
    },
  };
}
