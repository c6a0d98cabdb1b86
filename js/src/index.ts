/**
 * @openmobileauth/react-native-sdk: the OneginiSdk promise API over the Go SDK core.
 *
 * @example
 * import OneginiSdk, { Events, Types, OneginiError } from '@openmobileauth/react-native-sdk';
 *
 * await OneginiSdk.startClient();
 * const sub = OneginiSdk.addEventListener(Events.SdkNotification.PinCreate, (e) => { ... });
 */
import { createOneginiSdk, OneginiSdkInstance } from './client';
import { createReactNativeTransport } from './transports/react-native';

import * as Events from './events';
import * as Types from './types';

export { Events, Types };
export { OneginiError, ErrorCodes, SDKError } from './errors';
export type { ErrorCode, ErrorCodeName } from './errors';
export { createOneginiSdk } from './client';
export type { OneginiSdkApi, OneginiSdkInstance, Subscription, TransportSource } from './client';
export type { Transport, EventParams, EventSink } from './transport';
export { Methods } from './methods';
export { checkEvent, checkResult } from './validate';
export type { MethodName, MethodParams, MethodResult, MethodTypes, EventPayloads } from './generated/contract';
export { createReactNativeTransport, NATIVE_MODULE_NAME, NATIVE_EVENT_NAME } from './transports/react-native';
export type { NativeOneginiModule, ReactNativeLike } from './transports/react-native';
export { createCordovaTransport, CORDOVA_SERVICE } from './transports/cordova';
export type { CordovaExec } from './transports/cordova';
/** The error the Cordova flavour (`onegini.*`) reports: an OneginiError whose `code` is a number, as the Onegini Cordova plugin's. */
export type { PluginError as OneginiPluginError } from './cordova/flow';

/**
 * The SDK. In a React Native app it talks to the native module `OneginiSdk`
 * (resolved on first use); elsewhere give it a transport with `setTransport`
 * (the `/node` entry's `useNodeTransport` does that).
 */
const OneginiSdk: OneginiSdkInstance = createOneginiSdk(() => createReactNativeTransport());

export default OneginiSdk;
