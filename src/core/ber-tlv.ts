import { CodecError } from './codec-error.js';
import { concatBytes } from './hex.js';

/** One BER-TLV data object (ISO/IEC 8825-1 as profiled by ISO/IEC 7816-4 §5.2.2 and EMV Book 3 Annex B). */
export interface BerTlv {
  /** Tag as a number of 1-3 bytes, e.g. 0x6F, 0x9F0C. */
  tag: number;
  constructed: boolean;
  value: Uint8Array;
  /** Children when constructed (parsed eagerly). */
  children: BerTlv[];
}

/** Parses a sequence of BER-TLV objects. Padding bytes 00 / FF between objects are skipped (EMV Book 3 B1). */
export function parseBerTlvs(bytes: Uint8Array, depth = 0): BerTlv[] {
  if (depth > 16) throw new CodecError('BAD_TLV', 'BER-TLV nesting deeper than 16 levels');
  const out: BerTlv[] = [];
  let i = 0;
  while (i < bytes.length) {
    const first = bytes[i]!;
    if (first === 0x00 || first === 0xff) {
      i++;
      continue;
    }
    let tag = first;
    i++;
    if ((first & 0x1f) === 0x1f) {
      let n = 0;
      for (;;) {
        if (i >= bytes.length) throw new CodecError('TRUNCATED', 'BER-TLV tag cut off');
        const b = bytes[i++]!;
        tag = (tag << 8) | b;
        if (++n > 2) throw new CodecError('BAD_TLV', 'BER-TLV tag longer than 3 bytes');
        if ((b & 0x80) === 0) break;
      }
    }
    if (i >= bytes.length) throw new CodecError('TRUNCATED', `BER-TLV tag ${tag.toString(16).toUpperCase()} has no length`);
    let len = bytes[i++]!;
    if (len & 0x80) {
      const n = len & 0x7f;
      if (n === 0 || n > 3) throw new CodecError('BAD_TLV', `BER-TLV length form 0x${len.toString(16)} not supported`);
      if (i + n > bytes.length) throw new CodecError('TRUNCATED', 'BER-TLV length cut off');
      len = 0;
      for (let k = 0; k < n; k++) len = (len << 8) | bytes[i++]!;
    }
    if (i + len > bytes.length) {
      throw new CodecError(
        'TRUNCATED',
        `BER-TLV tag ${tag.toString(16).toUpperCase()} declares ${len} bytes, only ${bytes.length - i} present`,
      );
    }
    const value = bytes.slice(i, i + len);
    i += len;
    const constructed = (first & 0x20) !== 0;
    out.push({ tag, constructed, value, children: constructed ? parseBerTlvs(value, depth + 1) : [] });
  }
  return out;
}

/** Depth-first search for the first object with `tag`. */
export function findBerTlv(objects: BerTlv[], tag: number): BerTlv | undefined {
  for (const o of objects) {
    if (o.tag === tag) return o;
    const inner = findBerTlv(o.children, tag);
    if (inner) return inner;
  }
  return undefined;
}

export function encodeBerTlv(tag: number, value: Uint8Array): Uint8Array {
  const tagBytes: number[] = [];
  for (let t = tag; t > 0; t >>>= 8) tagBytes.unshift(t & 0xff);
  if (tagBytes.length === 0) tagBytes.push(0);
  const len = value.length;
  const lenBytes = len < 0x80 ? [len] : len < 0x100 ? [0x81, len] : len < 0x10000 ? [0x82, len >> 8, len & 0xff] : null;
  if (!lenBytes) throw new CodecError('VALUE_TOO_LONG', 'BER-TLV value longer than 65535 bytes');
  return concatBytes(Uint8Array.from(tagBytes), Uint8Array.from(lenBytes), value);
}
