import type { Command } from 'commander';
import { SocialSecuritySession } from '../../cards/social-security/social-security-session.js';
import { toHex } from '../../core/hex.js';
import { addTargetOptions, out, type TargetOptions } from '../cli-context.js';
import { readJson, readTable } from '../format-read.js';
import { withTarget } from '../open-target.js';

export function registerRead(program: Command): void {
  addTargetOptions(program.command('read'))
    .description('read the card and holder data of the social-security application')
    .option('--json', 'print JSON instead of a table')
    .action(async (opts: TargetOptions) => {
      await withTarget(opts, async ({ transport, stack }) => {
        const read = await new SocialSecuritySession(stack).read();
        const atr = toHex(transport.atr);
        out(opts.json ? JSON.stringify(readJson(transport.reader, atr, read), null, 2) : readTable(transport.reader, atr, read));
      });
    });
}
