import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../../src/core/hex.js';
import { PinBuffer } from '../../../src/core/pin-buffer.js';
import { atrHistoricalBytes, cardKeyContext } from '../../../src/keys/card-key-context.js';
import {
  authValue,
  cardKey,
  challengeR8,
  diversificationFactors,
  diversify,
  encryptPin,
  mac,
  pinPlainBlock,
  sessionKey,
} from '../../../src/keys/profile-crypto.js';
import { CARD, INPUTS, TEST_MASTER_KEYS, VECTORS } from './kat/reference-vectors.js';

const h = fromHex;
const card = { regionCode: CARD.regionCode, atrHistorical: h(CARD.atrHistorical) };

describe('step 2 inputs: factors and ATR historical bytes', () => {
  it('extracts the 13 historical bytes of 3B 6D 00 00 + 13', () => {
    expect(toHex(atrHistoricalBytes(h(CARD.atr)))).toBe(CARD.atrHistorical);
  });
  it('parses ATRs with TD chains too (ISO/IEC 7816-3 §8.2)', () => {
    // 3B 9F: TA1 95, TD1 81 -> TD2 31 -> TA3 FE, TB3 9F; then K = 15 historical bytes, then TCK
    const atr = h('3B9F958131FE9F' + '806A0102030405060708090A0B0C0D' + '42');
    expect(toHex(atrHistoricalBytes(atr))).toBe('806A0102030405060708090A0B0C0D');
    expect(() => atrHistoricalBytes(h('3B6D0000008143'))).toThrow(/declares 13 historical bytes/);
  });
  it('builds f1, f2, f3 from region 639900 and the ATR', () => {
    const f = diversificationFactors(CARD.regionCode, h(CARD.atrHistorical));
    expect([toHex(f.f1), toHex(f.f2), toHex(f.f3)]).toEqual([CARD.f1, CARD.f2, CARD.f3]);
  });
  it('validates region and ATR', () => {
    expect(() => diversificationFactors('63990', h(CARD.atrHistorical))).toThrow(/6 digits/);
    expect(() => diversificationFactors('639900', h('0081'))).toThrow(/at least 13/);
    const ctx = cardKeyContext({ algorithmId: 0x03, regionCode: '639900D15600000500BF7C7A48FB4966', atr: h(CARD.atr) });
    expect(ctx).toEqual({ algorithmId: '03', regionCode: '639900', atrHistorical: h(CARD.atrHistorical) });
    expect(() => cardKeyContext({ algorithmId: '02', regionCode: '639900', atr: h(CARD.atr) })).toThrow(/SSF33/);
  });
  it('expands a 4-byte challenge with 00000000', () => {
    expect(toHex(challengeR8(h('12345678')))).toBe('1234567800000000');
    expect(() => challengeR8(h('123456'))).toThrow(/4 or 8 bytes/);
  });
});

describe.each(['01', '03'] as const)('reference profile with the test master keys, algorithm %s', (alg) => {
  const v = VECTORS[alg];
  const ck = (role: keyof typeof TEST_MASTER_KEYS) => cardKey(alg, h(TEST_MASTER_KEYS[role]), card);

  it('step 1: one diversification level', () => {
    expect(toHex(diversify(alg, h(TEST_MASTER_KEYS.IRK), h(CARD.f1)))).toBe(v.divIrkF1);
  });

  it('step 2: card keys of every role', () => {
    for (const role of Object.keys(TEST_MASTER_KEYS) as (keyof typeof TEST_MASTER_KEYS)[]) {
      expect(toHex(ck(role)), role).toBe(v.ck[role]);
    }
  });

  it('steps 3-5: INTERNAL AUTHENTICATE', () => {
    const sk = sessionKey(alg, ck('IRK'), h(INPUTS.internalR8));
    expect(toHex(sk)).toBe(v.internal.sk);
    expect(toHex(authValue(alg, sk, h(INPUTS.d8)))).toBe(v.internal.auth);
  });

  it('step 6: EXTERNAL AUTHENTICATE values for RKSSSE, UKSSSE, PUK', () => {
    for (const role of ['RKSSSE', 'UKSSSE', 'PUK'] as const) {
      const sk = sessionKey(alg, ck(role), h(INPUTS.challenge8));
      expect(toHex(sk), role).toBe(v.external[role].sk);
      expect(toHex(authValue(alg, sk, h(INPUTS.d8))), role).toBe(v.external[role].auth);
    }
  });

  it('step 8 then 7: PIN RELOAD data and MAC (PUK, 4-byte challenge)', () => {
    const sk = sessionKey(alg, ck('PUK'), h(INPUTS.challenge4));
    expect(toHex(sk)).toBe(v.pukSk4);
    const pin = PinBuffer.fromString(INPUTS.pin);
    const enc = encryptPin(alg, sk, pin);
    expect(toHex(enc)).toBe(v.encPin123456);
    expect(enc.length + 4).toBe(alg === '01' ? 0x0c : 0x14); // Lc of step 8
    const header = h(alg === '01' ? '842400010C' : '8424000114');
    const full = new Uint8Array([...header, ...enc]);
    expect(toHex(full)).toBe(v.reloadInput);
    expect(toHex(mac(alg, sk, full))).toBe(v.reloadMac);
    expect(toHex(mac(alg, sk, h('8424000004')))).toBe(v.unblockMac);
  });

  it('step 8 with odd and long PINs', () => {
    const sk = sessionKey(alg, ck('PUK'), h(INPUTS.challenge4));
    expect(toHex(encryptPin(alg, sk, PinBuffer.fromString('12345')))).toBe(v.encPin12345);
    expect(toHex(encryptPin(alg, sk, PinBuffer.fromString('12345678901234')))).toBe(v.encPin14digits);
    expect(toHex(pinPlainBlock(alg, PinBuffer.fromString('12345')))).toBe(alg === '01' ? '0312345F80000000' : '0312345F800000000000000000000000');
    expect(() => encryptPin(alg, sk, PinBuffer.fromString('123'))).toThrow(/4-16 digits/);
  });

  it('step 10: APPLICATION BLOCK and CARD BLOCK MACs (BK)', () => {
    const sk = sessionKey(alg, ck('BK'), h(INPUTS.challenge4));
    expect(toHex(sk)).toBe(v.bkSk4);
    expect(toHex(mac(alg, sk, h('841E000104')))).toBe(v.appBlockMac);
    expect(toHex(mac(alg, sk, h('8416000004')))).toBe(v.cardBlockMac);
  });
});
