// Installs the packed tarball (argv[2]) into a scratch consumer project (no
// react-native installed, no network) and checks what an app sees:
//  - js/test/consumer/*.ts type-check under strict with the resolution modes
//    apps use: bundler (also with the react-native condition), node16 CJS,
//    node16 ESM ("type": "module") and node10 + esModuleInterop;
//  - at run time, require() and import of the package and its /node entry work
//    and give the same objects, without loading react-native.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const tarball = resolve(process.argv[2]);
const dir = mkdtempSync(join(tmpdir(), 'oma-consumer-'));
const pkgDir = join(dir, 'node_modules', '@openmobileauth', 'react-native-sdk');
mkdirSync(pkgDir, { recursive: true });
execFileSync('tar', ['-xzf', tarball, '-C', pkgDir, '--strip-components=1']);
symlinkSync(join(root, 'node_modules', '@types'), join(dir, 'node_modules', '@types'));
const sources = readdirSync(join(root, 'js', 'test', 'consumer')).filter((f) => f.endsWith('.ts'));
for (const f of sources) cpSync(join(root, 'js', 'test', 'consumer', f), join(dir, f));

const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const modes = [
  { name: 'bundler', pkgType: 'commonjs', args: ['--module', 'esnext', '--moduleResolution', 'bundler'] },
  { name: 'bundler + react-native condition', pkgType: 'commonjs', args: ['--module', 'esnext', '--moduleResolution', 'bundler', '--customConditions', 'react-native'] },
  { name: 'node16 (CommonJS app)', pkgType: 'commonjs', args: ['--module', 'node16', '--moduleResolution', 'node16'] },
  { name: 'node16 (ESM app)', pkgType: 'module', args: ['--module', 'node16', '--moduleResolution', 'node16'] },
  { name: 'node10 + esModuleInterop', pkgType: 'commonjs', args: ['--module', 'commonjs', '--moduleResolution', 'node10', '--esModuleInterop'] },
];
let failed = 0;
for (const m of modes) {
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ private: true, type: m.pkgType }));
  try {
    execFileSync(process.execPath, [tsc, '--noEmit', '--strict', '--target', 'es2020', '--types', 'node', ...m.args, ...sources], {
      cwd: dir,
      stdio: 'pipe',
      encoding: 'utf8',
    });
    console.log(`consumer types: ${m.name}: ok`);
  } catch (err) {
    failed++;
    console.error(`consumer types: ${m.name}: FAILED\n${err.stdout || ''}${err.stderr || ''}`);
  }
}

// Run time: CommonJS and ESM consumers, same instances, react-native never loaded.
writeFileSync(join(dir, 'package.json'), JSON.stringify({ private: true }));
const probe = `
  const Module = require('node:module');
  const load = Module._load;
  Module._load = function (r, ...a) { if (r === 'react-native') throw new Error('react-native was loaded'); return load.call(this, r, ...a); };
  const cjs = require('@openmobileauth/react-native-sdk');
  const node = require('@openmobileauth/react-native-sdk/node');
  import('@openmobileauth/react-native-sdk').then(async (esm) => {
    const esmNode = await import('@openmobileauth/react-native-sdk/node');
    const ok = esm.default === cjs.default && typeof esm.default.handleMobileAuthWithOtp === 'function'
      && esm.Events.SdkNotification.MobileAuthOtp === 'ONEWELCOME_MOBILE_AUTH_OTP_NOTIFICATION'
      && esmNode.startBridgeHost === node.startBridgeHost && typeof require('@openmobileauth/react-native-sdk/cordova').start === 'function';
    console.log(ok ? 'consumer runtime: require and import ok' : 'consumer runtime: MISMATCH');
    process.exit(ok ? 0 : 1);
  });
`;
try {
  // Cordova's bundle expects its host's require; under Node, 'cordova/exec' is only looked up on first call.
  console.log(execFileSync(process.execPath, ['-e', probe], { cwd: dir, encoding: 'utf8' }).trim());
} catch (err) {
  failed++;
  console.error(`consumer runtime: FAILED\n${err.stdout || ''}${err.stderr || ''}`);
}
rmSync(dir, { recursive: true, force: true });
process.exit(failed ? 1 : 0);
