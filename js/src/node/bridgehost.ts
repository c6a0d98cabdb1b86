/**
 * The Node transport: runs the real Go SDK core as a `cmd/bridgehost` child
 * process and speaks JSON lines with it (one request per line on its stdin;
 * responses and events, interleaved, one per line on its stdout).
 */
import { execFile, spawn, ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { OneginiError, toOneginiError } from '../errors';
import { encodeRequest, EventSink, parseEventParams, Transport } from '../transport';

/** Options of {@link startBridgeHost}. */
export interface BridgeHostOptions {
  /** Path to a prebuilt bridgehost binary. Without it, `repoRoot` is built with `go build`. */
  binary?: string;
  /** The Go module root to build `./cmd/bridgehost` from (when `binary` is not given). */
  repoRoot?: string;
  /** Storage directory of the core (`-data`); default: a new temporary directory. Pass "" for memory only. */
  dataDir?: string;
  /** The core's log level (`-log-level`): debug, info, warn, error, disabled. Default "warn". */
  logLevel?: string;
  /** Where the child's stderr (its logs) goes. Default "inherit". */
  stderr?: 'inherit' | 'ignore' | 'pipe';
}

/**
 * Builds `./cmd/bridgehost` from a Go module root with `go build`.
 * @returns the path of the built binary.
 */
export function buildBridgeHost(repoRoot: string, outPath?: string): Promise<string> {
  const out = outPath ?? join(mkdtempSync(join(tmpdir(), 'oma-bridgehost-')), 'bridgehost');
  return new Promise((resolve, reject) => {
    execFile('go', ['build', '-o', out, './cmd/bridgehost'], { cwd: repoRoot }, (err, _stdout, stderr) => {
      if (err) reject(new Error(`go build ./cmd/bridgehost failed: ${stderr || err.message}`));
      else resolve(out);
    });
  });
}

interface Pending {
  method: string;
  resolve(v: unknown): void;
  reject(e: unknown): void;
}

/** A running bridgehost behind the {@link Transport} interface. */
export class NodeTransport implements Transport {
  /** The storage directory the core uses ("" when in memory). */
  readonly dataDir: string;
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly pending = new Map<number, Pending>();
  private readonly sinks = new Set<EventSink>();
  private exited = false;
  private readonly exitPromise: Promise<number | null>;

  /** @internal use {@link startBridgeHost}. */
  constructor(child: ChildProcessWithoutNullStreams, dataDir: string) {
    this.child = child;
    this.dataDir = dataDir;
    this.exitPromise = new Promise((resolve) => {
      child.on('exit', (code) => {
        this.exited = true;
        this.failAll(new OneginiError(8000, `the bridge host exited (code ${code})`));
        resolve(code);
      });
      child.on('error', (err) => {
        this.exited = true;
        this.failAll(new OneginiError(8000, `the bridge host failed: ${err.message}`));
        resolve(null);
      });
    });
    // A write to a process that died fails here; the exit handler reports it.
    child.stdin.on('error', () => undefined);
    const rl = createInterface({ input: child.stdout, crlfDelay: Infinity });
    rl.on('line', (line) => this.onLine(line));
  }

  /** The child's process id. */
  get pid(): number | undefined {
    return this.child.pid;
  }

  invoke(method: string, params: Record<string, unknown>): Promise<unknown> {
    if (this.exited) return Promise.reject(new OneginiError(8020, 'the bridge host is not running'));
    const { id, json } = encodeRequest(method, params);
    return new Promise((resolve, reject) => {
      this.pending.set(id, { method, resolve, reject });
      this.child.stdin.write(json + '\n', (err) => {
        if (err && this.pending.delete(id)) reject(new OneginiError(8000, `writing to the bridge host failed: ${err.message}`));
      });
    });
  }

  subscribe(sink: EventSink): () => void {
    this.sinks.add(sink);
    return () => {
      this.sinks.delete(sink);
    };
  }

  /**
   * Ends the child's input: the core closes (running flows are answered) and the
   * process exits. Resolves with its exit code; kills it after `timeoutMs`.
   */
  async close(timeoutMs = 5000): Promise<number | null> {
    if (!this.exited) {
      this.child.stdin.end();
      const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
      try {
        return await this.exitPromise;
      } finally {
        clearTimeout(timer);
      }
    }
    return this.exitPromise;
  }

  private onLine(line: string): void {
    if (line.length === 0) return;
    let msg: Record<string, unknown>;
    try {
      msg = JSON.parse(line) as Record<string, unknown>;
    } catch {
      return; // not an envelope (should not happen: logs go to stderr)
    }
    if (msg.method === 'event') {
      const params = parseEventParams(msg.params);
      if (params !== null) for (const s of [...this.sinks]) s(params);
      return;
    }
    const id = typeof msg.id === 'number' ? msg.id : Number(msg.id);
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    if (msg.error !== undefined && msg.error !== null) p.reject(toOneginiError(msg.error));
    else p.resolve(msg.result ?? null);
  }

  private failAll(err: OneginiError): void {
    for (const [id, p] of this.pending) {
      this.pending.delete(id);
      p.reject(err);
    }
  }
}

/**
 * Starts the real Go core as a child process.
 * @example
 * const transport = await startBridgeHost({ repoRoot: '/path/to/repo' });
 * const sdk = createOneginiSdk(transport);
 * // ...
 * await transport.close();
 */
export async function startBridgeHost(options: BridgeHostOptions = {}): Promise<NodeTransport> {
  let binary = options.binary;
  if (!binary) {
    if (!options.repoRoot) throw new OneginiError(8009, 'startBridgeHost: pass "binary" or "repoRoot"');
    binary = await buildBridgeHost(options.repoRoot);
  }
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'oma-sdk-data-'));
  const args = ['-log-level', options.logLevel ?? 'warn'];
  if (dataDir !== '') args.push('-data', dataDir);
  const child = spawn(binary, args, { stdio: ['pipe', 'pipe', options.stderr ?? 'inherit'] }) as ChildProcessWithoutNullStreams;
  const t = new NodeTransport(child, dataDir);
  // Fail fast when the binary cannot start: a ping must answer.
  await t.invoke('ping', {});
  return t;
}
