/**
 * App-style code written against the OFFICIAL OneWelcome React Native SDK's types
 * (js/test/onegini-surface/rn-official.d.ts), with only the import path changed.
 * It uses every official export — every method, every event enum and payload,
 * every data type, SDKError — the way the official SDK types them.
 *
 * GATING: js/tools/onegini-surface.mjs compiles it against the packed package;
 * `--strict` (run by scripts/test-js.sh) fails on any error that is not about a
 * member listed as pending in js/test/onegini-surface/deliberate.json. The
 * acceptance test of issues 15 and 17.
 */
import OneginiSdk, { Events, Types, SDKError } from '@openmobileauth/react-native-sdk';

// ---------------------------------------------------------------- start and data getters
export async function start(): Promise<void> {
  const started: string | null = await OneginiSdk.startClient();
  if (started !== null) console.log('startClient said', started);
  const redirect: string = await OneginiSdk.getRedirectUri();
  const idps: Types.IdentityProvider[] = await OneginiSdk.getIdentityProviders();
  const first: Types.IdentityProvider | undefined = idps[0];
  console.log(redirect, first?.id, first?.name);
  const profiles: Types.Profile[] = await OneginiSdk.getUserProfiles();
  const me: Types.Profile = await OneginiSdk.getAuthenticatedUserProfile();
  const token: string = await OneginiSdk.getAccessToken();
  console.log(profiles.length, me.id, token.length);
}

// ---------------------------------------------------------------- registration (browser and custom)
export async function register(): Promise<Types.Profile> {
  const sub = OneginiSdk.addEventListener(Events.SdkNotification.Registration, (event: Events.RegistrationURLEvent) => {
    console.log('open', event.url);
    void OneginiSdk.handleRegistrationCallback('myapp://callback?code=1').catch(() => OneginiSdk.cancelBrowserRegistration());
  });
  const custom = OneginiSdk.addEventListener(Events.SdkNotification.CustomRegistration, (event: Events.CustomRegistrationEvent) => {
    const info: { data: string; status: number } | undefined = event.customInfo;
    if (event.action === Events.CustomRegistration.InitRegistration) {
      const init: Events.initRegistrationEvent = event;
      void OneginiSdk.submitCustomRegistrationAction(init.identityProviderId, null);
    } else if (event.action === Events.CustomRegistration.FinishRegistration) {
      const fin: Events.finishRegistrationEvent = event;
      if (info && info.status !== 200) void OneginiSdk.cancelCustomRegistration('user cancelled');
      else void OneginiSdk.submitCustomRegistrationAction(fin.identityProviderId, 'code-from-letter');
    }
  });
  try {
    const scopes: String[] = ['read'];
    const auth: Types.AuthData = await OneginiSdk.registerUser(null, scopes);
    const customInfo: Types.CustomInfo | undefined = auth.customInfo;
    if (customInfo) console.log(customInfo.status, customInfo.data);
    await OneginiSdk.registerUser('idp-1');
    return auth.userProfile;
  } finally {
    sub.remove();
    custom.remove();
  }
}

// ---------------------------------------------------------------- PIN events
export function pinScreens(): { remove(): void } {
  const create = OneginiSdk.addEventListener(Events.SdkNotification.PinCreate, (event: Events.PinCreateEvent) => {
    switch (event.action) {
      case Events.PinCreate.Open: {
        const open: Events.PinCreateOpenEvent = event;
        console.log(open.profileId, open.pinLength);
        void OneginiSdk.submitPin(Events.PinFlow.Create, '12345');
        break;
      }
      case Events.PinCreate.PinNotAllowed: {
        const bad: Events.PinNotAllowedEvent = event;
        const code: number = bad.errorCode;
        const msg: string = bad.errorMsg;
        console.log(code, msg);
        void OneginiSdk.cancelPinCreation();
        break;
      }
      case Events.PinCreate.Close: {
        const close: Events.PinCreateCloseEvent = event;
        const flow: Events.PinFlow.Create = close.flow;
        console.log(flow);
        break;
      }
    }
  });
  const auth = OneginiSdk.addEventListener(Events.SdkNotification.PinAuth, (event: Events.PinAuthenticationEvent) => {
    if (event.action === Events.PinAuthentication.Open) {
      const open: Events.PinAuthenticationOpenEvent = event;
      console.log(open.profileId);
      void OneginiSdk.submitPin(Events.PinFlow.Authentication, '12345');
    } else if (event.action === Events.PinAuthentication.IncorrectPin) {
      const wrong: Events.IncorrectPinEvent = event;
      const left: number = wrong.remainingFailureCount;
      console.log(wrong.errorCode, wrong.errorMsg, left);
      if (left === 0) void OneginiSdk.cancelPinAuthentication();
    } else {
      const close: Events.PinAuthenticationCloseEvent = event;
      console.log(close.flow === Events.PinFlow.Authentication);
    }
  });
  // The catch-all overload with the union of every payload.
  const all = OneginiSdk.addEventListener(Events.SdkNotification.PinCreate, (event: Events.SdkEvent) => {
    if ('url' in event) console.log(event.url);
  });
  return {
    remove() {
      create.remove();
      auth.remove();
      all.remove();
    },
  };
}

// ---------------------------------------------------------------- payload fields typed with the official enums
// Apps keep fields in enum-typed state and build payloads in their own tests
// (mocks without the fields the official types do not have).
export function enumTypedPayloads(
  open: Events.PinCreateOpenEvent,
  authOpen: Events.PinAuthenticationOpenEvent,
  start: Events.startFingerprintAuthenticationEvent,
  init: Events.initRegistrationEvent,
): Events.SdkEvent[] {
  const createFlow: Events.PinFlow.Create = open.flow;
  const createAction: Events.PinCreate.Open = open.action;
  const authFlow: Events.PinFlow.Authentication = authOpen.flow;
  const authAction: Events.PinAuthentication.Open = authOpen.action;
  const fpAction: Events.Fingerprint.StartAuthentication = start.action;
  const crAction: Events.CustomRegistration.InitRegistration = init.action;
  console.log(createFlow, createAction, authFlow, authAction, fpAction, crAction);
  const request = { message: 'Log in?', type: 'login', transactionId: 't1', signingData: 'Log in?' };
  return [
    { flow: Events.PinFlow.Create, action: Events.PinCreate.Close },
    { flow: Events.PinFlow.Create, action: Events.PinCreate.PinNotAllowed, errorCode: 9011, errorMsg: 'blacklisted' },
    { flow: Events.PinFlow.Authentication, action: Events.PinAuthentication.Close },
    { flow: Events.PinFlow.Authentication, action: Events.PinAuthentication.IncorrectPin, errorCode: 8004, errorMsg: 'wrong', remainingFailureCount: 2 },
    { action: Events.MobileAuthOtp.StartAuthentication, mobileAuthenticationRequest: request },
    { action: Events.MobileAuthOtp.FinishAuthentication, mobileAuthenticationRequest: request },
    { action: Events.Fingerprint.OnNextAuthenticationAttempt },
    { action: Events.CustomRegistration.FinishRegistration, identityProviderId: 'idp-1', customInfo: { status: 2000, data: 'ok' } },
  ];
}

// ---------------------------------------------------------------- authentication, authenticators, PIN management
export async function login(profile: Types.Profile): Promise<void> {
  const all: Types.Authenticator[] = await OneginiSdk.getAllAuthenticators(profile.id);
  const registered: Types.Authenticator[] = await OneginiSdk.getRegisteredAuthenticators(profile.id);
  const preferred: Types.Authenticator | undefined = registered.find((a) => a.isPreferred);
  const owner: Types.Profile | undefined = preferred?.userProfile;
  console.log(all.map((a) => `${a.id} ${a.name} ${a.type} ${a.isRegistered}`), owner?.id);
  const auth: Types.AuthData = await OneginiSdk.authenticateUser(profile.id, preferred ? preferred.id : null);
  console.log(auth.userProfile.id);

  const biometric = all.find((a) => Object.values<string>(Types.BiometricAuthenticatorIds).includes(a.id));
  if (biometric && !biometric.isRegistered) {
    await OneginiSdk.registerAuthenticator(biometric.id);
    await OneginiSdk.setPreferredAuthenticator(biometric.id);
  }
  if (biometric?.id === Types.BiometricAuthenticatorIds.AndroidFingerprint) await OneginiSdk.deregisterAuthenticator(biometric.id);
  if (biometric?.id === Types.BiometricAuthenticatorIds.iOSBiometric) await OneginiSdk.deregisterAuthenticator(biometric.id);

  await OneginiSdk.validatePinWithPolicy('13579');
  await OneginiSdk.changePin();
  await OneginiSdk.logout();
  await OneginiSdk.deregisterUser(profile.id);
}

// ---------------------------------------------------------------- fingerprint (Android)
export async function fingerprint(profileId: string): Promise<void> {
  let stage: Events.FingerprintStage = Events.FingerprintStage.Idle;
  const sub = OneginiSdk.addEventListener(Events.SdkNotification.Fingerprint, (event: Events.FingerprintEvent) => {
    switch (event.action) {
      case Events.Fingerprint.StartAuthentication: {
        const start: Events.startFingerprintAuthenticationEvent = event;
        console.log(start.userProfile.profileId);
        stage = Events.FingerprintStage.Started;
        void OneginiSdk.submitFingerprintAcceptAuthenticationRequest();
        break;
      }
      case Events.Fingerprint.OnNextAuthenticationAttempt: {
        const next: Events.onNextFingerprintAuthenticationAttemptEvent = event;
        console.log(next.action);
        stage = Events.FingerprintStage.NextAttempt;
        break;
      }
      case Events.Fingerprint.OnFingerprintCaptured: {
        const captured: Events.onFingerprintCapturedEvent = event;
        console.log(captured.action);
        stage = Events.FingerprintStage.Captured;
        break;
      }
      case Events.Fingerprint.FinishAuthentication: {
        const finish: Events.finishFingerprintAuthenticationEvent = event;
        console.log(finish.action);
        stage = Events.FingerprintStage.Finished;
        break;
      }
    }
  });
  try {
    const r: any = await OneginiSdk.registerFingerprintAuthenticator(profileId);
    console.log(r, stage);
    await OneginiSdk.submitFingerprintDenyAuthenticationRequest();
    await OneginiSdk.submitFingerprintFallbackToPin();
    await OneginiSdk.deregisterFingerprintAuthenticator(profileId);
  } finally {
    sub.remove();
  }
}

// ---------------------------------------------------------------- mobile authentication with OTP
export async function otp(code: string): Promise<void> {
  await OneginiSdk.enrollMobileAuthentication();
  const sub = OneginiSdk.addEventListener(Events.SdkNotification.MobileAuthOtp, (event: Events.MobileAuthOtpEvent) => {
    if (event.action === Events.MobileAuthOtp.StartAuthentication) {
      const start: Events.startOtpAuthenticationEvent = event;
      const req: { message: string; type: string; transactionId: string; signingData: string } = start.mobileAuthenticationRequest;
      console.log(req.message, req.type, req.transactionId, req.signingData);
      void (req.message ? OneginiSdk.acceptMobileAuthConfirmation() : OneginiSdk.denyMobileAuthConfirmation());
    } else {
      const finish: Events.finishOtpAuthenticationEvent = event;
      console.log(finish.mobileAuthenticationRequest.transactionId);
    }
  });
  try {
    await OneginiSdk.handleMobileAuthWithOtp(code);
  } catch (err: any) {
    if (err.code === SDKError.ActionCanceled) console.log('denied');
    if (err.code === SDKError.MobileAuthenticationNotEnrolled) console.log('not enrolled');
    if (err.code === SDKError.WrapperErrors.MobileAuthNotInProgress) console.log('nothing to answer');
    if (err.code === SDKError.AndroidErrors.NotHandleable || err.code === SDKError.iOSErrors.NotHandleable) console.log('bad otp');
  } finally {
    sub.remove();
  }
}

// ---------------------------------------------------------------- resources, implicit and device authentication, SSO
export async function resources(profileId: string): Promise<void> {
  const base: string = await OneginiSdk.getResourceBaseUrl();
  const headers: Types.StringMap = { 'X-App': 'example' };

  await OneginiSdk.authenticateDeviceForResource(['application-details']);
  await OneginiSdk.authenticateDeviceForResource();
  const get: Types.ResourcesDetailsGet = { path: `${base}/application-details`, method: Types.ResourceMethod.GET, headers };
  const anon: Types.ResourceResponse = await OneginiSdk.resourceRequest(Types.ResourceRequestType.Anonymous, get);
  if (anon.ok) {
    const app: Types.AppDetailsResources = JSON.parse(anon.body);
    console.log(app.applicationIdentifier, app.applicationPlatform, app.applicationVersion, anon.status, anon.headers['content-type']);
  }

  await OneginiSdk.authenticateUserImplicitly(profileId, ['read']);
  await OneginiSdk.authenticateUserImplicitly(profileId);
  const implicit: Types.ResourceResponse = await OneginiSdk.resourceRequest(Types.ResourceRequestType.Implicit, {
    path: `${base}/user-id-decorated`,
    method: Types.ResourceMethod.GET,
  });
  const decorated: Types.ImplicitUserDetails = JSON.parse(implicit.body);
  console.log(decorated.decoratedUserId);

  const post: Types.ResourceDetailsPost = { path: `${base}/devices`, method: Types.ResourceMethod.POST, body: '{}' };
  const put: Types.ResourceDetailsPut = { path: `${base}/devices/1`, method: Types.ResourceMethod.PUT, body: '{}', headers };
  const del: Types.ResourceDetailsDelete = { path: `${base}/devices/1`, method: Types.ResourceMethod.DELETE };
  for (const details of [post, put, del] as Types.ResourcesDetails[]) {
    const res: Types.ResourceResponse = await OneginiSdk.resourceRequest(Types.ResourceRequestType.User, details);
    const devices: Types.Device[] = res.ok ? JSON.parse(res.body).devices : [];
    for (const d of devices) console.log(d.id, d.name, d.application, d.platform, d.isMobileAuthenticationEnabled);
  }

  const sso: Types.SingleSignOnData = await OneginiSdk.startSingleSignOn('https://example.com/dashboard');
  console.log(sso.url, sso.token);
  const info: Types.userInfo = { remainingFailureCount: '3' };
  console.log(info.remainingFailureCount);
}

// ---------------------------------------------------------------- errors as the official SDK names them
export function describeError(code: string): string {
  const known: string[] = [
    SDKError.NetworkConnectivityProblem,
    SDKError.ServerNotReachable,
    SDKError.DeviceDeregistered,
    SDKError.UserDeregistered,
    SDKError.UserNotAuthenticated,
    SDKError.WrongPin,
    SDKError.ProfileDoesNotExist,
    SDKError.ParametersNotCorrect,
    SDKError.NoProfileAuthenticated,
    SDKError.DeviceNotAuthenticated,
    SDKError.MobileAuthenticationRequestNotFound,
    SDKError.PinBlacklisted,
    SDKError.PinIsASequence,
    SDKError.PinUsesSimilarDigits,
    SDKError.WrongPinLength,
    SDKError.AlreadyHandled,
    SDKError.AuthenticationErrorInvalidPin,
    SDKError.UserNotAuthenticatedImplicitly,
  ];
  return known.includes(code) ? 'known' : 'other';
}
