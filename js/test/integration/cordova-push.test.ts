/**
 * Push mobile authentication through the shipped Cordova bundle, over a
 * cordova.exec in front of the REAL Go core (bridgehost), against the REAL
 * Token Server on loopback with the push sender `none` (every push is lost, so
 * the phone pulls): register → mobileAuth.enroll → mobileAuth.push.enroll →
 * the RP creates a request of a push OTP type (tokenserver otp-type create
 * --push) → push.getPendingRequests → push.handlePendingRequest accepted →
 * the RP sees it authenticated; then a second one handed in as push data
 * (ids under `content`) and denied through on('confirmation').
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
  if (skipReason) console.log(`\n!!!!! SKIPPING the Cordova push flow against the Token Server: ${skipReason} !!!!!\n`);
  else {
    const saved = process.env.OMA_PUSH_DRIVER;
    process.env.OMA_PUSH_DRIVER = 'none';
    try {
      server = await startTokenServer();
    } finally {
      if (saved === undefined) delete process.env.OMA_PUSH_DRIVER;
      else process.env.OMA_PUSH_DRIVER = saved;
    }
  }
});

after(async () => {
  assert.equal(await bridge.close(), 0);
  if (server) await server.stop();
});

test('Cordova push: enroll, RP push create, pull pending, accept → RP authenticated; push data denied → 9006', async (t) => {
  if (skipReason) {
    t.skip(`SKIPPED (no Token Server): ${skipReason}`);
    return;
  }
  const s = server!;
  assert.match(await s.admin(['otp-type', 'create', '--name', 'push-pay', '--push']), /push true/);
  await onegini.start({ serverUrl: s.baseUrl });
  const registered = await onegini.user
    .register({ identityProviderId: null })
    .onRegistrationRequest((actions, { url }) => {
      webLogin(url, s.demoUser.username, s.demoUser.password).then(
        (redirect) => actions.handleRegistrationUrl(redirect),
        () => actions.cancelRegistration(),
      );
    })
    .onCreatePinRequest((actions, options) => void actions.createPin('8642097531'.slice(0, options.pinLength)));
  const profileId = registered.userProfile.profileId;
  await onegini.mobileAuth.enroll();

  assert.equal(await onegini.mobileAuth.push.isUserEnrolled({ profileId }), false);
  const enrolled = await new Promise<unknown>((resolve, reject) =>
    void onegini.mobileAuth.push.enroll({ pushToken: 'fcm-token-of-the-cordova-test', provider: 'fcm' }, resolve, reject),
  );
  assert.deepEqual(enrolled, {}, 'no Web Push sender here, so no VAPID key');
  assert.equal(await onegini.mobileAuth.push.isUserEnrolled({ profileId }), true);
  assert.deepEqual(await onegini.mobileAuth.push.getPendingRequests(), []);

  // The RP starts a push request for the user; the push is lost (sender none): pull.
  const first = await s.startMobileAuth('Pay 25.00 EUR to Example Shop', s.demoUser.username, 'push-pay');
  assert.equal(first.auth_method, 'PUSH');
  assert.ok(!first.otp, 'a push request returns no OTP');
  const pending = await onegini.mobileAuth.push.getPendingRequests();
  assert.equal(pending.length, 1);
  assert.equal(pending[0]!.transactionId, first.transaction_id);
  assert.equal(pending[0]!.userProfile.id, profileId);
  assert.ok(pending[0]!.message.includes('Pay 25.00 EUR to Example Shop'));

  const shown: string[] = [];
  let succeeded = false;
  await onegini.mobileAuth.push
    .handlePendingRequest(pending[0]!)
    .onConfirmationRequest((actions, request) => {
      shown.push(request.transactionId);
      void actions.accept();
    })
    .onSuccess(() => (succeeded = true));
  assert.deepEqual(shown, [first.transaction_id]);
  await new Promise((r) => setTimeout(r, 0));
  assert.ok(succeeded);
  const tx = await s.transaction(first.transaction_id);
  assert.equal(tx.is_authenticated, true);
  assert.deepEqual(await onegini.mobileAuth.push.getPendingRequests(), [], 'an answered request is no longer pending');

  // A second request handed in as push data (ids under `content`), answered app-wide: denied.
  // The server backs off repeated push creation for one user (default 2 s base): wait it out.
  let second: Awaited<ReturnType<TokenServer['startMobileAuth']>> | null = null;
  for (let i = 0; i < 20 && !second; i++) {
    try {
      second = await s.startMobileAuth('Pay 990.00 EUR', s.demoUser.username, 'push-pay');
    } catch (e) {
      if (!/rate_limited/.test(String(e))) throw e;
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
  assert.ok(second, 'the back-off ended within 20 s');
  const data = { title: 'Confirm', content: { og_transaction_id: second.transaction_id, og_profile_id: profileId } };
  assert.equal(onegini.mobileAuth.push.canHandlePushMessage(data), true);
  let appWideError = 0;
  onegini.mobileAuth.push
    .on('confirmation')
    .onConfirmationRequest((actions) => void actions.deny())
    .onError((e) => (appWideError = e.numericCode));
  const err = await new Promise<OneginiPluginError>((resolve, reject) =>
    void onegini.mobileAuth.push.handlePushMessage(data, () => reject(new Error('a denied request succeeded')), resolve),
  );
  assert.equal(err.numericCode, 9006);
  await new Promise((r) => setTimeout(r, 0));
  assert.equal(appWideError, 9006);
  const denied = await s.transaction(second.transaction_id);
  assert.equal(denied.is_authenticated, false);
  assert.equal(denied.status, 'denied');
});
