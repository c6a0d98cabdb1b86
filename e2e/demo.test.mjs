// Browser test of the demo: the real demo command (Token Server on SQLite +
// demo page), Debian's Chromium driven by playwright-core, and the real
// terminal phone answering in non-interactive mode.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { BIN, artifact, launchChromium, runCommand, startProcess, tempDir } from './lib.mjs';

const PIN = '24680';
const OTP_EXPIRY = '12s'; // short, so the expiry path does not wait 5 minutes
let work, demo, base, browser, page, phoneData;

function phone(...args) {
  return runCommand(path.join(BIN, 'phone'), [...args, '--data', phoneData, '--server', base]);
}

async function expectOk(res, what) {
  assert.equal(res.code, 0, `${what} failed:\n${res.output}`);
  return res;
}

/** Clicks the button, waits for the OTP to be shown, returns it. */
async function startRequest(buttonName) {
  const before = await page.locator('#otp').inputValue();
  await page.getByRole('button', { name: buttonName }).click();
  const otp = page.locator('#otp');
  await otp.waitFor({ state: 'visible' });
  // A new request: a new OTP (not the previous one still in the field).
  await page.waitForFunction((old) => {
    const v = document.getElementById('otp').value;
    return v.length > 0 && v !== old && document.getElementById('status').dataset.state === 'pending';
  }, before);
  const value = await otp.inputValue();
  assert.notEqual(value, before);
  assert.match(value, /^[A-Z2-7]{32}$/, 'the page shows a 32-character base32 OTP');
  const status = page.locator('#status');
  assert.equal(await status.getAttribute('data-state'), 'pending');
  return value;
}

async function expectStatus(state, text) {
  const status = page.locator('#status');
  await page.waitForFunction((s) => document.getElementById('status').dataset.state === s, state, { timeout: 30000 });
  assert.equal(await page.locator('#status-text').textContent(), text);
  return status;
}

before(async () => {
  work = tempDir('oma-e2e-');
  phoneData = path.join(work, 'phone');
  demo = await startProcess(path.join(BIN, 'demo'),
    ['--listen', '127.0.0.1:0', '--data', path.join(work, 'server'), '--otp-expiry', OTP_EXPIRY],
    { ready: /Demo page:\s+(http:\/\/\S+)/ });
  const pageURL = demo.match[1];
  base = new URL(pageURL).origin;
  // Register and enroll the demo user on the terminal phone, non-interactively.
  const reg = await expectOk(await phone('register', '--user', 'demo', '--password', 'demo1234', '--pin', PIN), 'phone register');
  assert.match(reg.stdout, /Registered: demo \(profile \S+\)/);
  await expectOk(await phone('enroll', '--pin', PIN), 'phone enroll');
  const st = await expectOk(await phone('status', '--json'), 'phone status');
  const status = JSON.parse(st.stdout);
  assert.equal(status.profiles.length, 1);
  assert.equal(status.profiles[0].enrolled, true);
  browser = await launchChromium();
  page = await browser.context.newPage();
  await page.goto(pageURL);
});

after(async () => {
  if (browser) await browser.close();
  if (demo) await demo.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

test('the page offers a login with the phone', async () => {
  assert.equal(await page.title(), 'OMA Demo Bank — log in with your phone');
  await page.getByRole('heading', { name: 'Log in with your phone' }).waitFor();
  assert.equal(await page.locator('#pay-card').isVisible(), false, 'no payment before a login');
});

test('QR login approved on the phone: the page turns to "Approved for demo"', async () => {
  const otp = await startRequest('Log in with your phone');
  // The QR code is a PNG made by the server-side QR library: save it and let
  // the phone read the OTP out of the image itself.
  const src = await page.locator('#qr').getAttribute('src');
  assert.match(src, /^data:image\/png;base64,/);
  const qrFile = artifact('login-qr.png');
  writeFileSync(qrFile, Buffer.from(src.split(',')[1], 'base64'));
  await page.screenshot({ path: artifact('pending.png'), fullPage: true });
  const countdown = await page.locator('#countdown').textContent();
  assert.match(countdown, /^0:(0\d|1[0-2])$/, `countdown shows the short expiry, got ${countdown}`);
  const res = await expectOk(await phone('scan', '--qr', qrFile, '--accept'), 'phone scan --qr --accept');
  assert.match(res.stdout, /Log in to OMA Demo Bank/, 'the phone shows the login message');
  assert.match(res.stdout, /Accepted\./);
  assert.ok(!res.output.includes(otp), 'the phone does not print the OTP it read');
  await expectStatus('accepted', 'Approved for demo');
  await page.locator('#who-name').filter({ hasText: 'demo' }).waitFor();
  await page.screenshot({ path: artifact('approved.png'), fullPage: true });
});

test('payment confirmation bound to the logged-in user', async () => {
  await page.getByRole('button', { name: 'Close' }).click();
  await page.getByRole('heading', { name: 'Confirm a payment' }).waitFor();
  const otp = await startRequest('Confirm payment');
  assert.equal(await page.locator('#request-message').textContent(), 'Pay 25.00 EUR to Example Shop');
  const res = await expectOk(await phone('scan', otp, '--accept'), 'phone scan --accept (payment)');
  assert.match(res.stdout, /Pay 25\.00 EUR to Example Shop/, 'the phone shows what it confirms');
  await expectStatus('accepted', 'Payment confirmed by demo');
  await page.screenshot({ path: artifact('payment-confirmed.png'), fullPage: true });
});

test('payment by push: the listening phone confirms it; with the push lost, "phone pending" does', async () => {
  await page.getByRole('button', { name: 'Close' }).click();
  await page.getByRole('heading', { name: 'Confirm a payment' }).waitFor();
  // The phone listens: it plays the UnifiedPush distributor (a Web Push
  // subscription whose endpoint is its own loopback receiver).
  let ready;
  const listening = new Promise((res) => { ready = res; });
  const running = runCommand(path.join(BIN, 'phone'), ['listen', '--accept', '--count', '1', '--timeout', '60s', '--data', phoneData], {
    onSpawn: (p) => {
      let out = '';
      p.stdout.on('data', (d) => { out += d; if (out.includes('Listening for pushes')) ready(); });
    },
  });
  await Promise.race([listening, running.then((r) => { throw new Error(`phone listen ended early:\n${r.output}`); })]);
  await page.getByRole('button', { name: 'Confirm by push' }).click();
  await page.locator('#push-note').waitFor({ state: 'visible' });
  assert.equal(await page.locator('#request-body').isVisible(), false, 'a push request shows no QR code');
  const res = await expectOk(await running, 'phone listen --accept');
  assert.match(res.stdout, /Push received\./);
  assert.match(res.stdout, /Pay 25\.00 EUR to Example Shop/, 'the phone shows what it confirms');
  assert.match(res.stdout, /Accepted\./);
  await expectStatus('accepted', 'Payment confirmed by demo');
  await page.screenshot({ path: artifact('push-confirmed.png'), fullPage: true });

  // Nobody listens now: the push is lost, the phone pulls. (The server backs
  // off repeated push requests for one user: 2 s after the previous one.)
  await page.getByRole('button', { name: 'Close' }).click();
  await page.waitForTimeout(2500);
  await page.getByRole('button', { name: 'Confirm by push' }).click();
  await page.locator('#push-note').waitFor({ state: 'visible' });
  await page.waitForFunction(() => document.getElementById('status').dataset.state === 'pending');
  const pend = await expectOk(await phone('pending', '--accept'), 'phone pending --accept');
  assert.match(pend.stdout, /1 pending request\(s\)[.:]/);
  assert.match(pend.stdout, /Pay 25\.00 EUR to Example Shop/);
  await expectStatus('accepted', 'Payment confirmed by demo');
});

test('QR login opened on the phone, then denied: the page shows both, live', async () => {
  await page.getByRole('button', { name: 'Log out' }).click();
  await page.getByRole('button', { name: 'Log in with your phone' }).waitFor();
  const otp = await startRequest('Log in with your phone');
  // Interactive: the phone shows the request and waits for y/n; meanwhile the
  // page shows that the request was opened on the phone.
  let phoneProc;
  const running = runCommand(path.join(BIN, 'phone'), ['scan', otp, '--data', phoneData], { input: null, onSpawn: (p) => { phoneProc = p; } });
  await expectStatus('claimed', 'Opened on the phone — waiting for the answer…');
  await page.screenshot({ path: artifact('claimed.png'), fullPage: true });
  phoneProc.stdin.end('n\n');
  const res = await expectOk(await running, 'phone scan, answered n');
  assert.match(res.stdout, /Log in to OMA Demo Bank/);
  assert.match(res.stdout, /Accept\? \[y\/n\]/);
  assert.match(res.stdout, /Denied\./);
  await expectStatus('denied', 'Denied');
  assert.equal(await page.locator('#who').isVisible(), false, 'a denied login logs nobody in');
  // The same OTP cannot be answered again.
  const again = await phone('scan', otp, '--accept');
  assert.notEqual(again.code, 0);
  assert.match(again.output, /error (9029|10013) /, `a second answer is refused with its SDK code:\n${again.output}`);
  await page.screenshot({ path: artifact('denied.png'), fullPage: true });
});

test('QR login left unanswered: the countdown runs out and the page turns to "Expired"', async () => {
  await page.getByRole('button', { name: 'Close' }).click();
  const otp = await startRequest('Log in with your phone');
  await expectStatus('expired', 'Expired — ask for a new code');
  assert.equal(await page.locator('#countdown').textContent(), '0:00');
  await page.screenshot({ path: artifact('expired.png'), fullPage: true });
  const late = await phone('scan', otp, '--accept');
  assert.notEqual(late.code, 0);
  assert.match(late.output, /error 10013 REQUEST_NOT_FOUND: the request has expired: ask the site for a new code/,
    `an expired OTP is refused with 10013 and says so:\n${late.output}`);
  // The expired panel offers a new code; the phone answers that one.
  const fresh = await startRequest('New code');
  assert.notEqual(fresh, otp);
  await expectOk(await phone('scan', fresh, '--accept'), 'phone scan of the new code');
  await expectStatus('accepted', 'Approved for demo');
  assert.equal(await page.locator('#new-code').isVisible(), false, 'no "New code" once answered');
});
