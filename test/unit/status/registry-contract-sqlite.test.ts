import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { CardStatusRegistry } from '../../../src/status/card-status-registry.js';
import { SqliteCardStatusStore } from '../../../src/status/sqlite-card-status-store.js';
import { registryContract } from '../../support/status-contract.js';

registryContract('SQLite (embedded default)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sscard-contract-'));
  const file = join(dir, 'status.sqlite');
  return {
    async open(clock, policy) {
      return new CardStatusRegistry(SqliteCardStatusStore.open(file, { policy }), clock);
    },
    async tamperAudit(kind) {
      const db = new Database(file);
      try {
        db.exec(kind === 'update' ? "UPDATE audit SET reason = 'x'" : 'DELETE FROM audit');
      } catch (e) {
        return e;
      } finally {
        db.close();
      }
      return undefined;
    },
    async openWithNewerSchema() {
      const other = join(dir, 'newer.sqlite');
      await SqliteCardStatusStore.open(other).close();
      const db = new Database(other);
      db.pragma('user_version = 99');
      db.close();
      try {
        SqliteCardStatusStore.open(other);
      } catch (e) {
        return e;
      }
      return undefined;
    },
    async close() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
