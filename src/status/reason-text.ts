import { StatusError } from './status-error.js';

export const MAX_REASON_LENGTH = 200;

/**
 * The only free text the registry accepts (audit trail, docs/status.md). Reasons must never
 * contain a PIN; they may contain dates and numbers, so digits are not refused. Control and
 * bidirectional-format characters are stripped, whitespace runs collapsed; more than 200
 * characters is refused (never silently cut). Empty = no reason.
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
  return clean;
}
