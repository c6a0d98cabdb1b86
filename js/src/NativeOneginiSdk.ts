/**
 * TurboModule spec of the native module `OneginiSdk` (React Native new
 * architecture). React Native's codegen reads this file; the native modules in
 * native-android/ and native-ios/ implement it. The old architecture reaches the
 * same module through `NativeModules.OneginiSdk`.
 *
 * The module knows nothing about methods or payloads: it forwards JSON-RPC 2.0
 * envelopes to the Go core and emits one event, `OneginiSdkEvent`, whose body is
 * `{ message }` with the JSON text of an event envelope's params.
 */
import type { TurboModule } from 'react-native';
import { TurboModuleRegistry } from 'react-native';

export interface Spec extends TurboModule {
  /**
   * Forwards a full JSON-RPC request envelope. Resolves with the JSON text of the
   * response's `result`; rejects with the numeric error code as the rejection
   * code (a string such as "9006"), the error message, and `{domain, ...data}` in
   * the rejection's userInfo.
   */
  invoke(requestJson: string): Promise<string>;
  /** Event emitter boilerplate (NativeEventEmitter calls it). */
  addListener(eventName: string): void;
  /** Event emitter boilerplate (NativeEventEmitter calls it). */
  removeListeners(count: number): void;
}

export default TurboModuleRegistry.get<Spec>('OneginiSdk');
