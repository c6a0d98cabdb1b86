/**
 * Identity providers and custom registration through the Node transport on the
 * REAL Go core and a REAL Token Server (issue 17), written as an app uses the
 * official API: getIdentityProviders, registerUser(idpId, scopes) for a custom
 * identity provider answered from ONEWELCOME_CUSTOM_REGISTRATION_NOTIFICATION
 * (initRegistration → submitCustomRegistrationAction(id, null) →
 * finishRegistration with customInfo → submitCustomRegistrationAction(id, code)),
 * then PIN creation and PIN authentication; a wrong code, a cancel and a forged
 * backend answer fail with the official codes; the browser identity provider
 * registers through the login page.
 *
 * The operator's backend is a Node HTTP server on loopback that checks each
 * webhook signature itself (node:crypto HMAC-SHA256 over
 * timestamp "." request id "." body with the key `tokenserver idp create`
 * printed), refuses a repeated request id, and signs its answers over
 * "response." timestamp "." request id "." body.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, Server } from 'node:http';
import { createOneginiSdk, Events, OneginiError, SDKError, Types } from '@openmobileauth/react-native-sdk';
import { NodeTransport, startBridgeHost } from '@openmobileauth/react-native-sdk/node';
import { bridgehostExec } from '../support/bridgehost-exec';
import { loadPlugin } from '../support/cordova-loader';
import { bridgehostBinary, tokenserverBinary } from './env';
import { recording } from './contract-capture';
import { serverUnavailableReason, startTokenServer, TokenServer, webLogin } from './tokenserver';

let server: TokenServer | null = null;
let host: NodeTransport | null = null;
let backend: Server | null = null;
let skipReason: string | null = null;
let key = '';
let forge = false;
const seen = new Set<string>();
const steps: { step: string; data?: string }[] = [];
let rejected = 0;
const PIN = '24680';

const hmac = (k: string, ...parts: string[]): string => 'v1=' + createHmac('sha256', k).update(parts.join('.')).digest('hex');

function startBackend(): Promise<string> {
  backend = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const ts = String(req.headers['x-oma-timestamp'] ?? '');
      const id = String(req.headers['x-oma-request-id'] ?? '');
      const sig = Buffer.from(String(req.headers['x-oma-signature'] ?? ''));
      const want = Buffer.from(hmac(key, ts, id, body));
      const fresh = Math.abs(Date.now() / 1000 - Number(ts)) <= 300;
      if (!id || seen.has(id) || !fresh || sig.length !== want.length || !timingSafeEqual(sig, want)) {
        rejected++;
        res.writeHead(401).end();
        return;
      }
      seen.add(id);
      const r = JSON.parse(body) as { step: string; data?: string };
      steps.push({ step: r.step, data: r.data });
      let answer: object = { result: 'ok', status: 2000, data: 'Enter the code from our letter' };
      if (r.step === 'complete') {
        answer = r.data === 'K7-4411' ? { result: 'ok', user_id: 'customer-4411', status: 2000, data: 'Welcome' } : { result: 'refused', status: 4000, data: 'Unknown code' };
      }
      const out = JSON.stringify(answer);
      const rts = String(Math.floor(Date.now() / 1000));
      res.writeHead(200, {
        'content-type': 'application/json',
        'x-oma-timestamp': rts,
        'x-oma-signature': hmac(forge ? 'not-the-key' : key, 'response', rts, id, out),
      });
      res.end(out);
    });
  });
  return new Promise((resolve) => backend!.listen(0, '127.0.0.1', () => {
    const a = backend!.address();
    resolve(`http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}/webhook`);
  }));
}

function tokenserver(args: string[]): Promise<string> {
  return tokenserverBinary().then((bin) => new Promise((resolve, reject) =>
    execFile(bin, args, (err, stdout, stderr) => (err ? reject(new Error(stderr || err.message)) : resolve(stdout))),
  ));
}

before(async () => {
  skipReason = await serverUnavailableReason();
  if (skipReason) return;
  server = await startTokenServer();
  const url = await startBackend();
  const out = await tokenserver(['idp', 'create', '--store', server.storeUrl, '--app', 'oma-app', '--id', 'letter',
    '--name', 'Code from our letter', '--type', 'custom', '--url', url]);
  key = /webhook key .*: (\S+)/.exec(out)![1]!;
  host = await startBridgeHost({ binary: await bridgehostBinary(), logLevel: 'error' });
});

after(async () => {
  if (host) assert.equal(await host.close(), 0);
  if (server) await server.stop();
  backend?.close();
});

test('identity providers and custom registration (real core, real server)', async (t) => {
  if (skipReason) {
    t.skip(`SKIPPED (no Token Server): ${skipReason}`);
    return;
  }
  const sdk = createOneginiSdk(recording(host!));
  assert.equal(await sdk.startClient({ serverUrl: server!.baseUrl, appId: 'oma-app', redirectUri: 'oma-app://registration/callback' }), null);

  const idps: Types.IdentityProvider[] = await sdk.getIdentityProviders();
  assert.deepEqual(idps, [{ id: 'browser', name: 'Browser' }, { id: 'letter', name: 'Code from our letter' }]);

  // The app's handlers, as an app written for the official SDK has them.
  let code = 'K7-4411';
  const infos: (Types.CustomInfo | undefined)[] = [];
  const custom = sdk.addEventListener(Events.SdkNotification.CustomRegistration, (e: Events.CustomRegistrationEvent) => {
    infos.push(e.customInfo);
    if (e.action === Events.CustomRegistration.InitRegistration) {
      void sdk.submitCustomRegistrationAction(e.identityProviderId, null);
    } else if (e.action === Events.CustomRegistration.FinishRegistration) {
      if (code === '') void sdk.cancelCustomRegistration('closed by the user');
      else void sdk.submitCustomRegistrationAction(e.identityProviderId, code);
    }
  });
  const pin = sdk.addEventListener(Events.SdkNotification.PinCreate, (e) => {
    if (e.action === Events.PinCreate.Open) void sdk.submitPin(Events.PinFlow.Create, PIN);
  });
  const auth = sdk.addEventListener(Events.SdkNotification.PinAuth, (e) => {
    if (e.action === Events.PinAuthentication.Open) void sdk.submitPin(Events.PinFlow.Authentication, PIN);
  });

  const data: Types.AuthData = await sdk.registerUser('letter', ['openid']);
  assert.ok(data.userProfile.id);
  assert.deepEqual(data.customInfo, { status: 2000, data: 'Welcome' });
  assert.deepEqual(infos, [undefined, { status: 2000, data: 'Enter the code from our letter' }]);
  assert.deepEqual(steps, [{ step: 'init', data: undefined }, { step: 'complete', data: 'K7-4411' }]);
  assert.equal((await sdk.authenticateUser(data.userProfile.id, null)).userProfile.id, data.userProfile.id);

  const codeOf = async (p: Promise<unknown>): Promise<string> => {
    try {
      await p;
    } catch (e) {
      assert.ok(e instanceof OneginiError);
      return e.code;
    }
    return 'resolved';
  };
  code = 'WRONG';
  assert.equal(await codeOf(sdk.registerUser('letter', ['openid'])), SDKError.CustomRegistrationFailure);
  code = '';
  assert.equal(await codeOf(sdk.registerUser('letter', ['openid'])), SDKError.ActionCanceled);
  code = 'K7-4411';
  forge = true; // the backend's answers signed with another key: never trusted
  assert.equal(await codeOf(sdk.registerUser('letter', ['openid'])), SDKError.CustomRegistrationFailure);
  forge = false;
  assert.equal(await codeOf(sdk.registerUser('nope', ['openid'])), SDKError.InvalidIdentityProvider);
  assert.equal(rejected, 0, 'every webhook request the server sent was signed correctly');

  // The browser identity provider by id: the login page.
  const reg = sdk.addEventListener(Events.SdkNotification.Registration, (e) => {
    void webLogin(e.url, server!.demoUser.username, server!.demoUser.password).then((uri) => sdk.handleRegistrationCallback(uri));
  });
  const browser = await sdk.registerUser('browser', ['openid']);
  assert.ok(browser.userProfile.id && browser.userProfile.id !== data.userProfile.id);
  assert.equal(browser.customInfo, undefined);
  for (const s of [custom, pin, auth, reg]) s.remove();
});

test('Cordova: onegini.user.getIdentityProviders on the real core and server, both call forms', async (t) => {
  if (skipReason) {
    t.skip(`SKIPPED (no Token Server): ${skipReason}`);
    return;
  }
  const bridge = bridgehostExec(await bridgehostBinary());
  try {
    const onegini = loadPlugin(bridge.exec).onegini;
    await onegini.start({ serverUrl: server!.baseUrl, appId: 'oma-app', redirectUri: 'oma-app://registration/callback' });
    const want = [{ id: 'browser', name: 'Browser' }, { id: 'letter', name: 'Code from our letter' }];
    assert.deepEqual(await onegini.user.getIdentityProviders(), want);
    const viaCallback = await new Promise((resolve, reject) => onegini.user.getIdentityProviders(resolve, reject));
    assert.deepEqual(viaCallback, want);
  } finally {
    assert.equal(await bridge.close(), 0);
  }
});
