import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { toHex } from '../../../src/core/hex.js';
import { PinBuffer, PinBufferError } from '../../../src/core/pin-buffer.js';

describe('PinBuffer', () => {
  it('never shows the digits in any textual view', () => {
    const pin = PinBuffer.fromString('123456');
    for (const text of [String(pin), `${pin}`, JSON.stringify({ pin }), inspect(pin), inspect({ nested: { pin } }), pin.toString()]) {
      expect(text).not.toMatch(/123456/);
      expect(text).toMatch(/<PIN redacted>/);
    }
  });
  it('gives F-padded BCD and ASCII copies', () => {
    expect(toHex(PinBuffer.fromString('123456').toBcd())).toBe('123456');
    expect(toHex(PinBuffer.fromString('12345').toBcd())).toBe('12345F');
    expect(toHex(PinBuffer.fromAscii(Uint8Array.of(0x39, 0x30)).copyAscii())).toBe('3930');
    expect(PinBuffer.fromString('0000').length).toBe(4);
  });
  it('rejects non-digits without quoting them', () => {
    expect(() => PinBuffer.fromString('12a456')).toThrow(PinBufferError);
    expect(() => PinBuffer.fromString('12a456')).not.toThrow(/12a456/);
    expect(() => PinBuffer.fromString('')).toThrow(/decimal digits/);
    expect(() => PinBuffer.fromAscii(Uint8Array.of(0x31, 0x20))).toThrow(/decimal digits/);
  });
  it('copies input bytes, and wipe() zeroes and locks', () => {
    const src = Uint8Array.of(0x31, 0x32, 0x33, 0x34);
    const pin = PinBuffer.fromAscii(src);
    src.fill(0);
    expect(toHex(pin.toBcd())).toBe('1234');
    pin.wipe();
    expect(pin.wiped).toBe(true);
    expect(() => pin.toBcd()).toThrow(expect.objectContaining({ code: 'PIN_WIPED' }));
  });
});
