/**
 * The TS tables must not drift from the Go side's single source: they are
 * compared with js/src/generated/contract.json (written by cmd/contractgen; CI
 * regenerates it and fails when the committed copy is stale).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import OneginiSdk, { checkEvent, checkResult, ErrorCodes, Events, Methods, OneginiError, SDKError } from '@openmobileauth/react-native-sdk';

interface Contract {
  methods: Array<{ name: string; internal?: boolean; errors: number[] }>;
  events: Array<{ type: string; action?: string; name: string }>;
  eventTypes: Array<{ type: string; name: string; members: string[] }>;
  actions: Record<string, string>;
  codes: Array<{ code: number; name: string; domain: string; doc: string }>;
}

const repoRoot = join(__dirname, '..', '..', '..');
const contract = JSON.parse(readFileSync(join(repoRoot, 'js', 'src', 'generated', 'contract.json'), 'utf8')) as Contract;

test('error codes: same names, numbers and domains as the Go code table', () => {
  const fromGo = Object.fromEntries(contract.codes.map((c) => [c.name, c.code]));
  assert.deepEqual({ ...ErrorCodes }, fromGo);
  for (const c of contract.codes) {
    assert.equal(new OneginiError(c.code, 'x').domain, c.domain, `domain of ${c.code}`);
  }
});

test('PIN policy codes are the official ones; rate limiting is outside every official table', () => {
  // An official app compares err.code with SDKError.PinIsASequence: it must mean a sequence here too.
  assert.equal(String(ErrorCodes.PIN_IS_A_SEQUENCE), SDKError.PinIsASequence);
  assert.equal(String(ErrorCodes.PIN_BLACKLISTED), SDKError.PinBlacklisted);
  assert.equal(String(ErrorCodes.PIN_USES_SIMILAR_DIGITS), SDKError.PinUsesSimilarDigits);
  assert.equal(String(ErrorCodes.WRONG_PIN_LENGTH), SDKError.WrongPinLength);
  assert.equal(new OneginiError(ErrorCodes.PIN_IS_A_SEQUENCE, 'x').domain, 'pin');
  const official = new Set<string>();
  const collect = (o: object) => {
    for (const v of Object.values(o)) {
      if (typeof v === 'string') official.add(v);
      else if (v && typeof v === 'object') collect(v);
    }
  };
  collect(SDKError);
  assert.equal(ErrorCodes.TOO_MANY_ATTEMPTS, 9100);
  assert.ok(!official.has(String(ErrorCodes.TOO_MANY_ATTEMPTS)), 'TOO_MANY_ATTEMPTS collides with an official code');
  assert.equal(new OneginiError(ErrorCodes.TOO_MANY_ATTEMPTS, 'x').domain, 'network');
});

test('method names: the TS table is the Go method table', () => {
  assert.deepEqual(Object.values(Methods).sort(), contract.methods.map((m) => m.name).sort());
  for (const [k, v] of Object.entries(Methods)) assert.equal(k, v);
});

test('every core method of the JS API is a function of OneginiSdk', () => {
  for (const m of contract.methods) {
    if (m.internal) continue;
    assert.equal(typeof (OneginiSdk as unknown as Record<string, unknown>)[m.name], 'function', `OneginiSdk.${m.name}`);
  }
});

test('event names and actions: the Events enums carry the Go values', () => {
  assert.deepEqual(Object.values(Events.SdkNotification).sort(), contract.eventTypes.map((e) => e.type).sort());
  const a = contract.actions;
  assert.equal(Events.PinCreate.Open, a.Open);
  assert.equal(Events.PinCreate.Close, a.Close);
  assert.equal(Events.PinCreate.PinNotAllowed, a.PinNotAllowed);
  assert.equal(Events.PinAuthentication.Open, a.Open);
  assert.equal(Events.PinAuthentication.Close, a.Close);
  assert.equal(Events.PinAuthentication.IncorrectPin, a.IncorrectPin);
  assert.equal(Events.MobileAuthOtp.StartAuthentication, a.StartAuthentication);
  assert.equal(Events.MobileAuthOtp.FinishAuthentication, a.FinishAuthentication);
  assert.equal(Events.PinFlow.Create, a.FlowCreate);
  assert.equal(Events.PinFlow.Authentication, a.FlowAuthentication);
  const covered = new Set<unknown>([
    ...Object.values(Events.PinCreate),
    ...Object.values(Events.PinAuthentication),
    ...Object.values(Events.MobileAuthOtp),
    ...Object.values(Events.PinFlow),
  ]);
  for (const [k, v] of Object.entries(a)) assert.ok(covered.has(v), `action ${k}=${v} has a TS enum value`);
});

test('the generated validators accept the declared shapes and name what is wrong in others', () => {
  const ok = { type: Events.SdkNotification.PinCreate, action: 'open', flow: 'Create', profileId: '', pinLength: 5 };
  assert.equal(checkEvent(ok), null);
  assert.match(checkEvent({ ...ok, pinLength: '5' }) ?? '', /"PinCreateOpenEvent\.pinLength" must be an integer/);
  assert.match(checkEvent({ ...ok, flow: 'Authentication' }) ?? '', /"PinCreateOpenEvent\.flow" must be "Create"/);
  assert.match(checkEvent({ ...ok, extra: 1 }) ?? '', /extra/);
  assert.match(checkEvent({ ...ok, action: 'wave' }) ?? '', /unknown action "wave"/);
  assert.match(checkEvent({ type: 'NO_SUCH_EVENT' }) ?? '', /unknown event type/);
  const request = { message: 'm', type: 't', transactionId: 'x', signingData: 'm', userProfile: { id: 'P' } };
  assert.equal(checkEvent({ type: Events.SdkNotification.MobileAuthOtp, action: 'finishAuthentication', mobileAuthenticationRequest: request }), null);
  assert.match(checkEvent({ type: Events.SdkNotification.MobileAuthOtp, action: 'finishAuthentication' }) ?? '', /mobileAuthenticationRequest" is missing/);
  assert.match(
    checkEvent({ type: Events.SdkNotification.MobileAuthOtp, action: 'startAuthentication', mobileAuthenticationRequest: { message: 'm' } }) ?? '',
    /mobileAuthenticationRequest\.type" is missing/,
  );
  assert.equal(checkResult('isUserEnrolledForMobileAuth', true), null);
  assert.match(checkResult('isUserEnrolledForMobileAuth', { enrolled: true }) ?? '', /must be a boolean/);
  assert.equal(checkResult('registerUser', { userProfile: { id: 'P' } }), null);
  assert.match(checkResult('registerUser', { userProfile: {} }) ?? '', /userProfile\.id" is missing/);
  assert.equal(checkResult('getUserProfiles', [{ id: 'a' }]), null);
  assert.match(checkResult('getUserProfiles', [{ id: 1 }]) ?? '', /result\[0\]\.id/);
  assert.equal(checkResult('logout', null), null);
  assert.match(checkResult('getAccessToken', { accessToken: 'x' }) ?? '', /must be a string/);
});
