/**
 * What the registry stores per card (one row per card identification code). Instants are ISO
 * 8601 UTC strings (`2026-12-01T01:00:00.000Z`); absent parts are `null`, so a record is plain
 * JSON.
 */
export interface LockRecord {
  readonly kind: 'temporary' | 'formal';
  readonly since: string;
  /** End of a temporary lock (exclusive); `null` for a formal lock, which never expires. */
  readonly until: string | null;
  readonly site: string;
  readonly operator: string;
  readonly reason: string | null;
}

/** A replacement request or a cancellation. */
export interface EventRecord {
  readonly at: string;
  readonly site: string;
  readonly operator: string;
  readonly reason: string | null;
}

/** docs/reference/card-spec.md §3: APPLICATION BLOCK -> SELECT SSSE answers 9303; CARD BLOCK -> every command 6A81. */
export type ChipBlock = 'application' | 'card';

export interface ChipBlockRecord {
  readonly block: ChipBlock;
  readonly sw: '9303' | '6A81';
  readonly at: string;
  readonly site: string;
  readonly operator: string;
}

export interface CardRecord {
  readonly cardIdentificationCode: string;
  readonly cardNumber: string;
  readonly ssn: string | null;
  /** The lock in force or last made (an expired temporary lock is cleared on the next change). */
  readonly lock: LockRecord | null;
  readonly replacement: EventRecord | null;
  readonly cancellation: EventRecord | null;
  readonly chipBlocks: readonly ChipBlockRecord[];
  /** Incremented by every change. */
  readonly revision: number;
}

/**
 * One change asked of a store. `at` is the registry clock's instant (ISO UTC), or null for "the
 * store's clock" (the database server's time on PostgreSQL: docs/status.md, "Clock").
 */
export type StatusOperation = {
  readonly identity: { readonly cardIdentificationCode: string; readonly cardNumber: string; readonly ssn?: string };
  readonly at: string | null;
  readonly site: string;
  readonly operator: string;
  readonly reason: string | null;
} & (
  | { readonly action: 'lock-temporary' | 'lock-formal' | 'release' | 'replacement-requested' | 'cancel' }
  | { readonly action: 'chip-block'; readonly sw: '9303' | '6A81' }
  | { readonly action: 'pin-reset' | 'pin-unblock' }
);

/** An operation whose instant the store has fixed (what the rules see). */
export type TimedOperation = StatusOperation & { readonly at: string };
