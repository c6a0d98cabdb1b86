// Measures the cost of a call through the JS layer and the Node transport to the
// real Go core (cmd/bridgehost): sequential round trips and pipelined ones.
// Not a test: run by hand after `npm run build` and `go build -o build/bin/bridgehost ./cmd/bridgehost`:
//   node js/tools/bench-node-transport.mjs [path/to/bridgehost] [calls]
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';

const require = createRequire(import.meta.url);
const { startBridgeHost } = require('../../dist/node/index.js');
const { createOneginiSdk } = require('../../dist/index.js');

const binary = process.argv[2] || 'build/bin/bridgehost';
const n = Number(process.argv[3] || 20000);
const host = await startBridgeHost({ binary, dataDir: '', logLevel: 'error' });
const sdk = createOneginiSdk(host);

// Warm up.
for (let i = 0; i < 1000; i++) await host.invoke('ping', {});

let t = performance.now();
for (let i = 0; i < n; i++) await host.invoke('ping', {});
const seq = ((performance.now() - t) * 1000) / n;

t = performance.now();
await Promise.all(Array.from({ length: n }, () => host.invoke('ping', {})));
const pipe = ((performance.now() - t) * 1000) / n;

// Through the public API (validation + result shaping): an 8020 rejection from the core.
t = performance.now();
for (let i = 0; i < n / 4; i++) await sdk.getUserProfiles().catch(() => undefined);
const api = ((performance.now() - t) * 1000) / (n / 4);

console.log(`node transport → bridgehost, ${n} calls: sequential ${seq.toFixed(1)} µs/call, pipelined ${pipe.toFixed(1)} µs/call; OneginiSdk.getUserProfiles (rejected 8020) ${api.toFixed(1)} µs/call`);
await host.close();
