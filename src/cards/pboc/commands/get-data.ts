import { command, type CommandApdu } from '../../../apdu/command-apdu.js';
import type { ResponseApdu } from '../../../apdu/response-apdu.js';
import { statusWords } from '../../../apdu/status-words.js';
import { CardError } from '../../card-error.js';
import { parseTlvs } from '../parse-tlvs.js';
import { tagHex } from '../tag-hex.js';

/** GET DATA `80 CA P1P2 00` with P1P2 the tag (EMV Book 3 §6.5.7; docs/reference/card-spec.md §5: 9F79, 9F4F). */
export function buildGetData(tag: number): CommandApdu {
  if (tag < 0x100 || tag > 0xffff) throw new CardError('BAD_CARD_DATA', `GET DATA needs a two-byte tag, got ${tagHex(tag)}`);
  return command(0x80, 0xca, tag >> 8, tag & 0xff, undefined, 256);
}

/**
 * The value of the asked tag, or null when the card does not have it (`GET DATA` outcome ABSENT
 * in apdu-specs/status-words.json: 6A88, 6A81, 6A83, 6A82, 6D00). The answer must be that one data object.
 */
export function parseGetData(response: ResponseApdu, tag: number): Uint8Array | null {
  const outcome = statusWords().outcome('GET DATA', response.sw)?.outcome;
  if (outcome === 'ABSENT') return null;
  if (outcome !== 'OK') throw statusWords().errorFor(response.sw, `GET DATA ${tagHex(tag)}`);
  const tlvs = parseTlvs(response.data, `GET DATA ${tagHex(tag)}`);
  const hit = tlvs.find((t) => t.tag === tag);
  if (!hit) throw new CardError('BAD_CARD_DATA', `GET DATA ${tagHex(tag)}: the answer does not hold tag ${tagHex(tag)}`);
  return hit.value;
}
