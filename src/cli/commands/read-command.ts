import type { Command } from 'commander';
import { CardError } from '../../cards/card-error.js';
import { SocialSecuritySession } from '../../cards/social-security/social-security-session.js';
import { toHex } from '../../core/hex.js';
import { readWithStatus, type ReadWithStatus } from '../../service/read-with-status.js';
import { openCardStatusRegistry } from '../../status/open-card-status-registry.js';
import { addTargetOptions, err, out, type TargetOptions } from '../cli-context.js';
import { readJson, readTable } from '../format-read.js';
import { addKeyOptions, openKeys, type KeyOptions } from '../key-source.js';
import { withTarget } from '../open-target.js';

export function registerRead(program: Command): void {
  addKeyOptions(addTargetOptions(program.command('read')), false)
    .description("read the card and holder data of the social-security application, with the card's lock status (--keys: authenticated 3.0 read)")
    .option('--json', 'print JSON instead of a table')
    .action(async (opts: TargetOptions & KeyOptions) => {
      // Opened first: a bad config or SSCARD_NOW fails before the card is touched.
      const { registry } = openCardStatusRegistry();
      try {
        await withTarget(opts, async ({ transport, stack, registry: readers }) => {
          const atr = toHex(transport.atr);
          const traffic = opts.traffic ? (line: string) => err(line) : undefined;
          const keySource = await openKeys(opts, { transport, registry: readers, traffic }, false);
          try {
            const session = new SocialSecuritySession(stack, { atr: transport.atr });
            let result: ReadWithStatus;
            try {
              result = await readWithStatus(session, registry, keySource ? { keys: keySource.keys } : undefined);
            } catch (e) {
              showBlocked(e, opts, transport.reader, atr);
              throw e;
            }
            out(opts.json ? JSON.stringify(readJson(transport.reader, atr, result), null, 2) : readTable(transport.reader, atr, result));
          } finally {
            await keySource?.close();
          }
        });
      } finally {
        await registry.close();
      }
    });
}

/** card-spec §3: permanent blocks are outcomes to show (the error then gives exit code 1). */
function showBlocked(e: unknown, opts: { json?: boolean | undefined }, reader: { name: string }, atr: string): void {
  if (!(e instanceof CardError) || (e.code !== 'APPLICATION_BLOCKED' && e.code !== 'CARD_BLOCKED')) return;
  const status = e.code === 'APPLICATION_BLOCKED' ? 'application-blocked' : 'card-blocked';
  out(
    opts.json
      ? JSON.stringify({ reader, atr, status, sw: e.sw }, null, 2)
      : `Reader: ${reader.name}\n  ${status === 'application-blocked' ? 'APPLICATION BLOCKED' : 'CARD BLOCKED'} (permanent, SW ${e.sw}): the card cannot be read`,
  );
}
