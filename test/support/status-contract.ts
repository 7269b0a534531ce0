import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cardNumberCheckCharacter } from '../../src/cards/social-security/card-number-check.js';
import type { CardStatusRegistry } from '../../src/status/card-status-registry.js';
import { ManualClock } from '../../src/status/status-clock.js';
import type { StatusPolicy } from '../../src/status/status-policy.js';
import { StatusError } from '../../src/status/status-error.js';

/**
 * One contract, every backend: each rule of docs/status.md (R1-R8, NOT_LOCKED, IDENTITY_MISMATCH,
 * chip blocks, PIN events, holder lookup, audit trail, append-only enforced by the database,
 * refusal of a newer schema, change notification). Run by the SQLite unit test and the
 * PostgreSQL test against a real server.
 */
export interface ContractBackend {
  /** A registry on the backend with `clock` and `policy`; every call may share one database. */
  open(clock: ManualClock, policy: StatusPolicy): Promise<CardStatusRegistry>;
  /** Tries to UPDATE / DELETE an audit row behind the code's back; resolves with the database's error. */
  tamperAudit(kind: 'update' | 'delete'): Promise<unknown>;
  /** Opens the store after marking its schema newer than this build; resolves with the error it gave. */
  openWithNewerSchema(): Promise<unknown>;
  close(): Promise<void>;
}

const START = '2026-12-01T09:00:00+08:00';
const DAY = 24 * 60 * 60 * 1000;
const POLICY: StatusPolicy = { defaultLockDays: 7, lockDaysByRegion: { '330200': 15 }, issuingAreaDigits: 2 };
const SITES = {
  suzhouCounter: { site: '320508-gusu-service-point', operator: 'zhang.wei' },
  suzhouPhone: { site: '320500-12333', operator: 'hotline-07' },
  kunshanBank: { site: '320583-icbc-kunshan', operator: 'li.na' },
  hangzhouBank: { site: '330106-ccb-xihu', operator: 'wang.fang' },
};

// Every test gets cards of its own, so the suite can share one database (the audit cannot be emptied).
let serial = Math.floor(Math.random() * 0x7000_0000);
function freshCard(region = '320500') {
  serial++;
  const first8 = `B${String(serial % 10_000_000).padStart(7, '0')}`;
  return {
    cardIdentificationCode: `${region}D156000005${serial.toString(16).toUpperCase().padStart(8, '0')}48FB4966`,
    cardNumber: first8 + cardNumberCheckCharacter(first8),
  };
}

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(StatusError);
  return (e as StatusError).code;
}

export function registryContract(name: string, backend: () => ContractBackend | undefined): void {
  describe(`card-status registry contract: ${name}`, () => {
    let b: ContractBackend;
    let clock: ManualClock;
    let reg: CardStatusRegistry;
    beforeAll(async () => {
      b = backend()!;
      clock = new ManualClock(START);
      reg = await b.open(clock, POLICY);
    });
    afterAll(async () => {
      await reg?.close();
      await b?.close();
    });
    const at = (ms: number) => clock.set(new Date(Date.parse(START) + ms));

    it('unknown card is normal; R1 temporary lock lasts 7 days exactly, then ends by itself (auto-release audited)', async () => {
      at(0);
      const card = freshCard();
      expect((await reg.statusOf(card)).kind).toBe('normal');
      const s = await reg.lock(card, 'temporary', SITES.suzhouPhone, 'phoned in');
      expect(s).toMatchObject({ kind: 'temporarily-locked', until: new Date(Date.parse(START) + 7 * DAY).toISOString(), site: SITES.suzhouPhone.site });
      at(7 * DAY - 1);
      expect((await reg.statusOf(card)).kind).toBe('temporarily-locked');
      at(7 * DAY);
      expect((await reg.statusOf(card)).kind).toBe('normal');
      const trail = await reg.audit({ card: card.cardIdentificationCode });
      expect(trail.map((e) => e.action)).toEqual(['lock-temporary', 'auto-release']);
      expect(trail[1]).toMatchObject({ operator: 'system', at: s.until });
    });

    it('R1 per-region duration: a Ningbo (330200) card is locked 15 days', async () => {
      at(0);
      const s = await reg.lock(freshCard('330200'), 'temporary', SITES.hangzhouBank);
      expect(Date.parse(s.until!) - Date.parse(START)).toBe(15 * DAY);
    });

    it('R2 a second temporary report is refused while one is in force, allowed after expiry', async () => {
      at(0);
      const card = freshCard();
      await reg.lock(card, 'temporary', SITES.suzhouPhone);
      expect(await codeOf(reg.lock(card, 'temporary', SITES.suzhouCounter))).toBe('ALREADY_LOCKED');
      at(8 * DAY);
      expect((await reg.lock(card, 'temporary', SITES.suzhouPhone)).kind).toBe('temporarily-locked');
      expect((await reg.audit({ card: card.cardIdentificationCode })).map((e) => e.action)).toEqual(['lock-temporary', 'auto-release', 'lock-temporary']);
    });

    it('R3 a formal lock supersedes a temporary one, never expires, and cannot be weakened', async () => {
      at(0);
      const card = freshCard();
      await reg.lock(card, 'temporary', SITES.suzhouPhone);
      expect((await reg.lock(card, 'formal', SITES.suzhouCounter)).kind).toBe('formally-locked');
      expect(await codeOf(reg.lock(card, 'temporary', SITES.suzhouPhone))).toBe('ALREADY_LOCKED');
      expect(await codeOf(reg.lock(card, 'formal', SITES.suzhouPhone))).toBe('ALREADY_LOCKED');
      at(400 * DAY);
      expect((await reg.statusOf(card)).kind).toBe('formally-locked');
    });

    it('R4 a temporary lock is released anywhere in the issuing area, not outside it', async () => {
      at(0);
      const card = freshCard();
      await reg.lock(card, 'temporary', SITES.suzhouPhone);
      expect(await codeOf(reg.release(card, SITES.hangzhouBank))).toBe('RELEASE_OUTSIDE_ISSUING_AREA');
      expect((await reg.release(card, SITES.kunshanBank, 'found')).kind).toBe('normal');
    });

    it('R5 a formal lock is released only where it was made (any operator there)', async () => {
      at(0);
      const card = freshCard();
      await reg.lock(card, 'formal', SITES.suzhouCounter);
      expect(await codeOf(reg.release(card, SITES.kunshanBank))).toBe('RELEASE_AT_OTHER_SITE');
      expect((await reg.release(card, { site: SITES.suzhouCounter.site, operator: 'another.clerk' })).kind).toBe('normal');
    });

    it('R6 a replacement needs a formal lock; after it the card is never released or locked again', async () => {
      at(0);
      const card = freshCard();
      expect(await codeOf(reg.requestReplacement(card, SITES.suzhouCounter))).toBe('FORMAL_LOCK_REQUIRED');
      await reg.lock(card, 'temporary', SITES.suzhouPhone);
      expect(await codeOf(reg.requestReplacement(card, SITES.suzhouCounter))).toBe('FORMAL_LOCK_REQUIRED');
      await reg.lock(card, 'formal', SITES.suzhouCounter);
      expect((await reg.requestReplacement(card, SITES.suzhouCounter)).kind).toBe('replacement-requested');
      expect(await codeOf(reg.release(card, SITES.suzhouCounter))).toBe('REPLACEMENT_REQUESTED');
      expect(await codeOf(reg.lock(card, 'temporary', SITES.suzhouPhone))).toBe('REPLACEMENT_REQUESTED');
      expect(await codeOf(reg.requestReplacement(card, SITES.suzhouCounter))).toBe('REPLACEMENT_REQUESTED');
    });

    it('R7 cancellation is allowed from any state and is final', async () => {
      at(0);
      const card = freshCard();
      expect((await reg.cancel(card, SITES.suzhouCounter, 'emigrated')).kind).toBe('cancelled');
      const attempts = [
        () => reg.lock(card, 'temporary', SITES.suzhouPhone),
        () => reg.lock(card, 'formal', SITES.suzhouCounter),
        () => reg.release(card, SITES.suzhouCounter),
        () => reg.requestReplacement(card, SITES.suzhouCounter),
        () => reg.cancel(card, SITES.suzhouCounter),
      ];
      for (const attempt of attempts) expect(await codeOf(attempt())).toBe('CARD_CANCELLED');
    });

    it('R8 assertUsable: identification always; every other purpose refused with CARD_LOCKED while locked', async () => {
      at(0);
      const card = freshCard();
      expect((await reg.assertUsable(card, 'pin-verify')).kind).toBe('normal');
      await reg.lock(card, 'temporary', SITES.suzhouPhone);
      expect((await reg.assertUsable(card, 'identification')).kind).toBe('temporarily-locked');
      for (const purpose of ['pin-verify', 'pin-change', 'pin-reset', 'pin-unblock', 'settlement'] as const) {
        expect(await codeOf(reg.assertUsable(card, purpose))).toBe('CARD_LOCKED');
      }
    });

    it('releasing a card that is not locked is NOT_LOCKED; refusals write no audit entry', async () => {
      at(0);
      const card = freshCard();
      expect(await codeOf(reg.release(card, SITES.suzhouCounter))).toBe('NOT_LOCKED');
      expect(await reg.audit({ card: card.cardIdentificationCode })).toEqual([]);
    });

    it('IDENTITY_MISMATCH: a known identification code with another card number, on read and on change', async () => {
      at(0);
      const card = freshCard();
      const other = freshCard();
      await reg.lock(card, 'formal', SITES.suzhouCounter);
      const wrong = { cardIdentificationCode: card.cardIdentificationCode, cardNumber: other.cardNumber };
      expect(await codeOf(reg.statusOf(wrong))).toBe('IDENTITY_MISMATCH');
      expect(await codeOf(reg.release(wrong, SITES.suzhouCounter))).toBe('IDENTITY_MISMATCH');
      expect((await reg.statusOf(card)).kind).toBe('formally-locked');
    });

    it('chip blocks are recorded once; PIN events are audited; cards are found by holder', async () => {
      at(0);
      const ssn = '32050819800101001X';
      const card = { ...freshCard(), ssn };
      expect((await reg.recordChipBlock(card, '9303', SITES.suzhouCounter)).kind).toBe('blocked-on-chip');
      await reg.recordChipBlock(card, '9303', SITES.suzhouCounter);
      await reg.recordPinEvent(card, 'pin-reset', SITES.suzhouCounter);
      expect((await reg.audit({ card: card.cardIdentificationCode })).map((e) => e.action)).toEqual(['block-application', 'pin-reset']);
      const held = await reg.cardsOfHolder(ssn);
      expect(held.map((s) => s.cardIdentificationCode)).toContain(card.cardIdentificationCode);
      expect(held.find((s) => s.cardIdentificationCode === card.cardIdentificationCode)?.kind).toBe('blocked-on-chip');
    });

    it('audit: who, where, when, why; filters by card, action and time', async () => {
      at(0);
      const card = freshCard();
      await reg.lock(card, 'formal', SITES.suzhouCounter, 'lost on the bus');
      at(DAY);
      await reg.release(card, SITES.suzhouCounter, 'found');
      const all = await reg.audit({ card: card.cardIdentificationCode });
      expect(all).toHaveLength(2);
      expect(all[0]).toMatchObject({ action: 'lock-formal', site: SITES.suzhouCounter.site, operator: 'zhang.wei', reason: 'lost on the bus', at: new Date(START).toISOString() });
      expect(all[1]!.id).toBeGreaterThan(all[0]!.id);
      expect(await reg.audit({ card: card.cardIdentificationCode, action: 'release' })).toHaveLength(1);
      expect(await reg.audit({ card: card.cardIdentificationCode, since: new Date(Date.parse(START) + 1).toISOString() })).toHaveLength(1);
      // Oldest first by commit order (numeric ids: entry 10 after entry 9).
      for (let i = 0; i < 6; i++) {
        await reg.lock(card, 'formal', SITES.suzhouCounter);
        await reg.release(card, SITES.suzhouCounter);
      }
      const ids = (await reg.audit({})).map((e) => e.id);
      expect(ids.length).toBeGreaterThanOrEqual(14);
      expect(ids).toEqual([...ids].sort((x, y) => x - y));
    });

    it('audit is append-only, enforced by the database (UPDATE and DELETE fail)', async () => {
      at(0);
      await reg.lock(freshCard(), 'formal', SITES.suzhouCounter);
      const before = (await reg.audit({})).length;
      for (const kind of ['update', 'delete'] as const) {
        const e = await b.tamperAudit(kind);
        expect(String((e as Error)?.message)).toMatch(/append-only/);
      }
      expect((await reg.audit({})).length).toBe(before);
    });

    it('a schema newer than this build is refused (STORE_VERSION_UNSUPPORTED)', async () => {
      const e = await b.openWithNewerSchema();
      expect(e).toBeInstanceOf(StatusError);
      expect((e as StatusError).code).toBe('STORE_VERSION_UNSUPPORTED');
    });

    it('a committed change is announced with the card identification code only', async () => {
      at(0);
      const card = freshCard();
      const seen: string[] = [];
      const off = reg.onChange((cic) => seen.push(cic));
      await reg.lock(card, 'temporary', SITES.suzhouPhone);
      await expect.poll(() => seen.includes(card.cardIdentificationCode), { timeout: 2000 }).toBe(true);
      const n = seen.length;
      expect(await codeOf(reg.lock(card, 'temporary', SITES.suzhouPhone))).toBe('ALREADY_LOCKED');
      await new Promise((r) => setTimeout(r, 100));
      expect(seen.length).toBe(n); // a refusal announces nothing
      off();
    });
  });
}
