import type { SscardError } from '../core/sscard-error.js';

/**
 * Exit codes: 0 done, 1 the card or reader said no (typed outcome), 2 bad usage / bad input,
 * 3 no reader / no card / service down, 70 internal error.
 */
export function exitCodeFor(e: SscardError): number {
  if (e.layer === 'cli' || e.layer === 'compose' || e.layer === 'spec' || e.layer === 'core') return 2;
  if (e.layer === 'simulator' && (e.code === 'PROFILE_NOT_FOUND' || e.code === 'PROFILE_INVALID')) return 2;
  if (e.layer === 'transport') return 3;
  // docs/pin.md: bad PIN input / a refused new PIN / an unconfirmed block are usage (2); wrong PIN,
  // blocked PIN, last-try guard are card outcomes (1); a connection lost mid-operation is 3.
  if (e.layer === 'pin') return e.code === 'PIN_FORMAT' || e.code === 'PIN_POLICY' ? 2 : 1;
  if (e.layer === 'block') return 2;
  // a roster or photo file that cannot be read as one is bad input (docs/collect.md)
  if (e.layer === 'collect') return 2;
  // a missing or invalid --keys-file is bad input, like any other bad flag
  if (e.layer === 'keys' && (e.code === 'KEY_FILE_MISSING' || e.code === 'KEY_FILE_INVALID')) return 2;
  // an unreadable, broken or exposed certificate/key file (sscard cert, daemon --tls) is bad input too
  if (e.layer === 'tls') return 2;
  if (e.code === 'OPERATION_INTERRUPTED') return 3;
  if (e.layer === 'service') return e.code === 'AMBIGUOUS_READER' ? 2 : 3;
  return 1;
}
