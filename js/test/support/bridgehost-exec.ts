/**
 * A `cordova.exec` that does what the native Cordova plugin does, over the real
 * Go core in a bridgehost child process: action "invoke" forwards the request
 * envelope and answers ok(JSON text of result) or fail(JSON text of the core's
 * error object {code, message, data: {domain, ...}}); action "listen" keeps its
 * callback and calls it with the JSON text of each event's params. (The real
 * plugin gets each answer from the call's own reply object; over the bridgehost
 * pipe the answers are matched by id here, in the test double only.)
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Exec } from './cordova-loader';

export interface BridgeExec {
  exec: Exec;
  /**
   * Scripts the core's pure-Go biometric (bridgehost's control request
   * bridgehost.biometric): outcomes for the next prompts (success, fail,
   * cancel, lockout, changed), availability, a changed enrollment. Resolves
   * the prompt titles shown so far.
   */
  biometric(params: { script?: string[]; available?: boolean; changeEnrollment?: boolean }): Promise<string[]>;
  close(): Promise<number | null>;
}

export function bridgehostExec(binary: string): BridgeExec {
  const dataDir = mkdtempSync(join(tmpdir(), 'oma-cordova-data-'));
  const child = spawn(binary, ['-data', dataDir, '-log-level', 'error'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const pending = new Map<unknown, { ok: (r?: unknown) => void; fail: (e?: unknown) => void }>();
  let listener: ((r?: unknown) => void) | null = null;
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  createInterface({ input: child.stdout }).on('line', (line) => {
    const msg = JSON.parse(line) as {
      id?: unknown;
      method?: string;
      params?: unknown;
      result?: unknown;
      error?: { code: number; message: string; data?: Record<string, unknown> };
    };
    if (msg.method === 'event') {
      if (listener) listener(JSON.stringify(msg.params));
      return;
    }
    const p = pending.get(msg.id);
    if (!p) return;
    pending.delete(msg.id);
    if (msg.error) p.fail(JSON.stringify(msg.error));
    else p.ok(JSON.stringify(msg.result ?? null));
  });
  const exec: Exec = (ok, fail, service, action, args = []) => {
    if (service !== 'OneginiSdk') return fail({ code: 8000, message: `unknown service ${service}` });
    if (action === 'listen') {
      listener = ok;
      return;
    }
    if (action !== 'invoke') return fail({ code: 8000, message: `unknown action ${action}` });
    const json = String(args[0]);
    let id: unknown;
    try {
      id = (JSON.parse(json) as { id: unknown }).id;
    } catch {
      return fail(JSON.stringify({ code: 8009, message: 'request is not valid JSON', data: { domain: 'sdk' } }));
    }
    pending.set(id, { ok, fail });
    child.stdin.write(json + '\n');
  };
  let controlId = 0;
  return {
    exec,
    biometric: (params) =>
      new Promise<string[]>((resolve, reject) => {
        const id = `control-${++controlId}`;
        pending.set(id, {
          ok: (r) => resolve((JSON.parse(String(r)) as { prompts: string[] }).prompts),
          fail: (e) => reject(new Error(`bridgehost.biometric failed: ${String(e)}`)),
        });
        child.stdin.write(JSON.stringify({ jsonrpc: '2.0', id, method: 'bridgehost.biometric', params }) + '\n');
      }),
    close: () => {
      child.stdin.end();
      return exited;
    },
  };
}
