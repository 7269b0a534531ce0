import { hasPinLikeDigits } from '../core/pin-like-digits.js';
import { StatusError } from './status-error.js';

export const MAX_REASON_LENGTH = 200;

/**
 * The only free text the registry accepts (audit trail, docs/status.md). Reasons must never
 * contain a PIN: a run of 4 or more digits is refused (BAD_REASON), except inside an ISO date
 * (`2026-11-30`); shorter numbers are fine. Control and bidirectional-format characters are
 * stripped, whitespace runs collapsed; more than 200 characters is refused (never silently cut).
 * Empty = no reason.
 */
export function sanitizeReason(text: unknown): string | null {
  if (text === undefined || text === null) return null;
  if (typeof text !== 'string') throw new StatusError('BAD_REASON', 'reason must be text');
  const clean = text
    .replace(/[\p{Cc}\u200E\u200F\u202A-\u202E\u2066-\u2069]/gu, ' ')
    .replace(/\s+/gu, ' ')
    .trim();
  if (clean === '') return null;
  const length = [...clean].length;
  if (length > MAX_REASON_LENGTH) throw new StatusError('BAD_REASON', `reason is ${length} characters; at most ${MAX_REASON_LENGTH}`);
  if (hasPinLikeDigits(clean, { allowDates: true })) {
    throw new StatusError('BAD_REASON', 'reason holds a run of 4 or more digits, which could be a PIN: write numbers with fewer digits in a row (dates as YYYY-MM-DD are fine)');
  }
  return clean;
}
