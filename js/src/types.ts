/**
 * The data types of the API (`import { Types } from '@openmobileauth/react-native-sdk'`).
 */

export type {
  MobileAuthenticationRequest,
  RegistrationURLEvent,
  PinCreateEvent,
  PinAuthenticationEvent,
  MobileAuthOtpEvent,
  SdkEvent,
} from './events';

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
  /** Identity-provider specific extras (Onegini); this core sends none. */
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

/** The kind of resource request; this SDK supports user (access token) requests. */
export type ResourceRequestType = 'User';

/** Details of a resource request (the Onegini shape; the body is text). */
export interface ResourcesDetails {
  /** The HTTP method. */
  method: HttpMethod;
  /** The path on the configured server, e.g. "/resources/user-id". */
  path: string;
  /** Extra request headers. */
  headers?: Record<string, string>;
  /** The request body (text). */
  body?: string;
}

/** What `resourceRequest` resolves to: `{status, headers, body}` whatever the status. */
export type ResourceResponse = CoreResourceResponse;
