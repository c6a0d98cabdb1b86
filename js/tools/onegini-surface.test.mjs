// The measuring tool's own test (node --test js/tools/onegini-surface.test.mjs):
// a package whose types ARE the yardstick must measure as identical everywhere with
// no app-style errors (the comparison is not biased against a correct package), and
// a package with known defects must have exactly those found (the checks can fail).
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const tool = join(root, 'js', 'tools', 'onegini-surface.mjs');
const yardstick = readFileSync(join(root, 'js', 'test', 'onegini-surface', 'rn-official.d.ts'), 'utf8');
const work = mkdtempSync(join(tmpdir(), 'oma-surface-test-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** A package tarball whose dist/index.d.ts is `types`. */
function fakePackage(name, types) {
  const dir = join(work, name, 'package');
  mkdirSync(join(dir, 'dist'), { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: '@openmobileauth/react-native-sdk', version: '0.0.0', main: 'dist/index.js', types: 'dist/index.d.ts' }));
  writeFileSync(join(dir, 'dist', 'index.d.ts'), types);
  writeFileSync(join(dir, 'dist', 'index.js'), 'module.exports = {};\n');
  const tgz = join(work, `${name}.tgz`);
  execFileSync('tar', ['-czf', tgz, '-C', join(work, name), 'package']);
  return tgz;
}

/** An allow-list file (the format of js/test/onegini-surface/deliberate.json). */
function allowList(list) {
  const f = join(work, `${Math.random().toString(36).slice(2)}-allow.json`);
  writeFileSync(f, JSON.stringify(list));
  return f;
}
const noAllowances = allowList({ deliberate: {}, pending: {} });

function measure(tgz, extra = [], allow = noAllowances) {
  const out = join(work, `${Math.random().toString(36).slice(2)}.json`);
  const r = spawnSync(process.execPath, [tool, '--pack', tgz, '--rn-only', '--quiet', '--json', out, '--allow', allow, ...extra], { encoding: 'utf8' });
  return { status: r.status, stderr: r.stderr, result: r.status === 2 ? null : JSON.parse(readFileSync(out, 'utf8')) };
}

test('the yardstick measured against itself: every export identical, no app-style errors, --strict passes', () => {
  const { status, stderr, result } = measure(fakePackage('same', yardstick), ['--strict']);
  assert.equal(status, 0, stderr);
  assert.equal(result.summary.rn.total, 92);
  assert.equal(result.summary.rn.identical, 92, JSON.stringify(result.rn.filter((m) => m.state !== 'identical')));
  assert.equal(result.summary.appErrors, 0);
});

test('known defects are found, and nothing else', () => {
  const replaceOnce = (text, from, to) => {
    assert.ok(text.includes(from), `yardstick text changed: ${from}`);
    return text.replace(from, to);
  };
  let t = yardstick;
  t = replaceOnce(t, '  getRedirectUri: () => Promise<string>;\n', ''); // a missing method
  t = replaceOnce(t, "Open = 'open',\n    Close = 'close',\n    PinNotAllowed", "Open = 'opened',\n    Close = 'close',\n    PinNotAllowed"); // an enum value
  t = replaceOnce(t, 'startClient: () => Promise<string | null>;', 'startClient: () => Promise<void>;'); // a result apps rely on
  t = replaceOnce(t, 'export interface Profile { id: string }', 'export interface Profile { id: string; extra: number }'); // narrower, still compatible
  t = replaceOnce(t, 'export declare const SDKError', 'declare const SDKError'); // not exported
  const { status, stderr, result } = measure(fakePackage('defects', t), ['--strict']);
  assert.equal(status, 1, `--strict must fail: ${stderr}`);
  const state = Object.fromEntries(result.rn.map((m) => [m.id, m.state]));
  const notSame = Object.entries(state).filter(([, s]) => s !== 'identical').map(([id]) => id).sort();
  // A changed Profile also changes what contains one (AuthData, Authenticator, the
  // methods that return them); a changed PinCreate changes the events naming its
  // members and addEventListener's overloads.
  assert.deepEqual(notSame, [
    'Events.PinCreate',
    'Events.PinCreateEvent',
    'Events.PinCreateOpenEvent',
    'Events.SdkEvent',
    'OneginiSdk.addEventListener',
    'OneginiSdk.authenticateUser',
    'OneginiSdk.getAllAuthenticators',
    'OneginiSdk.getAuthenticatedUserProfile',
    'OneginiSdk.getRedirectUri',
    'OneginiSdk.getRegisteredAuthenticators',
    'OneginiSdk.getUserProfiles',
    'OneginiSdk.registerUser',
    'OneginiSdk.startClient',
    'SDKError',
    'Types.AuthData',
    'Types.Authenticator',
    'Types.Profile',
  ]);
  assert.equal(state['OneginiSdk.getRedirectUri'], 'missing');
  assert.equal(state.SDKError, 'missing');
  const byId = Object.fromEntries(result.rn.map((m) => [m.id, m]));
  assert.equal(byId['OneginiSdk.startClient'].compatible, false);
  assert.equal(byId['Types.Profile'].compatible, true);
  assert.equal(byId['Events.PinCreate'].compatible, false);
  assert.ok(result.summary.appErrors > 0, 'the app-style code must not compile against the defective package');
});

test('the allow-list is fail-closed: pending and deliberate entries excuse exactly their members, stale or unknown entries fail', () => {
  const replaceOnce = (text, from, to) => {
    assert.ok(text.includes(from), `yardstick text changed: ${from}`);
    return text.replace(from, to);
  };
  let t = yardstick;
  t = replaceOnce(t, '  startSingleSignOn: (uri: string) => Promise<Types.SingleSignOnData>;\n', ''); // not there yet
  t = replaceOnce(t, 'export interface ImplicitUserDetails { decoratedUserId: string }', 'export interface ImplicitUserDetails { decoratedUserId: string; extra: number }'); // compatible
  t = replaceOnce(t, 'getAccessToken: () => Promise<string>;', 'getAccessToken: () => Promise<string | null>;'); // breaks official code
  const tgz = fakePackage('allow', t);
  const base = {
    deliberate: { 'Types.ImplicitUserDetails': 'a test reason', 'OneginiSdk.getAccessToken': 'not acceptable: official code breaks' },
    pending: { 'OneginiSdk.startSingleSignOn': 'lands later' },
  };
  // Without the incompatible difference's entry being acceptable, --strict fails on it alone.
  let r = measure(tgz, ['--strict'], allowList(base));
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /OneginiSdk\.getAccessToken is different and official code does not compile/);
  assert.doesNotMatch(r.stderr, /startSingleSignOn|ImplicitUserDetails/, 'pending and compatible deliberate entries are excused, with the app-style errors naming them');
  assert.ok(r.result.summary.appErrors > 0, 'the app-style code does use startSingleSignOn');
  // The same package without the breaking difference: --strict passes.
  const ok = fakePackage('allow-ok', replaceOnce(t, 'getAccessToken: () => Promise<string | null>;', 'getAccessToken: () => Promise<string>;'));
  r = measure(ok, ['--strict'], allowList({ deliberate: { 'Types.ImplicitUserDetails': 'a test reason' }, pending: base.pending }));
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.result.rn.find((m) => m.id === 'OneginiSdk.startSingleSignOn').pending, 'lands later');
  // Stale entries (the member is the same now) and names that are not official members fail.
  r = measure(ok, ['--strict'], allowList({ deliberate: { 'Types.ImplicitUserDetails': 'a test reason', 'Types.Profile': 'stale' }, pending: { ...base.pending, 'OneginiSdk.getRedirectUri': 'stale', 'OneginiSdk.noSuchMethod': 'typo' } }));
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /Types\.Profile is the same now: delete its deliberate entry/);
  assert.match(r.stderr, /OneginiSdk\.getRedirectUri is the same now: delete its pending entry/);
  assert.match(r.stderr, /names OneginiSdk\.noSuchMethod, which is not an official member/);
  // Nothing listed: the missing member and its app-style errors fail.
  r = measure(ok, ['--strict']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /OneginiSdk\.startSingleSignOn is missing/);
  assert.match(r.stderr, /app-style error: .*'startSingleSignOn'/);
  assert.match(r.stderr, /Types\.ImplicitUserDetails is different \(no deliberate reason listed\)/);
  // An entry without a reason is refused outright.
  r = measure(ok, ['--strict'], allowList({ pending: { 'OneginiSdk.startSingleSignOn': '' } }));
  assert.equal(r.status, 2);
});
