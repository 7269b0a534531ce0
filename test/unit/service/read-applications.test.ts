import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createSimulatedCard } from '../../../simulators/create-card.js';
import { CardService } from '../../../src/service/card-service.js';
import type { KeyProvider } from '../../../src/service/key-provider.js';
import { bindOperations } from '../../../src/service/operations/card-operations.js';
import { parseApplications } from '../../../src/service/operations/read-applications.js';
import { ReaderRegistry } from '../../../src/service/reader-registry.js';
import { CardStatusRegistry } from '../../../src/status/card-status-registry.js';
import { SqliteCardStatusStore } from '../../../src/status/sqlite-card-status-store.js';
import { fixedClock } from '../../../src/status/status-clock.js';
import { InProcessReaderSource } from '../../../src/transport/in-process/in-process-reader-source.js';

const NO_KEYS: KeyProvider = {
  chosen: false,
  lease: () => Promise.reject(new Error('no keys in this test')),
  reload: () => undefined,
};

async function setup(profile: string) {
  const card = createSimulatedCard(profile);
  const readers = new ReaderRegistry([new InProcessReaderSource([{ profileId: profile, card }])]);
  await readers.start();
  const status = new CardStatusRegistry(SqliteCardStatusStore.open(join(mkdtempSync(join(tmpdir(), 'sscard-apps-')), 's.db')), fixedClock('2026-12-01T08:00:00Z'));
  const ops = bindOperations({ cards: new CardService(readers), registry: status, keys: NO_KEYS, operator: {} });
  return { card, readers, ops };
}

describe('service operations: financial and multi-application reads', () => {
  let stop: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await stop?.();
    stop = undefined;
  });

  it('parseApplications refuses what is not a list of known, distinct names', () => {
    expect(parseApplications(['social', 'financial'])).toEqual(['social', 'financial']);
    for (const bad of [[], ['bank'], ['social', 'social'], 'social', [1], ['social', 'financial', 'social'], null]) {
      expect(() => parseApplications(bad)).toThrow(expect.objectContaining({ code: 'BAD_REQUEST', layer: 'service' }));
    }
  });

  it('readApplications reads both in one operation, the same as each alone, without spending the ATC', async () => {
    const s = await setup('demo');
    stop = () => s.readers.stop();
    const r = await s.ops.readApplications({ target: {}, applications: ['financial', 'social'] });
    expect(r.applications).toEqual(['financial', 'social']);
    expect(r.financial?.pan).toBe('621700*********2348');
    expect(r.social?.kind).toBe('read');
    if (r.social?.kind !== 'read') throw new Error('unreachable');
    expect(r.social.read.card.cardNumber).toBe('A12345674');
    expect(r.social.status?.kind).toBe('normal');
    expect(r.financialError).toBeUndefined();
    expect(s.card.pboc!.snapshot().gpoCount).toBe(0);
    expect((await s.ops.readFinancial({ target: {} })).financial).toEqual(r.financial);
    const social = await s.ops.readCard({});
    expect(social.kind === 'read' && social.read).toEqual(r.social.read);
  });

  it('a card without the financial application: the social part stands, the financial error is reported', async () => {
    const s = await setup('v3-sm4');
    stop = () => s.readers.stop();
    const r = await s.ops.readApplications({ target: {}, applications: ['social', 'financial'] });
    expect(r.financialError).toEqual({ code: 'NO_FINANCIAL_APPLICATION', message: expect.any(String) });
    expect(r.social?.kind === 'read' && r.social.read.card.cardNumber).toBe('E56789014');
    await expect(s.ops.readFinancial({ target: {} })).rejects.toMatchObject({ code: 'NO_FINANCIAL_APPLICATION' });
    await expect(s.ops.readApplications({ target: {}, applications: ['financial'] })).rejects.toMatchObject({ code: 'NO_FINANCIAL_APPLICATION' });
  });
});
