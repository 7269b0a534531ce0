import { API_LEVEL, DEFAULT_PORT, EVENT_NOTIFICATION, MIN_API_LEVEL } from '../daemon/protocol/api-level.js';
import type { WireEvent, WireEventType } from '../daemon/protocol/events.js';
import type { MethodName, ParamsOf, ResultOf } from '../daemon/protocol/methods.js';
import type { CardReadApplicationsResult, CardReadResult, HelloResult } from '../daemon/protocol/wire-results.js';
import { SscardClientError } from './sscard-client-error.js';

/**
 * The client SDK for browsers and Node: typed from the protocol declaration (method names, params,
 * results, events, error codes), promise-based. Imports only src/daemon/protocol/ (runtime: the
 * import-free api-level.ts and error-codes.ts; the rest is types).
 *
 *   const client = await SscardClient.connect();            // browser: global WebSocket
 *   const { data } = await client.readCard();
 *   client.on('card-inserted', (e) => ...); await client.subscribe();
 *
 * In Node 20 pass a socket factory (package `ws`), with the token for programs without an Origin:
 *   SscardClient.connect({ socket: (url) => new WebSocket(url, { headers: { Authorization: `Bearer ${token}` } }) })
 */

/** What the client needs of a WebSocket (the browser's and `ws`'s both fit). */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
}

export interface SscardClientOptions {
  /** Default `ws://127.0.0.1:47815/`. */
  url?: string;
  /** Creates the socket (Node: `ws` with the token header); default: the global WebSocket. */
  socket?: (url: string) => WebSocketLike;
  /** Sent in hello, shown in the daemon's logs. */
  clientName?: string;
  /** Per-request time limit on the client side (ms); default 60 s. */
  requestTimeoutMs?: number;
}

type ParamsArg<M extends MethodName> = Record<string, never> extends ParamsOf<M> ? [params?: ParamsOf<M>] : [params: ParamsOf<M>];
type EventOf<T extends WireEventType> = Extract<WireEvent, { type: T }>;

interface Pending {
  resolve(value: unknown): void;
  reject(error: SscardClientError): void;
  timer: ReturnType<typeof setTimeout>;
}

export class SscardClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Map<string, Set<(e: WireEvent) => void>>();
  private closeListeners = new Set<(code: number) => void>();
  private helloResult: HelloResult | undefined;

  private constructor(
    private readonly ws: WebSocketLike,
    private readonly requestTimeoutMs: number,
  ) {
    ws.onmessage = (ev) => this.onMessage(ev.data);
    ws.onclose = (ev) => {
      for (const [, p] of this.pending) {
        clearTimeout(p.timer);
        p.reject(new SscardClientError('CONNECTION_CLOSED', `connection closed (${ev.code})`));
      }
      this.pending.clear();
      for (const l of this.closeListeners) l(ev.code);
    };
  }

  /** Opens the connection and negotiates the API level (hello). */
  static async connect(options: SscardClientOptions = {}): Promise<SscardClient> {
    const url = options.url ?? `ws://127.0.0.1:${DEFAULT_PORT}/`;
    const make =
      options.socket ??
      ((u: string) => {
        const Ctor = (globalThis as { WebSocket?: new (u: string) => WebSocketLike }).WebSocket;
        if (!Ctor) throw new SscardClientError('CONNECTION_FAILED', 'no WebSocket in this environment: pass options.socket');
        return new Ctor(u);
      });
    const ws = make(url);
    await new Promise<void>((resolve, reject) => {
      ws.onopen = () => resolve();
      ws.onerror = () => reject(new SscardClientError('CONNECTION_FAILED', `cannot connect to ${url} (refused, or origin / token not allowed)`));
      ws.onclose = (ev) => reject(new SscardClientError('CONNECTION_FAILED', `connection to ${url} closed (${ev.code})`));
    });
    ws.onerror = null;
    const client = new SscardClient(ws, options.requestTimeoutMs ?? 60_000);
    client.helloResult = await client.request('hello', {
      minApiLevel: MIN_API_LEVEL,
      maxApiLevel: API_LEVEL,
      ...(options.clientName !== undefined ? { client: options.clientName } : {}),
    });
    return client;
  }

  /** The daemon's hello answer: API level, role, whether SIMULATED readers are on, methods allowed. */
  get hello(): HelloResult {
    if (!this.helloResult) throw new SscardClientError('PROTOCOL_ERROR', 'hello not done');
    return this.helloResult;
  }

  /** Calls a method; rejects with SscardClientError{code}. */
  request<M extends MethodName>(method: M, ...args: ParamsArg<M>): Promise<ResultOf<M>> {
    const id = this.nextId++;
    const params = args[0] ?? {};
    return new Promise<ResultOf<M>>((resolve, reject) => {
      if (this.ws.readyState !== 1) {
        reject(new SscardClientError('CONNECTION_CLOSED', 'connection is not open'));
        return;
      }
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new SscardClientError('REQUEST_TIMEOUT', `${method}: no answer within ${this.requestTimeoutMs} ms`));
      }, this.requestTimeoutMs);
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
      this.ws.send(JSON.stringify({ jsonrpc: '2.0', id, method, params }));
    });
  }

  /** `card.read` of the social application alone (the result shape without `applications`). */
  readCard(params: Omit<ParamsOf<'card.read'>, 'applications' | 'gpo' | 'revealPan'> = {}): Promise<CardReadResult> {
    return this.request('card.read', params) as Promise<CardReadResult>;
  }

  /**
   * `card.read { applications }`: the social and / or financial (PBOC) application in one card
   * operation; the PAN is masked unless a counter-role connection passes `revealPan`.
   */
  readApplications(params: ParamsOf<'card.read'> & { applications: ('social' | 'financial')[] }): Promise<CardReadApplicationsResult> {
    return this.request('card.read', params) as Promise<CardReadApplicationsResult>;
  }

  /** Starts event notifications. */
  async subscribe(): Promise<void> {
    await this.request('events.subscribe', {});
  }

  /** Listens to one event type, or `*` for all; returns the unsubscribe function. */
  on<T extends WireEventType>(type: T, listener: (e: EventOf<T>) => void): () => void;
  on(type: '*', listener: (e: WireEvent) => void): () => void;
  on(type: string, listener: (e: never) => void): () => void {
    const set = this.listeners.get(type) ?? new Set();
    this.listeners.set(type, set);
    const l = listener as (e: WireEvent) => void;
    set.add(l);
    return () => set.delete(l);
  }

  onClose(listener: (code: number) => void): () => void {
    this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  close(): void {
    this.ws.close(1000, 'bye');
  }

  private onMessage(data: unknown): void {
    let msg: { id?: unknown; result?: unknown; error?: unknown; method?: unknown; params?: unknown };
    try {
      msg = JSON.parse(typeof data === 'string' ? data : String(data)) as typeof msg;
    } catch {
      return;
    }
    if (msg.method === EVENT_NOTIFICATION && msg.id === undefined) {
      const e = msg.params as WireEvent;
      for (const key of [e.type, '*']) for (const l of this.listeners.get(key) ?? []) l(e);
      return;
    }
    if (typeof msg.id !== 'number') return; // errors for unparseable messages (id null): nothing pending matches
    const p = this.pending.get(msg.id);
    if (!p) return;
    this.pending.delete(msg.id);
    clearTimeout(p.timer);
    if ('error' in msg) p.reject(SscardClientError.fromRpc(msg.error));
    else p.resolve(msg.result);
  }
}
