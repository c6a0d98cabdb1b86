/**
 * The Node entry (`@openmobileauth/react-native-sdk/node`): the real Go core as a
 * child process behind the same API, for tests and tools.
 *
 * @example
 * import OneginiSdk from '@openmobileauth/react-native-sdk';
 * import { useNodeTransport } from '@openmobileauth/react-native-sdk/node';
 *
 * const host = await useNodeTransport({ binary: './bridgehost' });
 * await OneginiSdk.startClient({ serverUrl: 'http://127.0.0.1:8080' });
 * // ...
 * await host.close();
 */
import OneginiSdk from '../index';
import { BridgeHostOptions, NodeTransport, startBridgeHost } from './bridgehost';

export { buildBridgeHost, NodeTransport, startBridgeHost } from './bridgehost';
export type { BridgeHostOptions } from './bridgehost';

/**
 * Starts a bridge host and makes it the transport of the default `OneginiSdk`.
 * @returns the transport (close it when done).
 */
export async function useNodeTransport(options: BridgeHostOptions): Promise<NodeTransport> {
  const t = await startBridgeHost(options);
  OneginiSdk.setTransport(t);
  return t;
}
