#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { isSscardError } from '../core/sscard-error.js';
import { registerCommands } from './command-table.js';
import { err, out } from './cli-context.js';
import { toWireError } from '../daemon/wire-error.js';
import { exitCodeFor } from './exit-codes.js';
import { CliError } from './cli-error.js';

const program = new Command('sscard')
  .description('Read and manage the Chinese national social security card (社会保障卡) through smart-card readers')
  .version('0.1.0')
  .showHelpAfterError('(run with --help for usage)')
  .exitOverride();

try {
  // Only the named command's modules are loaded (src/cli/command-table.ts).
  await registerCommands(program, process.argv);
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) {
    // Commander already printed its message; help/version exit 0, usage errors exit 2.
    process.exitCode = e.exitCode === 0 ? 0 : 2;
  } else if (isSscardError(e)) {
    err(`sscard: ${e.code}: ${e.message}`);
    // --json: the refusal as data too, with the same code and fields the daemon sends (one vocabulary).
    if (process.argv.includes('--json')) {
      // a usage error that wraps a refusal of a lower layer is sent as that refusal
      const wire = toWireError(e instanceof CliError && isSscardError(e.cause) ? e.cause : e).toRpc().data;
      out(JSON.stringify({ error: { code: e.code, layer: e.layer, wire } }, null, 2));
    }
    process.exitCode = exitCodeFor(e);
  } else {
    // Never a stack trace for users; SSCARD_DEBUG=1 shows it to developers.
    err(`sscard: INTERNAL_ERROR: ${(e as Error)?.message ?? String(e)}`);
    if (process.env.SSCARD_DEBUG) err(String((e as Error)?.stack));
    process.exitCode = 70;
  }
}
