import { isSscardError } from '../core/sscard-error.js';
import { STATUS_INPUT_CODES } from '../status/status-error.js';

/** True for a registry refusal caused by the request's own values (bad site, card id, reason…): a usage error. */
export function isStatusInputError(e: unknown): boolean {
  return isSscardError(e) && e.layer === 'status' && STATUS_INPUT_CODES.has(e.code);
}

/** The rule a registry refusal names (docs/status.md), if any. */
export function refusalRule(e: unknown): string | undefined {
  const rule = isSscardError(e) && e.layer === 'status' ? (e as { rule?: unknown }).rule : undefined;
  return typeof rule === 'string' ? rule : undefined;
}
