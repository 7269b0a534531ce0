/**
 * The compact text form of a verifiable read (docs/verifiable-reads.md, "Compact form"): one line of
 * ASCII for a buffer or a JSON string field (the NHSA SSCard signature buffer, the ThCardReader
 * `sign`). It is `sscard-vr1.` followed by the base64url (RFC 4648 §5, no padding) of the JSON
 * document `{ data, attestation }`. Standalone like verify-attestation.ts: no other sscard module.
 */
export const COMPACT_PREFIX = 'sscard-vr1.';

export function toCompactAttestation(read: { readonly data: unknown; readonly attestation: unknown }): string {
  return COMPACT_PREFIX + Buffer.from(JSON.stringify({ data: read.data, attestation: read.attestation }), 'utf8').toString('base64url');
}

/** The document inside a compact text (give it to verifyAttestedRead), or undefined when it is not one. */
export function fromCompactAttestation(text: string): unknown {
  const t = text.trim();
  if (!t.startsWith(COMPACT_PREFIX) || !/^[A-Za-z0-9_-]+$/.test(t.slice(COMPACT_PREFIX.length))) return undefined;
  try {
    return JSON.parse(Buffer.from(t.slice(COMPACT_PREFIX.length), 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}
