/**
 * Node ESM consumers: `import OneginiSdk, { Events, ... }` works through the
 * "import" condition and yields the very same instances as require() (the ESM
 * entry re-exports the CommonJS build; no second copy of the SDK's state).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const repoRoot = join(__dirname, '..', '..', '..');

test('ESM import of the package and of /node gives the same objects as require()', () => {
  const script = `
    import OneginiSdk, { Events, OneginiError, ErrorCodes } from '@openmobileauth/react-native-sdk';
    import { useNodeTransport, startBridgeHost } from '@openmobileauth/react-native-sdk/node';
    import { createRequire } from 'node:module';
    const require = createRequire(import.meta.url);
    const cjs = require('@openmobileauth/react-native-sdk');
    console.log(JSON.stringify({
      sameDefault: cjs.default === OneginiSdk,
      sameError: cjs.OneginiError === OneginiError,
      startClient: typeof OneginiSdk.startClient,
      pinCreate: Events.SdkNotification.PinCreate,
      cancelled: ErrorCodes.ACTION_CANCELED,
      node: typeof useNodeTransport + ',' + typeof startBridgeHost,
    }));
  `;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: repoRoot, encoding: 'utf8' });
  assert.deepEqual(JSON.parse(out), {
    sameDefault: true,
    sameError: true,
    startClient: 'function',
    pinCreate: 'ONEWELCOME_PIN_CREATE_NOTIFICATION',
    cancelled: 9006,
    node: 'function,function',
  });
});
