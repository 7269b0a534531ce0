import { PCSC } from '../../../native-shims/pcsclite.js';
import type { ReaderInfo } from '../reader-info.js';
import type { ReaderEvent, ReaderMonitor, ReaderState } from '../reader-monitor.js';
import { PcscContextManager, type PcscContextEvent, type PcscContextOptions } from './pcsc-context.js';
import { atrHex, pcscReaderInfo } from './pcsc-reader-info.js';

export interface PcscReaderMonitorOptions extends PcscContextOptions {
  /** Shared context (e.g. with a PcscConnector); when absent the monitor owns one. */
  manager?: PcscContextManager;
}

interface Tracked {
  reader: ReaderInfo;
  cardPresent: boolean;
  atr: string | undefined;
}

/**
 * ReaderMonitor over PC/SC. Turns the context manager's reader objects and status events into
 * ReaderEvents: card-inserted / card-removed on edges of SCARD_STATE_PRESENT (or an ATR change),
 * reader ids `pcsc:<name>` that survive pcscd restarts.
 *
 * Recovery (docs/pcsc.md): on pcscd death, `service-down` once; readers() keeps the last known
 * state meanwhile. When a new context is up and every reader reported its first status, readers
 * that did not come back are pruned (card-removed, reader-removed) and `service-up` follows.
 * Changes seen while the new context settles (e.g. the card now absent) are emitted before it.
 */
export class PcscReaderMonitor implements ReaderMonitor {
  readonly manager: PcscContextManager;
  private readonly ownsManager: boolean;
  private readonly tracked = new Map<string, Tracked>();
  private readonly listeners = new Set<(event: ReaderEvent) => void>();
  private unsubscribe: (() => void) | undefined;
  private outage = false;

  constructor(options: PcscReaderMonitorOptions = {}) {
    this.ownsManager = !options.manager;
    this.manager = options.manager ?? new PcscContextManager(options);
  }

  readers(): ReaderState[] {
    return [...this.tracked.values()].map((t) =>
      t.cardPresent ? { reader: t.reader, cardPresent: true, atr: t.atr ?? '' } : { reader: t.reader, cardPresent: false },
    );
  }

  on(listener: (event: ReaderEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async start(): Promise<void> {
    this.unsubscribe ??= this.manager.on((event) => this.handle(event));
    await this.manager.start();
    // A shared manager may be up already: seed from its current readers (events are idempotent).
    for (const name of this.manager.readerNames()) {
      const status = this.manager.status(name);
      const t = this.ensureTracked(name);
      if (status) this.onStatus(t, status.state, status.atr);
    }
  }

  /** Unsubscribes; closes the context and every reader object when the monitor owns them. */
  async stop(): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    if (this.ownsManager) await this.manager.stop();
  }

  private emit(event: ReaderEvent): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch {
        // A failing listener must not break the other listeners nor the binding's callback.
      }
    }
  }

  private handle(event: PcscContextEvent): void {
    switch (event.type) {
      case 'reader-attached':
        this.ensureTracked(event.name);
        break;
      case 'reader-status':
        this.onStatus(this.ensureTracked(event.name), event.state, event.atr);
        break;
      case 'reader-detached':
        this.remove(event.name);
        break;
      case 'service-down':
        if (!this.outage) {
          this.outage = true;
          this.emit({ type: 'service-down', reason: event.reason });
        }
        break;
      case 'service-up': {
        const present = new Set(event.readers);
        for (const name of [...this.tracked.keys()]) if (!present.has(name)) this.remove(name);
        if (this.outage) {
          this.outage = false;
          this.emit({ type: 'service-up' });
        }
        break;
      }
    }
  }

  private ensureTracked(name: string): Tracked {
    let t = this.tracked.get(name);
    if (!t) {
      t = { reader: pcscReaderInfo(name), cardPresent: false, atr: undefined };
      this.tracked.set(name, t);
      this.emit({ type: 'reader-added', reader: t.reader });
    }
    return t;
  }

  private onStatus(t: Tracked, state: number, atr: Buffer | undefined): void {
    const present = (state & PCSC.SCARD_STATE_PRESENT) !== 0;
    const hex = present ? atrHex(atr) : undefined;
    if (t.cardPresent && (!present || hex !== t.atr)) {
      t.cardPresent = false;
      t.atr = undefined;
      this.emit({ type: 'card-removed', reader: t.reader });
    }
    if (present && !t.cardPresent) {
      t.cardPresent = true;
      t.atr = hex;
      this.emit({ type: 'card-inserted', reader: t.reader, atr: hex ?? '' });
    }
  }

  private remove(name: string): void {
    const t = this.tracked.get(name);
    if (!t) return;
    if (t.cardPresent) this.emit({ type: 'card-removed', reader: t.reader });
    this.tracked.delete(name);
    this.emit({ type: 'reader-removed', reader: t.reader });
  }
}
