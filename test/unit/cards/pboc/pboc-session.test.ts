import { describe, expect, it } from 'vitest';
import { CardError } from '../../../../src/cards/card-error.js';
import { PinBuffer } from '../../../../src/core/pin-buffer.js';
import { apduStack } from '../../../../src/apdu/apdu-stack.js';
import { PbocSession } from '../../../../src/cards/pboc/pboc-session.js';
import { loadTranscript } from '../../../support/transcripts.js';
import { simulated } from './pboc-helpers.js';

describe('PbocSession.read over the in-process simulator', () => {
  it('demo: the default read takes the records path, decodes every field and leaves the ATC alone', async () => {
    const sim = simulated('demo');
    const before = sim.card.pboc!.snapshot();
    const r = await sim.pboc().read();
    expect(r.path).toBe('records');
    expect(r.gpoReason).toBeUndefined();
    expect(r.application).toEqual({
      aid: 'A000000333010101',
      kind: 'debit',
      label: 'PBOC DEBIT',
      preferredName: '银联借记卡',
      codeTableIndex: null,
      languages: ['zh', 'en'],
      priority: 1,
      pdol: '9F66049F02069F03069F1A0295055F2A029A039C019F3704',
      selectedVia: 'pse',
    });
    expect(r.pan).toBe('621700*********2348');
    expect(r.panMasked).toBe(true);
    expect(r.panSequenceNumber).toBe('01');
    expect(r.expiryDate).toBe('2035-06-30');
    expect(r.effectiveDate).toBe('2025-06-01');
    expect(r.holderName).toBe('王小明');
    expect(r.holderIdNumber).toBe('110105199003071036');
    expect(r.holderIdType).toEqual({ code: '00', label: 'resident identity card' });
    expect(r.ecBalanceFen).toBe(12345);
    expect(r.ecBalance).toBe('123.45');
    expect(r.ecLimitFen).toBe(100000);
    expect(r.ecSingleLimitFen).toBe(100000);
    expect(r.logFormat).toBe('9A039F21039F02069F03069F1A025F2A029F4E149C019F3602');
    expect(r.transactions).toHaveLength(3);
    expect(r.transactions[0]).toEqual({
      date: '2026-11-28',
      time: '18:42:07',
      amountFen: 2350,
      otherAmountFen: 0,
      currency: '156',
      country: '156',
      type: '00',
      merchantName: '示例便利店',
      atc: 13,
      other: {},
    });
    expect(r.transactions[1]!.merchantName).toBe('圈存 LOAD');
    expect(r.unknownTags).toContainEqual({ tag: 'DF61', value: 'ABCD' });
    expect(r.warnings).toEqual([]);
    expect(sim.card.pboc!.snapshot()).toEqual(before);
    expect(sim.card.pboc!.snapshot().gpoCount).toBe(0);
  });

  it('reveal keeps the whole PAN', async () => {
    const r = await simulated('demo').pboc().read({ reveal: true });
    expect(r.pan).toBe('6217000000000012348');
    expect(r.panMasked).toBe(false);
  });

  it('contactless selection goes through the PPSE', async () => {
    const r = await simulated('demo').pboc({ interface: 'contactless' }).read();
    expect(r.application.selectedVia).toBe('ppse');
    expect(r.pan).toBe('621700*********2348');
  });

  it('gpo: true runs GPO (format 2), spends one ATC and reads every AFL record', async () => {
    const sim = simulated('demo');
    const r = await sim.pboc().read({ gpo: true });
    expect(r.path).toBe('gpo');
    expect(r.gpoReason).toBe('requested');
    expect(sim.card.pboc!.snapshot()).toEqual({ atc: { A000000333010101: 14 }, gpoCount: 1 });
    expect(r.unknownTags.map((t) => t.tag)).toEqual(expect.arrayContaining(['8C', '8E', '9F08', 'DF61', '9F36']));
    expect(r.expiryDate).toBe('2035-06-30');
    expect(r.holderName).toBe('王小明');
  });

  it('format 1, priority indicator choice, code-table preferred name, name extension', async () => {
    const sim = simulated('pboc-gpo-format1');
    const r = await sim.pboc().read({ gpo: true, reveal: true });
    expect(r.path).toBe('gpo');
    expect(r.application.aid).toBe('A000000333010102');
    expect(r.application.kind).toBe('credit');
    expect(r.application.preferredName).toBe('UnionPay Crédit');
    expect(r.application.codeTableIndex).toBe(1);
    expect(r.holderName).toBe('LI/SI 李四');
    expect(r.panSequenceNumber).toBe('02');
    expect(r.holderIdType).toEqual({ code: '02', label: 'passport' });
    expect(r.ecBalanceFen).toBe(0);
    expect(r.ecBalance).toBe('0.00');
    expect(sim.card.pboc!.snapshot().atc).toEqual({ A000000333010101: 100, A000000333010102: 101 });
  });

  it('a card whose records need GPO is read through GPO, and says so', async () => {
    const sim = simulated('pboc-needs-gpo');
    const r = await sim.pboc().read();
    expect(r.path).toBe('gpo');
    expect(r.gpoReason).toBe('records-refused');
    expect(r.pan).toBe('621700*********2348');
    expect(r.ecBalanceFen).toBe(99);
    expect(sim.card.pboc!.snapshot().atc).toEqual({ A000000333010101: 8 });
  });

  it('a card without PSE is found through the AID list', async () => {
    const r = await simulated('pboc-no-pse').pboc().read({ reveal: true });
    expect(r.application.selectedVia).toBe('aid-list');
    expect(r.application.aid).toBe('A000000333010103');
    expect(r.application.kind).toBe('quasi-credit');
    expect(r.holderName).toBe('赵六');
    expect(r.pan).toBe('6214830000000000049');
  });

  it('an empty log gives no transactions; absent limits are null', async () => {
    const r = await simulated('pboc-empty-log').pboc().read();
    expect(r.transactions).toEqual([]);
    expect(r.ecLimitFen).toBeNull();
    expect(r.ecSingleLimitFen).toBeNull();
    expect(r.ecBalanceFen).toBe(12345);
  });

  it('a card without the financial application is NO_FINANCIAL_APPLICATION', async () => {
    await expect(simulated('v1-zhang-san').pboc().read()).rejects.toMatchObject({ code: 'NO_FINANCIAL_APPLICATION' });
    await expect(simulated('v1-zhang-san').pboc().read()).rejects.toBeInstanceOf(CardError);
  });

  it('readAtc reads 9F36 without moving it', async () => {
    const sim = simulated('demo');
    expect(await sim.pboc().readAtc()).toBe(13);
    expect(await sim.pboc().readAtc()).toBe(13);
  });
});

describe('separation of the social and financial applications (one chip)', () => {
  const pin = (p: string) => PinBuffer.fromString(p);

  async function socialRead(sim: ReturnType<typeof simulated>) {
    const r = await sim.social().read();
    return { card: r.card, holder: r.holder };
  }

  it('a financial read changes nothing of SSSE, social commands change nothing of PBOC', async () => {
    const sim = simulated('demo');
    const ssse = sim.card.securitySnapshot();
    const pboc = sim.card.pboc!.snapshot();
    await sim.pboc().read();
    expect(sim.card.securitySnapshot()).toEqual(ssse);
    await sim.social().read();
    await sim.social().verifyPin(pin('123456'));
    expect(sim.card.pboc!.snapshot()).toEqual(pboc);
  });

  it('social read, financial read and social PIN verify give the same results in any order', async () => {
    const alone = simulated('demo');
    const expected = {
      social: await socialRead(simulated('demo')),
      financial: await simulated('demo').pboc().read(),
      verify: await alone.social().verifyPin(pin('123456')),
    };
    const orders: ('social' | 'financial' | 'verify')[][] = [
      ['social', 'financial', 'verify'],
      ['financial', 'verify', 'social'],
      ['verify', 'financial', 'social'],
      ['financial', 'social', 'verify'],
    ];
    for (const order of orders) {
      const sim = simulated('demo');
      for (const step of order) {
        if (step === 'social') expect(await socialRead(sim)).toEqual(expected.social);
        if (step === 'financial') expect(await sim.pboc().read()).toEqual(expected.financial);
        if (step === 'verify') expect(await sim.social().verifyPin(pin('123456'))).toEqual(expected.verify);
      }
    }
  });

  it('the firewall: a social VERIFY sent while the financial application is current never reaches the social PIN', async () => {
    const sim = simulated('demo');
    await sim.pboc().read();
    const before = sim.card.securitySnapshot();
    // VERIFY 00 20 00 00 03 <wrong PIN> straight to the chip, PBOC ADF still current
    const r = sim.card.execute(Uint8Array.from([0x00, 0x20, 0x00, 0x00, 0x03, 0x99, 0x99, 0x99]));
    expect(Buffer.from(r).toString('hex').toUpperCase()).toBe('6A88');
    expect(sim.card.securitySnapshot()).toEqual(before);
  });
});

describe('PbocSession against a hand-written transcript (strict replay: exact APDU order)', () => {
  it('no PSE -> AID list, SFI scan stops once 5A/5F20/5F24/57 are seen, GET DATA, log', async () => {
    const replay = loadTranscript('pboc-no-pse-records.transcript');
    const r = await new PbocSession(apduStack(replay)).read();
    replay.assertComplete();
    expect(r).toMatchObject({
      path: 'records',
      pan: '621700*********0128',
      panSequenceNumber: '01',
      expiryDate: '2030-12-31',
      effectiveDate: '2020-01-01',
      holderName: '李雷',
      ecBalanceFen: 4321,
      ecBalance: '43.21',
      ecLimitFen: null,
      ecSingleLimitFen: null,
      unknownTags: [{ tag: 'DF7E', value: '0102' }],
      application: { aid: 'A000000333010101', label: 'DEBIT', selectedVia: 'aid-list', pdol: '9F660495059A03' },
    });
    expect(r.transactions).toEqual([
      { date: '2026-11-30', time: null, amountFen: 1000, otherAmountFen: null, currency: '156', country: null, type: null, merchantName: null, atc: null, other: {} },
    ]);
  });
});
