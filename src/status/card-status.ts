import type { CardRecord, ChipBlockRecord, LockRecord } from './card-record.js';

/**
 * What the registry says about a card at one instant, most severe first:
 * cancelled > replacement-requested > blocked-on-chip > formally-locked > temporarily-locked > normal.
 */
export type CardStatusKind =
  | 'normal'
  | 'temporarily-locked'
  | 'formally-locked'
  | 'replacement-requested'
  | 'cancelled'
  | 'blocked-on-chip';

export interface CardStatus {
  readonly kind: CardStatusKind;
  readonly cardIdentificationCode: string;
  readonly cardNumber: string;
  readonly ssn: string | null;
  /** When the state named by `kind` began (null for normal). */
  readonly since: string | null;
  /** End of a temporary lock (exclusive); null otherwise. */
  readonly until: string | null;
  /** Where the state was entered (null for normal). */
  readonly site: string | null;
  readonly operator: string | null;
  readonly reason: string | null;
  /** The loss lock in force (also under replacement-requested / cancelled / blocked-on-chip). */
  readonly lock: LockRecord | null;
  /** A temporary lock that has run out and was released automatically. */
  readonly expiredLock: LockRecord | null;
  /** Permanent on-card blocks recorded for this card, shown whatever the kind. */
  readonly chipBlocks: readonly ChipBlockRecord[];
  /** The clock instant the status was evaluated at. */
  readonly evaluatedAt: string;
}

/** True while a lock is in force at `now`: a temporary lock ends at `until` (exclusive). */
export function lockInForce(lock: LockRecord | null, now: Date): boolean {
  if (!lock) return false;
  return lock.kind === 'formal' || lock.until === null || now.getTime() < Date.parse(lock.until);
}

/** Pure: the status of `record` (or of an unknown card) at `now`. */
export function deriveStatus(
  identity: { cardIdentificationCode: string; cardNumber: string; ssn?: string },
  record: CardRecord | undefined,
  now: Date,
): CardStatus {
  const base = {
    cardIdentificationCode: identity.cardIdentificationCode,
    cardNumber: identity.cardNumber,
    ssn: record?.ssn ?? identity.ssn ?? null,
    evaluatedAt: now.toISOString(),
    chipBlocks: record?.chipBlocks ?? [],
  };
  const lock = record && lockInForce(record.lock, now) ? record.lock : null;
  const expiredLock = record?.lock && !lock ? record.lock : null;
  const rest = { lock, expiredLock };
  if (record?.cancellation) return { ...base, ...rest, kind: 'cancelled', ...event(record.cancellation), until: null };
  if (record?.replacement) return { ...base, ...rest, kind: 'replacement-requested', ...event(record.replacement), until: null };
  const block = strongestBlock(base.chipBlocks);
  if (block) {
    return { ...base, ...rest, kind: 'blocked-on-chip', since: block.at, until: null, site: block.site, operator: block.operator, reason: `${block.block} blocked on the chip (SW ${block.sw})` };
  }
  if (lock) {
    const kind = lock.kind === 'formal' ? 'formally-locked' : 'temporarily-locked';
    return { ...base, ...rest, kind, since: lock.since, until: lock.until, site: lock.site, operator: lock.operator, reason: lock.reason };
  }
  return { ...base, ...rest, kind: 'normal', since: null, until: null, site: null, operator: null, reason: null };
}

function event(e: { at: string; site: string; operator: string; reason: string | null }) {
  return { since: e.at, site: e.site, operator: e.operator, reason: e.reason };
}

function strongestBlock(blocks: readonly ChipBlockRecord[]): ChipBlockRecord | undefined {
  return blocks.find((b) => b.block === 'card') ?? blocks.find((b) => b.block === 'application');
}
