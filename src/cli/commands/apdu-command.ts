import type { Command } from 'commander';
import { decodeCommand } from '../../apdu/command-apdu.js';
import { fromHex } from '../../core/hex.js';
import { addTargetOptions, out, type TargetOptions } from '../cli-context.js';
import { targetOf, withOperations } from '../cli-operations.js';
import { CliError } from '../cli-error.js';
import { isSscardError } from '../../core/sscard-error.js';

export function registerApdu(program: Command): void {
  addTargetOptions(program.command('apdu'))
    .description('send raw command APDUs (hex) and print each response with the meaning of its status word')
    .argument('<hex...>', 'command APDUs, e.g. 00A404000F7378312E73682EC9E7BBE1B1A3D5CF')
    .option('--chain', 'let sscard answer 61xx with GET RESPONSE and 6Cxx with a corrected Le')
    .option('--json', 'print JSON')
    .action(async (hex: string[], opts: TargetOptions & { chain?: boolean }) => {
      // Parse every argument before touching the card: bad input leaves the card untouched.
      const commands = hex.map((h, i) => {
        try {
          const bytes = fromHex(h);
          decodeCommand(bytes); // inconsistent length fields are refused here, not by the card
          return bytes;
        } catch (e) {
          if (isSscardError(e)) throw new CliError('BAD_ARGUMENT', `APDU argument ${i + 1}: ${e.message}`);
          throw e;
        }
      });
      await withOperations(opts, { status: 'none' }, async (ops) => {
        const { reader, exchanges } = await ops.exchangeApdus({ target: targetOf(opts), commands, chain: opts.chain === true });
        if (opts.json) out(JSON.stringify({ reader, exchanges }, null, 2));
        else {
          for (const row of exchanges) out(`=> ${row.command}\n<= ${row.response}\n   ${row.sw} ${row.status}: ${row.meaning}`);
          if (reader.simulated) out(`(sent to ${reader.name}: SIMULATED card)`);
        }
      });
    });
}
