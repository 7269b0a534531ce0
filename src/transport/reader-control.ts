import type { CardTransport } from './card-transport.js';

/**
 * Reader control (SCardControl) on an open connection: a second verb only some transports have
 * (PC/SC). Used for PC/SC part 10 features such as secure PIN entry (docs/readers.md "PIN pads").
 */
export interface ReaderControl {
  /** Sends `input` with `code`; resolves with the bytes the reader returns (at most `responseMax`). */
  control(code: number, input: Uint8Array, responseMax?: number): Promise<Uint8Array>;
}

/** The transport's reader control, when it has one. */
export function readerControlOf(transport: CardTransport): ReaderControl | undefined {
  const candidate = transport as Partial<ReaderControl>;
  return typeof candidate.control === 'function' ? (transport as CardTransport & ReaderControl) : undefined;
}
