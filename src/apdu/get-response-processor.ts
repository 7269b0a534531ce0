import { concatBytes } from '../core/hex.js';
import { ApduError } from './apdu-error.js';
import { encodeCommand } from './command-apdu.js';
import { decodeResponse, encodeResponse } from './response-apdu.js';
import type { Transmitter } from './transmitter.js';

/**
 * Upper bound on chained GET RESPONSE rounds and on the assembled size (a hostile card cannot loop
 * us): 32 rounds carry 8 KiB at 256 bytes a round, more than any response of card-spec §1-§5.
 */
const MAX_ROUNDS = 32;
const MAX_BYTES = 65536;

/**
 * Response chaining processor (ISO/IEC 7816-4 §5.3.4; docs/reference/card-spec.md §1 "T=0: SELECT may answer
 * 61 1E, send GET RESPONSE 00 C0 00 00 1E"): on SW 61xx it sends GET RESPONSE with Le = xx
 * (00 = 256) until the card answers something else, and returns all data with the final SW.
 */
export function withGetResponse(inner: Transmitter): Transmitter {
  const chain = async (raw: Uint8Array): Promise<Uint8Array> => {
    let response = decodeResponse(raw); // also the typed MALFORMED_RESPONSE for < 2 bytes
    const parts: Uint8Array[] = [response.data];
    let total = response.data.length;
    for (let round = 0; response.sw1 === 0x61; round++) {
      if (round >= MAX_ROUNDS || total > MAX_BYTES) {
        throw new ApduError('TOO_MUCH_CHAINING', `card kept answering 61xx after ${round} GET RESPONSE rounds (${total} bytes)`, response.sw);
      }
      const le = response.sw2 === 0 ? 256 : response.sw2;
      // GET RESPONSE: CLA 00, INS C0, P1 P2 00 00 (ISO/IEC 7816-4 §11.4.2)
      response = decodeResponse(await inner.transmit(encodeCommand({ cla: 0x00, ins: 0xc0, p1: 0, p2: 0, data: new Uint8Array(0), ne: le })));
      parts.push(response.data);
      total += response.data.length;
    }
    return encodeResponse(concatBytes(...parts), response.sw);
  };
  // Hot path (every answer, on the read's critical path): SW1 looked at in place, a plain `then`
  // with no async frame; only a 61xx answer (or one without SW1 SW2) goes to `chain`.
  const passOrChain = (raw: Uint8Array): Uint8Array | Promise<Uint8Array> => (raw.length >= 2 && raw[raw.length - 2] !== 0x61 ? raw : chain(raw));
  return {
    transmit(command) {
      try {
        return inner.transmit(command).then(passOrChain);
      } catch (error) {
        return Promise.reject(error); // as an async function would: never a synchronous throw
      }
    },
  };
}
