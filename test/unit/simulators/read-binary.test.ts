import { describe, expect, it } from 'vitest';
import { cardWith, selectedCard, send } from './sim-helpers.js';

/** EF08 (photo, 4096 bytes) starting with a synthetic JPEG header, the rest 00; EF07 with 0x300 bytes 11. */
const PHOTO = 'FFD8FFE000104A464946000101';
const FINGER = '11'.repeat(0x300);

function card(leZero: '6Cxx' | 'data' = '6Cxx') {
  const c = selectedCard(
    cardWith('demo', (p) => ({ ...p, behaviour: { ...p.behaviour, leZero }, transparent: { EF08: PHOTO, EF07: FINGER } })),
  );
  c.security.grant('RKSSSE');
  return c;
}

describe('READ BINARY (EF07 / EF08, docs/reference/card-spec.md §1)', () => {
  it('needs RKSSSE: 6982 before grant', () => {
    const c = selectedCard('v1-empty-version');
    expect(send(c, '00B0880004')).toBe('6982');
    expect(send(c, '00A4020002EF08')).toBe('9000');
    expect(send(c, '00B0000004')).toBe('6982');
    c.security.grant('RKSSSE');
    expect(send(c, '00B0000004')).toBe('000000009000'); // this profile has no photo: 00
  });

  it('by SFI in P1 (1 0 0 SFI) with offset P2', () => {
    const c = card();
    expect(send(c, '00B088000D')).toBe(`${PHOTO}9000`);
    expect(send(c, '00B0880204')).toBe('FFE000109000');
    expect(send(c, '00B0870002')).toBe('11119000');
  });

  it('by the current EF with a 15-bit offset; an SFI read makes the EF current', () => {
    const c = card();
    expect(send(c, '00B0880001')).toBe('FF9000');
    expect(send(c, '00B0000B02')).toBe('01019000');
    expect(send(c, '00B00FFF01')).toBe('009000'); // last byte of 4096
  });

  it('offset at or past the end -> 6B00', () => {
    const c = card();
    expect(send(c, '00A4020002EF07')).toBe('9000');
    expect(send(c, '00B002FF01')).toBe('119000'); // last byte of 0x300
    expect(send(c, '00B0030001')).toBe('6B00');
    expect(send(c, '00B07FFF01')).toBe('6B00');
  });

  it('Le past the end -> 6Cxx with the bytes left; Le = 00 per profile', () => {
    const c = card();
    expect(send(c, '00A4020002EF07')).toBe('9000');
    expect(send(c, '00B002FE04')).toBe('6C02');
    expect(send(c, '00B002FE02')).toBe('11119000');
    expect(send(c, '00B002FE00')).toBe('6C02');
    expect(send(c, '00B002FE')).toBe('6C02');
    expect(send(c, '00B0000000')).toBe(`${'11'.repeat(256)}9000`); // Le 00 = 256 bytes available
    const d = card('data');
    expect(send(d, '00A4020002EF07')).toBe('9000');
    expect(send(d, '00B002FE00')).toBe('11119000');
  });

  it('errors: no current EF 6986, record EF 6981, unknown SFI 6A82, bad P1 6A86', () => {
    const c = card();
    expect(send(c, '00B0000001')).toBe('6986');
    expect(send(c, '00B0850001')).toBe('6981'); // SFI 5 = EF05, records
    expect(send(c, '00B0890001')).toBe('6A82');
    expect(send(c, '00B0800001')).toBe('6A86');
    expect(send(c, '00B0C80001')).toBe('6A86');
  });

  it('extended Le (profile behaviour.extendedLength): the whole EF in one command; 6282 when the file ends first; 6700 without the switch', () => {
    const c = card();
    expect(send(c, '00B08800001000')).toBe('6700'); // T=0 chip: no extended fields
    const e = selectedCard(cardWith('demo', (p) => ({ ...p, behaviour: { ...p.behaviour, extendedLength: true }, transparent: { EF08: PHOTO } })));
    e.security.grant('RKSSSE');
    const whole = send(e, '00B08800001000');
    expect(whole).toBe(`${PHOTO}${'00'.repeat(4096 - PHOTO.length / 2)}9000`);
    expect(send(e, '00B00F00000200')).toBe(`${'00'.repeat(0x100)}6282`); // offset 0x0F00: 256 bytes left of 512 asked
  });
});
