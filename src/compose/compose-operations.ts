import { CardService, type CardServiceOptions } from '../service/card-service.js';
import { bindOperations, type CardOperations } from '../service/operations/card-operations.js';
import { ReaderRegistry } from '../service/reader-registry.js';
import type { CardStatusRegistry } from '../status/card-status-registry.js';
import { openCardStatusRegistry } from '../status/open-card-status-registry.js';
import type { InProcessReaderSource } from '../transport/in-process/in-process-reader-source.js';
import { createKeyProvider, type KeySourceConfig } from './key-provider.js';
import { buildReaderSources, type ReaderSourceConfig } from './reader-sources.js';

export interface CompositionConfig {
  readonly readers: ReaderSourceConfig;
  readonly keys: KeySourceConfig;
  /**
   * The card-status registry: `required` (the CLI: a bad config fails the command before the card
   * is touched), `optional` (the daemon: unavailable -> null, status answers STATUS_UNAVAILABLE,
   * `onStatusUnavailable` told), or `none` (commands that never look a card up).
   */
  readonly status: 'required' | 'optional' | 'none';
  readonly env?: NodeJS.ProcessEnv | undefined;
  /** Site / operator given on the command line (override env and config file). */
  readonly site?: string | undefined;
  readonly operator?: string | undefined;
  readonly service?: CardServiceOptions | undefined;
  /** Operator-facing notes (e.g. "using the public TEST keys"). */
  readonly notice?: ((line: string) => void) | undefined;
  readonly onStatusUnavailable?: ((e: unknown) => void) | undefined;
}

export interface Composition {
  readonly operations: CardOperations;
  readonly readers: ReaderRegistry;
  readonly cards: CardService;
  readonly statusRegistry: CardStatusRegistry | null;
  readonly simulated: InProcessReaderSource | undefined;
  pcscUp(): boolean;
  /** Starts watching the readers. */
  start(): Promise<void>;
  /** Stops the service (grace for running operations), the readers and the registry. */
  close(graceMs?: number): Promise<void>;
}

/**
 * The composition root of every face: reader sources, the card service, the key provider and
 * the card-status registry, built from config and flags, bound into the card operations.
 * Only this folder picks concrete transports, key services and stores (scripts/check-layers.mjs).
 */
export function composeOperations(config: CompositionConfig): Composition {
  const env = config.env ?? process.env;
  let statusRegistry: CardStatusRegistry | null = null;
  let statusConfig: { site?: string | null | undefined; operator?: string | null | undefined } = {};
  if (config.status !== 'none') {
    try {
      const opened = openCardStatusRegistry({ env, site: config.site, operator: config.operator });
      statusRegistry = opened.registry;
      statusConfig = opened.config;
    } catch (e) {
      if (config.status === 'required') throw e;
      config.onStatusUnavailable?.(e);
    }
  }
  const built = buildReaderSources(config.readers);
  const readers = new ReaderRegistry(built.sources);
  const cards = new CardService(readers, config.service);
  let keys;
  try {
    keys = createKeyProvider(config.keys, readers, config.notice, config.service?.traffic);
  } catch (e) {
    void statusRegistry?.close();
    throw e;
  }
  const operations = bindOperations({
    cards,
    registry: statusRegistry,
    keys,
    operator: { site: statusConfig.site ?? undefined, operator: statusConfig.operator ?? undefined },
  });
  let closed: Promise<void> | undefined;
  return {
    operations,
    readers,
    cards,
    statusRegistry,
    simulated: built.simulated,
    pcscUp: built.pcscUp,
    start: () => readers.start(),
    close(graceMs = 5000) {
      closed ??= (async () => {
        await cards.stop(graceMs);
        await readers.stop();
        await statusRegistry?.close();
      })();
      return closed;
    },
  };
}
