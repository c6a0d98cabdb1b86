/**
 * What the integration tests need from the machine: the real bridge host (the
 * Go SDK core) and the real Token Server, built from this repository with
 * `go build` unless OMA_BRIDGEHOST / OMA_TOKENSERVER name prebuilt binaries
 * (scripts/test-js.sh builds them once and sets both).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const repoRoot = join(__dirname, '..', '..', '..');

const built = new Map<string, Promise<string>>();

/** Path of a binary of ./cmd/<name>: $envVar if set, else built into a temp dir once. */
export function binary(name: 'bridgehost' | 'tokenserver', envVar: string): Promise<string> {
  const fromEnv = process.env[envVar];
  if (fromEnv) {
    if (!existsSync(fromEnv)) return Promise.reject(new Error(`${envVar}=${fromEnv} does not exist`));
    return Promise.resolve(fromEnv);
  }
  let p = built.get(name);
  if (!p) {
    const out = join(mkdtempSync(join(tmpdir(), `oma-${name}-`)), name);
    p = new Promise((resolve, reject) =>
      execFile('go', ['build', '-o', out, `./cmd/${name}`], { cwd: repoRoot }, (err, _o, stderr) =>
        err ? reject(new Error(`go build ./cmd/${name}: ${stderr || err.message}`)) : resolve(out),
      ),
    );
    built.set(name, p);
  }
  return p;
}

export const bridgehostBinary = (): Promise<string> => binary('bridgehost', 'OMA_BRIDGEHOST');
export const tokenserverBinary = (): Promise<string> => binary('tokenserver', 'OMA_TOKENSERVER');
