import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { WebSocket } from 'ws';
import { parseDaemonConfig } from '../../src/daemon/daemon-config.js';
import { createDaemonLogger } from '../../src/daemon/daemon-logger.js';
import { startDaemon, type RunningDaemon, type StartDaemonOptions } from '../../src/daemon/start-daemon.js';
import type { WireEvent } from '../../src/daemon/protocol/events.js';
import { API_LEVEL } from '../../src/daemon/protocol/api-level.js';

/** Collects the daemon's JSON log lines in memory (to assert what is, and is not, logged). */
export class LogSink extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _enc: string, done: () => void): void {
    this.lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    done();
  }
  get text(): string {
    return this.lines.join('\n');
  }
}

export interface TestDaemon extends RunningDaemon {
  readonly dataDir: string;
  readonly logs: LogSink;
  readonly readerToken: string;
  readonly counterToken: string;
}

/** The daemon in this process on a free port, data dir in a fresh temp dir, logs captured. */
export async function startTestDaemon(
  config: Record<string, unknown> = {},
  options: Omit<StartDaemonOptions, 'config' | 'dataDir' | 'log'> & { dataDir?: string } = {},
): Promise<TestDaemon> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'sscard-daemon-'));
  const logs = new LogSink();
  const d = await startDaemon({
    config: parseDaemonConfig({ port: 0, logLevel: 'info', ...config }),
    dataDir,
    log: createDaemonLogger('info', logs),
    env: { ...process.env, SSCARD_DATA_DIR: dataDir, SSCARD_CONFIG: '', SSCARD_SITE: '110100-test-counter', SSCARD_OPERATOR: 'test.operator' },
    ...options,
  });
  return Object.assign(d, {
    dataDir,
    logs,
    readerToken: readFileSync(d.tokens.readerFile, 'utf8').trim(),
    counterToken: readFileSync(d.tokens.counterFile, 'utf8').trim(),
  }) as TestDaemon;
}

export interface RpcReply {
  id: number | string | null;
  result?: any;
  error?: { code: number; message: string; data: { code: string; [k: string]: unknown } };
}

/** A raw JSON-RPC connection over `ws` (no SDK): exact control of headers and bytes. */
export class RpcSocket {
  readonly events: WireEvent[] = [];
  readonly replies: RpcReply[] = [];
  private nextId = 1;
  private readonly waiting = new Map<number | string, (r: RpcReply) => void>();
  private closedWith: number | undefined;
  readonly closed: Promise<number>;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (d) => {
      const msg = JSON.parse(String(d)) as RpcReply & { method?: string; params?: WireEvent };
      if (msg.method === 'event') {
        this.events.push(msg.params!);
        return;
      }
      this.replies.push(msg);
      const w = msg.id !== null ? this.waiting.get(msg.id) : undefined;
      if (w) {
        this.waiting.delete(msg.id!);
        w(msg);
      }
    });
    this.closed = new Promise((resolve) =>
      ws.on('close', (code) => {
        this.closedWith = code;
        resolve(code);
      }),
    );
  }

  static open(port: number, o: { origin?: string; token?: string; host?: string; address?: string } = {}): Promise<RpcSocket> {
    const headers: Record<string, string> = {};
    if (o.token) headers.Authorization = `Bearer ${o.token}`;
    if (o.host) headers.Host = o.host;
    const ws = new WebSocket(`ws://${o.address ?? '127.0.0.1'}:${port}/`, { headers, ...(o.origin ? { origin: o.origin } : {}), perMessageDeflate: false });
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(new RpcSocket(ws)));
      ws.once('unexpected-response', (_req, res) => reject(Object.assign(new Error(`HTTP ${res.statusCode}`), { status: res.statusCode })));
      ws.once('error', reject);
    });
  }

  /** Opens and says hello. */
  static async ready(port: number, o: Parameters<typeof RpcSocket.open>[1] = {}): Promise<RpcSocket> {
    const s = await RpcSocket.open(port, o);
    const r = await s.call('hello', { minApiLevel: 1, maxApiLevel: API_LEVEL, client: 'test' });
    if (r.error) throw new Error(`hello failed: ${r.error.data.code}`);
    return s;
  }

  call(method: string, params: unknown = {}, timeoutMs = 30_000): Promise<RpcReply> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no reply to ${method} within ${timeoutMs} ms`)), timeoutMs);
      this.waiting.set(id, (r) => {
        clearTimeout(t);
        resolve(r);
      });
      this.ws.send(JSON.stringify({ jsonrpc: '2.0', id, method, params }));
    });
  }

  /** Calls and returns the result, throwing with the wire code on error. */
  async ok(method: string, params: unknown = {}): Promise<any> {
    const r = await this.call(method, params);
    if (r.error) throw Object.assign(new Error(`${method}: ${r.error.data.code}`), { code: r.error.data.code });
    return r.result;
  }

  /** Calls and returns the wire error code (fails when the call succeeds). */
  async code(method: string, params: unknown = {}): Promise<string> {
    const r = await this.call(method, params);
    if (!r.error) throw new Error(`${method} succeeded, an error was expected`);
    return r.error.data.code;
  }

  sendRaw(data: string | Buffer): void {
    this.ws.send(data);
  }

  get isOpen(): boolean {
    return this.ws.readyState === WebSocket.OPEN && this.closedWith === undefined;
  }

  close(): void {
    this.ws.close();
  }
}

/** Tries a WebSocket upgrade and reports the HTTP status of a refusal (or 101 when accepted). */
export async function upgradeStatus(port: number, o: Parameters<typeof RpcSocket.open>[1] = {}): Promise<number> {
  try {
    const s = await RpcSocket.open(port, o);
    s.close();
    return 101;
  } catch (e) {
    const status = (e as { status?: number }).status;
    if (status === undefined) throw e;
    return status;
  }
}

/** `sscard daemon` as a child process with its own data dir (`prepare` fills it first) and config file; port from its output. */
export async function spawnDaemon(config: Record<string, unknown>, args: string[] = [], prepare?: (dataDir: string) => void): Promise<DaemonChild> {
  const { CliProcess } = await import('./cli-process.js');
  const { writeFileSync } = await import('node:fs');
  const dataDir = mkdtempSync(join(tmpdir(), 'sscard-daemon-child-'));
  prepare?.(dataDir); // e.g. an installation key, which the daemon loads at start
  const configFile = join(dataDir, 'daemon.json');
  writeFileSync(configFile, JSON.stringify({ port: 0, logLevel: 'info', ...config }));
  const proc = new CliProcess(['daemon', '--config', configFile, ...args], {
    SSCARD_DATA_DIR: dataDir,
    SSCARD_SITE: '110100-test-counter',
    SSCARD_OPERATOR: 'test.operator',
  });
  const line = await proc.waitForLine(/^sscard daemon listening on ws:\/\/127\.0\.0\.1:(\d+)\//, 20_000);
  const port = Number(/127\.0\.0\.1:(\d+)/.exec(line)![1]);
  return {
    proc,
    port,
    dataDir,
    readerToken: readFileSync(join(dataDir, 'daemon-token'), 'utf8').trim(),
    counterToken: readFileSync(join(dataDir, 'daemon-counter-token'), 'utf8').trim(),
  };
}

export interface DaemonChild {
  readonly proc: import('./cli-process.js').CliProcess;
  readonly port: number;
  readonly dataDir: string;
  readonly readerToken: string;
  readonly counterToken: string;
}
