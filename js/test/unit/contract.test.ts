/**
 * The TS tables must not drift from the Go side's single source: they are
 * compared with js/src/generated/contract.json (written by cmd/contractgen; CI
 * regenerates it and fails when the committed copy is stale).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import OneginiSdk, { ErrorCodes, Events, Methods, OneginiError } from '@openmobileauth/react-native-sdk';

interface Contract {
  methods: string[];
  events: string[];
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

test('method names: the TS table is the Go method table', () => {
  assert.deepEqual(Object.values(Methods).sort(), [...contract.methods].sort());
  for (const [k, v] of Object.entries(Methods)) assert.equal(k, v);
});

test('every core method of the JS API is a function of OneginiSdk', () => {
  const internal = new Set(['ping', 'getVersion']);
  for (const m of contract.methods) {
    if (internal.has(m)) continue;
    assert.equal(typeof (OneginiSdk as unknown as Record<string, unknown>)[m], 'function', `OneginiSdk.${m}`);
  }
});

test('event names and actions: the Events enums carry the Go values', () => {
  assert.deepEqual(Object.values(Events.SdkNotification).sort(), [...contract.events].sort());
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
  const covered = new Set<string>([
    ...Object.values(Events.PinCreate),
    ...Object.values(Events.PinAuthentication),
    ...Object.values(Events.MobileAuthOtp),
    ...Object.values(Events.PinFlow),
  ]);
  for (const [k, v] of Object.entries(a)) assert.ok(covered.has(v), `action ${k}=${v} has a TS enum value`);
});
