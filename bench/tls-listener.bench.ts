import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { parseDaemonConfig } from '../src/daemon/daemon-config.js';
import { createDaemonLogger } from '../src/daemon/daemon-logger.js';
import { startDaemon, type RunningDaemon } from '../src/daemon/start-daemon.js';
import { ensureDaemonCertificate } from '../src/daemon/tls/cert-store.js';
import { fmt, rate } from './measure.js';

const REPEATS = 5;
const progress = (what: string) => process.stderr.write(`bench tls: ${what}\n`);

async function daemon(tls?: { certPem: string; keyPem: string }): Promise<{ d: RunningDaemon; token: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sscard-bench-tls-'));
  const d = await startDaemon({
    config: parseDaemonConfig({ port: 0, logLevel: 'silent', simulated: { enabled: true, profiles: ['demo'] }, limits: { requestsPerSecond: 10_000, burst: 100_000 } }),
    dataDir,
    pcsc: false,
    log: createDaemonLogger('silent'),
    env: { ...process.env, SSCARD_DATA_DIR: dataDir },
    ...(tls ? { tls } : {}),
  });
  return { d, token: readFileSync(d.tokens.readerFile, 'utf8').trim() };
}

function open(url: string, token: string, ca?: string): Promise<WebSocket> {
  const ws = new WebSocket(url, { headers: { Authorization: `Bearer ${token}` }, perMessageDeflate: false, ...(ca ? { ca } : {}) });
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

function call(ws: WebSocket, id: number, method: string): Promise<void> {
  return new Promise((resolve) => {
    ws.once('message', () => resolve());
    ws.send(JSON.stringify({ jsonrpc: '2.0', id, method, params: method === 'hello' ? { minApiLevel: 1, maxApiLevel: 1 } : {} }));
  });
}

async function connectHello(url: string, token: string, ca?: string): Promise<void> {
  const ws = await open(url, token, ca);
  await call(ws, 1, 'hello');
  await new Promise<void>((r) => {
    ws.once('close', () => r());
    ws.close();
  });
}

/**
 * `daemon --tls` on one port: what the first-byte dispatch costs plain ws:// clients, and what TLS
 * costs. Baselines in the same run: a daemon without --tls (connect + hello + close; readers.list
 * on an open connection). Ratios are medians of REPEATS runs, with the min-max spread.
 */
export async function benchTlsListener(): Promise<string[]> {
  const cert = await ensureDaemonCertificate({ dataDir: mkdtempSync(join(tmpdir(), 'sscard-bench-cert-')) });
  const plain = await daemon();
  const tls = await daemon(cert);
  const rows: Record<string, number[]> = { wsOnTlsPort: [], wss: [], wssRequest: [], wsOnTlsPortRequest: [] };
  let baseConnect = 0;
  let baseRequest = 0;
  try {
    for (let i = 0; i < REPEATS; i++) {
      progress(`round ${i + 1}/${REPEATS}`);
      const base = await rate(() => connectHello(`ws://127.0.0.1:${plain.d.port}/`, plain.token), 700);
      const sniffed = await rate(() => connectHello(`ws://127.0.0.1:${tls.d.port}/`, tls.token), 700);
      const secure = await rate(() => connectHello(`wss://127.0.0.1:${tls.d.port}/`, tls.token, cert.caPem), 700);
      rows.wsOnTlsPort!.push(base.perSecond / sniffed.perSecond);
      rows.wss!.push(base.perSecond / secure.perSecond);
      baseConnect = base.perSecond;
      const a = await open(`ws://127.0.0.1:${plain.d.port}/`, plain.token);
      const b = await open(`ws://127.0.0.1:${tls.d.port}/`, tls.token);
      const c = await open(`wss://127.0.0.1:${tls.d.port}/`, tls.token, cert.caPem);
      let n = 10;
      for (const ws of [a, b, c]) await call(ws, n++, 'hello');
      const r0 = await rate(() => call(a, n++, 'readers.list'), 700);
      const r1 = await rate(() => call(b, n++, 'readers.list'), 700);
      const r2 = await rate(() => call(c, n++, 'readers.list'), 700);
      rows.wsOnTlsPortRequest!.push(r0.perSecond / r1.perSecond);
      rows.wssRequest!.push(r0.perSecond / r2.perSecond);
      baseRequest = r0.perSecond;
      for (const ws of [a, b, c]) ws.close();
    }
  } finally {
    await plain.d.stop();
    await tls.d.stop();
  }
  const show = (label: string, v: number[]) => {
    const s = [...v].sort((x, y) => x - y);
    return `| ${label} | ${fmt(s[Math.floor(s.length / 2)]!)}x | ${fmt(s[0]!)}-${fmt(s.at(-1)!)} |`;
  };
  return [
    '## daemon --tls (one port, first-byte dispatch)',
    '',
    `baselines (daemon without --tls, last round): connect+hello+close ${fmt(baseConnect, 0)}/s; readers.list on an open socket ${fmt(baseRequest, 0)}/s`,
    '',
    `| time per operation vs the baseline (${REPEATS} rounds) | median | spread |`,
    '|---|---|---|',
    show('connect+hello+close, ws:// on the --tls port', rows.wsOnTlsPort!),
    show('connect+hello+close, wss://', rows.wss!),
    show('readers.list, ws:// on the --tls port', rows.wsOnTlsPortRequest!),
    show('readers.list, wss://', rows.wssRequest!),
  ];
}
