import { command, type CommandApdu } from '../../../apdu/command-apdu.js';
import { swHex, type ResponseApdu } from '../../../apdu/response-apdu.js';
import { statusWords } from '../../../apdu/status-words.js';
import type { BerTlv } from '../../../core/ber-tlv.js';
import { CardError } from '../../card-error.js';
import { expectTemplate, parseTlvs } from '../parse-tlvs.js';

/**
 * SELECT by DF name, first occurrence, FCI returned: `00 A4 04 00 Lc name 00` (EMV Book 1
 * §11.3.2, case 4). Used for the PSE / PPSE names and the application AIDs.
 */
export function buildSelectByName(name: Uint8Array): CommandApdu {
  return command(0x00, 0xa4, 0x04, 0x00, name, 256);
}

/** A SELECT outcome the session decides on (EMV Book 1 §12.3.2, §12.4). */
export type SelectOutcome =
  | { readonly status: 'selected'; readonly fci: BerTlv }
  /** 6A82: no such DF / application on this card. */
  | { readonly status: 'not-found' }
  /** 6283: the application exists but is blocked (EMV Book 1 §12.4 step 3). */
  | { readonly status: 'blocked' };

/** Parses the SELECT answer (status words: `SELECT PBOC` in apdu-specs/status-words.json): 9000 + `6F` FCI template. */
export function parseSelectByName(response: ResponseApdu, what: string): SelectOutcome {
  const outcome = statusWords().outcome('SELECT PBOC', response.sw)?.outcome;
  if (outcome === 'NOT_FOUND') return { status: 'not-found' };
  if (outcome === 'BLOCKED') return { status: 'blocked' };
  if (outcome === 'CARD_BLOCKED') throw new CardError('CARD_BLOCKED', `SELECT ${what}: the card is blocked (${swHex(response.sw)})`, swHex(response.sw));
  if (outcome !== 'OK') throw statusWords().errorFor(response.sw, `SELECT ${what}`);
  return { status: 'selected', fci: expectTemplate(parseTlvs(response.data, `FCI of ${what}`), 0x6f, `FCI of ${what}`) };
}
