import type { PinBuffer } from '../../../core/pin-buffer.js';
import { PinError, type PinPolicyReason } from './pin-error.js';

/**
 * Length policy of the social PIN. The card accepts 4-16 digits (docs/reference/card-spec.md §3); 6 is the usual
 * length and sscard's default (docs/pin.md). A deployment may configure any range inside 4-16.
 */
export interface PinLengthPolicy {
  readonly minLength: number;
  readonly maxLength: number;
}

export const CARD_MIN_PIN_LENGTH = 4;
export const CARD_MAX_PIN_LENGTH = 16;
export const DEFAULT_PIN_POLICY: PinLengthPolicy = { minLength: 6, maxLength: 6 };

/** Validates a configured length policy (4 <= min <= max <= 16). Throws PIN_FORMAT naming the bounds only. */
export function pinLengthPolicy(minLength: number, maxLength: number = minLength): PinLengthPolicy {
  const ok = (n: number) => Number.isInteger(n) && n >= CARD_MIN_PIN_LENGTH && n <= CARD_MAX_PIN_LENGTH;
  if (!ok(minLength) || !ok(maxLength) || minLength > maxLength) {
    throw new PinError('PIN_FORMAT', `a PIN length policy must satisfy ${CARD_MIN_PIN_LENGTH} <= min <= max <= ${CARD_MAX_PIN_LENGTH}`);
  }
  return { minLength, maxLength };
}

/**
 * The format pre-check before anything reaches the card: digits only (PinBuffer guarantees it) and
 * a length inside the policy. The message names the rule, never the value.
 */
export function checkPinFormat(pin: PinBuffer, policy: PinLengthPolicy = DEFAULT_PIN_POLICY, which: 'pin' | 'old' | 'new' = 'pin'): void {
  if (pin.wiped) throw new PinError('PIN_FORMAT', `the ${label(which)} was already wiped`, { which });
  const n = pin.length;
  if (n < policy.minLength || n > policy.maxLength) {
    const want = policy.minLength === policy.maxLength ? `${policy.minLength}` : `${policy.minLength}-${policy.maxLength}`;
    throw new PinError('PIN_FORMAT', `the ${label(which)} must be ${want} digits`, { which });
  }
}

/** What the new-PIN policy may compare against (docs/pin.md "New-PIN policy"). */
export interface NewPinContext {
  /** The holder's birth date, ISO `YYYY-MM-DD` (EF06 tag 0D) when known. */
  readonly birthDate?: string | null | undefined;
  /** The old PIN (CHANGE PIN): the new one must differ. */
  readonly oldPin?: PinBuffer | undefined;
}

/**
 * New-PIN policy (docs/reference/business-rules.md: "holders are told not to use birthdays"), checked after the
 * format: refuses
 * - ALL_SAME_DIGITS: `000000`, `1111`, ...;
 * - SEQUENCE: every digit one up (or one down) from the previous, wrapping 9 -> 0 (`123456`,
 *   `654321`, `890123`);
 * - BIRTH_DATE: the birth date in the form of the PIN's length — 8 digits `YYYYMMDD`, 6 digits
 *   `YYMMDD`, 4 digits `MMDD`; a PIN longer than 8 digits containing `YYYYMMDD`;
 * - SAME_AS_OLD: equal to the old PIN (CHANGE PIN).
 * The working copy of the digits is wiped before returning or throwing.
 */
export function checkNewPinPolicy(pin: PinBuffer, context: NewPinContext = {}): void {
  const reason = newPinRefusal(pin, context);
  if (reason) throw new PinError('PIN_POLICY', `the new PIN is refused by the PIN policy (${REASON_TEXT[reason]})`, { reason, which: 'new' });
}

const REASON_TEXT: Record<PinPolicyReason, string> = {
  ALL_SAME_DIGITS: 'all digits the same',
  SEQUENCE: 'a simple ascending or descending sequence',
  BIRTH_DATE: "the holder's birth date",
  SAME_AS_OLD: 'the same as the old PIN',
};

function newPinRefusal(pin: PinBuffer, context: NewPinContext): PinPolicyReason | undefined {
  const d = pin.copyAscii();
  try {
    if (d.every((b) => b === d[0])) return 'ALL_SAME_DIGITS';
    if (isSequence(d, 1) || isSequence(d, 9)) return 'SEQUENCE';
    if (context.birthDate && matchesBirthDate(d, context.birthDate)) return 'BIRTH_DATE';
    if (context.oldPin && !context.oldPin.wiped) {
      const old = context.oldPin.copyAscii();
      const same = old.length === d.length && old.every((b, i) => b === d[i]);
      old.fill(0);
      if (same) return 'SAME_AS_OLD';
    }
    return undefined;
  } finally {
    d.fill(0);
  }
}

/** step 1 = ascending, 9 = descending (mod 10). */
function isSequence(d: Uint8Array, step: number): boolean {
  for (let i = 1; i < d.length; i++) if ((d[i - 1]! - 0x30 + step) % 10 !== d[i]! - 0x30) return false;
  return true;
}

function matchesBirthDate(d: Uint8Array, isoBirthDate: string): boolean {
  const m = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(isoBirthDate);
  if (!m) return false;
  const full = `${m[1]}${m[2]}${m[3]}`;
  const forms: Record<number, string> = { 8: full, 6: full.slice(2), 4: full.slice(4) };
  const equalTo = (s: string) => s.length === d.length && [...s].every((ch, i) => ch.charCodeAt(0) === d[i]);
  const form = forms[d.length];
  if (form !== undefined) return equalTo(form);
  if (d.length > 8) {
    for (let at = 0; at + 8 <= d.length; at++) if ([...full].every((ch, i) => ch.charCodeAt(0) === d[at + i])) return true;
  }
  return false;
}

function label(which: 'pin' | 'old' | 'new'): string {
  return which === 'pin' ? 'PIN' : which === 'old' ? 'old PIN' : 'new PIN';
}
