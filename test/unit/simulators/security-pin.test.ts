import { describe, expect, it } from 'vitest';
import { createSimulatedCard } from '../../../simulators/create-card.js';
import { loadProfile, validateProfile } from '../../../simulators/load-profile.js';
import { SELECT_SSSE_NO_FCI, send } from './sim-helpers.js';
import { secureCard } from './security-helpers.js';

/** VERIFY with a BCD PIN (docs/reference/card-spec.md §3). */
const verify = (pin: string) => `0020000003${pin}`;
const RIGHT = verify('123456');
const WRONG = verify('111111');

describe('VERIFY (docs/reference/card-spec.md §3)', () => {
  it('the default PIN 123456 verifies and grants PIN until re-select', () => {
    const card = secureCard('demo');
    expect(send(card, RIGHT)).toBe('9000');
    expect(card.security.has('PIN')).toBe(true);
    expect(send(card, '00A4020002EF05')).toBe('9000'); // an EF keeps it
    expect(card.security.has('PIN')).toBe(true);
    send(card, SELECT_SSSE_NO_FCI);
    expect(card.security.has('PIN')).toBe(false);
  });

  it('wrong PINs count down 63C2, 63C1, then 6983; every later VERIFY answers 6983', () => {
    const card = secureCard('demo');
    expect(send(card, WRONG)).toBe('63C2');
    expect(card.securitySnapshot().pinTriesLeft).toBe(2);
    expect(send(card, WRONG)).toBe('63C1');
    expect(send(card, WRONG)).toBe('6983');
    expect(card.securitySnapshot()).toMatchObject({ pinTriesLeft: 0, pinBlocked: true });
    expect(send(card, RIGHT)).toBe('6983');
    expect(send(card, '00200000')).toBe('6983');
    expect(send(card, '0020000000')).toBe('6983');
    expect(card.security.has('PIN')).toBe(false);
  });

  it('a right PIN resets the counter', () => {
    const card = secureCard('demo');
    expect(send(card, WRONG)).toBe('63C2');
    expect(send(card, WRONG)).toBe('63C1');
    expect(send(card, RIGHT)).toBe('9000');
    expect(card.securitySnapshot().pinTriesLeft).toBe(3);
    expect(send(card, WRONG)).toBe('63C2');
  });

  it('a wrong PIN drops a verified PIN', () => {
    const card = secureCard('demo');
    send(card, RIGHT);
    expect(send(card, WRONG)).toBe('63C2');
    expect(card.security.has('PIN')).toBe(false);
  });

  it('the try-status query (case 1 and Lc/Le = 00) spends nothing and answers 63Cx, also when verified', () => {
    const card = secureCard('demo');
    expect(send(card, '00200000')).toBe('63C3');
    expect(send(card, '0020000000')).toBe('63C3');
    send(card, WRONG);
    expect(send(card, '00200000')).toBe('63C2');
    expect(send(card, '0020000000')).toBe('63C2');
    expect(card.securitySnapshot().pinTriesLeft).toBe(2);
    send(card, RIGHT);
    expect(send(card, '00200000')).toBe('63C3');
  });

  it('PINs of 4 to 16 digits, F-padded; other lengths 6700, bad BCD 6A80, neither spends a try', () => {
    const card4 = secureCard('demo', { change: (p) => ({ ...p, security: { pin: '1234' } }) });
    expect(send(card4, '00200000021234')).toBe('9000');
    const card5 = secureCard('demo', { change: (p) => ({ ...p, security: { pin: '12345' } }) });
    expect(send(card5, '002000000312345F')).toBe('9000');
    expect(send(card5, '0020000003123456')).toBe('63C2');
    const card16 = secureCard('demo', { change: (p) => ({ ...p, security: { pin: '1234567890123456' } }) });
    expect(send(card16, '00200000081234567890123456')).toBe('9000');

    const card = secureCard('demo');
    for (const bad of ['002000000112', '0020000009123456789012345678', '00200000031234FF', '0020000003F23456', '00200000031A3456', '0020000002123F', '00200000031234F6']) {
      expect(send(card, bad), bad).toMatch(/^(6700|6A80)$/);
    }
    expect(send(card, '002000000112')).toBe('6700');
    expect(send(card, '00200000031A3456')).toBe('6A80');
    expect(send(card, '0020000002123F')).toBe('6A80'); // 3 digits
    expect(card.securitySnapshot().pinTriesLeft).toBe(3);
  });

  it('P1-P2 other than 0000 -> 6A86; SSSE not selected -> 6A88; CLA 80 -> 6E00', () => {
    const card = secureCard('demo');
    expect(send(card, '0020000103123456')).toBe('6A86');
    expect(send(card, '8020000003123456')).toBe('6E00');
    const bare = createSimulatedCard('demo'); // MF current
    expect(send(bare, RIGHT)).toBe('6A88');
    expect(send(bare, '00200000')).toBe('6A88');
  });

  it('the counter and the block persist over reset and power; the PIN right does not', () => {
    const card = secureCard('demo');
    send(card, WRONG);
    card.reset();
    send(card, SELECT_SSSE_NO_FCI);
    expect(send(card, '00200000')).toBe('63C2');
    send(card, RIGHT);
    card.powerOff();
    card.powerOn();
    expect(card.security.has('PIN')).toBe(false);
    send(card, SELECT_SSSE_NO_FCI);
    send(card, WRONG);
    send(card, WRONG);
    send(card, WRONG);
    card.reset();
    send(card, SELECT_SSSE_NO_FCI);
    expect(send(card, RIGHT)).toBe('6983');
  });
});

describe('CHANGE PIN 80 5E 01 00 (docs/reference/card-spec.md §3)', () => {
  const change = (old: string, next: string) => {
    const body = `${old}FF${next}`;
    return `805E0100${(body.length / 2).toString(16).toUpperCase().padStart(2, '0')}${body}`;
  };

  it('right old PIN -> 9000, the new PIN works, the old one does not, the counter is reset', () => {
    const card = secureCard('demo');
    expect(send(card, WRONG)).toBe('63C2');
    expect(send(card, change('123456', '13579F'))).toBe('9000');
    expect(card.securitySnapshot().pinTriesLeft).toBe(3);
    expect(card.security.has('PIN')).toBe(true);
    expect(send(card, RIGHT)).toBe('63C2');
    expect(send(card, '002000000313579F')).toBe('9000');
    // it persists over reset
    card.reset();
    send(card, SELECT_SSSE_NO_FCI);
    expect(send(card, '002000000313579F')).toBe('9000');
  });

  it('wrong old PIN spends a try (63Cx, then 6983) and changes nothing', () => {
    const card = secureCard('demo');
    expect(send(card, change('111111', '222222'))).toBe('63C2');
    expect(send(card, change('111111', '222222'))).toBe('63C1');
    expect(send(card, change('111111', '222222'))).toBe('6983');
    expect(send(card, change('123456', '222222'))).toBe('6983');
    expect(send(card, RIGHT)).toBe('6983');
  });

  it('malformed data -> 6A80 without spending a try; no data 6700; P1-P2 other than 0100 -> 6A86; CLA 00 -> 6E00', () => {
    const card = secureCard('demo');
    expect(send(card, '805E010006123456123456')).toBe('6A80'); // no separator
    expect(send(card, change('1234', '12'))).toBe('6A80'); // new PIN of 2 digits
    expect(send(card, change('123456', '12A456'))).toBe('6A80');
    expect(send(card, change('123456', '12345678901234567F'))).toBe('6A80'); // 17 digits
    expect(send(card, change('', '123456'))).toBe('6A80');
    expect(send(card, '805E0100')).toBe('6700');
    expect(send(card, change('123456', '654321').replace('805E0100', '805E0000'))).toBe('6A86');
    expect(send(card, change('123456', '654321').replace('805E', '005E'))).toBe('6E00');
    expect(card.securitySnapshot().pinTriesLeft).toBe(3);
    expect(send(card, RIGHT)).toBe('9000');
  });
});

describe('profile security settings', () => {
  it('pin, pinTryLimit and the initial tries come from the profile', () => {
    const card = secureCard('demo', { change: (p) => ({ ...p, security: { pin: '8888', pinTryLimit: 5, state: { pinTriesLeft: 2 } } }) });
    expect(send(card, '00200000')).toBe('63C2');
    expect(send(card, '00200000028888')).toBe('9000');
    expect(send(card, '00200000')).toBe('63C5');
    expect(card.securitySnapshot()).toMatchObject({ pinTryLimit: 5, extAuthTryLimit: 3 });
  });

  it('a card can start with its PIN blocked', () => {
    const card = secureCard('demo', { change: (p) => ({ ...p, security: { state: { pinTriesLeft: 0 } } }) });
    expect(send(card, RIGHT)).toBe('6983');
  });

  it('bad security settings are refused at load, naming the entry', () => {
    const base = loadProfile('demo');
    const bad: [unknown, RegExp][] = [
      [{ pin: '12a456' }, /security\.pin/],
      [{ pin: '123' }, /security\.pin/],
      [{ pinTryLimit: 0 }, /security\.pinTryLimit/],
      [{ pinTryLimit: 16 }, /security\.pinTryLimit/],
      [{ masterKeys: 'real' }, /security\.masterKeys/],
      [{ state: { pinTriesLeft: 4 } }, /security\.state\.pinTriesLeft/],
      [{ unknown: 1 }, /security/],
    ];
    for (const [security, message] of bad) {
      expect(() => validateProfile({ ...base, security }, 'x.json'), JSON.stringify(security)).toThrow(message);
    }
    expect(validateProfile({ ...base, security: { pin: '000000', pinTryLimit: 15, extAuthTryLimit: 1, masterKeys: 'test', state: { pinTriesLeft: 15, applicationBlocked: false, cardBlocked: false } } }, 'x.json').security?.pinTryLimit).toBe(15);
  });
});
