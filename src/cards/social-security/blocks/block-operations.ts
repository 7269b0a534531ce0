import type { KeyService } from '../../../keys/key-service.js';
import { prepareMacCommand, sendMacCommand } from '../auth/mac-protected-command.js';
import { APPLICATION_BLOCK, CARD_BLOCK, type MacCommandHeader } from '../commands/security-commands.js';
import { runChangingOperation } from '../run-changing-operation.js';
import type { SessionAccess } from '../session-access.js';
import { BlockError } from './block-error.js';

/**
 * The double confirmation of a permanent block (docs/pin.md "Blocks"): `confirm` must be the
 * literal phrase of the block (`BLOCK-APPLICATION` / `BLOCK-CARD`) and `confirmAgain` the card
 * number read from this very card (EF05 tag 07), so a block can neither be sent by a stray flag
 * nor to the wrong card.
 */
export interface BlockConfirmation {
  readonly confirm: 'BLOCK-APPLICATION' | 'BLOCK-CARD' | string;
  readonly confirmAgain: string;
}

export interface BlockResult {
  readonly status: 'application-blocked' | 'card-blocked';
  /** What later commands answer: SELECT SSSE 9303, or every command 6A81 (docs/reference/card-spec.md §3). */
  readonly sw: '9303' | '6A81';
  readonly counterOnly: true;
}

/** APPLICATION BLOCK `84 1E 00 01 04 mac` (BK, docs/reference/security-profile.md step 10). */
export function blockApplication(session: SessionAccess, keys: KeyService, confirmation: BlockConfirmation): Promise<BlockResult> {
  return block(session, keys, confirmation, APPLICATION_BLOCK, 'BLOCK-APPLICATION', 'APPLICATION BLOCK', { status: 'application-blocked', sw: '9303', counterOnly: true });
}

/** CARD BLOCK `84 16 00 00 04 mac` (BK, step 10). */
export function blockCard(session: SessionAccess, keys: KeyService, confirmation: BlockConfirmation): Promise<BlockResult> {
  return block(session, keys, confirmation, CARD_BLOCK, 'BLOCK-CARD', 'CARD BLOCK', { status: 'card-blocked', sw: '6A81', counterOnly: true });
}

async function block(
  session: SessionAccess,
  keys: KeyService,
  confirmation: BlockConfirmation,
  header: MacCommandHeader,
  phrase: string,
  name: string,
  result: BlockResult,
): Promise<BlockResult> {
  if (confirmation.confirm !== phrase) throw new BlockError('BLOCK_NOT_CONFIRMED', `${name} is permanent: confirm with the phrase ${phrase}`);
  return runChangingOperation(
    name,
    async () => {
      const card = await session.cardData();
      if (confirmation.confirmAgain.trim().toUpperCase() !== card.cardNumber.toUpperCase()) {
        throw new BlockError('BLOCK_CARD_MISMATCH', `${name} not sent: the second confirmation must be the card number of the card in the reader`);
      }
      return prepareMacCommand(session, keys, header, 'BK');
    },
    async (cmd) => {
      await sendMacCommand(session, cmd, name);
      return result;
    },
  );
}
