/**
 * A scripted stand-in for the Go core, used by the unit tests of the React
 * Native and Cordova transports: it answers JSON-RPC request envelopes with the
 * results or errors a test scripts, records every request, and emits events.
 */

export interface RecordedRequest {
  jsonrpc: string;
  id: number;
  method: string;
  params: Record<string, unknown>;
}

export type Answer =
  | { result: unknown }
  | { error: { code: number; message: string; data?: Record<string, unknown> } }
  | Promise<{ result: unknown } | { error: { code: number; message: string; data?: Record<string, unknown> } }>;

export type Script = (req: RecordedRequest) => Answer;

export class FakeCore {
  readonly requests: RecordedRequest[] = [];
  private readonly scripts = new Map<string, Script>();
  private eventSinks: Array<(paramsJson: string) => void> = [];

  /** Scripts the answer of one method. */
  on(method: string, script: Script): this {
    this.scripts.set(method, script);
    return this;
  }

  /** Answers one envelope (the JSON text a native module receives). */
  async handle(requestJson: string): Promise<{ result: unknown } | { error: { code: number; message: string; data?: Record<string, unknown> } }> {
    const req = JSON.parse(requestJson) as RecordedRequest;
    this.requests.push(req);
    const s = this.scripts.get(req.method);
    if (!s) return { error: { code: 8011, message: `unknown method ${req.method}`, data: { domain: 'sdk' } } };
    return await s(req);
  }

  /** Methods called so far, in order. */
  methods(): string[] {
    return this.requests.map((r) => r.method);
  }

  /** Adds a receiver of event params JSON text (what the native layer forwards). */
  onEvent(sink: (paramsJson: string) => void): void {
    this.eventSinks.push(sink);
  }

  /** Emits an event: params are `{type, ...payload}`. */
  emit(type: string, payload: Record<string, unknown>): void {
    const json = JSON.stringify({ type, ...payload });
    for (const s of this.eventSinks) s(json);
  }
}

/** Resolves after pending promise callbacks and timers of 0 ms have run. */
export function tick(ms = 0): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Waits until cond() is true (polling), failing after timeoutMs. */
export async function until(cond: () => boolean, what: string, timeoutMs = 2000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await tick(1);
  }
}
