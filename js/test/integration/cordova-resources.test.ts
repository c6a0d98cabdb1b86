/**
 * The Cordova plugin's implicit and device authentication (issue 17) on the
 * REAL Go core (the shipped Cordova bundle over cordova.exec to cmd/bridgehost)
 * and a REAL Token Server: onegini.device.authenticate, then
 * onegini.user.authenticateImplicitly (object and string forms, callbacks) and
 * getImplicitlyAuthenticatedUserProfile, checked by the example resources.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { OneginiPluginError } from '@openmobileauth/react-native-sdk';
import { BridgeExec, bridgehostExec } from '../support/bridgehost-exec';
import { loadPlugin, Onegini } from '../support/cordova-loader';
import { bridgehostBinary } from './env';
import { serverUnavailableReason, startTokenServer, TokenServer, webLogin } from './tokenserver';

let bridge: BridgeExec;
let onegini: Onegini;
let server: TokenServer | null = null;
let skipReason: string | null = null;

before(async () => {
  bridge = bridgehostExec(await bridgehostBinary());
  onegini = loadPlugin(bridge.exec).onegini;
  skipReason = await serverUnavailableReason();
  if (!skipReason) server = await startTokenServer();
});

after(async () => {
  assert.equal(await bridge.close(), 0);
  if (server) await server.stop();
});

test('Cordova: device.authenticate, user.authenticateImplicitly, getImplicitlyAuthenticatedUserProfile', async (t) => {
  if (skipReason) {
    t.skip(`SKIPPED (no Token Server): ${skipReason}`);
    return;
  }
  const s = server!;
  await onegini.start({ serverUrl: s.baseUrl });
  await onegini.device.authenticate({ scopes: ['read'] });
  await new Promise<void>((resolve, reject) => onegini.device.authenticate(resolve, reject));
  await assert.rejects(onegini.device.authenticate({ scopes: ['openid'] }), (e: unknown) => (e as OneginiPluginError).numericCode === 10000);

  const registered = await onegini.user
    .register({ identityProviderId: null })
    .onRegistrationRequest((actions, { url }) => {
      webLogin(url, s.demoUser.username, s.demoUser.password).then(
        (redirect) => actions.handleRegistrationUrl(redirect),
        () => actions.cancelRegistration(),
      );
    })
    .onCreatePinRequest((actions, options) => void actions.createPin('8642097531'.slice(0, options.pinLength)));
  const profileId = registered.userProfile.profileId;
  await onegini.user.logout();

  await assert.rejects(onegini.user.getImplicitlyAuthenticatedUserProfile(), (e: unknown) => (e as OneginiPluginError).numericCode === 9026);
  await onegini.user.authenticateImplicitly(profileId); // the example app's string form
  assert.deepEqual(await onegini.user.getImplicitlyAuthenticatedUserProfile(), { id: profileId, profileId });
  await new Promise<void>((resolve, reject) => onegini.user.authenticateImplicitly({ profileId, scopes: ['read'] }, resolve, reject));
  await assert.rejects(onegini.user.authenticateImplicitly({ profileId: 'nobody' }), (e: unknown) => (e as OneginiPluginError).numericCode === 8007);
  await assert.rejects(
    onegini.user.authenticateImplicitly({} as { profileId: string }),
    (e: unknown) => (e as OneginiPluginError).numericCode === 8009 && /profileId/.test((e as OneginiPluginError).message),
  );
  await onegini.user.deregister({ profileId });
});
