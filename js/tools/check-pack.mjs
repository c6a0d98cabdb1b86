// Checks the file list of `npm pack --dry-run --json` (path given as argv[2]):
// every file must be one the package is meant to ship, and the entry points
// must be there. Prints the list and exits non-zero with the offenders.
import { readFileSync } from 'node:fs';

const [pack] = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const files = pack.files.map((f) => f.path).sort();

const allowed = [
  /^package\.json$/,
  /^README\.md$/,
  /^LICENSE(\.\w+)?$/,
  /^dist\/.+\.(js|mjs|d\.ts|d\.mts)$/,
  /^js\/src\/NativeOneginiSdk\.ts$/,
  /^native-android\/.+/,
  /^native-ios\/.+/,
  /^[^/]+\.podspec$/,
  /^plugin\.xml$/,
  /^react-native\.config\.js$/,
];
const forbidden = [
  /(^|\/)build\//,
  /(^|\/)\.gradle\//,
  /(^|\/)node_modules\//,
  /(^|\/)(test|tests|jvmtest)\//,
  /\.(class|go|map|log)$/,
  /^js\/(test|tools)\//,
  /^native-ios\/check\//,
  /^dist\/.*\.test\./,
];
const required = [
  'package.json',
  'dist/index.js',
  'dist/index.d.ts',
  'dist/index.mjs',
  'dist/node/index.mjs',
  'dist/node/index.js',
  'dist/node/index.d.ts',
  'dist/cordova/onegini.js',
  'dist/cordova/onegini.d.ts',
  'dist/NativeOneginiSdk.js',
  'js/src/NativeOneginiSdk.ts',
  // RN autolinking, the iOS pod and the Cordova plugin (written by the native side).
  'react-native.config.js',
  'OneginiSdk.podspec',
  'plugin.xml',
];

const bad = files.filter((f) => !allowed.some((r) => r.test(f)) || forbidden.some((r) => r.test(f)));
const missing = required.filter((f) => !files.includes(f));

console.log(`npm pack: ${pack.name}@${pack.version}, ${files.length} files, ${pack.size} bytes packed, ${pack.unpackedSize} unpacked`);
for (const f of files) console.log(`  ${f}`);
if (bad.length || missing.length) {
  if (bad.length) console.error(`pack: files that must not ship:\n  ${bad.join('\n  ')}`);
  if (missing.length) console.error(`pack: files that must ship but are missing:\n  ${missing.join('\n  ')}`);
  process.exit(1);
}
console.log('pack: file list ok');
