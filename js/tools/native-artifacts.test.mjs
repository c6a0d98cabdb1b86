// Test of js/tools/native-artifacts.mjs (node --test js/tools/native-artifacts.test.mjs),
// on a scratch Go module shaped like this repository (./bridge and what it imports,
// js/src/generated/contract.json, scripts/build-android.sh): the fingerprint follows
// exactly the sources the core is built from; prepack builds the AAR when an NDK is
// found, never ships a stale binary in a release, and warns otherwise.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const tool = join(resolve(dirname(fileURLToPath(import.meta.url))), 'native-artifacts.mjs');
const work = mkdtempSync(join(tmpdir(), 'oma-native-artifacts-'));
after(() => rmSync(work, { recursive: true, force: true }));

function write(root, path, text) {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
}

/** A scratch module: bridge imports inner; other is not imported. */
function scratch(name) {
  const root = join(work, name);
  write(root, 'go.mod', 'module example.com/fp\n\ngo 1.22\n');
  write(root, 'bridge/bridge.go', 'package bridge\n\nimport _ "example.com/fp/inner"\n');
  write(root, 'inner/inner.go', 'package inner\n\nconst V = 1\n');
  write(root, 'inner/inner_test.go', 'package inner\n');
  write(root, 'other/other.go', 'package other\n');
  write(root, 'js/src/generated/contract.json', '{"version":2}\n');
  // The fake build script: what scripts/build-android.sh leaves behind (the AAR and
  // its stamp), and a count of its runs.
  write(
    root,
    'scripts/build-android.sh',
    `set -e\necho run >> build-runs\nmkdir -p native-android/libs\necho aar > native-android/libs/oma.aar\nnode ${JSON.stringify(tool)} stamp android --root .\n`,
  );
  return root;
}

function run(root, cmd, env = {}) {
  const clean = { ...process.env };
  for (const k of ['ANDROID_HOME', 'ANDROID_SDK_ROOT', 'ANDROID_NDK_HOME', 'OMA_RELEASE', 'OMA_SKIP_NATIVE_BUILD', 'npm_command']) delete clean[k];
  const r = spawnSync(process.execPath, [tool, ...cmd, '--root', root], { encoding: 'utf8', env: { ...clean, ...env } });
  return { status: r.status, out: r.stdout + r.stderr };
}
const fp = (root) => run(root, ['fingerprint']).out.trim();
const runs = (root) => (existsSync(join(root, 'build-runs')) ? readFileSync(join(root, 'build-runs'), 'utf8').split('\n').filter(Boolean).length : 0);

test('the fingerprint covers the Go sources ./bridge is built from, and nothing else', () => {
  const root = scratch('fp');
  const a = fp(root);
  assert.match(a, /^[0-9a-f]{64}$/);
  assert.equal(fp(root), a, 'deterministic');
  appendFileSync(join(root, 'inner/inner_test.go'), '// a test change\n');
  appendFileSync(join(root, 'other/other.go'), '// not imported by ./bridge\n');
  assert.equal(fp(root), a, 'tests and packages outside the core do not count');
  appendFileSync(join(root, 'inner/inner.go'), '// a core change\n');
  const b = fp(root);
  assert.notEqual(b, a, 'a change in an imported package counts');
  appendFileSync(join(root, 'go.mod'), '// dependencies\n');
  assert.notEqual(fp(root), b, 'go.mod counts');
});

test('prepack: warns without the binaries, a release fails without them', () => {
  const root = scratch('none');
  let r = run(root, ['prepack']);
  assert.equal(r.status, 0, r.out);
  assert.match(r.out, /WARNING: this package will not contain a current native-android\/libs\/oma\.aar and native-ios\/OmaBridge\.xcframework/);
  for (const env of [{ OMA_RELEASE: '1' }, { npm_command: 'publish' }]) {
    r = run(root, ['prepack'], env);
    assert.equal(r.status, 1, r.out);
    assert.match(r.out, /a release needs both native binaries current/);
    assert.match(r.out, /oma\.aar: absent/);
    assert.match(r.out, /OmaBridge\.xcframework: absent/);
  }
  assert.equal(runs(root), 0);
});

test('prepack builds the AAR when an NDK is found, only when it is not current; a release then needs only the xcframework', () => {
  const root = scratch('ndk');
  const sdk = join(root, 'sdk');
  mkdirSync(join(sdk, 'ndk', '26.1.10909125'), { recursive: true });
  const ndkEnv = { ANDROID_HOME: sdk };

  let r = run(root, ['prepack'], { ...ndkEnv, OMA_SKIP_NATIVE_BUILD: '1' });
  assert.equal(r.status, 0, r.out);
  assert.equal(runs(root), 0, 'OMA_SKIP_NATIVE_BUILD=1 builds nothing');

  r = run(root, ['prepack'], ndkEnv);
  assert.equal(r.status, 0, r.out);
  assert.equal(runs(root), 1);
  assert.match(r.out, /oma\.aar: current/);
  r = run(root, ['prepack'], ndkEnv);
  assert.equal(runs(root), 1, 'a current AAR is not rebuilt');

  r = run(root, ['prepack'], { ...ndkEnv, OMA_RELEASE: '1' });
  assert.equal(r.status, 1, r.out);
  assert.match(r.out, /OmaBridge\.xcframework: absent/);
  assert.doesNotMatch(r.out, /oma\.aar: (absent|stale)/);

  // The xcframework built (on a Mac) from these sources, with its stamp: the release passes.
  write(root, 'native-ios/OmaBridge.xcframework/Info.plist', '<plist/>\n');
  assert.equal(run(root, ['stamp', 'ios']).status, 0);
  r = run(root, ['prepack'], { OMA_RELEASE: '1' });
  assert.equal(r.status, 0, r.out);

  // A core change makes both stale: without an NDK the release fails on both...
  appendFileSync(join(root, 'inner/inner.go'), '// a core change\n');
  r = run(root, ['status']);
  assert.match(r.out, /oma\.aar: stale \(built from other Go sources/);
  r = run(root, ['prepack'], { OMA_RELEASE: '1' });
  assert.equal(r.status, 1, r.out);
  assert.match(r.out, /oma\.aar: stale/);
  assert.match(r.out, /OmaBridge\.xcframework: stale/);
  // ...with one, the AAR is rebuilt and only the xcframework is left.
  r = run(root, ['prepack'], { ...ndkEnv, OMA_RELEASE: '1' });
  assert.equal(runs(root), 2);
  assert.equal(r.status, 1, r.out);
  assert.match(r.out, /oma\.aar: current/);
  assert.match(r.out, /OmaBridge\.xcframework: stale/);

  // Another contract makes a binary stale too.
  write(root, 'js/src/generated/contract.json', '{"version":3}\n');
  assert.match(run(root, ['status']).out, /oma\.aar: stale \(built against another contract\.json\)/);
});

test('stamp refuses a missing artifact; an unstamped one is never current', () => {
  const root = scratch('stamp');
  let r = run(root, ['stamp', 'android']);
  assert.equal(r.status, 1);
  assert.match(r.out, /oma\.aar does not exist/);
  write(root, 'native-android/libs/oma.aar', 'copied from somewhere\n');
  r = run(root, ['status']);
  assert.match(r.out, /oma\.aar: unstamped/);
  r = run(root, ['prepack'], { OMA_RELEASE: '1' });
  assert.equal(r.status, 1);
  assert.equal(run(root, ['stamp', 'windows']).status, 1);
});

test('without Go a plain pack warns and goes on; a release fails', () => {
  const root = scratch('nogo');
  const emptyPath = join(work, 'empty-path');
  mkdirSync(emptyPath, { recursive: true });
  let r = run(root, ['prepack'], { PATH: emptyPath });
  assert.equal(r.status, 0, r.out);
  assert.match(r.out, /WARNING: cannot check the native binaries/);
  r = run(root, ['prepack'], { PATH: emptyPath, OMA_RELEASE: '1' });
  assert.equal(r.status, 1, r.out);
  assert.match(r.out, /a release needs Go/);
});
