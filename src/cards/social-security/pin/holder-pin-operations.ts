import { swHex, type ResponseApdu } from '../../../apdu/response-apdu.js';
import type { PinBuffer } from '../../../core/pin-buffer.js';
import { securityStatusError } from '../card-status-words.js';
import { parsePinStatus, parseTryCounter, type PinStatus } from '../commands/parse-security.js';
import { buildChangePin, buildPinStatusQuery, buildVerify } from '../commands/pin-commands.js';
import { runChangingOperation } from '../run-changing-operation.js';
import type { SessionAccess } from '../session-access.js';
import { PinError } from './pin-error.js';
import { checkNewPinPolicy, checkPinFormat, DEFAULT_PIN_POLICY, type PinLengthPolicy } from './pin-policy.js';

export interface VerifyPinOptions {
  /** Length policy of the format pre-check (default 6 digits; 4-16 configurable). */
  readonly policy?: PinLengthPolicy | undefined;
  /** Needed to spend the last try: without it, one try left -> LAST_TRY_NOT_CONFIRMED. */
  readonly confirmLastTry?: boolean | undefined;
  /**
   * Called once everything before the PIN command passed (format, try status, last-try guard),
   * right before the PIN is presented to the card: a rate limit charges here, and may still
   * refuse by throwing (nothing is sent then).
   */
  readonly beforePresent?: (() => void) | undefined;
}

export interface ChangePinOptions extends VerifyPinOptions {
  /** The holder's birth date (ISO) for the new-PIN policy; null/undefined = not known, not checked. */
  readonly birthDate?: string | null | undefined;
}

export interface PinVerifyResult {
  readonly status: 'verified';
}

export interface PinChangeResult {
  readonly status: 'changed';
}

/** The try status of the social PIN: `00 20 00 00`, spends no try (docs/reference/card-spec.md §3). */
export async function queryPinStatus(session: SessionAccess): Promise<PinStatus> {
  await session.ensureSelected();
  const status = parsePinStatus(await session.channel.send(buildPinStatusQuery()));
  if (status.state === 'other') throw securityStatusError(parseInt(status.sw, 16), 'PIN status (VERIFY without data)');
  return status;
}

/**
 * The last-try guard (docs/pin.md): query the try status first; blocked -> PIN_BLOCKED without
 * sending the PIN; one try left and no `confirmLastTry` -> LAST_TRY_NOT_CONFIRMED.
 */
async function guardTries(session: SessionAccess, confirmLastTry: boolean | undefined, operation: string): Promise<void> {
  const status = await queryPinStatus(session);
  if (status.state === 'blocked') throw new PinError('PIN_BLOCKED', `the social PIN is blocked; ${operation} was not sent (reset at a service counter)`, { triesLeft: 0 });
  if (status.triesLeft === 1 && confirmLastTry !== true) {
    throw new PinError(
      'LAST_TRY_NOT_CONFIRMED',
      `only one PIN try is left: a wrong PIN would block it; ${operation} was not sent (confirm the last try to go on)`,
      { triesLeft: 1 },
    );
  }
}

/** 9000 ok; 63Cx WRONG_PIN{triesLeft} (63C0 = blocked now); 6983 PIN_BLOCKED; others typed. */
export function parsePinAnswer(response: ResponseApdu, context: string, which: 'pin' | 'old' = 'pin'): void {
  const a = parseTryCounter(response);
  if (a.kind === 'ok') return;
  if (a.kind === 'wrong' && a.triesLeft > 0) {
    throw new PinError('WRONG_PIN', `wrong ${which === 'old' ? 'old PIN' : 'PIN'}: ${a.triesLeft} tr${a.triesLeft === 1 ? 'y' : 'ies'} left`, {
      triesLeft: a.triesLeft,
      which,
      sw: `63C${a.triesLeft.toString(16).toUpperCase()}`,
    });
  }
  if (a.kind === 'wrong' || a.kind === 'blocked') {
    throw new PinError('PIN_BLOCKED', `wrong ${which === 'old' ? 'old PIN' : 'PIN'}: the social PIN is now blocked (reset at a service counter)`, {
      triesLeft: 0,
      which,
      sw: swHex(response.sw),
    });
  }
  throw securityStatusError(response.sw, context);
}

/**
 * VERIFY (docs/reference/card-spec.md §3): format pre-check, the last-try guard, then `00 20 00 00 Lc PIN`. The
 * BCD copy of the PIN is wiped after sending (also on errors); the PinBuffer stays the caller's.
 */
export async function verifyPin(session: SessionAccess, pin: PinBuffer, options: VerifyPinOptions = {}): Promise<PinVerifyResult> {
  checkPinFormat(pin, options.policy ?? DEFAULT_PIN_POLICY, 'pin');
  return runChangingOperation(
    'VERIFY',
    async () => {
      await guardTries(session, options.confirmLastTry, 'VERIFY');
      options.beforePresent?.();
    },
    async () => {
      const bcd = pin.toBcd();
      try {
        parsePinAnswer(await session.channel.send(buildVerify(bcd)), 'VERIFY');
      } finally {
        bcd.fill(0);
      }
      return { status: 'verified' as const };
    },
  );
}

/**
 * CHANGE PIN `80 5E 01 00 Lc old ‖ FF ‖ new` (docs/reference/card-spec.md §3): both formats and the new-PIN policy
 * before anything reaches the card, then the last-try guard (a wrong old PIN spends a try).
 */
export async function changePin(session: SessionAccess, oldPin: PinBuffer, newPin: PinBuffer, options: ChangePinOptions = {}): Promise<PinChangeResult> {
  const policy = options.policy ?? DEFAULT_PIN_POLICY;
  checkPinFormat(oldPin, policy, 'old');
  checkPinFormat(newPin, policy, 'new');
  checkNewPinPolicy(newPin, { birthDate: options.birthDate, oldPin });
  return runChangingOperation(
    'CHANGE PIN',
    async () => {
      await guardTries(session, options.confirmLastTry, 'CHANGE PIN');
      options.beforePresent?.();
    },
    async () => {
      const oldBcd = oldPin.toBcd();
      const newBcd = newPin.toBcd();
      const cmd = buildChangePin(oldBcd, newBcd);
      try {
        parsePinAnswer(await session.channel.send(cmd), 'CHANGE PIN', 'old');
      } finally {
        oldBcd.fill(0);
        newBcd.fill(0);
        cmd.data.fill(0);
      }
      return { status: 'changed' as const };
    },
  );
}
