// The real-browser matrix of docs/browsers.md, run INSIDE the network + mount namespace that
// test/pcsc/browser-matrix.test.ts makes: loopback carries 127.0.0.1 plus a private (10.23.0.1) and
// a public-range test address (203.0.113.7). The daemon (built CLI, --tls --demo) listens on
// 127.0.0.1:47815 and reads the card through pcscd (its socket is a file, shared with the test,
// which plays the card into vpcd). Page servers listen on the three addresses; Debian's Chromium
// runs twice: without policy (contexts "none" and "granted") and with the
// LocalNetworkAccessAllowedForUrls policy file, written in a private mount namespace of that one
// browser process. Writes results JSON and screenshots; the test asserts.
// Plain JavaScript: the test runs it with node, outside vitest's TypeScript transform.
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as httpServer } from 'node:http';
import { createServer as httpsServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join, normalize, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { cellPage } from './browser-matrix-page.mjs';

const [, , resultFile, artifactDir] = process.argv;
const ROOT = resolve(new URL('../..', import.meta.url).pathname);
const { createCertificateAuthority, issueServerCertificate } = await import(join(ROOT, 'dist/src/daemon/tls/local-ca.js'));

export const HOSTS = { loopback: '127.0.0.1', private: '10.23.0.1', public: '203.0.113.7' };
const PORTS = { http: 8080, https: 8443 };
const FOREIGN_PORTS = { http: 8081, https: 8444 };
const DAEMON_PORT = 47815;
const READER = 'Virtual PCD 00 00';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const origin = (host, scheme, foreign = false) => `${scheme}://${HOSTS[host]}:${(foreign ? FOREIGN_PORTS : PORTS)[scheme]}`;
const goodOrigins = Object.keys(HOSTS).flatMap((h) => ['http', 'https'].map((s) => origin(h, s)));

const work = mkdtempSync(join(tmpdir(), 'sscard-matrix-'));
const T0 = Date.now();
const log = (...a) => process.stderr.write(`[matrix +${Date.now() - T0} ms] ${a.join(' ')}\n`);
mkdirSync(artifactDir, { recursive: true });

// ---- the daemon (sscard daemon --tls --demo), allow-listing the six good page origins ----
const dataDir = join(work, 'data');
mkdirSync(dataDir, { mode: 0o700 });
writeFileSync(join(dataDir, 'daemon.json'), JSON.stringify({ port: DAEMON_PORT, logLevel: 'warn', allowedOrigins: goodOrigins }));
const daemon = spawn(process.execPath, [join(ROOT, 'dist/src/cli/main.js'), 'daemon', '--tls', '--demo', '--config', join(dataDir, 'daemon.json')], {
  env: { ...process.env, SSCARD_DATA_DIR: dataDir, SSCARD_SITE: '110100-test-counter', SSCARD_OPERATOR: 'test.operator' },
  stdio: ['ignore', 'pipe', 'pipe'],
});
process.on('exit', () => {
  daemon.kill('SIGKILL');
  rmSync(work, { recursive: true, force: true });
});
let daemonOut = '';
daemon.stdout.on('data', (d) => (daemonOut += d));
daemon.stderr.on('data', (d) => (daemonOut += d));
await waitFor(() => /demo HIS page/.test(daemonOut), 20_000, () => `daemon did not start: ${daemonOut}`);
log('daemon up');

// ---- certificates: the daemon's CA (made by --tls) and a test CA for the page servers ----
const now = new Date();
const pageCa = await createCertificateAuthority({ commonName: 'sscard matrix page CA', now, days: 2, constrainToLoopback: false });
const pageCert = await issueServerCertificate(pageCa, { ips: Object.values(HOSTS), dnsNames: [], now, days: 2 });
const home = join(work, 'home');
const nss = `sql:${join(home, '.pki', 'nssdb')}`;
mkdirSync(join(home, '.pki', 'nssdb'), { recursive: true });
writeFileSync(join(work, 'page-ca.pem'), pageCa.certPem);
execFileSync('certutil', ['-N', '-d', nss, '--empty-password']);
execFileSync('certutil', ['-A', '-d', nss, '-n', 'sscard local CA', '-t', 'C,,', '-i', join(dataDir, 'tls', 'ca.pem')]);
execFileSync('certutil', ['-A', '-d', nss, '-n', 'matrix page CA', '-t', 'C,,', '-i', join(work, 'page-ca.pem')]);

// ---- page servers: /cell.html (the SDK harness), /demo/ (static example), /sdk/ ----
const CELL_PAGE = cellPage({ daemonPort: DAEMON_PORT, reader: READER, allowedOrigin: origin('loopback', 'http') });

function pageHandler(req, res) {
  const path = (req.url ?? '/').split('?')[0];
  if (path === '/cell.html') return void res.writeHead(200, { 'Content-Type': 'text/html' }).end(CELL_PAGE);
  let file;
  if (path.startsWith('/demo/')) file = join(ROOT, 'web', 'demo', normalize(path.slice(6) || 'index.html'));
  else if (path.startsWith('/sdk/')) file = join(ROOT, 'dist', 'src', normalize(path.slice(5)));
  if (!file || file.includes('..')) return void res.writeHead(404).end();
  try {
    const body = readFileSync(file.endsWith('/') ? join(file, 'index.html') : file);
    const type = file.endsWith('.js') ? 'text/javascript' : file.endsWith('.css') ? 'text/css' : 'text/html';
    res.writeHead(200, { 'Content-Type': `${type}; charset=utf-8` }).end(body);
  } catch {
    res.writeHead(404).end();
  }
}
const servers = [];
// A certificate the sscard CA key signs for a name outside its Name Constraints (10.23.0.1): Chromium must refuse it.
const rogue = await issueServerCertificate(
  { certPem: readFileSync(join(dataDir, 'tls', 'ca.pem'), 'utf8'), keyPem: readFileSync(join(dataDir, 'tls', 'ca-key.pem'), 'utf8') },
  { ips: [HOSTS.private], dnsNames: [], now, days: 2 },
);
servers.push(httpsServer({ cert: rogue.certPem, key: rogue.keyPem }, (_q, res) => res.writeHead(200).end('rogue')).listen(8446, HOSTS.private));
for (const host of Object.values(HOSTS)) {
  for (const foreign of [false, true]) {
    const ports = foreign ? FOREIGN_PORTS : PORTS;
    servers.push(httpServer(pageHandler).listen(ports.http, host));
    servers.push(httpsServer({ cert: pageCert.certPem, key: pageCert.keyPem }, pageHandler).listen(ports.https, host));
  }
}

// ---- browsers: one without policy, one with the LNA policy in its own mount namespace ----
const policyDir = join(work, 'etc-chromium');
if (!existsSync('/etc/chromium')) throw new Error('/etc/chromium is missing (Debian package chromium): the policy file is mounted over it');
cpSync('/etc/chromium', policyDir, { recursive: true });
mkdirSync(join(policyDir, 'policies', 'managed'), { recursive: true });
writeFileSync(join(policyDir, 'policies', 'managed', 'sscard-lna.json'), JSON.stringify({ LocalNetworkAccessAllowedForUrls: goodOrigins }));
const wrapper = join(work, 'chromium-with-policy.sh');
writeFileSync(
  wrapper,
  `#!/bin/sh\n# The policy file exists only inside this browser's own mount namespace.\nexec unshare --mount --propagation private -- sh -c 'mount --bind "$0" /etc/chromium && exec /usr/bin/chromium "$@"' ${JSON.stringify(policyDir)} "$@"\n`,
);
chmodSync(wrapper, 0o755);
const launch = (executablePath) => chromium.launch({ executablePath, args: CHROMIUM_ARGS, headless: true, env: { ...process.env, HOME: home } });

log('certificates and page servers ready');
const results = { cells: [], foreign: [], demo: {}, grants: {} };
const plain = await launch('/usr/bin/chromium');
const withPolicy = await launch(wrapper);
try {
  const modes = {
    none: await plain.newContext(),
    granted: await plain.newContext(),
    policy: await withPolicy.newContext(),
    // Beyond the three settings: the user said "block" for https pages (set through CDP, as the
    // site-settings page would), so the SDK's PERMISSION_DENIED is seen in a real browser too.
    denied: await plain.newContext(),
  };
  await denyLocalNetwork(modes.denied, goodOrigins.filter((o) => o.startsWith('https:')));
  for (const o of goodOrigins) {
    try {
      await modes.granted.grantPermissions(['local-network-access'], { origin: o });
      results.grants[o] = 'granted';
    } catch (e) {
      results.grants[o] = `refused: ${String(e.message).split('\n')[0]}`;
    }
  }
  for (const [mode, context] of Object.entries(modes)) {
    const policyShown = mode === 'policy' ? await policyVisible(context) : null;
    if (policyShown !== null) results.policyVisible = policyShown;
    const page = await context.newPage(); // one page per setting, navigated from cell to cell
    for (const host of Object.keys(HOSTS)) {
      for (const scheme of mode === 'denied' ? ['https'] : ['http', 'https']) {
        for (const foreign of mode === 'denied' ? [false] : [false, true]) {
          const o = origin(host, scheme, foreign);
          await page.goto(`${o}/cell.html`);
          await page.waitForFunction(() => window.ready === true, undefined, { timeout: 10_000 });
          const started = Date.now();
          const r = await page.evaluate((wss) => window.cell(wss), scheme === 'https');
          const entry = { mode, host, scheme, origin: o, ms: Date.now() - started, ...r };
          if (foreign) entry.raid = await page.evaluate(() => window.raid());
          (foreign ? results.foreign : results.cells).push(entry);
          log(mode, o, foreign ? 'FOREIGN' : '', `${Date.now() - started} ms`, JSON.stringify({ direct: r.direct.ok ? r.direct.transport : r.direct.code, auto: r.auto.ok ? r.auto.transport : r.auto.code }));
        }
      }
    }
    await page.close();
  }

  // ---- the CA's Name Constraints in the browser: the rogue certificate is refused, the page CA's is not ----
  {
    const load = async (url) => {
      const page = await modes.none.newPage();
      const outcome = await page.goto(url).then((r) => `loaded ${r.status()}`, (e) => String(e.message).split('\n')[0]);
      await page.close();
      return outcome;
    };
    const control = await load(`${origin('private', 'https')}/cell.html`);
    results.nameConstraints = { control, rogue: await load(`https://${HOSTS.private}:8446/`) };
  }

  // ---- no daemon on the port: named at once on loopback, after the bridge window's wait on a public page ----
  for (const host of ['loopback', 'public']) {
    const page = await modes.none.newPage();
    await page.goto(`${origin(host, 'http')}/cell.html`);
    await page.waitForFunction(() => window.ready === true, undefined, { timeout: 10_000 });
    results.noDaemon = results.noDaemon ?? {};
    results.noDaemon[host] = await page.evaluate(() => window.attempt({ url: 'ws://127.0.0.1:47999/', bridgeTimeoutMs: 2000 }));
    await page.close();
  }

  // ---- the demo page: served by the daemon (ws and wss), and as a static example elsewhere ----
  log('cells done');
  const shots = await plain.newContext({ viewport: { width: 1100, height: 760 } });
  const page = await shots.newPage(); // one page, navigated from state to state
  const demo = async (name, url, until, act) => {
    await page.goto(url);
    await page.waitForFunction(until, undefined, { timeout: 15_000 }).catch(() => undefined);
    const acted = act ? await act(page) : undefined;
    const state = await page.evaluate(() => window.sscardDemo);
    const visibleError = await page.evaluate(() => (document.getElementById('conn-error').hidden ? null : document.getElementById('err-title').textContent));
    await page.screenshot({ path: join(artifactDir, `${name}.png`), fullPage: true });
    const banner = await page.evaluate(() => (document.getElementById('lock-banner').hidden ? null : document.getElementById('lock-banner').textContent));
    results.demo[name] = { url, state, visibleError, banner, acted };
    log('demo', name);
  };
  const hasCard = () => window.sscardDemo?.card != null && window.sscardDemo?.pin != null;
  const hasError = () => window.sscardDemo?.state === 'error';
  await demo('demo-daemon-http', `http://127.0.0.1:${DAEMON_PORT}/demo/`, hasCard);
  await demo('demo-daemon-wss', `https://127.0.0.1:${DAEMON_PORT}/demo/`, hasCard);
  await demo('demo-public-http-blocked', `${origin('public', 'http')}/demo/?daemon=ws://127.0.0.1:${DAEMON_PORT}/`, hasError);
  await demo('demo-public-http-bridge', `${origin('public', 'http')}/demo/?daemon=ws://127.0.0.1:${DAEMON_PORT}/`, hasError, async (page) => {
    await page.click('#connect'); // a user gesture: the bridge window may open
    await page.waitForFunction(hasCard, undefined, { timeout: 15_000 }).catch(() => undefined);
  });
  const verify = async (page, pin) => {
    await page.fill('#pin', pin);
    await page.evaluate(() => (document.getElementById('pin-result').textContent = ''));
    await page.click('#pin-form button[type=submit]');
    // the form is busy until the answer and the refreshed tries-left line are on screen
    await page.waitForFunction(() => document.getElementById('pin-result').textContent !== '' && !document.getElementById('pin-form').dataset.busy, undefined, { timeout: 10_000 });
    return {
      result: await page.textContent('#pin-result'),
      tries: await page.textContent('#tries'),
      pinField: await page.inputValue('#pin'),
    };
  };
  await demo('demo-pin-wrong', `http://127.0.0.1:${DAEMON_PORT}/demo/`, hasCard, (page) => verify(page, '654321'));
  await demo('demo-pin-ok', `http://127.0.0.1:${DAEMON_PORT}/demo/`, hasCard, (page) => verify(page, '123456'));
  // A temporary loss lock recorded at the counter (CLI, same data directory): the page shows the banner.
  execFileSync(process.execPath, [join(ROOT, 'dist/src/cli/main.js'), 'lock', '--temporary', '--card', '110100D156000005123456789ABCDEF0', '--card-number', 'A12345674'], {
    env: { ...process.env, SSCARD_DATA_DIR: dataDir, SSCARD_SITE: '110100-test-counter', SSCARD_OPERATOR: 'test.operator' },
  });
  await demo('demo-locked', `http://127.0.0.1:${DAEMON_PORT}/demo/`, hasCard, (page) => verify(page, '123456'));
  await demo('demo-public-https-permission', `${origin('public', 'https')}/demo/?daemon=ws://127.0.0.1:${DAEMON_PORT}/`, hasError);
  await denyLocalNetwork(shots, [origin('public', 'https')]);
  await demo('demo-public-https-denied', `${origin('public', 'https')}/demo/?daemon=ws://127.0.0.1:${DAEMON_PORT}/`, hasError);
  await demo('demo-foreign-origin', `${origin('loopback', 'http', true)}/demo/?daemon=ws://127.0.0.1:${DAEMON_PORT}/`, hasError);
  await demo('demo-daemon-not-running', `${origin('loopback', 'http')}/demo/?daemon=ws://127.0.0.1:47999/`, hasError);
} finally {
  await plain.close();
  await withPolicy.close();
  for (const s of servers) s.close();
  daemon.kill('SIGTERM');
}
writeFileSync(resultFile, JSON.stringify(results, null, 1));
log('done');
process.exit(0);

/** Sets the local-network permission to "denied" for these origins in this context (CDP Browser.setPermission); the page and session stay open. */
async function denyLocalNetwork(context, origins) {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  const { targetInfo } = await cdp.send('Target.getTargetInfo');
  for (const o of origins) {
    for (const name of ['local-network-access', 'loopback-network', 'local-network']) {
      await cdp.send('Browser.setPermission', { permission: { name }, setting: 'denied', origin: o, browserContextId: targetInfo.browserContextId });
    }
  }
  // The override lives as long as the DevTools session that set it: keep both open.
  return { page, cdp };
}

/** chrome://policy in the policy browser lists the policy (proof the file was read, not ignored). */
async function policyVisible(context) {
  const page = await context.newPage();
  try {
    await page.goto('chrome://policy');
    await page.getByText('LocalNetworkAccessAllowedForUrls').first().waitFor({ timeout: 5000 });
    return true;
  } catch {
    return false;
  } finally {
    await page.close();
  }
}

function waitFor(cond, ms, why) {
  return new Promise((done, fail) => {
    const t0 = Date.now();
    const tick = () => (cond() ? done() : Date.now() - t0 > ms ? fail(new Error(why())) : setTimeout(tick, 100));
    tick();
  });
}
