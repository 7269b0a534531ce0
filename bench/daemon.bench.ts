import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { createSimulatedCard } from '../simulators/create-card.js';
import { VpcdClient } from '../simulators/vpcd-client.js';
import { apduStack } from '../src/apdu/apdu-stack.js';
import { SocialSecuritySession } from '../src/cards/social-security/social-security-session.js';
import { PcscReaderSource } from '../src/transport/pcsc/pcsc-reader-source.js';
import { composeOperations } from '../src/compose/compose-operations.js';
import { fmt, histogram, percentile, spread, verdict } from './measure.js';

const ROOT = join(import.meta.dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'src', 'cli', 'main.js');
/** The daemon is started as every launcher starts it (its node flags and malloc settings, docs/performance.md). */
const LAUNCHER = join(ROOT, 'bin', 'sscard');
const READER_0 = 'Virtual PCD 00 00';
const READER_1 = 'Virtual PCD 00 01';
const progress = (what: string) => process.stderr.write(`bench daemon: ${what}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function until(check: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`bench: timed out waiting for ${what}`);
    await sleep(5);
  }
}

function lineFrom(child: ChildProcess, re: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let buf = '';
    child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      const m = buf.split('\n').find((l) => re.test(l));
      if (m) resolve(m);
    });
    child.on('exit', (code) => reject(new Error(`child exited with ${code}`)));
  });
}

export async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.on('exit', r));
  child.kill('SIGINT');
  await exited;
}

/** `sscard sim serve` child: the card in its own process, as a real card would be. */
export async function serve(profile: string, slot: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [CLI, 'sim', 'serve', '--profile', profile, '--slot', String(slot)], { stdio: ['ignore', 'pipe', 'inherit'] });
  await lineFrom(child, /serving/);
  return child;
}

interface Daemon {
  child: ChildProcess;
  port: number;
  token: string;
}

/** `sscard daemon` child with logs at warn and generous per-connection limits (the bench is the load). */
export async function daemon(config: Record<string, unknown>): Promise<Daemon> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sscard-bench-daemon-'));
  const file = join(dataDir, 'daemon.json');
  writeFileSync(file, JSON.stringify({ port: 0, logLevel: 'warn', limits: { requestsPerSecond: 10_000, burst: 100_000, maxPending: 1000, maxConnectionsPerOrigin: 256, maxPendingPerOrigin: 100_000 }, ...config }));
  // SSCARD_BENCH_DAEMON_NODE_ARGS="--cpu-prof --cpu-prof-dir=DIR" profiles the daemon under the bench's load (docs/performance.md);
  // the launcher adds them after its own flags (a later V8 flag wins). The launcher execs node: child.pid is the daemon's.
  const env = { ...process.env, SSCARD_DATA_DIR: dataDir, SSCARD_NODE: process.execPath, SSCARD_NODE_ARGS: process.env.SSCARD_BENCH_DAEMON_NODE_ARGS ?? '' };
  const child = spawn(LAUNCHER, ['daemon', '--config', file], { stdio: ['ignore', 'pipe', 'inherit'], env });
  const line = await lineFrom(child, /listening on ws:\/\/127\.0\.0\.1:\d+/);
  return { child, port: Number(/127\.0\.0\.1:(\d+)/.exec(line)![1]), token: readFileSync(join(dataDir, 'daemon-token'), 'utf8').trim() };
}

/** bench/ws-echo-child.ts in its own process, and a client for one round trip at a time. */
async function wsEcho(replyBytes: number): Promise<{ roundTrip(message: string): Promise<void>; close(): Promise<void> }> {
  const child = spawn(process.execPath, [join(ROOT, 'dist', 'bench', 'ws-echo-child.js'), String(replyBytes)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = Number(/listening (\d+)/.exec(await lineFrom(child, /listening \d+/))![1]);
  const ws = new WebSocket(`ws://127.0.0.1:${port}/`, { perMessageDeflate: false });
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  return {
    roundTrip: (message) =>
      new Promise<void>((resolve) => {
        ws.once('message', (d) => {
          JSON.parse(String(d)); // as the RPC client does with every answer
          resolve();
        });
        ws.send(message);
      }),
    close: async () => {
      ws.close();
      await stop(child);
    },
  };
}

/** Minimal JSON-RPC client over ws (what a local program would do). */
export class Rpc {
  private id = 1;
  private readonly waiting = new Map<number, (m: { result?: unknown; error?: { data: { code: string } } }) => void>();
  readonly events: { type: string; at: bigint }[] = [];
  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (d) => {
      const m = JSON.parse(String(d));
      if (m.method === 'event') this.events.push({ type: m.params.type, at: process.hrtime.bigint() });
      else this.waiting.get(m.id)?.(m);
    });
  }
  static async open(d: Daemon): Promise<Rpc> {
    const ws = new WebSocket(`ws://127.0.0.1:${d.port}/`, { headers: { Authorization: `Bearer ${d.token}` }, perMessageDeflate: false });
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    const rpc = new Rpc(ws);
    await rpc.call('hello', { minApiLevel: 1, maxApiLevel: 1 });
    return rpc;
  }
  call(method: string, params: unknown = {}): Promise<{ result?: any; error?: { data: { code: string } } }> {
    const id = this.id++;
    return new Promise((resolve) => {
      this.waiting.set(id, (m) => {
        this.waiting.delete(id);
        resolve(m);
      });
      this.ws.send(JSON.stringify({ jsonrpc: '2.0', id, method, params }));
    });
  }
  close(): void {
    this.ws.close();
  }
}

/**
 * CPU time of a process in ms from /proc/<pid>/schedstat (first field: ns on the CPU, all
 * threads): nanosecond resolution, where /proc/<pid>/stat only counts 10 ms ticks.
 */
function cpuMs(pid: number): number {
  let total = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    total += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]) / 1e6;
  }
  return total;
}

export function rssKb(pid: number): number {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]);
}

/**
 * `SSCARD_BENCH_DAEMON_PARTS=sequential` runs the sequential read comparison alone (the event,
 * load, RSS and idle parts take minutes); unset or `all`: every part (docs/performance.md).
 */
function sequentialOnly(): boolean {
  const asked = process.env.SSCARD_BENCH_DAEMON_PARTS ?? 'all';
  if (asked !== 'all' && asked !== 'sequential') throw new Error(`SSCARD_BENCH_DAEMON_PARTS: ${asked}? (sequential or all)`);
  return asked === 'sequential';
}

/**
 * Issue #6 figures, side by side in one run:
 * - card.read over the WebSocket (daemon child) ÷ the same operation in this process (readCard with
 *   the status lookup), p50; and ÷ the bare session read, for comparison;
 * - insert → event latency seen by a socket client, next to the library monitor's;
 * - 50 clients × 100 mixed operations on 4 readers (closed loop, 5 runs per model): throughput, p99, histogram;
 * - idle CPU of the daemon over 60 s with 2 readers holding cards;
 * - daemon RSS at start, after each load run and after 10,000 more requests;
 * each target printed as met / missed from the median of its runs.
 */
export async function benchDaemon(): Promise<string[]> {
  const onlySequential = sequentialOnly();
  const lines = ['## Daemon (WebSocket, real pcscd + vpcd + simulator)', ''];
  const cards: ChildProcess[] = [];
  let d: Daemon | undefined;
  const source = new PcscReaderSource();
  try {
    cards.push(await serve('demo', 0), await serve('v1-zhang-san', 1));
    d = await daemon({ simulated: { enabled: true, profiles: ['v2-long-name', 'v1-empty-version'] } });
    await source.monitor.start();
    const dm = d;
    const rpc = await Rpc.open(dm);
    await until(async () => ((await rpc.call('readers.list')).result.readers as { cardPresent: boolean }[]).filter((r) => r.cardPresent).length === 4, 5000, '4 cards');

    const pid = dm.child.pid!;
    const rssStart = rssKb(pid);
    progress('ready; read over the socket vs direct');
    // 1. read over the socket vs the same service operation in this process (card.read is the
    // read plus the card-status lookup: readCard with a SQLite registry, as the daemon has), and
    // vs the bare session read (no card service, no lookup): 5 blocks of 60 interleaved rounds,
    // one ratio of medians per block.
    // card.read runs with its connection's lifetime (cancelled when the page goes away); the
    // in-process side gets one too, so that both run the same operation.
    const requester = new AbortController();
    // The floor: the same-sized request and answer over a bare ws server in another Node process
    // (no sscard code), timed as the fourth step of each round; in-process + that round trip is the best any
    // cross-process face could do on this machine.
    const sample = await rpc.call('card.read', { reader: READER_0 });
    const echo = await wsEcho(JSON.stringify(sample).length);
    const inProcess = composeOperations({ readers: { pcsc: true }, keys: {}, status: 'required', env: { ...process.env, SSCARD_DATA_DIR: mkdtempSync(join(tmpdir(), 'sscard-bench-direct-')) } });
    await inProcess.start();
    const ws: number[] = [];
    const service: number[] = [];
    const direct: number[] = [];
    const floor: number[] = [];
    const ratios: number[] = [];
    const bareRatios: number[] = [];
    const floorRatios: number[] = [];
    try {
      await until(() => inProcess.readers.readers().some((r) => r.reader.name === READER_0 && r.cardPresent), 5000, 'in-process reader');
      for (let block = 0; block < 5; block++) {
        const w: number[] = [];
        const sv: number[] = [];
        const dr: number[] = [];
        const fl: number[] = [];
        for (let i = 0; i < 70; i++) {
          let t0 = process.hrtime.bigint();
          const r = await rpc.call('card.read', { reader: READER_0 });
          if (r.error) throw new Error(`card.read: ${r.error.data.code}`);
          if (i >= 10) w.push(Number(process.hrtime.bigint() - t0) / 1000);
          t0 = process.hrtime.bigint();
          const got = await inProcess.operations.readCard({ reader: `pcsc:${READER_0}`, signal: requester.signal });
          if (got.kind !== 'read' || !got.status) throw new Error('in-process readCard: no read or no status');
          if (i >= 10) sv.push(Number(process.hrtime.bigint() - t0) / 1000);
          t0 = process.hrtime.bigint();
          const t = await source.connector.connect(READER_0);
          await new SocialSecuritySession(apduStack(t)).read();
          await t.close();
          if (i >= 10) dr.push(Number(process.hrtime.bigint() - t0) / 1000);
          t0 = process.hrtime.bigint();
          await echo.roundTrip(JSON.stringify({ jsonrpc: '2.0', id: i, method: 'card.read', params: { reader: READER_0 } }));
          if (i >= 10) fl.push(Number(process.hrtime.bigint() - t0) / 1000);
        }
        ratios.push(percentile(w, 50) / percentile(sv, 50));
        floorRatios.push((percentile(sv, 50) + percentile(fl, 50)) / percentile(sv, 50));
        bareRatios.push(percentile(w, 50) / percentile(dr, 50));
        ws.push(...w);
        service.push(...sv);
        direct.push(...dr);
        floor.push(...fl);
      }
    } finally {
      await inProcess.close();
      await echo.close();
    }
    const ping: number[] = [];
    for (let i = 0; i < 200; i++) {
      const t0 = process.hrtime.bigint();
      await rpc.call('readers.list');
      ping.push(Number(process.hrtime.bigint() - t0) / 1000);
    }
    lines.push(
      '| card read (vpcd, connect..disconnect), 5 blocks × 60 interleaved rounds of 4 | p50 µs | p90 µs |',
      '|---|---|---|',
      `| card.read over the WebSocket (daemon child: read + card-status lookup) | ${fmt(percentile(ws, 50), 0)} | ${fmt(percentile(ws, 90), 0)} |`,
      `| the same operation in this process (readCard: card service + read + card-status lookup, SQLite) | ${fmt(percentile(service, 50), 0)} | ${fmt(percentile(service, 90), 0)} |`,
      `| bare session read in this process (connect, read, close: no card service, no lookup) | ${fmt(percentile(direct, 50), 0)} | ${fmt(percentile(direct, 90), 0)} |`,
      `| readers.list round trip (the socket alone, no card) | ${fmt(percentile(ping, 50), 0)} | ${fmt(percentile(ping, 90), 0)} |`,
      `| bare ws round trip to another Node process, card.read-sized (no sscard: the floor), 4th step of each round | ${fmt(percentile(floor, 50), 0)} | ${fmt(percentile(floor, 90), 0)} |`,
      '',
      `The floor on this machine: (in-process + bare round trip) ÷ in-process, per block: ${spread(floorRatios)}; sscard's own share of the WebSocket path is the rest (p50 ${fmt(percentile(ws, 50) - percentile(service, 50) - percentile(floor, 50), 0)} µs).`,
      '',
      `**WebSocket ÷ direct** (the same operation in this process; p50 of each block; min / median / max of 5): **${spread(ratios)}**; target ≤ 1.20: ${verdict(ratios, 1.2, 'lower')}`,
      `(WebSocket ÷ bare session read, which leaves out the card service and the status lookup: ${spread(bareRatios)})`,
      '',
    );

    if (onlySequential) {
      rpc.close();
      return lines;
    }
    progress('insert -> event');
    // 2. insert -> event over the socket (slot 0 card re-inserted by this process)
    await stop(cards[0]!);
    await until(() => !source.monitor.readers().some((r) => r.reader.name === READER_0 && r.cardPresent), 5000, 'removal');
    await rpc.call('events.subscribe');
    const overSocket: number[] = [];
    const library: number[] = [];
    for (let i = 0; i < 10; i++) {
      let tLib = 0n;
      const off = source.monitor.on((e) => {
        if (e.type === 'card-inserted' && e.reader.name === READER_0 && !tLib) tLib = process.hrtime.bigint();
      });
      rpc.events.length = 0;
      const c = new VpcdClient(createSimulatedCard('demo'), { slot: 0 });
      const t0 = process.hrtime.bigint();
      await c.insert();
      await until(() => tLib !== 0n && rpc.events.some((e) => e.type === 'card-inserted'), 5000, 'insert events');
      const tWs = rpc.events.find((e) => e.type === 'card-inserted')!.at;
      overSocket.push(Number(tWs - t0) / 1e6);
      library.push(Number(tLib - t0) / 1e6);
      off();
      await c.remove();
      await until(() => !source.monitor.readers().some((r) => r.reader.name === READER_0 && r.cardPresent), 5000, 'removal');
      await sleep(100 + Math.random() * 300);
    }
    lines.push(
      '| insert → event (10 inserts) | median ms | max ms |',
      '|---|---|---|',
      `| library monitor (this process) | ${fmt(percentile(library, 50), 1)} | ${fmt(Math.max(...library), 1)} |`,
      `| event on the WebSocket (daemon child) | ${fmt(percentile(overSocket, 50), 1)} | ${fmt(Math.max(...overSocket), 1)} |`,
      '',
    );
    cards[0] = await serve('demo', 0);
    await until(() => source.monitor.readers().some((r) => r.reader.name === READER_0 && r.cardPresent), 5000, 'card back');
    rpc.close();

    progress('50 x 100');
    // 3. 50 clients x 100 mixed operations on 4 readers, two closed-loop load models, 5 runs each (interleaved)
    const ids = [`pcsc:${READER_0}`, `pcsc:${READER_1}`, 'sim:0:v2-long-name', 'sim:1:v1-empty-version'];
    lines.push(
      '50 clients × 100 mixed ops (30 % readers.list, 50 % card.read, 20 % card.status; client c sends its n-th request to reader (c + n) mod 4) on 2 vpcd + 2 simulated readers.',
      'Closed loop, no think time: **window 1** = each client waits for each answer before its next request (at most 50 outstanding): the model of the targets;',
      '**window 8** = each client sends 8 requests, waits for all 8, sends the next 8 (at most 400 outstanding). The two models alternate, 5 runs each; min / median / max.',
      'In a closed loop the clients gather at the slowest readers (the two vpcd readers, one exclusive operation at a time each), so their card-operation latency is that queue: about (clients waiting there) ÷ (operations per second of one reader).',
      '',
      '| load model | req/s | p50 ms | p99 ms | vpcd card ops p50 / p99 ms | simulated card ops p99 ms | readers.list p99 ms | daemon RSS after the run MB | failures |',
      '|---|---|---|---|---|---|---|---|---|',
    );
    const byWindow = new Map<number, LoadRun[]>([
      [1, []],
      [8, []],
    ]);
    const rssRuns: number[] = [];
    for (let run = 0; run < 5; run++) {
      for (const window of [1, 8]) {
        byWindow.get(window)!.push(await loadRun(dm, ids, window));
        rssRuns.push(rssKb(pid) / 1024);
      }
    }
    for (const [window, runs] of byWindow) {
      lines.push(
        `| window ${window} | ${spread(runs.map((r) => r.perSecond), 0)} | ${spread(runs.map((r) => r.p50), 1)} | ${spread(runs.map((r) => r.p99), 1)} | ${spread(runs.map((r) => r.vpcdP50), 1)} / ${spread(runs.map((r) => r.vpcdP99), 1)} | ${spread(runs.map((r) => r.simP99), 1)} | ${spread(runs.map((r) => r.listP99), 1)} | ${spread(runs.map((_, k) => rssRuns[2 * k + (window === 1 ? 0 : 1)]!), 1)} | ${runs.reduce((a, r) => a + r.failures, 0)} |`,
      );
    }
    const closed = byWindow.get(1)!;
    lines.push(
      '',
      'Latency histogram, window 1, all 5 runs (ms: count):',
      `- all requests: ${histogram(closed.flatMap((r) => r.samples.all))}`,
      `- vpcd card operations: ${histogram(closed.flatMap((r) => r.samples.vpcd))}`,
      '',
      `- **throughput, window 1** (target ≥ 2,000 req/s): ${spread(closed.map((r) => r.perSecond), 0)} → ${verdict(closed.map((r) => r.perSecond), 2000, 'higher')}`,
      `- **p99, window 1** (target ≤ 50 ms): ${spread(closed.map((r) => r.p99), 1)} → ${verdict(closed.map((r) => r.p99), 50, 'lower')}`,
      '',
    );

    progress('RSS');
    // 4. RSS after 10,000 more requests
    const conns = await Promise.all(Array.from({ length: 10 }, () => Rpc.open(dm)));
    await Promise.all(
      conns.map(async (c, k) => {
        for (let i = 0; i < 1000; i++) await c.call(i % 2 ? 'readers.list' : 'card.read', i % 2 ? {} : { reader: ids[2 + (k % 2)] });
        c.close();
      }),
    );
    await sleep(500);
    const rssAfter = rssKb(pid) / 1024;
    const rssAll = [...rssRuns, rssAfter];

    progress('idle CPU (60 s)');
    // 5. idle CPU over 60 s: 2 vpcd readers with cards, one subscribed client connected
    const idle = await Rpc.open(dm);
    await idle.call('events.subscribe');
    await sleep(2000);
    const c0 = cpuMs(pid);
    const w0 = performance.now();
    await sleep(60_000);
    const share = (cpuMs(pid) - c0) / (performance.now() - w0);
    idle.close();
    lines.push(
      '| daemon resources | value |',
      '|---|---|',
      `| RSS at start (4 readers, before the first card operation) | ${fmt(rssStart / 1024, 1)} MB |`,
      `| RSS after each load run and after 10,000 more requests (min / median / max of ${rssAll.length}) | ${spread(rssAll, 1)} MB |`,
      `| **daemon RSS** (target ≤ 80 MB; the median under load) | ${verdict(rssAll, 80, 'lower')}; at start: ${rssStart / 1024 <= 80 ? 'met' : 'missed'} |`,
      `| **idle CPU over 60 s** (2 vpcd readers with cards + 2 simulated, 1 subscribed client; target ≤ 0.5 %) | **${fmt(share * 100, 3)} % of a core** |`,
      '',
    );
  } finally {
    if (d) await stop(d.child);
    await Promise.all(cards.map((c) => stop(c)));
    await source.stop();
  }
  return lines;
}

const isMain = process.argv[1]?.endsWith('daemon.bench.js');
if (isMain) {
  process.stdout.write(`${(await benchDaemon()).join('\n')}\n`);
  process.exit(0);
}

interface LoadRun {
  perSecond: number;
  p50: number;
  p99: number;
  vpcdP50: number;
  vpcdP99: number;
  simP99: number;
  listP99: number;
  failures: number;
  samples: { all: number[]; vpcd: number[] };
}

/** One run of the 50 × 100 load with `window` requests in flight per client (closed loop). */
export async function loadRun(d: Daemon, ids: string[], window: number): Promise<LoadRun> {
  const lat: number[] = [];
  const byKind: Record<'vpcd' | 'sim' | 'list', number[]> = { vpcd: [], sim: [], list: [] };
  let failures = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: 50 }, async (_, client) => {
      const c = await Rpc.open(d);
      for (let i = 0; i < 100; i += window) {
        await Promise.all(
          Array.from({ length: Math.min(window, 100 - i) }, async (_, k) => {
            const n = i + k;
            const reader = ids[(client + n) % 4]!;
            const kind = n % 10;
            const [method, params] = kind < 3 ? ['readers.list', {}] : kind < 8 ? ['card.read', { reader }] : ['card.status', { reader }];
            const s = performance.now();
            const r = await c.call(method as string, params);
            const ms = performance.now() - s;
            lat.push(ms);
            byKind[method === 'readers.list' ? 'list' : reader.startsWith('pcsc:') ? 'vpcd' : 'sim'].push(ms);
            if (r.error) failures++;
          }),
        );
      }
      c.close();
    }),
  );
  const secs = (performance.now() - t0) / 1000;
  return {
    perSecond: lat.length / secs,
    p50: percentile(lat, 50),
    p99: percentile(lat, 99),
    vpcdP50: percentile(byKind.vpcd, 50),
    vpcdP99: percentile(byKind.vpcd, 99),
    simP99: percentile(byKind.sim, 99),
    listP99: percentile(byKind.list, 99),
    failures,
    samples: { all: lat, vpcd: byKind.vpcd },
  };
}
