/**
 * User verification to approve by the biometric authenticator (DESIGN §13,
 * issues 14 and 15) through JS on the REAL Go core (cmd/bridgehost, its
 * pure-Go biometric scripted through its bridgehost.biometric control request
 * to fail once, then succeed) and a REAL Token
 * Server: an OTP of a type with user verification required, accepted with the
 * fingerprint authenticator registered and preferred, runs the fingerprint
 * events (startAuthentication, onNextAuthenticationAttempt,
 * onFingerprintCaptured, finishAuthentication) and the web site sees
 * OTP_WITH_BIOMETRIC; then a fallback to the PIN approves the next one
 * (OTP_WITH_PIN).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createOneginiSdk, Events, Types } from '@openmobileauth/react-native-sdk';
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
  server = await startTokenServer();
  host = await startBridgeHost({ binary: await bridgehostBinary(), logLevel: 'error' });
});

after(async () => {
  if (host) assert.equal(await host.close(), 0);
  if (server) await server.stop();
});

test('a UV-required OTP approved with the scripted biometric, then with the PIN after a fallback', async (t) => {
  if (skipReason) {
    t.skip(`SKIPPED (no Token Server): ${skipReason}`);
    return;
  }
  const s = server!;
  assert.match(await s.admin(['otp-type', 'create', '--name', 'uv-pay', '--user-verification', 'required']), /uv-pay/);
  const sdk = createOneginiSdk(recording(host!));
  await sdk.startClient({ serverUrl: s.baseUrl, appId: 'oma-app', redirectUri: 'oma-app://registration/callback' });
  let pin = '';
  const regSub = sdk.addEventListener(Events.SdkNotification.Registration, (e) => {
    void webLogin(e.url, s.demoUser.username, s.demoUser.password).then((r) => sdk.handleRegistrationCallback(r));
  });
  const createSub = sdk.addEventListener(Events.SdkNotification.PinCreate, (e) => {
    if (e.action === Events.PinCreate.Open) {
      pin = '2468097531'.slice(0, e.pinLength);
      void sdk.submitPin(Events.PinFlow.Create, pin);
    }
  });
  const { userProfile } = await sdk.registerUser(null, []);
  regSub.remove();
  createSub.remove();
  const pid = userProfile.id;
  await sdk.enrollMobileAuthentication();

  const pinActions: string[] = [];
  const pinSub = sdk.addEventListener(Events.SdkNotification.PinAuth, (e) => {
    pinActions.push(e.action);
    if (e.action === Events.PinAuthentication.Open) void sdk.submitPin(Events.PinFlow.Authentication, pin);
  });
  await sdk.registerFingerprintAuthenticator(pid);
  assert.deepEqual(pinActions.splice(0), ['open', 'close'], 'registration asks for the PIN');
  await sdk.setPreferredAuthenticator(Types.BiometricAuthenticatorIds.AndroidFingerprint);

  // The fingerprint stage answers with `fpAnswer`; the request is accepted.
  let fpAnswer: 'accept' | 'fallback' = 'accept';
  const fpEvents: string[] = [];
  const fpSub = sdk.addEventListener(Events.SdkNotification.Fingerprint, (e) => {
    fpEvents.push(e.action);
    if (e.action === Events.Fingerprint.StartAuthentication) {
      assert.equal(e.userProfile.profileId, pid);
      if (fpAnswer === 'accept') void sdk.submitFingerprintAcceptAuthenticationRequest();
      else void sdk.submitFingerprintFallbackToPin();
    }
  });
  const shown: Types.MobileAuthenticationRequest[] = [];
  const otpSub = sdk.addEventListener(Events.SdkNotification.MobileAuthOtp, (e) => {
    if (e.action !== Events.MobileAuthOtp.StartAuthentication) return;
    shown.push(e.mobileAuthenticationRequest);
    void sdk.acceptMobileAuthConfirmation();
  });
  try {
    // The next biometric prompt is not recognised, the one after is
    // (bridgehost's control request scripts its pure-Go biometric).
    await host!.invoke('bridgehost.biometric', { script: ['fail', 'success'] });
    const first = await s.startMobileAuth('Pay 25.00 EUR?', undefined, 'uv-pay');
    await sdk.handleMobileAuthWithOtp(first.otp);
    assert.equal(shown[0]!.userVerification, 'required');
    assert.deepEqual(fpEvents.splice(0), ['startAuthentication', 'onNextAuthenticationAttempt', 'onFingerprintCaptured', 'finishAuthentication']);
    assert.deepEqual(pinActions.splice(0), [], 'no PIN asked');
    const tx = await s.transaction(first.transaction_id);
    assert.equal(tx.is_authenticated, true);
    assert.equal(tx.authentication_method, 'OTP_WITH_BIOMETRIC');

    fpAnswer = 'fallback';
    const second = await s.startMobileAuth('Pay 990.00 EUR?', undefined, 'uv-pay');
    await sdk.handleMobileAuthWithOtp(second.otp);
    assert.deepEqual(fpEvents.splice(0), ['startAuthentication', 'finishAuthentication']);
    assert.deepEqual(pinActions.splice(0), ['open', 'close']);
    const tx2 = await s.transaction(second.transaction_id);
    assert.equal(tx2.is_authenticated, true);
    assert.equal(tx2.authentication_method, 'OTP_WITH_PIN');
  } finally {
    fpSub.remove();
    otpSub.remove();
    pinSub.remove();
  }
});
