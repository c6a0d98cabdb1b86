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

/** A user profile registered on this device. */
export interface Profile {
  /** The profile id (stable for the life of the registration). */
  id: string;
}

/** What `registerUser` and `authenticateUser` resolve to. */
export interface AuthData {
  /** The profile that was registered or authenticated. */
  userProfile: Profile;
  /** Identity-provider specific extras, when the server sends any. */
  customInfo?: { status: number; data: string };
}

/**
 * The client configuration given to `startClient`. On a device the native
 * configuration supplies defaults; every field here overrides it.
 */
export interface Config {
  /** The Token Server's base URL, e.g. "https://tokens.example.com". HTTPS is required except on loopback or with allowInsecureHttp. */
  serverUrl?: string;
  /** The application identifier registered on the server. */
  appId?: string;
  /** The application version registered on the server. */
  appVersion?: string;
  /** The redirect URI that ends browser registration (the app's custom scheme). */
  redirectUri?: string;
  /** Accept plain HTTP to a non-loopback host (development only). */
  allowInsecureHttp?: boolean;
  /** Pin the server certificate: base64 of the SHA-256 of its SubjectPublicKeyInfo. */
  pinnedCertSha256?: string;
}

/** HTTP methods accepted by `resourceRequest`. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH' | 'HEAD';

/** The kind of resource request; this SDK supports user (access token) requests. */
export type ResourceRequestType = 'User';

/** Details of a resource request. */
export interface ResourcesDetails {
  /** The HTTP method. */
  method: HttpMethod;
  /** The path, relative to the server's resource base URL, e.g. "/resources/user-id". */
  path: string;
  /** Extra request headers. */
  headers?: Record<string, string>;
  /** The request body (text). */
  body?: string;
}

/** What `resourceRequest` resolves to. */
export interface ResourceResponse {
  /** The HTTP status. */
  status: number;
  /** The response headers. */
  headers: Record<string, string>;
  /** The response body (text). */
  body: string;
}
