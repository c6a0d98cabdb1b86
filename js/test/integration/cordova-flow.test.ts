/**
 * The shipped Cordova bundle (dist/cordova/onegini.js), loaded as Cordova loads
 * a js-module, over a cordova.exec that does what the native plugin does, in
 * front of the REAL Go core; with the REAL Token Server on loopback for the
 * flows: start → user.register handler chain → mobileAuth.enroll →
 * mobileAuth.otp.handleRequest accepted (promise form) and denied (callback form).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { OneginiPluginError } from '@openmobileauth/react-native-sdk';
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
  if (skipReason) console.log(`\n!!!!! SKIPPING the Cordova flows against the Token Server: ${skipReason} !!!!!\n`);
  else server = await startTokenServer();
});

after(async () => {
  assert.equal(await bridge.close(), 0);
  if (server) await server.stop();
});

test('errors of the real core reach both call forms with their codes', async () => {
  const viaCallback = await new Promise<OneginiPluginError>((resolve, reject) =>
    onegini.user.getUserProfiles(() => reject(new Error('success called before start')), resolve),
  );
  assert.equal(viaCallback.numericCode, 8020);
  await assert.rejects(onegini.start({ serverUrl: 'ftp://nope' }), (e: unknown) => (e as OneginiPluginError).numericCode === 8001);
  await assert.rejects(
    onegini.mobileAuth.isUserEnrolled({} as { profileId: string }),
    (e: unknown) => (e as OneginiPluginError).numericCode === 8009 && /profileId/.test((e as OneginiPluginError).message),
  );
});

test('start, register, enroll, then OTP requests accepted and denied through handler chains', async (t) => {
  if (skipReason) {
    t.skip(`SKIPPED (no Token Server): ${skipReason}`);
    return;
  }
  const s = server!;
  await new Promise<void>((resolve, reject) => onegini.start({ serverUrl: s.baseUrl }, resolve, reject));

  // No onRegistrationRequest: the plugin opens the browser itself through
  // cordova.InAppBrowser.open. This one logs in on the real server and reports the
  // page loads a browser would (the redirect URI it ends on), as InAppBrowser does.
  const opened: string[] = [];
  let closed = false;
  (globalThis as { cordova?: unknown }).cordova = {
    InAppBrowser: {
      open(url: string, target: string) {
        opened.push(target);
        const listeners: Record<string, Array<(e: { url?: string }) => void>> = {};
        webLogin(url, s.demoUser.username, s.demoUser.password).then(
          (redirect) => {
            for (const cb of listeners.loadstart ?? []) cb({ url: url });
            for (const cb of listeners.loadstart ?? []) cb({ url: redirect });
          },
          () => (listeners.exit ?? []).forEach((cb) => cb({})),
        );
        return {
          addEventListener(type: string, cb: (e: { url?: string }) => void) {
            (listeners[type] ??= []).push(cb);
          },
          close() {
            closed = true;
          },
        };
      },
    },
  };
  let pin = '';
  const registered = await onegini.user
    .register({ identityProviderId: null })
    .onCreatePinRequest((actions, options) => {
      pin = '8642097531'.slice(0, options.pinLength);
      void actions.createPin(pin);
    });
  delete (globalThis as { cordova?: unknown }).cordova;
  assert.deepEqual(opened, ['_blank']);
  assert.ok(closed, 'the browser is closed when it reaches the redirect URI');
  const profileId = registered.userProfile.profileId;
  assert.ok(profileId.length > 0);
  assert.equal(await onegini.user.isUserRegistered({ profileId }), true);
  assert.equal(await onegini.user.isUserRegistered('no-such-profile'), false);
  assert.deepEqual(await onegini.user.getUserProfiles(), [{ id: profileId, profileId }]);

  assert.equal(await onegini.mobileAuth.isUserEnrolled({ profileId }), false);
  await onegini.mobileAuth.enroll();
  assert.equal(await onegini.mobileAuth.isUserEnrolled({ profileId }), true);
  // String shorthand and the older name of mobileAuth.
  assert.equal(await onegini.mobileAuthentication.isUserEnrolled(profileId), true);

  // user.authenticate with the profile id alone (string shorthand).
  await onegini.user.logout();
  const auth = await onegini.user.authenticate(profileId).onPinRequest((actions) => void actions.providePin(pin));
  assert.equal(auth.userProfile.profileId, profileId);

  // resource.fetch: the string form (GET, user auth), json/rawBody/statusText;
  // a non-2xx rejects with 8005 and the response as httpResponse.
  assert.equal(onegini.resource.auth.USER, 'user');
  const res = await onegini.resource.fetch(s.resourcePath);
  assert.equal(res.status, 200);
  assert.equal(res.statusText, 'OK');
  assert.equal(res.rawBody, res.body);
  assert.equal((res.json as { profile_id: string }).profile_id, profileId);
  const notFound = await onegini.resource.fetch({ url: s.resourcePath + '-no-such-resource', auth: onegini.resource.auth.USER }).then(
    () => assert.fail('a 404 resolved'),
    (e: OneginiPluginError & { httpResponse: { status: number } }) => e,
  );
  assert.equal(notFound.numericCode, 8005);
  assert.equal(notFound.httpResponse.status, 404);
  // auth IMPLICIT reaches the core, which refuses it without an implicit authentication (9026).
  await assert.rejects(onegini.resource.fetch({ url: s.resourcePath, auth: onegini.resource.auth.IMPLICIT }), (e: unknown) => (e as OneginiPluginError).numericCode === 9026);

  // Accepted, awaited as a promise.
  const first = await s.startMobileAuth('Log in from the Cordova app');
  const shown: string[] = [];
  await onegini.mobileAuth.otp.handleRequest({ otp: first.otp }).onConfirmationRequest((actions, request) => {
    shown.push(request.message);
    void actions.accept();
  });
  assert.equal(shown.length, 1);
  assert.ok(shown[0]!.includes('Log in from the Cordova app'));
  assert.equal((await s.transaction(first.transaction_id)).is_authenticated, true);

  // Denied, with onSuccess/onError callbacks.
  const second = await s.startMobileAuth('Pay EUR 99');
  const err = await new Promise<OneginiPluginError>((resolve, reject) =>
    onegini.mobileAuth.otp
      .handleRequest({ otp: second.otp })
      .onConfirmationRequest((actions) => void actions.deny())
      .onSuccess(() => reject(new Error('a denied request succeeded')))
      .onError(resolve),
  );
  assert.equal(err.numericCode, 9006);
  assert.equal((await s.transaction(second.transaction_id)).is_authenticated, false);
});
