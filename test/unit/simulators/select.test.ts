import { describe, expect, it } from 'vitest';
import { createSimulatedCard } from '../../../simulators/create-card.js';
import { SELECT_SSSE, SELECT_SSSE_NO_FCI, ZS, cardWith, fciFor, selectedCard, send } from './sim-helpers.js';

describe('SELECT by DF name (docs/reference/card-spec.md §1)', () => {
  it('answers 611E on a 61xx profile; GET RESPONSE 1E gives the 30-byte FCI', () => {
    const card = createSimulatedCard('v1-zhang-san');
    expect(send(card, SELECT_SSSE)).toBe('611E');
    expect(send(card, '00C000001E')).toBe(
      '6F1C840F7378312E73682EC9E7BBE1B1A3D5CFA50988011E9F0C03860101' + '9000',
    );
  });

  it('answers the FCI with 9000 on a data profile', () => {
    const card = createSimulatedCard('v2-long-name');
    expect(send(card, SELECT_SSSE)).toBe(`${fciFor('01')}9000`);
  });

  it('puts the profile algorithm in tag 86 (03 = SM4)', () => {
    const card = cardWith('v3-sm4', (p) => ({ ...p, behaviour: { ...p.behaviour, selectResponse: 'data' } }));
    expect(send(card, SELECT_SSSE)).toBe(`${fciFor('03')}9000`);
  });

  it('accepts Le 00 after the name (case 4) the same way', () => {
    expect(send(createSimulatedCard('demo'), `${SELECT_SSSE}00`)).toBe('611E');
    expect(send(createSimulatedCard('v2-long-name'), `${SELECT_SSSE}00`)).toBe(`${fciFor('01')}9000`);
  });

  it('P2 = 0C: 9000 without data, nothing pending', () => {
    for (const id of ['demo', 'v2-long-name']) {
      const card = createSimulatedCard(id);
      expect(send(card, SELECT_SSSE_NO_FCI)).toBe('9000');
      expect(send(card, '00C000001E')).toBe('6985');
      expect(send(card, '00A4020002EF05')).toBe('9000');
    }
  });

  it('selects a sub-application by AID (9000, no FCI), and it is empty', () => {
    const card = selectedCard('demo');
    expect(send(card, '00A4040006D15600000500')).toBe('9000');
    expect(send(card, '00A4020002EF05')).toBe('6A82');
    expect(send(card, '00A4040006D15600000504')).toBe('9000');
  });

  it('unknown DF name -> 6A82; bad Lc -> 6700', () => {
    const card = createSimulatedCard('demo');
    expect(send(card, '00A4040006D15600000599')).toBe('6A82');
    expect(send(card, '00A404000E315041592E5359532E4444463031')).toBe('6A82'); // 1PAY.SYS.DDF01: not simulated yet
    expect(send(card, `00A4040011${'00'.repeat(17)}`)).toBe('6700');
    expect(send(card, '00A40400')).toBe('6700');
  });

  it('a failed SELECT keeps the current DF', () => {
    const card = selectedCard('demo');
    expect(send(card, '00A4040006D15600000599')).toBe('6A82');
    expect(send(card, '00A4020002EF05')).toBe('9000');
  });
});

describe('SELECT by file id (docs/reference/card-spec.md §2)', () => {
  it('00 A4 02 00 02 EF05 and 00 A4 00 00 02 EF05 both select the EF, without data', () => {
    for (const p1 of ['00', '02']) {
      const card = selectedCard('v1-zhang-san');
      expect(send(card, `00A4${p1}0002EF05`)).toBe('9000');
      expect(send(card, '00B2010412')).toBe(`${ZS.ef05[0]}9000`);
    }
  });

  it('accepts P2 0C and Le on an EF select', () => {
    const card = selectedCard('v1-zhang-san');
    expect(send(card, '00A4020C02EF06')).toBe('9000');
    expect(send(card, '00A4000002EF0600')).toBe('9000');
    expect(send(card, '00B2010414')).toBe(`${ZS.ef06[0]}9000`);
  });

  it('EF05 is not reachable before SSSE is selected', () => {
    const card = createSimulatedCard('demo');
    expect(send(card, '00A4020002EF05')).toBe('6A82');
    expect(send(card, '00A4000002EF05')).toBe('6A82');
  });

  it('3F00 selects the MF (and so does P1 00 without data), leaving SSSE', () => {
    for (const mf of ['00A40000023F00', '00A4000000', '00A4000C00']) {
      const card = selectedCard('demo');
      expect(send(card, mf)).toBe('9000');
      expect(send(card, '00A4020002EF05')).toBe('6A82');
    }
  });

  it('P1 00 finds a sub-application DF by fid, and siblings through the parent', () => {
    const card = selectedCard('demo');
    expect(send(card, '00A4000002DF01')).toBe('9000');
    expect(send(card, '00A4000002DF02')).toBe('9000'); // a child of the parent
    expect(send(card, '00A4000002EF05')).toBe('9000'); // EF05 under the parent SSSE
  });

  it('P1 02 selects EFs only', () => {
    const card = selectedCard('demo');
    expect(send(card, '00A4020002DF01')).toBe('6A82');
  });

  it('unknown fid -> 6A82; wrong Lc -> 6700; unsupported P1/P2 -> 6A86', () => {
    const card = selectedCard('demo');
    expect(send(card, '00A4020002EF09')).toBe('6A82');
    expect(send(card, '00A4020003EF0501')).toBe('6700');
    expect(send(card, '00A4020001EF')).toBe('6700');
    expect(send(card, '00A4010002DF01')).toBe('6A86');
    expect(send(card, '00A4020402EF05')).toBe('6A86');
    expect(send(card, '00A4040206D15600000500')).toBe('6A86');
  });
});
