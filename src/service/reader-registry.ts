import type { CardTransport } from '../transport/card-transport.js';
import type { ReaderEvent, ReaderState } from '../transport/reader-monitor.js';
import type { ReaderSource } from '../transport/reader-source.js';
import type { InterfaceRequest } from '../transport/card-interface.js';
import { readersForInterface } from './interface-choice.js';
import { ServiceError } from './service-error.js';

export interface ChooseOptions {
  /** Reader name or id; without it, the one reader holding a card. */
  reader?: string | undefined;
  /** How long to wait for a card (or for the named reader's card). */
  timeoutMs: number;
  signal?: AbortSignal | undefined;
  /** Called once when there is nothing to read yet and we start waiting ("insert card…"). */
  onWaiting?: ((what: string) => void) | undefined;
  /** `iType`-style interface request (docs/readers.md); a card on the other one -> WRONG_CARD_TYPE. */
  cardInterface?: InterfaceRequest | undefined;
}

/**
 * All readers of all sources (PC/SC, the built-in simulated reader when enabled, ...), with one
 * event stream and the reader-choice rules of a named reader, else the one reader that
 * holds a card; none -> wait (bounded); several -> AMBIGUOUS_READER naming them.
 */
export class ReaderRegistry {
  private readonly listeners = new Set<(e: ReaderEvent) => void>();
  private readonly unsubscribe: (() => void)[] = [];

  constructor(private readonly sources: readonly ReaderSource[]) {}

  async start(): Promise<void> {
    for (const s of this.sources) this.unsubscribe.push(s.monitor.on((e) => this.emit(e)));
    await Promise.all(this.sources.map((s) => s.monitor.start()));
  }

  async stop(): Promise<void> {
    for (const u of this.unsubscribe.splice(0)) u();
    await Promise.all(this.sources.map((s) => (s.stop ? s.stop() : s.monitor.stop())));
    this.listeners.clear();
  }

  readers(): ReaderState[] {
    return this.sources.flatMap((s) => s.monitor.readers());
  }

  on(listener: (e: ReaderEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Finds a reader by exact id or exact name. */
  find(nameOrId: string): { source: ReaderSource; state: ReaderState } | undefined {
    for (const source of this.sources) {
      const state = source.monitor.readers().find((r) => r.reader.id === nameOrId || r.reader.name === nameOrId);
      if (state) return { source, state };
    }
    return undefined;
  }

  async connect(nameOrId: string, signal?: AbortSignal): Promise<CardTransport> {
    const hit = this.find(nameOrId);
    if (!hit) throw new ServiceError('READER_NOT_FOUND', `no reader "${nameOrId}"; readers: ${this.names() || 'none'}`);
    return hit.source.connector.connect(hit.state.reader.name, signal ? { signal } : undefined);
  }

  /**
   * Picks the reader now (no waiting): the named one, else the one holding a card. NO_READER when
   * there is no reader at all, READER_NOT_FOUND for an unknown name, NO_CARD when no (named)
   * reader holds a card, AMBIGUOUS_READER naming the candidates when several do.
   */
  pick(reader?: string, cardInterface?: InterfaceRequest): ReaderState {
    if (reader !== undefined) {
      const hit = this.find(reader);
      if (!hit) {
        // Listed only for the refusal: every source builds its reader states anew (a simulated card its ATR in hex).
        if (this.readers().length === 0) throw new ServiceError('NO_READER', 'no card reader is attached');
        throw new ServiceError('READER_NOT_FOUND', `no reader "${reader}"; readers: ${this.names() || 'none'}`);
      }
      if (!hit.state.cardPresent) throw new ServiceError('NO_CARD', `no card in ${hit.state.reader.name}`);
      return readersForInterface([hit.state], cardInterface)[0]!;
    }
    const all = this.readers();
    if (all.length === 0) throw new ServiceError('NO_READER', 'no card reader is attached');
    const present = all.filter((r) => r.cardPresent);
    if (present.length === 0) throw new ServiceError('NO_CARD', 'no card in any reader');
    const withCard = readersForInterface(present, cardInterface);
    if (withCard.length > 1) {
      const names = withCard.map((r) => r.reader.name);
      throw new ServiceError('AMBIGUOUS_READER', `several readers hold a card (${names.join(', ')}); choose one with --reader`, names);
    }
    return withCard[0]!;
  }

  /**
   * `pick`, waiting (bounded) while there is no card or no reader yet: an unknown named reader
   * and several candidates are answered at once.
   */
  async choose(options: ChooseOptions): Promise<ReaderState> {
    const attempt = (): ReaderState | undefined => {
      try {
        return this.pick(options.reader, options.cardInterface);
      } catch (e) {
        if (e instanceof ServiceError && (e.code === 'NO_CARD' || (e.code === 'NO_READER' && options.reader === undefined))) return undefined;
        throw e;
      }
    };
    const now = attempt();
    if (now) return now;
    options.onWaiting?.(options.reader ? `insert a card into ${options.reader}…` : 'insert a card…');
    return new Promise<ReaderState>((resolve, reject) => {
      const done = (fn: () => void) => {
        clearTimeout(timer);
        off();
        options.signal?.removeEventListener('abort', onAbort);
        fn();
      };
      const onAbort = () => done(() => reject(new ServiceError('CANCELLED', 'cancelled while waiting for a card')));
      const timer = setTimeout(
        () => done(() => reject(new ServiceError('TIMEOUT', `no card inserted within ${Math.round(options.timeoutMs / 1000)} s`))),
        options.timeoutMs,
      );
      const off = this.on(() => {
        try {
          const r = attempt();
          if (r) done(() => resolve(r));
        } catch (e) {
          done(() => reject(e));
        }
      });
      options.signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  private names(): string {
    return this.readers()
      .map((r) => r.reader.name)
      .join(', ');
  }

  private emit(e: ReaderEvent): void {
    for (const l of this.listeners) l(e);
  }
}
