/**
 * Records what the REAL Go core sends through a transport — every result and
 * every event — so the integration flows can check each one against the
 * generated contract (the TS validators of js/src/validate.ts over the schemas
 * cmd/contractgen writes from core/api). A shape the core sends that the
 * contract does not declare fails CI here.
 */
import assert from 'node:assert/strict';
import { checkEvent, checkResult } from '@openmobileauth/react-native-sdk';
import type { EventParams, MethodName, Transport } from '@openmobileauth/react-native-sdk';
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { repoRoot } from './env';

/** One thing the core sent. */
export interface Captured {
  kind: 'result' | 'event';
  /** The method name, or the event type and action. */
  what: string;
  value: unknown;
}

/** Everything captured by every recording transport of this process. */
export const captured: Captured[] = [];

/**
 * Where each integration test process leaves what it captured, so that
 * js/tools/contract-coverage.mjs (run by scripts/test-js.sh after all the
 * integration files) can check that the flows TOGETHER produced every declared
 * event action and every non-null result. Node's test runner runs each file
 * in its own process, so coverage cannot be judged inside one file.
 */
export const captureDir = process.env.OMA_CONTRACT_CAPTURE_DIR ?? join(repoRoot, 'build', 'contract-capture');

process.on('exit', () => {
  if (captured.length === 0) return;
  const problems: string[] = [];
  for (const c of captured) {
    const p =
      c.kind === 'result'
        ? checkResult(c.what as MethodName, c.value)
        : checkEvent(c.value as Record<string, unknown>);
    if (p) problems.push(`${c.kind} ${c.what}: ${p}`);
  }
  const seen = [...new Set(captured.map((c) => `${c.kind}:${c.what}`))].sort();
  mkdirSync(captureDir, { recursive: true });
  const file = `${basename(process.argv[1] ?? 'unknown')}-${process.pid}.json`;
  writeFileSync(join(captureDir, file), JSON.stringify({ seen, problems }));
});

/** Wraps a transport so that every result and event of the real core is recorded. */
export function recording(t: Transport): Transport {
  return {
    async invoke(method: string, params: Record<string, unknown>): Promise<unknown> {
      const r = await t.invoke(method, params);
      captured.push({ kind: 'result', what: method, value: r });
      return r;
    },
    subscribe(sink: (e: EventParams) => void): () => void {
      return t.subscribe((e) => {
        captured.push({ kind: 'event', what: `${String(e.type)}/${typeof e.action === 'string' ? e.action : ''}`, value: e });
        sink(e);
      });
    },
  };
}

/** Checks every captured result and event against the generated validators (no coverage check). */
export function assertCapturedValid(): void {
  const problems: string[] = [];
  for (const c of captured) {
    const p =
      c.kind === 'result'
        ? checkResult(c.what as MethodName, c.value)
        : checkEvent(c.value as Record<string, unknown>);
    if (p) problems.push(`${c.kind} ${c.what}: ${p}\n  sent: ${JSON.stringify(c.value)}`);
  }
  assert.deepEqual(problems, [], 'the core sent shapes the contract does not declare');
}
