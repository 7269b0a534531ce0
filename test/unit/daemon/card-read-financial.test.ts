import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createSimulatedCard } from '../../../simulators/create-card.js';
import { SscardClient } from '../../../src/client/index.js';
import { InProcessReaderSource } from '../../../src/transport/in-process/in-process-reader-source.js';
import { startTestDaemon, type TestDaemon } from '../../support/daemon.js';

/** Daemon `card.read { applications }` (docs/financial.md): roles, masking, bad params. */
describe('daemon card.read with applications', () => {
  let d: TestDaemon;
  const card = createSimulatedCard('demo');
  const sim = new InProcessReaderSource([{ profileId: 'demo', card }]);
  const connect = (token: string) =>
    SscardClient.connect({
      url: `ws://127.0.0.1:${d.port}/`,
      clientName: 'financial-test',
      socket: (url) => new WebSocket(url, { headers: { Authorization: `Bearer ${token}` } }) as never,
    });

  beforeAll(async () => {
    d = await startTestDaemon({}, { pcsc: false, extraSources: [sim] });
  });
  afterAll(() => d.stop());

  it('a reader-role page gets both applications with the PAN masked; the ATC is not spent', async () => {
    const client = await connect(d.readerToken);
    const r = await client.readApplications({ applications: ['social', 'financial'] });
    expect(r.applications).toEqual(['social', 'financial']);
    expect(r.social?.data.card.cardNumber).toBe('A12345674');
    expect(r.financial).toMatchObject({ pan: '621700*********2348', panMasked: true, path: 'records', ecBalanceFen: 12345, holderName: '王小明' });
    expect(r.financial?.transactions).toHaveLength(3);
    expect(card.pboc!.snapshot().gpoCount).toBe(0);
    const only = await client.readApplications({ applications: ['financial'] });
    expect(only.social).toBeUndefined();
    expect(only.financial).toEqual(r.financial);
    // the legacy shape without applications is unchanged
    const legacy = await client.readCard();
    expect(legacy.application).toBe('social');
    expect(legacy.data.card.cardNumber).toBe('A12345674');
    client.close();
  });

  it('the full PAN needs the counter role and revealPan; a reader-role page asking for it is FORBIDDEN', async () => {
    const reader = await connect(d.readerToken);
    await expect(reader.readApplications({ applications: ['financial'], revealPan: true })).rejects.toMatchObject({ code: 'FORBIDDEN', details: { required: 'counter' } });
    reader.close();
    const counter = await connect(d.counterToken);
    expect((await counter.readApplications({ applications: ['financial'] })).financial?.pan).toBe('621700*********2348');
    const full = await counter.readApplications({ applications: ['financial'], revealPan: true });
    expect(full.financial).toMatchObject({ pan: '6217000000000012348', panMasked: false });
    counter.close();
  });

  it('gpo: true spends one ATC and says so', async () => {
    const client = await connect(d.readerToken);
    const before = card.pboc!.snapshot().atc.A000000333010101!;
    const r = await client.readApplications({ applications: ['financial'], gpo: true });
    expect(r.financial).toMatchObject({ path: 'gpo', gpoReason: 'requested', gpoFormat: 2 });
    expect(card.pboc!.snapshot().atc.A000000333010101).toBe(before + 1);
    client.close();
  });

  it('the wire shape of the financial part is pinned (field names and types)', async () => {
    const shape = (v: unknown): unknown =>
      v === null ? 'null' : Array.isArray(v) ? (v.length ? [shape(v[0])] : []) : typeof v === 'object' ? Object.fromEntries(Object.keys(v as object).sort().map((k) => [k, shape((v as Record<string, unknown>)[k])])) : typeof v;
    const client = await connect(d.readerToken);
    const r = await client.readApplications({ applications: ['financial'] });
    client.close();
    expect(shape(r)).toEqual({
      applications: ['string'],
      financial: {
        application: { aid: 'string', codeTableIndex: 'null', kind: 'string', label: 'string', languages: ['string'], pdol: 'string', preferredName: 'string', priority: 'number', selectedVia: 'string' },
        ecBalance: 'string',
        ecBalanceFen: 'number',
        ecLimitFen: 'number',
        ecSingleLimitFen: 'number',
        effectiveDate: 'string',
        expiryDate: 'string',
        holderIdNumber: 'string',
        holderIdType: { code: 'string', label: 'string' },
        holderName: 'string',
        logFormat: 'string',
        pan: 'string',
        panMasked: 'boolean',
        panSequenceNumber: 'string',
        path: 'string',
        transactions: [{ amountFen: 'number', atc: 'number', country: 'string', currency: 'string', date: 'string', merchantName: 'string', other: {}, otherAmountFen: 'number', time: 'string', type: 'string' }],
        unknownTags: [{ tag: 'string', value: 'string' }],
        warnings: [],
      },
      reader: { id: 'string', kind: 'string', name: 'string', simulated: 'boolean' },
    });
  });

  it.each([
    [{ applications: [] }],
    [{ applications: ['bank'] }],
    [{ applications: ['social', 'social'] }],
    [{ applications: ['social', 'financial', 'social'] }],
    [{ applications: 'financial' }],
    [{ gpo: true }],
    [{ applications: ['social'], revealPan: true }],
    [{ applications: ['financial'], gpo: 'yes' }],
  ])('bad params %j are INVALID_PARAMS', async (params) => {
    const client = await connect(d.counterToken);
    await expect(client.request('card.read', params as never)).rejects.toMatchObject({ code: 'INVALID_PARAMS' });
    client.close();
  });
});
