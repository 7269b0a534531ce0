import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../support/pcscd.js';

function sh(args: string[], timeoutMs: number, env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('bash', args, { cwd: ROOT, timeout: timeoutMs, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024, env: { ...process.env, ...env } }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

const root = process.getuid?.() === 0;
const tools = ['dpkg-deb', 'unshare', 'systemd-analyze', 'setpriv'].every((t) => ['/usr/bin', '/usr/sbin', '/bin', '/sbin'].some((d) => existsSync(join(d, t))));
const available = root && tools;
const reason = !root ? 'needs root (dpkg -i, namespaces)' : !tools ? 'dpkg-deb, unshare, systemd-analyze or setpriv missing (scripts/setup.sh installs them)' : 'root, dpkg-deb, unshare, systemd-analyze';
if (process.env.CI === 'true' && !available) throw new Error(`the Debian package test cannot run in CI: ${reason}`);

/**
 * The Debian package, built by scripts/build-deb.sh, through its whole life in a throw-away copy of
 * this machine (scripts/os-sandbox.sh: overlay root + private namespaces, no systemd as PID 1):
 * test/deb/package-flow.sh does the steps and checks; here: two builds, the run, and that this
 * machine itself was never changed.
 */
describe.skipIf(!available)(`Debian package: build, dpkg -i, unit command line, /health, doctor, upgrade, remove, purge (${reason})`, () => {
  const out = mkdtempSync(join(tmpdir(), 'sscard-deb-test-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('installs without questions, serves /health, doctor is green with a simulated card, upgrades keeping config/tokens/registry, purges clean', async () => {
    const hostBefore = await sh(['-c', "dpkg-query -W -f='${Status}' sscard 2>/dev/null || echo absent"], 10_000);
    expect(existsSync('/etc/sscard')).toBe(false);

    // Two builds of the same tree with rising versions: the upgrade path. No compression: speed.
    const debs: string[] = [];
    for (const version of ['0.1.0-1', '0.1.0-2']) {
      const b = await sh(['scripts/build-deb.sh', '--version', version, '--out', out, '--compress', 'none'], 180_000, { SSCARD_SKIP_BUILD: '1' });
      expect(b.code, b.stderr).toBe(0);
      debs.push(b.stdout.trim().split('\n').at(-1)!);
    }
    expect(debs).toEqual([join(out, 'sscard_0.1.0-1_amd64.deb'), join(out, 'sscard_0.1.0-2_amd64.deb')]);

    const run = await sh(['scripts/os-sandbox.sh', 'bash', 'test/deb/package-flow.sh', ...debs], 300_000);
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
    const oks = run.stdout.split('\n').filter((l) => l.startsWith('ok: '));
    expect(oks).toEqual([
      'ok: dpkg -i installed without questions',
      'ok: pre-seeded /etc/sscard/daemon.json and /etc/default/sscard kept as placed',
      expect.stringMatching(/^ok: \/usr\/bin\/sscard runs with the bundled Node \(v2\d\./),
      'ok: browser policy written for the pre-seeded origin (opt-in)',
      'ok: kiosk user sscard, /var/lib/sscard and /var/log/sscard 0700',
      'ok: user unit enabled for every user, system unit enabled (SSCARD_SYSTEM_UNIT=yes)',
      'ok: no vpcd, preload, test or bench files in the package',
      'ok: SSCARD_TLS=yes: the kiosk certificate made by sscard cert (key 0600, user sscard), its CA in the system store',
      'ok: systemd-analyze verify: system and user units clean',
      "ok: the unit's command line answers /health",
      "ok: the daemon runs under the launcher's node flags and malloc settings (docs/performance.md)",
      'ok: daemon --tls answers https://127.0.0.1:47815/health, verified against the system store',
      'ok: log file /var/log/sscard/daemon.log (0600)',
      'ok: sscard doctor green (exit 0) with a simulated card; certificate and trust-system ok',
      'ok: doctor --system: green as sscard; NO_ACCESS (exit 1) as another user',
      'ok: doctor with pcscd stopped: PCSCD_DOWN, exit 1',
      'ok: config.json status.db: doctor probes that PostgreSQL registry (REGISTRY_UNREACHABLE on a closed port, exit 1, no password shown)',
      'ok: upgrade kept config (admin edit), tokens, the trusted local CA and the registry entry',
      'ok: /health after the upgrade',
      "ok: user unit as counter1: /health and https (its own CA, trusted in its NSS store at login), token and log in the user's home, doctor green",
      'ok: dpkg -r: program and unit links gone, config and data kept',
      'ok: dpkg --purge: config, tokens, registry, logs, browser policy and the trusted CA removed',
      "ok: purge left the user's own ~/.local/share/sscard alone",
    ]);
    const facts = Object.fromEntries(run.stdout.split('\n').filter((l) => l.startsWith('FACT ')).map((l) => l.slice(5).split(/=(.*)/s).slice(0, 2)));
    expect(facts.installed_version).toBe('0.1.0-1');
    expect(facts.upgraded_version).toBe('0.1.0-2');
    expect(JSON.parse(facts.health!)).toMatchObject({ name: 'sscard', pcsc: 'up', simulated: false });
    expect(run.stdout).toContain('PACKAGE FLOW PASSED');

    // This machine was never touched: the package lived and died in the sandbox.
    const hostAfter = await sh(['-c', "dpkg-query -W -f='${Status}' sscard 2>/dev/null || echo absent"], 10_000);
    expect(hostAfter.stdout).toBe(hostBefore.stdout);
    expect(existsSync('/etc/sscard')).toBe(false);
    expect(existsSync('/usr/lib/sscard')).toBe(false);
  }, 600_000); // two builds (<= 180 s each) and the flow (<= 300 s): the sh() limits, not the project's 60 s
});
