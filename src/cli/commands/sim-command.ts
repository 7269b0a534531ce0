import type { Command } from 'commander';
import { createSimulatedCard, defaultProfileId, listProfiles, VpcdClient } from '../../compose/simulator-tools.js';
import { err, out } from '../cli-context.js';
import { CliError } from '../cli-error.js';
import { columnTable } from '../text-table.js';

export function registerSim(program: Command): void {
  const sim = program.command('sim').description('the built-in SIMULATED cards (synthetic people only)');
  sim
    .command('list')
    .description('list the simulated card profiles')
    .option('--json', 'print JSON')
    .action((opts: { json?: boolean }) => {
      const profiles = listProfiles();
      if (opts.json) {
        out(JSON.stringify(profiles.map((p) => ({ ...p, default: p.id === defaultProfileId })), null, 2));
        return;
      }
      out(
        columnTable(
          ['PROFILE', 'GEN', 'LABEL'],
          profiles.map((p) => [p.id === defaultProfileId ? `${p.id} (default)` : p.id, p.generation, p.label]),
        ),
      );
    });
  registerSimServe(sim);
}

/**
 * `sscard sim serve`: a simulated card in a vpcd slot of the real pcscd, until stopped. When
 * pcscd goes away (vpcd closes the socket) it re-inserts the card once vpcd listens again, so a
 * pcscd restart does not end the virtual card.
 */
export function registerSimServe(sim: Command): void {
  sim
    .command('serve')
    .description('insert a SIMULATED card into the vpcd virtual reader of the running pcscd, until Ctrl-C')
    .option('--profile <id>', 'simulated profile (see `sscard sim list`)', defaultProfileId)
    .option('--slot <n>', 'vpcd slot: 0 = "Virtual PCD 00 00", 1 = "Virtual PCD 00 01"', '0')
    .action(async (opts: { profile: string; slot: string }) => {
      if (opts.slot !== '0' && opts.slot !== '1') throw new CliError('BAD_ARGUMENT', `--slot must be 0 or 1, got "${opts.slot}"`);
      const slot = Number(opts.slot);
      const card = createSimulatedCard(opts.profile);
      let stopping = false;
      let retry: NodeJS.Timeout | undefined;
      const client: VpcdClient = new VpcdClient(card, {
        slot,
        onRemoved: (why) => {
          if (why !== 'peer-closed' || stopping) return;
          err('vpcd closed the connection (pcscd stopped?); re-inserting when it is back');
          reinsert();
        },
      });
      const reinsert = () => {
        retry = setTimeout(() => {
          client.insert().then(
            () => err('card re-inserted'),
            () => !stopping && reinsert(),
          );
        }, 250);
      };
      await client.insert();
      out(`serving SIMULATED card "${opts.profile}" in "Virtual PCD 00 0${slot}" (vpcd port ${client.port}); Ctrl-C to remove`);
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      stopping = true;
      clearTimeout(retry);
      if (client.inserted) await client.remove();
    });
}
