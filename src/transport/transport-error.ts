import { SscardError } from '../core/sscard-error.js';

/** Stable codes of the transport layer (PC/SC, HID, in-process, replay). */
export type TransportErrorCode =
  | 'NO_SERVICE' // pcscd not running / context cannot be established
  | 'NO_READERS' // service up, no reader attached
  | 'READER_NOT_FOUND' // the named reader does not exist (any more)
  | 'READER_REMOVED' // the reader itself was unplugged during the operation (HID)
  | 'NO_CARD' // reader present, no card in it
  | 'CARD_REMOVED' // card pulled during or before the operation
  | 'CARD_RESET' // card was reset by another application
  | 'SHARING_VIOLATION' // another application holds the card exclusively
  | 'UNRESPONSIVE_CARD' // card does not answer / mute
  | 'TIMEOUT' // the operation or wait timed out
  | 'CANCELLED' // the caller cancelled
  | 'PROTOCOL_ERROR' // bad framing, response too short, replay mismatch
  | 'TRANSPORT_CLOSED' // transmit after close()
  | 'IO_ERROR'; // anything else the platform reports

export class TransportError extends SscardError {
  readonly layer = 'transport';
  constructor(
    readonly code: TransportErrorCode,
    message: string,
    /** Platform status when there is one, e.g. 0x80100069 for SCARD_W_REMOVED_CARD. */
    readonly platformCode?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
