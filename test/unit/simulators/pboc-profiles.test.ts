import { describe, expect, it } from 'vitest';
import { SpecError } from '../../../src/specs/spec-error.js';
import { loadProfile, validateProfile } from '../../../simulators/load-profile.js';
import { send } from './sim-helpers.js';
import { createSimulatedCard } from '../../../simulators/create-card.js';

const SELECT_PSE = '00A404000E315041592E5359532E444446303100';
const SELECT_DEBIT = '00A4040008A00000033301010100';

function withPboc(change: (p: any) => void) {
  const p = structuredClone(loadProfile('demo')) as any;
  change(p.pboc);
  return p;
}

describe('PBOC profiles', () => {
  it.each([
    [(p: any) => (p.account.holderName = '长'.repeat(14)), /pboc\.account: .*do not fit 26 bytes/],
    [(p: any) => (p.logFormat = '9F'), /pboc\.logFormat: DOL entry cut off/],
    [(p: any) => (p.account.expiryDate = '2035-02-30'), /pboc\.account\.expiryDate: is not a calendar date/],
    [(p: any) => (p.gpoFormat = 3), /pboc\.gpoFormat/],
    [(p: any) => p.applications.push(p.applications[0]), /pboc\.applications\[1\]\.aid: duplicate AID/],
    [(p: any) => (p.log[0].merchantName = '\u{1F600}'), /pboc\.log\[0\]/],
    [(p: any) => (p.atc = 70000), /pboc\.atc/],
  ])('a bad pboc section is a SpecError naming the entry (%#)', (change, msg) => {
    expect(() => validateProfile(withPboc(change), 'bad.json')).toThrow(SpecError);
    expect(() => validateProfile(withPboc(change), 'bad.json')).toThrow(msg);
  });

  it('GPO increments the ATC, GET DATA 9F36 shows it, and a reselect takes the GPO right away', () => {
    const card = createSimulatedCard('pboc-needs-gpo');
    expect(send(card, SELECT_PSE)).toMatch(/^61/);
    expect(send(card, SELECT_DEBIT)).toMatch(/^61/);
    expect(send(card, '00B2010C00')).toBe('6982');
    expect(send(card, '80CA9F3600')).toBe('9F360200079000');
    // PDOL of the profile is 33 bytes: a shorter one is 6700 and spends nothing
    expect(send(card, '80A8000002830000')).toBe('6700');
    const gpo = send(card, `80A8000023' + '8321${'00'.repeat(33)}00`.replace("' + '", ''));
    expect(gpo).toMatch(/^77.*9F360200089000$/);
    expect(card.pboc!.snapshot()).toEqual({ atc: { A000000333010101: 8 }, gpoCount: 1 });
    expect(send(card, '00B2010C00')).toMatch(/^6C/);
    send(card, SELECT_DEBIT);
    expect(send(card, '00B2010C00')).toBe('6982');
  });

  it('GET DATA and GPO outside the financial application change nothing', () => {
    const card = createSimulatedCard('demo');
    expect(send(card, '80CA9F7900')).toBe('6A88');
    expect(send(card, `80A8000023' + '8321${'00'.repeat(33)}00`.replace("' + '", ''))).toBe('6985');
    expect(card.pboc!.snapshot().gpoCount).toBe(0);
  });
});
