/**
 * Runtime validators over the generated contract (`generated/contract.ts`,
 * written by cmd/contractgen from core/api): the params of a call are checked
 * before they cross the bridge (8009 naming the argument, never its value: it
 * may be a PIN or an OTP), the result of a call and the payload of an event are
 * checked against what the core declares it sends.
 */
import { badParameter, OneginiError } from './errors';
import { Defs, EventSchemas, JsonSchema, MethodName, MethodSchemas } from './generated/contract';

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : typeof v;
}

function resolve(s: JsonSchema): JsonSchema {
  if (s.$ref === undefined) return s;
  const d = Defs[s.$ref.replace('#/$defs/', '')];
  if (!d) throw new OneginiError(8000, `contract: unknown schema ${s.$ref}`);
  return d;
}

function typesOf(s: JsonSchema): string[] {
  return s.type === undefined ? [] : typeof s.type === 'string' ? [s.type] : s.type;
}

/** What a value of schema s must be, in words. */
function want(s: JsonSchema): string {
  const r = resolve(s);
  if (r.const !== undefined) return `"${r.const}"`;
  const parts = typesOf(r).map((t) => {
    switch (t) {
      case 'string':
        if (r.enum) return `one of ${r.enum.map((e) => `"${e}"`).join(', ')}`;
        return r.minLength ? 'a non-empty string' : 'a string';
      case 'integer':
        return 'an integer';
      case 'boolean':
        return 'a boolean';
      case 'array':
        return r.items && typesOf(resolve(r.items))[0] === 'string' ? 'an array of strings' : 'an array';
      case 'object':
        return r.additionalProperties && typeof r.additionalProperties === 'object' ? 'an object of strings' : 'an object';
      default:
        return t;
    }
  });
  return parts.join(' or ');
}

function hasType(t: string, v: unknown): boolean {
  switch (t) {
    case 'null':
      return v === null;
    case 'string':
      return typeof v === 'string';
    case 'boolean':
      return typeof v === 'boolean';
    case 'integer':
      return typeof v === 'number' && Number.isInteger(v);
    case 'number':
      return typeof v === 'number' && Number.isFinite(v);
    case 'array':
      return Array.isArray(v);
    case 'object':
      return v !== null && typeof v === 'object' && !Array.isArray(v);
  }
  return false;
}

/**
 * Checks v against schema s. Returns null when it conforms, else the problem
 * as `"path" must be ...` (naming the path, never echoing the value).
 */
export function check(s: JsonSchema, v: unknown, path: string): string | null {
  const r = resolve(s);
  const types = typesOf(r);
  if (r.const !== undefined) {
    return v === r.const ? null : `"${path}" must be "${r.const}", got ${describe(v)}`;
  }
  const t = types.find((x) => hasType(x, v));
  if (types.length > 0 && t === undefined) return `"${path}" must be ${want(r)}, got ${describe(v)}`;
  if (t === 'string') {
    const str = v as string;
    if (r.minLength && str.length < r.minLength) return `"${path}" must not be empty`;
    if (r.enum && !r.enum.includes(str)) return `"${path}" must be ${want(r)}`;
  }
  if (t === 'array' && r.items) {
    const a = v as unknown[];
    for (let i = 0; i < a.length; i++) {
      const p = check(r.items, a[i], `${path}[${i}]`);
      if (p) return p;
    }
  }
  if (t === 'object') {
    const o = v as Record<string, unknown>;
    const props = r.properties ?? {};
    for (const [k, val] of Object.entries(o)) {
      const ps = props[k];
      const sub = `${path}.${k}`;
      if (ps) {
        if (val === undefined && !(r.required ?? []).includes(k)) continue; // JSON drops undefined members
        const p = check(ps, val, sub);
        if (p) return p;
      } else if (r.additionalProperties && typeof r.additionalProperties === 'object') {
        const p = check(r.additionalProperties, val, sub);
        if (p) return p;
      } else if (r.additionalProperties === false) {
        return `"${sub}" is not ${r.properties ? 'a known field' : 'allowed'}`;
      }
    }
    for (const k of r.required ?? []) {
      if (o[k] === undefined) return `"${path}.${k}" is missing; it must be ${want(props[k] ?? {})}`;
    }
  }
  return null;
}

function strip(p: string): string {
  // Top-level params are named by themselves: "pin", not ".pin".
  return p.replace(/^"\./, '"');
}

/**
 * Checks the params of a call; throws 8009 `method: argument "name" ...`.
 * `root` names the positional argument the params came from ("config",
 * "details"), or is empty when each param is its own argument.
 */
export function validateParams<M extends MethodName>(method: M, params: Record<string, unknown>, root = ''): void {
  const p = check(MethodSchemas[method].params, params, root);
  if (p) throw badParameter(`${method}: argument ${strip(p)}`);
}

/** Checks a result from the core against the declared result; null when it conforms, else the problem. */
export function checkResult(method: MethodName, result: unknown): string | null {
  const s = MethodSchemas[method];
  if (!s) return `unknown method ${String(method)}`;
  return check(s.result, result, 'result');
}

/** Checks a result from the core; throws 10000 when its shape is not the declared one. */
export function validateResult<M extends MethodName>(method: M, result: unknown): void {
  const p = checkResult(method, result);
  if (p) throw new OneginiError(10000, `${method}: unexpected result from the SDK core (${p})`);
}

/**
 * Checks event params `{type, ...payload}` from the core against the payload
 * schema of its type and action. Returns null when it conforms, else the problem.
 */
export function checkEvent(params: Record<string, unknown>): string | null {
  const type = params.type;
  if (typeof type !== 'string') return 'the event has no type';
  const byAction = EventSchemas[type];
  if (!byAction) return `unknown event type ${type}`;
  const action = typeof params.action === 'string' ? params.action : '';
  const name = byAction[action];
  if (name === undefined) return `${type}: unknown action "${action}"`;
  const { type: _t, ...payload } = params;
  void _t;
  return check({ $ref: `#/$defs/${name}` }, payload, name);
}
