import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openCardStatusRegistry } from '../../../src/status/open-card-status-registry.js';
import { DAY, HOUR, MINUTE, NINGBO_CARD, SITES, START, SUZHOU_CARD, openRegistry, tempDataDir } from './status-helpers.js';

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = tempDataDir()));
afterEach(() => cleanup());

describe('temporary lock expiry (business-rules "Loss reporting": 7 days, then released automatically)', () => {
  it('default region: locked at 6 d 23 h 59 m, released at 7 d 00 h 01 m, without any timer', async () => {
    const { registry, clock } = openRegistry(dir);
    const locked = await registry.lock(SUZHOU_CARD, 'temporary', SITES.suzhouPhone, 'reported by phone');
    expect(locked.kind).toBe('temporarily-locked');
    expect(locked.until).toBe(new Date(Date.parse(START) + 7 * DAY).toISOString());

    clock.advance(6 * DAY + 23 * HOUR + 59 * MINUTE);
    const before = await registry.statusOf(SUZHOU_CARD);
    expect(before.kind).toBe('temporarily-locked');
    await expect(registry.assertUsable(SUZHOU_CARD, 'pin-verify')).rejects.toMatchObject({ code: 'CARD_LOCKED', kind: 'temporarily-locked', until: locked.until });

    clock.advance(2 * MINUTE); // 7 d 00 h 01 m
    const after = await registry.statusOf(SUZHOU_CARD);
    expect(after.kind).toBe('normal');
    expect(after.expiredLock?.until).toBe(locked.until);
    await expect(registry.assertUsable(SUZHOU_CARD, 'settlement')).resolves.toMatchObject({ kind: 'normal' });
    await registry.close();
  });

  it('a 15-day region (330200 configured): locked at 14 d 23 h 59 m, released at 15 d 00 h 01 m; 7 days means nothing there', async () => {
    const policy = { defaultLockDays: 7, lockDaysByRegion: { '330200': 15 }, issuingAreaDigits: 2 as const };
    const { registry, clock } = openRegistry(dir, policy);
    const locked = await registry.lock(NINGBO_CARD, 'temporary', SITES.ningboCounter);
    expect(Date.parse(locked.until!) - Date.parse(START)).toBe(15 * DAY);

    clock.advance(7 * DAY + MINUTE);
    expect((await registry.statusOf(NINGBO_CARD)).kind).toBe('temporarily-locked');
    clock.set(new Date(Date.parse(START) + 14 * DAY + 23 * HOUR + 59 * MINUTE));
    expect((await registry.statusOf(NINGBO_CARD)).kind).toBe('temporarily-locked');
    clock.set(new Date(Date.parse(START) + 15 * DAY + MINUTE));
    expect((await registry.statusOf(NINGBO_CARD)).kind).toBe('normal');
    await registry.close();
  });

  it('the end is exclusive: exactly 7 x 24 h later the card is usable again', async () => {
    const { registry, clock } = openRegistry(dir);
    await registry.lock(SUZHOU_CARD, 'temporary', SITES.suzhouPhone);
    clock.advance(7 * DAY - 1);
    expect((await registry.statusOf(SUZHOU_CARD)).kind).toBe('temporarily-locked');
    clock.advance(1);
    expect((await registry.statusOf(SUZHOU_CARD)).kind).toBe('normal');
    await registry.close();
  });

  it('the expiry is written to the audit trail as auto-release at the lock\'s end; a new report is then allowed', async () => {
    const { registry, clock } = openRegistry(dir);
    const first = await registry.lock(SUZHOU_CARD, 'temporary', SITES.suzhouPhone);
    clock.advance(9 * DAY);
    const second = await registry.lock(SUZHOU_CARD, 'temporary', SITES.suzhouCounter);
    expect(second.kind).toBe('temporarily-locked');
    const trail = await registry.audit({ card: SUZHOU_CARD.cardIdentificationCode });
    expect(trail.map((e) => e.action)).toEqual(['lock-temporary', 'auto-release', 'lock-temporary']);
    expect(trail[1]).toMatchObject({ at: first.until, operator: 'system', site: SITES.suzhouPhone.site });
    await registry.close();
  });

  it('SSCARD_NOW moves the clock of separate runs, so anyone can watch a lock expire (config lockDays per region)', async () => {
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ site: SITES.ningboCounter.site, operator: 'chen.jie', lockDays: { default: 7, '330200': 15 } }));
    const at = (now: string) => openCardStatusRegistry({ env: { SSCARD_DATA_DIR: dir, SSCARD_NOW: now } });
    const a = at('2026-12-01T09:00:00+08:00');
    const locked = await a.registry.lock(NINGBO_CARD, 'temporary', a.config);
    expect(locked.until).toBe('2026-12-16T01:00:00.000Z'); // 15 days
    await a.registry.close();
    const b = at('2026-12-16T08:59:00+08:00');
    expect((await b.registry.statusOf(NINGBO_CARD)).kind).toBe('temporarily-locked');
    await b.registry.close();
    const c = at('2026-12-16T09:01:00+08:00');
    expect((await c.registry.statusOf(NINGBO_CARD)).kind).toBe('normal');
    await c.registry.close();
  });
});
