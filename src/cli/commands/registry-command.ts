import type { Command } from 'commander';
import { assertStatusStoreReady, checkStatusStore, migrateStatusStore } from '../../compose/status-store-admin.js';
import { keyValueTable } from '../text-table.js';

/**
 * `sscard registry migrate|check` for administrators (docs/status.md, "Operations"): the store
 * named by $SSCARD_STATUS_DB / config `status.db` (default: the SQLite file in the data dir).
 */
export function registerRegistryCommand(program: Command): void {
  const registry = program.command('registry').description('administer the card-status registry store (SQLite file or shared PostgreSQL)');
  registry
    .command('check')
    .description('show the store, its schema version and size without changing anything; exit 1 unless it is ready')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      const r = await checkStatusStore();
      const rows: [string, string | undefined][] = [
        ['backend', r.backend],
        ['location', r.location],
        ['schema', `${r.schema} (version ${r.version}, this sscard: ${r.knownVersion})`],
        ['cards', String(r.cards)],
        ['audit entries', String(r.auditEntries)],
      ];
      if (r.serverVersion !== undefined) rows.push(['server', `PostgreSQL-compatible ${r.serverVersion}`]);
      if (r.clockSkewMs !== undefined) rows.push(['clock skew', `${r.clockSkewMs} ms (server minus this machine; expiry uses the server's clock)`]);
      process.stdout.write(`${o.json ? JSON.stringify(r, null, 2) : keyValueTable(rows, '')}\n`);
      assertStatusStoreReady(r);
    });
  registry
    .command('migrate')
    .description('bring the store schema up to this version of sscard (forward only; PostgreSQL: needs a role that may create tables)')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      const r = await migrateStatusStore();
      const text = r.from === r.to ? `${r.location}: schema already at version ${r.to}` : `${r.location}: migrated schema ${r.from} -> ${r.to}`;
      process.stdout.write(`${o.json ? JSON.stringify(r) : text}\n`);
    });
}
