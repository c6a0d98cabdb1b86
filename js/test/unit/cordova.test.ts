/**
 * The Cordova flavour as Cordova loads it: the ONE bundled file
 * dist/cordova/onegini.js, evaluated the way cordova.define runs a js-module
 * (a factory given require, exports and module), with `cordova/exec` scripted
 * against a fake core. Promise and success/failure-callback forms, handler
 * chains, and the event channel.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { OneginiPluginError } from '@openmobileauth/react-native-sdk';
import { FakeCore, until } from '../support/fakecore';
import { bundleSource, Exec, loadPlugin, Onegini } from '../support/cordova-loader';

interface ExecCall {
  service: string;
  action: string;
  args: unknown[];
}

/** Loads a fresh copy of the bundle with cordova/exec wired to a fake core. */
function loadWithFakeCore(core: FakeCore): { onegini: Onegini; calls: ExecCall[]; required: string[] } {
  const calls: ExecCall[] = [];
  const exec: Exec = (ok, fail, service, action, args = []) => {
    calls.push({ service, action, args });
    if (service !== 'OneginiSdk') return fail({ code: 8000, message: `no service ${service}` });
    if (action === 'listen') {
      core.onEvent((json) => ok(json)); // keepCallback: called for every event
      return;
    }
    if (action !== 'invoke') return fail({ code: 8000, message: `no action ${action}` });
    void core.handle(String(args[0])).then((a) => {
      // As the plugin does: the core's error object as JSON text.
      if ('error' in a) fail(JSON.stringify(a.error));
      else ok(JSON.stringify(a.result));
    });
  };
  const { onegini, required } = loadPlugin(exec);
  return { onegini, calls, required };
}

function invokes(calls: ExecCall[]): Array<[string, unknown]> {
  return calls
    .filter((c) => c.action === 'invoke')
    .map((c) => {
      const env = JSON.parse(String(c.args[0])) as { method: string; params: unknown };
      return [env.method, env.params];
    });
}

test('the bundle is one self-contained CommonJS file that needs only cordova/exec', () => {
  assert.ok(!/require\(["']\.\.?\//.test(bundleSource.replace(/__req\(/g, '')), 'no relative requires are left');
  assert.ok(!bundleSource.includes("require('react-native')") && !bundleSource.includes('require("react-native")'));
  assert.ok(!bundleSource.includes('child_process'));
  const { onegini, required } = loadWithFakeCore(new FakeCore());
  assert.equal(typeof onegini.start, 'function');
  assert.equal(typeof onegini.mobileAuth.otp.handleRequest, 'function');
  assert.deepEqual(required, [], 'cordova/exec is looked up on first use, not at load');
});

test('promise form: start, getUserProfiles, isUserEnrolled resolve; exec gets the envelope', async () => {
  const core = new FakeCore()
    .on('startClient', () => ({ result: null }))
    .on('getUserProfiles', () => ({ result: [{ id: 'P1' }] }))
    .on('isUserEnrolledForMobileAuth', () => ({ result: false }));
  const { onegini, calls, required } = loadWithFakeCore(core);
  // secureXhr (the plugin's documented start option) never reaches the core
  // (false: no resource.init; true is in test/integration/cordova-members.test.ts).
  await onegini.start({ serverUrl: 'https://tokens.example', secureXhr: false } as never);
  assert.deepEqual(await onegini.user.getUserProfiles(), [{ id: 'P1', profileId: 'P1' }]);
  assert.equal(await onegini.mobileAuth.isUserEnrolled({ profileId: 'P1' }), false);
  assert.deepEqual(required, ['cordova/exec']);
  assert.deepEqual(invokes(calls), [
    ['startClient', { serverUrl: 'https://tokens.example' }],
    ['getUserProfiles', {}],
    ['isUserEnrolledForMobileAuth', { profileId: 'P1' }],
  ]);
  const inv = calls.find((c) => c.action === 'invoke')!;
  assert.equal(inv.service, 'OneginiSdk');
  assert.equal(JSON.parse(String(inv.args[0])).jsonrpc, '2.0');
  assert.equal(calls.filter((c) => c.action === 'listen').length, 1, 'the event channel is opened once');
});

test('callback form: success and failure callbacks are called, and the promise settles too', async () => {
  const core = new FakeCore()
    .on('enrollMobileAuthentication', () => ({ error: { code: 9010, message: 'no authenticated user', data: { domain: 'user' } } }))
    .on('isUserEnrolledForMobileAuth', () => ({ result: true }))
    .on('startClient', () => ({ result: null }));
  const { onegini } = loadWithFakeCore(core);

  const enrolled = await new Promise<boolean>((resolve, reject) =>
    onegini.mobileAuth.isUserEnrolled({ profileId: 'P1' }, resolve, reject),
  );
  assert.equal(enrolled, true);

  const err = await new Promise<OneginiPluginError>((resolve, reject) =>
    onegini.mobileAuth.enroll({}, () => reject(new Error('success called')), resolve),
  );
  assert.equal(err.numericCode, 9010);
  // The Onegini Cordova plugin's shape: code a number (err.code === 9010), the
  // message as description; numericCode/domain/message stay as extra fields.
  assert.strictEqual(err.code, 9010);
  assert.equal(typeof err.code, 'number');
  assert.equal(err.domain, 'user');
  assert.equal(err.description, 'no authenticated user');
  assert.equal(err.message, 'no authenticated user');
  assert.equal(JSON.parse(JSON.stringify(err)).code, 9010);

  // (success, failure) without the options argument.
  const err2 = await new Promise<OneginiPluginError>((resolve, reject) => onegini.mobileAuth.enroll(() => reject(new Error('success')), resolve));
  assert.equal(err2.numericCode, 9010);

  let started = false;
  await onegini.start(undefined, () => (started = true));
  assert.ok(started);

  // Validation errors reach the failure callback with 8009, nothing crosses.
  const before = core.requests.length;
  const bad = await new Promise<OneginiPluginError>((resolve, reject) =>
    onegini.mobileAuth.isUserEnrolled({} as { profileId: string }, () => reject(new Error('success')), resolve),
  );
  assert.equal(bad.numericCode, 8009);
  assert.strictEqual(bad.code, 8009);
  assert.ok(bad.message.includes('profileId'));
  assert.equal(core.requests.length, before);
});

function otpCore(answer: 'accept' | 'deny'): FakeCore {
  const core = new FakeCore();
  let settle: ((a: { result: unknown } | { error: { code: number; message: string; data?: Record<string, unknown> } }) => void) | null = null;
  core.on('handleMobileAuthWithOtp', () => {
    setTimeout(() =>
      core.emit('ONEWELCOME_MOBILE_AUTH_OTP_NOTIFICATION', {
        action: 'startAuthentication',
        mobileAuthenticationRequest: { message: 'Log in to Example Bank?', type: 'qr', transactionId: 'T1', userProfile: { id: 'P1' } },
      }),
    );
    return new Promise((resolve) => (settle = resolve));
  });
  core.on('acceptMobileAuthConfirmation', () => {
    assert.equal(answer, 'accept');
    setTimeout(() => {
      core.emit('ONEWELCOME_MOBILE_AUTH_OTP_NOTIFICATION', { action: 'finishAuthentication' });
      settle!({ result: null });
    });
    return { result: null };
  });
  core.on('denyMobileAuthConfirmation', () => {
    setTimeout(() => settle!({ error: { code: 9006, message: 'mobile authentication denied', data: { domain: 'sdk' } } }));
    return { result: null };
  });
  return core;
}

test('otp.handleRequest chain: onConfirmationRequest gets actions and the request; accept → onSuccess', async () => {
  const core = otpCore('accept');
  const { onegini, calls } = loadWithFakeCore(core);
  const seen: unknown[] = [];
  await new Promise<void>((resolve, reject) => {
    onegini.mobileAuth.otp
      .handleRequest({ otp: 'b3RwLXZhbHVl' })
      .onConfirmationRequest((actions, request) => {
        seen.push(request);
        void actions.accept();
      })
      .onSuccess(() => resolve())
      .onError(reject);
  });
  assert.deepEqual(seen, [{ message: 'Log in to Example Bank?', type: 'qr', transactionId: 'T1', userProfile: { id: 'P1' } }]);
  assert.deepEqual(
    invokes(calls).map(([m]) => m),
    ['handleMobileAuthWithOtp', 'acceptMobileAuthConfirmation'],
  );
});

test('otp.handleRequest works as a promise; deny rejects with 9006 and calls onError', async () => {
  const core = otpCore('deny');
  const { onegini } = loadWithFakeCore(core);
  let onErrorCode = 0;
  const flow = onegini.mobileAuth.otp
    .handleRequest({ otp: 'b3RwLXZhbHVl' })
    .onConfirmationRequest((actions) => void actions.deny())
    .onError((e) => (onErrorCode = e.numericCode));
  await assert.rejects(
    async () => {
      await flow;
    },
    (e: unknown) => e instanceof Error && (e as OneginiPluginError).numericCode === 9006,
  );
  await until(() => onErrorCode !== 0, 'onError');
  assert.equal(onErrorCode, 9006);
});

test('otp.handleRequest without onConfirmationRequest denies (never accepts on the user\'s behalf) and fails with 8009', async () => {
  const core = otpCore('deny');
  const { onegini } = loadWithFakeCore(core);
  await assert.rejects(
    async () => {
      await onegini.mobileAuth.otp.handleRequest({ otp: 'b3RwLXZhbHVl' });
    },
    (e: unknown) => (e as OneginiPluginError).numericCode === 8009 && (e as OneginiPluginError).message.includes('onConfirmationRequest'),
  );
  assert.ok(core.methods().includes('denyMobileAuthConfirmation'));
  assert.ok(!core.methods().includes('acceptMobileAuthConfirmation'));
});

test('user.register chain: registration URL, then PIN creation (with a refused PIN), then success', async () => {
  const core = new FakeCore();
  let finish: ((a: { result: unknown }) => void) | null = null;
  core.on('registerUser', (req) => {
    assert.deepEqual(req.params, { identityProviderId: null, scopes: ['read'] });
    setTimeout(() => core.emit('ONEWELCOME_REGISTRATION_NOTIFICATION', { url: 'https://tokens.example/authorize?x=1' }));
    return new Promise((r) => (finish = r));
  });
  core.on('handleRegistrationCallback', (req) => {
    assert.deepEqual(req.params, { uri: 'app://oma/callback?code=c1' });
    setTimeout(() => core.emit('ONEWELCOME_PIN_CREATE_NOTIFICATION', { action: 'open', flow: 'Create', profileId: 'P9', pinLength: 5 }));
    return { result: null };
  });
  let attempts = 0;
  core.on('submitPin', (req) => {
    attempts++;
    if (attempts === 1) {
      setTimeout(() =>
        core.emit('ONEWELCOME_PIN_CREATE_NOTIFICATION', {
          action: 'pinNotAllowed',
          flow: 'Create',
          profileId: 'P9',
          pinLength: 5,
          errorCode: 8015,
          errorMsg: 'PIN is a sequence',
        }),
      );
    } else {
      assert.deepEqual(req.params, { flow: 'Create', pin: '24680' });
      setTimeout(() => {
        core.emit('ONEWELCOME_PIN_CREATE_NOTIFICATION', { action: 'close', flow: 'Create', profileId: 'P9', pinLength: 5 });
        finish!({ result: { userProfile: { id: 'P9' } } });
      });
    }
    return { result: null };
  });
  const { onegini } = loadWithFakeCore(core);
  const pinRequests: Array<{ pinLength: number; error?: number }> = [];
  const result = await onegini.user
    .register({ identityProviderId: null, scopes: ['read'] })
    .onRegistrationRequest((actions, { url }) => {
      assert.equal(url, 'https://tokens.example/authorize?x=1');
      void actions.handleRegistrationUrl('app://oma/callback?code=c1');
    })
    .onCreatePinRequest((actions, options) => {
      const r: { pinLength: number; error?: number } = { pinLength: options.pinLength };
      if (options.error) r.error = options.error.numericCode;
      pinRequests.push(r);
      void actions.createPin(options.error ? '24680' : '12345');
    });
  assert.deepEqual(result, { userProfile: { id: 'P9', profileId: 'P9' }, profileId: 'P9' });
  assert.deepEqual(pinRequests, [{ pinLength: 5 }, { pinLength: 5, error: 8015 }]);
});

test('user.authenticate chain: wrong PIN asks again with remainingFailureCount, then onSuccess', async () => {
  const core = new FakeCore();
  let finish: ((a: { result: unknown }) => void) | null = null;
  core.on('authenticateUser', (req) => {
    assert.deepEqual(req.params, { profileId: 'P1', authenticatorId: null });
    setTimeout(() => core.emit('ONEWELCOME_PIN_AUTHENTICATION_NOTIFICATION', { action: 'open', flow: 'Authentication', profileId: 'P1' }));
    return new Promise((r) => (finish = r));
  });
  core.on('submitPin', (req) => {
    const p = req.params as { pin: string };
    setTimeout(() => {
      if (p.pin === '11111') {
        core.emit('ONEWELCOME_PIN_AUTHENTICATION_NOTIFICATION', {
          action: 'incorrectPin',
          flow: 'Authentication',
          profileId: 'P1',
          remainingFailureCount: 2,
        });
      } else finish!({ result: { userProfile: { id: 'P1' } } });
    });
    return { result: null };
  });
  const { onegini } = loadWithFakeCore(core);
  const asked: Array<number | undefined> = [];
  const res = await new Promise((resolve, reject) =>
    onegini.user
      .authenticate({ profileId: 'P1' })
      .onPinRequest((actions, options) => {
        asked.push(options.remainingFailureCount);
        void actions.providePin(options.error ? '24680' : '11111');
      })
      .onSuccess(resolve)
      .onError(reject),
  );
  assert.deepEqual(res, { userProfile: { id: 'P1', profileId: 'P1' } });
  assert.deepEqual(asked, [undefined, 2]);
});

test('a failure object from the plugin keeps code, domain and extra fields', async () => {
  const core = new FakeCore().on('authenticateUser', () => ({
    error: { code: 8004, message: 'wrong PIN', data: { domain: 'pin', remainingFailureCount: 0 } },
  }));
  const { onegini } = loadWithFakeCore(core);
  await assert.rejects(
    async () => {
      await onegini.user.authenticate({ profileId: 'P1' }).onPinRequest(() => undefined);
    },
    (e: unknown) => {
      const err = e as OneginiPluginError;
      return err.code === 8004 && err.numericCode === 8004 && err.domain === 'pin' && err.data.remainingFailureCount === 0;
    },
  );
});

test('user.* and resource.fetch map to the core methods; both call forms', async () => {
  const core = new FakeCore()
    .on('getAuthenticatedUserProfile', () => ({ result: { id: 'P1' } }))
    .on('deregisterUser', () => ({ result: null }))
    .on('logout', () => ({ error: { code: 9010, message: 'no authenticated user', data: { domain: 'user' } } }))
    .on('getAccessToken', () => ({ result: 'tok' }))
    .on('resourceRequest', () => ({ result: { ok: true, status: 200, headers: {}, body: '{"a":1}' } }));
  const { onegini, calls } = loadWithFakeCore(core);
  assert.deepEqual(await onegini.user.getAuthenticatedUserProfile(), { id: 'P1', profileId: 'P1' });
  await new Promise<void>((resolve, reject) => onegini.user.deregister({ profileId: 'P1' }, resolve, reject));
  const err = await new Promise<OneginiPluginError>((resolve, reject) => onegini.user.logout(() => reject(new Error('success')), resolve));
  assert.equal(err.numericCode, 9010);
  assert.equal(await onegini.user.getAccessToken(), 'tok');
  assert.deepEqual(await onegini.resource.fetch({ url: '/device/v1/userinfo' }), {
    status: 200, statusText: 'OK', headers: {}, body: '{"a":1}', rawBody: '{"a":1}', json: { a: 1 }, ok: true,
  });
  assert.deepEqual(invokes(calls), [
    ['getAuthenticatedUserProfile', {}],
    ['deregisterUser', { profileId: 'P1' }],
    ['logout', {}],
    ['getAccessToken', {}],
    ['resourceRequest', { method: 'GET', path: '/device/v1/userinfo', type: 'User' }],
  ]);
  await assert.rejects(onegini.user.deregister(undefined as unknown as { profileId: string }), (e: unknown) => (e as OneginiPluginError).numericCode === 8009);
});

test('user.register without onRegistrationRequest and without InAppBrowser cancels the registration and says what is missing', async () => {
  const core = new FakeCore();
  let finish: ((a: { error: { code: number; message: string; data?: Record<string, unknown> } }) => void) | null = null;
  core.on('registerUser', () => {
    setTimeout(() => core.emit('ONEWELCOME_REGISTRATION_NOTIFICATION', { url: 'https://tokens.example/authorize' }));
    return new Promise((r) => (finish = r));
  });
  core.on('cancelBrowserRegistration', () => {
    setTimeout(() => finish!({ error: { code: 9006, message: 'the browser registration was cancelled', data: { domain: 'sdk' } } }));
    return { result: null };
  });
  const { onegini } = loadWithFakeCore(core);
  await assert.rejects(
    async () => {
      await onegini.user.register({ identityProviderId: null }).onCreatePinRequest(() => undefined);
    },
    (e: unknown) => (e as OneginiPluginError).numericCode === 8009 && /onRegistrationRequest/.test((e as OneginiPluginError).message),
  );
  assert.ok(core.methods().includes('cancelBrowserRegistration'));
});
