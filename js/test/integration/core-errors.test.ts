/**
 * The Node transport against the REAL Go core (cmd/bridgehost), used as an app
 * uses the API: the default OneginiSdk export with the Node transport. The
 * error codes the core produces reach JS unchanged; JS-side validation stops
 * bad arguments before they cross.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import OneginiSdk, { Events, OneginiError } from '@openmobileauth/react-native-sdk';
import { NodeTransport, useNodeTransport } from '@openmobileauth/react-native-sdk/node';
import { bridgehostBinary } from './env';

let host: NodeTransport;

before(async () => {
  host = await useNodeTransport({ binary: await bridgehostBinary(), logLevel: 'error' });
});

after(async () => {
  assert.equal(await host.close(), 0, 'the bridge host exits cleanly at end of input');
});

async function code(p: Promise<unknown>): Promise<{ code: string; numericCode: number; domain: string; message: string }> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof OneginiError, `expected an OneginiError, got ${String(e)}`);
    assert.equal(e.code, String(e.numericCode));
    return { code: e.code, numericCode: e.numericCode, domain: e.domain, message: e.message };
  }
  assert.fail('expected a rejection');
}

test('calls before startClient reject with 8020 (SDK not started) from the core', async () => {
  assert.equal((await code(OneginiSdk.getUserProfiles())).numericCode, 8020);
  assert.equal((await code(OneginiSdk.registerUser(null))).numericCode, 8020);
  assert.equal((await code(OneginiSdk.handleMobileAuthWithOtp('b3RwLXZhbHVl'))).numericCode, 8020);
});

test('a bad configuration rejects with 8001 from the core, naming the field', async () => {
  const e = await code(OneginiSdk.startClient({ serverUrl: 'ftp://tokens.example' }));
  assert.equal(e.numericCode, 8001);
  assert.equal(e.domain, 'sdk');
  assert.match(e.message, /serverUrl/);
  const e2 = await code(OneginiSdk.startClient({ serverUrl: 'http://tokens.example' }));
  assert.equal(e2.numericCode, 8001, 'plain http to a non-loopback host is refused');
});

test('an unreachable server rejects with a network code (9000/9001)', async () => {
  // Port 1 on loopback: nothing listens there.
  const e = await code(OneginiSdk.startClient({ serverUrl: 'http://127.0.0.1:1' }));
  assert.ok(e.numericCode === 9001 || e.numericCode === 9000, `got ${e.code} ${e.message}`);
  assert.equal(e.domain, 'network');
});

test('arguments are validated in JS (8009) before crossing; the core still answers afterwards', async () => {
  const e = await code(OneginiSdk.submitPin('Create', undefined as unknown as string));
  assert.equal(e.numericCode, 8009);
  assert.match(e.message, /"pin"/);
  const e2 = await code(OneginiSdk.authenticateUser(undefined as unknown as string, null));
  assert.equal(e2.numericCode, 8009);
  assert.match(e2.message, /"profileId"/);
  assert.equal((await code(OneginiSdk.getAccessToken())).numericCode, 8020);
});

test('the core rejects what JS cannot know is wrong, with the same codes on every path', async () => {
  // Straight through the transport: the core's own checks (8009 for params, 8011 for methods).
  const t = host;
  const bad = await code(t.invoke('startClient', { serverUrl: 42 }));
  assert.equal(bad.numericCode, 8009);
  const unknown = await code(t.invoke('noSuchMethod', {}));
  assert.equal(unknown.numericCode, 8011);
  assert.deepEqual(await t.invoke('ping', {}), { pong: true });
});

test('no event is delivered while nothing runs, and listeners can be added and removed', async () => {
  const got: unknown[] = [];
  const sub = OneginiSdk.addEventListener(Events.SdkNotification.PinCreate, (e) => got.push(e));
  await OneginiSdk.getUserProfiles().catch(() => undefined);
  sub.remove();
  assert.deepEqual(got, []);
});
