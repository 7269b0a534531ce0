import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { DAY, HOUR, NINGBO_CARD, SITES, SUZHOU_CARD, openRegistry, tempDataDir } from './status-helpers.js';

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = tempDataDir()));
afterEach(() => cleanup());

describe('audit trail', () => {
  it('the audit table refuses UPDATE and DELETE (triggers ABORT), even through a raw connection', async () => {
    const { registry } = openRegistry(dir);
    await registry.lock(SUZHOU_CARD, 'formal', SITES.suzhouCounter, 'stolen');
    await registry.close();
    const db = new Database(join(dir, 'status.sqlite'));
    expect(() => db.prepare("UPDATE audit SET operator = 'someone.else'").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit').run()).toThrow(/append-only/);
    expect(db.prepare('SELECT operator, reason FROM audit').all()).toEqual([{ operator: 'zhang.wei', reason: 'stolen' }]);
    db.close();
  });

  it('is queryable by since / until / card / action and JSON-serialisable', async () => {
    const { registry, clock } = openRegistry(dir);
    await registry.lock(SUZHOU_CARD, 'temporary', SITES.suzhouPhone); // day 0
    clock.advance(DAY);
    await registry.lock(NINGBO_CARD, 'formal', SITES.ningboCounter); // day 1
    clock.advance(DAY);
    await registry.release(SUZHOU_CARD, SITES.kunshanBank); // day 2
    clock.advance(DAY);
    await registry.requestReplacement(NINGBO_CARD, SITES.ningboCounter); // day 3

    const all = await registry.audit();
    expect(all.map((e) => e.action)).toEqual(['lock-temporary', 'lock-formal', 'release', 'replacement-requested']);
    expect(all.map((e) => e.id)).toEqual([...all.map((e) => e.id)].sort((a, b) => a - b));
    expect(JSON.parse(JSON.stringify(all))).toEqual(all);

    expect((await registry.audit({ card: NINGBO_CARD.cardIdentificationCode.toLowerCase() })).map((e) => e.action)).toEqual(['lock-formal', 'replacement-requested']);
    expect((await registry.audit({ since: '2026-12-02T09:00:00+08:00' })).map((e) => e.action)).toEqual(['lock-formal', 'release', 'replacement-requested']);
    expect((await registry.audit({ since: '2026-12-02T09:00:00+08:00', until: '2026-12-03T09:00:00+08:00' })).map((e) => e.action)).toEqual(['lock-formal']);
    expect(await registry.audit({ action: 'release' })).toMatchObject([{ site: SITES.kunshanBank.site, cardNumber: SUZHOU_CARD.cardNumber }]);
    await expect(registry.audit({ since: 'yesterday' })).rejects.toMatchObject({ code: 'BAD_TIME' });
    await expect(registry.audit({ action: 'delete' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await registry.close();
  });

  it('every entry carries site, operator, time and card identification; lock entries carry their end', async () => {
    const { registry, clock } = openRegistry(dir);
    clock.advance(HOUR);
    const s = await registry.lock(SUZHOU_CARD, 'temporary', SITES.suzhouPhone, 'phone call');
    const [e] = await registry.audit();
    expect(e).toEqual({
      id: expect.any(Number),
      at: '2026-12-01T02:00:00.000Z',
      action: 'lock-temporary',
      cardIdentificationCode: SUZHOU_CARD.cardIdentificationCode,
      cardNumber: SUZHOU_CARD.cardNumber,
      ssn: null,
      site: SITES.suzhouPhone.site,
      operator: SITES.suzhouPhone.operator,
      until: s.until,
      sw: null,
      reason: 'phone call',
    });
    await registry.close();
  });

  it('audit() settles expired temporary locks first, so the trail shows when they ended', async () => {
    const { registry, clock } = openRegistry(dir);
    const s = await registry.lock(SUZHOU_CARD, 'temporary', SITES.suzhouPhone);
    clock.advance(8 * DAY);
    const trail = await registry.audit();
    expect(trail.map((e) => [e.action, e.at])).toEqual([
      ['lock-temporary', '2026-12-01T01:00:00.000Z'],
      ['auto-release', s.until],
    ]);
    expect(await registry.audit()).toHaveLength(2); // settling is done once
    await registry.close();
  });
});
