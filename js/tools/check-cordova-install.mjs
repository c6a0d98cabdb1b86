// After `cordova plugin add`, checks that every file and every plugin.xml wiring
// landed where plugin.xml says, for android and ios (no native build).
// plugin.xml is read with cordova-common's PluginInfo (the parser the Cordova CLI
// itself uses), from the scratch app's node_modules.
//
// Usage: node js/tools/check-cordova-install.mjs <cordova app dir> <plugin source dir>
// Prints one line per check; exits 1 if any fails.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, join, resolve } from 'node:path';

const app = resolve(process.argv[2] ?? '');
const pluginSrc = resolve(process.argv[3] ?? '');
const require = createRequire(join(app, 'package.json'));
const { PluginInfo } = require('cordova-common');
const plugin = new PluginInfo(pluginSrc);
const id = plugin.id;

let failed = 0;
let passed = 0;
function check(ok, what) {
  if (ok) passed++;
  else failed++;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
}
const read = (p) => (existsSync(p) ? readFileSync(p, 'utf8') : '');
const same = (a, b) => existsSync(a) && existsSync(b) && readFileSync(a).equals(readFileSync(b));
function sameTree(a, b) {
  if (!existsSync(a) || !existsSync(b)) return false;
  if (statSync(a).isDirectory()) {
    const fa = readdirSync(a).sort();
    const fb = readdirSync(b).sort();
    return fa.length === fb.length && fa.every((f, i) => f === fb[i] && sameTree(join(a, f), join(b, f)));
  }
  return same(a, b);
}

// The installed plugin copy.
check(existsSync(join(app, 'plugins', id, 'plugin.xml')), `plugins/${id}/plugin.xml installed`);
const fetchJson = JSON.parse(read(join(app, 'plugins', 'fetch.json')) || '{}');
check(!!fetchJson[id], `plugins/fetch.json records ${id}`);

// The js-module, as each platform's www gets it, and the plugin list.
const wwwOf = { android: join(app, 'platforms', 'android', 'app', 'src', 'main', 'assets', 'www'), ios: join(app, 'platforms', 'ios', 'www') };
for (const platform of ['android', 'ios']) {
  const www = wwwOf[platform];
  const list = read(join(www, 'cordova_plugins.js'));
  for (const m of plugin.getJsModules(platform)) {
    const file = join(www, 'plugins', id, m.src);
    const text = read(file);
    const original = read(join(pluginSrc, m.src));
    check(text.includes(original.trim().slice(0, 2000)) && text.length >= original.length, `${platform}: js-module ${m.name} copied to www/plugins/${id}/${m.src}`);
    check(list.includes(`"id": "${id}.${m.name}"`) && list.includes(`"file": "plugins/${id}/${m.src}"`), `${platform}: cordova_plugins.js lists ${id}.${m.name}`);
    for (const c of m.clobbers) check(list.includes(`"${c.target}"`), `${platform}: cordova_plugins.js clobbers ${c.target}`);
    // Load the installed file the way cordova.js does: cordova.define(id, factory),
    // then require(id) with cordova/exec available.
    let defined = null;
    const cordovaShim = { define: (name, factory) => (defined = { name, factory }) };
    try {
      new Function('cordova', text)(cordovaShim);
      const module = { exports: {} };
      const execCalls = [];
      const req = (x) => {
        if (x === 'cordova/exec') return (...a) => execCalls.push(a);
        throw new Error(`module ${x} not found`);
      };
      defined.factory(req, module.exports, module);
      const api = module.exports;
      check(defined.name === `${id}.${m.name}` && typeof api.start === 'function' && typeof api.user === 'object',
        `${platform}: the installed js-module defines ${defined.name} and exports onegini.start / onegini.user`);
    } catch (err) {
      check(false, `${platform}: the installed js-module loads (${err.message})`);
    }
  }
}

// Android.
const and = join(app, 'platforms', 'android');
for (const s of plugin.getSourceFiles('android')) {
  const dest = join(and, s.targetDir, basename(s.src));
  check(same(dest, join(pluginSrc, s.src)), `android: source-file ${s.src} -> ${s.targetDir}/`);
}
for (const l of plugin.getLibFiles('android')) {
  check(same(join(and, 'app', 'libs', basename(l.src)), join(pluginSrc, l.src)), `android: lib-file ${l.src} -> app/libs/`);
}
const props = read(join(and, 'project.properties'));
const appGradle = read(join(and, 'app', 'build.gradle'));
for (const f of plugin.getFrameworks('android')) {
  if (f.custom && f.type === 'gradleReference') {
    const dir = join(and, id);
    const copied = existsSync(dir) ? readdirSync(dir).find((n) => n.endsWith(`-${basename(f.src)}`)) : undefined;
    check(!!copied && same(join(dir, copied), join(pluginSrc, f.src)), `android: gradleReference ${f.src} copied to ${id}/`);
    check(!!copied && props.includes(`${id}/${copied}`), `android: project.properties includes ${id}/${copied ?? basename(f.src)}`);
    check(!!copied && appGradle.includes(`apply from: "../${id}/${copied}"`), `android: app/build.gradle applies ${id}/${copied ?? basename(f.src)}`);
  } else {
    check(props.includes(f.src), `android: framework ${f.src} in project.properties`);
  }
}
const androidTargets = {
  'res/xml/config.xml': join(and, 'app', 'src', 'main', 'res', 'xml', 'config.xml'),
  'config.xml': join(and, 'app', 'src', 'main', 'res', 'xml', 'config.xml'),
  'AndroidManifest.xml': join(and, 'app', 'src', 'main', 'AndroidManifest.xml'),
};
// iOS.
const iosRoot = join(app, 'platforms', 'ios');
const iosProject = readdirSync(iosRoot).find((n) => n.endsWith('.xcodeproj'))?.replace(/\.xcodeproj$/, '');
check(!!iosProject, `ios: an Xcode project exists (${iosProject})`);
const pbx = read(join(iosRoot, `${iosProject}.xcodeproj`, 'project.pbxproj'));
const iosPlugins = join(iosRoot, iosProject ?? '', 'Plugins', id);
for (const s of [...plugin.getHeaderFiles('ios'), ...plugin.getSourceFiles('ios')]) {
  const name = basename(s.src);
  check(same(join(iosPlugins, name), join(pluginSrc, s.src)), `ios: ${s.itemType} ${s.src} -> ${iosProject}/Plugins/${id}/`);
  check(pbx.includes(name), `ios: project.pbxproj references ${name}`);
}
for (const f of plugin.getFrameworks('ios')) {
  const name = basename(f.src);
  if (f.custom) check(sameTree(join(iosPlugins, name), join(pluginSrc, f.src)), `ios: custom framework ${f.src} -> ${iosProject}/Plugins/${id}/`);
  check(pbx.includes(name), `ios: project.pbxproj references ${name}`);
}
const iosTargets = {
  'config.xml': join(iosRoot, iosProject ?? '', 'config.xml'),
  '*-Info.plist': join(iosRoot, iosProject ?? '', `${iosProject}-Info.plist`),
};

// config-file entries: every element (and its children) with all its attributes.
for (const [platform, targets] of [['android', androidTargets], ['ios', iosTargets]]) {
  for (const cf of plugin.getConfigFiles(platform)) {
    const file = targets[cf.target];
    const text = read(file ?? '');
    if (cf.target.endsWith('Info.plist')) {
      // A plist entry: the key (config-file parent) with the element's value, the
      // plugin variable replaced by its default or the value given at install.
      const key = `<key>${cf.parent}</key>`;
      const at = text.indexOf(key);
      const value = at < 0 ? '' : text.slice(at + key.length).trimStart();
      const tag = cf.xmls[0]?.tag ?? 'string';
      check(!!file && at >= 0 && value.startsWith(`<${tag}>`) && !value.startsWith(`<${tag}>$`) && !value.startsWith(`<${tag}></`),
        `${platform}: <config-file target="${cf.target}" parent="${cf.parent}"> in ${basename(file ?? '?')} with a value`);
      continue;
    }
    for (const x of cf.xmls) {
      const elems = [x, ...x.getchildren()];
      const ok = !!file && elems.every((e) => Object.entries(e.attrib).every(([k, v]) => text.includes(`${k}="${v}"`)));
      check(ok, `${platform}: <config-file target="${cf.target}"> <${x.tag} ${Object.entries(x.attrib).map(([k, v]) => `${k}="${v}"`).join(' ')}> present`);
    }
  }
}

console.log(`cordova plugin wiring: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
