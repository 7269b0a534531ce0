import { CodecError } from './codec-error.js';
import { hexByte } from './hex.js';

/** One simple-TLV data object (ISO/IEC 7816-4 §5.2.1: tag 1 byte, length 1 or 3 bytes). */
export interface SimpleTlv {
  tag: number;
  value: Uint8Array;
  /** Offset of the tag byte in the parsed buffer. */
  offset: number;
}

/**
 * Parses a concatenation of simple-TLV objects, as a read-to-end READ RECORD returns them
 * (docs/reference/card-spec.md §2). Length FF means a 2-byte length follows. Tags 00 and FF are invalid per
 * ISO 7816-4; a trailing run of 00/FF bytes is treated as padding and stops parsing.
 */
export function parseSimpleTlvs(bytes: Uint8Array): SimpleTlv[] {
  const out: SimpleTlv[] = [];
  let i = 0;
  while (i < bytes.length) {
    const tag = bytes[i]!;
    if (tag === 0x00 || tag === 0xff) {
      if (bytes.subarray(i).every((b) => b === tag)) break;
      throw new CodecError('BAD_TLV', `invalid simple-TLV tag ${hexByte(tag)} at offset ${i}`);
    }
    if (i + 1 >= bytes.length) throw new CodecError('TRUNCATED', `simple-TLV tag ${hexByte(tag)} at offset ${i} has no length`);
    let len = bytes[i + 1]!;
    let head = 2;
    if (len === 0xff) {
      if (i + 3 >= bytes.length) throw new CodecError('TRUNCATED', `simple-TLV tag ${hexByte(tag)}: 3-byte length cut off`);
      len = (bytes[i + 2]! << 8) | bytes[i + 3]!;
      head = 4;
    }
    const start = i + head;
    if (start + len > bytes.length) {
      throw new CodecError(
        'TRUNCATED',
        `simple-TLV tag ${hexByte(tag)} at offset ${i} declares ${len} bytes, only ${bytes.length - start} present`,
      );
    }
    out.push({ tag, value: bytes.slice(start, start + len), offset: i });
    i = start + len;
  }
  return out;
}

export function encodeSimpleTlv(tag: number, value: Uint8Array): Uint8Array {
  if (tag === 0x00 || tag === 0xff || tag > 0xff || tag < 0) throw new CodecError('BAD_TLV', `invalid simple-TLV tag ${tag}`);
  const head = value.length < 0xff ? [tag, value.length] : [tag, 0xff, value.length >> 8, value.length & 0xff];
  if (value.length > 0xffff) throw new CodecError('VALUE_TOO_LONG', 'simple-TLV value longer than 65535 bytes');
  const out = new Uint8Array(head.length + value.length);
  out.set(head);
  out.set(value, head.length);
  return out;
}
