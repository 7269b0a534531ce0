import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CardStatusRegistry } from '../../../src/status/card-status-registry.js';
import { StatusError } from '../../../src/status/status-error.js';
import { DAY, SITES, SUZHOU_CARD, openRegistry, tempDataDir } from './status-helpers.js';

let dir: string;
let cleanup: () => void;
let registry: CardStatusRegistry;
beforeEach(() => {
  ({ dir, cleanup } = tempDataDir());
  ({ registry } = openRegistry(dir));
});
afterEach(async () => {
  await registry.close();
  cleanup();
});

async function refused(p: Promise<unknown>, code: string): Promise<StatusError> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(StatusError);
  expect((e as StatusError).code).toBe(code);
  expect((e as StatusError).rule).toMatch(/business-rules\.md|docs\/status\.md/);
  return e as StatusError;
}

describe('release rules (docs/reference/business-rules.md "Loss reporting and locks")', () => {
  it('temporary lock: released at another site of the same issuing area (province 32) is allowed', async () => {
    await registry.lock(SUZHOU_CARD, 'temporary', SITES.suzhouPhone);
    const s = await registry.release(SUZHOU_CARD, SITES.kunshanBank, 'holder found the card');
    expect(s.kind).toBe('normal');
    const trail = await registry.audit({ card: SUZHOU_CARD.cardIdentificationCode, action: 'release' });
    expect(trail).toHaveLength(1);
    expect(trail[0]).toMatchObject({ site: SITES.kunshanBank.site, operator: 'li.na', reason: 'holder found the card' });
  });

  it('temporary lock: release in another issuing area (province 33) is refused', async () => {
    await registry.lock(SUZHOU_CARD, 'temporary', SITES.suzhouPhone);
    const e = await refused(registry.release(SUZHOU_CARD, SITES.hangzhouBank), 'RELEASE_OUTSIDE_ISSUING_AREA');
    expect(e.message).toContain('issuing area 32');
    expect((await registry.statusOf(SUZHOU_CARD)).kind).toBe('temporarily-locked');
  });

  it('issuing area can be the city (config issuingArea: city): Kunshan 3205.. ok, Nanjing 3201.. refused', async () => {
    await registry.close();
    ({ registry } = openRegistry(dir, { defaultLockDays: 7, lockDaysByRegion: {}, issuingAreaDigits: 4 }));
    await registry.lock(SUZHOU_CARD, 'temporary', SITES.suzhouPhone);
    await refused(registry.release(SUZHOU_CARD, { site: '320102-nanjing-bank', operator: 'x' }), 'RELEASE_OUTSIDE_ISSUING_AREA');
    expect((await registry.release(SUZHOU_CARD, SITES.kunshanBank)).kind).toBe('normal');
  });

  it('formal lock: release at the site where it was made is allowed', async () => {
    await registry.lock(SUZHOU_CARD, 'formal', SITES.suzhouCounter);
    const s = await registry.release(SUZHOU_CARD, { site: SITES.suzhouCounter.site, operator: 'another.clerk' });
    expect(s.kind).toBe('normal');
  });

  it('formal lock: release at any other site, even in the same area, is refused', async () => {
    await registry.lock(SUZHOU_CARD, 'formal', SITES.suzhouCounter);
    const e = await refused(registry.release(SUZHOU_CARD, SITES.kunshanBank), 'RELEASE_AT_OTHER_SITE');
    expect(e.message).toContain(SITES.suzhouCounter.site);
    expect((await registry.statusOf(SUZHOU_CARD)).kind).toBe('formally-locked');
  });

  it('a formal lock supersedes a temporary one: no expiry any more, and the temporary release rule no longer applies', async () => {
    const { registry: r, clock } = openRegistry(dir);
    await r.lock(SUZHOU_CARD, 'temporary', SITES.suzhouPhone);
    const formal = await r.lock(SUZHOU_CARD, 'formal', SITES.suzhouCounter);
    expect(formal).toMatchObject({ kind: 'formally-locked', until: null, site: SITES.suzhouCounter.site });
    clock.advance(30 * DAY);
    expect((await r.statusOf(SUZHOU_CARD)).kind).toBe('formally-locked');
    await refused(r.release(SUZHOU_CARD, SITES.kunshanBank), 'RELEASE_AT_OTHER_SITE');
    // and a temporary report cannot weaken it
    await refused(r.lock(SUZHOU_CARD, 'temporary', SITES.suzhouPhone), 'ALREADY_LOCKED');
    await r.close();
  });

  it('a second temporary report while one is in force is refused (no renewal)', async () => {
    await registry.lock(SUZHOU_CARD, 'temporary', SITES.suzhouPhone);
    await refused(registry.lock(SUZHOU_CARD, 'temporary', SITES.suzhouCounter), 'ALREADY_LOCKED');
  });

  it('release of a card that is not locked is refused', async () => {
    await refused(registry.release(SUZHOU_CARD, SITES.suzhouCounter), 'NOT_LOCKED');
  });

  it('replacement needs a formal lock: refused on a temporary lock, allowed on a formal one', async () => {
    await registry.lock(SUZHOU_CARD, 'temporary', SITES.suzhouPhone);
    await refused(registry.requestReplacement(SUZHOU_CARD, SITES.suzhouCounter), 'FORMAL_LOCK_REQUIRED');
    await registry.lock(SUZHOU_CARD, 'formal', SITES.suzhouCounter);
    expect((await registry.requestReplacement(SUZHOU_CARD, SITES.suzhouCounter)).kind).toBe('replacement-requested');
  });

  it('after a replacement was requested the card can never be released, not even where the formal lock was made', async () => {
    await registry.lock(SUZHOU_CARD, 'formal', SITES.suzhouCounter);
    await registry.requestReplacement(SUZHOU_CARD, SITES.suzhouCounter);
    await refused(registry.release(SUZHOU_CARD, SITES.suzhouCounter), 'REPLACEMENT_REQUESTED');
    await refused(registry.lock(SUZHOU_CARD, 'temporary', SITES.suzhouCounter), 'REPLACEMENT_REQUESTED');
    await refused(registry.requestReplacement(SUZHOU_CARD, SITES.suzhouCounter), 'REPLACEMENT_REQUESTED');
    const s = await registry.statusOf(SUZHOU_CARD);
    expect(s).toMatchObject({ kind: 'replacement-requested', lock: { kind: 'formal' } });
  });

  it('cancellation is final: release, lock, replacement and a second cancel are refused', async () => {
    await registry.lock(SUZHOU_CARD, 'temporary', SITES.suzhouPhone);
    expect((await registry.cancel(SUZHOU_CARD, SITES.suzhouCounter, 'holder emigrated')).kind).toBe('cancelled');
    await refused(registry.release(SUZHOU_CARD, SITES.suzhouCounter), 'CARD_CANCELLED');
    await refused(registry.lock(SUZHOU_CARD, 'formal', SITES.suzhouCounter), 'CARD_CANCELLED');
    await refused(registry.requestReplacement(SUZHOU_CARD, SITES.suzhouCounter), 'CARD_CANCELLED');
    await refused(registry.cancel(SUZHOU_CARD, SITES.suzhouCounter), 'CARD_CANCELLED');
    expect((await registry.statusOf(SUZHOU_CARD)).kind).toBe('cancelled');
  });

  it('a refused operation writes nothing to the audit trail', async () => {
    await registry.lock(SUZHOU_CARD, 'formal', SITES.suzhouCounter);
    await refused(registry.release(SUZHOU_CARD, SITES.kunshanBank), 'RELEASE_AT_OTHER_SITE');
    expect((await registry.audit()).map((e) => e.action)).toEqual(['lock-formal']);
  });
});
