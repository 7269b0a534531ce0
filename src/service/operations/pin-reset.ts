import type { PinBuffer } from '../../core/pin-buffer.js';
import { counterContext } from './counter-context.js';
import { beforeChange, identify, onCard, withKeys } from './on-card.js';
import type { CardTarget, OperationDeps, OperatorInput } from './operation-deps.js';
import { holderBirthDate } from './holder-birth-date.js';
import type { HolderPinInput, PinDone } from './pin-verify.js';

export interface CounterInput extends OperatorInput {
  readonly target: CardTarget;
}

/**
 * `pin.reset` (PIN RELOAD, PUK MAC; counter only, audited): EF05 + registry rule, EF06 for the
 * birth date of the new-PIN policy, the command, then the audit row.
 */
export async function pinReset(
  deps: OperationDeps,
  input: CounterInput & Pick<HolderPinInput, 'policy'> & { readonly newPin: PinBuffer; readonly enforcePolicy?: boolean | undefined },
): Promise<PinDone<'reloaded'>> {
  const { registry, ctx } = counterContext(deps, input);
  return onCard(deps, 'pin.reset', input.target, async (c) => {
    const identity = await identify(deps, c, 'pin-reset', 'PIN RELOAD');
    await withKeys(deps, c, async (keys) => {
      const birthDate = input.enforcePolicy === false ? null : await beforeChange('PIN RELOAD', () => holderBirthDate(c, keys));
      await c.session.reloadPin(keys, input.newPin, { policy: input.policy, birthDate, enforcePolicy: input.enforcePolicy !== false });
    });
    await registry.recordPinEvent(identity, 'pin-reset', ctx);
    return { reader: c.reader, result: 'reloaded' as const };
  });
}
