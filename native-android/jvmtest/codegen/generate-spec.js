// Runs React Native's codegen (@react-native/codegen) on the TurboModule spec in
// js/src/NativeOneginiSdk.ts and writes the Java spec class that an app's build
// (the React Native Gradle plugin) generates for this library, so the Kotlin
// module can be compiled against it on a desktop JVM.
//
//   node generate-spec.js <codegen node_modules dir> <spec.ts> <outdir> <javaPackage>
'use strict';
const path = require('path');
const [, , nodeModules, specFile, outDir, javaPackage] = process.argv;
if (!nodeModules || !specFile || !outDir || !javaPackage) {
  console.error('usage: generate-spec.js <node_modules> <spec.ts> <outdir> <javaPackage>');
  process.exit(2);
}
const lib = path.resolve(nodeModules, '@react-native', 'codegen', 'lib');
const { TypeScriptParser } = require(path.join(lib, 'parsers', 'typescript', 'parser'));
const RNCodegen = require(path.join(lib, 'generators', 'RNCodegen'));

const schema = new TypeScriptParser().parseFile(specFile);
const modules = Object.keys(schema.modules || {});
if (modules.length === 0) {
  console.error(`codegen found no TurboModule spec in ${specFile}`);
  process.exit(1);
}
const ok = RNCodegen.generate(
  { libraryName: 'OneginiSdkSpec', schema, outputDirectory: outDir, packageName: javaPackage },
  { generators: ['modulesAndroid'] },
);
if (!ok) {
  console.error('codegen failed');
  process.exit(1);
}
console.log(`codegen: ${modules.join(', ')} -> ${javaPackage}`);
