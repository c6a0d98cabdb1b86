/**
 * The default export, exactly as a React Native app imports it: it finds the
 * native module through `require('react-native')` on first use. This test
 * process maps 'react-native' to the fake before the first call.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Module from 'node:module';
import OneginiSdk, { Events, OneginiError } from '@openmobileauth/react-native-sdk';
import { FakeCore } from '../support/fakecore';
import { makeFakeReactNative } from '../support/fake-react-native';

const core = new FakeCore();
const { rn } = makeFakeReactNative(core);
let reactNativeLoads = 0;
const mod = Module as unknown as { _load: (request: string, parent: unknown, isMain: boolean) => unknown };
const origLoad = mod._load;
mod._load = function (request: string, parent: unknown, isMain: boolean) {
  if (request === 'react-native') {
    reactNativeLoads++;
    return rn;
  }
  return origLoad.call(this, request, parent, isMain);
};

test('importing the package does not load react-native; the first call does, once', async () => {
  assert.equal(reactNativeLoads, 0);
  core.on('getUserProfiles', () => ({ result: [{ id: 'P1' }] }));
  assert.deepEqual(await OneginiSdk.getUserProfiles(), [{ id: 'P1' }]);
  await OneginiSdk.getUserProfiles();
  assert.equal(reactNativeLoads, 1);
});

test('the default export delivers events and rejects with OneginiError', async () => {
  const urls: string[] = [];
  const sub = OneginiSdk.addEventListener(Events.SdkNotification.Registration, (e) => urls.push(e.url));
  core.emit(Events.SdkNotification.Registration, { url: 'https://login.example/authorize' });
  sub.remove();
  core.emit(Events.SdkNotification.Registration, { url: 'https://ignored' });
  assert.deepEqual(urls, ['https://login.example/authorize']);

  core.on('enrollMobileAuthentication', () => ({ error: { code: 9010, message: 'no authenticated user', data: { domain: 'user' } } }));
  await assert.rejects(OneginiSdk.enrollMobileAuthentication(), (e: unknown) => e instanceof OneginiError && e.numericCode === 9010 && e.domain === 'user');
});
