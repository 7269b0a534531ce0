import { describe, expect, it } from 'vitest';
import { fromHex } from '../../../src/core/hex.js';
import { CardOs } from '../../../simulators/card-os.js';
import { DedicatedFile, FileSystem, MF_FID, RecordFile } from '../../../simulators/file-system.js';
import { registerFileInstructions } from '../../../simulators/handlers/register-file-instructions.js';
import type { Behaviour } from '../../../simulators/profile-schema.js';
import { ZS, cardWith, selectedCard, send } from './sim-helpers.js';

const EF05_ALL = ZS.ef05.join('');
const EF06_ALL = ZS.ef06.join('');

describe('READ RECORD by record number (P2 bits 3-1 = 100)', () => {
  it('SFI 5 record 7: 00B2072C0B', () => {
    expect(send(selectedCard('v1-zhang-san'), '00B2072C0B')).toBe(`${ZS.ef05[6]}9000`);
  });

  it('every record of EF05 and EF06 by SFI', () => {
    const card = selectedCard('v1-zhang-san');
    ZS.ef05.forEach((rec, i) => expect(send(card, `00B2${hex(i + 1)}2C${hex(rec.length / 2)}`)).toBe(`${rec}9000`));
    ZS.ef06.forEach((rec, i) => expect(send(card, `00B2${hex(i + 1)}34${hex(rec.length / 2)}`)).toBe(`${rec}9000`));
  });

  it('SFI 0 reads the current EF; reading by SFI makes that EF current', () => {
    const card = selectedCard('v1-zhang-san');
    expect(send(card, '00B2010412')).toBe('6986'); // no current EF yet
    expect(send(card, '00B2013414')).toBe(`${ZS.ef06[0]}9000`);
    expect(send(card, '00B2040403')).toBe(`${ZS.ef06[3]}9000`); // record 4 of EF06, now current
    expect(send(card, '00A4020002EF05')).toBe('9000');
    expect(send(card, '00B2020403')).toBe(`${ZS.ef05[1]}9000`);
  });

  it('P1 = 00 reads the current record; without one -> 6A83', () => {
    const card = selectedCard('v1-zhang-san');
    expect(send(card, '00A4020002EF05')).toBe('9000');
    expect(send(card, '00B2000406')).toBe('6A83');
    expect(send(card, '00B2030406')).toBe(`${ZS.ef05[2]}9000`);
    expect(send(card, '00B2000406')).toBe(`${ZS.ef05[2]}9000`);
  });

  it('missing record -> 6A83; unknown SFI -> 6A82; reserved P2 -> 6A86', () => {
    const card = selectedCard('v1-zhang-san');
    expect(send(card, '00B2082C00')).toBe('6A83');
    expect(send(card, '00B2073400')).toBe('6A83'); // a 1.0 EF06 has 6 records (no 4E)
    expect(send(card, '00B2014C00')).toBe('6A82'); // SFI 9
    expect(send(card, '00B201FC00')).toBe('6A86'); // SFI 11111
    expect(send(card, '00B2012E00')).toBe('6A86'); // 110: last to P1
    expect(send(card, '00B2012F00')).toBe('6A86'); // 111
  });

  it('records are not reachable by SFI from the MF', () => {
    const card = selectedCard('v1-zhang-san');
    send(card, '00A40000023F00');
    expect(send(card, '00B2012C12')).toBe('6A82');
  });

  it('a transparent EF answers 6981', () => {
    const card = selectedCard('v1-zhang-san');
    card.security.grant('RKSSSE');
    expect(send(card, '00B2013C00')).toBe('6981'); // SFI 7 = EF07
    expect(send(card, '00A4020002EF08')).toBe('9000');
    expect(send(card, '00B2010400')).toBe('6981');
  });
});

describe('READ RECORD by tag (P2 bits 3-1 = 000 / 001 / 010 / 011)', () => {
  it('first record with tag P1, by current EF and by SFI (00B2080014, 00B2083014)', () => {
    const card = selectedCard('v1-zhang-san');
    expect(send(card, '00A4000002EF06')).toBe('9000');
    expect(send(card, '00B2080014')).toBe(`${ZS.ef06[0]}9000`);
    expect(send(card, '00B2083014')).toBe(`${ZS.ef06[0]}9000`);
    expect(send(card, '00B20D3006')).toBe(`${ZS.ef06[5]}9000`);
    expect(send(card, '00B207280B')).toBe(`${ZS.ef05[6]}9000`); // SFI 5, first tag 07
  });

  it('tag not present -> 6A83 (4E on a 1.0 card)', () => {
    const card = selectedCard('v1-zhang-san');
    expect(send(card, '00B24E3000')).toBe('6A83');
  });

  it('last / next / previous occurrence on unique tags', () => {
    const card = selectedCard('v1-zhang-san');
    expect(send(card, '00B2052906')).toBe(`${ZS.ef05[4]}9000`); // last 05
    expect(send(card, '00B2062A06')).toBe(`${ZS.ef05[5]}9000`); // next 06 after record 5
    expect(send(card, '00B2052A06')).toBe('6A83'); // no 05 after record 6
    expect(send(card, '00B2012B12')).toBe(`${ZS.ef05[0]}9000`); // previous 01 before record 6
    expect(send(card, '00B2022B03')).toBe('6A83'); // nothing before record 1
  });
});

/** A hand-made record EF with repeated tags (the spec's files have unique tags). */
function repeatedTagsCard(behaviour: Behaviour = { selectResponse: 'data', leZero: '6Cxx', readToEnd: true }): CardOs {
  const mf = new DedicatedFile(MF_FID, undefined, 'MF');
  const app = mf.add(new DedicatedFile(undefined, fromHex('A000000001'), 'TEST'));
  const records = ['0101AA', '0201BB', '0101CC', '0301DD', '0101EE'].map(fromHex);
  app.add(new RecordFile(0xef01, 1, 'log', { read: 'free', write: 'never' }, records));
  app.add(new RecordFile(0xef02, 2, 'secret', { read: 'PIN', write: 'never' }, [fromHex('0101FF')]));
  const card = registerFileInstructions(new CardOs({ atr: fromHex('3B00'), fileSystem: new FileSystem(mf), behaviour }));
  expect(send(card, '00A4040C05A000000001')).toBe('9000');
  return card;
}

describe('READ RECORD occurrences with repeated tags (ISO/IEC 7816-4 §7.3.1)', () => {
  it('first / last', () => {
    const card = repeatedTagsCard();
    expect(send(card, '00B2010803')).toBe('0101AA9000'); // SFI 1 (P2 = 08 + mode), first 01
    expect(send(card, '00B2010903')).toBe('0101EE9000'); // last 01
  });

  it('next walks forward from the record pointer, previous walks back', () => {
    const card = repeatedTagsCard();
    expect(send(card, '00B2010A03')).toBe('0101AA9000'); // no pointer: next = first
    expect(send(card, '00B2010A03')).toBe('0101CC9000');
    expect(send(card, '00B2010A03')).toBe('0101EE9000');
    expect(send(card, '00B2010A03')).toBe('6A83');
    expect(send(card, '00B2010B03')).toBe('0101CC9000'); // previous before record 5
    expect(send(card, '00B2010B03')).toBe('0101AA9000');
    expect(send(card, '00B2010B03')).toBe('6A83');
  });

  it('previous without a pointer starts at the end', () => {
    expect(send(repeatedTagsCard(), '00B2010B03')).toBe('0101EE9000');
  });

  it('identifier 00 matches any record', () => {
    const card = repeatedTagsCard();
    expect(send(card, '00B2000A03')).toBe('0101AA9000');
    expect(send(card, '00B2000A03')).toBe('0201BB9000');
    expect(send(card, '00B2000903')).toBe('0101EE9000');
  });

  it('6Cxx does not move the record pointer: the repeated command reads the same record', () => {
    const card = repeatedTagsCard();
    expect(send(card, '00B2010A03')).toBe('0101AA9000');
    expect(send(card, '00B2010A00')).toBe('6C03');
    expect(send(card, '00B2010A03')).toBe('0101CC9000');
  });

  it('a right other than free is checked (6982)', () => {
    const card = repeatedTagsCard();
    expect(send(card, '00B2011403')).toBe('6982');
    card.security.grant('PIN');
    expect(send(card, '00B2011403')).toBe('0101FF9000');
  });
});

describe('READ RECORD records P1 to last (P2 bits 3-1 = 101)', () => {
  it('00B2010540: all of EF05 by the current EF', () => {
    const card = selectedCard('v1-zhang-san');
    expect(send(card, '00A4020002EF05')).toBe('9000');
    expect(send(card, '00B2010540')).toBe(`${EF05_ALL}9000`);
  });

  it('by SFI, from a middle record, from the current record', () => {
    const card = selectedCard('v1-zhang-san');
    expect(send(card, '00B2013545')).toBe(`${EF06_ALL}9000`);
    expect(send(card, '00B2052D17')).toBe(`${ZS.ef05.slice(4).join('')}9000`);
    expect(send(card, '00B2032C06')).toBe(`${ZS.ef05[2]}9000`);
    expect(send(card, '00B200052B')).toBe(`${ZS.ef05.slice(2).join('')}9000`);
  });

  it('Le rules apply to the concatenation', () => {
    const card = selectedCard('v1-zhang-san');
    expect(send(card, '00B2012D00')).toBe('6C40');
    expect(send(card, '00B2012D3F')).toBe('6C40');
    expect(send(card, '00B2082D00')).toBe('6A83');
  });

  it('sets the record pointer to the last record read', () => {
    const card = selectedCard('v1-zhang-san');
    expect(send(card, '00B2012D40')).toBe(`${EF05_ALL}9000`);
    expect(send(card, '00B200040B')).toBe(`${ZS.ef05[6]}9000`);
  });

  it('a profile with readToEnd false answers 6A86 (v2-long-name, v1-empty-version)', () => {
    for (const id of ['v2-long-name', 'v1-empty-version']) {
      const card = selectedCard(id);
      expect(send(card, '00B2012D00')).toBe('6A86');
      expect(send(card, '00A4020002EF05')).toBe('9000');
      expect(send(card, '00B2010540')).toBe('6A86');
    }
  });
});

describe('READ RECORD Le rules (docs/reference/card-spec.md §2)', () => {
  it('Le equal to the length -> data 9000', () => {
    expect(send(selectedCard('v1-zhang-san'), '00B2012C12')).toBe(`${ZS.ef05[0]}9000`);
  });

  it('Le = 00 -> 6Cxx on a 6Cxx profile, then the corrected Le', () => {
    const card = selectedCard('v1-zhang-san');
    expect(send(card, '00A4020002EF05')).toBe('9000');
    expect(send(card, '00B2010400')).toBe('6C12');
    expect(send(card, '00B2010412')).toBe(`${ZS.ef05[0]}9000`);
  });

  it('Le = 00 -> data 9000 on a data profile', () => {
    const card = selectedCard(cardWith('v1-zhang-san', (p) => ({ ...p, behaviour: { ...p.behaviour, leZero: 'data' } })));
    expect(send(card, '00B2012C00')).toBe(`${ZS.ef05[0]}9000`);
    expect(send(card, '00B2012D00')).toBe(`${EF05_ALL}9000`);
  });

  it('any other Le, or no Le -> 6Cxx even on a data profile', () => {
    const card = selectedCard(cardWith('v1-zhang-san', (p) => ({ ...p, behaviour: { ...p.behaviour, leZero: 'data' } })));
    expect(send(card, '00B2012C11')).toBe('6C12');
    expect(send(card, '00B2012C13')).toBe('6C12');
    expect(send(card, '00B2012CFF')).toBe('6C12');
    expect(send(card, '00B2012C')).toBe('6C12');
  });
});

function hex(n: number): string {
  return n.toString(16).toUpperCase().padStart(2, '0');
}
