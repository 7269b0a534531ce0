import type { AuditEntry, AuditQuery } from './audit-entry.js';
import type { CardRecord, StatusOperation } from './card-record.js';

/** Which database a store uses, and whether it can be reached now (docs/status.md, "Store state"). */
export interface StoreState {
  readonly backend: 'sqlite' | 'postgres';
  /** `up`: answering; `connecting`: first attempt running; `down`: unreachable or refused (see `error`). */
  readonly state: 'up' | 'connecting' | 'down';
  /** Where (file path, or the PostgreSQL host and database without user or password). */
  readonly location: string;
  /** ISO instant of the last state change. */
  readonly since: string;
  /** StatusError code of the last failure while not up (STORE_UNAVAILABLE, STORE_SCHEMA_OUTDATED, ...). */
  readonly error?: string;
}

/** A read together with the instant it was evaluated at (the store's clock when none was given). */
export interface StoreRead {
  readonly record: CardRecord | undefined;
  readonly at: string;
}

/**
 * Where card status lives. The default is `SqliteCardStatusStore` (an embedded database file);
 * `PgCardStatusStore` shares one registry between all machines of a region. A deployment can
 * also plug in a client of the issuer's card-status service by implementing this interface: it
 * receives validated operations and answers with records, and maps the service's refusals to
 * `StatusError` codes (docs/status.md, "Plugging in the issuer's service").
 *
 * Contract:
 * - `apply` is atomic: the record change and its audit entries are committed together or not
 *   at all, and concurrent `apply`s on one card are serialised (read-modify-write).
 * - `op.at === null` / `at === null` means "now by the store's clock" (the database server's
 *   clock on PostgreSQL, so counters with skewed clocks agree).
 * - `read` throws StatusError IDENTITY_MISMATCH when the card identification code is known with
 *   another card number (fail safe: a typo must not make a locked card look normal).
 * - The audit trail is append-only.
 */
export interface CardStatusStore {
  read(identity: { cardIdentificationCode: string; cardNumber: string }, at: string | null): Promise<StoreRead>;
  /** All cards recorded for one holder (lookup by social security number). */
  findBySsn(ssn: string, at: string | null): Promise<{ records: CardRecord[]; at: string }>;
  /** Applies the rules to one operation; returns the record after it, or throws the refusal. */
  apply(op: StatusOperation): Promise<StoreRead & { record: CardRecord }>;
  /** Writes the auto-release entries of every temporary lock ended before `now`; returns how many. */
  settleExpired(now: string | null): Promise<number>;
  audit(query: AuditQuery): Promise<AuditEntry[]>;
  /** Reachability for /health and `sscard status`. */
  state(): StoreState;
  /**
   * Change notifications from other processes (PostgreSQL LISTEN/NOTIFY): the listener gets the
   * card identification code of every committed change, own changes included. Absent on stores
   * that cannot see other processes' changes (the registry then reports its own).
   */
  onChange?(listener: (cardIdentificationCode: string) => void): () => void;
  /** Resolves once the first connection attempt has finished (up or down); never rejects. */
  ready?(): Promise<void>;
  close(): Promise<void>;
}
