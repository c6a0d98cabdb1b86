/**
 * The whole app journey through the Node transport, against the REAL Go core
 * (cmd/bridgehost) and a REAL Token Server (cmd/tokenserver) on 127.0.0.1,
 * written the way an app uses the API: the default OneginiSdk export, event
 * listeners that answer the SDK's questions, and a web site (the relying party)
 * that starts mobile authentications through the v4 API.
 *
 * start → register (the registration URL answered by an HTTP client that logs
 * in on the server's login page) → create the PIN from the PIN events (a refused
 * PIN first) → enroll → OTP accepted in the startAuthentication handler → OTP
 * denied (9006) → failure cases whose codes reach JS unchanged → PIN
 * authentication with a wrong PIN first → logout.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import OneginiSdk, { createOneginiSdk, Events, OneginiError, SDKError, Types } from '@openmobileauth/react-native-sdk';
import { NodeTransport, startBridgeHost } from '@openmobileauth/react-native-sdk/node';
import { assertCapturedValid, recording } from './contract-capture';
import { bridgehostBinary } from './env';
import { serverUnavailableReason, startTokenServer, TokenServer, webLogin } from './tokenserver';

let PIN = '24680'; // replaced by a PIN of the server's length at registration
let server: TokenServer | null = null;
let host: NodeTransport | null = null;
let skipReason: string | null = null;
let profile: Types.Profile | null = null;

before(async () => {
  skipReason = await serverUnavailableReason();
  if (skipReason) {
    console.log(`\n!!!!! SKIPPING the Token Server integration tests: ${skipReason} !!!!!\n`);
    return;
  }
  server = await startTokenServer();
  host = await startBridgeHost({ binary: await bridgehostBinary(), logLevel: 'error' });
  // Everything the real core answers and emits is recorded and checked against
  // the generated contract at the end.
  OneginiSdk.setTransport(recording(host));
});

after(async () => {
  if (host) assert.equal(await host.close(), 0);
  if (server) await server.stop();
});

/**
 * One step of the journey: skipped loudly when the server is unavailable;
 * steps after registration fail at once when registration did.
 */
function step(name: string, fn: () => Promise<void>, needsProfile = true): void {
  test(name, async (t) => {
    if (skipReason) {
      t.skip(`SKIPPED (no Token Server): ${skipReason}`);
      return;
    }
    if (needsProfile && profile === null) assert.fail('an earlier step (registration) failed');
    await fn();
  });
}

async function rejection(p: Promise<unknown>): Promise<OneginiError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof OneginiError, `expected an OneginiError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected a rejection');
}

/** Answers the next startAuthentication with accept or deny; collects what the user saw. */
function answerNextRequest(decision: 'accept' | 'deny'): {
  seen: Types.MobileAuthenticationRequest[];
  finished: Types.MobileAuthenticationRequest[];
  actions: string[];
  done: () => void;
} {
  const seen: Types.MobileAuthenticationRequest[] = [];
  const finished: Types.MobileAuthenticationRequest[] = [];
  const actions: string[] = [];
  const sub = OneginiSdk.addEventListener(Events.SdkNotification.MobileAuthOtp, (e) => {
    actions.push(e.action);
    if (e.action === Events.MobileAuthOtp.FinishAuthentication) finished.push(e.mobileAuthenticationRequest);
    if (e.action === Events.MobileAuthOtp.StartAuthentication) {
      seen.push(e.mobileAuthenticationRequest);
      const answer =
        decision === 'accept' ? OneginiSdk.acceptMobileAuthConfirmation() : OneginiSdk.denyMobileAuthConfirmation();
      answer.catch((err: unknown) => assert.fail(`answering failed: ${String(err)}`));
    }
  });
  return { seen, finished, actions, done: () => sub.remove() };
}

step('startClient', async () => {
  assert.equal(await OneginiSdk.startClient({ serverUrl: server!.baseUrl, appId: 'oma-app', redirectUri: 'oma-app://registration/callback' }), null);
  assert.deepEqual(await OneginiSdk.getUserProfiles(), []);
  assert.equal(await OneginiSdk.getRedirectUri(), 'oma-app://registration/callback');
  assert.equal(await OneginiSdk.getResourceBaseUrl(), `${server!.baseUrl.replace(/\/$/, '')}/resources`);
}, false);

step('register: the registration URL is answered by logging in, then the PIN is created from the PIN events', async () => {
  const pinEvents: string[] = [];
  const regSub = OneginiSdk.addEventListener(Events.SdkNotification.Registration, (e) => {
    // The app opens e.url in a browser; here an HTTP client logs in on the login page.
    webLogin(e.url, server!.demoUser.username, server!.demoUser.password)
      .then((redirect) => OneginiSdk.handleRegistrationCallback(redirect))
      .catch(async (err: unknown) => {
        await OneginiSdk.cancelBrowserRegistration().catch(() => undefined);
        assert.fail(`web login failed: ${String(err)}`);
      });
  });
  const pinSub = OneginiSdk.addEventListener(Events.SdkNotification.PinCreate, (e) => {
    pinEvents.push(e.action);
    if (e.action === Events.PinCreate.Open) {
      assert.equal(e.flow, Events.PinFlow.Create);
      assert.ok(e.pinLength >= 4, `pinLength ${e.pinLength}`);
      // First a PIN the policy refuses (a sequence of the right length).
      void OneginiSdk.submitPin(Events.PinFlow.Create, '1234567890'.slice(0, e.pinLength));
    } else if (e.action === Events.PinCreate.PinNotAllowed) {
      assert.equal(e.errorCode, OneginiError.Codes.PIN_IS_A_SEQUENCE);
      assert.ok(!e.errorMsg.includes('1234'), 'the refused PIN is not echoed');
      PIN = '2468097531'.slice(0, e.pinLength);
      void OneginiSdk.submitPin(Events.PinFlow.Create, PIN);
    }
  });
  try {
    const auth = await OneginiSdk.registerUser(null, []);
    assert.equal(typeof auth.userProfile.id, 'string');
    assert.ok(auth.userProfile.id.length > 0);
    profile = auth.userProfile;
  } finally {
    regSub.remove();
    pinSub.remove();
  }
  assert.deepEqual(pinEvents, ['open', 'pinNotAllowed', 'close']);
  assert.deepEqual(await OneginiSdk.getUserProfiles(), [profile]);
  assert.deepEqual(await OneginiSdk.getAuthenticatedUserProfile(), profile);
  await OneginiSdk.authenticateUserImplicitly(profile!.id);
  assert.deepEqual(await OneginiSdk.getImplicitlyAuthenticatedUserProfile(), profile);
  const token = await OneginiSdk.getAccessToken();
  assert.ok(token.length > 10);
}, false);

step('enroll for mobile authentication', async () => {
  assert.equal(await OneginiSdk.isUserEnrolledForMobileAuth(profile!.id), false);
  await OneginiSdk.enrollMobileAuthentication();
  assert.equal(await OneginiSdk.isUserEnrolledForMobileAuth(profile!.id), true);
  const again = await rejection(OneginiSdk.enrollMobileAuthentication());
  assert.equal(again.numericCode, OneginiError.Codes.DEVICE_ALREADY_ENROLLED);
});

step('push: no target registered, push data recognised, nothing pending (the server sends no push here)', async () => {
  assert.equal(await OneginiSdk.isUserEnrolledForMobileAuthWithPush(profile!.id), false);
  assert.equal(await OneginiSdk.canHandlePushMessage({ og_transaction_id: 'tx', og_profile_id: profile!.id }), true);
  assert.equal(await OneginiSdk.canHandlePushMessage({ content: { og_transaction_id: 'tx', og_profile_id: profile!.id } }), true);
  assert.equal(await OneginiSdk.canHandlePushMessage({ og_transaction_id: 'tx', og_profile_id: 'another-profile' }), false);
  assert.deepEqual(await OneginiSdk.getPendingMobileAuthWithPushRequests(), []);
});

step('an OTP from the relying-party API, accepted in the startAuthentication handler', async () => {
  const started = await server!.startMobileAuth('Log in to Example Bank');
  const answer = answerNextRequest('accept');
  try {
    await OneginiSdk.handleMobileAuthWithOtp(started.otp);
  } finally {
    answer.done();
  }
  assert.equal(answer.seen.length, 1);
  const req = answer.seen[0]!;
  assert.ok(req.message.includes('Log in to Example Bank'), `message shown: ${req.message}`);
  assert.equal(req.transactionId, started.transaction_id);
  assert.equal(req.userProfile?.id, profile!.id); // always sent (optional in the type: the official one lacks it)
  // signingData (official field): the exact text the signed answer covers, i.e. the message shown.
  assert.equal(req.signingData, req.message);
  // finishAuthentication carries the same request, as the official event does.
  assert.deepEqual(answer.finished, [req]);
  assert.deepEqual(answer.actions, ['startAuthentication', 'finishAuthentication']);
  const tx = await server!.transaction(started.transaction_id);
  assert.equal(tx.is_authenticated, true);
});

step('the deny path rejects handleMobileAuthWithOtp with 9006 and the web site learns it', async () => {
  const started = await server!.startMobileAuth('Confirm payment of EUR 10');
  const answer = answerNextRequest('deny');
  let err: OneginiError;
  try {
    err = await rejection(OneginiSdk.handleMobileAuthWithOtp(started.otp));
  } finally {
    answer.done();
  }
  assert.equal(err.numericCode, OneginiError.Codes.ACTION_CANCELED);
  assert.equal(err.code, SDKError.ActionCanceled, "code compares equal to the official SDKError string");
  assert.equal(err.code, "9006");
  assert.deepEqual(answer.actions, ['startAuthentication', 'finishAuthentication']);
  const tx = await server!.transaction(started.transaction_id);
  assert.equal(tx.is_authenticated, false);
});

step('number matching with details (DESIGN §13): a foreign pick is refused with 8009, the right pick accepted', async () => {
  const details = [{ label: 'Payee', value: 'Example Shop' }, { label: 'Amount', value: 'EUR 25.00' }];
  const started = await server!.startMobileAuth('Pay?', undefined, undefined, { number_matching: 'true', details: JSON.stringify(details) });
  assert.match(started.match_code ?? '', /^[1-9][0-9]$/);
  const seen: Types.MobileAuthenticationRequest[] = [];
  const refusals: number[] = [];
  const sub = OneginiSdk.addEventListener(Events.SdkNotification.MobileAuthOtp, (e) => {
    if (e.action !== Events.MobileAuthOtp.StartAuthentication) return;
    seen.push(e.mobileAuthenticationRequest);
    const foreign = ['00', '01', '02'].find((x) => !e.mobileAuthenticationRequest.matchCandidates!.includes(x))!;
    OneginiSdk.acceptMobileAuthConfirmation({ matchCode: foreign })
      .catch((err: unknown) => refusals.push(err instanceof OneginiError ? err.numericCode : -1))
      // The page shows started.match_code; the user picks it.
      .then(() => OneginiSdk.acceptMobileAuthConfirmation({ matchCode: started.match_code! }))
      .catch((err: unknown) => assert.fail(`answering failed: ${String(err)}`));
  });
  try {
    await OneginiSdk.handleMobileAuthWithOtp(started.otp);
  } finally {
    sub.remove();
  }
  assert.deepEqual(refusals, [OneginiError.Codes.BAD_PARAMETERS]);
  assert.equal(seen.length, 1);
  assert.deepEqual(seen[0]!.details, details);
  assert.equal(seen[0]!.matchCandidates!.length, 3);
  assert.ok(seen[0]!.matchCandidates!.includes(started.match_code!));
  assert.equal((await server!.transaction(started.transaction_id)).is_authenticated, true);
});

step('"this wasn\'t me": denyMobileAuthConfirmation({reason: \'not_me\'}) rejects 9006 and the web site learns it', async () => {
  const started = await server!.startMobileAuth('Log in to Example Bank');
  const sub = OneginiSdk.addEventListener(Events.SdkNotification.MobileAuthOtp, (e) => {
    if (e.action === Events.MobileAuthOtp.StartAuthentication) {
      OneginiSdk.denyMobileAuthConfirmation({ reason: 'not_me' }).catch((err: unknown) => assert.fail(String(err)));
    }
  });
  let err: OneginiError;
  try {
    err = await rejection(OneginiSdk.handleMobileAuthWithOtp(started.otp));
  } finally {
    sub.remove();
  }
  assert.equal(err.numericCode, OneginiError.Codes.ACTION_CANCELED);
  const tx = await server!.transaction(started.transaction_id);
  assert.equal(tx.not_authenticated_reason?.reason, 'not_me');
  assert.equal(tx.reported_by_user, true);
});

step('failure cases reach JS with the core\'s codes unchanged', async () => {
  // An OTP that was already answered.
  const started = await server!.startMobileAuth('Once only');
  const answer = answerNextRequest('accept');
  try {
    await OneginiSdk.handleMobileAuthWithOtp(started.otp);
  } finally {
    answer.done();
  }
  const reused = await rejection(OneginiSdk.handleMobileAuthWithOtp(started.otp));
  assert.equal(reused.numericCode, OneginiError.Codes.ALREADY_HANDLED, `reused OTP: ${reused.code} ${reused.message}`);
  assert.equal(reused.domain, 'mobileAuth');
  assert.ok(!reused.message.includes(started.otp), 'the OTP is not echoed in the error');
  // A well-formed OTP the server never issued.
  const unknownOtp = 'A'.repeat(started.otp.length);
  assert.equal((await rejection(OneginiSdk.handleMobileAuthWithOtp(unknownOtp))).numericCode, OneginiError.Codes.REQUEST_NOT_FOUND);
  // A malformed OTP.
  assert.equal((await rejection(OneginiSdk.handleMobileAuthWithOtp('not an otp!'))).numericCode, OneginiError.Codes.NOT_HANDLEABLE);
  // Accept/deny with nothing waiting.
  assert.equal((await rejection(OneginiSdk.acceptMobileAuthConfirmation())).numericCode, OneginiError.Codes.NO_MOBILE_AUTH_IN_PROGRESS);
  assert.equal((await rejection(OneginiSdk.denyMobileAuthConfirmation())).numericCode, OneginiError.Codes.NO_MOBILE_AUTH_IN_PROGRESS);
  // A profile that does not exist.
  assert.equal((await rejection(OneginiSdk.authenticateUser('no-such-profile', null))).numericCode, OneginiError.Codes.PROFILE_DOES_NOT_EXIST);
  // A PIN with no PIN flow waiting.
  assert.equal((await rejection(OneginiSdk.submitPin(Events.PinFlow.Authentication, PIN))).numericCode, OneginiError.Codes.NO_FLOW_IN_PROGRESS);
  // A registration callback with no registration running.
  assert.equal(
    (await rejection(OneginiSdk.handleRegistrationCallback('oma-app://registration/callback?code=x&state=y'))).numericCode,
    OneginiError.Codes.NO_FLOW_IN_PROGRESS,
  );
});

step('logout, then PIN authentication: a wrong PIN first (incorrectPin with the remaining count), then the right one', async () => {
  await OneginiSdk.logout();
  assert.equal((await rejection(OneginiSdk.getAccessToken())).numericCode, OneginiError.Codes.NO_PROFILE_AUTHENTICATED);
  assert.equal((await rejection(OneginiSdk.getAccessToken())).code, SDKError.NoProfileAuthenticated);
  assert.equal((await rejection(OneginiSdk.logout())).numericCode, OneginiError.Codes.NO_PROFILE_AUTHENTICATED);

  const events: Events.PinAuthenticationEvent[] = [];
  const sub = OneginiSdk.addEventListener(Events.SdkNotification.PinAuth, (e) => {
    events.push(e);
    if (e.action === Events.PinAuthentication.Open) void OneginiSdk.submitPin(Events.PinFlow.Authentication, '1357913579'.slice(0, PIN.length));
    if (e.action === Events.PinAuthentication.IncorrectPin) void OneginiSdk.submitPin(Events.PinFlow.Authentication, PIN);
  });
  try {
    const auth = await OneginiSdk.authenticateUser(profile!.id, null);
    assert.deepEqual(auth, { userProfile: profile });
  } finally {
    sub.remove();
  }
  assert.deepEqual(
    events.map((e) => e.action),
    ['open', 'incorrectPin', 'close'],
  );
  const wrong = events[1]!;
  if (wrong.action === Events.PinAuthentication.IncorrectPin) {
    assert.equal(typeof wrong.remainingFailureCount, 'number');
    assert.ok(wrong.remainingFailureCount >= 1);
    // Official payload fields: errorCode (SDKError.WrongPin) and errorMsg.
    assert.equal(String(wrong.errorCode), SDKError.WrongPin);
    assert.ok(wrong.errorMsg.includes(String(wrong.remainingFailureCount)), wrong.errorMsg);
  }
  assert.deepEqual(await OneginiSdk.getAuthenticatedUserProfile(), profile);
});

step('a resource request with the access token', async () => {
  const res = await OneginiSdk.resourceRequest(Types.ResourceRequestType.User, { method: Types.ResourceMethod.GET, path: server!.resourcePath });
  assert.equal(res.status, 200, res.body);
  assert.equal(res.ok, true);
  // A 404 resolves too (as the official SDK), with ok false.
  const missing = await OneginiSdk.resourceRequest(Types.ResourceRequestType.User, { method: Types.ResourceMethod.GET, path: server!.resourcePath + '-no-such-resource' });
  assert.equal(missing.ok, false, `status ${missing.status}`);
  // The implicit token (authenticateUserImplicitly at registration) is not a user token: the user endpoint refuses it.
  const implicit = await OneginiSdk.resourceRequest(Types.ResourceRequestType.Implicit, { method: Types.ResourceMethod.GET, path: server!.resourcePath });
  assert.deepEqual([implicit.ok, implicit.status], [false, 401], implicit.body);
  const info = JSON.parse(res.body) as { profile_id: string; enrolled: boolean };
  assert.equal(info.profile_id, profile!.id);
  assert.equal(info.enrolled, true);
});

step('a second phone of the same user is refused enrollment with 9018 (single-device policy)', async () => {
  // Another device: its own core, storage and keys, same server, same user.
  const host2 = await startBridgeHost({ binary: await bridgehostBinary(), logLevel: 'error' });
  const phone2 = createOneginiSdk(recording(host2));
  await phone2.startClient({ serverUrl: server!.baseUrl });
  const regSub = phone2.addEventListener(Events.SdkNotification.Registration, (e) => {
    void webLogin(e.url, server!.demoUser.username, server!.demoUser.password).then((r) => phone2.handleRegistrationCallback(r));
  });
  const pinSub = phone2.addEventListener(Events.SdkNotification.PinCreate, (e) => {
    if (e.action === Events.PinCreate.Open) void phone2.submitPin(Events.PinFlow.Create, '9753186420'.slice(0, e.pinLength));
  });
  try {
    const { userProfile } = await phone2.registerUser(null, [new String('openid')]) // the official signature's boxed String[];
    assert.notEqual(userProfile.id, profile!.id, 'each device has its own profile id');
    const refused = await rejection(phone2.enrollMobileAuthentication());
    assert.equal(refused.numericCode, OneginiError.Codes.ENROLLED_ON_ANOTHER_DEVICE);
    assert.equal(refused.domain, 'mobileAuth');
    assert.equal(await phone2.isUserEnrolledForMobileAuth(userProfile.id), false);
  } finally {
    regSub.remove();
    pinSub.remove();
    assert.equal(await host2.close(), 0);
  }
});

step('push: a push target registered for the enrolled profile', async () => {
  const r = await OneginiSdk.enrollUserForMobileAuthWithPush('fcm-token-of-the-flow-test');
  assert.equal(typeof r, 'object');
  assert.equal(await OneginiSdk.isUserEnrolledForMobileAuthWithPush(profile!.id), true);
});

step('push with details, number matching and PIN to approve (DESIGN §12, §13): the pending list and the request shown carry them; pick + PIN accept', async () => {
  assert.match(
    await server!.admin(['otp-type', 'create', '--name', 'push-af', '--push', '--number-matching', '--user-verification', 'required']),
    /push true/,
  );
  // The "this wasn't me" step above suspended the user's user-bound requests: the operator lifts it.
  await server!.admin(['user', 'unsuspend', '--user', server!.demoUser.username]);
  const details = [{ label: 'Payee', value: 'Example Shop' }, { label: 'IBAN', value: 'NL91 ABNA 0417 1643 00' }];
  const started = await server!.startMobileAuth('Pay 25.00 EUR?', server!.demoUser.username, 'push-af', { details: JSON.stringify(details) });
  assert.equal(started.auth_method, 'PUSH');
  assert.match(started.match_code ?? '', /^[1-9][0-9]$/);
  const pending = await OneginiSdk.getPendingMobileAuthWithPushRequests();
  assert.equal(pending.length, 1);
  const listed = pending[0]!;
  assert.equal(listed.transactionId, started.transaction_id);
  assert.deepEqual(listed.details, details);
  assert.equal(listed.userVerification, 'required');
  assert.equal(listed.matchCandidates!.length, 3);
  assert.ok(listed.matchCandidates!.includes(started.match_code!));
  const shown: Types.MobileAuthenticationRequest[] = [];
  const pinActions: string[] = [];
  const sub = OneginiSdk.addEventListener(Events.SdkNotification.MobileAuthOtp, (e) => {
    if (e.action !== Events.MobileAuthOtp.StartAuthentication) return;
    shown.push(e.mobileAuthenticationRequest);
    void OneginiSdk.acceptMobileAuthConfirmation({ matchCode: started.match_code! });
  });
  const pinSub = OneginiSdk.addEventListener(Events.SdkNotification.PinAuth, (e) => {
    pinActions.push(e.action);
    if (e.action === Events.PinAuthentication.Open) void OneginiSdk.submitPin(Events.PinFlow.Authentication, PIN);
  });
  try {
    await OneginiSdk.handlePendingMobileAuthWithPushRequest(listed);
  } finally {
    sub.remove();
    pinSub.remove();
  }
  assert.equal(shown.length, 1);
  assert.deepEqual(shown[0]!.details, details);
  assert.deepEqual(shown[0]!.matchCandidates, listed.matchCandidates);
  assert.deepEqual(pinActions, ['open', 'close']);
  const tx = await server!.transaction(started.transaction_id);
  assert.equal(tx.is_authenticated, true);
  assert.equal(tx.authentication_method, 'PUSH_WITH_PIN');
});

step('deregisterUser removes the profile', async () => {
  await OneginiSdk.deregisterUser(profile!.id);
  assert.deepEqual(await OneginiSdk.getUserProfiles(), []);
  assert.equal((await rejection(OneginiSdk.isUserEnrolledForMobileAuth(profile!.id))).numericCode, OneginiError.Codes.PROFILE_DOES_NOT_EXIST);
});

step('every result and event the real core sent validates against the generated TS contract', async () => {
  // Coverage of every declared shape across all integration files: js/tools/contract-coverage.mjs.
  assertCapturedValid();
});
