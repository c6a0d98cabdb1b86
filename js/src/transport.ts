import { OneginiError } from './errors';

/**
 * The one small interface every transport implements (React Native, Cordova,
 * Node). A transport carries JSON-RPC 2.0 envelopes to the Go core and brings
 * results, errors and events back; it knows nothing about methods or payloads.
 */

/** Event params as the core sends them: `{type, ...payload}`. */
export interface EventParams {
  type: string;
  [key: string]: unknown;
}

/** Receives every event the core emits. */
export type EventSink = (event: EventParams) => void;

/** A way to reach the Go core. */
export interface Transport {
  /**
   * Calls `method` with `params`. Resolves with the response's `result` value;
   * rejects with an OneginiError built from the response's `error`.
   */
  invoke(method: string, params: Record<string, unknown>): Promise<unknown>;
  /** Registers the sink for events; returns a function that unregisters it. */
  subscribe(sink: EventSink): () => void;
}

let nextId = 1;

/** Builds the JSON text of a request envelope with a fresh id. */
export function encodeRequest(method: string, params: Record<string, unknown>): { id: number; json: string } {
  const id = nextId++;
  if (nextId > Number.MAX_SAFE_INTEGER) nextId = 1;
  let json: string;
  try {
    json = JSON.stringify({ jsonrpc: '2.0', id, method, params });
  } catch {
    // Circular structures, BigInt values: say which call, never echo the values.
    throw new OneginiError(8009, `${method}: the arguments cannot be encoded as JSON`);
  }
  return { id, json };
}

/**
 * Parses event params from what a native layer delivers: the JSON text of the
 * event envelope's params, or an already parsed object. Returns null when it is
 * not an object with a string `type`.
 */
export function parseEventParams(raw: unknown): EventParams | null {
  let v: unknown = raw;
  if (typeof raw === 'string') {
    try {
      v = JSON.parse(raw);
    } catch {
      return null;
    }
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return null;
  const o = v as Record<string, unknown>;
  // A whole envelope {jsonrpc, method:"event", params} is accepted too.
  if (o.method === 'event' && o.params !== null && typeof o.params === 'object') {
    return parseEventParams(o.params);
  }
  if (typeof o.type !== 'string') return null;
  return o as EventParams;
}

/**
 * Parses the JSON text of a result (an empty or absent text means null). Text
 * that is not JSON is an 8000 error whose message does not echo the text (it
 * could hold a token).
 */
export function parseResultText(method: string, text: unknown): unknown {
  if (text === undefined || text === null || text === '') return null;
  if (typeof text !== 'string') return text;
  try {
    return JSON.parse(text);
  } catch {
    throw new OneginiError(8000, `${method}: the native module answered with invalid JSON`);
  }
}
