import { VpcdClient, type VpcdClientOptions } from '../../simulators/vpcd-client.js';
import type { SimulatedCard } from '../../simulators/simulated-card.js';
import { PcscReaderSource } from '../../src/transport/pcsc/pcsc-reader-source.js';
import type { CardTransport } from '../../src/transport/card-transport.js';
import { READER_0, READER_1, waitFor } from './pcscd.js';

/**
 * One vpcd slot of the real pcscd with a simulated card we can insert and pull, seen through
 * sscard's own PC/SC reader source (monitor + connector on one context).
 */
export class VirtualSlot {
  readonly reader: string;
  private client: VpcdClient | undefined;

  constructor(
    readonly source: PcscReaderSource,
    readonly slot: 0 | 1 = 0,
  ) {
    this.reader = slot === 0 ? READER_0 : READER_1;
  }

  cardPresent(): boolean {
    return this.source.monitor.readers().some((r) => r.reader.name === this.reader && r.cardPresent);
  }

  /** Inserts the card and waits until pcscd reports it (its poll is ~400 ms). */
  async insert(card: SimulatedCard, options: Omit<VpcdClientOptions, 'slot'> = {}): Promise<void> {
    await this.remove();
    this.client = new VpcdClient(card, { ...options, slot: this.slot });
    await this.client.insert();
    await waitFor(() => this.cardPresent(), 5000, `card inserted in ${this.reader}`);
  }

  /** Removes the card (if any) and waits until pcscd reports the removal. */
  async remove(): Promise<void> {
    if (this.client) {
      await this.client.remove();
      this.client = undefined;
    }
    await waitFor(() => !this.cardPresent(), 5000, `card removed from ${this.reader}`);
  }

  connect(): Promise<CardTransport> {
    return this.source.connector.connect(this.reader);
  }
}
