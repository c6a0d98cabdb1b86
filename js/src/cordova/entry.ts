/**
 * The Cordova js-module (bundled into dist/cordova/onegini.js; plugin.xml
 * clobbers `onegini` with it). `cordova.exec` is looked up on first use.
 */
import { pluginError } from './flow';
import { CordovaExec } from '../transports/cordova';
import { createOneginiCordova } from './api';

function resolveExec(): CordovaExec {
  try {
    // Inside Cordova's module system.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const exec = require('cordova/exec') as CordovaExec;
    if (typeof exec === 'function') return exec;
  } catch {
    // fall through to the global
  }
  const g = globalThis as { cordova?: { exec?: CordovaExec } };
  if (g.cordova && typeof g.cordova.exec === 'function') return g.cordova.exec.bind(g.cordova);
  throw pluginError(8020, 'cordova.exec is not available: is the OneginiSdk plugin installed and deviceready fired?');
}

const onegini = createOneginiCordova(() => resolveExec());

export = onegini;
