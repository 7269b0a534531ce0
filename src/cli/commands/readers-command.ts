import type { Command } from 'commander';
import { addSimOptions, out } from '../cli-context.js';
import { withOperations } from '../cli-operations.js';
import { columnTable } from '../text-table.js';

export function registerReaders(program: Command): void {
  addSimOptions(program.command('readers'))
    .description('list card readers, whether they hold a card, and its ATR')
    .option('--json', 'print JSON')
    .action(async (opts: { sim?: boolean; profile?: string; json?: boolean }) => {
      await withOperations(opts, { status: 'none' }, async (_ops, { readers: registry }) => {
        const readers = registry.readers();
        if (opts.json) {
          out(JSON.stringify(readers.map((r) => ({ ...r.reader, cardPresent: r.cardPresent, atr: r.atr ?? null })), null, 2));
          return;
        }
        if (readers.length === 0) {
          out('no card readers (is pcscd running and a reader attached?)');
          return;
        }
        out(
          columnTable(
            ['READER', 'KIND', 'CARD', 'ATR'],
            readers.map((r) => [r.reader.name, r.reader.simulated ? 'SIMULATED' : r.reader.kind, r.cardPresent ? 'yes' : '-', r.atr ?? '']),
          ),
        );
      });
    });
}
