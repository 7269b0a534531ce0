import { TransportError } from '../transport-error.js';

/** Why a HID frame was refused (docs/readers.md "Reference frame format"). */
export type HidFrameFault =
  | 'BAD_CHECKSUM' // the report's XOR checksum does not match
  | 'BAD_MAGIC' // byte 0 is not the frame magic
  | 'BAD_LENGTH' // payload length field larger than a report can hold, or report too short
  | 'BAD_SEQUENCE' // answer to another message (sequence number differs)
  | 'BAD_INDEX' // reports of one message out of order
  | 'BAD_RESPONSE' // unexpected response code for the command sent
  | 'TOO_LONG' // message longer than the format's chaining allows
  | 'READER_ERROR'; // the reader answered with an error frame (see `readerStatus`)

/**
 * A framing failure of a HID reader: a TransportError PROTOCOL_ERROR with a machine-readable
 * `fault` (and the reader's own status byte for READER_ERROR). Never carries report bytes, which
 * could hold APDU data.
 */
export class HidFrameError extends TransportError {
  constructor(
    readonly fault: HidFrameFault,
    message: string,
    readonly readerStatus?: number,
  ) {
    super('PROTOCOL_ERROR', message);
  }
}

/** The HID device went away (read/write threw after an unplug). */
export function readerRemoved(name: string, cause: unknown): TransportError {
  return new TransportError('READER_REMOVED', `HID reader "${name}" was unplugged`, undefined, { cause });
}
