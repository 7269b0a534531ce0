import { toHex } from '../../core/hex.js';
import { decodeGbk } from '../../core/gbk.js';
import { CardError } from '../card-error.js';

/**
 * Value decoders of the EMV data element formats (EMV Book 3 §4.3): n (BCD, left-padded with
 * 0), cn (BCD, right-padded with F), an/ans text (GBK-aware: Chinese cards write names in GBK,
 * ASCII is its subset), dates n6 YYMMDD and times n6 HHMMSS. Every failure is a CardError
 * BAD_CARD_DATA naming the field, never a crash and never the value itself.
 */

function bad(field: string, why: string): CardError {
  return new CardError('BAD_CARD_DATA', `${field}: ${why}`);
}

/** n: every nibble 0-9. */
export function decodeNumeric(bytes: Uint8Array, field: string): string {
  const hex = toHex(bytes);
  if (!/^[0-9]*$/.test(hex)) throw bad(field, `not BCD digits (${bytes.length} bytes)`);
  return hex;
}

/** cn: digits then a run of F padding (EMV Book 3 §4.3). */
export function decodeCompressedNumeric(bytes: Uint8Array, field: string): string {
  const digits = toHex(bytes).replace(/F+$/, '');
  if (!/^[0-9]+$/.test(digits)) throw bad(field, `not compressed-numeric digits (${bytes.length} bytes)`);
  return digits;
}

/** n12 amount in the minor unit (fen); up to 15 digits stay exact in a JS number. */
export function decodeAmountFen(bytes: Uint8Array, field: string): number {
  if (bytes.length > 7) throw bad(field, `amount of ${bytes.length} bytes is longer than n14`);
  return Number(decodeNumeric(bytes, field) || '0');
}

/** Fen as yuan text with two decimals: 12345 -> "123.45", -5 -> "-0.05". */
export function formatYuan(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** n6 YYMMDD -> YYYY-MM-DD; YY 00-49 is 20YY, 50-99 is 19YY (EMV Book 4 §6.7.3). */
export function decodeDate(bytes: Uint8Array, field: string): string {
  if (bytes.length !== 3) throw bad(field, `date must be 3 bytes, got ${bytes.length}`);
  const d = decodeNumeric(bytes, field);
  const yy = Number(d.slice(0, 2));
  const [y, m, day] = [(yy < 50 ? 2000 : 1900) + yy, Number(d.slice(2, 4)), Number(d.slice(4, 6))];
  const t = new Date(Date.UTC(y, m - 1, day));
  if (t.getUTCFullYear() !== y || t.getUTCMonth() !== m - 1 || t.getUTCDate() !== day) throw bad(field, 'not a calendar date');
  return `${y}-${d.slice(2, 4)}-${d.slice(4, 6)}`;
}

/** n6 HHMMSS -> HH:MM:SS. */
export function decodeTime(bytes: Uint8Array, field: string): string {
  if (bytes.length !== 3) throw bad(field, `time must be 3 bytes, got ${bytes.length}`);
  const d = decodeNumeric(bytes, field);
  if (Number(d.slice(0, 2)) > 23 || Number(d.slice(2, 4)) > 59 || Number(d.slice(4, 6)) > 59) throw bad(field, 'not a time of day');
  return `${d.slice(0, 2)}:${d.slice(2, 4)}:${d.slice(4, 6)}`;
}

/** an / ans text: trailing 00 and spaces are padding; GBK (strict) for bytes >= 80. */
export function decodeText(bytes: Uint8Array, field: string): string {
  let end = bytes.length;
  while (end > 0 && (bytes[end - 1] === 0x00 || bytes[end - 1] === 0x20)) end--;
  try {
    return decodeGbk(bytes.subarray(0, end));
  } catch (cause) {
    throw new CardError('BAD_CARD_DATA', `${field}: not GBK text (${bytes.length} bytes)`, undefined, { cause });
  }
}

/** Track 2 equivalent data (tag 57, EMV Book 3 Annex A): PAN `D` YYMM service code ... `F`. */
export interface Track2 {
  readonly pan: string;
  /** YYMM as `YYYY-MM`. */
  readonly expiryMonth: string;
  readonly serviceCode: string;
}

export function decodeTrack2(bytes: Uint8Array, field = 'track 2 (57)'): Track2 {
  const hex = toHex(bytes).replace(/F$/, '');
  const m = /^([0-9]{1,19})D([0-9]{2})([0-9]{2})([0-9]{3})[0-9]*$/.exec(hex);
  if (!m) throw bad(field, `not track 2 equivalent data (${bytes.length} bytes)`);
  const yy = Number(m[2]);
  const month = Number(m[3]);
  if (month < 1 || month > 12) throw bad(field, 'expiry month out of range');
  return { pan: m[1]!, expiryMonth: `${(yy < 50 ? 2000 : 1900) + yy}-${m[3]}`, serviceCode: m[4]! };
}
