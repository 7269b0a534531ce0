import type { Command } from 'commander';
import { ensureDaemonCertificate } from '../../daemon/tls/cert-store.js';
import { dataDirOf } from '../../compose/data-dir.js';
import { out } from '../cli-context.js';

interface CertOptions {
  renew?: boolean;
  newCa?: boolean;
}

/**
 * `sscard cert`: the local CA and the daemon's certificate for 127.0.0.1, ::1 and localhost
 * (`sscard daemon --tls` serves wss:// and https:// with it). Idempotent: creates what is missing,
 * renews the daemon certificate when it is near its end, prints how to trust the CA
 * (docs/browsers.md).
 */
export function registerCert(program: Command): void {
  program
    .command('cert')
    .description('create or renew the local CA and the daemon certificate for wss:// (see docs/browsers.md)')
    .option('--renew', 'issue a new daemon certificate now (same CA: nothing to trust again)')
    .option('--new-ca', 'replace the local CA too (browsers must trust the new CA)')
    .action(async (opts: CertOptions) => {
      const c = await ensureDaemonCertificate({ dataDir: dataDirOf(process.env), renew: opts.renew === true, newCa: opts.newCa === true });
      out(`CA:          ${c.paths.caCert}${c.created.ca ? '  (NEW: trust it, see below)' : ''}`);
      out(`CA key:      ${c.paths.caKey}  (mode 0600; never copy it to another machine)`);
      out(`CA valid to: ${c.ca.notAfter.toISOString()}  SHA-256 ${c.ca.sha256}`);
      out(`certificate: ${c.paths.cert}${c.created.server ? '  (new)' : ''}  for 127.0.0.1, ::1, localhost`);
      out(`valid to:    ${c.server.notAfter.toISOString()}  (renewed automatically by \`sscard cert\` and \`sscard daemon --tls\` 30 days before)`);
      for (const w of c.warnings) out(`WARNING: ${w}`);
      out('');
      out('Trust the CA once per machine (details for each browser: docs/browsers.md):');
      for (const line of trustCommands(c.paths.caCert)) out(`  ${line}`);
    });
}

/** How to trust the CA: Debian/Ubuntu (Chromium/Chrome NSS db, Firefox policy), Windows, macOS. */
export function trustCommands(caFile: string): string[] {
  return [
    `Debian/Ubuntu, Chrome/Chromium (per user): certutil -d sql:$HOME/.pki/nssdb -A -t C,, -n "sscard local CA" -i ${caFile}   (apt install libnss3-tools)`,
    `Windows (admin PowerShell):                certutil -addstore -f Root ca.pem`,
    `macOS:                                     sudo security add-trusted-cert -d -r trustRoot -k /Library/Keychains/System.keychain ca.pem`,
  ];
}
