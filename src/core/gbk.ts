import iconv from 'iconv-lite';
import { CodecError } from './codec-error.js';

/**
 * `an` items (docs/reference/card-spec.md §2): ASCII or GBK text padded on the right with 00. GBK is done by
 * iconv-lite (a well-kept codec library: we do not hand-roll the GBK tables).
 */
export function decodeAn(bytes: Uint8Array): string {
  // The text ends at the first 00: the trailing padding, or an interior NUL (e.g. version "2.0\0"
  // is only trailing; this is something else) kept out of the text, the caller reports the oddity.
  const nul = bytes.indexOf(0x00);
  return decodeGbk(nul < 0 ? bytes : bytes.subarray(0, nul));
}

/** Strict GBK decode: invalid sequences are a BAD_TEXT error, never replacement characters. */
export function decodeGbk(bytes: Uint8Array): string {
  // ASCII is a subset of GBK: most items (numbers, versions, classes) skip the codec.
  if (isAscii(bytes)) return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  const text = iconv.decode(Buffer.from(bytes), 'gbk');
  if (text.includes('\uFFFD')) {
    throw new CodecError('BAD_TEXT', `bytes are not valid GBK text (${bytes.length} bytes)`);
  }
  return text;
}

function isAscii(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) if (bytes[i]! >= 0x80) return false;
  return true;
}

export function encodeGbk(text: string): Uint8Array {
  const bytes = iconv.encode(text, 'gbk');
  // iconv-lite maps unencodable characters to '?'; refuse that instead of corrupting a name.
  const back = iconv.decode(bytes, 'gbk');
  if (back !== text) throw new CodecError('BAD_TEXT', 'text contains characters that GBK cannot encode');
  return Uint8Array.from(bytes);
}

/** Encodes as GBK and pads with 00 to exactly `length` bytes. */
export function encodeAn(text: string, length: number): Uint8Array {
  const bytes = encodeGbk(text);
  if (bytes.length > length) {
    throw new CodecError('VALUE_TOO_LONG', `text of ${bytes.length} GBK bytes does not fit ${length} bytes`);
  }
  const out = new Uint8Array(length);
  out.set(bytes);
  return out;
}

/**
 * Splits GBK text so the first part fits `firstLength` bytes without cutting a double-byte
 * character (docs/reference/card-spec.md §2: name 09 is continued by 4E).
 */
export function splitGbk(text: string, firstLength: number): [string, string] {
  let head = '';
  let used = 0;
  const chars = [...text];
  let i = 0;
  for (; i < chars.length; i++) {
    const n = encodeGbk(chars[i]!).length;
    if (used + n > firstLength) break;
    head += chars[i];
    used += n;
  }
  return [head, chars.slice(i).join('')];
}
