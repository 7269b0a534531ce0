import type { Command } from 'commander';
import { decodeCommand } from '../../apdu/command-apdu.js';
import { maskCommandHex } from '../../apdu/mask-secrets.js';
import { decodeResponse } from '../../apdu/response-apdu.js';
import { statusWords } from '../../apdu/status-words.js';
import { fromHex, toHex } from '../../core/hex.js';
import { addTargetOptions, out, type TargetOptions } from '../cli-context.js';
import { openTarget } from '../open-target.js';

export function registerApdu(program: Command): void {
  addTargetOptions(program.command('apdu'))
    .description('send raw command APDUs (hex) and print each response with the meaning of its status word')
    .argument('<hex...>', 'command APDUs, e.g. 00A404000F7378312E73682EC9E7BBE1B1A3D5CF')
    .option('--chain', 'let sscard answer 61xx with GET RESPONSE and 6Cxx with a corrected Le')
    .option('--json', 'print JSON')
    .action(async (hex: string[], opts: TargetOptions & { chain?: boolean }) => {
      // Parse every argument before touching the card: bad input leaves the card untouched.
      const commands = hex.map((h) => {
        const bytes = fromHex(h);
        decodeCommand(bytes); // typed MALFORMED_COMMAND on inconsistent length fields
        return bytes;
      });
      const { transport, stack } = await openTarget(opts);
      const results: Record<string, unknown>[] = [];
      try {
        for (const c of commands) {
          const raw = await (opts.chain ? stack : transport).transmit(c);
          const r = decodeResponse(raw);
          const info = statusWords().lookup(r.sw);
          const row = { command: maskCommandHex(c), response: toHex(raw), data: toHex(r.data), sw: toHex(raw.subarray(-2)), status: info.code, meaning: info.meaning };
          results.push(row);
          if (!opts.json) out(`=> ${row.command}\n<= ${row.response}\n   ${row.sw} ${row.status}: ${row.meaning}`);
        }
      } finally {
        await transport.close();
      }
      if (opts.json) out(JSON.stringify({ reader: transport.reader, exchanges: results }, null, 2));
      else if (transport.reader.simulated) out(`(sent to ${transport.reader.name}: SIMULATED card)`);
    });
}
