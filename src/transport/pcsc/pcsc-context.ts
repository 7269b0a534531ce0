import { nativePcscBinding, type PcscBinding, type PcscContext, type PcscReader } from '../../../native-shims/pcsclite.js';
import { TransportError } from '../transport-error.js';
import { isServiceLoss, pcscStatusOf } from './pcsc-error.js';
import { deferred, firstSignal } from './reader-teardown.js';

/** Low-level events of the shared PC/SC context, consumed by the monitor and the connector. */
export type PcscContextEvent =
  | { type: 'reader-attached'; name: string }
  | { type: 'reader-status'; name: string; state: number; atr: Buffer | undefined }
  /** A reader ended while the service stayed up: it was unplugged. */
  | { type: 'reader-detached'; name: string }
  | { type: 'service-down'; reason: string }
  /** The context is established and every reader reported its first status. */
  | { type: 'service-up'; readers: string[] };

export type PcscServiceState = 'idle' | 'settling' | 'up' | 'down' | 'stopped';

export interface PcscContextOptions {
  binding?: PcscBinding;
  /** First retry delay after the service was lost; doubles up to `retryMaxMs`. */
  retryInitialMs?: number;
  /** 1 s cap: readers are back within ~1 s of pcscd being ready, at ~1 attempt/s while down. */
  retryMaxMs?: number;
  /** Minimum wait for the reader list of a new context (docs/pcsc.md: ~2 ms). */
  settleMinMs?: number;
  /** Give up waiting for first statuses after this long and declare the service up anyway. */
  settleMaxMs?: number;
}

interface ReaderHandle {
  readonly name: string;
  readonly raw: PcscReader;
  readonly generation: number;
  statusSeen: boolean;
  ended: boolean;
  state: number;
  atr: Buffer | undefined;
}

/**
 * Owns the one PC/SC context of the process and its reader objects, and re-establishes them
 * after pcscd restarts. No binding does this (docs/pcsc.md): on pcscd death the
 * context and every reader emit `error` (0x80100013), readers then `end`, and `createContext()`
 * throws until pcscd is back. We then close everything old and retry with timers
 * (100 ms doubling to 1 s: never a busy loop). Objects of an old generation are ignored.
 */
export class PcscContextManager {
  private readonly binding: PcscBinding;
  private readonly retryInitialMs: number;
  private readonly retryMaxMs: number;
  private readonly settleMinMs: number;
  private readonly settleMaxMs: number;
  private readonly listeners = new Set<(event: PcscContextEvent) => void>();
  private readonly handles = new Map<string, ReaderHandle>();
  private readonly disposals = new Set<Promise<void>>();
  private context: PcscContext | undefined;
  private generation = 0;
  private currentState: PcscServiceState = 'idle';
  private retryDelay: number;
  private retryTimer: NodeJS.Timeout | undefined;
  private settleTimers: NodeJS.Timeout[] = [];
  private settleMinElapsed = false;
  private started: Promise<void> | undefined;
  private resolveStarted: (() => void) | undefined;

  constructor(options: PcscContextOptions = {}) {
    this.binding = options.binding ?? nativePcscBinding;
    this.retryInitialMs = options.retryInitialMs ?? 100;
    this.retryMaxMs = options.retryMaxMs ?? 1000;
    this.settleMinMs = options.settleMinMs ?? 50;
    this.settleMaxMs = options.settleMaxMs ?? 1000;
    this.retryDelay = this.retryInitialMs;
  }

  get state(): PcscServiceState {
    return this.currentState;
  }

  on(listener: (event: PcscContextEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves once the first context is up and settled, or the service was found down. */
  start(): Promise<void> {
    if (this.currentState === 'stopped') return Promise.reject(new TransportError('TRANSPORT_CLOSED', 'PC/SC context manager is stopped'));
    if (!this.started) {
      this.started = new Promise((resolve) => (this.resolveStarted = resolve));
      this.establish();
    }
    return this.started;
  }

  /** Closes the context and every reader object (teardown trap: else Node never exits). */
  async stop(): Promise<void> {
    if (this.currentState !== 'stopped') {
      this.currentState = 'stopped';
      clearTimeout(this.retryTimer);
      this.clearSettleTimers();
      this.dropCurrentContext();
      this.resolveStarted?.();
    }
    while (this.disposals.size > 0) await Promise.all([...this.disposals]);
  }

  /** Live reader object of the current context (undefined while down or unknown). */
  reader(name: string): PcscReader | undefined {
    return this.currentState === 'up' ? this.handles.get(name)?.raw : undefined;
  }

  readerNames(): string[] {
    return this.currentState === 'up' ? [...this.handles.keys()] : [];
  }

  /** Last status of a reader: SCARD_STATE_* bits and ATR. */
  status(name: string): { state: number; atr: Buffer | undefined } | undefined {
    const handle = this.handles.get(name);
    return handle?.statusSeen ? { state: handle.state, atr: handle.atr } : undefined;
  }

  /**
   * Resolves true as soon as `name`'s status satisfies `predicate` (checked now, then on each
   * status event), false after `timeoutMs`. Event-driven: no polling.
   */
  waitForStatus(name: string, predicate: (state: number) => boolean, timeoutMs: number): Promise<boolean> {
    const now = this.status(name);
    if (now && predicate(now.state)) return Promise.resolve(true);
    return new Promise((resolve) => {
      const finish = (result: boolean): void => {
        clearTimeout(timer);
        off();
        resolve(result);
      };
      const timer = setTimeout(() => finish(false), timeoutMs);
      const off = this.on((event) => {
        if (event.type === 'reader-status' && event.name === name && predicate(event.state)) finish(true);
        if (event.type === 'reader-detached' && event.name === name) finish(true);
      });
    });
  }

  /** Waits (timers and events only) until the service is up; NO_SERVICE after `timeoutMs`. */
  async whenUp(timeoutMs: number, signal?: AbortSignal): Promise<void> {
    await this.start();
    if (this.currentState === 'up') return;
    if (this.currentState === 'stopped') throw new TransportError('TRANSPORT_CLOSED', 'PC/SC context manager is stopped');
    await new Promise<void>((resolve, reject) => {
      const finish = (error?: TransportError): void => {
        clearTimeout(timer);
        off();
        signal?.removeEventListener('abort', onAbort);
        if (error) reject(error);
        else resolve();
      };
      const onAbort = (): void => finish(new TransportError('CANCELLED', 'cancelled while waiting for the PC/SC service'));
      const timer = setTimeout(() => finish(new TransportError('NO_SERVICE', `PC/SC service not available within ${timeoutMs} ms`)), timeoutMs);
      const off = this.on((event) => {
        if (event.type === 'service-up') finish();
      });
      if (signal?.aborted) onAbort();
      else signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** A caller saw a service-loss status (e.g. transmit 0x8010001D): recover now. */
  reportServiceLoss(error: unknown): void {
    if (isServiceLoss(pcscStatusOf(error) ?? (error instanceof TransportError ? error.platformCode : undefined))) {
      this.goDown(error instanceof Error ? error.message : String(error));
    }
  }

  private emit(event: PcscContextEvent): void {
    for (const listener of [...this.listeners]) listener(event);
  }

  private establish(): void {
    this.retryTimer = undefined;
    if (this.currentState === 'stopped') return;
    let context: PcscContext;
    try {
      context = this.binding.createContext();
    } catch (error) {
      // docs/pcsc.md: `pcsclite()` throws while pcscd is down.
      const reason = error instanceof Error ? error.message : String(error);
      if (this.currentState !== 'down') {
        this.currentState = 'down';
        this.emit({ type: 'service-down', reason });
      }
      this.resolveStarted?.();
      this.scheduleRetry();
      return;
    }
    const generation = ++this.generation;
    this.context = context;
    this.currentState = 'settling';
    this.settleMinElapsed = false;
    context.on('error', (error) => {
      // After our own close() the binding emits "Command cancelled": old generation, ignored.
      if (generation === this.generation) this.goDown(error.message);
    });
    context.on('reader', (raw) => this.attach(raw, generation));
    this.settleTimers.push(
      setTimeout(() => {
        this.settleMinElapsed = true; // a flag, not Date.now(): timers may fire a ms "early"
        this.trySettle();
      }, this.settleMinMs),
    );
    this.settleTimers.push(setTimeout(() => this.trySettle(true), this.settleMaxMs));
  }

  private attach(raw: PcscReader, generation: number): void {
    const handle: ReaderHandle = { name: raw.name, raw, generation, statusSeen: false, ended: false, state: 0, atr: undefined };
    raw.on('status', (status) => {
      handle.statusSeen = true;
      handle.state = status.state;
      handle.atr = status.atr;
      if (!this.isCurrent(handle)) return;
      this.emit({ type: 'reader-status', name: handle.name, state: status.state, atr: status.atr });
      if (this.currentState === 'settling') this.trySettle();
    });
    raw.on('error', (error) => {
      // Handled always (an unhandled 'error' would crash the process); service loss -> recover.
      if (this.isCurrent(handle) && isServiceLoss(pcscStatusOf(error))) this.goDown(error.message);
    });
    raw.on('end', () => {
      handle.ended = true;
      if (!this.isCurrent(handle) || this.currentState === 'down' || this.currentState === 'stopped') return;
      this.handles.delete(handle.name);
      this.dispose(handle);
      this.emit({ type: 'reader-detached', name: handle.name });
    });
    if (generation !== this.generation) {
      this.dispose(handle);
      return;
    }
    const previous = this.handles.get(handle.name);
    if (previous) this.dispose(previous);
    this.handles.set(handle.name, handle);
    this.emit({ type: 'reader-attached', name: handle.name });
  }

  private isCurrent(handle: ReaderHandle): boolean {
    return handle.generation === this.generation && this.handles.get(handle.name) === handle;
  }

  private trySettle(force = false): void {
    if (this.currentState !== 'settling') return;
    const allSeen = [...this.handles.values()].every((h) => h.statusSeen);
    if (!force && (!this.settleMinElapsed || !allSeen)) return;
    this.clearSettleTimers();
    this.currentState = 'up';
    this.retryDelay = this.retryInitialMs;
    this.emit({ type: 'service-up', readers: [...this.handles.keys()] });
    this.resolveStarted?.();
  }

  private goDown(reason: string): void {
    if (this.currentState === 'down' || this.currentState === 'stopped' || this.currentState === 'idle') return;
    this.currentState = 'down';
    this.clearSettleTimers();
    this.dropCurrentContext();
    this.emit({ type: 'service-down', reason });
    this.scheduleRetry();
  }

  private scheduleRetry(): void {
    if (this.currentState === 'stopped' || this.retryTimer) return;
    const delay = this.retryDelay;
    this.retryDelay = Math.min(this.retryDelay * 2, this.retryMaxMs);
    this.retryTimer = setTimeout(() => this.establish(), delay);
  }

  private clearSettleTimers(): void {
    for (const timer of this.settleTimers) clearTimeout(timer);
    this.settleTimers = [];
  }

  /** Forgets the current generation and closes its objects (readers first, then the context). */
  private dropCurrentContext(): void {
    this.generation++;
    const handles = [...this.handles.values()];
    this.handles.clear();
    const context = this.context;
    this.context = undefined;
    const readersClosed = Promise.all(handles.map((h) => this.dispose(h)));
    if (context) this.track(readersClosed.then(() => deferred(() => context.close())));
  }

  /**
   * Closes one reader object safely. Deferred with setImmediate: the binding holds the reader's
   * mutex while it calls our listeners, and close() takes it again (cardreader.cpp). Waits for
   * the first status first: closing earlier leaks a libuv handle and Node never exits (measured,
   * see native-shims/pcsclite.ts).
   */
  private dispose(handle: ReaderHandle): Promise<void> {
    const ready = handle.statusSeen || handle.ended ? Promise.resolve() : firstSignal(handle.raw, this.settleMaxMs);
    return this.track(ready.then(() => deferred(() => handle.raw.close())));
  }

  private track(work: Promise<void>): Promise<void> {
    const tracked = work.catch(() => undefined).finally(() => this.disposals.delete(tracked));
    this.disposals.add(tracked);
    return tracked;
  }
}
