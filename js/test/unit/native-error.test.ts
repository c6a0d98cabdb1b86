/**
 * What the React Native and Cordova transports make of the native modules'
 * answers now that each call is settled from the core's per-call reply: the
 * error object's JSON text (RN: userInfo.errorJson; Cordova: the failure
 * string) becomes an OneginiError with code, domain and data; other rejection
 * shapes still map by code and message.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCordovaTransport, createReactNativeTransport, OneginiError } from '@openmobileauth/react-native-sdk';
import type { ReactNativeLike } from '@openmobileauth/react-native-sdk';

class Rejection extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly userInfo: Record<string, unknown> | null,
  ) {
    super(message);
  }
}

function rnWith(invoke: (json: string) => Promise<string>): ReactNativeLike {
  return {
    NativeModules: { OneginiSdk: { invoke } },
    NativeEventEmitter: class {
      addListener() {
        return { remove() {} };
      }
    },
  };
}

const wrongPin = { code: 8004, message: 'wrong PIN', data: { domain: 'pin', remainingFailureCount: 1 } };

test('React Native: userInfo.errorJson becomes the OneginiError, data included', async () => {
  const t = createReactNativeTransport(
    rnWith(async () => {
      throw new Rejection('8004', 'wrong PIN', { errorJson: JSON.stringify(wrongPin) });
    }),
  );
  await assert.rejects(t.invoke('submitPin', { flow: 'Authentication', pin: '00000' }), (e: unknown) => {
    assert.ok(e instanceof OneginiError);
    assert.equal(e.numericCode, 8004);
    assert.equal(e.domain, 'pin');
    assert.equal(e.message, 'wrong PIN');
    assert.equal(e.data.remainingFailureCount, 1);
    return true;
  });
});

test('React Native: a rejection without errorJson maps by its code and message', async () => {
  const t = createReactNativeTransport(
    rnWith(async () => {
      throw new Rejection('9006', 'cancelled', null);
    }),
  );
  await assert.rejects(t.invoke('registerUser', {}), (e: unknown) => e instanceof OneginiError && e.numericCode === 9006 && e.domain === 'sdk');
  const broken = createReactNativeTransport(
    rnWith(async () => {
      throw new Rejection('8020', 'React instance destroyed', { errorJson: 'not json' });
    }),
  );
  await assert.rejects(broken.invoke('ping', {}), (e: unknown) => e instanceof OneginiError && e.numericCode === 8020);
});

test('Cordova: the failure string (error object JSON text) becomes the OneginiError; results are JSON text', async () => {
  const t = createCordovaTransport((ok, fail, _service, action, args) => {
    if (action === 'listen') return;
    const req = JSON.parse(String(args?.[0])) as { method: string };
    if (req.method === 'submitPin') fail(JSON.stringify(wrongPin));
    else if (req.method === 'garbage') fail('no JSON here');
    else ok('{"pong":true}');
  });
  assert.deepEqual(await t.invoke('ping', {}), { pong: true });
  await assert.rejects(t.invoke('submitPin', {}), (e: unknown) => {
    assert.ok(e instanceof OneginiError);
    assert.equal(e.numericCode, 8004);
    assert.equal(e.domain, 'pin');
    assert.equal(e.data.remainingFailureCount, 1);
    return true;
  });
  await assert.rejects(t.invoke('garbage', {}), (e: unknown) => e instanceof OneginiError && e.numericCode === 8000);
});
