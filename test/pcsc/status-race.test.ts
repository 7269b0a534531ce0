import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../src/status/audit-entry.js';
import type { CardRecord } from '../../src/status/card-record.js';
import { openCardStatusRegistry } from '../../src/status/open-card-status-registry.js';
import { defaultStatusPolicy } from '../../src/status/status-policy.js';
import { applyOperation } from '../../src/status/status-rules.js';
import { cardNumberCheckCharacter } from '../../src/cards/social-security/card-number-check.js';
import { migrateAndGrant, postgresSkipReason, startTestPostgres, type TestPostgres } from '../support/postgres-server.js';

/**
 * Many counters at once: N separate OS processes hammer lock / release / replace on the same few
 * cards for a bounded time. Afterwards every card's state equals the replay of its audit trail
 * through the rules (no rule was broken in the committed order), and the audit holds exactly the
 * operations the processes saw succeed (no lost update, no phantom).
 */
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const PROCESSES = 4;
const DURATION_MS = 2500;
const SITES = ['320508-gusu-service-point', '320583-icbc-kunshan'];
const CARDS = [1, 2, 3].map((n) => {
  const first8 = `R${String(n).padStart(7, '0')}`;
  return { cardIdentificationCode: `320500D156000005${(0xace0000 + n).toString(16).toUpperCase().padStart(8, '0')}48FB4966`, cardNumber: first8 + cardNumberCheckCharacter(first8) };
});

interface ChildResult {
  ok: Record<string, number>;
  refused: Record<string, number>;
  failed: string[];
  ops: number;
}

function runChild(env: NodeJS.ProcessEnv): Promise<ChildResult> {
  return new Promise((res, rej) => {
    const p = spawn(process.execPath, [join(root, 'test/support/status-race-child.mjs'), root, JSON.stringify(CARDS), String(DURATION_MS), JSON.stringify(SITES)], {
      env: { ...env, SSCARD_NOW: '', SSCARD_CONFIG: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    p.on('exit', (code) => (code === 0 ? res(JSON.parse(out) as ChildResult) : rej(new Error(`child exited ${code}: ${err.slice(-2000)}`))));
  });
}

async function race(env: NodeJS.ProcessEnv): Promise<void> {
  const results = await Promise.all(Array.from({ length: PROCESSES }, () => runChild(env)));
  expect(results.flatMap((r) => r.failed)).toEqual([]);
  const succeeded: Record<string, number> = {};
  for (const r of results) for (const [k, v] of Object.entries(r.ok)) succeeded[k] = (succeeded[k] ?? 0) + v;
  const total = results.reduce((n, r) => n + r.ops, 0);
  expect(total).toBeGreaterThan(PROCESSES * 5);
  expect(Object.values(succeeded).reduce((a, b) => a + b, 0)).toBeGreaterThan(CARDS.length);

  const { registry } = openCardStatusRegistry({ env: { ...env, SSCARD_NOW: '', SSCARD_CONFIG: '' } });
  try {
    const trail: AuditEntry[] = await registry.audit({});
    const counted: Record<string, number> = {};
    for (const e of trail) counted[e.action] = (counted[e.action] ?? 0) + 1;
    expect(counted).toEqual(succeeded); // every success is in the audit, nothing else is

    for (const card of CARDS) {
      let rec: CardRecord | undefined;
      let last = '';
      for (const e of trail.filter((t) => t.cardIdentificationCode === card.cardIdentificationCode)) {
        expect(e.at >= last, `audit instants follow the commit order of a card (entry ${e.id})`).toBe(true);
        last = e.at;
        const action = e.action as 'lock-temporary' | 'lock-formal' | 'release' | 'replacement-requested';
        // Throws if the committed order broke a rule (e.g. a release after a replacement).
        let out;
        try {
          out = applyOperation(rec, { identity: card, at: e.at, site: e.site, operator: e.operator, reason: e.reason, action }, defaultStatusPolicy);
        } catch (x) {
          throw new Error(`replay of ${card.cardIdentificationCode} broke at entry ${e.id} (${(x as Error).message}); trail: ${JSON.stringify(trail.filter((t) => t.cardIdentificationCode === card.cardIdentificationCode).map((t) => [t.id, t.action, t.at, t.site]))}`);
        }
        expect(out.audit.map((x) => x.action)).toEqual([e.action]);
        rec = out.record;
      }
      const status = await registry.statusOf(card);
      const replayed = rec?.replacement ? 'replacement-requested' : rec?.lock ? (rec.lock.kind === 'formal' ? 'formally-locked' : 'temporarily-locked') : 'normal';
      expect(status.kind).toBe(replayed);
      expect(status.lock ?? null).toEqual(rec?.lock ?? null);
    }
  } finally {
    await registry.close();
  }
}

describe('race: separate processes on the same cards', () => {
  it('SQLite (one machine, one file)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sscard-race-'));
    try {
      await race({ ...process.env, SSCARD_DATA_DIR: dir, SSCARD_STATUS_DB: '' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  describe.skipIf(postgresSkipReason() !== undefined)('PostgreSQL', () => {
    let server: TestPostgres;
    beforeAll(async () => {
      server = await startTestPostgres();
      await migrateAndGrant(server);
    });
    afterAll(() => server?.stop());
    it('PostgreSQL (shared, row locks)', async () => {
      await race({ ...process.env, SSCARD_STATUS_DB: server.appUrl });
    });
  });
});
