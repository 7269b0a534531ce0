import { counterContext } from './counter-context.js';
import { identify, onCard, withKeys } from './on-card.js';
import type { OperationDeps } from './operation-deps.js';
import type { CounterInput } from './pin-reset.js';
import type { PinDone } from './pin-verify.js';

/**
 * `pin.unblock` (PIN UNBLOCK, PUK MAC; counter only, audited): EF05 + registry rule, the command,
 * the audit row. No EF06, so no external authentication on 3.0 cards.
 */
export async function pinUnblock(deps: OperationDeps, input: CounterInput): Promise<PinDone<'unblocked'>> {
  const { registry, ctx } = counterContext(deps, input);
  return onCard(deps, 'pin.unblock', input.target, async (c) => {
    const identity = await identify(deps, c, 'pin-unblock', 'PIN UNBLOCK');
    await withKeys(deps, c, (keys) => c.session.unblockPin(keys));
    await registry.recordPinEvent(identity, 'pin-unblock', ctx);
    return { reader: c.reader, result: 'unblocked' as const };
  });
}
