import { decodeCommand, encodeCommand } from './command-apdu.js';
import { decodeResponse } from './response-apdu.js';
import type { Transmitter } from './transmitter.js';

/**
 * Wrong-Le processor (ISO/IEC 7816-3 §10.3.3 / 7816-4 §5.6: SW 6Cxx = "wrong Le, xx is the
 * exact length"): resends the same command once with Le = xx (00 = 256). Card-spec §2: with
 * Le = 00 a card may answer 6Cxx or the data; the reader handles both. A second 6Cxx is
 * returned to the caller unchanged (no loop).
 */
export function withLeCorrection(inner: Transmitter): Transmitter {
  // A plain `then`, not an async function: this runs between every answer and the next command,
  // on the read's critical path (docs/performance.md "Where the time of one sequential read goes").
  const corrected = (command: Uint8Array, raw: Uint8Array): Uint8Array | Promise<Uint8Array> => {
    if (raw.length < 2) decodeResponse(raw); // throws the typed MALFORMED_RESPONSE
    if (raw[raw.length - 2] !== 0x6c) return raw;
    const sw2 = raw[raw.length - 1]!;
    const parsed = decodeCommand(command);
    if (parsed.ne === undefined) return raw; // no Le to correct: report as the card said
    return inner.transmit(encodeCommand({ ...parsed, ne: sw2 === 0 ? 256 : sw2, extended: false }));
  };
  return {
    transmit(command) {
      try {
        return inner.transmit(command).then((raw) => corrected(command, raw));
      } catch (error) {
        return Promise.reject(error); // as an async function would: never a synchronous throw
      }
    },
  };
}
