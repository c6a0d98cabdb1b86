/**
 * Loads the shipped Cordova bundle (dist/cordova/onegini.js) the way
 * cordova.define runs a js-module: its text becomes a factory called with
 * (require, exports, module), where require knows 'cordova/exec'.
 */
import { readFileSync } from 'node:fs';

export type Onegini = typeof import('@openmobileauth/react-native-sdk/cordova');

export type Exec = (
  ok: (r?: unknown) => void,
  fail: (e?: unknown) => void,
  service: string,
  action: string,
  args?: unknown[],
) => void;

export const bundlePath = require.resolve('@openmobileauth/react-native-sdk/cordova');
export const bundleSource = readFileSync(bundlePath, 'utf8');

/** A fresh copy of the plugin's `onegini` object with cordova/exec = exec. */
export function loadPlugin(exec: Exec): { onegini: Onegini; required: string[] } {
  const required: string[] = [];
  const cordovaRequire = (id: string): unknown => {
    required.push(id);
    if (id === 'cordova/exec') return exec;
    throw new Error(`module ${id} not found`);
  };
  const module = { exports: {} as unknown };
  const factory = new Function('require', 'exports', 'module', bundleSource) as (r: unknown, e: unknown, m: unknown) => void;
  factory(cordovaRequire, module.exports, module);
  return { onegini: module.exports as Onegini, required };
}
