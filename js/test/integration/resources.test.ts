/**
 * Resources, implicit and device authentication (issue 17) through the Node
 * transport on the REAL Go core (cmd/bridgehost) and a REAL Token Server on
 * 127.0.0.1, written as an app written for the official SDK calls them:
 * getResourceBaseUrl() + path, Types.ResourceRequestType and Types.ResourceMethod.
 * Every result the core answers is validated against the generated contract.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createOneginiSdk, Events, OneginiError, SDKError, Types } from '@openmobileauth/react-native-sdk';
import { NodeTransport, startBridgeHost } from '@openmobileauth/react-native-sdk/node';
import { assertCapturedValid, recording } from './contract-capture';
import { bridgehostBinary } from './env';
import { serverUnavailableReason, startTokenServer, TokenServer, webLogin } from './tokenserver';

let server: TokenServer | null = null;
let host: NodeTransport | null = null;
let skipReason: string | null = null;

before(async () => {
  skipReason = await serverUnavailableReason();
  if (skipReason) {
    console.log(`\n!!!!! SKIPPING the resource integration tests: ${skipReason} !!!!!\n`);
    return;
  }
  server = await startTokenServer();
  host = await startBridgeHost({ binary: await bridgehostBinary(), logLevel: 'error' });
});

after(async () => {
  if (host) assert.equal(await host.close(), 0);
  if (server) await server.stop();
});

async function rejection(p: Promise<unknown>): Promise<OneginiError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof OneginiError, `expected an OneginiError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected a rejection');
}

test('resources: Anonymous, ImplicitUser and User requests under the resource base URL; nothing sent elsewhere', async (t) => {
  if (skipReason) {
    t.skip(`SKIPPED (no Token Server): ${skipReason}`);
    return;
  }
  const sdk = createOneginiSdk(recording(host!));
  await sdk.startClient({ serverUrl: server!.baseUrl });
  const base = await sdk.getResourceBaseUrl();
  assert.equal(base, `${server!.baseUrl.replace(/\/$/, '')}/resources`);
  const GET = Types.ResourceMethod.GET;

  // Anonymous: 10012 until the device authenticates, then the app's details.
  const noDevice = await rejection(sdk.resourceRequest(Types.ResourceRequestType.Anonymous, { method: GET, path: `${base}/devices` }));
  assert.equal(noDevice.code, SDKError.DeviceNotAuthenticated);
  await sdk.authenticateDeviceForResource(['read']);
  let res = await sdk.resourceRequest(Types.ResourceRequestType.Anonymous, { method: GET, path: `${base}/devices` });
  assert.equal(res.ok, true);
  assert.equal(res.status, 200);
  assert.equal(typeof JSON.parse(res.body).application_identifier, 'string');
  res = await sdk.resourceRequest(Types.ResourceRequestType.Anonymous, { method: GET, path: `${base}/profile` });
  assert.deepEqual([res.ok, res.status], [false, 403], 'a device token does not reach the user resource');

  // Register a user (browser login + PIN), then log out: implicit needs no PIN.
  const regSub = sdk.addEventListener(Events.SdkNotification.Registration, (e) => {
    void webLogin(e.url, server!.demoUser.username, server!.demoUser.password).then((r) => sdk.handleRegistrationCallback(r));
  });
  const pinSub = sdk.addEventListener(Events.SdkNotification.PinCreate, (e) => {
    if (e.action === Events.PinCreate.Open) void sdk.submitPin(Events.PinFlow.Create, '9753186420'.slice(0, e.pinLength));
  });
  let profileId: string;
  try {
    profileId = (await sdk.registerUser(null, ['openid'])).userProfile.id;
  } finally {
    regSub.remove();
    pinSub.remove();
  }
  res = await sdk.resourceRequest(Types.ResourceRequestType.User, { method: GET, path: `${base}/profile` });
  assert.equal(res.ok, true);
  assert.equal(JSON.parse(res.body).profile_id, profileId);
  await sdk.logout();

  assert.equal((await rejection(sdk.getImplicitlyAuthenticatedUserProfile())).code, SDKError.UserNotAuthenticatedImplicitly);
  assert.equal((await rejection(sdk.authenticateUserImplicitly('no-such-profile'))).code, SDKError.ProfileDoesNotExist);
  await sdk.authenticateUserImplicitly(profileId, ['read']);
  assert.deepEqual(await sdk.getImplicitlyAuthenticatedUserProfile(), { id: profileId });
  res = await sdk.resourceRequest(Types.ResourceRequestType.Implicit, { method: GET, path: `${base}/user-id` });
  assert.equal(res.ok, true);
  assert.equal(typeof JSON.parse(res.body).decorated_user_id, 'string');
  res = await sdk.resourceRequest(Types.ResourceRequestType.Implicit, { method: GET, path: `${base}/profile` });
  assert.deepEqual([res.ok, res.status], [false, 403], 'an implicit token does not reach the user resource');
  // Full user scope is never issued implicitly.
  assert.equal((await rejection(sdk.authenticateUserImplicitly(profileId, ['openid']))).numericCode, OneginiError.Codes.GENERAL_ERROR);

  // No token leaves for a URL outside the resource base.
  for (const url of ['https://evil.example/resources/user-id', `${base}X/user-id`, `${base}/../device/v1/userinfo`]) {
    for (const type of [Types.ResourceRequestType.Implicit, Types.ResourceRequestType.Anonymous]) {
      const refused = await rejection(sdk.resourceRequest(type, { method: GET, path: url }));
      assert.equal(refused.code, SDKError.ResourceCallError, url);
    }
  }
  await sdk.deregisterUser(profileId);
  assertCapturedValid();
});
