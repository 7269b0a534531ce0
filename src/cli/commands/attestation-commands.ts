import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { dataDirOf } from '../../compose/data-dir.js';
import { initInstallationKey, installationKeyPath, loadInstallationKey } from '../../compose/installation-key-file.js';
import { COMPACT_PREFIX, fromCompactAttestation } from '../../service/attestation/compact-attestation.js';
import { verifyAttestedRead } from '../../service/attestation/verify-attestation.js';
import { out } from '../cli-context.js';
import { CliError } from '../cli-error.js';

/**
 * Verifiable reads (docs/verifiable-reads.md): `sscard keys init` creates the installation's
 * Ed25519 key and prints its public key for the HIS server; `sscard verify` is the server-side
 * check of a document `{ data, attestation }` (card.read with a nonce, `read --nonce`).
 */
export function registerAttestationCommands(program: Command): void {
  const keys = program.command('keys').description("the installation's own signing key (verifiable reads)");
  keys
    .command('init')
    .description('create the installation key (Ed25519, file mode 0600 in the data directory) and print its public key')
    .option('--force', 'replace an existing key (the HIS server then needs the new public key)')
    .action((opts: { force?: boolean }) => {
      const file = installationKeyPath(dataDirOf());
      const key = initInstallationKey(file, { force: opts.force === true });
      out(key.publicKey);
      process.stderr.write(`installation key written to ${file} (key id ${key.keyId}); give the public key above to the HIS server\n`);
    });
  keys
    .command('show')
    .description("print the installation's public key")
    .action(() => {
      out(loadInstallationKey(installationKeyPath(dataDirOf())).publicKey);
    });

  program
    .command('verify <file>')
    .description('check a verifiable read ({ data, attestation } JSON or its compact sscard-vr1. text; "-" = stdin) against the public key and the nonce')
    .requiredOption('--public-key <key>', 'the installation public key (ed25519:...) as `sscard keys init` printed it')
    .option('--nonce <hex>', 'the 32-hex nonce the server issued for this read')
    .option('--installation-nonce', 'the installation chose the nonce (NHSA signature buffer): accept any, judge freshness by --max-age')
    .option('--max-age <seconds>', 'oldest acceptable signature', '300')
    .action((file: string, opts: { publicKey: string; nonce?: string; installationNonce?: boolean; maxAge: string }) => {
      if (!/^[0-9]{1,7}$/.test(opts.maxAge)) throw new CliError('BAD_ARGUMENT', '--max-age must be whole seconds');
      if ((opts.nonce === undefined) === (opts.installationNonce !== true)) throw new CliError('BAD_ARGUMENT', 'give either --nonce HEX or --installation-nonce');
      let text: string;
      let doc: unknown;
      try {
        text = readFileSync(file === '-' ? 0 : file, 'utf8');
        doc = text.trimStart().startsWith(COMPACT_PREFIX) ? fromCompactAttestation(text) : JSON.parse(text);
      } catch (e) {
        throw new CliError('BAD_ARGUMENT', `${file}: not a readable JSON document (${(e as NodeJS.ErrnoException).code ?? 'invalid JSON'})`);
      }
      const r = verifyAttestedRead(doc, { publicKey: opts.publicKey, nonce: opts.nonce ?? null, maxAgeMs: Number(opts.maxAge) * 1000 });
      if (!r.ok && r.reason === 'BAD_PUBLIC_KEY') throw new CliError('BAD_ARGUMENT', '--public-key must be ed25519:<base64 of 32 bytes>');
      out(r.ok ? `OK: signed by key ${r.attestation.keyId} at ${r.attestation.time}, reader ${r.attestation.reader.name}` : `FAILED: ${r.reason}`);
      if (!r.ok) process.exitCode = 1;
    });
}
