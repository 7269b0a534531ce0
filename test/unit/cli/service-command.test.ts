import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { beforeAll, describe, expect, it } from 'vitest';
import { LAUNCHER, runCli } from '../../support/cli.js';

const hasAnalyze = existsSync('/usr/bin/systemd-analyze') || existsSync('/bin/systemd-analyze');
if (process.env.CI === 'true' && !hasAnalyze) throw new Error('systemd-analyze missing (scripts/setup.sh installs the systemd package)');

describe('sscard service install|uninstall|status (systemd user unit, installs without the package)', () => {
  const root = mkdtempSync(join(tmpdir(), 'sscard-service-'));
  const env = {
    HOME: join(root, 'home'),
    XDG_CONFIG_HOME: '',
    SSCARD_DATA_DIR: join(root, 'data'),
    SSCARD_STATE_DIR: join(root, 'state'),
    SSCARD_CONFIG: '',
    // No user manager here: systemctl --user fails as on a machine without a session bus.
    DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent',
    XDG_RUNTIME_DIR: join(root, 'runtime'),
  };
  const unit = join(root, 'home', '.config', 'systemd', 'user', 'sscard.service');
  // A port nobody listens on (taken from the kernel, then released): never a fixed one.
  let port = 0;
  beforeAll(async () => {
    const s = createServer();
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    port = (s.address() as { port: number }).port;
    await new Promise<void>((r) => s.close(() => r()));
  });

  it('install --no-start writes a unit that systemd-analyze accepts and that runs this program', () => {
    mkdirSync(env.SSCARD_DATA_DIR, { recursive: true, mode: 0o700 });
    writeFileSync(join(env.SSCARD_DATA_DIR, 'daemon.json'), JSON.stringify({ port, allowedOrigins: ['https://his.example.org'] }));
    const r = runCli(['service', 'install', '--no-start', '--config', join(env.SSCARD_DATA_DIR, 'daemon.json')], { env });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(`unit written: ${unit}`);
    const text = readFileSync(unit, 'utf8');
    expect(text).toContain(`ExecStart=${LAUNCHER} daemon --config ${join(env.SSCARD_DATA_DIR, 'daemon.json')}`);
    expect(text).toContain(`Environment=SSCARD_NODE=${process.execPath}`);
    expect(text).toContain(`Environment=SSCARD_DATA_DIR=${env.SSCARD_DATA_DIR}`);
    expect(text).toContain('WantedBy=default.target');
    if (hasAnalyze) {
      mkdirSync(env.XDG_RUNTIME_DIR, { recursive: true, mode: 0o700 });
      const out = execFileSync('systemd-analyze', ['--user', 'verify', unit], { env: { ...process.env, ...env }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      expect(out).not.toMatch(/unknown|failed|ignoring/i);
    }
  });

  it('status: installed, daemon not answering -> exit 3 with JSON for fleet tools', () => {
    const r = runCli(['service', 'status', '--json'], { env });
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout)).toMatchObject({ unitFile: unit, installed: true, port, health: 'down' });
  });

  it('install with start and no user manager: SERVICE_MANAGER error, the unit is still written', () => {
    const r = runCli(['service', 'install'], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^sscard: SERVICE_MANAGER: systemctl --user daemon-reload failed \(.+\); the unit is written/);
    expect(existsSync(unit)).toBe(true);
  });

  it('bad input: a broken daemon config is refused before anything is written', () => {
    const bad = join(root, 'bad.json');
    writeFileSync(bad, '{"port": 0.5}');
    const r = runCli(['service', 'install', '--no-start', '--config', bad], { env: { ...env, HOME: join(root, 'other-home') } });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/^sscard: BAD_CONFIG: .*port/);
    expect(existsSync(join(root, 'other-home', '.config', 'systemd', 'user', 'sscard.service'))).toBe(false);
  });

  it('browser-policy: prints the policy; --write without allowed origins is refused (nothing written)', () => {
    const policyDir = join(root, 'policies');
    const shown = runCli(['browser-policy'], { env });
    expect(shown.code).toBe(0);
    expect(JSON.parse(shown.stdout)).toEqual({ LocalNetworkAccessAllowedForUrls: ['https://his.example.org'], LoopbackNetworkAllowedForUrls: ['https://his.example.org'] });
    const empty = join(root, 'empty.json');
    writeFileSync(empty, '{}');
    const r = runCli(['browser-policy', '--write', '--dir', policyDir, '--config', empty], { env });
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(`sscard: BAD_ARGUMENT: no allowedOrigins in ${empty}: nothing to allow`);
    expect(existsSync(join(policyDir, 'sscard.json'))).toBe(false);
  });

  it('uninstall removes the unit and keeps data', () => {
    const r = runCli(['service', 'uninstall'], { env });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`removed ${unit}`);
    expect(existsSync(unit)).toBe(false);
    expect(existsSync(join(env.SSCARD_DATA_DIR, 'daemon.json'))).toBe(true);
    expect(runCli(['service', 'uninstall'], { env }).stdout.trim()).toBe(`not installed (${unit} does not exist)`);
  });
});
