/**
 * One row of the append-only audit trail (docs/status.md, "Audit trail"). Plain JSON. It never
 * holds a PIN: the only free text is `reason`, sanitised by `sanitizeReason`.
 */
export const AUDIT_ACTIONS = [
  'lock-temporary',
  'lock-formal',
  'release',
  /** A temporary lock that reached its end; written (with `at` = the lock's end) on the next change. */
  'auto-release',
  'replacement-requested',
  'cancel',
  'block-application',
  'block-card',
  'pin-reset',
  'pin-unblock',
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditEntry {
  /** Increasing; the order in which the entries were committed. */
  readonly id: number;
  readonly at: string;
  readonly action: AuditAction;
  readonly cardIdentificationCode: string;
  readonly cardNumber: string;
  readonly ssn: string | null;
  readonly site: string;
  readonly operator: string;
  /** For lock-*: the lock's end (temporary) or null (formal); for auto-release: the lock's end. */
  readonly until: string | null;
  /** For block-*: the status word the card answered. */
  readonly sw: string | null;
  readonly reason: string | null;
}

/** A row of the `audit` table, as both stores define it (docs/status.md, "Stores"). */
export interface AuditRow {
  readonly id: number | string;
  readonly at: string;
  readonly action: AuditAction;
  readonly cic: string;
  readonly card_number: string;
  readonly ssn: string | null;
  readonly site: string;
  readonly operator: string;
  readonly until: string | null;
  readonly sw: string | null;
  readonly reason: string | null;
}

/** The `audit` table's row as an entry (PostgreSQL returns the bigint id as text). */
export function auditEntryOf(r: AuditRow): AuditEntry {
  return {
    id: Number(r.id),
    at: r.at,
    action: r.action,
    cardIdentificationCode: r.cic,
    cardNumber: r.card_number,
    ssn: r.ssn,
    site: r.site,
    operator: r.operator,
    until: r.until,
    sw: r.sw,
    reason: r.reason,
  };
}

/** An entry before the store numbers it. */
export type AuditDraft = Omit<AuditEntry, 'id'>;

export interface AuditQuery {
  /** Inclusive lower bound on `at` (ISO instant). */
  readonly since?: string;
  /** Exclusive upper bound on `at` (ISO instant). */
  readonly until?: string;
  readonly cardIdentificationCode?: string;
  readonly action?: AuditAction;
  /** At most this many entries (oldest first); default 10,000. */
  readonly limit?: number;
}
