import type { Transmitter } from '../apdu/transmitter.js';
import type { ReaderInfo } from './reader-info.js';

/**
 * A connection to one card in one reader, held for the duration of one operation.
 * `transmit` is the only way bytes reach the card; `close` ends the connection (the card is
 * left in place, not reset) and is idempotent.
 */
export interface CardTransport extends Transmitter {
  readonly reader: ReaderInfo;
  /** ATR of the card as seen when the connection was made. */
  readonly atr: Uint8Array;
  /**
   * `nextQueued`: the caller already has the next operation on this reader queued; a transport
   * may then keep the connection for it (PC/SC: docs/pcsc.md, "Connection handover").
   */
  close(options?: { nextQueued?: boolean }): Promise<void>;
}

/** Something that can open a card connection on a named reader (one per reader kind). */
export interface CardConnector {
  /** Opens an exclusive connection to the card in `readerName`; fails with a TransportError. */
  connect(readerName: string, options?: { signal?: AbortSignal }): Promise<CardTransport>;
}
