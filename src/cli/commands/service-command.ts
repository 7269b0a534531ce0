import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { loadDaemonConfig } from '../../daemon/daemon-config.js';
import { dataDirOf as statusDataDir } from '../../compose/data-dir.js';
import { out } from '../cli-context.js';
import { CliError } from '../cli-error.js';
import { probeHealth } from '../deploy/check-daemon.js';
import { UNIT_NAME, userUnitDir, userUnitText } from '../deploy/user-unit.js';

/** `systemctl --user ARGS`; returns the error text instead of throwing (no user manager here). */
function systemctlUser(args: string[]): { ok: boolean; output: string } {
  try {
    return { ok: true, output: execFileSync('systemctl', ['--user', ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 20_000 }).trim() };
  } catch (e) {
    const err = e as { stderr?: string; stdout?: string; message: string };
    return { ok: false, output: `${err.stdout ?? ''}${err.stderr ?? ''}`.trim() || err.message };
  }
}

/**
 * `sscard service install|uninstall|status`: the daemon as a systemd user service for installs
 * without the Debian package (docs/deploy.md, "Without the package").
 */
export function registerService(program: Command): void {
  const service = program.command('service').description('run the daemon as a systemd user service (installs without the Debian package)');
  const home = () => process.env.HOME || homedir();
  const unitFile = () => join(userUnitDir(process.env, home()), UNIT_NAME);

  service
    .command('install')
    .description(`write ~/.config/systemd/user/${UNIT_NAME} and enable it (starts with the session)`)
    .option('--config <file>', 'daemon config for the service (default <data dir>/daemon.json when present)')
    .option('--no-start', 'only write the unit file')
    .action((opts: { config?: string; start: boolean }) => {
      const dataDir = statusDataDir(process.env);
      const config = opts.config ? resolve(opts.config) : undefined;
      loadDaemonConfig({ file: config, dataDir }); // a bad config is refused now, not at the next login
      // dist/src/cli/commands/ -> the checkout's (or the package's app/) bin/sscard
      const launcher = fileURLToPath(new URL('../../../../bin/sscard', import.meta.url));
      const env: Record<string, string> = {};
      for (const k of ['SSCARD_DATA_DIR', 'SSCARD_STATE_DIR', 'SSCARD_CONFIG'] as const) if (process.env[k]) env[k] = resolve(process.env[k]!);
      const text = userUnitText({ node: process.execPath, launcher, args: config ? ['--config', config] : [], env });
      const file = unitFile();
      mkdirSync(userUnitDir(process.env, home()), { recursive: true });
      writeFileSync(file, text, { mode: 0o644 });
      out(`unit written: ${file}`);
      if (!opts.start) return;
      const steps = [['daemon-reload'], ['enable', '--now', UNIT_NAME]];
      for (const s of steps) {
        const r = systemctlUser(s);
        if (!r.ok) {
          throw new CliError('SERVICE_MANAGER', `systemctl --user ${s.join(' ')} failed (${r.output.split('\n')[0]}); the unit is written: run it when a user session with systemd is available`);
        }
      }
      out(`enabled and started: ${UNIT_NAME} (systemctl --user status sscard; journalctl --user -u sscard)`);
    });

  service
    .command('uninstall')
    .description('stop, disable and remove the user unit')
    .action(() => {
      const file = unitFile();
      if (!existsSync(file)) {
        out(`not installed (${file} does not exist)`);
        return;
      }
      const r = systemctlUser(['disable', '--now', UNIT_NAME]);
      rmSync(file);
      systemctlUser(['daemon-reload']);
      out(`removed ${file}${r.ok ? '; stopped and disabled' : ' (systemctl --user not available: nothing to stop)'}`);
      out('data (tokens, registry) and logs are kept; delete them yourself if wanted (docs/deploy.md)');
    });

  service
    .command('status')
    .description('is the user unit installed, enabled, running, and does the daemon answer /health?')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const file = unitFile();
      const installed = existsSync(file);
      const active = installed ? systemctlUser(['is-active', UNIT_NAME]) : undefined;
      const enabled = installed ? systemctlUser(['is-enabled', UNIT_NAME]) : undefined;
      let port: number | undefined;
      try {
        const exec = installed ? /--config (\S+)/.exec(readFileSync(file, 'utf8'))?.[1] : undefined;
        port = loadDaemonConfig({ file: exec, dataDir: statusDataDir(process.env) }).config.port;
      } catch {
        port = undefined;
      }
      const health = port !== undefined ? await probeHealth(port) : undefined;
      const answering = health?.kind === 'sscard';
      const result = {
        unitFile: file,
        installed,
        enabled: enabled?.output || (installed ? 'unknown' : 'no'),
        active: active?.output || (installed ? 'unknown' : 'no'),
        port: port ?? null,
        health: answering ? 'up' : health?.kind === 'refused' ? 'down' : health ? 'port-taken' : 'unknown',
      };
      if (opts.json) out(JSON.stringify(result, null, 2));
      else {
        out(`unit:    ${installed ? file : 'not installed (sscard service install)'}`);
        if (installed) out(`enabled: ${result.enabled}\nactive:  ${result.active}`);
        out(`daemon:  ${answering ? `answers on 127.0.0.1:${port}` : `not answering on 127.0.0.1:${port ?? '?'} (${result.health})`}`);
      }
      process.exitCode = answering ? 0 : 3;
    });
}
