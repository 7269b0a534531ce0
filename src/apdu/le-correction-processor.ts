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
  return {
    async transmit(command) {
      const raw = await inner.transmit(command);
      if (raw.length < 2) decodeResponse(raw); // throws the typed MALFORMED_RESPONSE
      // hot path: SW1 read in place, nothing decoded or copied unless there is a 6Cxx to correct
      if (raw[raw.length - 2] !== 0x6c) return raw;
      const sw2 = raw[raw.length - 1]!;
      const parsed = decodeCommand(command);
      if (parsed.ne === undefined) return raw; // no Le to correct: report as the card said
      return inner.transmit(encodeCommand({ ...parsed, ne: sw2 === 0 ? 256 : sw2, extended: false }));
    },
  };
}
