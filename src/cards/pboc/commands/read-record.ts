import { command, type CommandApdu } from '../../../apdu/command-apdu.js';
import type { ResponseApdu } from '../../../apdu/response-apdu.js';
import { swHex } from '../../../apdu/response-apdu.js';
import { statusWords } from '../../../apdu/status-words.js';
import type { BerTlv } from '../../../core/ber-tlv.js';
import { CardError } from '../../card-error.js';
import { expectTemplate, parseTlvs } from '../parse-tlvs.js';

/** READ RECORD `00 B2 rec (SFI<<3)|4 00` (EMV Book 3 §6.5.11; docs/reference/card-spec.md §5). */
export function buildPbocReadRecord(sfi: number, record: number): CommandApdu {
  if (!Number.isInteger(sfi) || sfi < 1 || sfi > 30) throw new CardError('BAD_CARD_DATA', `SFI ${sfi} is outside 1-30`);
  if (!Number.isInteger(record) || record < 1 || record > 255) throw new CardError('BAD_CARD_DATA', `record number ${record} is outside 1-255`);
  return command(0x00, 0xb2, record, (sfi << 3) | 0b100, undefined, 256);
}

/** What a status word means for READ RECORD here (`READ RECORD PBOC` in apdu-specs/status-words.json). */
const outcomeOf = (sw: number): string | undefined => statusWords().outcome('READ RECORD PBOC', sw)?.outcome;

export type RecordOutcome =
  | { readonly status: 'record'; readonly template: BerTlv }
  /** 6A83: no such record (end of the file). */
  | { readonly status: 'end' }
  /** 6A82: no file with this SFI. */
  | { readonly status: 'no-file' }
  /** 6982 / 6985 / 6986: the card wants GPO (or more) before this record. */
  | { readonly status: 'refused'; readonly sw: string };

/** Parses a READ RECORD answer whose data is a `70` record template (EMV Book 3 §6.5.11.4). */
export function parsePbocRecord(response: ResponseApdu, what: string): RecordOutcome {
  const sw = response.sw;
  const outcome = outcomeOf(sw);
  if (outcome === 'END') return { status: 'end' };
  if (outcome === 'NO_FILE') return { status: 'no-file' };
  if (outcome === 'REFUSED') return { status: 'refused', sw: swHex(sw) };
  if (outcome !== 'OK') throw statusWords().errorFor(sw, `READ RECORD ${what}`);
  return { status: 'record', template: expectTemplate(parseTlvs(response.data, what), 0x70, what) };
}

/** A log record is the raw bytes the 9F4F layout describes, not a template (EMV Book 3 Annex D). */
export function parseLogRecord(response: ResponseApdu, what: string): Uint8Array | 'end' {
  const outcome = outcomeOf(response.sw);
  if (outcome === 'END' || outcome === 'NO_FILE') return 'end';
  if (outcome !== 'OK') throw statusWords().errorFor(response.sw, `READ RECORD ${what}`);
  return response.data;
}
