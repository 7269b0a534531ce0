import type { Command } from 'commander';
import { defaultProfileId, listProfiles } from '../../../simulators/load-profile.js';
import { out } from '../cli-context.js';
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
}
