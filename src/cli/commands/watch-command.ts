import type { Command } from 'commander';
import { isSscardError } from '../../core/sscard-error.js';
import type { ReaderEvent } from '../../service/domain-types.js';
import type { CardOperations } from '../../service/operations/card-operations.js';
import { addSimOptions, out } from '../cli-context.js';
import { withOperations } from '../cli-operations.js';

/**
 * `sscard watch`: live reader and card events until Ctrl-C. On insert it reads the card number
 * (EF05 only needs no authentication) so counter staff see which card went in. One line per
 * event; `--json` prints NDJSON.
 */
export function registerWatch(program: Command): void {
  addSimOptions(program.command('watch'))
    .description('show readers and cards coming and going (with ATR and card number) until Ctrl-C')
    .option('--json', 'one JSON object per line')
    .action(async (opts: { sim?: boolean; profile?: string; json?: boolean }) => {
      const print = (event: Record<string, unknown>) => {
        const at = new Date().toISOString();
        if (opts.json) out(JSON.stringify({ at, ...event }));
        else out(`${at}  ${Object.values(event).filter((v) => v !== undefined && v !== null).join('  ')}`);
      };
      // Reads run one at a time so events print in order.
      let chain = Promise.resolve();
      let ops: CardOperations | undefined;
      await withOperations(
        opts,
        {
          status: 'none',
          beforeStart: (c) => {
            ops = c.operations;
            c.readers.on((e) => {
              chain = chain.then(() => describe(e, ops!).then(print));
            });
          },
        },
        async (_ops, { readers }) => {
          print({ event: 'watching', readers: readers.readers().length });
          await new Promise<void>((resolve) => {
            const stop = () => resolve();
            process.once('SIGINT', stop);
            process.once('SIGTERM', stop);
          });
          await chain;
        },
      );
    });
}

async function describe(e: ReaderEvent, ops: CardOperations): Promise<Record<string, unknown>> {
  switch (e.type) {
    case 'reader-added':
    case 'reader-removed':
    case 'card-removed':
      return { event: e.type, reader: e.reader.name, simulated: e.reader.simulated ? 'SIMULATED' : undefined };
    case 'card-inserted': {
      let cardNumber: string | null = null;
      let error: string | undefined;
      try {
        cardNumber = await ops.cardNumberIn(e.reader.id);
      } catch (x) {
        error = isSscardError(x) ? x.code : 'READ_FAILED';
      }
      return { event: e.type, reader: e.reader.name, atr: e.atr, cardNumber, error, simulated: e.reader.simulated ? 'SIMULATED' : undefined };
    }
    case 'service-down':
      return { event: e.type, reason: e.reason };
    case 'service-up':
      return { event: e.type };
  }
}
