import type { PinLengthPolicy } from '../../cards/social-security/pin/pin-policy.js';
import type { PinBuffer } from '../../core/pin-buffer.js';
import type { ReaderInfo } from '../../transport/reader-info.js';
import { identify, onCard } from './on-card.js';
import type { CardTarget, OperationDeps } from './operation-deps.js';

/** What the holder-PIN operations (verify, change) share. The PinBuffers stay the caller's to wipe. */
export interface HolderPinInput {
  readonly target: CardTarget;
  /** Length policy of the format check (default 6 digits). */
  readonly policy?: PinLengthPolicy | undefined;
  /** Needed to spend the last try (docs/pin.md, last-try guard). */
  readonly confirmLastTry?: boolean | undefined;
  /**
   * Called right before the PIN is presented to the card, after the reader, the registry rule
   * and the try status passed: where a face charges its PIN rate limit (it may refuse by throwing).
   */
  readonly beforePresent?: (() => void) | undefined;
}

export interface PinDone<S extends string> {
  readonly reader: ReaderInfo;
  readonly result: S;
}

/** `pin.verify`: EF05 + registry rule (CARD_LOCKED), the last-try guard, then VERIFY. */
export async function pinVerify(deps: OperationDeps, input: HolderPinInput & { readonly pin: PinBuffer }): Promise<PinDone<'verified'>> {
  return onCard(deps, 'pin.verify', input.target, async (c) => {
    await identify(deps, c, 'pin-verify', 'VERIFY');
    await c.session.verifyPin(input.pin, { policy: input.policy, confirmLastTry: input.confirmLastTry, beforePresent: input.beforePresent });
    return { reader: c.reader, result: 'verified' as const };
  });
}
