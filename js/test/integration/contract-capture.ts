/**
 * Records what the REAL Go core sends through a transport — every result and
 * every event — so the integration flows can check each one against the
 * generated contract (the TS validators of js/src/validate.ts over the schemas
 * cmd/contractgen writes from core/api). A shape the core sends that the
 * contract does not declare fails CI here.
 */
import assert from 'node:assert/strict';
import { checkEvent, checkResult, Methods } from '@openmobileauth/react-native-sdk';
import type { EventParams, MethodName, Transport } from '@openmobileauth/react-native-sdk';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
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

interface Schema {
  methods: Array<{ name: string; internal?: boolean; result: { type?: string } }>;
  events: Array<{ type: string; action?: string }>;
}

/**
 * Checks every captured result and event against the generated validators,
 * and that the flows covered every event action and every method with a
 * non-null result (so a new shape cannot go unchecked).
 */
export function assertCapturedMatchContract(): void {
  const schema = JSON.parse(readFileSync(join(repoRoot, 'js', 'src', 'generated', 'contract.json'), 'utf8')) as Schema;
  assertCapturedValid();
  const seen = new Set(captured.map((c) => `${c.kind}:${c.what}`));
  const missing: string[] = [];
  for (const e of schema.events) {
    if (!seen.has(`event:${e.type}/${e.action ?? ''}`)) missing.push(`event ${e.type}/${e.action ?? ''}`);
  }
  for (const m of schema.methods) {
    if (m.internal || m.result.type === 'null') continue;
    if (!(m.name in Methods)) missing.push(`method ${m.name} has no JS name`);
    if (!seen.has(`result:${m.name}`)) missing.push(`result of ${m.name}`);
  }
  assert.deepEqual(missing, [], 'the integration flows did not capture every declared shape');
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
