import { CardStatusRegistry } from './card-status-registry.js';
import { clockFromEnv } from './status-clock.js';
import { loadStatusConfig, type StatusConfig } from './status-config.js';
import { SqliteCardStatusStore } from './sqlite-card-status-store.js';

/**
 * Composition for the CLI and the daemon: config (env + config file), the clock (`SSCARD_NOW`),
 * and the default SQLite store in the data directory. Returns the registry and the resolved
 * config (whose `site` / `operator` the caller passes to changes).
 */
export function openCardStatusRegistry(
  options: { env?: NodeJS.ProcessEnv; site?: string | undefined; operator?: string | undefined } = {},
): { registry: CardStatusRegistry; config: StatusConfig } {
  const env = options.env ?? process.env;
  const config = loadStatusConfig({ env, site: options.site, operator: options.operator });
  const clock = clockFromEnv(env);
  const store = SqliteCardStatusStore.open(config.databaseFile, { policy: config.policy });
  return { registry: new CardStatusRegistry(store, clock), config };
}
