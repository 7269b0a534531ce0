import { CodecError } from './codec-error.js';
import { toHex } from './hex.js';

/**
 * `cn` items (docs/reference/card-spec.md §2): compressed numeric, left-aligned, padded on the right with F
 * nibbles. Some `cn` items hold hex letters A-E (the card identification code embeds the RID
 * `D156000005` and hex serials), so decoding returns every nibble before the trailing F run.
 * Items that fill their length with hex (no padding) use `decodeHexItem` instead.
 */
export function decodeCn(bytes: Uint8Array): string {
  // Only the trailing run of F is padding: hex serials inside a value may contain F.
  let end = bytes.length * 2;
  while (end > 0 && nibble(bytes, end - 1) === 0xf) end--;
  let s = '';
  for (let i = 0; i < end; i++) s += HEX_DIGITS[nibble(bytes, i)];
  return s;
}

const HEX_DIGITS = '0123456789ABCDEF';

/** Nibble `i` of `bytes`, high nibble first. */
function nibble(bytes: Uint8Array, i: number): number {
  const b = bytes[i >> 1]!;
  return i & 1 ? b & 0x0f : b >> 4;
}

/** True when every nibble of the decoded value is 0-9. */
export function isDecimal(text: string): boolean {
  return /^[0-9]*$/.test(text);
}

/**
 * Encodes nibbles (0-9, A-E) as `cn` of exactly `length` bytes, F-padded on the right.
 * Throws VALUE_TOO_LONG when the digits do not fit.
 */
export function encodeCn(nibbles: string, length: number): Uint8Array {
  if (!/^[0-9A-Ea-e]*$/.test(nibbles)) {
    throw new CodecError('BAD_BCD', `cn value may hold only 0-9 and A-E (got ${nibbles.length} characters)`);
  }
  if (nibbles.length > length * 2) {
    throw new CodecError('VALUE_TOO_LONG', `cn value of ${nibbles.length} nibbles does not fit ${length} bytes`);
  }
  const padded = nibbles.toUpperCase().padEnd(length * 2, 'F');
  return Uint8Array.from(Buffer.from(padded, 'hex'));
}

/**
 * BCD of decimal digits with F padding to a whole byte (PIN blocks, docs/reference/card-spec.md §3): "123456" ->
 * 12 34 56, "12345" -> 12 34 5F. Does not put the digits in any message.
 */
export function encodeDigitsF(digits: string): Uint8Array {
  if (!/^[0-9]*$/.test(digits)) throw new CodecError('BAD_BCD', 'value must contain only decimal digits');
  return encodeCn(digits, Math.ceil(digits.length / 2));
}

/** A `cn` item that is really hex filling its whole length (card identification code): no padding. */
export function decodeHexItem(bytes: Uint8Array): string {
  return toHex(bytes);
}
