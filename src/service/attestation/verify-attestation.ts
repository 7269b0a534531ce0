import { createHash, createPublicKey, randomBytes, verify } from 'node:crypto';
import { attestationMessage, NONCE_PATTERN, type Attestation } from './attestation.js';

export type VerifyFailure =
  | 'BAD_DOCUMENT' // not an attested read (missing or malformed fields)
  | 'BAD_PUBLIC_KEY' // the expected public key is not `ed25519:<base64 32 bytes>`
  | 'WRONG_KEY' // signed by another installation
  | 'BAD_SIGNATURE' // a field was changed after signing
  | 'NONCE_MISMATCH' // not the nonce this server issued
  | 'NONCE_REPLAYED' // the nonce was already used
  | 'TOO_OLD' // signed longer ago than maxAgeMs
  | 'IN_FUTURE'; // signed after `now` (beyond the allowed clock skew)

export type VerifyResult = { readonly ok: true; readonly attestation: Attestation } | { readonly ok: false; readonly reason: VerifyFailure };

export interface VerifyOptions {
  /** The installation's public key as `sscard keys init` printed it. */
  readonly publicKey: string;
  /**
   * The nonce the server issued for this read (32 hex). null: the installation chose it (the NHSA
   * signature buffer, docs/verifiable-reads.md): any nonce is accepted, and freshness rests on
   * maxAgeMs and on consumeNonce refusing a nonce the server has already seen.
   */
  readonly nonce: string | null;
  /** Consumes the nonce (true the first time only): NonceBook.consume, or the server's own store. */
  readonly consumeNonce?: ((nonce: string) => boolean) | undefined;
  /** Oldest acceptable signature (default 5 minutes); clock skew allowed into the future: 1 minute. */
  readonly maxAgeMs?: number | undefined;
  readonly now?: Date | undefined;
}

/**
 * The HIS server's check of a verifiable read (docs/verifiable-reads.md): the document is well
 * formed, signed by this installation's key over exactly these fields, for the nonce this server
 * issued, not replayed, and fresh. The card's INTERNAL AUTHENTICATE answer is covered by the
 * signature; checking it against the card's key needs the issuer's key system (HSM) and is the
 * server's own step.
 */
export function verifyAttestedRead(doc: unknown, options: VerifyOptions): VerifyResult {
  const fail = (reason: VerifyFailure): VerifyResult => ({ ok: false, reason });
  const raw = /^ed25519:([A-Za-z0-9+/]{43}=)$/.exec(options.publicKey)?.[1];
  if (!raw) return fail('BAD_PUBLIC_KEY');
  const a = attestationOf(doc);
  if (!a) return fail('BAD_DOCUMENT');
  const keyBytes = Buffer.from(raw, 'base64');
  if (createHash('sha256').update(keyBytes).digest('hex').slice(0, 16) !== a.keyId) return fail('WRONG_KEY');
  const key = createPublicKey({ key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), keyBytes]), format: 'der', type: 'spki' });
  const { signature, ...unsigned } = a;
  const sig = Buffer.from(signature, 'base64');
  if (sig.length !== 64 || !verify(null, attestationMessage((doc as { data: unknown }).data, unsigned), key, sig)) return fail('BAD_SIGNATURE');
  if (options.nonce !== null && a.nonce.toUpperCase() !== options.nonce.toUpperCase()) return fail('NONCE_MISMATCH');
  const now = (options.now ?? new Date()).getTime();
  const at = Date.parse(a.time);
  if (at > now + 60_000) return fail('IN_FUTURE');
  if (now - at > (options.maxAgeMs ?? 300_000)) return fail('TOO_OLD');
  if (options.consumeNonce && !options.consumeNonce(a.nonce.toUpperCase())) return fail('NONCE_REPLAYED');
  return { ok: true, attestation: a };
}

function attestationOf(doc: unknown): Attestation | undefined {
  if (typeof doc !== 'object' || doc === null || !('data' in doc) || !('attestation' in doc)) return undefined;
  const a = (doc as { attestation: unknown }).attestation as Record<string, unknown> | null;
  if (typeof a !== 'object' || a === null) return undefined;
  const str = (k: string, re: RegExp) => typeof a[k] === 'string' && re.test(a[k] as string);
  const reader = a.reader as Record<string, unknown> | null;
  const ok =
    a.version === 1 &&
    a.algorithm === 'Ed25519' &&
    str('keyId', /^[0-9a-f]{16}$/) &&
    str('nonce', NONCE_PATTERN) &&
    str('cardResponse', /^[0-9A-Fa-f]{16}$/) &&
    str('time', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/) &&
    !Number.isNaN(Date.parse(a.time as string)) &&
    str('signature', /^[A-Za-z0-9+/]{86}==$/) &&
    typeof reader === 'object' &&
    reader !== null &&
    typeof reader.id === 'string' &&
    typeof reader.name === 'string';
  return ok ? (a as unknown as Attestation) : undefined;
}

/** Issues nonces and accepts each one once (an in-memory store for a single server process). */
export class NonceBook {
  readonly #open = new Map<string, number>();
  constructor(private readonly ttlMs = 300_000) {}

  issue(now = Date.now()): string {
    for (const [n, t] of this.#open) if (now - t > this.ttlMs) this.#open.delete(n);
    const nonce = randomBytes(16).toString('hex').toUpperCase();
    this.#open.set(nonce, now);
    return nonce;
  }

  /** True once per issued nonce; false for unknown, expired or already used ones. */
  consume(nonce: string, now = Date.now()): boolean {
    const t = this.#open.get(nonce.toUpperCase());
    this.#open.delete(nonce.toUpperCase());
    return t !== undefined && now - t <= this.ttlMs;
  }
}
