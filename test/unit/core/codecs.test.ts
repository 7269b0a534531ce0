import { describe, expect, it } from 'vitest';
import { decodeCn, decodeHexItem, encodeCn, encodeDigitsF } from '../../../src/core/bcd.js';
import { findBerTlv, parseBerTlvs, encodeBerTlv } from '../../../src/core/ber-tlv.js';
import { CodecError } from '../../../src/core/codec-error.js';
import { decodeAn, decodeGbk, encodeAn, encodeGbk, splitGbk } from '../../../src/core/gbk.js';
import { fromHex, toHex } from '../../../src/core/hex.js';
import { encodeSimpleTlv, parseSimpleTlvs } from '../../../src/core/simple-tlv.js';

describe('hex', () => {
  it('round-trips and accepts separators', () => {
    expect(toHex(fromHex('00 a4:04\n00'))).toBe('00A40400');
  });
  it.each([['0G'], ['ABC'], ['zz']])('rejects %s with BAD_HEX', (bad) => {
    expect(() => fromHex(bad)).toThrow(CodecError);
    try {
      fromHex(bad);
    } catch (e) {
      expect((e as CodecError).code).toBe('BAD_HEX');
    }
  });
});

describe('cn (BCD, F-padded)', () => {
  it('decodes digits and hex letters up to the F padding', () => {
    expect(decodeCn(fromHex('20101001'))).toBe('20101001');
    expect(decodeCn(fromHex('639900D15600000500BF7C7A48FB4966'))).toBe('639900D15600000500BF7C7A48FB4966');
    expect(decodeCn(fromHex('1234FF'))).toBe('1234');
    expect(decodeCn(fromHex('3205001FFF'))).toBe('3205001');
    expect(decodeCn(fromHex('FF'))).toBe('');
  });
  it('keeps hex F inside a value, strips only the trailing run', () => {
    expect(decodeCn(fromHex('12F3'))).toBe('12F3');
    expect(decodeHexItem(fromHex('00BF7C7AFF'))).toBe('00BF7C7AFF');
  });
  it('encodes left-aligned with F padding and refuses overflow', () => {
    expect(toHex(encodeCn('320500', 4))).toBe('320500FF');
    expect(toHex(encodeDigitsF('12345'))).toBe('12345F');
    expect(() => encodeCn('123', 1)).toThrow(/does not fit/);
  });
  it('PIN digit errors do not echo the value', () => {
    try {
      encodeDigitsF('12a456');
      expect.unreachable();
    } catch (e) {
      expect((e as Error).message).not.toContain('12a456');
    }
  });
});

describe('GBK', () => {
  it('encodes and decodes Chinese names', () => {
    expect(toHex(encodeGbk('张三'))).toBe('D5C5C8FD');
    expect(decodeAn(fromHex('D5C5C8FD00000000'))).toBe('张三');
    expect(toHex(encodeAn('张三', 6))).toBe('D5C5C8FD0000');
  });
  it('decodes the SSSE DF name suffix 社会保障', () => {
    expect(decodeGbk(fromHex('C9E7BBE1B1A3D5CF'))).toBe('社会保障');
  });
  it('refuses invalid GBK and unencodable text', () => {
    expect(() => decodeGbk(fromHex('81'))).toThrow(CodecError);
    expect(() => encodeGbk('😀')).toThrow(/GBK cannot encode/);
  });
  it('splits without cutting a double-byte character', () => {
    const [a, b] = splitGbk('买买提·艾力', 5);
    expect(a).toBe('买买');
    expect(b).toBe('提·艾力');
  });
});

describe('simple-TLV', () => {
  it('parses a record stream', () => {
    const tlvs = parseSimpleTlvs(fromHex('020131 0304312E3030'));
    expect(tlvs.map((t) => [t.tag, toHex(t.value)])).toEqual([
      [0x02, '31'],
      [0x03, '312E3030'],
    ]);
  });
  it('reports truncation with offsets', () => {
    expect(() => parseSimpleTlvs(fromHex('0204AABB'))).toThrow(/declares 4 bytes, only 2/);
    expect(() => parseSimpleTlvs(fromHex('02'))).toThrow(/no length/);
  });
  it('stops at trailing padding but rejects tag 00 mid-stream', () => {
    expect(parseSimpleTlvs(fromHex('020131 0000'))).toHaveLength(1);
    expect(() => parseSimpleTlvs(fromHex('00 020131'))).toThrow(/invalid simple-TLV tag 00/);
  });
  it('encodes 1- and 3-byte lengths', () => {
    expect(toHex(encodeSimpleTlv(0x09, fromHex('AABB')))).toBe('0902AABB');
    expect(toHex(encodeSimpleTlv(0x09, new Uint8Array(300))).slice(0, 8)).toBe('09FF012C');
  });
});

describe('BER-TLV', () => {
  const fci = fromHex('6F1C840F7378312E73682EC9E7BBE1B1A3D5CFA50988011E9F0C03860101');
  it('parses the SSSE FCI (docs/reference/card-spec.md §1)', () => {
    const tlvs = parseBerTlvs(fci);
    expect(tlvs).toHaveLength(1);
    expect(toHex(findBerTlv(tlvs, 0x84)!.value)).toBe('7378312E73682EC9E7BBE1B1A3D5CF');
    expect(toHex(findBerTlv(tlvs, 0x88)!.value)).toBe('1E');
    expect(toHex(findBerTlv(tlvs, 0x9f0c)!.value)).toBe('860101');
  });
  it('handles long lengths and round-trips', () => {
    const v = new Uint8Array(200).fill(7);
    const enc = encodeBerTlv(0x9f79, v);
    expect(toHex(enc.subarray(0, 4))).toBe('9F7981C8');
    expect(parseBerTlvs(enc)[0]!.value).toEqual(v);
  });
  it('rejects truncated objects', () => {
    expect(() => parseBerTlvs(fromHex('6F10 8401'))).toThrow(CodecError);
    expect(() => parseBerTlvs(fromHex('9F'))).toThrow(/tag cut off/);
  });
});
