import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../../src/core/hex.js';
import { specs } from '../../../src/specs/load-specs.js';
import { desEcb, fold8, pad80, sm4Ecb, tdesEcb } from '../../../simulators/crypto/block-cipher.js';
import { authValue, cardKey, diversificationFactors, diversify, mac, sessionEcb, sessionKey } from '../../../simulators/crypto/reference-profile.js';
import { TEST_MASTER_KEYS_HEX } from '../../../simulators/crypto/test-master-keys.js';
import { deriveCardKeys, profileFactors } from '../../../simulators/card-keys.js';
import { loadProfile } from '../../../simulators/load-profile.js';
import { FACTORS, OPENSSL } from './security-helpers.js';

const h = fromHex;
const hex = toHex;

describe('block ciphers (known answers)', () => {
  it('SM4: GB/T 32907 example 1', () => {
    const k = h('0123456789ABCDEFFEDCBA9876543210');
    expect(hex(sm4Ecb(k, k))).toBe('681EDF34D206965E86B3E94F536E4246');
    expect(hex(sm4Ecb(k, h('681EDF34D206965E86B3E94F536E4246'), true))).toBe('0123456789ABCDEFFEDCBA9876543210');
  });

  it('single DES (as K‖K): the classic FIPS 46 worked example', () => {
    expect(hex(desEcb(h('133457799BBCDFF1'), h('0123456789ABCDEF')))).toBe('85E813540F0AB405');
  });

  it('3DES-EDE2 (openssl enc -des-ede-ecb -K 0123456789ABCDEFFEDCBA9876543210 -nopad)', () => {
    expect(hex(tdesEcb(h('0123456789ABCDEFFEDCBA9876543210'), h('0123456789ABCDEF')))).toBe('1A4D672DCA6CB335');
    // K1 = K2 degenerates to single DES
    expect(hex(tdesEcb(h('133457799BBCDFF1133457799BBCDFF1'), h('0123456789ABCDEF')))).toBe('85E813540F0AB405');
  });

  it('pad80 always adds; fold8 XORs the halves', () => {
    expect(hex(pad80(h('8424000004'), 8))).toBe('8424000004800000');
    expect(hex(pad80(h('0102030405060708'), 8))).toBe('01020304050607088000000000000000');
    expect(hex(pad80(h(''), 16))).toBe('80000000000000000000000000000000');
    expect(hex(fold8(h('0102030405060708F0F0F0F0F0F0F0F0')))).toBe('F1F2F3F4F5F6F7F8');
  });

  it('wrong key lengths are refused', () => {
    expect(() => tdesEcb(new Uint8Array(8), new Uint8Array(8))).toThrow(RangeError);
    expect(() => desEcb(new Uint8Array(16), new Uint8Array(8))).toThrow(RangeError);
    expect(() => sm4Ecb(new Uint8Array(8), new Uint8Array(16))).toThrow(RangeError);
  });
});


const R8 = h('0102030405060708');
const D8 = h('1122334455667788');
const R4PAD = h('A1B2C3D400000000');

describe('reference profile algorithms against openssl-computed numbers', () => {
  for (const [id, alg] of [['demo', '01'], ['v3-sm4', '03']] as const) {
    const ref = OPENSSL[id];
    const f = FACTORS[id];
    const factors = { f1: h(f.slice(0, 16)), f2: h(f.slice(16, 32)), f3: h(f.slice(32, 48)) };

    it(`${id} (${alg}): the factors of the profile (step 2)`, () => {
      const fromProfile = profileFactors(loadProfile(id), specs().atr);
      expect([hex(fromProfile.f1), hex(fromProfile.f2), hex(fromProfile.f3)].join('')).toBe(f);
      expect(diversificationFactors(id === 'demo' ? '110100' : '440300', factors.f3)).toEqual(fromProfile);
    });

    it(`${id} (${alg}): card keys, session keys, auth values (steps 1-4)`, () => {
      for (const role of ['RKSSSE', 'PUK', 'IRK'] as const) {
        expect(hex(cardKey(alg, h(TEST_MASTER_KEYS_HEX[role]), factors)), role).toBe(ref.CK[role]);
      }
      const keys = deriveCardKeys(loadProfile(id), specs().atr)!;
      expect(hex(keys.get('RKSSSE')!)).toBe(ref.CK.RKSSSE);
      for (const role of ['RKSSSE', 'IRK'] as const) {
        const sk = sessionKey(alg, h(ref.CK[role]), R8);
        expect(hex(sk), role).toBe(ref.SK_R8[role]);
        expect(hex(authValue(alg, sk, D8)), role).toBe(ref.auth[role]);
      }
    });

    it(`${id} (${alg}): MAC and PIN encryption (steps 7-8)`, () => {
      const sk = sessionKey(alg, h(ref.CK.PUK), R4PAD);
      expect(hex(sk)).toBe(ref.SK_R4.PUK);
      expect(hex(mac(alg, sk, h('8424000004')))).toBe(ref.unblockMac);
      const plain = alg === '01' ? '0365432180000000' : '03654321800000000000000000000000';
      const enc = sessionEcb(alg, sk, h(plain));
      expect(hex(enc)).toBe(ref.reload.enc);
      expect(hex(sessionEcb(alg, sk, enc, true))).toBe(plain);
      const lc = alg === '01' ? '0C' : '14';
      expect(hex(mac(alg, sk, h(`842400 01${lc}${ref.reload.enc}`)))).toBe(ref.reload.mac);
    });
  }

  it('diversify: 3DES = E(f) ‖ E(~f), SM4 = E(f ‖ ~f)', () => {
    const k = h(TEST_MASTER_KEYS_HEX.IRK);
    const f = h('0011223344556677');
    const d = diversify('01', k, f);
    expect(hex(d.subarray(0, 8))).toBe(hex(tdesEcb(k, f)));
    expect(hex(d.subarray(8))).toBe(hex(tdesEcb(k, h('FFEEDDCCBBAA9988'))));
    expect(hex(diversify('03', k, f))).toBe(hex(sm4Ecb(k, h('0011223344556677FFEEDDCCBBAA9988'))));
  });

  it('a card of algorithm 02 (SSF33) has no keys', () => {
    expect(deriveCardKeys({ ...loadProfile('demo'), algorithm: '02' }, specs().atr)).toBeUndefined();
  });
});
