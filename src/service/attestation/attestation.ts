import { canonicalJson } from './canonical-json.js';

/**
 * A verifiable read (docs/verifiable-reads.md): the card's INTERNAL AUTHENTICATE answer over the
 * server's nonce, and the installation's Ed25519 signature over (data, nonce, card response,
 * reader, time, key id).
 */
export interface Attestation {
  readonly version: 1;
  readonly algorithm: 'Ed25519';
  /** First 16 hex of SHA-256 over the installation's raw public key. */
  readonly keyId: string;
  /** The server's nonce, 32 hex: r8 ‖ d8 of `00 88 00 00 10 r8 d8`. */
  readonly nonce: string;
  /** The card's 8-byte INTERNAL AUTHENTICATE answer, 16 hex. */
  readonly cardResponse: string;
  readonly reader: { readonly id: string; readonly name: string };
  /** When the installation signed, ISO 8601 UTC. */
  readonly time: string;
  /** Base64 Ed25519 signature over attestationMessage(). */
  readonly signature: string;
}

/** What a verifiable read carries: the read data exactly as sent, and its attestation. */
export interface AttestedRead {
  readonly data: unknown;
  readonly attestation: Attestation;
}

export const NONCE_PATTERN = /^[0-9A-Fa-f]{32}$/;

/** The signed bytes: a domain tag and the canonical JSON of every field but the signature. */
export function attestationMessage(data: unknown, a: Omit<Attestation, 'signature'>): Uint8Array {
  const body = canonicalJson({
    data,
    version: a.version,
    algorithm: a.algorithm,
    keyId: a.keyId,
    nonce: a.nonce.toUpperCase(),
    cardResponse: a.cardResponse.toUpperCase(),
    reader: { id: a.reader.id, name: a.reader.name },
    time: a.time,
  });
  return new TextEncoder().encode(`sscard-verifiable-read-v1\n${body}`);
}
