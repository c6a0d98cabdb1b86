// The README quick start, run as written: the commands of the fenced blocks
// between <!-- quickstart:begin --> and <!-- quickstart:end --> in README.md
// (or demo/QUICKSTART.md while the README has none), in a clean copy of the
// work tree. `go run ./cmd/demo` runs in the background (terminal 1); the
// other commands run in order (terminal 2); `<OTP>` is the code the demo page
// shows after "Log in with your phone" (the test asks the page's own backend,
// as the page's script does), and "y" is typed at the phone's question.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync, mkdirSync, copyFileSync, rmSync, lstatSync, symlinkSync, readlinkSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { ROOT, runCommand, startProcess, tempDir } from './lib.mjs';

const BEGIN = '<!-- quickstart:begin -->';
const END = '<!-- quickstart:end -->';

/** Returns {source, commands} of the quick start block. */
export function quickstartCommands() {
  for (const file of ['README.md', path.join('demo', 'QUICKSTART.md')]) {
    const full = path.join(ROOT, file);
    if (!existsSync(full)) continue;
    const text = readFileSync(full, 'utf8');
    const b = text.indexOf(BEGIN);
    const e = text.indexOf(END, b + 1);
    if (b < 0 || e < 0) continue;
    const block = text.slice(b + BEGIN.length, e);
    const commands = [];
    const fence = /```(?:sh|bash|shell|console)?[^\n]*\n([\s\S]*?)```/g;
    for (const m of block.matchAll(fence)) {
      for (let line of m[1].split('\n')) {
        line = line.trim().replace(/^\$\s+/, '');
        if (line && !line.startsWith('#')) commands.push(line);
      }
    }
    if (commands.length > 0) return { source: file, commands };
  }
  throw new Error('no quick start block with commands in README.md or demo/QUICKSTART.md');
}

/** Copies the work tree's tracked and unignored files into a fresh directory. */
function cleanCopy() {
  const dir = tempDir('oma-quickstart-');
  const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], { cwd: ROOT })
    .toString().split('\0').filter(Boolean);
  for (const f of files) {
    const src = path.join(ROOT, f);
    if (!existsSync(src)) continue; // deleted in the work tree
    const dst = path.join(dir, f);
    mkdirSync(path.dirname(dst), { recursive: true });
    const st = lstatSync(src);
    if (st.isSymbolicLink()) symlinkSync(readlinkSync(src), dst);
    else if (st.isFile()) copyFileSync(src, dst);
  }
  return dir;
}

function portFree(port) {
  return new Promise((resolve) => {
    const s = net.createServer().once('error', () => resolve(false))
      .once('listening', () => s.close(() => resolve(true))).listen(port, '127.0.0.1');
  });
}

let dir, demo;
after(async () => {
  if (demo) await demo.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('the README quick start, as written, ends in an approved login', { timeout: 300000 }, async () => {
  const { source, commands } = quickstartCommands();
  const serverCmd = commands.find((c) => /\.\/cmd\/demo\b/.test(c));
  assert.ok(serverCmd, `the quick start in ${source} starts the demo`);
  const phoneCmds = commands.filter((c) => c !== serverCmd);
  assert.ok(phoneCmds.some((c) => c.includes('<OTP>')), 'the quick start answers an OTP');
  assert.ok(await portFree(8080), 'port 8080 (the demo default) must be free for the quick start as written');

  dir = cleanCopy();
  demo = await startProcess('bash', ['-c', `exec ${serverCmd}`], { cwd: dir, ready: /Demo page:\s+(http:\/\/\S+)/, timeoutMs: 240000 });
  const pageURL = demo.match[1];
  assert.equal(pageURL, 'http://127.0.0.1:8080/demo/');
  // The root URL the README tells to open leads to the page.
  const root = await fetch('http://127.0.0.1:8080/');
  assert.equal(root.status, 200);
  assert.match(await root.text(), /Log in with your phone/);

  for (const cmd of phoneCmds) {
    let line = cmd;
    let tx = null;
    let cookie = '';
    if (line.includes('<OTP>')) {
      // What the page does on "Log in with your phone".
      const res = await fetch(new URL('api/login', pageURL), {
        method: 'POST', headers: { 'X-Requested-With': 'oma-demo', 'Content-Type': 'application/json' }, body: '{}',
      });
      assert.equal(res.status, 200, await res.clone().text());
      cookie = (res.headers.get('set-cookie') || '').split(';')[0];
      tx = await res.json();
      line = line.replaceAll('<OTP>', tx.otp);
    }
    const res = await runCommand('bash', ['-c', line], { cwd: dir, input: 'y\n', timeoutMs: 240000 });
    assert.equal(res.code, 0, `quick start command failed: ${cmd}\n${res.output}`);
    if (tx) {
      assert.match(res.stdout, /Log in to OMA Demo Bank/);
      assert.match(res.stdout, /Accepted\./);
      const st = await fetch(new URL(`api/transactions/${tx.transactionId}`, pageURL), { headers: { cookie } });
      const body = await st.json();
      assert.equal(body.status, 'accepted', JSON.stringify(body));
      assert.equal(body.userId, 'demo');
    }
  }
});
