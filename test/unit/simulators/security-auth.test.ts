import { describe, expect, it } from 'vitest';
import { createSimulatedCard } from '../../../simulators/create-card.js';
import { SELECT_SSSE, SELECT_SSSE_NO_FCI, send } from './sim-helpers.js';
import { challenge, externalAuth, OPENSSL, scriptedRandom, secureCard, split, Terminal } from './security-helpers.js';

/** v3-sm4's EF06 record 1 (SSN 440305200102151026), as in security.test.ts. */
const V3_SSN = '0812343430333035323030313032313531303236';
const D8 = '1122334455667788';
const R8 = '0102030405060708';

describe('GET CHALLENGE 00 84 00 00 (docs/reference/card-spec.md §3)', () => {
  it('answers 4, 8 or 16 random bytes', () => {
    const card = secureCard('demo');
    for (const le of ['04', '08', '10']) {
      const { data, sw } = split(send(card, `00840000${le}`));
      expect(sw).toBe('9000');
      expect(data.length / 2).toBe(parseInt(le, 16));
    }
    const a = split(send(card, '0084000008')).data;
    const b = split(send(card, '0084000008')).data;
    expect(a).not.toBe(b);
  });

  it('other Le, no Le, data -> 6700; P1-P2 -> 6A86; works in any DF', () => {
    const card = secureCard('demo');
    for (const bad of ['0084000005', '0084000000', '00840000', '00840000020102']) expect(send(card, bad), bad).toBe('6700');
    expect(send(card, '0084010008')).toBe('6A86');
    const bare = createSimulatedCard('demo');
    expect(split(send(bare, '0084000008')).sw).toBe('9000');
  });

  it('a scripted random source makes challenges deterministic', () => {
    const card = secureCard('demo', { random: scriptedRandom(R8) });
    expect(send(card, '0084000008')).toBe(`${R8}9000`);
    expect(card.securitySnapshot().challengePending).toBe(true);
    send(card, '00200000');
    expect(card.securitySnapshot().challengePending).toBe(false);
  });
});

describe('INTERNAL AUTHENTICATE 00 88 00 00 10 (security profile step 5)', () => {
  for (const id of ['demo', 'v3-sm4'] as const) {
    it(`${id}: answers Auth(SessionKey(CK_IRK, r8), d8), the openssl number and the PSAM's`, () => {
      const card = secureCard(id);
      expect(send(card, `0088000010${R8}${D8}00`)).toBe(`${OPENSSL[id].auth.IRK}9000`);
      expect(send(card, `0088000010${R8}${D8}`)).toBe(`${OPENSSL[id].auth.IRK}9000`);
      const r8 = 'F0E1D2C3B4A59687';
      const expected = new Terminal(id).authValue('IRK', r8, 'CAFEBABE00000001');
      expect(send(card, `0088000010${r8}CAFEBABE0000000108`)).toBe(`${expected}9000`);
    });
  }

  it('data not 16 bytes -> 6700; P1-P2 -> 6A86; SSSE not selected -> 6A88; algorithm 02 -> 6A81', () => {
    const card = secureCard('demo');
    expect(send(card, `0088000008${R8}`)).toBe('6700');
    expect(send(card, `0088000110${R8}${D8}`)).toBe('6A86');
    expect(send(createSimulatedCard('demo'), `0088000010${R8}${D8}`)).toBe('6A88');
    const ssf33 = secureCard('demo', { change: (p) => ({ ...p, algorithm: '02' }) });
    expect(send(ssf33, `0088000010${R8}${D8}`)).toBe('6A81');
  });
});

describe('EXTERNAL AUTHENTICATE 00 82 00 <key id> 10 (security profile step 6)', () => {
  for (const id of ['demo', 'v3-sm4'] as const) {
    it(`${id}: the openssl-computed value for RKSSSE over a scripted R8 -> 9000 and the right`, () => {
      const card = secureCard(id, { random: scriptedRandom(R8) });
      expect(send(card, '0084000008')).toBe(`${R8}9000`);
      expect(send(card, `0082000A10${OPENSSL[id].auth.RKSSSE}${D8}`)).toBe('9000');
      expect(card.security.has('RKSSSE')).toBe(true);
    });

    it(`${id}: each key id opens its own role (0A RKSSSE, 04 UKSSSE, 06 PUK)`, () => {
      const card = secureCard(id);
      const t = new Terminal(id);
      for (const role of ['RKSSSE', 'UKSSSE', 'PUK'] as const) {
        expect(externalAuth(card, t, role), role).toBe('9000');
        expect(card.security.has(role)).toBe(true);
      }
    });
  }

  it('v3-sm4: EF06 reads after RKSSSE; a re-select of SSSE or a reset drops the right', () => {
    const card = secureCard('v3-sm4');
    const t = new Terminal('v3-sm4');
    expect(send(card, '00B2013414')).toBe('6982');
    expect(externalAuth(card, t, 'RKSSSE')).toBe('9000');
    expect(send(card, '00B2013414')).toBe(`${V3_SSN}9000`);
    expect(send(card, '00B0870001')).toBe('009000'); // EF07 too
    send(card, SELECT_SSSE);
    send(card, '00C000001E');
    expect(send(card, '00B2013414')).toBe('6982');
    expect(externalAuth(card, t, 'RKSSSE')).toBe('9000');
    card.reset();
    send(card, SELECT_SSSE_NO_FCI);
    expect(send(card, '00B2013414')).toBe('6982');
  });

  it('another key does not open EF06', () => {
    const card = secureCard('v3-sm4');
    expect(externalAuth(card, new Terminal('v3-sm4'), 'UKSSSE')).toBe('9000');
    expect(send(card, '00B2013414')).toBe('6982');
  });

  it('the other algorithm, or another card, gives a wrong value', () => {
    const card = secureCard('v3-sm4');
    // the demo card's (3DES) terminal computes with other keys and another algorithm
    expect(externalAuth(card, new Terminal('demo'), 'RKSSSE')).toBe('63C2');
    const zs = secureCard('v1-zhang-san');
    expect(externalAuth(zs, new Terminal('demo'), 'RKSSSE')).toBe('63C2');
    expect(externalAuth(zs, new Terminal('v1-zhang-san'), 'RKSSSE')).toBe('9000');
  });

  it('wrong values count down per key: 63C2, 63C1, 6983, then 6983 even with the right value', () => {
    const card = secureCard('demo');
    const t = new Terminal('demo');
    const wrong = () => {
      challenge(card, 8);
      return send(card, `0082000A10${'00'.repeat(8)}${D8}`);
    };
    expect(wrong()).toBe('63C2');
    expect(card.securitySnapshot().extAuthTriesLeft).toEqual({ RKSSSE: 2, UKSSSE: 3, PUK: 3 });
    expect(wrong()).toBe('63C1');
    expect(wrong()).toBe('6983');
    expect(externalAuth(card, t, 'RKSSSE')).toBe('6983');
    expect(card.security.has('RKSSSE')).toBe(false);
    // the other keys still work; the block persists over reset
    expect(externalAuth(card, t, 'UKSSSE')).toBe('9000');
    card.reset();
    send(card, SELECT_SSSE_NO_FCI);
    expect(externalAuth(card, t, 'RKSSSE')).toBe('6983');
    expect(card.securitySnapshot().extAuthTriesLeft.RKSSSE).toBe(0);
  });

  it('a success resets the key counter; extAuthTryLimit comes from the profile', () => {
    const card = secureCard('demo', { change: (p) => ({ ...p, security: { extAuthTryLimit: 5 } }) });
    const t = new Terminal('demo');
    challenge(card, 8);
    expect(send(card, `0082000A10${'00'.repeat(8)}${D8}`)).toBe('63C4');
    expect(externalAuth(card, t, 'RKSSSE')).toBe('9000');
    expect(card.securitySnapshot().extAuthTriesLeft.RKSSSE).toBe(5);
  });

  it('no challenge since reset -> 6984; used or stale challenge -> 6988; neither spends a try', () => {
    const card = secureCard('demo');
    const t = new Terminal('demo');
    expect(send(card, `0082000A10${'00'.repeat(8)}${D8}`)).toBe('6984');
    // used challenge: the same command again
    const r8 = challenge(card, 8);
    const good = `0082000A10${t.authValue('RKSSSE', r8, D8)}${D8}`;
    expect(send(card, good)).toBe('9000');
    expect(send(card, good)).toBe('6988');
    // stale: another command between GET CHALLENGE and EXTERNAL AUTHENTICATE
    const r8b = challenge(card, 8);
    send(card, '00200000');
    expect(send(card, `0082000A10${t.authValue('RKSSSE', r8b, D8)}${D8}`)).toBe('6988');
    // reset forgets the challenge: 6984 again
    const r8c = challenge(card, 8);
    card.reset();
    send(card, SELECT_SSSE_NO_FCI);
    expect(send(card, `0082000A10${t.authValue('RKSSSE', r8c, D8)}${D8}`)).toBe('6984');
    expect(card.securitySnapshot().extAuthTriesLeft.RKSSSE).toBe(3);
  });

  it('a 4-byte challenge counts as R ‖ 00000000', () => {
    const card = secureCard('demo');
    const t = new Terminal('demo');
    const r4 = challenge(card, 4);
    expect(send(card, `0082000A10${t.authValue('RKSSSE', `${r4}00000000`, D8)}${D8}`)).toBe('9000');
  });

  it('unknown key id -> 6A88; P1 -> 6A86; data not 16 bytes -> 6700; SSSE not selected -> 6A88; algorithm 02 -> 6A81', () => {
    const card = secureCard('demo');
    for (const keyId of ['00', '01', '07', '0B']) {
      challenge(card, 8);
      expect(send(card, `008200${keyId}10${'00'.repeat(16)}`), keyId).toBe('6A88');
    }
    expect(send(card, `0082010A10${'00'.repeat(16)}`)).toBe('6A86');
    expect(send(card, `0082000A08${'00'.repeat(8)}`)).toBe('6700');
    expect(send(createSimulatedCard('demo'), `0082000A10${'00'.repeat(16)}`)).toBe('6A88');
    expect(send(secureCard('demo', { change: (p) => ({ ...p, algorithm: '02' }) }), `0082000A10${'00'.repeat(16)}`)).toBe('6A81');
    expect(card.securitySnapshot().extAuthTriesLeft).toEqual({ RKSSSE: 3, UKSSSE: 3, PUK: 3 });
  });
});
