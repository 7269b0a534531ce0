import type { PinBuffer } from '../../core/pin-buffer.js';
import { beforeChange, identify, onCard, withOptionalKeys } from './on-card.js';
import type { OperationDeps } from './operation-deps.js';
import { holderBirthDate } from './holder-birth-date.js';
import type { HolderPinInput, PinDone } from './pin-verify.js';

export interface PinChanged extends PinDone<'changed'> {
  /** True when the holder's birth date could be read and the new PIN was checked against it. */
  readonly birthDateChecked: boolean;
}

/**
 * `pin.change`: EF05 + registry rule, EF06 for the birth date of the new-PIN policy (issuers tell
 * holders not to use it; a 3.0 card gives it only after RKSSSE authentication, so only with a
 * chosen key source), the last-try guard, then CHANGE PIN.
 */
export async function pinChange(deps: OperationDeps, input: HolderPinInput & { readonly oldPin: PinBuffer; readonly newPin: PinBuffer }): Promise<PinChanged> {
  return onCard(deps, 'pin.change', input.target, async (c) => {
    await identify(deps, c, 'pin-change', 'CHANGE PIN');
    const birthDate = await beforeChange('CHANGE PIN', () => withOptionalKeys(deps, c, (keys) => holderBirthDate(c, keys)));
    await c.session.changePin(input.oldPin, input.newPin, { policy: input.policy, confirmLastTry: input.confirmLastTry, birthDate, beforePresent: input.beforePresent });
    return { reader: c.reader, result: 'changed' as const, birthDateChecked: birthDate !== null };
  });
}

