import { CardStatusRegistry } from './card-status-registry.js';
import type { CardStatusStore } from './card-status-store.js';
import { PgCardStatusStore } from './pg-card-status-store.js';
import { clockFromEnv } from './status-clock.js';
import { describeDatabase, loadStatusConfig, type StatusConfig } from './status-config.js';
import { SqliteCardStatusStore } from './sqlite-card-status-store.js';

/**
 * Composition for the CLI and the daemon: config (env + config file), the clock (`SSCARD_NOW`),
 * and the store `SSCARD_STATUS_DB` / `status.db` names: the SQLite file in the data directory
 * by default, or the region's shared PostgreSQL (docs/status.md, "Store"). The store's clock (on
 * PostgreSQL the database server's) is used unless `SSCARD_NOW` fixes the time. Returns the registry and
 * the resolved config (whose `site` / `operator` the caller passes to changes).
 */
export function openCardStatusRegistry(
  options: { env?: NodeJS.ProcessEnv; site?: string | undefined; operator?: string | undefined } = {},
): { registry: CardStatusRegistry; config: StatusConfig } {
  const env = options.env ?? process.env;
  const config = loadStatusConfig({ env, site: options.site, operator: options.operator });
  const fixed = env.SSCARD_NOW !== undefined && env.SSCARD_NOW !== '';
  const clock = clockFromEnv(env);
  // Without SSCARD_NOW the store's clock is used, read inside the change's transaction, so that
  // instants follow the commit order (on PostgreSQL: the server's clock, one for the region).
  return { registry: new CardStatusRegistry(openStore(config), fixed ? clock : 'database'), config };
}

/** The configured store (PostgreSQL connects in the background; its first operation waits for it). */
export function openStore(config: StatusConfig): CardStatusStore {
  const db = config.database;
  if (db.kind === 'postgres') return PgCardStatusStore.open(db.url, { policy: config.policy, poolSize: db.poolSize, where: describeDatabase(db) });
  return SqliteCardStatusStore.open(db.file, { policy: config.policy });
}
