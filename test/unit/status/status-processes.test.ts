import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3';
import { compileStatusModules } from '../../support/compile-status.js';
import { CardStatusRegistry } from '../../../src/status/card-status-registry.js';
import { fixedClock } from '../../../src/status/status-clock.js';
import { SqliteCardStatusStore } from '../../../src/status/sqlite-card-status-store.js';
import { START, tempDataDir } from './status-helpers.js';

/**
 * Separate processes on one database file. The children run the registry compiled by tsc in
 * beforeAll (test/support/compile-status.ts) with plain node: the simplest robust way without tsx.
 */
const CHILD = resolve(import.meta.dirname, '../../support/status-child.mjs');
const SITE = '320508-gusu-service-point';
let outDir: string;
let removeOut: () => void;
let dir: string;
let cleanup: () => void;

beforeAll(() => {
  ({ outDir, cleanup: removeOut } = compileStatusModules());
}, 120_000);
afterAll(() => removeOut?.());
beforeEach(() => ({ dir, cleanup } = tempDataDir()));
afterEach(() => cleanup());

/** One operator id per child, digits spelt as letters: an id with 4 digits in a row is refused (could be a PIN, docs/status.md). */
const operatorFor = (args: string[]) => `child-${args.join('-').replace(/[0-9]/g, (d) => 'abcdefghij'[Number(d)]!)}`;

function child(...args: string[]): { proc: ChildProcess; lines: AsyncIterableIterator<string>; exit: Promise<number | null> } {
  const proc = spawn(process.execPath, [CHILD, outDir, ...args], {
    env: { ...process.env, SSCARD_DATA_DIR: dir, SSCARD_NOW: START, SSCARD_SITE: SITE, SSCARD_OPERATOR: operatorFor(args), SSCARD_CONFIG: '' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exit = new Promise<number | null>((res) => proc.on('exit', (code) => res(code)));
  return { proc, lines: createInterface({ input: proc.stdout! })[Symbol.asyncIterator](), exit };
}

function dbFile(): string {
  return join(dir, 'status.sqlite');
}

describe('crash safety', () => {
  it('SIGKILL in the middle of a batch of lock writes leaves no half-written record and loses no committed one', async () => {
    const reported = new Set<string>();
    for (let round = 0; round < 3; round++) {
      const c = child('crash', String(round * 100_000), '100000');
      const stopAfter = 20 + round * 15;
      let seen = 0;
      for await (const line of { [Symbol.asyncIterator]: () => c.lines }) {
        const m = /^committed (\w+)$/.exec(line);
        if (m) reported.add(m[1]!);
        if (++seen >= stopAfter) break;
      }
      c.proc.kill('SIGKILL');
      expect(await c.exit).toBeNull(); // killed, not finished

      const db = new Database(dbFile()); // recovers the WAL like any later opener
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      const cards = db.prepare("SELECT cic, json_extract(lock, '$.kind') AS kind FROM cards ORDER BY cic").all() as { cic: string; kind: string }[];
      const audit = db.prepare("SELECT cic, action FROM audit ORDER BY id").all() as { cic: string; action: string }[];
      db.close();
      // every card row has its audit entry and vice versa: nothing half-written
      expect(audit.every((a) => a.action === 'lock-temporary')).toBe(true);
      expect(audit.map((a) => a.cic).sort()).toEqual(cards.map((c) => c.cic));
      expect(cards.every((c) => c.kind === 'temporary')).toBe(true);
      // every commit the child reported survived
      const stored = new Set(cards.map((c) => c.cic));
      for (const cic of reported) expect(stored.has(cic)).toBe(true);
      expect(stored.size).toBeGreaterThanOrEqual(reported.size);
    }
    // and the store opens and works through the API afterwards
    const reg = new CardStatusRegistry(SqliteCardStatusStore.open(dbFile()), fixedClock(START));
    const [first] = [...reported];
    expect((await reg.statusOf({ cardIdentificationCode: first!, cardNumber: 'X00000019' })).kind).toBe('temporarily-locked');
    await reg.close();
  }, 60_000);
});

describe('concurrency', () => {
  it('two child processes and this one lock/release one card concurrently: audit = successful operations, state = replay of audit', async () => {
    const a = child('race', '250', '11');
    const b = child('race', '250', '29');
    for (const c of [a, b]) expect((await c.lines.next()).value).toBe('ready');

    // this process joins in while the children run
    const reg = new CardStatusRegistry(SqliteCardStatusStore.open(dbFile()), fixedClock(START));
    const card = { cardIdentificationCode: '320500D15600000500000077' + '48FB4966', cardNumber: 'X00000019' };
    const mine: Record<string, number> = {};
    const ctx = { site: SITE, operator: 'parent' };
    for (let i = 0; i < 250; i++) {
      const action = i % 5 < 2 ? 'lock-temporary' : i % 5 === 2 ? 'lock-formal' : 'release';
      try {
        if (action === 'release') await reg.release(card, ctx);
        else await reg.lock(card, action === 'lock-formal' ? 'formal' : 'temporary', ctx);
        mine[action] = (mine[action] ?? 0) + 1;
      } catch (e) {
        expect((e as { code: string }).code).toMatch(/^(ALREADY_LOCKED|NOT_LOCKED)$/);
      }
      if (i % 10 === 0) await new Promise((r) => setImmediate(r));
    }
    const results = [mine];
    for (const c of [a, b]) {
      const line = (await c.lines.next()).value as string;
      expect(await c.exit).toBe(0);
      const r = JSON.parse(line) as { ok: Record<string, number>; refused: Record<string, number> };
      expect(Object.keys(r.refused).every((k) => k === 'ALREADY_LOCKED' || k === 'NOT_LOCKED')).toBe(true);
      results.push(r.ok);
    }

    const trail = await reg.audit({ card: card.cardIdentificationCode });
    // audit rows = successful operations, per action
    for (const action of ['lock-temporary', 'lock-formal', 'release']) {
      const ok = results.reduce((n, r) => n + (r[action] ?? 0), 0);
      expect(trail.filter((e) => e.action === action)).toHaveLength(ok);
    }
    expect(trail.length).toBeGreaterThan(20);
    expect(new Set(trail.map((e) => e.operator)).size).toBe(3); // all three processes got writes in

    // replay: each entry must be legal after the previous ones, and the end must equal the store
    let state: 'none' | 'temporary' | 'formal' = 'none';
    for (const e of trail) {
      if (e.action === 'lock-temporary') (expect(state).toBe('none'), (state = 'temporary'));
      else if (e.action === 'lock-formal') (expect(state).not.toBe('formal'), (state = 'formal'));
      else if (e.action === 'release') (expect(state).not.toBe('none'), (state = 'none'));
    }
    const final = await reg.statusOf(card);
    expect(final.kind).toBe({ none: 'normal', temporary: 'temporarily-locked', formal: 'formally-locked' }[state]);
    await reg.close();
  }, 60_000);
});
