import { assertRegistryReady, checkRegistry, migrateRegistry, type RegistryCheck } from '../status/registry-admin.js';
import { loadStatusConfig } from '../status/status-config.js';

export type { RegistryCheck } from '../status/registry-admin.js';

/**
 * `sscard registry check|migrate`: the store named by $SSCARD_STATUS_DB / config `status.db`
 * (docs/status.md, "Operations"). The composition root picks the store; the CLI only formats.
 */
export function checkStatusStore(env: NodeJS.ProcessEnv = process.env): Promise<RegistryCheck> {
  return checkRegistry(loadStatusConfig({ env }));
}

/** Throws STORE_SCHEMA_OUTDATED unless `check` says the store can be used as it is. */
export function assertStatusStoreReady(check: RegistryCheck): void {
  assertRegistryReady(check);
}

export function migrateStatusStore(env: NodeJS.ProcessEnv = process.env): ReturnType<typeof migrateRegistry> {
  return migrateRegistry(loadStatusConfig({ env }));
}
