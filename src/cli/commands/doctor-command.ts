import type { Command } from 'commander';
import { out } from '../cli-context.js';
import { doctorContext } from '../deploy/doctor-context.js';
import { formatDoctor, runDoctor } from '../deploy/run-doctor.js';

/**
 * `sscard doctor`: checks this machine's set-up in order and says what to do about each failure
 * (docs/deploy.md). Exit 0 only when no check fails; 1 otherwise. `--json` for fleet tools.
 */
export function registerDoctor(program: Command): void {
  program
    .command('doctor')
    .description('check pcscd, readers, the daemon, tokens, registry, certificate, browser policy and clock; say what to fix')
    .option('--config <file>', 'the daemon config to check against (default: <data dir>/daemon.json, else /etc/sscard/daemon.json)')
    .option('--system', 'check the kiosk daemon of the system unit (/var/lib/sscard, /var/log/sscard, /etc/sscard); run as its user: sudo -u sscard sscard doctor --system')
    .option('--json', 'print JSON ({ ok, checks: [{ check, status, code, message, fix }] })')
    .action(async (opts: { config?: string; system?: boolean; json?: boolean }) => {
      const report = await runDoctor(doctorContext({ configFile: opts.config, system: opts.system === true }));
      if (opts.json) out(JSON.stringify(report, null, 2));
      else for (const line of formatDoctor(report)) out(line);
      process.exitCode = report.ok ? 0 : 1;
    });
}
