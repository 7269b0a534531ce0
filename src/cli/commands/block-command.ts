import type { Command } from 'commander';
import { runCardOperation, type CardOperationOptions } from '../card-operation.js';
import { addTargetOptions } from '../cli-context.js';
import { CliError } from '../cli-error.js';
import { addKeyOptions } from '../key-source.js';
import { counterOptions, print } from './pin-commands.js';

interface BlockOpts extends CardOperationOptions {
  application?: boolean;
  card?: boolean;
  confirm?: string;
  confirmAgain?: string;
  json?: boolean;
}

/**
 * `sscard block --application|--card` (card-spec §3: permanent APPLICATION BLOCK `84 1E` / CARD
 * BLOCK `84 16`, BK MAC). Counter only; the double confirmation is `--confirm BLOCK-APPLICATION`
 * (or `BLOCK-CARD`) and `--confirm-again <card number of the card in the reader>`. The block is
 * recorded in the card-status registry (recordChipBlock) and the audit trail.
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
      const confirmation = { confirm: phrase, confirmAgain: o.confirmAgain };
      return runCardOperation(o.application ? 'APPLICATION BLOCK' : 'CARD BLOCK', o, { purpose: 'identification', keys: 'required', audited: true, changing: true }, async (c) => {
        const r = o.application ? await c.session.blockApplication(c.keys!, confirmation) : await c.session.blockCard(c.keys!, confirmation);
        await c.registry.recordChipBlock(c.identity, r.sw, c.operator!);
        print(
          o,
          { operation: 'block', result: 'done', status: r.status, sw: r.sw, counterOnly: true },
          `[counter operation] ${r.status === 'application-blocked' ? 'APPLICATION BLOCKED' : 'CARD BLOCKED'} permanently (later reads answer ${r.sw}).`,
        );
      });
    });
}
