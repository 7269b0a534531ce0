import type { Command } from 'commander';
import { addTargetOptions, out, type TargetOptions } from '../cli-context.js';
import { addKeyOptions, targetOf, withOperations, type KeyOptions } from '../cli-operations.js';
import { CliError } from '../cli-error.js';
import { readJson, readTable } from '../format-read.js';

export function registerRead(program: Command): void {
  addKeyOptions(addTargetOptions(program.command('read')), false)
    .description("read the card and holder data of the social-security application, with the card's lock status (--keys: authenticated 3.0 read)")
    .option('--json', 'print JSON instead of a table')
    .action(async (opts: TargetOptions & KeyOptions) => {
      // The registry is opened first: a bad config or SSCARD_NOW fails before the card is touched.
      await withOperations(opts, { status: 'required' }, async (ops) => {
        const r = await ops.readCard(targetOf(opts));
        if (r.kind === 'read') {
          out(opts.json ? JSON.stringify(readJson(r), null, 2) : readTable(r));
          return;
        }
        // A permanent block is an outcome to show; the exit code says the card could not be read.
        out(
          opts.json
            ? JSON.stringify({ reader: r.reader, atr: r.atr, status: `${r.block}-blocked`, sw: r.sw }, null, 2)
            : `Reader: ${r.reader.name}\n  ${r.block === 'application' ? 'APPLICATION BLOCKED' : 'CARD BLOCKED'} (permanent, SW ${r.sw}): the card cannot be read`,
        );
        process.exitCode = 1;
      });
    });
}
