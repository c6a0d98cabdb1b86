/**
 * The Node transport's own behaviour around the real bridge host process:
 * pipelined calls, a clean close, calls after close, and a binary that cannot start.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createOneginiSdk, OneginiError } from '@openmobileauth/react-native-sdk';
import { startBridgeHost } from '@openmobileauth/react-native-sdk/node';
import { bridgehostBinary } from './env';

test('many pipelined calls each get their own answer', async () => {
  const host = await startBridgeHost({ binary: await bridgehostBinary(), dataDir: '', logLevel: 'error' });
  try {
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) => (i % 2 ? host.invoke('getVersion', {}) : host.invoke('ping', {}))),
    );
    results.forEach((r, i) => {
      if (i % 2) assert.equal(typeof (r as { version: unknown }).version, 'string');
      else assert.deepEqual(r, { pong: true });
    });
  } finally {
    assert.equal(await host.close(), 0);
  }
});

test('after close, calls reject with 8020 instead of hanging', async () => {
  const host = await startBridgeHost({ binary: await bridgehostBinary(), logLevel: 'error' });
  const sdk = createOneginiSdk(host);
  assert.equal(await host.close(), 0);
  await assert.rejects(sdk.getUserProfiles(), (e: unknown) => e instanceof OneginiError && e.numericCode === 8020);
});

test('a binary that cannot start rejects startBridgeHost with an OneginiError', async () => {
  await assert.rejects(
    startBridgeHost({ binary: '/nonexistent/bridgehost', dataDir: '' }),
    (e: unknown) => e instanceof OneginiError && e.numericCode === 8000 && /bridge host/.test(e.message),
  );
});
