import type { Command } from 'commander';
import { decodeCommand } from '../../apdu/command-apdu.js';
import { maskCommandHex } from '../../apdu/mask-secrets.js';
import { decodeResponse } from '../../apdu/response-apdu.js';
import { statusWords } from '../../apdu/status-words.js';
import { fromHex, toHex } from '../../core/hex.js';
import { addTargetOptions, out, type TargetOptions } from '../cli-context.js';
import { withTarget } from '../open-target.js';
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
      const results: Record<string, unknown>[] = [];
      await withTarget(opts, async ({ transport, stack }) => {
        for (const c of commands) {
          const raw = await (opts.chain ? stack : transport).transmit(c);
          const r = decodeResponse(raw);
          const info = statusWords().lookup(r.sw);
          const row = { command: maskCommandHex(c), response: toHex(raw), data: toHex(r.data), sw: toHex(raw.subarray(-2)), status: info.code, meaning: info.meaning };
          results.push(row);
          if (!opts.json) out(`=> ${row.command}\n<= ${row.response}\n   ${row.sw} ${row.status}: ${row.meaning}`);
        }
        if (opts.json) out(JSON.stringify({ reader: transport.reader, exchanges: results }, null, 2));
        else if (transport.reader.simulated) out(`(sent to ${transport.reader.name}: SIMULATED card)`);
      });
    });
}
