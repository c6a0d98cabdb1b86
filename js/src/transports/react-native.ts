/**
 * The React Native transport: the native module `OneginiSdk` (TurboModule or
 * `NativeModules.OneginiSdk`) plus one emitted event, `OneginiSdkEvent`. The
 * native module settles each call's promise from the core's per-call reply
 * (no ids are matched anywhere): it resolves with the result's JSON text or
 * rejects with `userInfo.errorJson`, the error object's JSON text.
 */
import { OneginiError } from '../errors';
import { encodeRequest, EventSink, parseEventParams, parseResultText, Transport } from '../transport';
import { nativeError } from './native-error';

/** The native module name. */
export const NATIVE_MODULE_NAME = 'OneginiSdk';
/** The one event name the native module emits. */
export const NATIVE_EVENT_NAME = 'OneginiSdkEvent';

/** The native module, as `js/src/NativeOneginiSdk.ts` specifies it. */
export interface NativeOneginiModule {
  invoke(requestJson: string): Promise<string>;
  addListener?(eventName: string): void;
  removeListeners?(count: number): void;
}

/** The few parts of React Native this transport uses (tests pass a fake). */
export interface ReactNativeLike {
  NativeModules: { [name: string]: unknown };
  NativeEventEmitter: new (nativeModule?: unknown) => {
    addListener(eventType: string, listener: (event: unknown) => void): { remove(): void };
  };
  TurboModuleRegistry?: { get(name: string): unknown };
}

function loadReactNative(): ReactNativeLike {
  // Required lazily so that importing this package outside React Native (Node
  // tools, tests, Cordova) never loads react-native.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('react-native') as ReactNativeLike;
}

/**
 * Creates the React Native transport.
 * @param rn React Native itself (default: `require('react-native')`).
 * @throws 8020 when the native module is not linked.
 */
export function createReactNativeTransport(rn?: ReactNativeLike): Transport {
  const RN = rn ?? loadReactNative();
  const turbo = RN.TurboModuleRegistry?.get(NATIVE_MODULE_NAME);
  const native = (turbo ?? RN.NativeModules[NATIVE_MODULE_NAME]) as NativeOneginiModule | undefined | null;
  if (!native || typeof native.invoke !== 'function') {
    throw new OneginiError(
      8020,
      `the native module ${NATIVE_MODULE_NAME} is not linked: rebuild the app after installing the package (pod install on iOS)`,
    );
  }
  const emitter = new RN.NativeEventEmitter(native);
  const sinks = new Set<EventSink>();
  let sub: { remove(): void } | null = null;

  function onNativeEvent(body: unknown): void {
    const message = body !== null && typeof body === 'object' ? (body as { message?: unknown }).message : body;
    const params = parseEventParams(message);
    if (params === null) return;
    for (const s of [...sinks]) s(params);
  }

  return {
    async invoke(method: string, params: Record<string, unknown>): Promise<unknown> {
      const { json } = encodeRequest(method, params);
      let text: string;
      try {
        text = await native.invoke(json);
      } catch (err) {
        throw nativeError(err);
      }
      return parseResultText(method, text);
    },
    subscribe(sink: EventSink): () => void {
      sinks.add(sink);
      if (sub === null) sub = emitter.addListener(NATIVE_EVENT_NAME, onNativeEvent);
      return () => {
        sinks.delete(sink);
        if (sinks.size === 0 && sub !== null) {
          sub.remove();
          sub = null;
        }
      };
    },
  };
}
