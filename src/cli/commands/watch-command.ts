import type { Command } from 'commander';
import { apduStack } from '../../apdu/apdu-stack.js';
import { SocialSecuritySession } from '../../cards/social-security/social-security-session.js';
import { isSscardError } from '../../core/sscard-error.js';
import type { ReaderEvent } from '../../transport/reader-monitor.js';
import { addSimOptions, out } from '../cli-context.js';
import { buildRegistry } from '../open-target.js';

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
      const registry = buildRegistry(opts);
      const print = (event: Record<string, unknown>) => {
        const at = new Date().toISOString();
        if (opts.json) out(JSON.stringify({ at, ...event }));
        else out(`${at}  ${Object.values(event).filter((v) => v !== undefined && v !== null).join('  ')}`);
      };
      // Reads run one at a time so events print in order.
      let chain = Promise.resolve();
      const onEvent = (e: ReaderEvent) => {
        chain = chain.then(() => describe(e, registry.connect.bind(registry)).then(print));
      };
      registry.on(onEvent);
      await registry.start();
      print({ event: 'watching', readers: registry.readers().length });
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      await chain;
      await registry.stop();
    });
}

async function describe(e: ReaderEvent, connect: (id: string) => Promise<import('../../transport/card-transport.js').CardTransport>): Promise<Record<string, unknown>> {
  switch (e.type) {
    case 'reader-added':
    case 'reader-removed':
    case 'card-removed':
      return { event: e.type, reader: e.reader.name, simulated: e.reader.simulated ? 'SIMULATED' : undefined };
    case 'card-inserted': {
      let cardNumber: string | null = null;
      let error: string | undefined;
      try {
        const t = await connect(e.reader.id);
        try {
          cardNumber = (await new SocialSecuritySession(apduStack(t)).read()).card.cardNumber;
        } finally {
          await t.close();
        }
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
