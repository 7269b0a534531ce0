import { randomBytes } from 'node:crypto';
import type { CardOperations } from '../operations/card-operations.js';
import type { CardTarget } from '../operations/operation-deps.js';
import type { BasRequest, BasResult } from '../operations/read-card-bas.js';
import { toCompactAttestation } from './compact-attestation.js';
import { attestRead, type InstallationKey } from './sign-attestation.js';

/**
 * The NHSA-flavour read with its signature (docs/verifiable-reads.md, "NHSA signature buffer"):
 * with the installation key, the 11-field read plus the card's INTERNAL AUTHENTICATE answer over a
 * nonce the installation chose (ReadCardBas carries no server nonce), signed over the string as
 * `data`, in the compact text form. Without a key: the plain read and an empty signature.
 */
export async function readCardBasSigned(
  ops: Pick<CardOperations, 'readCardBas'>,
  target: CardTarget,
  request: BasRequest,
  key: InstallationKey | null | undefined,
): Promise<{ readonly result: BasResult; readonly sign: string }> {
  if (!key) return { result: await ops.readCardBas(target, request), sign: '' };
  const nonce = randomBytes(16).toString('hex').toUpperCase();
  const result = await ops.readCardBas(target, { ...request, nonce });
  if (result.kind !== 'bas' || result.cardResponse === undefined) return { result, sign: '' };
  const signed = attestRead(key, { data: result.text, nonce, cardResponse: result.cardResponse, reader: { id: result.reader.id, name: result.reader.name }, time: new Date() });
  return { result, sign: toCompactAttestation(signed) };
}
