import { mkdirSync, renameSync, rmSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { out } from '../cli-context.js';
import { CliError } from '../cli-error.js';
import { browserPolicy } from '../deploy/browser-policy.js';
import { doctorContext, POLICY_FILE_NAME } from '../deploy/doctor-context.js';

/**
 * `sscard browser-policy`: the Chromium/Chrome/Edge managed policy that lets the daemon's allowed
 * HIS origins reach it without the local-network-access prompt (docs/deploy.md, "Browser policy").
 * Prints it; `--write` puts it into the policy directory (root); `--remove` takes it out.
 */
export function registerBrowserPolicy(program: Command): void {
  program
    .command('browser-policy')
    .description('print (or --write / --remove) the Chromium/Edge policy allowing the configured HIS origins')
    .option('--config <file>', 'daemon config with the allowed origins (default as for `sscard doctor`)')
    .option('--write', 'write <dir>/sscard.json')
    .option('--remove', 'remove <dir>/sscard.json')
    .option('--dir <dir>', 'policy directory (default /etc/chromium/policies/managed; Chrome: /etc/opt/chrome/policies/managed, Edge: /etc/opt/edge/policies/managed)')
    .action((opts: { config?: string; write?: boolean; remove?: boolean; dir?: string }) => {
      const ctx = doctorContext({ configFile: opts.config });
      const dir = opts.dir ?? ctx.policyDir;
      const file = join(dir, POLICY_FILE_NAME);
      if (opts.remove) {
        if (existsSync(file)) rmSync(file);
        out(`removed ${file}`);
        return;
      }
      if (!ctx.daemonConfig) throw new CliError('BAD_CONFIG', ctx.daemonConfigError ?? 'daemon config unreadable');
      const origins = ctx.daemonConfig.allowedOrigins.map((o) => o.origin);
      const text = `${JSON.stringify(browserPolicy(origins), null, 2)}\n`;
      if (!opts.write) {
        out(text.trimEnd());
        return;
      }
      if (origins.length === 0) throw new CliError('BAD_ARGUMENT', `no allowedOrigins in ${ctx.daemonConfigFile ?? 'the daemon config'}: nothing to allow`);
      mkdirSync(dir, { recursive: true, mode: 0o755 });
      writeFileSync(`${file}.new`, text, { mode: 0o644 });
      renameSync(`${file}.new`, file);
      out(`wrote ${file} for ${origins.join(', ')}`);
    });
}
