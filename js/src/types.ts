/**
 * The data types of the API (`import { Types } from '@openmobileauth/react-native-sdk'`).
 */

export type {
  MobileAuthenticationRequest,
  RegistrationURLEvent,
  PinCreateEvent,
  PinAuthenticationEvent,
  MobileAuthOtpEvent,
  CustomRegistrationEvent,
  SdkEvent,
} from './events';
export type { IdentityProvider, CustomInfo, SingleSignOnData } from './generated/contract';

import type {
  AuthData as CoreAuthData,
  ResourceRequestParams,
  ResourceResponse as CoreResourceResponse,
  StartClientParams,
  UserProfile,
} from './generated/contract';

/** A user profile registered on this device: `{id}` (generated from core/api). */
export type Profile = UserProfile;

/** What `registerUser` and `authenticateUser` resolve to (the core's AuthData). */
export interface AuthData extends CoreAuthData {
  /** After a custom registration: the identity provider backend's answer (Onegini CustomInfo). */
  customInfo?: { status: number; data: string };
}

/**
 * The client configuration given to `startClient` (the core's startClient
 * params, generated from core/api). On a device the native configuration
 * supplies defaults; every field here overrides it.
 */
export type Config = StartClientParams;

/** HTTP methods accepted by `resourceRequest`. */
export type HttpMethod = NonNullable<ResourceRequestParams['method']>;

/**
 * The kind of resource request (the official runtime enum): whose token is
 * attached — the authenticated user's (`User`), the implicitly authenticated
 * user's (`ImplicitUser`) or the device's (`Anonymous`).
 */
export enum ResourceRequestType {
  User = 'User',
  Implicit = 'ImplicitUser',
  Anonymous = 'Anonymous',
}

/** A map of strings (headers). */
export interface StringMap {
  [key: string]: string;
}

/** The HTTP methods of a resource request (the official runtime enum). */
export enum ResourceMethod {
  GET = 'GET',
  POST = 'POST',
  DELETE = 'DELETE',
  PUT = 'PUT',
}

/** A GET resource request: `path` on the configured server, e.g. "/resources/user-id". */
export interface ResourcesDetailsGet {
  path: string;
  method: ResourceMethod.GET;
  headers?: StringMap;
}
/** A DELETE resource request (optional text body). */
export interface ResourceDetailsDelete {
  path: string;
  method: ResourceMethod.DELETE;
  headers?: StringMap;
  body?: string;
}
/** A POST resource request (text body). */
export interface ResourceDetailsPost {
  path: string;
  method: ResourceMethod.POST;
  headers?: StringMap;
  body: string;
}
/** A PUT resource request (text body). */
export interface ResourceDetailsPut {
  path: string;
  method: ResourceMethod.PUT;
  headers?: StringMap;
  body: string;
}

/** Details of a resource request (the official shape; the body is text). */
export type ResourcesDetails = ResourcesDetailsGet | ResourceDetailsPost | ResourceDetailsDelete | ResourceDetailsPut;

/**
 * What `resourceRequest` resolves to whatever the status: the core's
 * `{status, headers, body}` plus `ok` (status 200-299), as the official SDK.
 */
export interface ResourceResponse extends CoreResourceResponse {
  /** Whether the status is 2xx. */
  ok: boolean;
}

/** An authenticator of a profile (the official Types.Authenticator; generated from core/api). */
export type { Authenticator } from './generated/contract';

/** The ids of the biometric authenticator (the official runtime enum). */
export enum BiometricAuthenticatorIds {
  AndroidFingerprint = 'fingerprint',
  iOSBiometric = 'com.onegini.authenticator.TouchID',
}

/**
 * The official SDK's `userInfo` type (no method resolves it; kept so that code naming it
 * compiles). The remaining PIN attempts arrive as `remainingFailureCount` of the
 * `incorrectPin` event.
 */
export interface userInfo {
  remainingFailureCount: string;
}

/**
 * The official shape of a device entry as a server's device-list resource answers it
 * (the app parses it from a resource response's `body`; no method resolves it).
 */
export interface Device {
  id: string;
  name: string;
  application: string;
  platform: string;
  isMobileAuthenticationEnabled: boolean;
}

/** The official shape of an implicit resource's answer (the app parses it from `body`). */
export interface ImplicitUserDetails {
  decoratedUserId: string;
}

/** The official shape of an anonymous application-details resource's answer (parsed from `body`). */
export interface AppDetailsResources {
  applicationIdentifier: string;
  applicationPlatform: string;
  applicationVersion: string;
}
