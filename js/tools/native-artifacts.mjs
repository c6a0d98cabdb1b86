#!/usr/bin/env node
// The Go core's native binaries that the npm package ships beside its JavaScript:
//   native-android/libs/oma.aar        scripts/build-android.sh (Android SDK + NDK)
//   native-ios/OmaBridge.xcframework   scripts/build-ios.sh (macOS with Xcode only)
// React Native (native-android/build.gradle, OneginiSdk.podspec) and Cordova
// (plugin.xml <lib-file>, <framework>) link them; without them the package serves
// only the Node transport. package.json's `files` ships both when they are present.
//
// Each build script ends with `stamp`, which writes <artifact>.json beside the
// artifact: the fingerprint of the Go sources it was built from (every non-test
// .go/.c/.h/.m file of the main module's packages that ./bridge depends on for
// android and ios, plus go.mod and go.sum), the SHA-256 of the contract
// (js/src/generated/contract.json) and the git commit. An artifact is "current"
// when its stamp matches the working tree: a stale core under new JavaScript
// would answer a contract the JavaScript does not expect.
//
// Usage: node js/tools/native-artifacts.mjs <command> [--root DIR]
//   status            print each artifact's state (absent, unstamped, stale, current)
//   fingerprint       print the Go source fingerprint
//   stamp android|ios write the stamp of a just-built artifact
//   prepack           (npm's prepack, after the build) build what is not current
//                     where the tool chain is there: the AAR when an Android NDK
//                     is found (ANDROID_NDK_HOME, or ANDROID_HOME/ndk/<v>), the
//                     xcframework on macOS with Xcode; OMA_SKIP_NATIVE_BUILD=1
//                     skips building. For a release (`npm publish`, or
//                     OMA_RELEASE=1) both must then be current, or it fails;
//                     otherwise it warns that the package lacks them.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
let root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const rest = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--root') root = resolve(args[++i] ?? '.');
  else rest.push(args[i]);
}
const [command, which] = rest;

const ARTIFACTS = {
  android: { path: 'native-android/libs/oma.aar', build: 'scripts/build-android.sh' },
  ios: { path: 'native-ios/OmaBridge.xcframework', build: 'scripts/build-ios.sh' },
};
const CONTRACT = 'js/src/generated/contract.json';
const SOURCE_FILE = /\.(go|c|h|m)$/;

/** The Go source fingerprint of ./bridge and everything of this module it depends on. */
function fingerprint() {
  const dirs = new Set();
  for (const goos of ['android', 'ios']) {
    const out = execFileSync('go', ['list', '-deps', '-f', '{{if .Module}}{{if .Module.Main}}{{.Dir}}{{end}}{{end}}', './bridge'], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, GOOS: goos, GOARCH: 'arm64', CGO_ENABLED: '1' },
    });
    for (const d of out.split('\n')) if (d.trim()) dirs.add(d.trim());
  }
  const files = [];
  for (const d of dirs) {
    for (const f of readdirSync(d)) {
      if (SOURCE_FILE.test(f) && !f.endsWith('_test.go') && statSync(join(d, f)).isFile()) files.push(join(d, f));
    }
  }
  for (const f of ['go.mod', 'go.sum']) if (existsSync(join(root, f))) files.push(join(root, f));
  const h = createHash('sha256');
  for (const f of files.map((f) => relative(root, f).split('\\').join('/')).sort()) {
    h.update(`${f}\0`);
    h.update(readFileSync(join(root, f)));
    h.update('\0');
  }
  return h.digest('hex');
}

function contractSha256() {
  const p = join(root, CONTRACT);
  return existsSync(p) ? createHash('sha256').update(readFileSync(p)).digest('hex') : null;
}

function git(...a) {
  const r = spawnSync('git', a, { cwd: root, encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

/** absent | unstamped | stale (with why) | current, for one artifact. */
function state(name, fp = fingerprint(), contract = contractSha256()) {
  const a = ARTIFACTS[name];
  const full = join(root, a.path);
  if (!existsSync(full)) return { name, path: a.path, state: 'absent' };
  const stampPath = `${full}.json`;
  if (!existsSync(stampPath)) return { name, path: a.path, state: 'unstamped', why: `no ${a.path}.json (build it with ${a.build})` };
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(stampPath, 'utf8'));
  } catch {
    return { name, path: a.path, state: 'unstamped', why: `${a.path}.json is not JSON` };
  }
  const why = [];
  if (stamp.fingerprint !== fp) why.push(`built from other Go sources (commit ${stamp.commit ?? '?'}${stamp.dirty ? ', uncommitted changes' : ''})`);
  if (stamp.contractSha256 !== contract) why.push('built against another contract.json');
  return { name, path: a.path, state: why.length ? 'stale' : 'current', why: why.join('; '), stamp };
}

function writeStamp(name) {
  const a = ARTIFACTS[name];
  if (!a) throw new Error(`stamp: android or ios, not ${name}`);
  const full = join(root, a.path);
  if (!existsSync(full)) throw new Error(`stamp: ${a.path} does not exist (build it with ${a.build})`);
  const stamp = {
    artifact: a.path,
    fingerprint: fingerprint(),
    contractSha256: contractSha256(),
    commit: git('rev-parse', 'HEAD'),
    dirty: (git('status', '--porcelain', '--untracked-files=no') ?? '') !== '',
    goVersion: execFileSync('go', ['env', 'GOVERSION'], { cwd: root, encoding: 'utf8' }).trim(),
    builtAt: new Date().toISOString(),
  };
  writeFileSync(`${full}.json`, JSON.stringify(stamp, null, 2) + '\n');
  console.log(`native-artifacts: stamped ${a.path} (${stamp.fingerprint.slice(0, 12)}, commit ${stamp.commit ?? 'none'}${stamp.dirty ? ', dirty' : ''})`);
}

/** The Android NDK directory, or null. */
function findNdk(env = process.env) {
  if (env.ANDROID_NDK_HOME && existsSync(env.ANDROID_NDK_HOME)) return env.ANDROID_NDK_HOME;
  const sdk = env.ANDROID_HOME || env.ANDROID_SDK_ROOT;
  if (sdk && existsSync(join(sdk, 'ndk'))) {
    const v = readdirSync(join(sdk, 'ndk')).sort((x, y) => x.localeCompare(y, undefined, { numeric: true }));
    if (v.length) return join(sdk, 'ndk', v[v.length - 1]);
  }
  return null;
}

function canBuildIos() {
  return process.platform === 'darwin' && spawnSync('xcrun', ['--sdk', 'iphoneos', '--show-sdk-path'], { stdio: 'ignore' }).status === 0;
}

function build(name) {
  const script = join(root, ARTIFACTS[name].build);
  console.log(`native-artifacts: building ${ARTIFACTS[name].path} (${ARTIFACTS[name].build})`);
  const r = spawnSync('bash', [script], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`${ARTIFACTS[name].build} failed (exit ${r.status})`);
}

function describe(s) {
  return `${s.path}: ${s.state}${s.why ? ` (${s.why})` : ''}`;
}

function prepack() {
  const release = process.env.npm_command === 'publish' || process.env.OMA_RELEASE === '1';
  const skip = process.env.OMA_SKIP_NATIVE_BUILD === '1';
  let fp;
  try {
    fp = fingerprint();
  } catch (err) {
    // No Go here (a JavaScript-only checkout): nothing can be checked or built.
    if (release) throw new Error(`a release needs Go to check the native binaries: ${err.message}`);
    console.warn(`native-artifacts: WARNING: cannot check the native binaries (${err.message.split('\n')[0]}); the package may not contain current ones`);
    return 0;
  }
  const contract = contractSha256();
  for (const name of ['android', 'ios']) {
    const s = state(name, fp, contract);
    if (s.state === 'current') continue;
    const possible = name === 'android' ? findNdk() !== null : canBuildIos();
    if (skip || !possible) continue;
    if (name === 'android') process.env.ANDROID_NDK_HOME = findNdk();
    build(name);
  }
  const states = ['android', 'ios'].map((n) => state(n, fp, contract));
  const missing = states.filter((s) => s.state !== 'current');
  for (const s of states) console.log(`native-artifacts: ${describe(s)}`);
  if (!missing.length) return 0;
  const how = [
    'the AAR: scripts/build-android.sh where the Android SDK and NDK are installed (ANDROID_HOME, ANDROID_NDK_HOME)',
    'the xcframework: scripts/build-ios.sh on macOS with Xcode, then copy native-ios/OmaBridge.xcframework and its .json stamp here',
  ];
  if (release) {
    console.error(`native-artifacts: a release needs both native binaries current; not current:\n  ${missing.map(describe).join('\n  ')}\nBuild ${how.join('; ')} (js/README.md "Releasing").`);
    return 1;
  }
  console.warn(
    `native-artifacts: WARNING: this package will not contain a current ${missing.map((s) => s.path).join(' and ')}: ` +
      `fine for the Node transport and type checks, not for a React Native or Cordova app. Build ${how.join('; ')}.`,
  );
  return 0;
}

try {
  switch (command) {
    case 'fingerprint':
      console.log(fingerprint());
      break;
    case 'status': {
      const fp = fingerprint();
      const c = contractSha256();
      for (const n of ['android', 'ios']) console.log(describe(state(n, fp, c)));
      break;
    }
    case 'stamp':
      writeStamp(which);
      break;
    case 'prepack':
      process.exitCode = prepack();
      break;
    default:
      console.error('usage: node js/tools/native-artifacts.mjs status|fingerprint|stamp android|ios|prepack [--root DIR]');
      process.exitCode = 2;
  }
} catch (err) {
  console.error(`native-artifacts: ${err.message}`);
  process.exitCode = 1;
}
