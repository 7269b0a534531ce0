import type { PinBuffer } from '../../core/pin-buffer.js';
import { beforeChange, identify, onCard, withOptionalKeys } from './on-card.js';
import type { OperationDeps } from './operation-deps.js';
import { holderBirthDate } from './holder-birth-date.js';
import type { HolderPinInput, PinDone } from './pin-verify.js';
import { changePinOnPad } from '../../cards/social-security/pin/pin-pad-operations.js';
import { onlyPin, pinEntryTarget, routeHolderPins, type HolderPinEntry } from './pin-entry.js';

export interface PinChanged extends PinDone<'changed'> {
  /** True when the holder's birth date could be read and the new PIN was checked against it. */
  readonly birthDateChecked: boolean;
}

/**
 * `pin.change`: EF05 + registry rule, EF06 for the birth date of the new-PIN policy (issuers tell
 * holders not to use it; a 3.0 card gives it only after RKSSSE authentication, so only with a
 * chosen key source), the last-try guard, then CHANGE PIN.
 */
export async function pinChange(
  deps: OperationDeps,
  input: HolderPinInput &
    HolderPinEntry & {
      readonly oldPin?: PinBuffer | undefined;
      readonly newPin?: PinBuffer | undefined;
      /** Asked on the PC only when the reader has no PIN pad: [old, new]. */
      readonly askPins?: (() => Promise<[PinBuffer, PinBuffer]>) | undefined;
    },
): Promise<PinChanged> {
  const given = input.oldPin && input.newPin ? [input.oldPin, input.newPin] : undefined;
  return onCard(deps, 'pin.change', pinEntryTarget(input, given !== undefined), async (c) => {
    await identify(deps, c, 'pin-change', 'CHANGE PIN');
    let birthDate: string | null = null;
    // a reader with a PIN pad takes both PINs there; the new-PIN policy cannot see them (docs/readers.md)
    await routeHolderPins(c, 'CHANGE PIN', input, given, input.askPins, {
      pad: (pad) => changePinOnPad(c.session, pad, { policy: input.policy, confirmLastTry: input.confirmLastTry, beforePresent: input.beforePresent }),
      pc: async ([oldPin, newPin]) => {
        birthDate = await beforeChange('CHANGE PIN', () => withOptionalKeys(deps, c, (keys) => holderBirthDate(c, keys)));
        await c.session.changePin(onlyPin(oldPin), onlyPin(newPin), { policy: input.policy, confirmLastTry: input.confirmLastTry, birthDate, beforePresent: input.beforePresent });
      },
    });
    return { reader: c.reader, result: 'changed' as const, birthDateChecked: birthDate !== null };
  });
}

