import type { Command } from 'commander';
import { addTargetOptions } from '../cli-context.js';
import { addKeyOptions, targetOf, withOperations, type CliOperationOptions } from '../cli-operations.js';
import { CliError } from '../cli-error.js';
import { counterOptions, print } from './pin-commands.js';

interface BlockOpts extends CliOperationOptions {
  application?: boolean;
  card?: boolean;
  confirm?: string;
  confirmAgain?: string;
  json?: boolean;
}

/**
 * `sscard block --application|--card` (docs/pin.md "Blocks": permanent APPLICATION BLOCK `84 1E` /
 * CARD BLOCK `84 16`, BK MAC). Counter only; the double confirmation is `--confirm BLOCK-APPLICATION`
 * (or `BLOCK-CARD`) and `--confirm-again <card number of the card in the reader>`. The block is
 * recorded in the card-status registry and the audit trail with the status word the card will answer.
 */
export function registerBlockCommand(program: Command): void {
  counterOptions(addKeyOptions(addTargetOptions(program.command('block')), true))
    .description('[counter operation] PERMANENTLY block the social-security application (--application) or the whole card (--card)')
    .option('--application', 'APPLICATION BLOCK: later SELECT of SSSE answers 9303')
    .option('--card', 'CARD BLOCK: every later command answers 6A81')
    .option('--confirm <phrase>', 'first confirmation: BLOCK-APPLICATION or BLOCK-CARD')
    .option('--confirm-again <card-number>', 'second confirmation: the card number of the card in the reader')
    .option('--json', 'print JSON')
    .action((o: BlockOpts) => {
      if (Boolean(o.application) === Boolean(o.card)) throw new CliError('BAD_ARGUMENT', 'block needs exactly one of --application or --card');
      const phrase = o.application ? 'BLOCK-APPLICATION' : 'BLOCK-CARD';
      if (o.confirm !== phrase || !o.confirmAgain) {
        throw new CliError('BAD_ARGUMENT', `a block is permanent: confirm with --confirm ${phrase} --confirm-again <card number of the card in the reader>`);
      }
      return withOperations(o, { status: 'required' }, async (ops) => {
        const r = await ops.blockCard({ target: targetOf(o), block: o.application ? 'application' : 'card', confirm: phrase, cardNumber: o.confirmAgain! });
        print(
          o,
          { operation: 'block', reader: r.reader, result: 'done', status: r.block.status, sw: r.block.sw, counterOnly: true, registry: r.status },
          `[counter operation] ${r.block.status === 'application-blocked' ? 'APPLICATION BLOCKED' : 'CARD BLOCKED'} permanently (later reads answer ${r.block.sw}).`,
        );
      });
    });
}
