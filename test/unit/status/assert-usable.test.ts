import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CardLockedError } from '../../../src/status/card-locked-error.js';
import type { CardStatusRegistry } from '../../../src/status/card-status-registry.js';
import { SITES, SUZHOU_CARD, openRegistry, tempDataDir } from './status-helpers.js';

let cleanup: () => void;
let registry: CardStatusRegistry;
beforeEach(() => {
  const t = tempDataDir();
  cleanup = t.cleanup;
  ({ registry } = openRegistry(t.dir));
});
afterEach(async () => {
  await registry.close();
  cleanup();
});

describe('assertUsable / statusOf', () => {
  it('an unknown card is normal and usable for everything', async () => {
    expect(await registry.statusOf(SUZHOU_CARD)).toMatchObject({ kind: 'normal', since: null, chipBlocks: [] });
    for (const p of ['pin-verify', 'pin-change', 'pin-reset', 'pin-unblock', 'settlement', 'identification'] as const) {
      await expect(registry.assertUsable(SUZHOU_CARD, p)).resolves.toMatchObject({ kind: 'normal' });
    }
  });

  it('a locked card: PIN and settlement purposes throw CARD_LOCKED (kind, until); identification is allowed and shows the status', async () => {
    const locked = await registry.lock(SUZHOU_CARD, 'temporary', SITES.suzhouPhone);
    for (const p of ['pin-verify', 'pin-change', 'pin-reset', 'pin-unblock', 'settlement'] as const) {
      const e = await registry.assertUsable(SUZHOU_CARD, p).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(CardLockedError);
      expect(e).toMatchObject({ code: 'CARD_LOCKED', layer: 'status', kind: 'temporarily-locked', until: locked.until, purpose: p });
      expect(JSON.parse(JSON.stringify(e))).toMatchObject({ code: 'CARD_LOCKED', until: locked.until });
    }
    await expect(registry.assertUsable(SUZHOU_CARD, 'identification')).resolves.toMatchObject({ kind: 'temporarily-locked', site: SITES.suzhouPhone.site });
  });

  it('formal lock, replacement, cancellation each refuse settlement with their kind and no until', async () => {
    await registry.lock(SUZHOU_CARD, 'formal', SITES.suzhouCounter);
    await expect(registry.assertUsable(SUZHOU_CARD, 'settlement')).rejects.toMatchObject({ kind: 'formally-locked', until: null });
    await registry.requestReplacement(SUZHOU_CARD, SITES.suzhouCounter);
    await expect(registry.assertUsable(SUZHOU_CARD, 'settlement')).rejects.toMatchObject({ kind: 'replacement-requested', until: null });
    await registry.cancel(SUZHOU_CARD, SITES.suzhouCounter);
    await expect(registry.assertUsable(SUZHOU_CARD, 'pin-verify')).rejects.toMatchObject({ kind: 'cancelled' });
  });

  it('on-card permanent blocks (9303 application, 6A81 card) are recorded once, shown alongside, and block PIN use', async () => {
    let s = await registry.recordChipBlock(SUZHOU_CARD, '9303', SITES.suzhouCounter);
    expect(s).toMatchObject({ kind: 'blocked-on-chip', chipBlocks: [{ block: 'application', sw: '9303' }] });
    await registry.recordChipBlock(SUZHOU_CARD, '9303', SITES.suzhouCounter); // again: nothing new
    s = await registry.recordChipBlock(SUZHOU_CARD, '6A81', SITES.suzhouCounter);
    expect(s.chipBlocks.map((b) => b.block)).toEqual(['application', 'card']);
    expect(s.reason).toContain('card blocked');
    await expect(registry.assertUsable(SUZHOU_CARD, 'pin-verify')).rejects.toMatchObject({ code: 'CARD_LOCKED', kind: 'blocked-on-chip' });
    // a loss lock on a chip-blocked card still works and the block stays visible
    s = await registry.lock(SUZHOU_CARD, 'formal', SITES.suzhouCounter);
    expect(s).toMatchObject({ kind: 'blocked-on-chip', lock: { kind: 'formal' } });
    const actions = (await registry.audit()).map((e) => e.action);
    expect(actions).toEqual(['block-application', 'block-card', 'lock-formal']);
  });

  it('PIN reset / unblock are audited without any PIN field', async () => {
    await registry.recordPinEvent(SUZHOU_CARD, 'pin-reset', SITES.suzhouCounter);
    await registry.recordPinEvent(SUZHOU_CARD, 'pin-unblock', SITES.suzhouCounter);
    const trail = await registry.audit();
    expect(trail.map((e) => e.action)).toEqual(['pin-reset', 'pin-unblock']);
    expect(Object.keys(trail[0]!).sort()).toEqual(
      ['action', 'at', 'cardIdentificationCode', 'cardNumber', 'id', 'operator', 'reason', 'site', 'ssn', 'sw', 'until'].sort(),
    );
  });

  it('holders are found by SSN', async () => {
    const ssn = '11010519491231002X';
    await registry.lock({ ...SUZHOU_CARD, ssn }, 'temporary', SITES.suzhouPhone);
    const list = await registry.cardsOfHolder(ssn);
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ kind: 'temporarily-locked', ssn, cardNumber: SUZHOU_CARD.cardNumber });
    await expect(registry.lock({ ...SUZHOU_CARD, ssn: '110105194912310037' }, 'formal', SITES.suzhouCounter)).rejects.toMatchObject({ code: 'IDENTITY_MISMATCH' });
  });

  it('the same identification code with another card number fails safe (IDENTITY_MISMATCH), never "normal"', async () => {
    await registry.lock(SUZHOU_CARD, 'formal', SITES.suzhouCounter);
    const other = { ...SUZHOU_CARD, cardNumber: 'X00000019' };
    await expect(registry.statusOf(other)).rejects.toMatchObject({ code: 'IDENTITY_MISMATCH' });
    await expect(registry.assertUsable(other, 'pin-verify')).rejects.toMatchObject({ code: 'IDENTITY_MISMATCH' });
  });
});
