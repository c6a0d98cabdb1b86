/**
 * App-to-web single sign-on (issue 17) through the Node transport on the REAL
 * Go core (cmd/bridgehost) and a REAL Token Server on 127.0.0.1, as an app
 * written for the official SDK calls it (OneginiSdk.startSingleSignOn →
 * Types.SingleSignOnData), and the Cordova plugin's
 * onegini.user.getAppToWebSingleSignOn ({redirectUri, token}; string, object
 * and callback forms) on the shipped bundle. The operator allow-lists the
 * targets with `tokenserver app update --sso-target`; one of them is the
 * server's own /oauth/session, so following the URL like a browser lands on a
 * page that says who is signed in.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createOneginiSdk, Events, OneginiError, SDKError, Types } from '@openmobileauth/react-native-sdk';
import type { OneginiPluginError } from '@openmobileauth/react-native-sdk';
import { NodeTransport, startBridgeHost } from '@openmobileauth/react-native-sdk/node';
import { BridgeExec, bridgehostExec } from '../support/bridgehost-exec';
import { loadPlugin, Onegini } from '../support/cordova-loader';
import { assertCapturedValid, recording } from './contract-capture';
import { bridgehostBinary } from './env';
import { serverUnavailableReason, startTokenServer, TokenServer, webLogin } from './tokenserver';

let server: TokenServer | null = null;
let host: NodeTransport | null = null;
let bridge: BridgeExec | null = null;
let skipReason: string | null = null;
let landing = ''; // the server's /oauth/session: an allow-listed target that shows the signed-in user
const elsewhere = 'https://bank.example/personal/dashboard';

before(async () => {
  skipReason = await serverUnavailableReason();
  if (skipReason) {
    console.log(`\n!!!!! SKIPPING the single sign-on integration tests: ${skipReason} !!!!!\n`);
    return;
  }
  server = await startTokenServer();
  landing = `${server.baseUrl}/oauth/session`;
  await server.admin(['app', 'update', '--id', 'oma-app', '--sso-target', landing, '--sso-target', elsewhere]);
  host = await startBridgeHost({ binary: await bridgehostBinary(), logLevel: 'error' });
  bridge = bridgehostExec(await bridgehostBinary());
});

after(async () => {
  if (host) assert.equal(await host.close(), 0);
  if (bridge) assert.equal(await bridge.close(), 0);
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

/** Opens url as a browser would (no redirect followed): status, Location and the session cookie set. */
async function openInBrowser(url: string): Promise<{ status: number; location: string | null; cookie: string | null }> {
  const res = await fetch(url, { redirect: 'manual' });
  await res.arrayBuffer();
  const set = res.headers.getSetCookie().find((c) => c.startsWith('oma_session='));
  return { status: res.status, location: res.headers.get('location'), cookie: set ? set.split(';')[0]! : null };
}

/** Who the Token Server says the browser holding cookie is signed in as. */
async function signedInAs(target: string, cookie: string): Promise<string> {
  const res = await fetch(target, { headers: { cookie } });
  const body = (await res.json()) as { user_id?: string };
  return res.status === 200 ? body.user_id ?? '' : '';
}

test('startSingleSignOn: a one-time URL that signs the browser in and lands on the allow-listed target', async (t) => {
  if (skipReason) {
    t.skip(`SKIPPED (no Token Server): ${skipReason}`);
    return;
  }
  const sdk = createOneginiSdk(recording(host!));
  await sdk.startClient({ serverUrl: server!.baseUrl });
  assert.equal((await rejection(sdk.startSingleSignOn(landing))).code, SDKError.UserNotAuthenticated);

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

  const sso: Types.SingleSignOnData = await sdk.startSingleSignOn(landing);
  assert.ok(sso.url.startsWith(`${server!.baseUrl}/oauth/sso?token=`), sso.url);
  assert.equal(new URL(sso.url).searchParams.get('token'), sso.token);
  const opened = await openInBrowser(sso.url);
  assert.equal(opened.status, 302);
  assert.equal(opened.location, landing, 'redirected to exactly the allow-listed target');
  assert.ok(opened.cookie, 'the browser got the session cookie');
  assert.equal(await signedInAs(opened.location!, opened.cookie!), server!.demoUser.username);
  // Once only.
  const again = await openInBrowser(sso.url);
  assert.deepEqual([again.status, again.location, again.cookie], [400, null, null]);

  // The other listed target works; anything else is SingleSignOnDisabled; bad input 8009.
  const other = await sdk.startSingleSignOn(elsewhere);
  assert.equal((await openInBrowser(other.url)).location, elsewhere);
  for (const near of [`${elsewhere}/`, `${elsewhere}?x=1`, 'https://evil.example/']) {
    assert.equal((await rejection(sdk.startSingleSignOn(near))).code, SDKError.SingleSignOnDisabled, near);
  }
  for (const bad of ['', 'dashboard', 'javascript:alert(1)', 42 as unknown as string]) {
    assert.equal((await rejection(sdk.startSingleSignOn(bad))).code, SDKError.ParametersNotCorrect, String(bad));
  }

  // A URL issued before the user was deregistered is dead.
  const stale = await sdk.startSingleSignOn(landing);
  await sdk.deregisterUser(profileId);
  assert.deepEqual((await openInBrowser(stale.url)).status, 403);
  assert.equal((await rejection(sdk.startSingleSignOn(landing))).code, SDKError.UserNotAuthenticated);
  assertCapturedValid();
});

test('Cordova: onegini.user.getAppToWebSingleSignOn resolves {redirectUri, token}', async (t) => {
  if (skipReason) {
    t.skip(`SKIPPED (no Token Server): ${skipReason}`);
    return;
  }
  const s = server!;
  const onegini: Onegini = loadPlugin(bridge!.exec).onegini;
  await onegini.start({ serverUrl: s.baseUrl });
  await assert.rejects(onegini.user.getAppToWebSingleSignOn(landing), (e: unknown) => (e as OneginiError).numericCode === 9010);
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

  // The documented example's string form.
  const r = await onegini.user.getAppToWebSingleSignOn(landing);
  assert.deepEqual(Object.keys(r).sort(), ['redirectUri', 'token']);
  assert.equal(new URL(r.redirectUri).searchParams.get('token'), r.token);
  const opened = await openInBrowser(r.redirectUri);
  assert.equal(opened.location, landing);
  assert.equal(await signedInAs(landing, opened.cookie!), s.demoUser.username);
  // The documented {targetUri} form, with callbacks.
  const viaCallback = await new Promise<{ redirectUri: string; token: string }>((resolve, reject) =>
    onegini.user.getAppToWebSingleSignOn({ targetUri: elsewhere }, resolve, reject),
  );
  assert.equal((await openInBrowser(viaCallback.redirectUri)).location, elsewhere);
  const refused = await new Promise<OneginiPluginError>((resolve, reject) =>
    onegini.user.getAppToWebSingleSignOn({ targetUri: 'https://evil.example/' }, () => reject(new Error('resolved')), resolve),
  );
  assert.equal(refused.numericCode, 10023);
  // The Cordova flavour's code is the plugin's number (the RN API's is SDKError's '10023').
  assert.strictEqual(refused.code, Number(SDKError.SingleSignOnDisabled));
  await assert.rejects(
    onegini.user.getAppToWebSingleSignOn({} as { targetUri: string }),
    (e: unknown) => (e as OneginiError).numericCode === 8009,
  );
  await onegini.user.logout();
  await assert.rejects(onegini.user.getAppToWebSingleSignOn({ targetUri: landing }), (e: unknown) => (e as OneginiError).numericCode === 9010);
  await onegini.user.deregister({ profileId });
});
