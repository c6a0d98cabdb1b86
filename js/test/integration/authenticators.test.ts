/**
 * Authenticators and PIN management (issue 15) through JS on the REAL Go core
 * (cmd/bridgehost: its pure-Go biometric accepts every prompt) and a REAL Token
 * Server on 127.0.0.1: register the biometric (PIN events first), authenticate
 * with it (fingerprint events), deny, fall back to the PIN, preferred
 * authenticator, deregister; changePin with a wrong then the right current
 * PIN; validatePinWithPolicy codes. Lockout and a changed biometric set are
 * scripted through the dispatcher (core/sdk/e2e_biometric_test.go).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createOneginiSdk, Events, OneginiError, Types } from '@openmobileauth/react-native-sdk';
import { NodeTransport, startBridgeHost } from '@openmobileauth/react-native-sdk/node';
import { bridgehostBinary } from './env';
import { recording } from './contract-capture';
import { serverUnavailableReason, startTokenServer, TokenServer, webLogin } from './tokenserver';

let server: TokenServer | null = null;
let host: NodeTransport | null = null;
let skipReason: string | null = null;

before(async () => {
  skipReason = await serverUnavailableReason();
  if (skipReason) return;
  // More PIN attempts than the per-profile limit allows in a few seconds
  // (server/authenticator_test.go tests the limits).
  server = await startTokenServer(['--no-rate-limits']);
  host = await startBridgeHost({ binary: await bridgehostBinary(), logLevel: 'error' });
});

after(async () => {
  if (host) assert.equal(await host.close(), 0);
  if (server) await server.stop();
});

async function rejection(p: Promise<unknown>): Promise<OneginiError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof OneginiError, `expected an OneginiError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected a rejection');
}

test('biometric authenticator, change PIN and the PIN policy through JS on the real core', async (t) => {
  if (skipReason) {
    t.skip(`SKIPPED (no Token Server): ${skipReason}`);
    return;
  }
  const sdk = createOneginiSdk(recording(host!));
  await sdk.startClient({ serverUrl: server!.baseUrl, appId: 'oma-app', redirectUri: 'oma-app://registration/callback' });
  let pin = '';
  let pinLength = 5;
  const regSub = sdk.addEventListener(Events.SdkNotification.Registration, (e) => {
    void webLogin(e.url, server!.demoUser.username, server!.demoUser.password).then((r) => sdk.handleRegistrationCallback(r));
  });
  const createSub = sdk.addEventListener(Events.SdkNotification.PinCreate, (e) => {
    if (e.action === Events.PinCreate.Open) {
      pinLength = e.pinLength;
      pin = '2468097531'.slice(0, e.pinLength);
      void sdk.submitPin(Events.PinFlow.Create, pin);
    }
  });
  const { userProfile } = await sdk.registerUser(null, []);
  regSub.remove();
  createSub.remove();
  const pid = userProfile.id;

  // PIN entry answers with `pinQueue` in order.
  let pinQueue: string[] = [];
  const pinEvents: string[] = [];
  const authSub = sdk.addEventListener(Events.SdkNotification.PinAuth, (e) => {
    pinEvents.push(e.action);
    if (e.action === Events.PinAuthentication.Open || e.action === Events.PinAuthentication.IncorrectPin) {
      void sdk.submitPin(Events.PinFlow.Authentication, pinQueue.shift() ?? pin);
    }
  });
  // Fingerprint events answer with `fpAnswer`.
  let fpAnswer: 'accept' | 'deny' | 'fallback' = 'accept';
  const fpEvents: string[] = [];
  const fpSub = sdk.addEventListener(Events.SdkNotification.Fingerprint, (e) => {
    fpEvents.push(e.action);
    if (e.action === Events.Fingerprint.StartAuthentication) {
      assert.equal(e.userProfile.profileId, pid);
      if (fpAnswer === 'accept') void sdk.submitFingerprintAcceptAuthenticationRequest();
      else if (fpAnswer === 'deny') void sdk.submitFingerprintDenyAuthenticationRequest();
      else void sdk.submitFingerprintFallbackToPin();
    }
  });
  try {
    const all: Types.Authenticator[] = await sdk.getAllAuthenticators(pid);
    assert.deepEqual(all.map((a) => [a.id, a.isRegistered, a.isPreferred]), [
      ['PIN', true, true],
      [Types.BiometricAuthenticatorIds.AndroidFingerprint, false, false],
    ]);

    await sdk.registerFingerprintAuthenticator(pid);
    assert.deepEqual(pinEvents.splice(0), ['open', 'close']);
    assert.deepEqual((await sdk.getRegisteredAuthenticators(pid)).map((a) => a.id), ['PIN', 'fingerprint']);

    const auth = await sdk.authenticateUser(pid, Types.BiometricAuthenticatorIds.AndroidFingerprint);
    assert.equal(auth.userProfile.id, pid);
    assert.deepEqual(fpEvents.splice(0), ['startAuthentication', 'onFingerprintCaptured', 'finishAuthentication']);

    fpAnswer = 'deny';
    assert.equal((await rejection(sdk.authenticateUser(pid, 'fingerprint'))).numericCode, OneginiError.Codes.ACTION_CANCELED);
    fpAnswer = 'fallback';
    await sdk.authenticateUser(pid, 'fingerprint');
    assert.deepEqual(pinEvents.splice(0), ['open', 'close']);

    fpAnswer = 'accept';
    await sdk.setPreferredAuthenticator('fingerprint');
    fpEvents.splice(0);
    await sdk.authenticateUser(pid, null);
    assert.equal(fpEvents[0], 'startAuthentication');

    await sdk.deregisterFingerprintAuthenticator(pid);
    assert.deepEqual((await sdk.getRegisteredAuthenticators(pid)).map((a) => a.id), ['PIN']);
    assert.equal((await rejection(sdk.authenticateUser(pid, 'fingerprint'))).numericCode, OneginiError.Codes.AUTHENTICATOR_NOT_REGISTERED);

    // changePin: a wrong current PIN first (incorrectPin), then the new PIN.
    const newPin = '9753102468'.slice(0, pinLength);
    pinQueue = ['1357913579'.slice(0, pinLength), pin];
    const newSub = sdk.addEventListener(Events.SdkNotification.PinCreate, (e) => {
      if (e.action === Events.PinCreate.Open) void sdk.submitPin(Events.PinFlow.Create, newPin);
    });
    try {
      await sdk.changePin();
    } finally {
      newSub.remove();
    }
    assert.deepEqual(pinEvents.splice(0), ['open', 'incorrectPin', 'close']);
    pinQueue = [pin, newPin];
    await sdk.authenticateUser(pid, null);
    assert.deepEqual(pinEvents.splice(0), ['open', 'incorrectPin', 'close']);

    // The PIN policy's codes.
    for (const [bad, code] of [
      ['1122311223'.slice(0, pinLength), OneginiError.Codes.PIN_BLACKLISTED],
      ['1111111111'.slice(0, pinLength), OneginiError.Codes.PIN_USES_SIMILAR_DIGITS],
      ['13', OneginiError.Codes.WRONG_PIN_LENGTH],
    ] as const) {
      assert.equal((await rejection(sdk.validatePinWithPolicy(bad))).numericCode, code, bad);
    }
    await sdk.validatePinWithPolicy(newPin);
  } finally {
    authSub.remove();
    fpSub.remove();
  }
});
