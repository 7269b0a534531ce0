import type { BlockResult } from '../../cards/social-security/blocks/block-operations.js';
import type { CardStatus } from '../../status/card-status.js';
import type { ReaderInfo } from '../../transport/reader-info.js';
import { counterContext } from './counter-context.js';
import { identify, onCard, withKeys } from './on-card.js';
import type { OperationDeps } from './operation-deps.js';
import type { CounterInput } from './pin-reset.js';

export interface BlockInput extends CounterInput {
  readonly block: 'application' | 'card';
  /** First confirmation: the literal phrase BLOCK-APPLICATION / BLOCK-CARD. */
  readonly confirm: string;
  /** Second confirmation: the card number of the card in the reader. */
  readonly cardNumber: string;
}

export interface BlockDone {
  readonly reader: ReaderInfo;
  readonly block: BlockResult;
  /** The registry entry with the block recorded (kind blocked-on-chip). */
  readonly status: CardStatus;
}

/**
 * `block` (APPLICATION BLOCK `84 1E` / CARD BLOCK `84 16`, BK MAC; permanent, counter only,
 * audited with the status word the card will answer): EF05 (identity and the card-number
 * confirmation), the command, then the registry record. No EF06.
 */
export async function blockCard(deps: OperationDeps, input: BlockInput): Promise<BlockDone> {
  const { registry, ctx } = counterContext(deps, input);
  const name = input.block === 'application' ? 'APPLICATION BLOCK' : 'CARD BLOCK';
  return onCard(deps, 'card.block', input.target, async (c) => {
    const identity = await identify(deps, c, 'identification', name);
    const confirmation = { confirm: input.confirm, confirmAgain: input.cardNumber };
    const block = await withKeys(deps, c, (keys) =>
      input.block === 'application' ? c.session.blockApplication(keys, confirmation) : c.session.blockCard(keys, confirmation),
    );
    return { reader: c.reader, block, status: await registry.recordChipBlock(identity, block.sw, ctx) };
  });
}
