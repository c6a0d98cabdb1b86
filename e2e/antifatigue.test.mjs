// Browser test of number matching and "this wasn't me" (DESIGN §13, issue
// 14): the real demo command with --number-matching, Debian's Chromium, and
// the real terminal phone picking the number the page shows.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { BIN, artifact, launchChromium, runCommand, startProcess, tempDir } from './lib.mjs';

const PIN = '24680';
let work, demo, base, browser, page, phoneData;

function phone(...args) {
  return runCommand(path.join(BIN, 'phone'), [...args, '--data', phoneData, '--server', base]);
}

async function expectOk(res, what) {
  assert.equal(res.code, 0, `${what} failed:\n${res.output}`);
  return res;
}

async function startLogin() {
  const before = await page.locator('#otp').inputValue();
  await page.getByRole('button', { name: 'Log in with your phone' }).click();
  await page.waitForFunction((old) => {
    const v = document.getElementById('otp').value;
    return v.length > 0 && v !== old && document.getElementById('status').dataset.state === 'pending';
  }, before);
  return page.locator('#otp').inputValue();
}

async function expectStatus(state, text) {
  await page.waitForFunction((s) => document.getElementById('status').dataset.state === s, state, { timeout: 30000 });
  assert.equal(await page.locator('#status-text').textContent(), text);
}

before(async () => {
  work = tempDir('oma-e2e-af-');
  phoneData = path.join(work, 'phone');
  demo = await startProcess(path.join(BIN, 'demo'),
    ['--listen', '127.0.0.1:0', '--data', path.join(work, 'server'), '--number-matching'],
    { ready: /Demo page:\s+(http:\/\/\S+)/ });
  const pageURL = demo.match[1];
  base = new URL(pageURL).origin;
  await expectOk(await phone('register', '--user', 'demo', '--password', 'demo1234', '--pin', PIN), 'phone register');
  await expectOk(await phone('enroll', '--pin', PIN), 'phone enroll');
  browser = await launchChromium();
  page = await browser.context.newPage();
  await page.goto(pageURL);
});

after(async () => {
  if (browser) await browser.close();
  if (demo) await demo.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

test('number matching: the page shows the number, the terminal phone picks it', async () => {
  const otp = await startLogin();
  const match = page.locator('#match-code');
  await match.waitFor({ state: 'visible' });
  const code = (await match.textContent()).trim();
  assert.match(code, /^[1-9][0-9]$/, `the page shows a 2-digit number, got ${code}`);
  await page.screenshot({ path: artifact('match-pending.png'), fullPage: true });
  // The phone refuses to accept without the pick.
  const guess = await phone('scan', otp, '--accept');
  assert.equal(guess.code, 2, `--accept without --match:\n${guess.output}`);
  // That request was denied; a new one is answered with the page's number.
  const otp2 = await startLogin();
  const code2 = (await page.locator('#match-code').textContent()).trim();
  const res = await expectOk(await phone('scan', otp2, '--accept', '--match', code2), 'phone scan --match');
  assert.match(res.stdout, new RegExp(`Number matching: which number does the web page show\\?.*${code2}`));
  assert.match(res.stdout, /Accepted\./);
  await expectStatus('accepted', 'Approved for demo');
  await page.screenshot({ path: artifact('match-approved.png'), fullPage: true });
});

test('"this wasn\'t me" on the phone is shown on the page', async () => {
  await page.getByRole('button', { name: 'Log out' }).click();
  await page.getByRole('button', { name: 'Log in with your phone' }).waitFor();
  const otp = await startLogin();
  const res = await expectOk(await phone('scan', otp, '--not-me'), 'phone scan --not-me');
  assert.match(res.stdout, /this wasn't me/);
  await expectStatus('denied', 'You reported this request as not yours ("this wasn\'t me"); requests for your account are paused');
  await page.screenshot({ path: artifact('not-me.png'), fullPage: true });
});
