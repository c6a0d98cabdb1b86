/**
 * The official OneWelcome React Native example app's call sequences (the
 * `example/` folder of onewelcome/sdk-react-native: splash screen, register and
 * log-in buttons, PIN modal, settings, change-authenticator screen, mobile
 * authentication OTP modal, dashboard actions, info/devices screens) performed
 * through the Node transport on the REAL Go core (cmd/bridgehost) and a REAL
 * Token Server on 127.0.0.1 — the same calls in the same order, with the same
 * argument shapes, relying on the same result fields and event payload fields
 * the app's screens read. The app code here is written for this test (facts
 * only: which calls, which fields).
 *
 * What the example app relies on, step by step:
 * - splash: startClient() resolves; getRedirectUri() resolves a string whose
 *   scheme (text before ':') the app stores to match incoming links;
 * - register button: registerUser(null, ['read']) with the registration URL from
 *   ONEWELCOME_REGISTRATION_NOTIFICATION ({url}) answered by
 *   handleRegistrationCallback(url); PIN creation from the PinCreate `open`
 *   event (profileId, pinLength) and submitPin(PinFlow.Create, pin);
 * - log-in button: getUserProfiles() → profiles.length, profiles[0].id,
 *   authenticateUser(id, null); the PIN modal shows `remainingFailureCount` and
 *   `errorMsg` from the `incorrectPin` event, the cancel button
 *   cancelPinAuthentication() makes the promise reject (the app shows
 *   e.message);
 * - error display: JSON.stringify(err) and err.message carry the code and text;
 * - settings: enrollMobileAuthentication(); changePin() through the PIN events;
 * - change-authenticator screen: getAuthenticatedUserProfile(), then
 *   getRegisteredAuthenticators / getAllAuthenticators (a fingerprint one found by
 *   name.toUpperCase() === 'FINGERPRINT' || 'TOUCHID', the preferred one by
 *   isPreferred), registerFingerprintAuthenticator(profileId),
 *   setPreferredAuthenticator(id), deregisterFingerprintAuthenticator(profileId);
 * - mobile auth OTP modal: handleMobileAuthWithOtp(otp); the MobileAuthOtp
 *   `startAuthentication` event's mobileAuthenticationRequest.message is shown,
 *   OK → acceptMobileAuthConfirmation(), CANCEL → denyMobileAuthConfirmation();
 *   `finishAuthentication` hides the modal; the promise resolves after OK and
 *   rejects (e.message shown) after CANCEL;
 * - info/devices screens: authenticateUserImplicitly(profileId, scopes) then an
 *   Implicit resource whose JSON has decorated_user_id;
 *   authenticateDeviceForResource(scopes) then an Anonymous resource with
 *   application_identifier / application_platform / application_version; the
 *   resource paths as the app writes them (relative to the resource base URL);
 * - dashboard: startSingleSignOn(url) → it.url opened in the browser; logout();
 *   deregister: getUserProfiles()[0] → deregisterUser(id).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createOneginiSdk, Events, OneginiError, SDKError, Types } from '@openmobileauth/react-native-sdk';
import { NodeTransport, startBridgeHost } from '@openmobileauth/react-native-sdk/node';
import { assertCapturedValid, recording } from './contract-capture';
import { bridgehostBinary } from './env';
import { serverUnavailableReason, startTokenServer, TokenServer, webLogin } from './tokenserver';

let server: TokenServer | null = null;
let host: NodeTransport | null = null;
let skipReason: string | null = null;

before(async () => {
  skipReason = await serverUnavailableReason();
  if (skipReason) {
    console.log(`\n!!!!! SKIPPING the official RN example app tests: ${skipReason} !!!!!\n`);
    return;
  }
  // The example app registers with scope 'read' (its Token Server's configuration): the operator lists it.
  // --no-rate-limits: the screens follow each other within a second here (more
  // PIN checks per profile than the default per-profile burst); a person is slower.
  server = await startTokenServer(['--scopes', 'openid profile read', '--no-rate-limits']);
  // The SSO target the example's dashboard opens must be on the application's allow-list.
  await server.admin(['app', 'update', '--id', 'oma-app', '--sso-target', `${server.baseUrl}/personal/dashboard`]);
  host = await startBridgeHost({ binary: await bridgehostBinary(), logLevel: 'error' });
});

after(async () => {
  if (host) assert.equal(await host.close(), 0);
  if (server) await server.stop();
});

/** What a promise settles with, as the example's try/catch sees it. */
async function outcome(p: Promise<unknown>): Promise<{ ok: true; value: unknown } | { ok: false; err: OneginiError }> {
  try {
    return { ok: true, value: await p };
  } catch (e) {
    assert.ok(e instanceof OneginiError, `expected an OneginiError, got ${String(e)}`);
    return { ok: false, err: e };
  }
}

test('the official RN example app, screen by screen, on the real core and Token Server', { timeout: 120_000 }, async (t) => {
  if (skipReason) {
    t.skip(`SKIPPED (no Token Server): ${skipReason}`);
    return;
  }
  const OneginiSdk = createOneginiSdk(recording(host!));

  // ---- splash screen ----

  if (process.env.OMA_TRACE) console.error('step: splash screen');
  assert.equal(await OneginiSdk.startClient({ serverUrl: server!.baseUrl, appId: 'oma-app', redirectUri: 'oma-app://registration/callback' }), null);
  const redirectUri = await OneginiSdk.getRedirectUri();
  assert.equal(typeof redirectUri, 'string');
  const linkScheme = redirectUri.substring(0, redirectUri.indexOf(':'));
  assert.equal(linkScheme, 'oma-app');

  // ---- the app-wide PIN modal: one listener per notification, as the modal has ----

  if (process.env.OMA_TRACE) console.error('step: the app-wide PIN modal: one listener per notification, as the modal has');
  let pinLength = 5;
  let pin = '';
  let wrongFirst = false;
  let cancelNext = false;
  const pinModal: { flow: string; action: string; remaining?: number; errorMsg?: string }[] = [];
  const pinCreate = OneginiSdk.addEventListener(Events.SdkNotification.PinCreate, (e) => {
    pinModal.push({ flow: e.flow, action: e.action });
    if (e.action === Events.PinCreate.Open) {
      assert.equal(typeof e.profileId, 'string');
      pinLength = e.pinLength || 5; // the modal falls back to 5 when pinLength is missing
      const next = '2468097531'.slice(0, pinLength);
      pin = pin === '' ? next : '9753102468'.slice(0, pinLength); // changePin: a new PIN
      void OneginiSdk.submitPin(Events.PinFlow.Create, pin);
    }
  });
  const pinAuth = OneginiSdk.addEventListener(Events.SdkNotification.PinAuth, (e) => {
    const row: { flow: string; action: string; remaining?: number; errorMsg?: string } = { flow: e.flow, action: e.action };
    if (e.action === Events.PinAuthentication.IncorrectPin) {
      row.remaining = e.remainingFailureCount;
      row.errorMsg = e.errorMsg;
    }
    pinModal.push(row);
    if (e.action === Events.PinAuthentication.Open || e.action === Events.PinAuthentication.IncorrectPin) {
      if (cancelNext) {
        cancelNext = false;
        void OneginiSdk.cancelPinAuthentication();
      } else if (wrongFirst) {
        wrongFirst = false;
        void OneginiSdk.submitPin(Events.PinFlow.Authentication, '1357913579'.slice(0, pinLength));
      } else {
        void OneginiSdk.submitPin(Events.PinFlow.Authentication, pin);
      }
    }
  });
  // The link handler: the browser comes back to the app's scheme.
  const registration = OneginiSdk.addEventListener(Events.SdkNotification.Registration, (e) => {
    void webLogin(e.url, server!.demoUser.username, server!.demoUser.password).then((url) => {
      assert.equal(url.substring(0, url.indexOf(':')), linkScheme, 'the callback comes back on the stored scheme');
      return OneginiSdk.handleRegistrationCallback(url);
    });
  });

  try {
    // ---- auth screen: the log-in button is disabled without profiles ----
    if (process.env.OMA_TRACE) console.error('step: auth screen: the log-in button is disabled without profiles');
    assert.equal((await OneginiSdk.getUserProfiles()).length, 0);

    // ---- register button (default identity provider, scopes ['read']) ----

    if (process.env.OMA_TRACE) console.error('step: register button (default identity provider, scopes [read])');
    // A scope the server does not grant: the registration ends with an error the
    // app shows (e.message), it does not wait for ever behind a browser error page.
    const refused = await outcome(OneginiSdk.registerUser(null, ['write']));
    assert.equal(refused.ok, false);
    if (!refused.ok) {
      assert.equal(refused.err.code, SDKError.GeneralError);
      assert.match(refused.err.message, /invalid_scope/);
    }
    assert.deepEqual(pinModal.splice(0), [], 'no PIN is asked for a refused registration');
    const registered = await OneginiSdk.registerUser(null, ['read']);
    const profileId = registered.userProfile.id;
    assert.equal(typeof profileId, 'string');
    assert.deepEqual(pinModal.splice(0).map((r) => r.action), ['open', 'close']);

    // ---- log-in button after a restart of the screen ----

    if (process.env.OMA_TRACE) console.error('step: log-in button after a restart of the screen');
    await OneginiSdk.logout();
    let profiles = await OneginiSdk.getUserProfiles();
    assert.equal(profiles.length, 1);
    assert.equal(profiles[0]!.id, profileId);
    wrongFirst = true;
    const auth = await OneginiSdk.authenticateUser(profiles[0]!.id, null);
    assert.equal(auth.userProfile.id, profileId);
    assert.ok(JSON.stringify(auth).includes(profileId), 'the app logs JSON.stringify(result)');
    const rows = pinModal.splice(0);
    assert.deepEqual(rows.map((r) => r.action), ['open', 'incorrectPin', 'close']);
    // The modal: "Pin is incorrect, you have N attempts remaining".
    assert.equal(typeof rows[1]!.remaining, 'number');
    assert.ok(rows[1]!.remaining! > 0);
    assert.equal(typeof rows[1]!.errorMsg, 'string');
    assert.ok(rows[1]!.errorMsg!.length > 0);

    // The modal's CANCEL while authenticating: the promise rejects, the app shows e.message.
    await OneginiSdk.logout();
    cancelNext = true;
    const cancelled = await outcome(OneginiSdk.authenticateUser(profileId, null));
    assert.equal(cancelled.ok, false);
    if (!cancelled.ok) {
      assert.equal(cancelled.err.code, SDKError.ActionCanceled);
      assert.ok(cancelled.err.message.length > 0);
      // Alert.alert('error', JSON.stringify(err)): the code is in it.
      assert.ok(JSON.stringify(cancelled.err).includes(SDKError.ActionCanceled));
    }
    assert.deepEqual(pinModal.splice(0).map((r) => r.action), ['open', 'close']);
    await OneginiSdk.authenticateUser(profileId, null);
    pinModal.splice(0);

    // ---- settings: enroll for mobile authentication, change PIN ----

    if (process.env.OMA_TRACE) console.error('step: settings: enroll for mobile authentication, change PIN');
    await OneginiSdk.enrollMobileAuthentication();
    const oldPin = pin;
    await OneginiSdk.changePin();
    assert.notEqual(pin, oldPin);
    assert.deepEqual(pinModal.splice(0).map((r) => `${r.flow}:${r.action}`), [
      'Authentication:open', 'Authentication:close', 'Create:open', 'Create:close',
    ]);

    // ---- change-authenticator screen ----

    if (process.env.OMA_TRACE) console.error('step: change-authenticator screen');
    const me = await OneginiSdk.getAuthenticatedUserProfile();
    assert.equal(me.id, profileId);
    let registeredAuths = await OneginiSdk.getRegisteredAuthenticators(me.id);
    const allAuths = await OneginiSdk.getAllAuthenticators(me.id);
    const fingerprint = allAuths.find((a) => a.name.toUpperCase() === 'TOUCHID' || a.name.toUpperCase() === 'FINGERPRINT');
    assert.ok(fingerprint, `the screen finds a fingerprint authenticator by name in ${JSON.stringify(allAuths)}`);
    assert.equal(registeredAuths.filter((a) => a.isPreferred).length, 1, 'exactly one preferred authenticator to show');
    assert.equal(registeredAuths.find((a) => a.isPreferred)!.name, 'PIN');
    for (const a of allAuths) for (const k of ['id', 'name', 'type'] as const) assert.equal(typeof a[k], 'string', k);

    // Fingerprint switch on: register with the PIN, then refresh the lists.
    const fpEvents: string[] = [];
    const fpModal = OneginiSdk.addEventListener(Events.SdkNotification.Fingerprint, (e) => {
      fpEvents.push(e.action);
      if (e.action === Events.Fingerprint.StartAuthentication) void OneginiSdk.submitFingerprintAcceptAuthenticationRequest();
    });
    try {
      await OneginiSdk.registerFingerprintAuthenticator(me.id);
      assert.deepEqual(pinModal.splice(0).map((r) => r.action), ['open', 'close']);
      registeredAuths = await OneginiSdk.getRegisteredAuthenticators(me.id);
      assert.ok(registeredAuths.some((a) => a.id === fingerprint.id && a.isRegistered));
      // The login-method picker: the fingerprint becomes preferred.
      await OneginiSdk.setPreferredAuthenticator(fingerprint.id);
      registeredAuths = await OneginiSdk.getRegisteredAuthenticators(me.id);
      assert.deepEqual(registeredAuths.filter((a) => a.isPreferred).map((a) => a.id), [fingerprint.id]);
      // The next log-in uses the preferred authenticator: the fingerprint modal, no PIN modal.
      await OneginiSdk.logout();
      await OneginiSdk.authenticateUser(profileId, null);
      assert.equal(fpEvents[0], Events.Fingerprint.StartAuthentication);
      assert.equal(fpEvents.at(-1), Events.Fingerprint.FinishAuthentication);
      assert.deepEqual(pinModal.splice(0), []);
      // Back to the PIN, switch off.
      const pinAuthenticator = registeredAuths.find((a) => a.name === 'PIN')!;
      await OneginiSdk.setPreferredAuthenticator(pinAuthenticator.id);
      await OneginiSdk.deregisterFingerprintAuthenticator(me.id);
      registeredAuths = await OneginiSdk.getRegisteredAuthenticators(me.id);
      assert.deepEqual(registeredAuths.map((a) => a.name), ['PIN']);
      assert.equal(registeredAuths[0]!.isPreferred, true);
    } finally {
      fpModal.remove();
    }

    // ---- mobile authentication with OTP modal ----

    if (process.env.OMA_TRACE) console.error('step: mobile authentication with OTP modal');
    const otpModal: { action: string; message?: string }[] = [];
    let button: 'OK' | 'CANCEL' = 'OK';
    const otpSub = OneginiSdk.addEventListener(Events.SdkNotification.MobileAuthOtp, (e) => {
      if (e.action === Events.MobileAuthOtp.StartAuthentication) {
        otpModal.push({ action: e.action, message: e.mobileAuthenticationRequest.message });
        void (button === 'OK' ? OneginiSdk.acceptMobileAuthConfirmation() : OneginiSdk.denyMobileAuthConfirmation());
      } else {
        otpModal.push({ action: e.action });
      }
    });
    try {
      const ok = await server!.startMobileAuth('Log in to the web shop?');
      const accepted = await outcome(OneginiSdk.handleMobileAuthWithOtp(ok.otp));
      assert.equal(accepted.ok, true, 'setSuccessful("Authentication successful")');
      assert.deepEqual(otpModal.splice(0), [
        { action: 'startAuthentication', message: 'Log in to the web shop?' },
        { action: 'finishAuthentication' },
      ]);
      assert.equal((await server!.transaction(ok.transaction_id)).is_authenticated, true);

      button = 'CANCEL';
      const no = await server!.startMobileAuth('Transfer 100 EUR?');
      const denied = await outcome(OneginiSdk.handleMobileAuthWithOtp(no.otp));
      assert.equal(denied.ok, false);
      if (!denied.ok) {
        assert.equal(denied.err.code, SDKError.ActionCanceled);
        assert.ok(denied.err.message.length > 0, 'setError(error.message)');
      }
      assert.deepEqual(otpModal.splice(0).map((r) => r.action), ['startAuthentication', 'finishAuthentication']);
      assert.equal((await server!.transaction(no.transaction_id)).is_authenticated, false);
    } finally {
      otpSub.remove();
    }

    // ---- info / devices screens: resources as the example app writes them ----

    if (process.env.OMA_TRACE) console.error('step: info / devices screens: resources as the example app writes them');
    const GET = Types.ResourceMethod.GET;
    const details = (path: string): Types.ResourcesDetails => ({ method: GET, path, headers: {} });
    const base = await OneginiSdk.getResourceBaseUrl();
    // Implicit user: user id, decorated.
    await OneginiSdk.authenticateUserImplicitly(profileId, ['read']);
    for (const path of ['user-id', `${base}/user-id`]) {
      const res = await OneginiSdk.resourceRequest(Types.ResourceRequestType.Implicit, details(path));
      assert.equal(res.ok, true, path);
      const data = typeof res.body === 'string' ? JSON.parse(res.body) : res.body;
      assert.equal(typeof data.decorated_user_id, 'string', path);
      assert.ok(data.decorated_user_id.length > 0, path);
    }
    // Anonymous: the application's details.
    await OneginiSdk.authenticateDeviceForResource(['read']);
    for (const path of ['devices', `${base}/devices`]) {
      const res = await OneginiSdk.resourceRequest(Types.ResourceRequestType.Anonymous, details(path));
      assert.equal(res.ok, true, path);
      const data = JSON.parse(res.body);
      for (const k of ['application_identifier', 'application_platform', 'application_version']) {
        assert.equal(typeof data[k], 'string', `${path}: ${k}`);
      }
    }
    // A relative path never leaves the resource base URL.
    for (const path of ['../device/v1/userinfo', 'a/../../oauth/token', '%2e%2e/x']) {
      const refused = await outcome(OneginiSdk.resourceRequest(Types.ResourceRequestType.Anonymous, details(path)));
      assert.equal(refused.ok, false, path);
      if (!refused.ok) assert.equal(refused.err.code, SDKError.ResourceCallError, path);
    }

    // ---- dashboard: single sign-on, logout, deregister ----

    if (process.env.OMA_TRACE) console.error('step: dashboard: single sign-on, logout, deregister');
    await OneginiSdk.authenticateUser(profileId, null);
    pinModal.splice(0);
    const sso = await OneginiSdk.startSingleSignOn(`${server!.baseUrl}/personal/dashboard`);
    assert.equal(typeof sso.url, 'string');
    assert.ok(sso.url.startsWith(`${server!.baseUrl}/`), 'Linking.openURL(it.url) opens the server');

    await OneginiSdk.logout();
    const afterLogout = await outcome(OneginiSdk.getAuthenticatedUserProfile());
    assert.equal(afterLogout.ok, false);

    profiles = await OneginiSdk.getUserProfiles();
    assert.ok(profiles[0], 'the deregister button finds the profile');
    await OneginiSdk.deregisterUser(profiles[0].id);
    assert.deepEqual(await OneginiSdk.getUserProfiles(), []);
  } finally {
    pinCreate.remove();
    pinAuth.remove();
    registration.remove();
  }
  assertCapturedValid();
});
