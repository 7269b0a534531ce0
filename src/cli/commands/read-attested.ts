import { dataDirOf } from '../../compose/data-dir.js';
import { installationKeyIfPresent } from '../../compose/installation-key-file.js';
import { attestRead } from '../../service/attestation/sign-attestation.js';
import { out, type TargetOptions } from '../cli-context.js';
import { targetOf, withOperations, type KeyOptions } from '../cli-operations.js';
import { CliError } from '../cli-error.js';
import { readJson } from '../format-read.js';

/**
 * `sscard read --nonce HEX`: the read document (`read --json`) as `data`, with the card's INTERNAL
 * AUTHENTICATE answer over the nonce and the installation's signature (docs/verifiable-reads.md).
 */
export async function printAttestedRead(opts: TargetOptions & KeyOptions, nonce: string): Promise<void> {
  if (!/^[0-9A-Fa-f]{32}$/.test(nonce)) throw new CliError('BAD_ARGUMENT', '--nonce must be 32 hex digits (16 bytes)');
  const key = installationKeyIfPresent(dataDirOf());
  if (!key) throw new CliError('BAD_ARGUMENT', 'no installation key: run `sscard keys init` first');
  await withOperations(opts, { status: 'required' }, async (ops) => {
    const r = await ops.readCard(targetOf(opts), { nonce });
    if (r.kind !== 'read' || r.cardResponse === undefined) {
      out(JSON.stringify({ status: r.kind === 'blocked' ? `${r.block}-blocked` : 'unread' }, null, 2));
      process.exitCode = 1;
      return;
    }
    const data = readJson(r);
    out(JSON.stringify(attestRead(key, { data, nonce, cardResponse: r.cardResponse, reader: r.reader, time: new Date() }), null, 2));
  });
}
