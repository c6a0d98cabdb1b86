#!/usr/bin/env node
// Checks that the JS integration flows, taken together, made the REAL Go core
// send every event action and every non-null method result that core/api
// declares (js/src/generated/contract.json), and that none of what they
// captured failed the generated validators. Each integration test process
// leaves its captures in build/contract-capture/ (js/test/integration/contract-capture.ts);
// scripts/test-js.sh empties that directory before the integration tests and
// runs this afterwards.
//
// NOT_YET_PRODUCED lists declared shapes that no JS flow can make the core
// send yet, each with its reason. An entry that a flow does capture fails the
// check, so the list can only shrink.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const dir = process.env.OMA_CONTRACT_CAPTURE_DIR ?? join(root, 'build', 'contract-capture');

// (Empty: the fingerprint onNextAuthenticationAttempt event, once listed here,
// is captured by uv-biometric.test.ts, its biometric scripted through
// bridgehost's control request.)
const NOT_YET_PRODUCED = {};

const schema = JSON.parse(readFileSync(join(root, 'js', 'src', 'generated', 'contract.json'), 'utf8'));
if (!existsSync(dir)) {
  console.error(`contract-coverage: ${dir} does not exist: the integration tests left no captures`);
  process.exit(1);
}
const seen = new Set();
const problems = [];
let files = 0;
for (const f of readdirSync(dir)) {
  if (!f.endsWith('.json')) continue;
  files++;
  const c = JSON.parse(readFileSync(join(dir, f), 'utf8'));
  for (const s of c.seen) seen.add(s);
  for (const p of c.problems) problems.push(`${f}: ${p}`);
}
const missing = [];
const stale = [];
const want = [];
for (const e of schema.events) want.push(`event:${e.type}/${e.action ?? ''}`);
for (const m of schema.methods) {
  if (m.internal || m.result.type === 'null') continue;
  want.push(`result:${m.name}`);
}
for (const w of want) {
  if (seen.has(w)) {
    if (w in NOT_YET_PRODUCED) stale.push(w);
  } else if (!(w in NOT_YET_PRODUCED)) {
    missing.push(w);
  }
}
for (const k of Object.keys(NOT_YET_PRODUCED)) if (!want.includes(k)) stale.push(`${k} (no longer declared)`);
console.log(`contract-coverage: ${files} capture files, ${seen.size} shapes seen, ${want.length} declared, ${Object.keys(NOT_YET_PRODUCED).length} listed as not yet produced`);
for (const p of problems) console.log(`  invalid: ${p}`);
for (const m of missing) console.log(`  never captured: ${m}`);
for (const s of stale) console.log(`  listed as not yet produced but captured (remove it from NOT_YET_PRODUCED): ${s}`);
process.exit(problems.length || missing.length || stale.length ? 1 : 0);
