/**
 * The small subset of React Native's API this package uses, declared here so the
 * package compiles and its tests run without installing React Native. This file
 * is not emitted: the shipped .d.ts files refer to 'react-native', which resolves
 * to the app's own React Native types.
 */
declare module 'react-native' {
  export interface TurboModule {
    getConstants?(): object;
  }
  export const TurboModuleRegistry: {
    get<T extends TurboModule>(name: string): T | null;
    getEnforcing<T extends TurboModule>(name: string): T;
  };
  export interface EmitterSubscription {
    remove(): void;
  }
  export class NativeEventEmitter {
    constructor(nativeModule?: unknown);
    addListener(eventType: string, listener: (event: any) => void): EmitterSubscription;
  }
  export const NativeModules: { [name: string]: any };
  export const Platform: { OS: string };
}
