import { describe, expect, it } from 'vitest';
import { createSimulatedCard } from '../../../simulators/create-card.js';
import { loadProfile } from '../../../simulators/load-profile.js';
import { SELECT_SSSE, SELECT_SSSE_NO_FCI, send } from './sim-helpers.js';
import { challenge, macCommand, OPENSSL, scriptedRandom, secureCard, Terminal } from './security-helpers.js';

const RIGHT = '0020000003123456';
const WRONG = '0020000003111111';
const R4 = 'A1B2C3D4';

function blockPin(card: ReturnType<typeof secureCard>): void {
  for (let i = 0; i < 3; i++) send(card, WRONG);
  expect(card.securitySnapshot().pinBlocked).toBe(true);
}

describe('PIN UNBLOCK 84 24 00 00 04 mac (security profile steps 7, 9)', () => {
  for (const id of ['demo', 'v3-sm4'] as const) {
    it(`${id}: the openssl-computed MAC over a scripted challenge resets the counter, PIN unchanged`, () => {
      const card = secureCard(id, { random: scriptedRandom(R4) });
      blockPin(card);
      expect(send(card, '0084000004')).toBe(`${R4}9000`);
      expect(send(card, `8424000004${OPENSSL[id].unblockMac}`)).toBe('9000');
      expect(card.securitySnapshot()).toMatchObject({ pinTriesLeft: 3, pinBlocked: false });
      expect(send(card, RIGHT)).toBe('9000');
    });

    it(`${id}: with the PSAM-computed MAC, also when the PIN is not blocked`, () => {
      const card = secureCard(id);
      send(card, WRONG);
      expect(macCommand(card, new Terminal(id), 'PUK', '84240000')).toBe('9000');
      expect(card.securitySnapshot().pinTriesLeft).toBe(3);
    });
  }

  it('wrong MAC -> 6988; no challenge asked -> 6984; used or stale challenge -> 6988; nothing changes', () => {
    const card = secureCard('demo');
    const t = new Terminal('demo');
    blockPin(card);
    expect(send(card, '842400000400000000')).toBe('6984');
    challenge(card, 4);
    expect(send(card, '842400000400000000')).toBe('6988');
    // MAC under the wrong role (BK instead of PUK)
    expect(macCommand(card, t, 'BK', '84240000')).toBe('6988');
    // a right MAC sent twice: the second use of the challenge is stale
    const command = t.macCommand('PUK', challenge(card, 4), '84240000');
    expect(send(card, command)).toBe('9000');
    blockPin(card);
    expect(send(card, command)).toBe('6988');
    // stale: a command between GET CHALLENGE and the MAC command
    const r4 = challenge(card, 4);
    send(card, '00200000');
    expect(send(card, t.macCommand('PUK', r4, '84240000'))).toBe('6988');
    expect(card.securitySnapshot().pinBlocked).toBe(true);
  });

  it('data not 4 bytes -> 6700; P1-P2 -> 6A86; CLA 00 -> 6E00; SSSE not selected -> 6A88; algorithm 02 -> 6A81', () => {
    const card = secureCard('demo');
    challenge(card, 4);
    expect(send(card, '84240000050000000000')).toBe('6700');
    expect(send(card, '842401000400000000')).toBe('6A86');
    expect(send(card, '842400020400000000')).toBe('6A86');
    expect(send(card, '002400000400000000')).toBe('6E00');
    expect(send(createSimulatedCard('demo'), '842400000400000000')).toBe('6A88');
    expect(send(secureCard('demo', { change: (p) => ({ ...p, algorithm: '02' }) }), '842400000400000000')).toBe('6A81');
  });
});

describe('PIN RELOAD 84 24 00 01 Lc enc ‖ mac (security profile step 8)', () => {
  for (const id of ['demo', 'v3-sm4'] as const) {
    it(`${id}: the openssl-computed enc ‖ mac sets PIN 654321 and resets the counter`, () => {
      const card = secureCard(id, { random: scriptedRandom(R4) });
      blockPin(card);
      expect(send(card, '0084000004')).toBe(`${R4}9000`);
      const { enc, mac } = OPENSSL[id].reload;
      const lc = id === 'demo' ? '0C' : '14';
      expect(send(card, `84240001${lc}${enc}${mac}`)).toBe('9000');
      expect(card.securitySnapshot().pinTriesLeft).toBe(3);
      expect(send(card, RIGHT)).toBe('63C2');
      expect(send(card, '0020000003654321')).toBe('9000');
    });

    it(`${id}: PINs of 4, 5, 12 and 16 digits reload through the PSAM`, () => {
      const card = secureCard(id);
      const t = new Terminal(id);
      for (const pin of ['4321', '97531', '123456789012', '1234567890123456']) {
        expect(send(card, t.pinReload(challenge(card, 4), pin)), pin).toBe('9000');
        const bcd = pin.length % 2 ? `${pin}F` : pin;
        expect(send(card, `00200000${(bcd.length / 2).toString(16).padStart(2, '0')}${bcd}`), pin).toBe('9000');
      }
    });
  }

  it('wrong MAC -> 6988 and the PIN stays', () => {
    const card = secureCard('demo');
    const t = new Terminal('demo');
    const command = t.pinReload(challenge(card, 4), '654321');
    challenge(card, 4); // a new challenge: the MAC was over the old one
    expect(send(card, command)).toBe('6988');
    expect(send(card, RIGHT)).toBe('9000');
  });

  it('bad plaintext -> 6A80 (right MAC), nothing changes', () => {
    const card = secureCard('demo');
    const t = new Terminal('demo');
    send(card, WRONG);
    const badPlain = (plain: string) => {
      const r4 = challenge(card, 4);
      t.init('PUK', r4);
      const enc = send(t.psam, `80FA0100${(plain.length / 2).toString(16).padStart(2, '0')}${plain}`).slice(0, -4);
      return send(card, t.macCommand('PUK', r4, '84240001', enc));
    };
    expect(badPlain('0365432180000000')).toBe('9000'); // the good one, as a control
    send(card, WRONG);
    expect(badPlain('0312A45680000000')).toBe('6A80'); // not BCD
    expect(badPlain('0365432100000000')).toBe('6A80'); // no 80
    expect(badPlain('0365432180000001')).toBe('6A80'); // padding not 00
    expect(badPlain('0112800000000000')).toBe('6A80'); // LD 1: 2 digits
    expect(badPlain('0965432180000000')).toBe('6A80'); // LD past the block
    expect(badPlain('03654321800000000000000000000000')).toBe('6A80'); // one block too many
    expect(card.securitySnapshot().pinTriesLeft).toBe(2);
    expect(send(card, '0020000003654321')).toBe('9000');
  });

  it('enc not whole blocks -> 6700', () => {
    const card = secureCard('v3-sm4');
    challenge(card, 4);
    expect(send(card, `842400010C${'00'.repeat(12)}`)).toBe('6700'); // 8 + 4: SM4 blocks are 16
    expect(send(card, `8424000104${'00'.repeat(4)}`)).toBe('6700');
  });
});

describe('APPLICATION BLOCK 84 1E 00 01 04 mac (step 10)', () => {
  for (const id of ['demo', 'v3-sm4'] as const) {
    it(`${id}: 9000, then 9303 inside SSSE and on every SELECT of SSSE, for good`, () => {
      const card = secureCard(id);
      const t = new Terminal(id);
      expect(macCommand(card, t, 'PUK', '841E0001')).toBe('6988'); // PUK is not the block key
      expect(card.securitySnapshot().applicationBlocked).toBe(false);
      expect(macCommand(card, t, 'BK', '841E0001')).toBe('9000');
      expect(card.securitySnapshot().applicationBlocked).toBe(true);
      expect(send(card, '00B2010414')).toBe('9303'); // still in SSSE
      expect(send(card, RIGHT)).toBe('9303');
      expect(send(card, '00A4020002EF05')).toBe('9303');
      expect(send(card, SELECT_SSSE)).toBe('9303');
      expect(send(card, '00A4040006D15600000500')).toBe('9303'); // a sub-application of SSSE
      expect(send(card, '00A40000023F00')).toBe('9000'); // the MF is still there
      expect(send(card, SELECT_SSSE_NO_FCI)).toBe('9303');
      expect(send(card, '00A4040006D15600000599')).toBe('6A82');
      card.reset();
      expect(send(card, SELECT_SSSE)).toBe('9303');
      expect(send(card, '0084000008').slice(-4)).toBe('9000'); // GET CHALLENGE in the MF
    });
  }

  it('no challenge -> 6984; P1-P2 -> 6A86; data -> 6700; SSSE not selected -> 6A88', () => {
    const card = secureCard('demo');
    expect(send(card, '841E00010400000000')).toBe('6984');
    expect(send(card, '841E00000400000000')).toBe('6A86');
    challenge(card, 4);
    expect(send(card, '841E0001050000000000')).toBe('6700');
    expect(send(createSimulatedCard('demo'), '841E00010400000000')).toBe('6A88');
    expect(card.securitySnapshot().applicationBlocked).toBe(false);
  });

  it('a profile can start with the application blocked', () => {
    const card = createSimulatedCard({ ...loadProfile('demo'), security: { state: { applicationBlocked: true } } });
    expect(send(card, SELECT_SSSE)).toBe('9303');
  });
});

describe('CARD BLOCK 84 16 00 00 04 mac (step 10)', () => {
  for (const id of ['demo', 'v3-sm4'] as const) {
    it(`${id}: 9000, then every command answers 6A81, also after reset`, () => {
      const card = secureCard(id);
      const t = new Terminal(id);
      expect(macCommand(card, t, 'BK', '84160000')).toBe('9000');
      expect(card.securitySnapshot().cardBlocked).toBe(true);
      for (const apdu of [SELECT_SSSE, '00B2010414', RIGHT, '0084000008', '00A40000023F00', '00C000001E', 'FFFFFFFF', '00', '84160000']) {
        expect(send(card, apdu), apdu).toBe('6A81');
      }
      card.powerOff();
      card.powerOn();
      expect(send(card, SELECT_SSSE)).toBe('6A81');
    });
  }

  it('works from the MF (the card, not the application); bad MAC 6988; P1-P2 6A86; data 6700', () => {
    const card = createSimulatedCard('demo');
    const t = new Terminal('demo');
    expect(send(card, '841600000400000000')).toBe('6984');
    challenge(card, 4);
    expect(send(card, '841600000400000000')).toBe('6988');
    expect(send(card, '841600010400000000')).toBe('6A86');
    challenge(card, 4);
    expect(send(card, '84160000050000000000')).toBe('6700');
    expect(card.securitySnapshot().cardBlocked).toBe(false);
    expect(macCommand(card, t, 'BK', '84160000')).toBe('9000');
    expect(send(card, SELECT_SSSE)).toBe('6A81');
  });

  it('a profile can start with the card blocked', () => {
    const card = createSimulatedCard({ ...loadProfile('demo'), security: { state: { cardBlocked: true } } });
    expect(send(card, SELECT_SSSE)).toBe('6A81');
  });
});
