import type { InstallationKey } from '../../keys/installation/installation-key.js';
import { attestationMessage, type AttestedRead } from './attestation.js';

export type { InstallationKey };

/** Signs a read for the HIS server (the face passes `data` exactly as it sends it). */
export function attestRead(
  key: InstallationKey,
  input: { data: unknown; nonce: string; cardResponse: string; reader: { id: string; name: string }; time: Date },
): AttestedRead {
  const unsigned = {
    version: 1 as const,
    algorithm: 'Ed25519' as const,
    keyId: key.keyId,
    nonce: input.nonce.toUpperCase(),
    cardResponse: input.cardResponse.toUpperCase(),
    reader: { id: input.reader.id, name: input.reader.name },
    time: input.time.toISOString(),
  };
  const signature = Buffer.from(key.sign(attestationMessage(input.data, unsigned))).toString('base64');
  return { data: input.data, attestation: { ...unsigned, signature } };
}
