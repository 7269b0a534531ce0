import { toHex } from '../../core/hex.js';
import type { CardTransport } from '../card-transport.js';
import type { ReaderInfo } from '../reader-info.js';
import { TransportError } from '../transport-error.js';

/**
 * The card side of an in-process connection: structurally the simulator's card OS, declared here
 * so that `src/` never imports `simulators/` (architecture.md dependency rules).
 */
export interface InProcessCard {
  atr(): Uint8Array;
  powerOn(): void;
  execute(command: Uint8Array): Uint8Array;
}

export interface InProcessOptions {
  /** Fault injection: the card is "pulled" when the APDU with this 0-based index arrives. */
  pullAtApdu?: number | undefined;
}

/** Plugs a simulated card straight into a session, no PC/SC in between (unit tests, `--sim`). */
export class InProcessTransport implements CardTransport {
  readonly atr: Uint8Array;
  private closed = false;
  private removed = false;
  private count = 0;

  constructor(
    private readonly card: InProcessCard,
    readonly reader: ReaderInfo,
    private readonly options: InProcessOptions = {},
  ) {
    card.powerOn();
    this.atr = card.atr();
  }

  async transmit(command: Uint8Array): Promise<Uint8Array> {
    if (this.closed) throw new TransportError('TRANSPORT_CLOSED', `transmit on a closed connection to ${this.reader.name}`);
    if (this.removed || this.count++ === this.options.pullAtApdu) {
      this.removed = true;
      throw new TransportError('CARD_REMOVED', `card removed from ${this.reader.name}`);
    }
    // A microtask boundary keeps the async contract honest (callers must await).
    await Promise.resolve();
    return this.card.execute(command);
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  toString(): string {
    return `InProcessTransport(${this.reader.name}, ATR ${toHex(this.atr)})`;
  }
}

/** The reader entry of the built-in simulated card: always labelled as simulated. */
export function simulatedReader(profileId: string, slot = 0): ReaderInfo {
  return { id: `sim:${slot}:${profileId}`, name: `Simulated card ${slot} (${profileId})`, kind: 'simulated', simulated: true };
}
