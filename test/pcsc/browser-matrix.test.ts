import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimulatedCard } from '../../simulators/create-card.js';
import { VpcdClient } from '../../simulators/vpcd-client.js';
import { ensureChromium } from '../support/chromium.js';
import { ROOT } from '../support/cli.js';
import { ensureNamespaces } from '../support/namespaces.js';
import { ensurePcscd } from '../support/pcscd.js';

const pcsc = await ensurePcscd();
const browser = ensureChromium();
const ns = await ensureNamespaces();
const available = pcsc.available && browser.available && ns.available;

/** Screenshots of the demo page: kept after the run (CI uploads the directory). */
export const ARTIFACTS = join(ROOT, 'test-artifacts', 'browser-matrix');
const CARD_NUMBER = 'A12345674';
const NAME = '王小明';

type Host = 'loopback' | 'private' | 'public';
type Scheme = 'http' | 'https';
/** The three settings of docs/browsers.md, plus `denied` (https pages only: the user blocked local-network access). */
type Mode = 'none' | 'granted' | 'policy' | 'denied';
interface Attempt {
  ok: boolean;
  transport?: 'direct' | 'bridge';
  role?: string;
  cardNumber?: string | null;
  name?: string | null;
  readError?: string | null;
  code?: string;
  hint?: string | null;
}
interface Cell {
  mode: Mode;
  host: Host;
  scheme: Scheme;
  origin: string;
  permission: string;
  secure: boolean;
  direct: Attempt;
  directWss: Attempt | null;
  auto: Attempt;
  raid?: { bridgeWindow: { seen: string[]; timeout?: boolean; popup?: string }; socket: { opened?: string; closed?: number; msgs: string[] }; bridgeSocket: { opened?: string; closed?: number; msgs: string[] }; health: string };
}
interface Results {
  cells: Cell[];
  foreign: Cell[];
  demo: Record<
    string,
    {
      url: string;
      state: { state: string; transport: string | null; error: { code: string } | null; card: { cardNumber: string; name: string } | null; status: string | null; pin: { triesLeft: number } | null };
      visibleError: string | null;
      banner: string | null;
      acted?: { result: string; tries: string; pinField: string };
    }
  >;
  grants: Record<string, string>;
  noDaemon: Record<'loopback' | 'public', Attempt>;
  nameConstraints: { rogue: string; control: string };
  policyVisible: boolean;
}

/**
 * What docs/browsers.md promises, per cell (measured with Debian's Chromium 156 before it was
 * written): the direct socket's outcome, and the transport reachDaemon() picks by itself.
 */
function expected(host: Host, scheme: Scheme, mode: Mode): { direct: 'direct' | string; auto: 'direct' | 'bridge' } {
  if (host !== 'public') return { direct: 'direct', auto: 'direct' }; // loopback and (today) intranet pages
  if (scheme === 'http') return { direct: 'BLOCKED_BY_BROWSER', auto: 'bridge' }; // no permission, no policy can help
  if (mode === 'none') return { direct: 'PERMISSION_REQUIRED', auto: 'bridge' };
  if (mode === 'denied') return { direct: 'PERMISSION_DENIED', auto: 'bridge' };
  return { direct: 'direct', auto: 'direct' };
}

function runMatrix(resultFile: string): Promise<void> {
  // One network namespace for daemon, page servers and browsers: its loopback carries 127.0.0.1
  // and the two page addresses, so the browser reaches the daemon as 127.0.0.1 and the pages as
  // intranet / public addresses. A private mount namespace keeps the policy file to itself.
  const script = [
    'set -e',
    'ip link set lo up',
    'ip addr add 10.23.0.1/32 dev lo',
    'ip addr add 203.0.113.7/32 dev lo',
    'exec node test/support/browser-matrix-runner.mjs "$0" "$1"',
  ].join('\n');
  return new Promise((resolve, reject) => {
    // A PID namespace too: when the runner ends (or is killed), the daemon and browsers die with it.
    const child = spawn('unshare', ['--net', '--mount', '--pid', '--fork', '--mount-proc', '--propagation', 'private', '--', 'bash', '-c', script, resultFile, ARTIFACTS], {
      cwd: ROOT,
      stdio: ['ignore', 'inherit', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (process.env.SSCARD_MATRIX_VERBOSE) process.stderr.write(d);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 240_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`browser matrix runner exited ${code}: ${stderr.slice(-3000)}`));
    });
  });
}

describe.skipIf(!available)(`browser reach matrix in real Chromium (${pcsc.reason}; ${browser.reason}; ${ns.reason})`, () => {
  const card = new VpcdClient(createSimulatedCard('demo'), { slot: 0 });
  let r: Results;
  let dir: string;

  beforeAll(async () => {
    await card.insert();
    dir = mkdtempSync(join(tmpdir(), 'sscard-matrix-result-'));
    rmSync(ARTIFACTS, { recursive: true, force: true });
    await runMatrix(join(dir, 'results.json'));
    r = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as Results;
  }, 300_000);

  afterAll(async () => {
    await card.remove();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('covers every cell: page on loopback / private / public × http / https × nothing / permission / policy', () => {
    expect(r.cells).toHaveLength(21); // 3 hosts x 2 schemes x 3 settings, + 3 https pages with the permission denied
    expect(r.foreign).toHaveLength(18);
    expect(r.policyVisible).toBe(true);
    // The automation can grant the permission to secure pages only (loopback counts as secure).
    expect(r.grants).toMatchObject({ 'http://127.0.0.1:8080': 'granted', 'https://127.0.0.1:8443': 'granted', 'https://10.23.0.1:8443': 'granted', 'https://203.0.113.7:8443': 'granted' });
    expect(r.grants['http://10.23.0.1:8080']).toMatch(/^refused/);
    expect(r.grants['http://203.0.113.7:8080']).toMatch(/^refused/);
  });

  it('each allow-listed page reads the card behind pcscd, directly or through the bridge window, as documented', () => {
    for (const c of r.cells) {
      const want = expected(c.host, c.scheme, c.mode);
      const where = `${c.mode} ${c.origin}`;
      if (want.direct === 'direct') {
        expect({ where, ...c.direct }).toMatchObject({ where, ok: true, transport: 'direct', role: 'reader', cardNumber: CARD_NUMBER, name: NAME });
      } else {
        expect({ where, ...c.direct }).toMatchObject({ where, ok: false, code: want.direct });
        expect(c.direct.hint).toBeTruthy();
      }
      expect({ where, ...c.auto }).toMatchObject({ where, ok: true, transport: want.auto, role: 'reader', cardNumber: CARD_NUMBER, name: NAME });
      // An https page's wss:// works wherever its ws:// does (the generated CA is trusted in the profile).
      if (c.scheme === 'https') expect({ where, ok: c.directWss?.ok }).toEqual({ where, ok: c.direct.ok });
    }
  });

  it('the permission state the SDK reports matches the browser: denied for non-secure pages and when denied, granted when granted or by policy', () => {
    for (const c of r.cells) {
      const where = `${c.mode} ${c.origin}`;
      const secure = c.host === 'loopback' || c.scheme === 'https';
      expect({ where, secure: c.secure }).toEqual({ where, secure });
      const granted = secure && (c.mode === 'granted' || c.mode === 'policy'); // the policy lists all six page origins
      const state = !secure || c.mode === 'denied' ? 'denied' : granted ? 'granted' : 'prompt';
      expect({ where, permission: c.permission }).toEqual({ where, permission: state });
    }
  });

  it('a foreign origin gets nothing in every cell: no socket, no bridge, no /health body; a loopback page is told DAEMON_NOT_RUNNING (the daemon answers it like a closed port), others ORIGIN_NOT_ALLOWED by the bridge window', () => {
    for (const c of r.foreign) {
      const where = `${c.mode} ${c.origin}`;
      // A loopback page gets no bridge window (LNA does not stop it), and /health answers a foreign
      // page like a closed port (docs/daemon.md "Health"), so it cannot tell that sscard runs.
      const code = c.host === 'loopback' ? 'DAEMON_NOT_RUNNING' : 'ORIGIN_NOT_ALLOWED';
      expect({ where, ...c.auto }).toMatchObject({ where, ok: false, code });
      expect({ where, ok: c.direct.ok }).toEqual({ where, ok: false });
      expect({ where, msgs: c.raid!.socket.msgs, bridge: c.raid!.bridgeSocket.msgs }).toEqual({ where, msgs: [], bridge: [] });
      expect({ where, closed: c.raid!.socket.closed, bridgeClosed: c.raid!.bridgeSocket.closed }).toEqual({ where, closed: 1006, bridgeClosed: 1006 });
      expect({ where, health: c.raid!.health }).toEqual({ where, health: 'blocked: TypeError' });
      // The bridge window opened by hand: frames before connect and garbage are ignored, connect is refused, nothing else comes back.
      expect({ where, ...c.raid!.bridgeWindow }).toEqual({ where, seen: ['ready', 'refused'] });
    }
  });

  it('Chromium enforces the local CA name constraints: a certificate it signs for 10.23.0.1 is refused', () => {
    expect(r.nameConstraints.control).toBe('loaded 200');
    expect(r.nameConstraints.rogue).toMatch(/net::ERR_CERT_[A-Z_]+/);
  });

  it('no daemon on the port: DAEMON_NOT_RUNNING, at once for a loopback page, through the bridge window for a public http page', () => {
    expect(r.noDaemon.loopback).toMatchObject({ ok: false, code: 'DAEMON_NOT_RUNNING', hint: expect.stringContaining('start the sscard daemon') });
    expect(r.noDaemon.public).toMatchObject({ ok: false, code: 'DAEMON_NOT_RUNNING', hint: expect.stringContaining('start the sscard daemon') });
  });

  it('the demo page reads the card when served by the daemon, over ws and over wss (CA trusted in the profile)', () => {
    for (const name of ['demo-daemon-http', 'demo-daemon-wss']) {
      const d = r.demo[name]!;
      expect({ name, ...d.state }).toMatchObject({ name, state: 'connected', transport: 'direct', card: { cardNumber: CARD_NUMBER, name: NAME }, pin: { triesLeft: 3 } });
      expect(existsSync(join(ARTIFACTS, `${name}.png`))).toBe(true);
    }
  });

  it('the demo page verifies the PIN with the tries left, and shows the lock banner for a locked card', () => {
    expect(r.demo['demo-pin-wrong']!.acted).toEqual({ result: '密码错误，剩余 2 次 · wrong PIN, 2 tries left', tries: '剩余次数 tries left: 2', pinField: '' });
    expect(r.demo['demo-pin-ok']!.acted).toEqual({ result: '密码正确 · PIN verified', tries: '剩余次数 tries left: 3', pinField: '' });
    expect(r.demo['demo-pin-ok']!.banner).toBeNull();
    const locked = r.demo['demo-locked']!;
    expect(locked.state.status).toBe('temporarily-locked');
    expect(locked.banner).toMatch(/^此卡已挂失或停用，请勿办理业务 · This card is temporarily-locked until /);
    expect(locked.acted?.result).toBe('此卡已挂失 · the card is locked');
  });

  it('the static demo page names each reach error on screen, and a click moves a public http page to the bridge window', () => {
    expect(r.demo['demo-public-http-blocked']!.state.error?.code).toBe('BLOCKED_BY_BROWSER');
    expect(r.demo['demo-public-http-blocked']!.visibleError).toContain('The browser blocks this page');
    expect(r.demo['demo-public-http-bridge']!.state).toMatchObject({ state: 'connected', transport: 'bridge', card: { cardNumber: CARD_NUMBER } });
    expect(r.demo['demo-public-https-permission']!.state.error?.code).toBe('PERMISSION_REQUIRED');
    expect(r.demo['demo-public-https-denied']!.state.error?.code).toBe('PERMISSION_DENIED');
    expect(r.demo['demo-public-https-denied']!.visibleError).toContain('Local-network access was refused for this site');
    // a foreign loopback page: the daemon answers it like a closed port (docs/daemon.md "Health")
    expect(r.demo['demo-foreign-origin']!.state.error?.code).toBe('DAEMON_NOT_RUNNING');
    expect(r.demo['demo-foreign-origin']!.state.card).toBeNull();
    expect(r.demo['demo-daemon-not-running']!.state.error?.code).toBe('DAEMON_NOT_RUNNING');
    for (const name of Object.keys(r.demo)) expect(existsSync(join(ARTIFACTS, `${name}.png`))).toBe(true);
  });
});
