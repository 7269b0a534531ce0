import { describe, expect, it } from 'vitest';
import { ApduError } from '../../../src/apdu/apdu-error.js';
import { decodeCommand, encodeCommand } from '../../../src/apdu/command-apdu.js';
import { decodeResponse } from '../../../src/apdu/response-apdu.js';
import { fromHex, toHex } from '../../../src/core/hex.js';

const enc = (c: Parameters<typeof encodeCommand>[0]) => toHex(encodeCommand(c));
const empty = new Uint8Array(0);

describe('CommandApdu (ISO/IEC 7816-4 §5.1 cases)', () => {
  it('encodes cases 1, 2S, 3S, 4S', () => {
    expect(enc({ cla: 0, ins: 0xa4, p1: 0, p2: 0, data: empty })).toBe('00A40000');
    expect(enc({ cla: 0, ins: 0xb2, p1: 1, p2: 0x2d, data: empty, ne: 0x40 })).toBe('00B2012D40');
    expect(enc({ cla: 0, ins: 0xb2, p1: 1, p2: 4, data: empty, ne: 256 })).toBe('00B2010400');
    expect(enc({ cla: 0, ins: 0xa4, p1: 2, p2: 0, data: fromHex('EF05') })).toBe('00A4020002EF05');
    expect(enc({ cla: 0, ins: 0xa4, p1: 4, p2: 0, data: fromHex('D15600000590'), ne: 256 })).toBe('00A4040006D1560000059000');
  });
  it('encodes extended cases', () => {
    expect(enc({ cla: 0, ins: 0xb0, p1: 0, p2: 0, data: empty, ne: 4096 })).toBe('00B00000001000');
    expect(enc({ cla: 0, ins: 0xb0, p1: 0, p2: 0, data: empty, ne: 65536 })).toBe('00B00000000000');
    const big = new Uint8Array(300);
    expect(enc({ cla: 0, ins: 0xd6, p1: 0, p2: 0, data: big }).slice(0, 14)).toBe('00D6000000012C');
    expect(enc({ cla: 0, ins: 0xd6, p1: 0, p2: 0, data: new Uint8Array(2), ne: 256, extended: true })).toBe('00D600000000020000' + '0100');
  });
  it('decodes every case back', () => {
    for (const hex of ['00A40000', '00B2012D40', '00B2010400', '00A4020002EF05', '00A4040006D1560000059000', '00B00000001000', '00D60000000002AABB0100']) {
      expect(toHex(encodeCommand(decodeCommand(fromHex(hex))))).toBe(hex);
    }
  });
  it.each(['00A4', '00A4020003EF05', '00A4020000000201', '00B000000000'])('rejects malformed %s', (hex) => {
    expect(() => decodeCommand(fromHex(hex))).toThrow(ApduError);
  });
  it('rejects out-of-range fields', () => {
    expect(() => encodeCommand({ cla: 256, ins: 0, p1: 0, p2: 0, data: empty })).toThrow(/CLA must be a byte/);
    expect(() => encodeCommand({ cla: 0, ins: 0, p1: 0, p2: 0, data: empty, ne: 0 })).toThrow(/Ne must be/);
  });
});

describe('ResponseApdu', () => {
  it('splits data and SW', () => {
    const r = decodeResponse(fromHex('AABB9000'));
    expect(toHex(r.data)).toBe('AABB');
    expect(r.sw).toBe(0x9000);
  });
  it('rejects a response without status word', () => {
    expect(() => decodeResponse(fromHex('90'))).toThrow(/no status word/);
    expect(() => decodeResponse(new Uint8Array(0))).toThrow(ApduError);
  });
});
