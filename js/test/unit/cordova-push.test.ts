/**
 * onegini.mobileAuth.push.* of the shipped Cordova bundle over a recording
 * cordova.exec in front of a scripted core: what reaches the core for each
 * call, the payload check (keys at the root or under `content`), the handler
 * chain (per flow and app-wide through on('confirmation')), promise and
 * callback forms, and that nothing is ever accepted without a handler.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { OneginiPluginError } from '@openmobileauth/react-native-sdk';
import { FakeCore, until } from '../support/fakecore';
import { Exec, loadPlugin, Onegini } from '../support/cordova-loader';

function load(core: FakeCore): { onegini: Onegini; invokes: Array<[string, unknown]> } {
  const invokes: Array<[string, unknown]> = [];
  const exec: Exec = (ok, fail, service, action, args = []) => {
    if (service !== 'OneginiSdk') return fail({ code: 8000, message: `no service ${service}` });
    if (action === 'listen') {
      core.onEvent((json) => ok(json));
      return;
    }
    const env = JSON.parse(String(args[0])) as { method: string; params: unknown };
    invokes.push([env.method, env.params]);
    void core.handle(String(args[0])).then((a) => ('error' in a ? fail(JSON.stringify(a.error)) : ok(JSON.stringify(a.result))));
  };
  return { onegini: loadPlugin(exec).onegini, invokes };
}

const REQUEST = { message: 'Pay 25.00 EUR?', type: 'push', transactionId: 'TX1', userProfile: { id: 'P1' } };

/** A core whose push handling starts a confirmation and settles on accept/deny. */
function pushCore(start: string): FakeCore {
  const core = new FakeCore();
  let settle: ((a: { result: unknown } | { error: { code: number; message: string } }) => void) | null = null;
  core.on(start, () => {
    setTimeout(() =>
      core.emit('ONEWELCOME_MOBILE_AUTH_OTP_NOTIFICATION', { action: 'startAuthentication', mobileAuthenticationRequest: REQUEST }),
    );
    return new Promise((resolve) => (settle = resolve));
  });
  core.on('acceptMobileAuthConfirmation', () => {
    setTimeout(() => {
      core.emit('ONEWELCOME_MOBILE_AUTH_OTP_NOTIFICATION', { action: 'finishAuthentication' });
      settle!({ result: null });
    });
    return { result: null };
  });
  core.on('denyMobileAuthConfirmation', () => {
    setTimeout(() => settle!({ error: { code: 9006, message: 'mobile authentication denied' } }));
    return { result: null };
  });
  return core;
}

test('push.enroll: a token string and a Web Push subscription reach the core; bad input is 8009 before exec', async () => {
  let n = 0;
  const core = new FakeCore().on('enrollUserForMobileAuthWithPush', () => ({ result: n++ === 0 ? {} : { vapidPublicKey: 'BVAPIDKEY' } }));
  const { onegini, invokes } = load(core);
  assert.deepEqual(await onegini.mobileAuth.push.enroll('push-token-123'), {});
  const sub = { endpoint: 'https://push.example/x', keys: { p256dh: 'BP', auth: 'AA' } };
  const viaCb = await new Promise((resolve, reject) => void onegini.mobileAuth.push.enroll({ webPushSubscription: sub }, resolve, reject));
  assert.deepEqual(viaCb, { vapidPublicKey: 'BVAPIDKEY' }, 'the server\'s VAPID key reaches the app');
  assert.deepEqual(invokes, [
    ['enrollUserForMobileAuthWithPush', { pushToken: 'push-token-123' }],
    ['enrollUserForMobileAuthWithPush', { webPushSubscription: sub }],
  ]);
  const err = await new Promise<OneginiPluginError>((resolve, reject) =>
    void onegini.mobileAuth.push.enroll(42 as unknown as string, () => reject(new Error('success')), resolve),
  );
  assert.equal(err.numericCode, 8009);
  assert.equal(invokes.length, 2);
});

test('push.isUserEnrolled and getPendingRequests: promise and callback forms', async () => {
  const pending = [{ ...REQUEST, date: 1, timeToLive: 60000 }];
  const core = new FakeCore()
    .on('isUserEnrolledForMobileAuthWithPush', (r) => ({ result: (r.params as { profileId: string }).profileId === 'W8DUJ2' }))
    .on('getPendingMobileAuthWithPushRequests', () => ({ result: pending }));
  const { onegini, invokes } = load(core);
  assert.equal(await onegini.mobileAuth.push.isUserEnrolled({ profileId: 'W8DUJ2' }), true);
  assert.equal(await onegini.mobileAuth.push.isUserEnrolled({ profileId: 'other' }), false);
  const viaCb = await new Promise((resolve, reject) => void onegini.mobileAuth.push.getPendingRequests(resolve, reject));
  assert.deepEqual(viaCb, pending);
  assert.deepEqual(invokes[0], ['isUserEnrolledForMobileAuthWithPush', { profileId: 'W8DUJ2' }]);
  await assert.rejects(onegini.mobileAuth.push.isUserEnrolled(undefined as unknown as { profileId: string }), (e: unknown) => (e as OneginiPluginError).numericCode === 8009);
});

test('push.canHandlePushMessage: ids at the root or under content, synchronously, without calling the core', () => {
  const { onegini, invokes } = load(new FakeCore());
  const can = onegini.mobileAuth.push.canHandlePushMessage;
  assert.equal(can({ og_transaction_id: '223423', og_profile_id: 'ZX123C' }), true);
  assert.equal(can({ content: { og_transaction_id: '223423', og_profile_id: 'ZX123C' }, title: 'x' }), true);
  assert.equal(can(JSON.stringify({ og_transaction_id: '1', og_profile_id: 'P' })), true);
  assert.equal(can({ og_transaction_id: '223423' }), false);
  assert.equal(can({ content: { og_profile_id: 'ZX123C' } }), false);
  assert.equal(can({ og_transaction_id: 5, og_profile_id: 'P' }), false);
  assert.equal(can(null), false);
  assert.equal(can('not json'), false);
  assert.equal(invokes.length, 0);
});

test('push.handlePushMessage: the flow\'s onConfirmationRequest gets the request; accept → onSuccess, promise resolves', async () => {
  const core = pushCore('handleMobileAuthWithPushRequest');
  const { onegini, invokes } = load(core);
  const data = { content: { og_transaction_id: 'TX1', og_profile_id: 'P1' } };
  const seen: unknown[] = [];
  let succeeded = false;
  await onegini.mobileAuth.push
    .handlePushMessage(data)
    .onConfirmationRequest((actions, request) => {
      seen.push(request);
      void actions.accept();
    })
    .onSuccess(() => (succeeded = true));
  await until(() => succeeded, 'onSuccess');
  assert.deepEqual(seen, [REQUEST]);
  assert.deepEqual(invokes, [
    ['handleMobileAuthWithPushRequest', { data }],
    ['acceptMobileAuthConfirmation', {}],
  ]);
});

test('push.on("confirmation") answers handlePushMessage app-wide: deny → its onError and the failure callback get 9006', async () => {
  const core = pushCore('handleMobileAuthWithPushRequest');
  const { onegini } = load(core);
  let appErr = 0;
  const seen: string[] = [];
  onegini.mobileAuth.push
    .on('confirmation')
    .onConfirmationRequest((actions, request) => {
      seen.push(request.transactionId);
      void actions.deny();
    })
    .onError((e) => (appErr = e.numericCode));
  const err = await new Promise<OneginiPluginError>((resolve, reject) =>
    void onegini.mobileAuth.push.handlePushMessage({ og_transaction_id: 'TX1', og_profile_id: 'P1' }, () => reject(new Error('success')), resolve),
  );
  assert.equal(err.numericCode, 9006);
  await until(() => appErr !== 0, 'app-wide onError');
  assert.equal(appErr, 9006);
  assert.deepEqual(seen, ['TX1']);
  assert.equal(onegini.mobileAuth.push.on('confirmation'), onegini.mobileAuth.push.on('confirmation'));
  assert.throws(() => onegini.mobileAuth.push.on('sms' as 'pin'), (e: unknown) => (e as OneginiPluginError).numericCode === 8009);
});

test('push.handlePushMessage without any onConfirmationRequest denies (never accepts) and fails with 8009; bad data is 10018 with no call', async () => {
  const core = pushCore('handleMobileAuthWithPushRequest');
  const { onegini, invokes } = load(core);
  await assert.rejects(
    async () => {
      await onegini.mobileAuth.push.handlePushMessage({ og_transaction_id: 'TX1', og_profile_id: 'P1' });
    },
    (e: unknown) => (e as OneginiPluginError).numericCode === 8009 && (e as OneginiPluginError).message.includes('onConfirmationRequest'),
  );
  assert.deepEqual(invokes.map(([m]) => m), ['handleMobileAuthWithPushRequest', 'denyMobileAuthConfirmation']);
  await assert.rejects(
    async () => {
      await onegini.mobileAuth.push.handlePushMessage({ title: 'hello' });
    },
    (e: unknown) => (e as OneginiPluginError).numericCode === 10018,
  );
  assert.equal(invokes.length, 2);
});

test('push.handlePendingRequest: the pulled request goes to the core and through the handler chain', async () => {
  const core = pushCore('handlePendingMobileAuthWithPushRequest');
  const { onegini, invokes } = load(core);
  const req = { ...REQUEST, date: 1, timeToLive: 60000 };
  await onegini.mobileAuth.push.handlePendingRequest(req).onConfirmationRequest((actions) => void actions.accept());
  assert.deepEqual(invokes, [
    ['handlePendingMobileAuthWithPushRequest', { request: req }],
    ['acceptMobileAuthConfirmation', {}],
  ]);
});
