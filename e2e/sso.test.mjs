// Browser test of app-to-web single sign-on (issue 17): the real demo command
// (Token Server on SQLite), the operator allow-listing a target with the real
// tokenserver CLI, the real terminal phone asking for a sign-on address
// (`phone sso URL`, the SDK core's startSingleSignOn), and Debian's Chromium
// (playwright-core) opening it: the browser lands on the target signed in as
// the phone's user — the target here is the Token Server's own /oauth/session
// page, which names the browser's signed-in user — and the same address
// opened again is refused with a page, not a redirect.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { BIN, artifact, launchChromium, runCommand, startProcess, tempDir } from './lib.mjs';

const PIN = '24680';
let work, demo, base, browser, phoneData;

function phone(...args) {
  return runCommand(path.join(BIN, 'phone'), [...args, '--data', phoneData, '--server', base]);
}

async function expectOk(res, what) {
  assert.equal(res.code, 0, `${what} failed:\n${res.output}`);
  return res;
}

before(async () => {
  work = tempDir('oma-e2e-sso-');
  phoneData = path.join(work, 'phone');
  demo = await startProcess(path.join(BIN, 'demo'), ['--listen', '127.0.0.1:0', '--data', path.join(work, 'server')],
    { ready: /Demo page:\s+(http:\/\/\S+)/ });
  base = new URL(demo.match[1]).origin;
  await expectOk(await phone('register', '--user', 'demo', '--password', 'demo1234', '--pin', PIN), 'phone register');
  browser = await launchChromium();
});

after(async () => {
  if (browser) await browser.close();
  if (demo) await demo.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

test('a sign-on address from the phone signs Chromium in and lands on the allow-listed target, once', async () => {
  const target = `${base}/oauth/session`;
  // Not allow-listed yet: the phone is refused with the operator's command as a hint.
  const refused = await phone('sso', target, '--pin', PIN);
  assert.equal(refused.code, 1, refused.output);
  assert.match(refused.output, /tokenserver app update --id oma-app --sso-target/);

  await expectOk(await runCommand(path.join(BIN, 'tokenserver'),
    ['app', 'update', '--id', 'oma-app', '--sso-target', target, '--store', `sqlite:${path.join(work, 'server', 'oma.db')}`]), 'tokenserver app update');
  const res = await expectOk(await phone('sso', target, '--pin', PIN), 'phone sso');
  const address = res.stdout.split('\n').find((l) => l.startsWith(`${base}/oauth/sso?token=`));
  assert.ok(address, `no sign-on address in:\n${res.stdout}`);

  const page = await browser.context.newPage();
  const before = await page.goto(`${base}/oauth/session`);
  assert.equal(before.status(), 401, 'the fresh browser is not signed in');
  const landed = await page.goto(address.trim());
  assert.equal(page.url(), target, 'Chromium landed on exactly the allow-listed target');
  assert.equal(landed.status(), 200);
  const session = JSON.parse(await page.locator('body').innerText());
  assert.equal(session.user_id, 'demo', 'signed in as the phone\'s user');
  const cookies = await browser.context.cookies(target);
  const c = cookies.find((k) => k.name === 'oma_session');
  assert.ok(c && c.httpOnly && c.sameSite === 'Lax', `session cookie: ${JSON.stringify(c)}`);
  await page.screenshot({ path: artifact('sso-landed.png') });

  // The address is spent: opened again it shows a page and redirects nowhere.
  const again = await page.goto(address.trim());
  assert.equal(again.status(), 400);
  assert.equal(new URL(page.url()).pathname, '/oauth/sso');
  assert.match(await page.locator('[role=alert]').innerText(), /not valid or was already used/);
  await page.screenshot({ path: artifact('sso-reused.png') });
  await page.close();
});
