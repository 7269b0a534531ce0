import { SscardError } from '../../core/sscard-error.js';

export type NationalErrorCode =
  | 'BAD_PARAMETER' // iType or another argument outside what the national interface defines
  | 'INTERFACE_UNAVAILABLE' // the asked interface (contactless) is not on the reader
  | 'HOLDER_NEEDS_AUTHENTICATION' // 3.0 card, EF06 refused without RKSSSE (no key source chosen)
  | 'NOT_GENUINE' // INTERNAL AUTHENTICATE did not match the key service's value
  | 'PIN_ENTRY_ON_PC' // a PIN function found no PIN pad (or is iReloadPIN) and no PIN came from the PC
  | 'PIN_RATE_LIMITED' // a PIN function over the daemon's PIN budget
  | 'COUNTER_ROLE_REQUIRED' // iReloadPIN / iUnblockPIN asked by a face that only has the reader role (a page on a bridge)
  | 'HSM_NOT_PREPARED' // HSM Step2 without a pending Step1 (none, expired, already answered, or ended by a newer Step1)
  | 'HSM_CARD_CHANGED'; // HSM Step2: the card of Step1 was removed or reset since

/** Refusals that only the national-interface results have (docs/national-interface.md). */
export class NationalError extends SscardError {
  readonly layer = 'national';
  constructor(
    readonly code: NationalErrorCode,
    message: string,
    readonly sw?: string,
  ) {
    super(message);
  }
}
