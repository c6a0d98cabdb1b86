/**
 * The OneginiSdk API over the React Native transport, with a scripted native
 * module: promise resolution and rejection, event delivery and remove(), and
 * argument validation before anything crosses the bridge.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  createOneginiSdk,
  createReactNativeTransport,
  Events,
  OneginiError,
  OneginiSdkApi,
  Types,
} from '@openmobileauth/react-native-sdk';
import { FakeCore, tick } from '../support/fakecore';
import { makeFakeReactNative } from '../support/fake-react-native';

function setup(opts: { turbo?: boolean } = {}) {
  const core = new FakeCore();
  const fake = makeFakeReactNative(core, opts);
  const sdk: OneginiSdkApi = createOneginiSdk(() => createReactNativeTransport(fake.rn));
  return { core, sdk, ...fake };
}

async function rejectsWith(p: Promise<unknown>, code: number, messageIncludes?: string): Promise<OneginiError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof OneginiError, `expected an OneginiError, got ${String(e)}`);
    assert.equal(e.numericCode, code, `code: ${e.code} ${e.message}`);
    assert.equal(e.code, String(code), "code is the decimal string (official SDKError values)");
    if (messageIncludes) assert.ok(e.message.includes(messageIncludes), `message "${e.message}" should name ${messageIncludes}`);
    return e;
  }
  assert.fail(`expected a rejection with ${code}`);
}

test('a call sends one JSON-RPC envelope with named params and resolves with the result', async () => {
  const { core, sdk } = setup();
  core.on('registerUser', () => ({ result: { userProfile: { id: 'QWERTY' } } }));
  const auth: Types.AuthData = await sdk.registerUser(null, ['read']);
  assert.deepEqual(auth, { userProfile: { id: 'QWERTY' } });
  assert.equal(core.requests.length, 1);
  const req = core.requests[0]!;
  assert.equal(req.jsonrpc, '2.0');
  assert.equal(typeof req.id, 'number');
  assert.equal(req.method, 'registerUser');
  assert.deepEqual(req.params, { identityProviderId: null, scopes: ['read'] });
});

test('ids are unique across calls, also concurrent ones', async () => {
  const { core, sdk } = setup();
  core.on('getUserProfiles', () => ({ result: [{ id: 'A' }, { id: 'B' }] }));
  const all = await Promise.all([sdk.getUserProfiles(), sdk.getUserProfiles(), sdk.getUserProfiles()]);
  for (const profiles of all) assert.deepEqual(profiles, [{ id: 'A' }, { id: 'B' }]);
  assert.equal(new Set(core.requests.map((r) => r.id)).size, 3);
});

test('each method maps to its core method, params and resolved shape', async () => {
  const { core, sdk } = setup();
  core
    .on('startClient', () => ({ result: null }))
    .on('handleRegistrationCallback', () => ({ result: null }))
    .on('cancelBrowserRegistration', () => ({ result: null }))
    .on('submitPin', () => ({ result: null }))
    .on('cancelPinCreation', () => ({ result: null }))
    .on('cancelPinAuthentication', () => ({ result: null }))
    .on('authenticateUser', () => ({ result: { userProfile: { id: 'P1' } } }))
    .on('logout', () => ({ result: null }))
    .on('deregisterUser', () => ({ result: null }))
    .on('getAuthenticatedUserProfile', () => ({ result: { id: 'P1' } }))
    .on('enrollMobileAuthentication', () => ({ result: null }))
    .on('isUserEnrolledForMobileAuth', () => ({ result: true }))
    .on('handleMobileAuthWithOtp', () => ({ result: null }))
    .on('acceptMobileAuthConfirmation', () => ({ result: null }))
    .on('denyMobileAuthConfirmation', () => ({ result: null }))
    .on('getAccessToken', () => ({ result: 'tok' }))
    .on('resourceRequest', () => ({ result: { ok: true, status: 200, headers: { 'content-type': 'text/plain' }, body: 'hi' } }));

  assert.equal(await sdk.startClient({ serverUrl: 'https://example.test', allowInsecureHttp: false }), null);
  await sdk.startClient();
  await sdk.handleRegistrationCallback('app://cb?code=1');
  await sdk.cancelBrowserRegistration();
  await sdk.submitPin(Events.PinFlow.Create, '24680');
  await sdk.cancelPinCreation();
  await sdk.cancelPinAuthentication();
  assert.deepEqual(await sdk.authenticateUser('P1', null), { userProfile: { id: 'P1' } });
  await (sdk.authenticateUser as (profileId: string) => Promise<unknown>)('P1'); // plain JavaScript leaving authenticatorId out
  await sdk.logout();
  await sdk.deregisterUser('P1');
  assert.deepEqual(await sdk.getAuthenticatedUserProfile(), { id: 'P1' });
  await sdk.enrollMobileAuthentication();
  assert.equal(await sdk.isUserEnrolledForMobileAuth('P1'), true);
  await sdk.handleMobileAuthWithOtp('b3RwLXZhbHVl');
  await sdk.acceptMobileAuthConfirmation();
  await sdk.denyMobileAuthConfirmation();
  assert.equal(await sdk.getAccessToken(), 'tok');
  assert.deepEqual(await sdk.resourceRequest(Types.ResourceRequestType.User, { method: Types.ResourceMethod.GET, path: '/resources/user-id' }), {
    status: 200,
    headers: { 'content-type': 'text/plain' },
    body: 'hi',
    ok: true,
  });
  await sdk.resourceRequest(Types.ResourceRequestType.User, { method: Types.ResourceMethod.POST, path: '/x', headers: { a: 'b' }, body: '{}' });

  assert.deepEqual(
    core.requests.map((r) => [r.method, r.params]),
    [
      ['startClient', { serverUrl: 'https://example.test', allowInsecureHttp: false }],
      ['startClient', {}],
      ['handleRegistrationCallback', { uri: 'app://cb?code=1' }],
      ['cancelBrowserRegistration', {}],
      ['submitPin', { flow: 'Create', pin: '24680' }],
      ['cancelPinCreation', {}],
      ['cancelPinAuthentication', {}],
      ['authenticateUser', { profileId: 'P1', authenticatorId: null }],
      ['authenticateUser', { profileId: 'P1', authenticatorId: null }],
      ['logout', {}],
      ['deregisterUser', { profileId: 'P1' }],
      ['getAuthenticatedUserProfile', {}],
      ['enrollMobileAuthentication', {}],
      ['isUserEnrolledForMobileAuth', { profileId: 'P1' }],
      ['handleMobileAuthWithOtp', { otp: 'b3RwLXZhbHVl' }],
      ['acceptMobileAuthConfirmation', {}],
      ['denyMobileAuthConfirmation', {}],
      ['getAccessToken', {}],
      ['resourceRequest', { method: 'GET', path: '/resources/user-id', type: 'User' }],
      ['resourceRequest', { method: 'POST', path: '/x', headers: { a: 'b' }, body: '{}', type: 'User' }],
    ],
  );
});

test('a native rejection becomes an OneginiError with a numeric code, domain and data', async () => {
  const { core, sdk } = setup();
  core.on('handleMobileAuthWithOtp', () => ({
    error: { code: 9006, message: 'mobile authentication denied', data: { domain: 'sdk' } },
  }));
  core.on('authenticateUser', () => ({
    error: { code: 8004, message: 'wrong PIN', data: { domain: 'pin', remainingFailureCount: 2 } },
  }));
  const e1 = await rejectsWith(sdk.handleMobileAuthWithOtp('b3Rw'), 9006);
  assert.equal(e1.domain, 'sdk');
  assert.equal(e1.message, 'mobile authentication denied');
  assert.equal(e1.description, 'mobile authentication denied');
  assert.equal(e1.name, 'OneginiError');
  assert.ok(e1 instanceof Error);
  const e2 = await rejectsWith(sdk.authenticateUser('P1', null), 8004);
  assert.equal(e2.domain, 'pin');
  assert.equal(e2.data.remainingFailureCount, 2);
  assert.equal(e2.numericCode, OneginiError.Codes.WRONG_PIN);
  // An unknown method in the core reaches JS unchanged too.
  await rejectsWith(sdk.logout(), 8011);
});

test('an unexpected result shape rejects with 10000 instead of resolving garbage', async () => {
  const { core, sdk } = setup();
  core.on('getUserProfiles', () => ({ result: { not: 'a list' } }));
  core.on('isUserEnrolledForMobileAuth', () => ({ result: 'yes' }));
  await rejectsWith(sdk.getUserProfiles(), 10000, 'getUserProfiles');
  await rejectsWith(sdk.isUserEnrolledForMobileAuth('P1'), 10000);
});

test('events are delivered by type, without the type field, until remove()', async () => {
  const { core, sdk, emitters } = setup();
  const pinEvents: Events.PinCreateEvent[] = [];
  const otpEvents: Events.MobileAuthOtpEvent[] = [];
  const sub = sdk.addEventListener(Events.SdkNotification.PinCreate, (e) => pinEvents.push(e));
  sdk.addEventListener(Events.SdkNotification.MobileAuthOtp, (e) => otpEvents.push(e));
  assert.equal(emitters.count('OneginiSdkEvent'), 1, 'one native subscription for all listeners');

  core.emit(Events.SdkNotification.PinCreate, { action: 'open', flow: 'Create', profileId: 'P1', pinLength: 5 });
  core.emit(Events.SdkNotification.MobileAuthOtp, {
    action: 'startAuthentication',
    mobileAuthenticationRequest: { message: 'Log in?', type: 'qr', transactionId: 'T1', userProfile: { id: 'P1' } },
  });
  assert.deepEqual(pinEvents, [{ action: 'open', flow: 'Create', profileId: 'P1', pinLength: 5 }]);
  assert.equal(otpEvents.length, 1);
  const start = otpEvents[0]!;
  assert.equal(start.action, Events.MobileAuthOtp.StartAuthentication);
  if (start.action === Events.MobileAuthOtp.StartAuthentication) {
    assert.equal(start.mobileAuthenticationRequest.transactionId, 'T1');
  }

  sub.remove();
  sub.remove(); // harmless
  core.emit(Events.SdkNotification.PinCreate, { action: 'close', flow: 'Create', profileId: 'P1', pinLength: 5 });
  assert.equal(pinEvents.length, 1, 'no delivery after remove()');
});

test('the same callback added twice gets two subscriptions; removing one keeps the other', () => {
  const { core, sdk } = setup();
  const got: string[] = [];
  const cb = (e: Events.RegistrationURLEvent) => got.push(e.url);
  const a = sdk.addEventListener(Events.SdkNotification.Registration, cb);
  sdk.addEventListener(Events.SdkNotification.Registration, cb);
  core.emit(Events.SdkNotification.Registration, { url: 'https://a' });
  a.remove();
  core.emit(Events.SdkNotification.Registration, { url: 'https://b' });
  assert.deepEqual(got, ['https://a', 'https://a', 'https://b']);
});

test('a throwing listener does not stop the others; malformed native events are ignored', () => {
  const { core, sdk, emitters } = setup();
  const got: string[] = [];
  const origError = console.error;
  const logged: unknown[] = [];
  console.error = (...a: unknown[]) => logged.push(a);
  try {
    sdk.addEventListener(Events.SdkNotification.Registration, () => {
      throw new Error('listener bug');
    });
    sdk.addEventListener(Events.SdkNotification.Registration, (e) => got.push(e.url));
    core.emit(Events.SdkNotification.Registration, { url: 'https://a' });
    emitters.emit('OneginiSdkEvent', { message: 'not json' });
    emitters.emit('OneginiSdkEvent', { message: JSON.stringify({ url: 'no type' }) });
    emitters.emit('OneginiSdkEvent', null);
  } finally {
    console.error = origError;
  }
  assert.deepEqual(got, ['https://a']);
  assert.equal(logged.length, 1, 'the throwing listener is reported once');
});

test('addEventListener validates its arguments', () => {
  const { sdk } = setup();
  assert.throws(() => sdk.addEventListener('' as Events.SdkNotification, () => undefined), (e: unknown) => e instanceof OneginiError && e.numericCode === 8009);
  assert.throws(
    () => sdk.addEventListener(Events.SdkNotification.PinAuth, 'nope' as unknown as () => void),
    (e: unknown) => e instanceof OneginiError && e.numericCode === 8009 && e.message.includes('callback'),
  );
});

test('wrong or missing arguments reject with 8009 naming the argument, and never cross the bridge', async () => {
  const { core, sdk } = setup();
  const any = sdk as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
  const cases: Array<[string, unknown[], string]> = [
    ['startClient', ['https://x'], 'config'],
    ['startClient', [{ serverUrl: 42 }], 'config.serverUrl'],
    ['startClient', [{ allowInsecureHttp: 'yes' }], 'config.allowInsecureHttp'],
    ['startClient', [{ pinnedCertSha256: ['a'] }], 'config.pinnedCertSha256'],
    ['registerUser', [], 'identityProviderId'],
    ['registerUser', [42], 'identityProviderId'],
    ['registerUser', [null, 'read'], 'scopes'],
    ['registerUser', [null, ['read', 7]], 'scopes[1]'],
    ['handleRegistrationCallback', [], 'uri'],
    ['handleRegistrationCallback', [''], 'uri'],
    ['submitPin', ['Create'], 'pin'],
    ['submitPin', ['Sideways', '12345'], 'flow'],
    ['submitPin', ['Create', 12345], 'pin'],
    ['authenticateUser', [], 'profileId'],
    ['authenticateUser', ['P1', 5], 'authenticatorId'],
    ['deregisterUser', [undefined], 'profileId'],
    ['isUserEnrolledForMobileAuth', [{}], 'profileId'],
    ['handleMobileAuthWithOtp', [], 'otp'],
    ['handleMobileAuthWithOtp', [123], 'otp'],
    ['resourceRequest', [], 'details'],
    ['resourceRequest', ['Implicit', { method: 'GET', path: '/x' }], 'type'],
    ['resourceRequest', [{ method: 'FETCH', path: '/x' }], 'details.method'],
    ['resourceRequest', [{ method: 'GET' }], 'details.path'],
    ['resourceRequest', [{ method: 'GET', path: '/x', headers: { a: 1 } }], 'details.headers.a'],
  ];
  for (const [method, args, argName] of cases) {
    const e = await rejectsWith(any[method]!(...args), 8009, `"${argName}"`);
    assert.ok(e.message.startsWith(`${method}:`), e.message);
    assert.equal(e.domain, 'sdk');
  }
  assert.equal(core.requests.length, 0, 'nothing crossed the bridge');
});

test('validation messages never contain the secret that was passed', async () => {
  const { sdk } = setup();
  const e = await rejectsWith(sdk.submitPin('Wrong' as Events.PinFlow, '97531'), 8009, 'flow');
  assert.ok(!e.message.includes('97531'));
});

test('the TurboModule is preferred when present', async () => {
  const { core, sdk, nativeCalls } = setup({ turbo: true });
  core.on('getAccessToken', () => ({ result: 'T' }));
  assert.equal(await sdk.getAccessToken(), 'T');
  assert.deepEqual(nativeCalls, ['invoke']);
});

test('a missing native module rejects with 8020 and a hint', async () => {
  const core = new FakeCore();
  const { rn } = makeFakeReactNative(core, { linked: false });
  const sdk = createOneginiSdk(() => createReactNativeTransport(rn));
  await rejectsWith(sdk.getUserProfiles(), 8020, 'not linked');
});

test('results of concurrent calls are not mixed up when they resolve out of order', async () => {
  const { core, sdk } = setup();
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  core.on('getAuthenticatedUserProfile', async () => {
    await gate;
    return { result: { id: 'slow' } };
  });
  core.on('getAccessToken', () => ({ result: 'fast' }));
  const slow = sdk.getAuthenticatedUserProfile();
  assert.equal(await sdk.getAccessToken(), 'fast');
  await tick();
  release();
  assert.deepEqual(await slow, { id: 'slow' });
});

test('setTransport moves the listeners to the new transport and routes calls there', async () => {
  const first = setup();
  const core2 = new FakeCore();
  const fake2 = makeFakeReactNative(core2);
  const sdk = createOneginiSdk(() => createReactNativeTransport(first.rn));
  const urls: string[] = [];
  sdk.addEventListener(Events.SdkNotification.Registration, (e) => urls.push(e.url));
  first.core.emit(Events.SdkNotification.Registration, { url: 'https://one' });
  sdk.setTransport(() => createReactNativeTransport(fake2.rn));
  assert.equal(first.emitters.count('OneginiSdkEvent'), 0, 'the old native subscription is removed');
  first.core.emit(Events.SdkNotification.Registration, { url: 'https://ignored' });
  core2.emit(Events.SdkNotification.Registration, { url: 'https://two' });
  assert.deepEqual(urls, ['https://one', 'https://two']);
  core2.on('getAccessToken', () => ({ result: 'second' }));
  assert.equal(await sdk.getAccessToken(), 'second');
  assert.equal(first.core.requests.length, 0);
});

test('arguments that cannot be JSON-encoded reject with 8009; a non-JSON native answer with 8000 that does not echo it', async () => {
  const { core, sdk } = setup();
  const circular: Record<string, unknown> = { serverUrl: 'https://x.test' };
  circular.self = circular;
  // The generated validator refuses the unknown member before encoding is tried.
  await rejectsWith(sdk.startClient(circular as never), 8009, '"config.self"');
  assert.equal(core.requests.length, 0);
  // A transport still refuses what JSON cannot encode, without echoing it.
  const t = createReactNativeTransport(makeFakeReactNative(core).rn);
  await rejectsWith(t.invoke('startClient', circular), 8009, 'cannot be encoded as JSON');
  assert.equal(core.requests.length, 0);

  const fakeRN = makeFakeReactNative(new FakeCore());
  (fakeRN.rn.NativeModules.OneginiSdk as { invoke: (s: string) => Promise<string> }).invoke = async () => 'secret-token-not-json';
  const sdk2 = createOneginiSdk(() => createReactNativeTransport(fakeRN.rn));
  const e = await rejectsWith(sdk2.getAccessToken(), 8000, 'invalid JSON');
  assert.ok(!e.message.includes('secret-token'));
});
