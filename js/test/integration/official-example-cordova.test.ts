/**
 * The official Onegini Cordova example app's call sequences (Onegini's
 * cordova-example-app: App.vue, Dashboard.vue, Settings.vue, Device-list.vue) on
 * the shipped Cordova bundle over the REAL Go core (cmd/bridgehost) and a REAL
 * Token Server on 127.0.0.1: the same `onegini.*` calls in the same order, the
 * same argument shapes (the profile object the app got back is passed on as it
 * is), and the same fields and comparisons the app's code relies on. The app
 * code here is written for this test (facts only).
 *
 * - App.vue: onegini.start(), then user.getAuthenticatedUserProfile(); a failure
 *   with `err.code == 8005` (the plugin's "no user authenticated") routes to the
 *   login screen, anything else shows `err.description`; `err.code` is a number
 *   as the plugin's, so the strict `err.code === 8005` (`=== 9003` ...) of apps
 *   written against the plugin's docs holds too;
 * - login: user.register({scopes}) with the browser and onCreatePinRequest
 *   (options.pinLength), user.authenticate(profileId) with onPinRequest
 *   (options.remainingFailureCount / maxFailureCount shown);
 * - Settings.vue: getAuthenticatedUserProfile() → mobileAuth.isUserEnrolled(profile)
 *   and mobileAuth.push.isUserEnrolled(profile) (booleans for the button texts),
 *   mobileAuth.enroll(); user.changePin() with onPinRequest (the current PIN,
 *   `${options.remainingFailureCount} out of ${options.maxFailureCount}`) and
 *   onCreatePinRequest (options.pinLength), onSuccess / onError(err.code,
 *   err.description);
 * - Dashboard.vue: user.getAppToWebSingleSignOn(url) → result.redirectUri;
 *   user.logout(); getAuthenticatedUserProfile() → user.deregister(userProfile);
 * - Device-list.vue: resource.fetch(url) → result.json.devices, a failure read
 *   as err.httpResponse.status (401 → log in again).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { BridgeExec, bridgehostExec } from '../support/bridgehost-exec';
import { loadPlugin, Onegini } from '../support/cordova-loader';
import { bridgehostBinary } from './env';
import { serverUnavailableReason, startTokenServer, TokenServer, webLogin } from './tokenserver';

let bridge: BridgeExec;
let onegini: Onegini;
let server: TokenServer | null = null;
let skipReason: string | null = null;

before(async () => {
  bridge = bridgehostExec(await bridgehostBinary());
  onegini = loadPlugin(bridge.exec).onegini;
  skipReason = await serverUnavailableReason();
  if (skipReason) {
    console.log(`\n!!!!! SKIPPING the official Cordova example app tests: ${skipReason} !!!!!\n`);
    return;
  }
  // --no-rate-limits: the views follow each other within a second here (more PIN
  // checks per profile than the default burst); the example registers with 'read'.
  server = await startTokenServer(['--scopes', 'openid profile read', '--no-rate-limits']);
  await server.admin(['app', 'update', '--id', 'oma-app', '--sso-target', `${server.baseUrl}/personal/dashboard`]);
});

after(async () => {
  assert.equal(await bridge.close(), 0);
  if (server) await server.stop();
});

/** What the app's `.catch((err) => …)` receives. */
async function caught(p: PromiseLike<unknown>): Promise<{ code: unknown; description: unknown; httpResponse?: { status: number } }> {
  try {
    await p;
  } catch (err) {
    return err as { code: unknown; description: unknown; httpResponse?: { status: number } };
  }
  assert.fail('expected a failure');
}

test('the official Cordova example app, view by view, on the real core and Token Server', { timeout: 120_000 }, async (t) => {
  if (skipReason) {
    t.skip(`SKIPPED (no Token Server): ${skipReason}`);
    return;
  }
  const s = server!;
  const route: string[] = [];
  let state = 'Waiting for Onegini Plugin...';

  // ---- App.vue: start, then who is logged in ----
  const startOnegini = async (): Promise<void> => {
    await onegini.start({ serverUrl: s.baseUrl, appId: 'oma-app', redirectUri: 'oma-app://registration/callback' }).then(
      () => {
        state = 'Ready!';
        return onegini.user.getAuthenticatedUserProfile();
      },
    ).catch((err: { code: unknown; description: string }) => {
      // eslint-disable-next-line eqeqeq -- the example app compares loosely
      if (err.code == 8005) route.push('login');
      else state = err.description;
      // ... and apps written against the plugin's docs compare strictly, with a number.
      if (err.code === 8005) route.push('login (strict)');
    });
  };
  await startOnegini();
  assert.equal(state, 'Ready!');
  assert.deepEqual(route.splice(0), ['login', 'login (strict)'], 'nobody authenticated after start: the app routes to the login view');

  // ---- login view: register with the browser, create the PIN ----
  let pin = '';
  const createAsked: number[] = [];
  const registered = await onegini.user
    .register({ scopes: ['read'] })
    .onRegistrationRequest((actions, options) => {
      webLogin(options.url, s.demoUser.username, s.demoUser.password).then(
        (redirect) => actions.handleRegistrationUrl(redirect),
        () => actions.cancel(),
      );
    })
    .onCreatePinRequest((actions, options) => {
      createAsked.push(options.pinLength);
      pin = '2468097531'.slice(0, options.pinLength);
      void actions.createPin(pin);
    });
  assert.equal(typeof registered.profileId, 'string');
  assert.equal(createAsked.length, 1);
  assert.ok(createAsked[0]! >= 4);
  const profileId = registered.profileId;

  // A fresh start of the app with a registered user who has not logged in yet.
  await onegini.user.logout();
  await startOnegini();
  assert.deepEqual(route.splice(0), ['login', 'login (strict)']);

  // The login view: authenticate the profile with its PIN, a wrong one first.
  // The prompt text the app builds: `${remainingFailureCount} out of ${maxFailureCount} attempts remaining`.
  const pinPrompts: Record<string, unknown>[] = [];
  let wrong = true;
  await onegini.user.authenticate(profileId).onPinRequest((actions, options) => {
    pinPrompts.push({ ...options });
    if (wrong) {
      wrong = false;
      void actions.providePin('1357913579'.slice(0, pin.length));
    } else {
      void actions.providePin(pin);
    }
  });
  assert.equal(pinPrompts.length, 2);
  assert.equal(pinPrompts[0]!.profileId, profileId);
  assert.equal(typeof pinPrompts[1]!.remainingFailureCount, 'number', 'after a wrong PIN: the attempts left');
  await t.test('onPinRequest options carry maxFailureCount and remainingFailureCount on every prompt, as the plugin documents', {
    todo: 'the core does not know the server\'s maximum nor the count before the first attempt (js/README "Migration")',
  }, () => {
    for (const o of pinPrompts) {
      assert.equal(typeof o.remainingFailureCount, 'number');
      assert.equal(typeof (o as { maxFailureCount?: unknown }).maxFailureCount, 'number');
    }
  });

  // ---- Settings.vue ----
  let userProfile = await onegini.user.getAuthenticatedUserProfile();
  assert.equal(userProfile.profileId, profileId);
  assert.equal(await onegini.mobileAuth.isUserEnrolled(userProfile), false, 'Enroll for mobile authentication');
  assert.equal(await onegini.mobileAuth.push.isUserEnrolled(userProfile), false, 'Enroll for push mobile authentication');
  await onegini.mobileAuth.enroll();
  userProfile = await onegini.user.getAuthenticatedUserProfile();
  assert.equal(await onegini.mobileAuth.isUserEnrolled(userProfile), true, 'Re-enroll for mobile authentication');

  // Change PIN: the current PIN (with the attempts shown), then the new one.
  const changed: string[] = [];
  const newPin = '9753102468'.slice(0, pin.length);
  await new Promise<void>((resolve) => {
    onegini.user
      .changePin()
      .onPinRequest((actions, options) => {
        changed.push(`current ${options.profileId}`);
        void actions.providePin(pin);
      })
      .onCreatePinRequest((actions, options) => {
        changed.push(`new ${options.pinLength}`);
        void actions.createPin(newPin);
      })
      .onSuccess(() => {
        changed.push('PIN changed!');
        resolve();
      })
      .onError((err) => {
        changed.push(`Change PIN error: ${err.description}`);
        resolve();
      });
  });
  assert.deepEqual(changed, [`current ${profileId}`, `new ${pin.length}`, 'PIN changed!']);
  pin = newPin;

  // ---- Device-list.vue: the user's device list from the resource server ----
  const base = `${s.baseUrl}/resources`;
  const devices = await caught(onegini.resource.fetch(`${base}/devices`));
  // This Token Server's example /resources/devices answers device (anonymous)
  // tokens with the application's details; a user token is refused with 403, the
  // app shows "Could not fetch devices" (js/README "Migration": the example
  // resource endpoints are examples, not Onegini's resource gateway).
  assert.equal(devices.httpResponse?.status, 403);
  assert.notEqual(devices.httpResponse?.status, 401, 'not "your access token has expired"');
  // A user resource the example's server offers to a 'read' registration: result.json.
  const user = (await onegini.resource.fetch(`${base}/user-id`)) as { json: { decorated_user_id: string }; status: number };
  assert.equal(user.status, 200);
  assert.equal(typeof user.json.decorated_user_id, 'string');

  // ---- Dashboard.vue ----
  const sso = await onegini.user.getAppToWebSingleSignOn(`${s.baseUrl}/personal/dashboard`);
  assert.equal(typeof sso.redirectUri, 'string');
  assert.ok(sso.redirectUri.startsWith(`${s.baseUrl}/`), 'navigator.app.loadUrl(result.redirectUri)');

  await onegini.user.logout().then(() => route.push('login'));
  assert.deepEqual(route.splice(0), ['login']);

  // Deregister from the dashboard: needs an authenticated user (else the alert and the login view).
  const noUser = await caught(onegini.user.getAuthenticatedUserProfile().then((p) => onegini.user.deregister(p)));
  // eslint-disable-next-line eqeqeq
  assert.ok(noUser.code == 8005, `code ${String(noUser.code)}`);
  assert.strictEqual(noUser.code, 8005, 'err.code is the plugin\'s number (err.code === 8005)');
  assert.equal((noUser as { numericCode?: unknown }).numericCode, 8005);
  assert.equal(typeof noUser.description, 'string');
  await onegini.user.authenticate(profileId).onPinRequest((actions) => void actions.providePin(pin));
  await onegini.user
    .getAuthenticatedUserProfile()
    .then((p) => onegini.user.deregister(p))
    .then(() => route.push('login'));
  assert.deepEqual(route.splice(0), ['login']);
  assert.deepEqual(await onegini.user.getUserProfiles(), []);
});
