/**
 * Argument checks run in JavaScript before a call crosses the bridge. A wrong
 * type or a missing argument throws an 8009 OneginiError whose message names the
 * argument (never its value: it may be a PIN or an OTP).
 */
import { badParameter } from './errors';

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : typeof v;
}

/** A non-empty string. */
export function requireString(method: string, name: string, v: unknown): string {
  if (typeof v !== 'string') {
    throw badParameter(`${method}: argument "${name}" must be a non-empty string, got ${describe(v)}`);
  }
  if (v.length === 0) throw badParameter(`${method}: argument "${name}" must not be empty`);
  return v;
}

/** A non-empty string or null; undefined counts as null when allowUndefined. */
export function stringOrNull(method: string, name: string, v: unknown, allowUndefined: boolean): string | null {
  if (v === null || (allowUndefined && v === undefined)) return null;
  if (typeof v !== 'string' || v.length === 0) {
    throw badParameter(`${method}: argument "${name}" must be a non-empty string or null, got ${describe(v)}`);
  }
  return v;
}

/** An optional string (undefined is returned as undefined). */
export function optionalString(method: string, name: string, v: unknown): string | undefined {
  if (v === undefined) return undefined;
  return requireString(method, name, v);
}

/** An optional array of non-empty strings. */
export function optionalStringArray(method: string, name: string, v: unknown): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) throw badParameter(`${method}: argument "${name}" must be an array of strings, got ${describe(v)}`);
  v.forEach((s, i) => {
    if (typeof s !== 'string' || s.length === 0) {
      throw badParameter(`${method}: argument "${name}[${i}]" must be a non-empty string, got ${describe(s)}`);
    }
  });
  return v as string[];
}

/** An optional boolean. */
export function optionalBoolean(method: string, name: string, v: unknown): boolean | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'boolean') throw badParameter(`${method}: argument "${name}" must be a boolean, got ${describe(v)}`);
  return v;
}

/** A plain object (not null, not an array). */
export function requireObject(method: string, name: string, v: unknown): Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) {
    throw badParameter(`${method}: argument "${name}" must be an object, got ${describe(v)}`);
  }
  return v as Record<string, unknown>;
}

/** One of the given string values. */
export function requireOneOf<T extends string>(method: string, name: string, v: unknown, allowed: readonly T[]): T {
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    throw badParameter(`${method}: argument "${name}" must be one of ${allowed.map((a) => `"${a}"`).join(', ')}`);
  }
  return v as T;
}

/** Optional string-to-string map. */
export function optionalStringMap(method: string, name: string, v: unknown): Record<string, string> | undefined {
  if (v === undefined || v === null) return undefined;
  const o = requireObject(method, name, v);
  for (const [k, val] of Object.entries(o)) {
    if (typeof val !== 'string') throw badParameter(`${method}: argument "${name}.${k}" must be a string, got ${describe(val)}`);
  }
  return o as Record<string, string>;
}
