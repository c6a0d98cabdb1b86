/**
 * The real Token Server (cmd/tokenserver) on 127.0.0.1 for the integration
 * tests, and the relying-party (v4) API calls a web site makes.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { repoRoot, tokenserverBinary } from './env';
export { webLogin } from './weblogin';

/** A v4 answer to a started mobile authentication. */
export interface StartedAuth {
  transaction_id: string;
  auth_method: string;
  time_to_live: number;
  otp: string;
  match_code?: string;
}

/** A v4 transaction. */
export interface RpTransaction {
  transaction_id: string;
  is_authenticated: boolean;
  status?: string;
  user_id?: string;
  not_authenticated_reason?: { reason: string; description: string };
  reported_by_user?: boolean;
  authentication_method?: string;
}

export interface TokenServer {
  baseUrl: string;
  demoUser: { username: string; password: string };
  resourcePath: string;
  /** The server's store URL (for `tokenserver <command> --store` while it runs). */
  storeUrl: string;
  startMobileAuth(message: string, userId?: string, type?: string, extra?: Record<string, string>): Promise<StartedAuth>;
  transaction(id: string): Promise<RpTransaction>;
  /** Runs `tokenserver <args>` against this server's store (e.g. otp-type create --push); resolves its stdout. */
  admin(args: string[]): Promise<string>;
  stop(): Promise<void>;
}

/** Why the server tests cannot run here, or null when they can. */
export async function serverUnavailableReason(): Promise<string | null> {
  const dir = join(repoRoot, 'cmd', 'tokenserver');
  if (!existsSync(dir) || !readdirSync(dir).some((f) => f.endsWith('.go'))) {
    return 'cmd/tokenserver has not landed in this repository yet';
  }
  if (process.env.OMA_TOKENSERVER_BUILD_ERROR) return `cmd/tokenserver does not build: ${process.env.OMA_TOKENSERVER_BUILD_ERROR}`;
  try {
    await tokenserverBinary();
  } catch (err) {
    return `cmd/tokenserver does not build: ${String(err)}`;
  }
  return null;
}

/** A free TCP port on 127.0.0.1 (the server is told to listen on it). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Starts `tokenserver serve --demo` on a free loopback port with a fresh SQLite
 * store and the demo seed (API client, OTP type, application, user), and waits
 * for /healthz.
 */
export async function startTokenServer(extraArgs: string[] = []): Promise<TokenServer> {
  const bin = await tokenserverBinary();
  const dir = mkdtempSync(join(tmpdir(), 'oma-tokenserver-'));
  const port = await freePort();
  const child: ChildProcess = spawn(
    bin,
    // --allow-private-egress: the tests' webhook backends and callback
    // receivers listen on 127.0.0.1, which serve refuses by default.
    ['serve', '--demo', '--allow-private-egress', '--listen', `127.0.0.1:${port}`, '--store', `sqlite:${join(dir, 'oma.db')}`, '--log-level', 'warn', ...extraArgs],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const seed: Record<string, string> = {};
  createInterface({ input: child.stdout! }).on('line', (line) => {
    let m = /^OMA Token Server on (\S+)/.exec(line);
    if (m) seed.baseUrl = m[1]!;
    m = /^demo API client: (\S+) \(secret: in (.+)\)$/.exec(line);
    if (m) {
      seed.clientId = m[1]!;
      seed.secretFile = m[2]!;
    }
    m = /^demo OTP type:\s+(\S+)/.exec(line);
    if (m) seed.otpType = m[1]!;
    m = /^demo user:\s+(\S+) \/ (\S+)$/.exec(line);
    if (m) {
      seed.username = m[1]!;
      seed.password = m[2]!;
    }
  });
  const stop = async (): Promise<void> => {
    if (child.exitCode === null) child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 20000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`tokenserver serve exited with ${child.exitCode} before it was ready`);
    if (seed.baseUrl && seed.username && seed.otpType && seed.secretFile) {
      const ok = await fetch(`${seed.baseUrl}/healthz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`tokenserver serve was not ready within 20 s (seen: ${Object.keys(seed).join(', ')})`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const baseUrl = seed.baseUrl!.replace(/\/$/, '');
  const secret = readFileSync(seed.secretFile!, 'utf8').trim();
  const auth = 'Basic ' + Buffer.from(`${seed.clientId}:${secret}`).toString('base64');

  async function rp<T>(method: string, path: string, body?: URLSearchParams): Promise<T> {
    const headers: Record<string, string> = { authorization: auth, accept: 'application/json' };
    const init: RequestInit = { method, headers };
    if (body) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      init.body = body.toString();
    }
    const res = await fetch(baseUrl + path, init);
    const text = await res.text();
    if (!res.ok) throw new Error(`relying-party API ${method} ${path} answered ${res.status}: ${text}`);
    return JSON.parse(text) as T;
  }

  return {
    baseUrl,
    demoUser: { username: seed.username!, password: seed.password! },
    resourcePath: '/device/v1/userinfo',
    storeUrl: `sqlite:${join(dir, 'oma.db')}`,
    startMobileAuth(message: string, userId?: string, type?: string, extra?: Record<string, string>): Promise<StartedAuth> {
      const form = new URLSearchParams({ type: type ?? seed.otpType!, message, ...(extra ?? {}) });
      if (userId) form.set('user_id', userId);
      return rp<StartedAuth>('POST', '/oauth/api/v4/authenticate/user', form);
    },
    transaction(id: string): Promise<RpTransaction> {
      return rp<RpTransaction>('GET', `/oauth/api/v4/authenticate/transaction/${encodeURIComponent(id)}`);
    },
    admin(args: string[]): Promise<string> {
      return new Promise((resolve, reject) => {
        const c = spawn(bin, [...args, '--store', `sqlite:${join(dir, 'oma.db')}`], { stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        let errText = '';
        c.stdout!.on('data', (d: Buffer) => (out += d.toString()));
        c.stderr!.on('data', (d: Buffer) => (errText += d.toString()));
        c.on('error', reject);
        c.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`tokenserver ${args.join(' ')} exited with ${code}: ${errText}`))));
      });
    },
    stop,
  };
}
