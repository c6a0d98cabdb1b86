/**
 * The real Token Server (cmd/tokenserver) on 127.0.0.1 for the integration
 * tests, and the relying-party (v4) API calls a web site makes.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, tokenserverBinary } from './env';
export { webLogin } from './weblogin';

/** A v4 answer to a started mobile authentication. */
export interface StartedAuth {
  transaction_id: string;
  auth_method: string;
  time_to_live: number;
  otp: string;
}

/** A v4 transaction. */
export interface RpTransaction {
  transaction_id: string;
  is_authenticated: boolean;
  status?: string;
  user_id?: string;
  not_authenticated_reason?: { reason: string; description: string };
}

export interface TokenServer {
  baseUrl: string;
  demoUser: { username: string; password: string };
  resourcePath: string;
  startMobileAuth(message: string, userId?: string): Promise<StartedAuth>;
  transaction(id: string): Promise<RpTransaction>;
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

export async function startTokenServer(): Promise<TokenServer> {
  throw new Error('startTokenServer: not wired to cmd/tokenserver yet');
}
