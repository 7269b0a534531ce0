import { describe, expect, it } from 'vitest';
import { createSimulatedCard } from '../../../simulators/create-card.js';
import { SecurityState } from '../../../simulators/security-state.js';
import { SELECT_SSSE, SELECT_SSSE_NO_FCI, selectedCard, send } from './sim-helpers.js';

/** v3-sm4's EF06 record 1 (SSN 440305200102151026), written out by hand. */
const V3_SSN = '0812343430333035323030313032313531303236';

describe('access conditions (docs/reference/card-spec.md §1)', () => {
  it('EF06 answers 6982 on a 3.0 card until RKSSSE is granted', () => {
    const card = selectedCard('v3-sm4');
    expect(send(card, '00B2013414')).toBe('6982');
    expect(send(card, '00B2083014')).toBe('6982');
    expect(send(card, '00A4020002EF06')).toBe('9000'); // SELECT itself is free
    expect(send(card, '00B2010414')).toBe('6982');
    card.security.grant('RKSSSE');
    expect(send(card, '00B2010414')).toBe(`${V3_SSN}9000`);
    expect(send(card, '00B2013414')).toBe(`${V3_SSN}9000`);
  });

  it('EF05 stays free on 3.0; EF06 is free on 1.0 and 2.0', () => {
    expect(send(selectedCard('v3-sm4'), '00B2072C0B')).toBe('0709453536373839303134' + '9000');
    for (const id of ['v1-zhang-san', 'demo', 'v2-long-name']) expect(send(selectedCard(id), '00B2013414').endsWith('9000')).toBe(true);
  });

  it('EF07 and EF08 need RKSSSE on every generation', () => {
    for (const id of ['v1-zhang-san', 'demo', 'v3-sm4']) {
      const card = selectedCard(id);
      expect(send(card, '00B0870001')).toBe('6982');
      expect(send(card, '00B0880001')).toBe('6982');
      card.security.grant('RKSSSE');
      expect(send(card, '00B0870001')).toBe('009000');
    }
  });

  it('a new SELECT of SSSE clears the rights (with or without FCI)', () => {
    for (const again of [SELECT_SSSE, SELECT_SSSE_NO_FCI]) {
      const card = selectedCard('v3-sm4');
      card.security.grant('RKSSSE');
      expect(send(card, '00B2013414')).toBe(`${V3_SSN}9000`);
      send(card, again);
      expect(card.security.has('RKSSSE')).toBe(false);
      expect(send(card, '00B2013414')).toBe('6982');
    }
  });

  it('selecting an EF keeps the rights; a failed SELECT keeps them too', () => {
    const card = selectedCard('v3-sm4');
    card.security.grant('RKSSSE');
    expect(send(card, '00A4020002EF05')).toBe('9000');
    expect(send(card, '00A4040006D15600000599')).toBe('6A82');
    expect(send(card, '00B2013414')).toBe(`${V3_SSN}9000`);
  });

  it('reset and power cycle clear the rights', () => {
    const card = createSimulatedCard('v3-sm4');
    for (const cycle of [() => card.reset(), () => card.powerOn()]) {
      send(card, SELECT_SSSE);
      send(card, '00C000001E');
      card.security.grant('RKSSSE');
      cycle();
      send(card, SELECT_SSSE_NO_FCI);
      expect(send(card, '00B2013414')).toBe('6982');
    }
  });
});

describe('SecurityState', () => {
  it('grants, revokes, clears and checks access conditions', () => {
    const s = new SecurityState();
    expect(s.satisfies('free')).toBe(true);
    expect(s.satisfies('never')).toBe(false);
    expect(s.satisfies('RKSSSE')).toBe(false);
    s.grant('RKSSSE');
    s.grant('PIN');
    expect(s.satisfies('RKSSSE')).toBe(true);
    expect([...s.granted].sort()).toEqual(['PIN', 'RKSSSE']);
    s.revoke('PIN');
    expect(s.has('PIN')).toBe(false);
    s.clear();
    expect(s.granted.size).toBe(0);
    expect(s.satisfies('never')).toBe(false);
  });

  it('granted is a snapshot', () => {
    const s = new SecurityState();
    const snap = s.granted as Set<string>;
    snap.add('RKSSSE');
    expect(s.has('RKSSSE')).toBe(false);
  });
});
