import { SscardError } from '../core/sscard-error.js';

/**
 * Stable codes of the card-status registry (docs/status.md). Input problems, rule refusals and
 * store problems are kept apart so the CLI and the daemon can map them.
 */
export type StatusErrorCode =
  // input
  | 'BAD_CARD_IDENTITY' // card identification code / card number / SSN malformed
  | 'BAD_SITE' // site id is not `<6-digit region code>-<name>`
  | 'BAD_OPERATOR' // operator id malformed
  | 'BAD_REASON' // reason text too long (after control characters are stripped)
  | 'BAD_TIME' // SSCARD_NOW or an audit bound is not an ISO 8601 instant with an offset
  | 'BAD_CONFIG' // the config file is missing, not JSON, or fails the schema
  | 'MISSING_CONTEXT' // a change without a site or an operator
  | 'BAD_REQUEST' // unknown purpose, lock kind, status word or audit action
  // rule refusals (docs/reference/business-rules.md "Loss reporting and locks")
  | 'CARD_CANCELLED' // cancellation is final
  | 'REPLACEMENT_REQUESTED' // a card with a replacement requested can never be released
  | 'ALREADY_LOCKED' // a lock of this kind (or a stronger one) is already in force
  | 'NOT_LOCKED' // release of a card that is not locked
  | 'FORMAL_LOCK_REQUIRED' // a replacement needs a formal loss report first
  | 'RELEASE_OUTSIDE_ISSUING_AREA' // temporary release outside the card's issuing area
  | 'RELEASE_AT_OTHER_SITE' // formal release somewhere else than where the lock was made
  | 'IDENTITY_MISMATCH' // the card identification code is known with another card number / SSN
  // store
  | 'STORE_UNAVAILABLE' // cannot create / open the database file
  | 'STORE_CORRUPT' // not a database, or rows that fail validation
  | 'STORE_NOT_SSCARD' // an SQLite file that belongs to something else
  | 'STORE_VERSION_UNSUPPORTED' // schema newer than this build knows
  | 'STORE_SCHEMA_OUTDATED' // shared database not yet migrated to this build's schema (`sscard registry migrate`)
  | 'STORE_BUSY'; // another process held the write lock longer than busy_timeout

/** Errors of the card-status registry (`src/status`). */
export class StatusError extends SscardError {
  readonly layer: string = 'status';
  constructor(
    readonly code: StatusErrorCode | 'CARD_LOCKED',
    message: string,
    /** For refusals: the rule that refused, with its source (shown by the CLI). */
    readonly rule?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Codes that mean "the caller gave bad input" (the CLI turns these into usage errors). */
export const STATUS_INPUT_CODES: ReadonlySet<string> = new Set<StatusErrorCode>([
  'BAD_CARD_IDENTITY',
  'BAD_SITE',
  'BAD_OPERATOR',
  'BAD_REASON',
  'BAD_TIME',
  'BAD_CONFIG',
  'MISSING_CONTEXT',
  'BAD_REQUEST',
]);
