import { toHex } from '../../core/hex.js';
import type { CardConnector, CardTransport } from '../card-transport.js';
import type { ReaderEvent, ReaderMonitor, ReaderState } from '../reader-monitor.js';
import type { ReaderSource } from '../reader-source.js';
import type { ReaderInfo } from '../reader-info.js';
import { TransportError } from '../transport-error.js';
import { InProcessTransport, simulatedReader, type InProcessCard } from './in-process-transport.js';

/**
 * The built-in simulated reader(s): present only when the composition root creates this source
 * (`--sim` / config). Each reader holds one simulated card, created by the injected factory
 * (src/ never imports simulators/). Cards can be pulled and re-inserted for tests.
 */
export class InProcessReaderSource implements ReaderSource, ReaderMonitor, CardConnector {
  readonly name = 'simulated';
  readonly monitor = this;
  readonly connector = this;
  private readonly slots: { reader: ReaderInfo; card: InProcessCard | undefined; pullAtApdu: number | undefined }[];
  private readonly listeners = new Set<(e: ReaderEvent) => void>();

  /** `pullAtApdu` (fault injection, tests): every connection to that slot loses its card at that APDU index. */
  constructor(cards: readonly { profileId: string; card: InProcessCard; pullAtApdu?: number | undefined }[]) {
    this.slots = cards.map((c, i) => ({ reader: simulatedReader(c.profileId, i), card: c.card, pullAtApdu: c.pullAtApdu }));
  }

  readers(): ReaderState[] {
    return this.slots.map((s) => ({
      reader: s.reader,
      cardPresent: s.card !== undefined,
      ...(s.card ? { atr: toHex(s.card.atr()) } : {}),
    }));
  }

  on(listener: (event: ReaderEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async start(): Promise<void> {
    for (const s of this.slots) {
      this.emit({ type: 'reader-added', reader: s.reader });
      if (s.card) this.emit({ type: 'card-inserted', reader: s.reader, atr: toHex(s.card.atr()) });
    }
  }

  async stop(): Promise<void> {
    this.listeners.clear();
  }

  /** Test hook: pull the card out of slot `index`. */
  remove(index: number): void {
    const s = this.slots[index];
    if (s?.card) {
      s.card = undefined;
      this.emit({ type: 'card-removed', reader: s.reader });
    }
  }

  /** Test hook: insert a card into slot `index`. */
  insert(index: number, card: InProcessCard): void {
    const s = this.slots[index];
    if (!s) throw new TransportError('READER_NOT_FOUND', `no simulated slot ${index}`);
    s.card = card;
    this.emit({ type: 'card-inserted', reader: s.reader, atr: toHex(card.atr()) });
  }

  async connect(readerName: string): Promise<CardTransport> {
    const s = this.slots.find((x) => x.reader.name === readerName || x.reader.id === readerName);
    if (!s) throw new TransportError('READER_NOT_FOUND', `no simulated reader "${readerName}"`);
    if (!s.card) throw new TransportError('NO_CARD', `no card in ${s.reader.name}`);
    return new InProcessTransport(s.card, s.reader, { pullAtApdu: s.pullAtApdu });
  }

  private emit(e: ReaderEvent): void {
    for (const l of this.listeners) l(e);
  }
}
