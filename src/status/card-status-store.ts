import type { AuditEntry, AuditQuery } from './audit-entry.js';
import type { CardRecord, StatusOperation } from './card-record.js';

/**
 * Where card status lives. The default is `SqliteCardStatusStore` (an embedded database file);
 * a deployment can plug in a client of the issuer's card-status service by implementing this
 * interface: it receives validated operations and answers with records, and maps the service's
 * refusals to `StatusError` codes (docs/status.md, "Plugging in the issuer's service").
 *
 * Contract:
 * - `apply` is atomic: the record change and its audit entries are committed together or not
 *   at all, and concurrent `apply`s on one card are serialised (read-modify-write).
 * - `read` throws StatusError IDENTITY_MISMATCH when the card identification code is known with
 *   another card number (fail safe: a typo must not make a locked card look normal).
 * - The audit trail is append-only.
 */
export interface CardStatusStore {
  read(identity: { cardIdentificationCode: string; cardNumber: string }): Promise<CardRecord | undefined>;
  /** All cards recorded for one holder (lookup by social security number). */
  findBySsn(ssn: string): Promise<CardRecord[]>;
  /** Applies the rules to one operation; returns the record after it, or throws the refusal. */
  apply(op: StatusOperation): Promise<CardRecord>;
  /** Writes the auto-release entries of every temporary lock ended before `now`; returns how many. */
  settleExpired(now: string): Promise<number>;
  audit(query: AuditQuery): Promise<AuditEntry[]>;
  close(): Promise<void>;
}
