import type { CardTransport } from '../card-transport.js';
import type { ReaderInfo } from '../reader-info.js';
import { TransportError } from '../transport-error.js';
import type { HidDriverSession } from './hid-reader-driver.js';

export interface HidCardTransportInit {
  readonly reader: ReaderInfo;
  readonly atr: Uint8Array;
  readonly session: HidDriverSession;
  /** Runs `fn` in the device's queue (the monitor's polls never interleave with an APDU). */
  readonly serialize: <T>(fn: () => Promise<T>) => Promise<T>;
  /** Called with every failure (the source drops an unplugged reader at once). */
  readonly onError: (error: unknown) => void;
  /** Called once after close (releases the per-device exclusive hold). */
  readonly onClose: () => void;
}

/**
 * A CardTransport over one HID reader (style.md §1: `transmit` is the whole port): each APDU is
 * one request/answer of the reader's driver. `close()` leaves the card powered, like PC/SC's
 * SCARD_LEAVE_CARD, and is idempotent.
 */
export class HidCardTransport implements CardTransport {
  readonly reader: ReaderInfo;
  readonly atr: Uint8Array;
  private closed = false;

  constructor(private readonly init: HidCardTransportInit) {
    this.reader = init.reader;
    this.atr = init.atr;
  }

  async transmit(command: Uint8Array): Promise<Uint8Array> {
    if (this.closed) throw new TransportError('TRANSPORT_CLOSED', `transmit on "${this.reader.name}" after close()`);
    if (command.length < 4) throw new TransportError('PROTOCOL_ERROR', `command APDU of ${command.length} bytes (at least 4: CLA INS P1 P2)`);
    try {
      return await this.init.serialize(() => this.init.session.transmit(command));
    } catch (e) {
      this.init.onError(e);
      throw e;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.init.onClose();
  }
}
