import type { Command } from 'commander';
import { toHex } from '../../core/hex.js';
import { readWithStatus } from '../../service/read-with-status.js';
import { openCardStatusRegistry } from '../../status/open-card-status-registry.js';
import { addTargetOptions, out, type TargetOptions } from '../cli-context.js';
import { readJson, readTable } from '../format-read.js';
import { withTarget } from '../open-target.js';

export function registerRead(program: Command): void {
  addTargetOptions(program.command('read'))
    .description('read the card and holder data of the social-security application, with the card\'s lock status')
    .option('--json', 'print JSON instead of a table')
    .action(async (opts: TargetOptions) => {
      // Opened first: a bad config or SSCARD_NOW fails before the card is touched.
      const { registry } = openCardStatusRegistry();
      try {
        await withTarget(opts, async ({ transport, stack }) => {
          const result = await readWithStatus(stack, registry);
          const atr = toHex(transport.atr);
          out(opts.json ? JSON.stringify(readJson(transport.reader, atr, result), null, 2) : readTable(transport.reader, atr, result));
        });
      } finally {
        await registry.close();
      }
    });
}
