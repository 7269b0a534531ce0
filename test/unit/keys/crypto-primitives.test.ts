import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../../src/core/hex.js';
import { blockSize, parseAlgorithmId } from '../../../src/keys/algorithm.js';
import { cbcEncrypt, ecbDecrypt, ecbEncrypt } from '../../../src/keys/crypto/block-cipher.js';
import { fold8, not, pad80 } from '../../../src/keys/crypto/bytes.js';
import { cbcMacLastBlock } from '../../../src/keys/crypto/cbc-mac.js';
import { KeyError } from '../../../src/keys/key-error.js';

const h = fromHex;

describe('block ciphers (node:crypto) — published and independently computed vectors', () => {
  it('SM4: GB/T 32907-2016 Appendix A example 1', () => {
    // key = plaintext = 0123456789ABCDEFFEDCBA9876543210 -> 681EDF34D206965E86B3E94F536E4246
    const k = h('0123456789ABCDEFFEDCBA9876543210');
    expect(toHex(ecbEncrypt('sm4', k, k))).toBe('681EDF34D206965E86B3E94F536E4246');
    expect(toHex(ecbDecrypt('sm4', k, h('681EDF34D206965E86B3E94F536E4246')))).toBe('0123456789ABCDEFFEDCBA9876543210');
  });

  it('single DES: the classic FIPS 81 vector (key 0123456789ABCDEF, "Now is t")', () => {
    // FIPS PUB 81 Appendix B: "Now is the time for all " under 0123456789ABCDEF, first block 3FA40E8A984D4815.
    // Also checked with `openssl enc -des-ecb -provider legacy -provider default -nopad`.
    expect(toHex(ecbEncrypt('des', h('0123456789ABCDEF'), h('4E6F772069732074')))).toBe('3FA40E8A984D4815');
    expect(toHex(ecbDecrypt('des', h('0123456789ABCDEF'), h('3FA40E8A984D4815')))).toBe('4E6F772069732074');
  });

  it('3DES-EDE2: K1 = K2 degenerates to single DES; a two-key vector from the openssl CLI', () => {
    expect(toHex(ecbEncrypt('tdes', h('0123456789ABCDEF0123456789ABCDEF'), h('4E6F772069732074')))).toBe('3FA40E8A984D4815');
    // printf 4E6F772069732074 | xxd -r -p | openssl enc -des-ede-ecb -K 0123456789ABCDEF23456789ABCDEF01 -nopad | xxd -p
    expect(toHex(ecbEncrypt('tdes', h('0123456789ABCDEF23456789ABCDEF01'), h('4E6F772069732074')))).toBe('B7835779EE26ACB7');
  });

  it('CBC with IV zero chains blocks (DES, FIPS 81 CBC example first two blocks)', () => {
    // FIPS 81 Table C1 uses IV 1234567890ABCDEF; with IV 0 the first block equals ECB.
    const two = cbcEncrypt('des', h('0123456789ABCDEF'), h('4E6F7720697320744E6F772069732074'));
    expect(toHex(two.subarray(0, 8))).toBe('3FA40E8A984D4815');
    const second = ecbEncrypt('des', h('0123456789ABCDEF'), two.subarray(0, 8).map((b, i) => b ^ h('4E6F772069732074')[i]!));
    expect(toHex(two.subarray(8))).toBe(toHex(second));
  });

  it('rejects wrong key and data lengths with BAD_KEY_INPUT', () => {
    expect(() => ecbEncrypt('tdes', new Uint8Array(8), new Uint8Array(8))).toThrow(KeyError);
    expect(() => ecbEncrypt('sm4', new Uint8Array(16), new Uint8Array(8))).toThrow(/whole number of 16-byte blocks/);
    expect(() => ecbEncrypt('des', new Uint8Array(16), new Uint8Array(8))).toThrow(/des key must be 8 bytes/);
  });
});

describe('byte helpers', () => {
  it('pad80 always appends 80 then 00s (ISO/IEC 9797-1 method 2)', () => {
    expect(toHex(pad80(h('0312345680'), 8))).toBe('0312345680800000');
    expect(toHex(pad80(h('0102030405060708'), 8))).toBe('01020304050607088000000000000000');
    expect(toHex(pad80(new Uint8Array(0), 16))).toBe('80000000000000000000000000000000');
  });
  it('fold8 and not', () => {
    expect(toHex(fold8(h('00112233445566778899AABBCCDDEEFF')))).toBe('8888888888888888');
    expect(toHex(not(h('00FF3C')))).toBe('FF00C3');
  });
  it('cbcMacLastBlock pads before chaining', () => {
    const k = h('0123456789ABCDEFFEDCBA9876543210');
    expect(toHex(cbcMacLastBlock('sm4', k, new Uint8Array(0)))).toBe(toHex(ecbEncrypt('sm4', k, pad80(new Uint8Array(0), 16))));
  });
});

describe('card algorithm ids (FCI tag 86)', () => {
  it('accepts 01 and 03 in every spelling', () => {
    expect(parseAlgorithmId(1)).toBe('01');
    expect(parseAlgorithmId('03')).toBe('03');
    expect(parseAlgorithmId(Uint8Array.of(3))).toBe('03');
    expect(blockSize('01')).toBe(8);
    expect(blockSize('03')).toBe(16);
  });
  it('refuses SSF33 (02) and unknown ids with ALGORITHM_UNSUPPORTED', () => {
    expect(() => parseAlgorithmId('02')).toThrow(expect.objectContaining({ code: 'ALGORITHM_UNSUPPORTED', message: expect.stringMatching(/SSF33/) }));
    expect(() => parseAlgorithmId(0x04)).toThrow(expect.objectContaining({ code: 'ALGORITHM_UNSUPPORTED' }));
  });
});
