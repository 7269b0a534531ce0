import { setMaxListeners } from 'node:events';
import type { Logger } from 'pino';
import type { WebSocket } from 'ws';
import { API_LEVEL, EVENT_NOTIFICATION, MIN_API_LEVEL } from './protocol/api-level.js';
import type { WireEvent } from './protocol/events.js';
import { METHODS, METHOD_NAMES, isMethodName, type MethodName } from './protocol/methods.js';
import type { RpcId } from './protocol/jsonrpc.js';
import type { CallContext, Handlers, SessionMethod } from './daemon-handlers.js';
import type { DaemonConfig } from './daemon-config.js';
import { mayCall, type Admission } from './request-guard.js';
import type { PinBudget } from './pin-budget.js';
import { TokenBucket } from './rate-limiter.js';
import { WireError, toWireError } from './wire-error.js';
import type { KeyedCounter } from './connection-caps.js';
import { ConnectionKeepalive } from './connection-keepalive.js';
import { safeParamsIssues } from './params-issues.js';
import type { RefusalLog } from './refusal-log.js';

export interface ConnectionDeps {
  readonly handlers: Handlers;
  readonly limits: DaemonConfig['limits'];
  /** Shared across connections: PIN presentations per principal (origin / token role), with a per-connection share. */
  readonly pinBudget: PinBudget;
  readonly log: Logger;
  readonly serverVersion: string;
  readonly simulatedReaders: boolean;
  readonly isStopping: () => boolean;
  /** The id of a known reader named by a request (logs never carry a client's free text). */
  readonly readerIdOf: (nameOrId: string) => string | undefined;
  /** Shared across connections: requests in flight per principal (maxPendingPerOrigin). */
  readonly originPending?: KeyedCounter;
  /** Rate-limited log of refusals by a limit. */
  readonly refusals?: RefusalLog;
}

/** Messages refused by the rate limit (with no pause, below) after which the connection is closed (1008). */
const CLOSE_AFTER_LIMITED = 1000;
/** A pause this long without a refusal forgets the earlier ones. */
const REFUSAL_MEMORY_MS = 10_000;
/** Outgoing bytes buffered for a slow reader of events after which it is closed. */
const MAX_BUFFERED = 4 * 1024 * 1024;
const MAX_ID_LENGTH = 64;

/** Abort listeners one request in flight may add to its connection's signal (see the constructor). */
const LISTENERS_PER_REQUEST = 3;

/**
 * One WebSocket connection: JSON-RPC 2.0 framing, hello / API level, role checks, params
 * validation against the declaration, per-connection request rate and in-flight limits, event
 * subscription. Answers go to this socket only (personal data never reaches another connection).
 */
export class RpcConnection {
  private apiLevel: number | undefined;
  private subscribed = false;
  private pending = 0;
  private limited = 0;
  private lastRefusal = -Infinity;
  private readonly bucket: TokenBucket;
  private readonly controller = new AbortController();
  private readonly ctx: CallContext;
  private readonly keepalive: ConnectionKeepalive;

  constructor(
    readonly id: number,
    private readonly ws: WebSocket,
    readonly admission: Admission,
    private readonly deps: ConnectionDeps,
  ) {
    this.bucket = new TokenBucket(deps.limits.requestsPerSecond, deps.limits.burst);
    // Each request in flight listens on the connection's signal (the card service, the reader
    // queue, a shared run: up to 3 each), up to maxPending at once: that many listeners are the
    // design, not the leak Node's default warning at 11 guesses.
    setMaxListeners(LISTENERS_PER_REQUEST * (deps.limits.maxPending + 1), this.controller.signal);
    const chargePin = (): void => {
      const wait = deps.pinBudget.charge(admission.principal, id);
      if (wait > 0) throw new WireError('RATE_LIMITED', { retryAfterMs: wait });
    };
    const notify = (e: WireEvent): void => this.send({ jsonrpc: '2.0', method: EVENT_NOTIFICATION, params: e });
    this.ctx = { connectionId: id, role: admission.role, principal: admission.principal, signal: this.controller.signal, chargePin, notify };
    this.keepalive = new ConnectionKeepalive(ws, {
      pingIntervalMs: deps.limits.pingIntervalMs,
      idleTimeoutMs: deps.limits.idleTimeoutMs,
      busy: () => this.pending > 0 || this.subscribed,
      onExpire: (why) => {
        deps.refusals?.refused(why === 'idle' ? 'IDLE_TIMEOUT' : 'NO_PONG', { principal: admission.principal });
        if (why === 'idle') this.close(1000, 'idle timeout');
        else {
          this.controller.abort();
          ws.terminate();
        }
      },
    });
    ws.on('message', (data, isBinary) => this.onMessage(data, isBinary));
    ws.on('close', () => {
      this.keepalive.stop();
      this.controller.abort();
      deps.pinBudget.forget(id);
    });
    ws.on('error', () => this.controller.abort());
  }

  get isSubscribed(): boolean {
    return this.subscribed;
  }

  /** Sends an event notification if subscribed (drops a consumer that does not read). */
  event(e: WireEvent): void {
    if (!this.subscribed || this.ws.readyState !== this.ws.OPEN) return;
    if (this.ws.bufferedAmount > MAX_BUFFERED) {
      this.ws.close(1008, 'not reading');
      return;
    }
    this.ws.send(JSON.stringify({ jsonrpc: '2.0', method: EVENT_NOTIFICATION, params: e }));
  }

  close(code: number, reason: string): void {
    this.keepalive.stop();
    this.controller.abort();
    this.ws.close(code, reason);
  }

  private onMessage(data: unknown, isBinary: boolean): void {
    this.keepalive.touch();
    // Parsed before the rate check so that a refusal carries the request's id: a JSON-RPC
    // client can only settle a request whose answer names it. Messages are capped at
    // maxPayload (16 KiB), so parsing stays cheap even for a flooding client.
    let id: RpcId | null = null;
    let m: { jsonrpc?: unknown; id?: unknown; method?: unknown; params?: unknown } | undefined;
    let malformed: WireError | undefined;
    if (isBinary) malformed = new WireError('INVALID_REQUEST');
    else {
      let msg: unknown;
      try {
        msg = JSON.parse(String(data));
      } catch {
        malformed = new WireError('PARSE_ERROR');
      }
      if (!malformed) {
        if (typeof msg !== 'object' || msg === null || Array.isArray(msg)) malformed = new WireError('INVALID_REQUEST');
        else {
          m = msg as typeof m & object;
          const idOk = typeof m.id === 'number' ? Number.isFinite(m.id) : typeof m.id === 'string' && m.id.length <= MAX_ID_LENGTH;
          id = idOk ? (m.id as RpcId) : null;
          // Notifications from clients are not part of this protocol: refused like malformed requests.
          if (m.jsonrpc !== '2.0' || typeof m.method !== 'string' || m.method.length > 64 || !idOk) malformed = new WireError('INVALID_REQUEST');
        }
      }
    }
    if (!this.bucket.take()) {
      // Refusals are forgotten after a pause: a long-lived page that bursts now and then is not
      // "ignoring" the limit; a flood that never pauses is.
      const now = performance.now();
      if (now - this.lastRefusal > REFUSAL_MEMORY_MS) this.limited = 0;
      this.lastRefusal = now;
      if (++this.limited >= CLOSE_AFTER_LIMITED) {
        this.deps.log.warn({ conn: this.id, principal: this.admission.principal }, 'closing a connection that ignores the rate limit');
        this.deps.refusals?.refused('RATE_LIMIT_IGNORED', { principal: this.admission.principal });
        this.close(1008, 'rate limit');
        return;
      }
      this.reply(id, new WireError('RATE_LIMITED', { retryAfterMs: this.bucket.retryAfterMs() }));
      return;
    }
    if (malformed || !m) return this.reply(id, malformed ?? new WireError('INVALID_REQUEST'));
    void this.dispatch(id!, m.method as string, m.params);
  }

  private async dispatch(id: RpcId, method: string, rawParams: unknown): Promise<void> {
    const started = performance.now();
    let code: string | undefined;
    let reader: string | undefined;
    let originSlot = false;
    this.pending++;
    try {
      if (this.deps.isStopping()) throw new WireError('SHUTTING_DOWN');
      if (!isMethodName(method)) throw new WireError('METHOD_NOT_FOUND');
      const decl = METHODS[method];
      if (method !== 'hello') {
        if (this.apiLevel === undefined) throw new WireError('HELLO_REQUIRED');
        if (decl.since > this.apiLevel) throw new WireError('METHOD_NOT_FOUND');
      }
      if (!mayCall(this.admission, decl)) throw new WireError('FORBIDDEN', { required: decl.role });
      if (this.pending > this.deps.limits.maxPending) {
        this.deps.refusals?.refused('TOO_MANY_PENDING_ON_CONNECTION', { principal: this.admission.principal, max: this.deps.limits.maxPending });
        throw new WireError('RATE_LIMITED', { retryAfterMs: 100 });
      }
      if (this.deps.originPending) {
        if (!this.deps.originPending.take(this.admission.principal)) {
          this.deps.refusals?.refused('TOO_MANY_PENDING_FOR_ORIGIN', { principal: this.admission.principal, max: this.deps.limits.maxPendingPerOrigin });
          throw new WireError('RATE_LIMITED', { retryAfterMs: 100 });
        }
        originSlot = true;
      }
      const parsed = decl.params.safeParse(rawParams === undefined ? {} : rawParams);
      if (!parsed.success) {
        // Paths and fixed messages only: never the rejected values nor unknown key names (a
        // mistyped field or key may hold a PIN).
        throw new WireError('INVALID_PARAMS', { issues: safeParamsIssues(parsed.error.issues) });
      }
      const params = parsed.data as Record<string, unknown>;
      // Only a reader we know is logged, by id: a mistyped field may hold anything (even a PIN).
      if (typeof params.reader === 'string') reader = this.deps.readerIdOf(params.reader) ?? '(unknown reader)';
      this.deps.log.debug({ conn: this.id, method, reader, role: this.admission.role, pending: this.pending }, 'request accepted');
      const result = await this.call(method, params);
      this.send({ jsonrpc: '2.0', id, result });
    } catch (e) {
      const w = toWireError(e);
      code = w.code;
      if (w.code === 'INTERNAL') this.deps.log.error({ conn: this.id, method, err: describeInternal(e) }, 'internal error');
      this.reply(id, w);
    } finally {
      this.pending--;
      if (originSlot) this.deps.originPending?.give(this.admission.principal);
      this.deps.log.info({ conn: this.id, method: isMethodName(method) ? method : '(unknown)', reader, code: code ?? 'OK', ms: Math.round(performance.now() - started) }, 'request');
    }
  }

  private async call(method: MethodName, params: Record<string, unknown>): Promise<unknown> {
    switch (method as MethodName | SessionMethod) {
      case 'hello':
        return this.hello(params as { minApiLevel: number; maxApiLevel: number });
      case 'events.subscribe':
        this.subscribed = true;
        return { subscribed: true };
      case 'events.unsubscribe':
        this.subscribed = false;
        return { subscribed: false };
      default: {
        const handler = this.deps.handlers[method as Exclude<MethodName, SessionMethod>] as (p: unknown, c: CallContext) => Promise<unknown>;
        return handler(params, this.ctx);
      }
    }
  }

  private hello(p: { minApiLevel: number; maxApiLevel: number }) {
    const level = Math.min(p.maxApiLevel, API_LEVEL);
    if (level < Math.max(p.minApiLevel, MIN_API_LEVEL)) throw new WireError('UNSUPPORTED_API_LEVEL', { min: MIN_API_LEVEL, max: API_LEVEL });
    this.apiLevel = level;
    return {
      apiLevel: level,
      server: { name: 'sscard' as const, version: this.deps.serverVersion },
      role: this.admission.role,
      simulatedReaders: this.deps.simulatedReaders,
      methods: METHOD_NAMES.filter((n) => METHODS[n].since <= level && mayCall(this.admission, METHODS[n])),
    };
  }

  private reply(id: RpcId | null, error: WireError): void {
    this.send({ jsonrpc: '2.0', id, error: error.toRpc() });
  }

  private send(message: unknown): void {
    if (this.ws.readyState === this.ws.OPEN) this.ws.send(JSON.stringify(message));
  }
}

/** For the log of an INTERNAL error: the class and code only (a message might quote card data). */
function describeInternal(e: unknown): string {
  if (e instanceof Error) {
    const code = (e as { code?: unknown }).code;
    return `${e.name}${typeof code === 'string' ? `:${code}` : ''}`;
  }
  return typeof e;
}
