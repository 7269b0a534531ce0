import type { Command } from 'commander';
import type { ExtendedLeMode } from '../../service/domain-types.js';
import { addTargetOptions, err, out, type TargetOptions } from '../cli-context.js';
import { addKeyOptions, targetOf, withOperations, type KeyOptions } from '../cli-operations.js';
import { CliError } from '../cli-error.js';
import { readJson, readTable } from '../format-read.js';
import { readApplicationsAction, wantsFinancial, type FinancialReadFlags } from './read-applications-action.js';
import { photoOutput } from '../photo-output.js';

interface ReadOptions extends TargetOptions, KeyOptions {
  photo?: string;
  extendedLe?: string;
}
import { basSettings, printBas, type BasOptions } from './read-bas.js';
import { printAttestedRead } from './read-attested.js';

export function registerRead(program: Command): void {
  addKeyOptions(addTargetOptions(program.command('read')), false)
    .description("read the card and holder data of the social-security application, with the card's lock status (--keys: authenticated 3.0 read)")
    .option('--json', 'print JSON instead of a table')
    .option('--financial', 'read the financial (PBOC / UnionPay) application instead: summary, EC balance, last transactions; no GPO, the card is not changed')
    .option('--all', 'read the social and the financial application in one card operation (financial part under `financial`)')
    .option('--gpo', 'financial: run GET PROCESSING OPTIONS first (spends one step of the card\'s transaction counter)')
    .option('--reveal-pan', 'financial: print the whole card number (default: first 6 / last 4)')
    .option('--contactless', 'financial: select through the PPSE (contactless) instead of the PSE')
    .option('--photo <file>', "write the holder's photo (EF08 JPEG, after RKSSSE external authentication: needs --keys) to FILE, or - for stdout; reads only the photo")
    .option('--extended-le <mode>', 'photo: auto (try one extended READ BINARY, else 256-byte reads) | always | never', 'auto')
    .option('--format <format>', 'table | json | bas (the national 11-field string) | bas-json (its fields named)')
    .option('--itype <n>', 'bas: iType of iReadCardBas (1 contact, 2 contactless, 3 auto contact-first, 4 auto contactless-first; default 3)')
    .option('--encoding <enc>', 'bas: output encoding, utf-8 or gbk (default utf-8)')
    .option('--device-number <id>', 'bas: field 11, the device number (default empty)')
    .option('--extra-separator', 'bas: end with an extra "|" after field 11 (some NHSA callers expect "||")')
    .option('--nonce <hex>', "a verifiable read: the HIS server's 32-hex nonce; prints { data, attestation } (docs/verifiable-reads.md)")
    .action(async (opts: ReadOptions & FinancialReadFlags & BasOptions & { format?: string; nonce?: string }) => {
      const modes = [opts.photo !== undefined && '--photo', wantsFinancial(opts) && '--financial/--all', opts.nonce !== undefined && '--nonce', (opts.format === 'bas' || opts.format === 'bas-json') && '--format bas'].filter(Boolean);
      if (modes.length > 1) throw new CliError('BAD_ARGUMENT', `${modes.join(' and ')} are different reads: choose one`);
      if (opts.photo !== undefined) return readPhotoCommand(opts);
      if (wantsFinancial(opts)) return readApplicationsAction(opts);
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

/**
 * `read --photo FILE|-`: the photo only (docs/collect.md "Reading the photo"). No registry needed
 * (an identification read); the JPEG goes to the file or stdout, a one-line summary to stderr.
 */
async function readPhotoCommand(opts: ReadOptions): Promise<void> {
  const mode = opts.extendedLe ?? 'auto';
  if (mode !== 'auto' && mode !== 'always' && mode !== 'never') throw new CliError('BAD_ARGUMENT', `--extended-le must be auto, always or never, got "${mode}"`);
  const output = photoOutput(opts.photo!);
  await withOperations(opts, { status: 'none' }, async (ops) => {
    const r = await ops.readPhoto(targetOf(opts), { extendedLe: mode as ExtendedLeMode });
    if (r.photo.status === 'absent') {
      err(`${r.reader.name}: the card holds no photo (EF08 does not start with a JPEG); nothing written`);
      process.exitCode = 1;
      return;
    }
    output.write(r.photo.jpeg);
    const how = `${r.photo.commands} READ BINARY (${r.photo.path === 'extended' ? 'extended Le' : 'short reads'})`;
    err(`photo: ${r.photo.jpeg.length} bytes from ${r.reader.simulated ? 'SIMULATED ' : ''}${r.reader.name} written to ${output.label} (${how})`);
  });
}
