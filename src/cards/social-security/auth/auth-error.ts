import { SscardError } from '../../../core/sscard-error.js';

export type AuthErrorCode =
  | 'EXTERNAL_AUTH_FAILED' // EXTERNAL AUTHENTICATE answered 63Cx: the key is wrong, `triesLeft` left for it
  | 'EXTERNAL_AUTH_BLOCKED' // 6983: the card's try counter of that key is exhausted
  | 'CHALLENGE_MISSING' // 6984: no GET CHALLENGE since the reset (docs/reference/security-profile.md step 7)
  | 'MAC_REJECTED' // 6988: wrong MAC, or a stale / already used challenge (step 7)
  | 'KEY_NOT_FOUND'; // 6A88: the card does not know the key id, or SSSE is not the current DF

/**
 * Errors of card authentication and MAC-protected commands (docs/reference/security-profile.md steps 5-10).
 * INTERNAL AUTHENTICATE's mismatch is not an error but an outcome (`not-genuine`).
 */
export class AuthError extends SscardError {
  readonly layer = 'auth';
  constructor(
    readonly code: AuthErrorCode,
    message: string,
    readonly details: { readonly sw?: string; readonly triesLeft?: number; readonly role?: string } = {},
  ) {
    super(message);
  }

  get triesLeft(): number | undefined {
    return this.details.triesLeft;
  }
}
