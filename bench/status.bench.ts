import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { WebSocket } from 'ws';
import { migrateAndGrant, postgresMissingReason, startTestPostgres, type TestPostgres } from '../scripts/private-postgres.js';
import { parseDaemonConfig } from '../src/daemon/daemon-config.js';
import { startDaemon, type RunningDaemon } from '../src/daemon/start-daemon.js';
import { CardStatusRegistry } from '../src/status/card-status-registry.js';
import { PgCardStatusStore } from '../src/status/pg-card-status-store.js';
import { SqliteCardStatusStore } from '../src/status/sqlite-card-status-store.js';
import { fmt, percentile, rate } from './measure.js';

/**
 * Card-status registry figures (docs/status.md, "Shared store"): status lookup cost per read on
 * each backend, propagation latency between two daemons on one PostgreSQL, lock operations per
 * second under the race. Each figure is repeated REPS times (spread shown) with its baseline
 * measured in the same run. The PostgreSQL parts start a private server (scripts/private-postgres.ts;
 * run inside scripts/ns-run.sh); without one they are skipped with a printed line (CI: failure).
 */
const REPS = 5;
const ROOT = join(import.meta.dirname, '..', '..');
const progress = (what: string) => process.stderr.write(`bench status: ${what}\n`);
const CARD = { cardIdentificationCode: '320500D15600000500BF7C7A48FB4966', cardNumber: 'X00000019' };
const CTX = { site: '320500-12333', operator: 'bench' };
/** The card locked and released through the daemons (the lookup card stays formally locked). */
const MOVING = { cardIdentificationCode: '320500D156000005000B0E0148FB4966', cardNumber: 'X00000019' };

const spread = (xs: number[], d = 1) => `median ${fmt(percentile(xs, 50), d)} (min ${fmt(Math.min(...xs), d)}, max ${fmt(Math.max(...xs), d)})`;

export async function benchStatus(): Promise<string[]> {
  const out = ['## Card-status registry (SQLite vs shared PostgreSQL)', ''];
  const missing = postgresMissingReason();
  let server: TestPostgres | undefined;
  if (missing) {
    if (process.env.CI === 'true') throw new Error(`bench: CI=true and no PostgreSQL server can be started: ${missing}`);
    out.push(`SKIPPED the PostgreSQL parts: ${missing}`, '');
  } else {
    try {
      server = await startTestPostgres();
      await migrateAndGrant(server);
    } catch (e) {
      if (process.env.CI === 'true') throw e;
      out.push(`SKIPPED the PostgreSQL parts: cannot start a private server here (${(e as Error).message.split('\n')[0]}); run inside scripts/ns-run.sh as root`, '');
      server = undefined;
    }
  }
  const dir = mkdtempSync(join(tmpdir(), 'sscard-bench-status-'));
  try {
    out.push(...(await lookups(dir, server)), '');
    out.push(...(await race(dir, server)), '');
    if (server) out.push(...(await propagation(server)));
  } finally {
    server?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}

/** statusOf on a locked card: SQLite (baseline) and PostgreSQL, µs per lookup. */
async function lookups(dir: string, server: TestPostgres | undefined): Promise<string[]> {
  progress('lookups');
  const sqlite = new CardStatusRegistry(SqliteCardStatusStore.open(join(dir, 'lookup.sqlite')), 'database');
  await sqlite.lock(CARD, 'formal', CTX);
  let pgReg: CardStatusRegistry | undefined;
  if (server) {
    const store = PgCardStatusStore.open(server.appUrl, { poolSize: 4, where: 'bench' });
    await store.ready();
    pgReg = new CardStatusRegistry(store, 'database');
    await pgReg.lock(CARD, 'formal', CTX);
  }
  const s: number[] = [];
  const p: number[] = [];
  const ratio: number[] = [];
  for (let i = 0; i < REPS; i++) {
    const a = percentile((await rate(() => sqlite.statusOf(CARD), 500)).samplesUs, 50);
    s.push(a);
    if (pgReg) {
      const b = percentile((await rate(() => pgReg!.statusOf(CARD), 500)).samplesUs, 50);
      p.push(b);
      ratio.push(b / a);
    }
  }
  await sqlite.close();
  await pgReg?.close();
  const lines = [`status lookup per read (statusOf, locked card, median of each ${REPS} x 0.5 s run), µs:`, `  SQLite (baseline)      ${spread(s)}`];
  if (pgReg) lines.push(`  PostgreSQL (socket)    ${spread(p)}`, `  ratio PostgreSQL/SQLite ${spread(ratio, 2)}`);
  return lines;
}

interface ChildResult {
  ok: Record<string, number>;
  refused: Record<string, number>;
  failed: string[];
  ops: number;
}

function child(env: NodeJS.ProcessEnv, ms: number): Promise<ChildResult> {
  const cards = [1, 2, 3].map((n) => ({ cardIdentificationCode: `320500D156000005${(0xbe00000 + n).toString(16).toUpperCase().padStart(8, '0')}48FB4966`, cardNumber: CARD.cardNumber }));
  return new Promise((res, rej) => {
    const p = spawn(process.execPath, [join(ROOT, 'test/support/status-race-child.mjs'), ROOT, JSON.stringify(cards), String(ms), JSON.stringify(['320508-gusu-service-point', '320583-icbc-kunshan'])], {
      env: { ...env, SSCARD_NOW: '', SSCARD_CONFIG: '' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let o = '';
    p.stdout.on('data', (d) => (o += d));
    p.on('exit', (code) => (code === 0 ? res(JSON.parse(o) as ChildResult) : rej(new Error(`race child exited ${code}`))));
  });
}

/** Operations (lock/release/replace, refusals included) per second: 1 process (baseline) vs 4 on the same 3 cards. */
async function race(dir: string, server: TestPostgres | undefined): Promise<string[]> {
  const ms = 1000;
  const lines = [`lock operations per second under the race (separate processes on 3 shared cards, ${REPS} x ${ms / 1000} s each):`];
  const backends: [string, (i: number) => NodeJS.ProcessEnv][] = [['SQLite', (i) => ({ ...process.env, SSCARD_DATA_DIR: join(dir, `race-${i}`), SSCARD_STATUS_DB: '' })]];
  if (server) backends.push(['PostgreSQL', () => ({ ...process.env, SSCARD_STATUS_DB: server.appUrl })]);
  for (const [name, env] of backends) {
    progress(`race ${name}`);
    const one: number[] = [];
    const four: number[] = [];
    const ratio: number[] = [];
    let failed = 0;
    for (let i = 0; i < REPS; i++) {
      const a = await child(env(i), ms);
      const b = await Promise.all([0, 1, 2, 3].map(() => child(env(i), ms)));
      failed += a.failed.length + b.reduce((n, r) => n + r.failed.length, 0);
      const x = a.ops / (ms / 1000);
      const y = b.reduce((n, r) => n + r.ops, 0) / (ms / 1000);
      one.push(x);
      four.push(y);
      ratio.push(y / x);
    }
    lines.push(`  ${name}: 1 process (baseline) ${spread(one, 0)} ops/s; 4 processes ${spread(four, 0)} ops/s; ratio 4/1 ${spread(ratio, 2)}; untyped failures ${failed}`);
  }
  return lines;
}

/** Lock via daemon A -> card-status-changed at a subscriber of daemon B; baseline: the card.lock reply time at A. */
async function propagation(server: TestPostgres): Promise<string[]> {
  progress('propagation between two daemons');
  const daemons: RunningDaemon[] = [];
  const dirs: string[] = [];
  const start = async (site: string) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sscard-bench-daemon-'));
    dirs.push(dataDir);
    const d = await startDaemon({
      config: parseDaemonConfig({ port: 0, logLevel: 'error' }),
      dataDir,
      log: pino({ level: 'error' }),
      pcsc: false,
      env: { ...process.env, SSCARD_DATA_DIR: dataDir, SSCARD_CONFIG: '', SSCARD_NOW: '', SSCARD_SITE: site, SSCARD_OPERATOR: 'bench', SSCARD_STATUS_DB: server.appUrl },
    });
    daemons.push(d);
    return d;
  };
  try {
    const a = await start('320500-hospital-a');
    const b = await start('320500-hospital-b');
    const counter = await connect(a.port, readFileSync(a.tokens.counterFile, 'utf8').trim());
    const page = await connect(b.port, readFileSync(b.tokens.readerFile, 'utf8').trim());
    await page.call('events.subscribe', {});
    const p50: number[] = [];
    const p99: number[] = [];
    const base: number[] = [];
    const ratio: number[] = [];
    for (let rep = 0; rep < REPS; rep++) {
      const lat: number[] = [];
      const rpc: number[] = [];
      for (let i = 0; i < 60; i++) {
        const kind = i % 2 === 0 ? 'card.lock' : 'card.release';
        const t0 = performance.now();
        const seen = page.nextEvent('card-status-changed');
        await counter.call(kind, kind === 'card.lock' ? { ...MOVING, kind: 'temporary' } : MOVING);
        rpc.push(performance.now() - t0);
        await seen;
        lat.push(performance.now() - t0);
      }
      p50.push(percentile(lat, 50));
      p99.push(percentile(lat, 99));
      base.push(percentile(rpc, 50));
      ratio.push(percentile(lat, 50) / percentile(rpc, 50));
    }
    counter.close();
    page.close();
    return [
      `propagation A -> B (card.lock/release sent to daemon A until card-status-changed at a subscriber of daemon B; ${REPS} x 60 changes), ms:`,
      `  p50 ${spread(p50, 2)}`,
      `  p99 ${spread(p99, 2)}`,
      `  baseline: card.lock reply at A, p50 ${spread(base, 2)}; ratio propagation p50 / reply p50 ${spread(ratio, 2)}`,
    ];
  } finally {
    for (const d of daemons) await d.stop();
    for (const x of dirs) rmSync(x, { recursive: true, force: true });
  }
}

/** A minimal JSON-RPC client (hello done) with an event waiter. */
async function connect(port: number, token: string) {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/`, { headers: { Authorization: `Bearer ${token}` }, perMessageDeflate: false });
  await new Promise((res, rej) => (ws.once('open', res), ws.once('error', rej)));
  let id = 0;
  const waiting = new Map<number, (m: any) => void>();
  const eventWaiters: { type: string; resolve: () => void }[] = [];
  ws.on('message', (d) => {
    const m = JSON.parse(String(d));
    if (m.method === 'event') {
      const i = eventWaiters.findIndex((w) => w.type === m.params.type);
      if (i >= 0) eventWaiters.splice(i, 1)[0]!.resolve();
      return;
    }
    waiting.get(m.id)?.(m);
    waiting.delete(m.id);
  });
  const call = (method: string, params: unknown) =>
    new Promise<any>((res, rej) => {
      const n = ++id;
      waiting.set(n, (m) => (m.error ? rej(new Error(`${method}: ${m.error.data?.code}`)) : res(m.result)));
      ws.send(JSON.stringify({ jsonrpc: '2.0', id: n, method, params }));
    });
  await call('hello', { minApiLevel: 1, maxApiLevel: 1, client: 'bench' });
  return {
    call,
    nextEvent: (type: string) => new Promise<void>((resolve) => eventWaiters.push({ type, resolve })),
    close: () => ws.close(),
  };
}
