import { command, type CommandApdu } from '../../../apdu/command-apdu.js';
import { swHex, type ResponseApdu } from '../../../apdu/response-apdu.js';
import { statusWords } from '../../../apdu/status-words.js';
import { encodeBerTlv, type BerTlv } from '../../../core/ber-tlv.js';
import { CardError } from '../../card-error.js';
import { parseAfl, type AflEntry } from '../afl.js';
import { child, parseTlvs } from '../parse-tlvs.js';

/**
 * GET PROCESSING OPTIONS `80 A8 00 00 Lc 83 len <PDOL data> 00` (EMV Book 3 §6.5.8; docs/reference/card-spec.md
 * §5). It increments the card's ATC: the session sends it only when asked or when the records
 * are refused without it.
 */
export function buildGetProcessingOptions(pdolData: Uint8Array): CommandApdu {
  return command(0x80, 0xa8, 0x00, 0x00, encodeBerTlv(0x83, pdolData), 256);
}

export interface ProcessingOptions {
  /** 1: `80` AIP ‖ AFL; 2: `77` template with 82 and 94 (EMV Book 3 §6.5.8.4). */
  readonly format: 1 | 2;
  readonly aip: Uint8Array;
  readonly afl: readonly AflEntry[];
  /** Other objects of a format-2 answer (e.g. 9F36 ATC, 9F10, 57 on qPBOC). */
  readonly others: readonly BerTlv[];
}

export function parseGetProcessingOptions(response: ResponseApdu): ProcessingOptions {
  const outcome = statusWords().outcome('GET PROCESSING OPTIONS', response.sw)?.outcome;
  if (outcome === 'REFUSED') throw new CardError('GPO_REFUSED', `GET PROCESSING OPTIONS: conditions of use not satisfied (${swHex(response.sw)})`, swHex(response.sw));
  if (outcome !== 'OK') throw statusWords().errorFor(response.sw, 'GET PROCESSING OPTIONS');
  const tlvs = parseTlvs(response.data, 'GPO response');
  const top = tlvs[0];
  if (top?.tag === 0x80 && !top.constructed) {
    if (top.value.length < 2) throw new CardError('BAD_CARD_DATA', 'GPO format 1: shorter than the 2-byte AIP');
    return { format: 1, aip: top.value.slice(0, 2), afl: parseAfl(top.value.subarray(2)), others: [] };
  }
  if (top?.tag === 0x77 && top.constructed) {
    const aip = child(top, 0x82);
    const afl = child(top, 0x94);
    if (!aip || aip.value.length !== 2) throw new CardError('BAD_CARD_DATA', 'GPO format 2: no 2-byte AIP (82)');
    if (!afl) throw new CardError('BAD_CARD_DATA', 'GPO format 2: no AFL (94)');
    return { format: 2, aip: aip.value, afl: parseAfl(afl.value), others: top.children.filter((c) => c.tag !== 0x82 && c.tag !== 0x94) };
  }
  throw new CardError('BAD_CARD_DATA', `GPO response is neither format 1 (80) nor format 2 (77)`);
}
