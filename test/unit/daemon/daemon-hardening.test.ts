import { connect, type Socket } from 'node:net';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createSimulatedCard } from '../../../simulators/create-card.js';
import type { CardTransport } from '../../../src/transport/card-transport.js';
import { InProcessReaderSource } from '../../../src/transport/in-process/in-process-reader-source.js';
import { CLI } from '../../support/cli.js';
import { RpcSocket, startTestDaemon, upgradeStatus, type TestDaemon } from '../../support/daemon.js';

const PAGE = 'http://127.0.0.1:8111';
const OTHER_PAGE = 'http://127.0.0.1:8113';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A simulated reader whose card takes a few ms to connect, like a real one: operations queue. */
class SlowReaderSource extends InProcessReaderSource {
  override async connect(readerName: string): Promise<CardTransport> {
    await sleep(3);
    return super.connect(readerName);
  }
}
const slowReader = () => new SlowReaderSource([{ profileId: 'demo', card: createSimulatedCard('demo') }]);

/** Opens `n` TCP connections that never send a byte (the attacker of docs/daemon.md, "Limits"). */
async function silentSockets(port: number, n: number): Promise<{ sockets: Socket[]; closed: () => number }> {
  let closed = 0;
  const sockets: Socket[] = [];
  for (let i = 0; i < n; i += 100) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(100, n - i) }, () => {
        const s = connect({ host: '127.0.0.1', port });
        s.on('error', () => undefined);
        s.on('close', () => closed++);
        return new Promise<Socket>((resolve) => {
          s.once('connect', () => resolve(s));
          s.once('close', () => resolve(s));
        });
      }),
    );
    sockets.push(...batch);
  }
  return { sockets, closed: () => closed };
}

function refusalLines(d: TestDaemon, reason: string): string[] {
  return d.logs.lines.filter((l) => l.includes('"refused by a limit"') && l.includes(`"reason":"${reason}"`));
}

/**
 * The daemon attacked as a hostile local program or an allow-listed page gone wrong would, with
 * the numbers of the report that found each weakness. Real sockets throughout.
 */
describe('daemon hardening: connection and queue limits (real sockets)', () => {
  const daemons: TestDaemon[] = [];
  const open: RpcSocket[] = [];
  afterEach(() => {
    for (const s of open.splice(0)) s.ws.terminate();
  });
  afterAll(async () => {
    for (const d of daemons) await d.stop(100);
  });
  const start = async (config: Record<string, unknown>) => {
    const d = await startTestDaemon({ allowedOrigins: [PAGE, OTHER_PAGE], ...config }, { pcsc: false, extraSources: [slowReader()] });
    daemons.push(d);
    return d;
  };

  it('1,100 silent sockets against a daemon limited to 1,024 open files: a real client still gets in, the silent ones are closed within seconds, and it is logged', async () => {
    // `sscard daemon` as a child whose open-file limit is lowered to 1,024 (prlimit), as in the report.
    const dataDir = mkdtempSync(join(tmpdir(), 'sscard-fd-'));
    const configFile = join(dataDir, 'daemon.json');
    writeFileSync(configFile, JSON.stringify({ port: 0, logLevel: 'info', limits: { handshakeTimeoutMs: 2000 } }));
    const child = spawn('prlimit', ['--nofile=1024:1024', '--', process.execPath, CLI, 'daemon', '--config', configFile], {
      env: { ...process.env, SSCARD_DATA_DIR: dataDir, SSCARD_NO_PCSC: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (err += c));
    try {
      const deadline = Date.now() + 20_000;
      while (!/127\.0\.0\.1:(\d+)/.test(out) && Date.now() < deadline) await sleep(50);
      const port = Number(/127\.0\.0\.1:(\d+)/.exec(out)?.[1]);
      expect(port, `daemon did not start: ${out} ${err}`).toBeGreaterThan(0);
      const token = (await import('node:fs')).readFileSync(join(dataDir, 'daemon-token'), 'utf8').trim();

      const attack = await silentSockets(port, 1100);
      // While the attacker holds its sockets, a real local program connects and is served.
      const s = await RpcSocket.ready(port, { token });
      expect((await s.ok('readers.list')).readers).toEqual([]);
      s.close();
      // Every silent socket is closed by the daemon within seconds (handshakeTimeoutMs 2 s here).
      const until = Date.now() + 15_000;
      while (attack.closed() < 1100 && Date.now() < until) await sleep(100);
      expect(attack.closed()).toBe(1100);
      expect(err).toMatch(/"reason":"(TOO_MANY_PENDING_SOCKETS|HANDSHAKE_TIMEOUT)".*"refused by a limit"/);
      // Rate-limited: far fewer log lines than refusals.
      expect(err.split('\n').filter((l) => l.includes('refused by a limit')).length).toBeLessThan(20);
    } finally {
      child.kill('SIGINT');
      await new Promise((r) => child.once('exit', r));
    }
  }, 60_000);

  it('one origin opening 256 connections gets its per-origin share (32); other origins and local programs still connect; refusals are logged once', async () => {
    const d = await start({});
    const statuses: number[] = [];
    for (let i = 0; i < 256; i++) {
      try {
        open.push(await RpcSocket.open(d.port, { origin: PAGE }));
        statuses.push(101);
      } catch (e) {
        statuses.push((e as { status: number }).status);
      }
    }
    expect(statuses.filter((s) => s === 101)).toHaveLength(32);
    expect(statuses.filter((s) => s === 503)).toHaveLength(224);
    expect(await upgradeStatus(d.port, { origin: OTHER_PAGE })).toBe(101);
    const local = await RpcSocket.ready(d.port, { token: d.readerToken });
    expect(await local.ok('readers.list')).toBeTruthy();
    local.close();
    expect(refusalLines(d, 'TOO_MANY_CONNECTIONS_FROM_ORIGIN')).toHaveLength(1);
    // A slot freed is a slot usable again.
    open.pop()!.close();
    await sleep(100);
    expect(await upgradeStatus(d.port, { origin: PAGE })).toBe(101);
  });

  it('per-peer cap: connections from one address beyond maxConnectionsPerPeer are refused (503)', async () => {
    const d = await start({ limits: { maxConnectionsPerPeer: 5, maxConnectionsPerOrigin: 100 } });
    for (let i = 0; i < 5; i++) open.push(await RpcSocket.open(d.port, { origin: i % 2 ? PAGE : OTHER_PAGE }));
    expect(await upgradeStatus(d.port, { token: d.readerToken })).toBe(503);
    expect(refusalLines(d, 'TOO_MANY_CONNECTIONS_FROM_PEER')).toHaveLength(1);
  });

  it('an admitted connection that stays silent is closed after the idle timeout; one that does not answer pings is cut off; a subscribed one that answers stays', async () => {
    const d = await start({ limits: { idleTimeoutMs: 400, pingIntervalMs: 150 } });
    const idle = await RpcSocket.ready(d.port, { origin: PAGE });
    const listener = await RpcSocket.ready(d.port, { origin: PAGE });
    await listener.ok('events.subscribe');
    // A client that never answers pings, subscribed so that it is never "idle".
    const deaf = new WebSocket(`ws://127.0.0.1:${d.port}/`, { origin: PAGE, autoPong: false } as ConstructorParameters<typeof WebSocket>[2]);
    await new Promise((r) => deaf.once('open', r));
    deaf.send(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'hello', params: { minApiLevel: 1, maxApiLevel: 1 } }));
    deaf.send(JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'events.subscribe', params: {} }));
    const deafClosed = new Promise<number>((r) => deaf.once('close', (code) => r(code)));
    expect(await Promise.race([idle.closed, sleep(3000).then(() => -1)])).toBe(1000);
    expect(await Promise.race([deafClosed, sleep(3000).then(() => -1)])).toBe(1006);
    await sleep(300);
    expect(listener.isOpen).toBe(true);
    expect(await listener.ok('readers.list')).toBeTruthy();
    listener.close();
    expect(refusalLines(d, 'IDLE_TIMEOUT').length).toBeGreaterThanOrEqual(1);
    expect(refusalLines(d, 'NO_PONG').length).toBeGreaterThanOrEqual(1);
  });

  it('one origin with 32 connections x 32 card.read each (1,024 at once) gets at most 64 in flight; the rest are RATE_LIMITED at once', async () => {
    const d = await start({});
    const sockets = await Promise.all(Array.from({ length: 32 }, () => RpcSocket.ready(d.port, { origin: PAGE })));
    open.push(...sockets);
    const replies = await Promise.all(sockets.flatMap((s) => Array.from({ length: 32 }, () => s.call('card.read', {}, 60_000))));
    const ok = replies.filter((r) => r.result).length;
    const limited = replies.filter((r) => r.error?.data.code === 'RATE_LIMITED').length;
    expect(ok + limited).toBe(1024);
    expect(ok).toBeLessThanOrEqual(64 + 32); // at most 64 in flight at any moment; some finish while others arrive
    expect(limited).toBeGreaterThanOrEqual(1024 - 96);
    expect(refusalLines(d, 'TOO_MANY_PENDING_FOR_ORIGIN')).toHaveLength(1);
  }, 60_000);

  // pin.status, not card.read: identical queued card.reads share one run (coalescing, card-service.test.ts).
  it('fair service on a reader: one connection queues 30 operations, another asks once and is served after at most one of the first one\'s', async () => {
    const d = await start({});
    const greedy = await RpcSocket.ready(d.port, { token: d.readerToken });
    const polite = await RpcSocket.ready(d.port, { origin: PAGE });
    open.push(greedy, polite);
    const order: string[] = [];
    // 30 requests in flight on one connection listen on its signal at once: by design, no warning
    const warnings: string[] = [];
    const onWarning = (w: Error): void => void warnings.push(w.name);
    process.on('warning', onWarning);
    const burst = Array.from({ length: 30 }, (_, i) => greedy.call('pin.status', {}, 60_000).then(() => order.push(`g${i}`)));
    // the burst is queued first (the daemon's own count, not a guess of how long that takes)
    const readerId = d.registry.readers()[0]!.reader.id;
    for (let i = 0; i < 500 && d.service.pending(readerId) < 20; i++) await sleep(2);
    const doneBefore = order.length;
    expect(30 - doneBefore).toBeGreaterThanOrEqual(10);
    const one = polite.call('pin.status', {}, 60_000).then(() => order.push('p'));
    await Promise.all([...burst, one]);
    // FIFO serves it after every read still queued (none after it); round-robin after the running
    // one and one more (plus the few that finish while its request is on the way)
    expect(order.indexOf('p') - doneBefore).toBeLessThanOrEqual(4);
    expect(order.length - 1 - order.indexOf('p')).toBeGreaterThanOrEqual(5);
    await sleep(50); // process warnings are emitted on a later tick
    process.off('warning', onWarning);
    expect(warnings).not.toContain('MaxListenersExceededWarning');
  }, 60_000);
});
