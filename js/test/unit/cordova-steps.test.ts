/**
 * The Cordova handler chains' edge paths over a scripted core (the flows
 * themselves run on the real core in test/integration/cordova-members.test.ts):
 * bad arguments are 8009 before anything reaches the core, a missing handler
 * cancels the core's flow (never answers for the user) and fails with 8009,
 * and what each action hands to the core.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { OneginiPluginError } from '@openmobileauth/react-native-sdk';
import { FakeCore, tick, until } from '../support/fakecore';
import { Exec, loadPlugin, Onegini } from '../support/cordova-loader';

function load(core: FakeCore): Onegini {
  const exec: Exec = (ok, fail, _service, action, args = []) => {
    if (action === 'listen') {
      core.onEvent((json) => ok(json));
      return;
    }
    void core.handle(String(args[0])).then((a) => ('error' in a ? fail(JSON.stringify(a.error)) : ok(JSON.stringify(a.result))));
  };
  return loadPlugin(exec).onegini;
}

const ok = (): { result: null } => ({ result: null });
const cancelled = { error: { code: 9006, message: 'cancelled', data: { domain: 'sdk' } } };

async function failure(p: PromiseLike<unknown>): Promise<OneginiPluginError> {
  try {
    await p;
  } catch (e) {
    return e as OneginiPluginError;
  }
  assert.fail('expected a failure');
}

test('bad arguments are 8009 before anything reaches the core', async () => {
  const core = new FakeCore();
  const onegini = load(core);
  assert.equal((await failure(onegini.user.validatePinWithPolicy({} as { pin: string }))).numericCode, 8009);
  assert.equal((await failure(onegini.user.authenticators.setPreferred({}))).numericCode, 8009);
  assert.equal((await failure(onegini.user.authenticators.getAll({} as { profileId: string }))).numericCode, 8009);
  assert.equal((await failure(onegini.user.authenticators.registerNew({ authenticatorType: '' }))).numericCode, 8009);
  assert.equal((await failure(onegini.user.authenticators.deregister(42 as unknown as string))).numericCode, 8009);
  // A synchronous throw has the plugin's numeric code too.
  assert.throws(() => onegini.resource.init('ftp://x'), (e: unknown) => (e as OneginiPluginError).code === 8009 && (e as OneginiPluginError).numericCode === 8009);
  await tick();
  assert.deepEqual(core.methods(), []);
});

test('the plugin\'s authenticator names reach the core: PIN normalised, Fingerprint as given', async () => {
  const core = new FakeCore().on('setPreferredAuthenticator', ok).on('deregisterAuthenticator', ok);
  const onegini = load(core);
  await onegini.user.authenticators.setPreferred({ authenticatorType: 'pin' });
  await onegini.user.authenticators.setPreferred('Fingerprint');
  await onegini.user.authenticators.deregister({ authenticatorId: 'com.onegini.authenticator.TouchID' });
  assert.deepEqual(
    core.requests.map((r) => r.params.authenticatorId),
    ['PIN', 'Fingerprint', 'com.onegini.authenticator.TouchID'],
  );
});

test('custom registration: the init step without a handler is answered without data; no complete handler cancels with 8009', async () => {
  let settle: ((a: { error: { code: number; message: string } }) => void) | null = null;
  const core = new FakeCore()
    .on('registerUser', () => {
      setTimeout(() => core.emit('ONEWELCOME_CUSTOM_REGISTRATION_NOTIFICATION', { action: 'initRegistration', identityProviderId: 'letter' }));
      return new Promise((resolve) => (settle = resolve));
    })
    .on('submitCustomRegistrationAction', () => {
      setTimeout(() =>
        core.emit('ONEWELCOME_CUSTOM_REGISTRATION_NOTIFICATION', {
          action: 'finishRegistration',
          identityProviderId: 'letter',
          customInfo: { status: 2000, data: 'code?' },
        }),
      );
      return ok();
    })
    .on('cancelCustomRegistration', () => {
      setTimeout(() => settle!(cancelled));
      return ok();
    });
  const onegini = load(core);
  const err = await failure(onegini.user.register({ identityProviderId: 'letter' }));
  assert.equal(err.numericCode, 8009);
  assert.match(err.message, /onCustomRegistrationCompleteRequest/);
  assert.deepEqual(core.methods(), ['registerUser', 'submitCustomRegistrationAction', 'cancelCustomRegistration']);
  assert.deepEqual(core.requests[1]!.params, { identityProviderId: 'letter' }, 'the init step is answered without a token');
});

test('a request with user verification: accept(pin) checks the PIN, accepts with the match code, and hands the PIN over when asked', async () => {
  let settle: ((a: { result: null }) => void) | null = null;
  const core = new FakeCore()
    .on('handleMobileAuthWithOtp', () => {
      setTimeout(() =>
        core.emit('ONEWELCOME_MOBILE_AUTH_OTP_NOTIFICATION', {
          action: 'startAuthentication',
          mobileAuthenticationRequest: { message: 'Pay?', type: 'uv', transactionId: 'T1', userProfile: { id: 'P1' }, userVerification: 'required', matchCandidates: ['12', '42', '77'] },
        }),
      );
      return new Promise((resolve) => (settle = resolve));
    })
    .on('acceptMobileAuthConfirmation', () => {
      setTimeout(() => core.emit('ONEWELCOME_PIN_AUTHENTICATION_NOTIFICATION', { action: 'open', flow: 'Authentication', profileId: 'P1' }));
      return ok();
    })
    .on('submitPin', () => {
      setTimeout(() => settle!(ok()));
      return ok();
    });
  const onegini = load(core);
  const refused: number[] = [];
  await onegini.mobileAuth.otp.handleRequest({ otp: 'b3Rw' }).onPinRequest((actions) => {
    void actions.accept('').then(
      () => refused.push(0),
      (e: OneginiPluginError) => {
        refused.push(e.numericCode);
        void actions.accept({ pin: '24680', matchCode: '42' });
      },
    );
  });
  assert.deepEqual(refused, [8009]);
  assert.deepEqual(core.methods(), ['handleMobileAuthWithOtp', 'acceptMobileAuthConfirmation', 'submitPin']);
  assert.deepEqual(core.requests[1]!.params, { matchCode: '42' });
  assert.deepEqual(core.requests[2]!.params, { flow: 'Authentication', pin: '24680' });
});

test('a fingerprint request without onFingerprintRequest is denied at the core and fails with 8009', async () => {
  let settle: ((a: typeof cancelled) => void) | null = null;
  const core = new FakeCore()
    .on('authenticateUser', () => {
      setTimeout(() => core.emit('ONEWELCOME_FINGERPRINT_NOTIFICATION', { action: 'startAuthentication', userProfile: { profileId: 'P1' } }));
      return new Promise((resolve) => (settle = resolve));
    })
    .on('submitFingerprintDenyAuthenticationRequest', () => {
      setTimeout(() => settle!(cancelled));
      return ok();
    });
  const onegini = load(core);
  const flow = onegini.user.authenticate('P1').onPinRequest(() => undefined);
  await until(() => core.methods().includes('submitFingerprintDenyAuthenticationRequest'), 'the deny');
  const err = await failure(flow);
  assert.equal(err.numericCode, 8009);
  assert.deepEqual(core.methods(), ['authenticateUser', 'submitFingerprintDenyAuthenticationRequest']);
});
