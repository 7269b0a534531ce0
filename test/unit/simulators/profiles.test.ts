import { describe, expect, it } from 'vitest';
import { toHex } from '../../../src/core/hex.js';
import { createSimulatedCard } from '../../../simulators/create-card.js';
import { defaultProfileId, listProfiles, loadProfile } from '../../../simulators/load-profile.js';
import { ZS, fciFor, selectedCard, send } from './sim-helpers.js';

/** ASCII, 00-padded: written with Buffer, independently of the simulator's GBK encoder. */
const an = (text: string, len = text.length) => Buffer.from(text.padEnd(len, '\0'), 'latin1').toString('hex').toUpperCase();
const tlv = (tag: string, valueHex: string) => `${tag}${(valueHex.length / 2).toString(16).toUpperCase().padStart(2, '0')}${valueHex}`;
const zeros = (n: number) => '00'.repeat(n);

/**
 * The exact records of every built-in profile, from docs/reference/card-spec.md §2 (formats and lengths) and the
 * profile's person data. Readers' tests can compare against the same values (docs/simulator.md).
 */
const EXPECTED: Record<string, { atr: string; alg: string; ef05: string[]; ef06: string[] }> = {
  demo: {
    atr: '3B6D000000814A44468660110112345678',
    alg: '01',
    ef05: [tlv('01', '110100D156000005123456789ABCDEF0'), tlv('02', an('1')), tlv('03', an('2.00')), tlv('04', '110100000001FFFFFFFFFFFF'), tlv('05', '20250601'), tlv('06', '20350601'), tlv('07', an('A12345674'))],
    ef06: [tlv('08', an('110105199003071036')), tlv('09', `CDF5D0A1C3F7${zeros(24)}`), tlv('4E', zeros(20)), tlv('0A', an('1')), tlv('0B', '01'), tlv('0C', '110105'), tlv('0D', '19900307')],
  },
  'v1-zhang-san': {
    atr: '3B6D000000814E43238697159900BF7C7A',
    alg: '01',
    ef05: [...ZS.ef05],
    ef06: [...ZS.ef06],
  },
  'v2-long-name': {
    atr: '3B6D000000814E43238697650123456789',
    alg: '01',
    ef05: [tlv('01', '650100D156000005234567890A1B2C3D'), tlv('02', an('1')), tlv('03', '322E3000'), tlv('04', '650100000001FFFFFFFFFFFF'), tlv('05', '20180420'), tlv('06', '20280420'), tlv('07', an('B23456780'))],
    ef06: [
      tlv('08', an('65010219850612105X')),
      // 艾合买提江·阿不都热合曼·吐尔 (30 GBK bytes, · = A1A4) | 逊托合提 (8 bytes) + 12 x 00
      tlv('09', 'B0ACBACFC2F2CCE1BDADA1A4B0A2B2BBB6BCC8C8BACFC2FCA1A4CDC2B6FB'),
      tlv('4E', `D1B7CDD0BACFCCE1${zeros(12)}`),
      tlv('0A', an('1')),
      tlv('0B', '05'),
      tlv('0C', '650102'),
      tlv('0D', '19850612'),
    ],
  },
  'v2-bad-check': {
    atr: '3B6D000000814A4446866033013456789A',
    alg: '01',
    ef05: [tlv('01', '330100D1560000053456789A1B2C3D4E'), tlv('02', an('1')), tlv('03', an('2.00')), tlv('04', '330100000001FFFFFFFFFFFF'), tlv('05', '20161108'), tlv('06', '20261108'), tlv('07', an('C34567895'))],
    ef06: [tlv('08', an('330106197709201021')), tlv('09', `B3C2C0F6BBAA${zeros(24)}`), tlv('4E', zeros(20)), tlv('0A', an('2')), tlv('0B', 'FF'), tlv('0C', '330106'), tlv('0D', '19770920')],
  },
  'v1-empty-version': {
    atr: '3B6D000000814E432386975201456789AB',
    alg: '01',
    ef05: [tlv('01', '520100D156000005456789AB2C3D4E5F'), tlv('02', an('1')), tlv('03', '00000000'), tlv('04', '520100000001FFFFFFFFFFFF'), tlv('05', '20120315'), tlv('06', '20220315'), tlv('07', an('D45678901'))],
    ef06: [tlv('08', an('520102196211051017')), tlv('09', `C1F5BDA8B9FA${zeros(24)}`), tlv('0A', an('1')), tlv('0B', '01'), tlv('0C', '520102'), tlv('0D', '19621105')],
  },
  'v3-sm4': {
    atr: '3B6D000000814A44468660440356789ABC',
    alg: '03',
    ef05: [tlv('01', '440300D15600000556789ABC3D4E5F60'), tlv('02', an('1')), tlv('03', an('3.00')), tlv('04', '440300000001FFFFFFFFFFFF'), tlv('05', '20240901'), tlv('06', '20340901'), tlv('07', an('E56789014'))],
    ef06: [tlv('08', an('440305200102151026')), tlv('09', `C1D6CFFED1E0${zeros(24)}`), tlv('4E', zeros(20)), tlv('0A', an('2')), tlv('0B', '01'), tlv('0C', '440305'), tlv('0D', '20010215')],
  },
};

// The PBOC profiles carry the demo person's social-security application unchanged; their
// financial part is checked in test/unit/cards/pboc and test/pcsc/pboc-pcsc.test.ts.
for (const id of ['pboc-gpo-format1', 'pboc-needs-gpo', 'pboc-no-pse', 'pboc-empty-log']) EXPECTED[id] = EXPECTED.demo!;

describe('built-in profiles', () => {
  it('lists exactly the required profiles, default first', () => {
    const list = listProfiles();
    expect(defaultProfileId).toBe('demo');
    expect(list[0]!.id).toBe('demo');
    expect(list.map((p) => p.id).sort()).toEqual(Object.keys(EXPECTED).sort());
    for (const p of list) {
      expect(p.file).toBe(`simulators/profiles/${p.id}.json`);
      expect(p.label.length).toBeGreaterThan(10);
    }
  });

  it('behaviour switches', () => {
    const b = Object.fromEntries(listProfiles().map((p) => [p.id, p.behaviour]));
    expect(b).toEqual({
      demo: { selectResponse: '61xx', leZero: '6Cxx', readToEnd: true },
      'v1-zhang-san': { selectResponse: '61xx', leZero: '6Cxx', readToEnd: true },
      'v2-long-name': { selectResponse: 'data', leZero: 'data', readToEnd: false, extendedLength: true },
      'v2-bad-check': { selectResponse: '61xx', leZero: 'data', readToEnd: true },
      'v1-empty-version': { selectResponse: '61xx', leZero: '6Cxx', readToEnd: false },
      'v3-sm4': { selectResponse: '61xx', leZero: '6Cxx', readToEnd: true },
      'pboc-gpo-format1': { selectResponse: '61xx', leZero: '6Cxx', readToEnd: true },
      'pboc-needs-gpo': { selectResponse: '61xx', leZero: '6Cxx', readToEnd: true },
      'pboc-no-pse': { selectResponse: '61xx', leZero: '6Cxx', readToEnd: true },
      'pboc-empty-log': { selectResponse: '61xx', leZero: '6Cxx', readToEnd: true },
    });
  });

  it('createSimulatedCard() with no argument is the demo card', () => {
    expect(toHex(createSimulatedCard().atr())).toBe(EXPECTED.demo!.atr);
  });

  describe.each(Object.entries(EXPECTED))('%s', (id, want) => {
    it('ATR and FCI', () => {
      const card = createSimulatedCard(id);
      expect(toHex(card.atr())).toBe(want.atr);
      const select = send(card, '00A404000F7378312E73682EC9E7BBE1B1A3D5CF');
      if (card.behaviour.selectResponse === 'data') expect(select).toBe(`${fciFor(want.alg)}9000`);
      else {
        expect(select).toBe('611E');
        expect(send(card, '00C000001E')).toBe(`${fciFor(want.alg)}9000`);
      }
    });

    it('every record of EF05 and EF06, read by record number with the exact Le', () => {
      const card = selectedCard(id);
      card.security.grant('RKSSSE'); // EF06 on 3.0
      for (const [sfi, records] of [[5, want.ef05], [6, want.ef06]] as const) {
        records.forEach((rec, i) => {
          const p2 = ((sfi << 3) | 4).toString(16).toUpperCase();
          const le = (rec.length / 2).toString(16).toUpperCase().padStart(2, '0');
          expect(send(card, `00B20${i + 1}${p2}${le}`)).toBe(`${rec}9000`);
        });
        expect(send(card, `00B2${(records.length + 1).toString(16).padStart(2, '0')}${((sfi << 3) | 4).toString(16)}00`)).toBe('6A83');
      }
    });
  });

  it('profile values match the person data of the docs (v1-zhang-san = docs/reference/card-spec.md §4)', () => {
    const p = loadProfile('v1-zhang-san');
    const line = [
      p.card.cardIdentificationCode.slice(0, 6),
      p.holder.ssn,
      p.card.cardNumber,
      p.card.cardIdentificationCode,
      p.holder.name,
      p.atr.slice(8),
      p.card.specVersion,
      p.card.issueDate.replace(/-/g, ''),
      p.card.expiryDate.replace(/-/g, ''),
    ].join('|');
    expect(line).toBe('639900|111111198101011110|X00000019|639900D15600000500BF7C7A48FB4966|张三|00814E43238697159900BF7C7A|1.00|20101001|20201001');
  });
});

/** Check digits, computed here independently (docs/reference/card-spec.md §2). */
function ssnCheck(s17: string): string {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...s17].reduce((t, c, i) => t + Number(c) * w[i]!, 0);
  return '10X98765432'[sum % 11]!;
}
function cardNumberCheck(s8: string): string {
  const w = [3, 7, 9, 10, 5, 8, 4, 2];
  const v = (c: string) => (/[0-9]/.test(c) ? Number(c) : c.charCodeAt(0) - 55);
  const c = 11 - ([...s8].reduce((t, ch, i) => t + v(ch) * w[i]!, 0) % 11);
  return c === 10 ? 'X' : c === 11 ? '0' : String(c);
}

describe('synthetic person data is consistent', () => {
  it.each(Object.keys(EXPECTED))('%s', (id) => {
    const p = loadProfile(id);
    expect(p.synthetic).toBe(true);
    expect(p.holder.ssn.slice(17)).toBe(ssnCheck(p.holder.ssn.slice(0, 17)));
    expect(p.holder.ssn.slice(6, 14)).toBe(p.holder.birthDate.replace(/-/g, ''));
    expect(p.holder.sex).toBe(Number(p.holder.ssn[16]) % 2 === 1 ? '1' : '2');
    expect(p.card.cardIdentificationCode).toMatch(/^[0-9]{6}D156000005[0-9A-F]{16}$/);
    expect(p.card.cardIdentificationCode.slice(16, 24)).toBe(p.atr.slice(-8)); // serial = last ATR bytes
    const check = cardNumberCheck(p.card.cardNumber.slice(0, 8));
    if (id === 'v2-bad-check') expect(p.card.cardNumber.slice(8)).not.toBe(check);
    else expect(p.card.cardNumber.slice(8)).toBe(check);
  });

  it('v2-long-name: SSN ends in X, name needs 09 + 4E', () => {
    const p = loadProfile('v2-long-name');
    expect(p.holder.ssn.endsWith('X')).toBe(true);
    expect(p.holder.name).toContain('·');
  });
});
