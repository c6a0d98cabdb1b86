// Helpers of the browser test and the quick-start test: start the demo
// command, run the terminal phone, launch Debian's Chromium through
// playwright-core.
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const BIN = process.env.OMA_E2E_BIN || path.join(ROOT, 'build', 'e2e');
export const ARTIFACTS = process.env.OMA_ARTIFACTS || path.join(ROOT, 'artifacts');
export const CHROMIUM = process.env.OMA_CHROMIUM || '/usr/bin/chromium';

export function tempDir(prefix) {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

export function artifact(name) {
  mkdirSync(ARTIFACTS, { recursive: true });
  return path.join(ARTIFACTS, name);
}

/**
 * Starts a long-running command and resolves once a line of its output
 * matches ready; resolves with {proc, match, output(), stop()}.
 */
export function startProcess(cmd, args, { cwd = ROOT, ready, timeoutMs = 120000, env } = {}) {
  return new Promise((resolve, reject) => {
    const proc = spawn(cmd, args, { cwd, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    proc.stdin.on('error', () => {});
    let out = '';
    let settled = false;
    const timer = setTimeout(() => fail(new Error(`${cmd} not ready within ${timeoutMs} ms; output:\n${out}`)), timeoutMs);
    const stop = () => new Promise((res) => {
      if (proc.exitCode !== null || proc.signalCode !== null) return res();
      proc.once('exit', () => res());
      try { process.kill(-proc.pid, 'SIGINT'); } catch { res(); }
      setTimeout(() => { try { process.kill(-proc.pid, 'SIGKILL'); } catch { /* gone */ } }, 10000).unref();
    });
    function fail(err) {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      stop().then(() => reject(err));
    }
    const onData = (d) => {
      out += d.toString();
      if (settled) return;
      const m = out.match(ready);
      if (m) {
        settled = true;
        clearTimeout(timer);
        resolve({ proc, match: m, output: () => out, stop });
      }
    };
    proc.stdout.on('data', onData);
    proc.stderr.on('data', onData);
    proc.on('error', fail);
    proc.on('exit', (code, sig) => fail(new Error(`${cmd} exited (${code ?? sig}) before it was ready; output:\n${out}`)));
  });
}

/**
 * Runs a command to its end; resolves with {code, stdout, stderr, output}.
 * input is written to its standard input, which is then closed; with
 * input === null standard input stays open and onSpawn(proc) may write to it.
 */
export function runCommand(cmd, args, { cwd = ROOT, input = '', timeoutMs = 120000, env, onSpawn } = {}) {
  return new Promise((resolve, reject) => {
    const proc = spawn(cmd, args, { cwd, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    // A command that exits without reading its input makes writes fail with EPIPE: not an error here.
    proc.stdin.on('error', () => {});
    if (onSpawn) onSpawn(proc);
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => { proc.kill('SIGKILL'); reject(new Error(`${cmd} ${args.join(' ')} timed out; output:\n${stdout}${stderr}`)); }, timeoutMs);
    proc.stdout.on('data', (d) => { stdout += d; });
    proc.stderr.on('data', (d) => { stderr += d; });
    proc.on('error', (e) => { clearTimeout(timer); reject(e); });
    proc.on('close', (code) => { clearTimeout(timer); resolve({ code, stdout, stderr, output: stdout + stderr }); });
    if (input !== null) proc.stdin.end(input);
  });
}

/** Launches Debian's Chromium headless with a fresh user-data-dir. */
export async function launchChromium() {
  const { chromium } = await import('playwright-core');
  const userDataDir = tempDir('oma-chromium-');
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1000, height: 900 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
