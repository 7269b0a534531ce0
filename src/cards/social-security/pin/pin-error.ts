import { SscardError } from '../../../core/sscard-error.js';

export type PinErrorCode =
  | 'PIN_FORMAT' // not digits, or a length outside the policy: refused before anything reaches the card
  | 'PIN_POLICY' // a new PIN refused by the policy (see `reason`): all same digits, a sequence, the birth date, ...
  | 'WRONG_PIN' // the card answered 63Cx: `triesLeft` tries are left
  | 'PIN_BLOCKED' // the card answered 6983 (or the try status says 0 tries)
  | 'LAST_TRY_NOT_CONFIRMED'; // one try left and the caller did not pass confirmLastTry

/** Why a new PIN was refused (stable codes; the PIN itself is never quoted). */
export type PinPolicyReason = 'ALL_SAME_DIGITS' | 'SEQUENCE' | 'BIRTH_DATE' | 'SAME_AS_OLD';

/**
 * Errors of the social PIN (docs/reference/card-spec.md §3). Messages and fields never contain the PIN, a part of
 * it or anything derived from it (docs/architecture.md "Conventions", §12): only codes, tries left, lengths and reasons.
 */
export class PinError extends SscardError {
  readonly layer = 'pin';
  constructor(
    readonly code: PinErrorCode,
    message: string,
    readonly details: {
      readonly triesLeft?: number | undefined;
      readonly reason?: PinPolicyReason | undefined;
      /** Which PIN of the operation: `pin` (verify), `old` / `new` (change, reload). */
      readonly which?: 'pin' | 'old' | 'new' | undefined;
      readonly sw?: string | undefined;
    } = {},
  ) {
    super(message);
  }

  get triesLeft(): number | undefined {
    return this.details.triesLeft;
  }

  get reason(): PinPolicyReason | undefined {
    return this.details.reason;
  }
}
