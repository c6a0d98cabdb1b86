// Consistency check of the packaging files (run by scripts/test-native.sh):
// react-native.config.js points at existing folders/podspec, plugin.xml lists
// every Cordova-side native source and nothing that does not exist (build
// products excepted), and the podspec's sources exist.
'use strict';
const fs = require('fs');
const path = require('path');
const root = process.argv[2];
const problems = [];
const exists = (p) => fs.existsSync(path.join(root, p));
const list = (dir, re) =>
  fs.existsSync(path.join(root, dir))
    ? fs.readdirSync(path.join(root, dir)).filter((f) => re.test(f)).map((f) => `${dir}/${f}`)
    : [];

// React Native autolinking.
const rn = require(path.join(root, 'react-native.config.js')).dependency.platforms;
if (!exists(path.join(rn.android.sourceDir, 'build.gradle'))) problems.push('android sourceDir has no build.gradle');
if (!fs.existsSync(rn.ios.podspecPath)) problems.push(`podspec ${rn.ios.podspecPath} missing`);
const pkgClass = rn.android.packageImportPath.match(/import ([\w.]+);/)[1];
const pkgFile = `native-android/src/main/java/${pkgClass.replace(/\./g, '/')}.kt`;
if (!exists(pkgFile)) problems.push(`autolinked package ${pkgClass} not found at ${pkgFile}`);

// Cordova plugin.xml.
const xml = fs.readFileSync(path.join(root, 'plugin.xml'), 'utf8');
const built = new Set(['dist/cordova/onegini.js', 'native-android/libs/oma.aar', 'native-ios/OmaBridge.xcframework', 'Security.framework', 'LocalAuthentication.framework']); // system frameworks and build outputs
const srcs = [...xml.matchAll(/\bsrc="([^"]+)"/g)].map((m) => m[1]);
for (const s of srcs) if (!built.has(s) && !exists(s)) problems.push(`plugin.xml: ${s} does not exist`);
const wanted = [
  ...list('native-android/src/main/java/org/openmobileauth/oma/android', /\.kt$/),
  ...list('native-android/src/cordova/java/org/openmobileauth/oma/cordova', /\.kt$/),
  ...list('native-ios/OneginiSdk', /^(OMA|OneginiSdkPlugin).*\.[hm]$/),
];
for (const w of wanted) if (!srcs.includes(w)) problems.push(`plugin.xml does not ship ${w}`);
if (!/<feature name="OneginiSdk">/.test(xml)) problems.push('plugin.xml: no OneginiSdk feature');
if (!/<clobbers target="onegini"/.test(xml)) problems.push('plugin.xml: js-module does not clobber onegini');

// Podspec.
const podspec = fs.readFileSync(rn.ios.podspecPath, 'utf8');
if (!/source_files\s*=\s*"native-ios\/OneginiSdk\/\*\.\{h,m\}"/.test(podspec)) problems.push('podspec source_files changed');
if (list('native-ios/OneginiSdk', /^OneginiSdk\.m$/).length !== 1) problems.push('React Native module source missing');

if (problems.length) {
  for (const p of problems) console.error(`packaging: ${p}`);
  process.exit(1);
}
console.log(`packaging: ok (${srcs.length} plugin.xml sources, autolinking android+ios, podspec)`);
