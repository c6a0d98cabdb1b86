/**
 * A fake of the React Native surface the package uses (NativeModules,
 * NativeEventEmitter, TurboModuleRegistry), wired to a {@link FakeCore} the way
 * the real native module is: invoke resolves with the result's JSON text or
 * rejects like RN does (code as a string, the message, userInfo {errorJson: the
 * core's error object as JSON text}), and
 * events arrive as `OneginiSdkEvent` with body `{message}`.
 */
import type { ReactNativeLike } from '@openmobileauth/react-native-sdk';
import { FakeCore } from './fakecore';

type Listener = (body: unknown) => void;

export class FakeEmitterRegistry {
  readonly listeners = new Map<string, Set<Listener>>();
  readonly constructedWith: unknown[] = [];
  emit(name: string, body: unknown): void {
    for (const l of [...(this.listeners.get(name) ?? [])]) l(body);
  }
  count(name: string): number {
    return this.listeners.get(name)?.size ?? 0;
  }
}

/** An Error shaped like the one React Native's promise rejection produces. */
export class RNRejection extends Error {
  code: string;
  userInfo: Record<string, unknown> | null;
  constructor(code: string, message: string, userInfo: Record<string, unknown> | null) {
    super(message);
    this.code = code;
    this.userInfo = userInfo;
  }
}

export function makeFakeReactNative(core: FakeCore, opts: { linked?: boolean; turbo?: boolean } = {}): {
  rn: ReactNativeLike;
  emitters: FakeEmitterRegistry;
  nativeCalls: string[];
} {
  const emitters = new FakeEmitterRegistry();
  const nativeCalls: string[] = [];
  const nativeModule = {
    async invoke(requestJson: string): Promise<string> {
      nativeCalls.push('invoke');
      const a = await core.handle(requestJson);
      if ('error' in a) {
        throw new RNRejection(String(a.error.code), a.error.message, { errorJson: JSON.stringify(a.error) });
      }
      return JSON.stringify(a.result);
    },
    addListener(eventName: string): void {
      nativeCalls.push(`addListener:${eventName}`);
    },
    removeListeners(count: number): void {
      nativeCalls.push(`removeListeners:${count}`);
    },
  };
  core.onEvent((json) => emitters.emit('OneginiSdkEvent', { message: json }));
  class NativeEventEmitter {
    constructor(mod?: unknown) {
      emitters.constructedWith.push(mod);
    }
    addListener(name: string, l: Listener): { remove(): void } {
      let set = emitters.listeners.get(name);
      if (!set) emitters.listeners.set(name, (set = new Set()));
      set.add(l);
      return { remove: () => set!.delete(l) };
    }
  }
  const linked = opts.linked ?? true;
  const rn: ReactNativeLike = {
    NativeModules: linked && !opts.turbo ? { OneginiSdk: nativeModule } : {},
    NativeEventEmitter,
    TurboModuleRegistry: { get: (name: string) => (linked && opts.turbo && name === 'OneginiSdk' ? nativeModule : null) },
  };
  return { rn, emitters, nativeCalls };
}
