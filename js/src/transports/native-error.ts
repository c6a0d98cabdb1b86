/**
 * The error shape the native modules hand to JavaScript. The Go core answers each
 * call through its own reply object (DESIGN §11); on an error the native side
 * passes the JSON text of the JSON-RPC error object
 * `{"code": 9006, "message": "...", "data": {"domain": "sdk", ...}}` through
 * unread: React Native as the rejection's `userInfo.errorJson` (the rejection's
 * code and message are the same code and message), Cordova as the failure
 * callback's string argument.
 */
import { OneginiError, toOneginiError } from '../errors';

/** Builds an OneginiError from the JSON text of a core error object, or null when it is not one. */
export function errorFromJson(text: unknown): OneginiError | null {
  if (typeof text !== 'string') return null;
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return null;
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return null;
  const e = toOneginiError(v);
  return e.numericCode === 8000 && typeof (v as { code?: unknown }).code !== 'number' ? null : e;
}

/**
 * Builds an OneginiError from a native rejection or failure: the error object's
 * JSON text when the native side passed it (as a string, or under
 * `userInfo.errorJson`), otherwise whatever {@link toOneginiError} can read.
 */
export function nativeError(raw: unknown): OneginiError {
  const direct = errorFromJson(raw);
  if (direct !== null) return direct;
  if (raw !== null && typeof raw === 'object') {
    const info = (raw as { userInfo?: unknown }).userInfo;
    if (info !== null && typeof info === 'object') {
      const e = errorFromJson((info as { errorJson?: unknown }).errorJson);
      if (e !== null) return e;
    }
  }
  return toOneginiError(raw);
}
