import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createSimulatedCard } from '../../../simulators/create-card.js';
import { CardService } from '../../../src/service/card-service.js';
import { parseApplications, readApplications } from '../../../src/service/read-applications.js';
import { readFinancial } from '../../../src/service/read-financial.js';
import { ReaderRegistry } from '../../../src/service/reader-registry.js';
import { CardStatusRegistry } from '../../../src/status/card-status-registry.js';
import { SqliteCardStatusStore } from '../../../src/status/sqlite-card-status-store.js';
import { fixedClock } from '../../../src/status/status-clock.js';
import { InProcessReaderSource } from '../../../src/transport/in-process/in-process-reader-source.js';

async function setup(profile: string) {
  const card = createSimulatedCard(profile);
  const registry = new ReaderRegistry([new InProcessReaderSource([{ profileId: profile, card }])]);
  await registry.start();
  const service = new CardService(registry);
  const status = new CardStatusRegistry(SqliteCardStatusStore.open(join(mkdtempSync(join(tmpdir(), 'sscard-apps-')), 's.db')), fixedClock('2026-12-01T08:00:00Z'));
  return { card, registry, service, status };
}

describe('service: financial and multi-application reads', () => {
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
    stop = () => s.registry.stop();
    const r = await readApplications(s.service, { applications: ['financial', 'social'], statusRegistry: s.status });
    expect(r.financial?.pan).toBe('621700*********2348');
    expect(r.social?.read.card.cardNumber).toBe('A12345674');
    expect(r.social?.status?.kind).toBe('normal');
    expect(r.financialError).toBeUndefined();
    expect(s.card.pboc!.snapshot().gpoCount).toBe(0);
    const alone = await readFinancial(s.service, {});
    expect(alone.financial).toEqual(r.financial);
  });

  it('a card without the financial application: the social part stands, the financial error is reported', async () => {
    const s = await setup('v3-sm4');
    stop = () => s.registry.stop();
    const r = await readApplications(s.service, { applications: ['social', 'financial'], statusRegistry: s.status });
    expect(r.financialError).toEqual({ code: 'NO_FINANCIAL_APPLICATION', message: expect.any(String) });
    expect(r.social?.read.card.cardNumber).toBe('E56789014');
    await expect(readFinancial(s.service, {})).rejects.toMatchObject({ code: 'NO_FINANCIAL_APPLICATION' });
    await expect(readApplications(s.service, { applications: ['financial'], statusRegistry: s.status })).rejects.toMatchObject({ code: 'NO_FINANCIAL_APPLICATION' });
  });
});
