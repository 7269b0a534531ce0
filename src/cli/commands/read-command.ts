import type { Command } from 'commander';
import { addTargetOptions, out, type TargetOptions } from '../cli-context.js';
import { addKeyOptions, targetOf, withOperations, type KeyOptions } from '../cli-operations.js';
import { CliError } from '../cli-error.js';
import { readJson, readTable } from '../format-read.js';
import { basSettings, printBas, type BasOptions } from './read-bas.js';
import { printAttestedRead } from './read-attested.js';

export function registerRead(program: Command): void {
  addKeyOptions(addTargetOptions(program.command('read')), false)
    .description("read the card and holder data of the social-security application, with the card's lock status (--keys: authenticated 3.0 read)")
    .option('--json', 'print JSON instead of a table')
    .option('--format <format>', 'table | json | bas (the national 11-field string) | bas-json (its fields named)')
    .option('--itype <n>', 'bas: iType of iReadCardBas (1 contact, 2 contactless, 3 auto contact-first, 4 auto contactless-first; default 3)')
    .option('--encoding <enc>', 'bas: output encoding, utf-8 or gbk (default utf-8)')
    .option('--device-number <id>', 'bas: field 11, the device number (default empty)')
    .option('--extra-separator', 'bas: end with an extra "|" after field 11 (some NHSA callers expect "||")')
    .option('--nonce <hex>', "a verifiable read: the HIS server's 32-hex nonce; prints { data, attestation } (docs/verifiable-reads.md)")
    .action(async (opts: TargetOptions & KeyOptions & BasOptions & { format?: string; nonce?: string }) => {
      if (opts.nonce !== undefined) {
        await printAttestedRead(opts, opts.nonce);
        return;
      }
      const format = opts.format ?? (opts.json ? 'json' : 'table');
      if (!['table', 'json', 'bas', 'bas-json'].includes(format)) throw new CliError('BAD_ARGUMENT', '--format must be table, json, bas or bas-json');
      if (format === 'bas' || format === 'bas-json') {
        const settings = basSettings(opts);
        await withOperations(opts, { status: 'required' }, (ops) => printBas(ops, targetOf(opts), format, settings));
        return;
      }
      opts.json = format === 'json';
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
