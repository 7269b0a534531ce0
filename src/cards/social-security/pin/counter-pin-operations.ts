import type { PinBuffer } from '../../../core/pin-buffer.js';
import type { KeyService } from '../../../keys/key-service.js';
import { prepareMacCommand, sendMacCommand } from '../auth/mac-protected-command.js';
import { PIN_RELOAD, PIN_UNBLOCK } from '../commands/security-commands.js';
import { runChangingOperation } from '../run-changing-operation.js';
import type { SessionAccess } from '../session-access.js';
import { checkNewPinPolicy, checkPinFormat, DEFAULT_PIN_POLICY, type PinLengthPolicy } from './pin-policy.js';

/**
 * PIN RELOAD / PIN UNBLOCK: counter-staff operations (docs/reference/business-rules.md "reset only at
 * social-security service counters"), authorised by the PUK MAC (docs/reference/security-profile.md steps 7-9).
 */
export interface CounterPinResult {
  readonly status: 'reloaded' | 'unblocked';
  /** Always true: these operations belong to a service counter (the CLI marks them). */
  readonly counterOnly: true;
}

export interface ReloadPinOptions {
  readonly policy?: PinLengthPolicy | undefined;
  /** The holder's birth date (ISO) for the new-PIN policy, when known. */
  readonly birthDate?: string | null | undefined;
  /**
   * false: skip the new-PIN policy (a counter that sets the issuer's initial PIN, e.g. 123456,
   * which the holder then changes). Default true. The format check always applies.
   */
  readonly enforcePolicy?: boolean | undefined;
}

/**
 * PIN RELOAD `84 24 00 01 Lc enc ‖ mac` (step 8): GET CHALLENGE (4), `enc = E_SK(pad80(LD ‖ PIN))`
 * and the MAC over `84 24 00 01 Lc ‖ enc` from the key service (PUK), then the command. The card
 * sets the new PIN and resets its try counter (also when the PIN was blocked).
 */
export async function reloadPin(session: SessionAccess, keys: KeyService, newPin: PinBuffer, options: ReloadPinOptions = {}): Promise<CounterPinResult> {
  checkPinFormat(newPin, options.policy ?? DEFAULT_PIN_POLICY, 'new');
  if (options.enforcePolicy !== false) checkNewPinPolicy(newPin, { birthDate: options.birthDate });
  return runChangingOperation(
    'PIN RELOAD',
    async () => {
      return prepareMacCommand(session, keys, PIN_RELOAD, 'PUK', (ctx, challenge) => keys.encryptPin(ctx, 'PUK', challenge, newPin));
    },
    async (cmd) => {
      try {
        await sendMacCommand(session, cmd, 'PIN RELOAD');
      } finally {
        cmd.data.fill(0);
      }
      return { status: 'reloaded' as const, counterOnly: true as const };
    },
  );
}

/** PIN UNBLOCK `84 24 00 00 04 mac` (step 9): the try counter back to the limit, PIN unchanged. */
export async function unblockPin(session: SessionAccess, keys: KeyService): Promise<CounterPinResult> {
  return runChangingOperation(
    'PIN UNBLOCK',
    async () => {
      return prepareMacCommand(session, keys, PIN_UNBLOCK, 'PUK');
    },
    async (cmd) => {
      await sendMacCommand(session, cmd, 'PIN UNBLOCK');
      return { status: 'unblocked' as const, counterOnly: true as const };
    },
  );
}
