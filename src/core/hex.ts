import { CodecError } from './codec-error.js';

const HEX_RE = /^[0-9a-fA-F]*$/;

/**
 * Parses hex text into bytes. Spaces, tabs, colons and line breaks between bytes are allowed
 * (transcripts and CLI arguments use them); anything else is a `BAD_HEX` error that quotes
 * the offending text (callers must not pass secrets through here).
 */
export function fromHex(text: string): Uint8Array {
  const clean = text.replace(/[\s:]/g, '');
  if (!HEX_RE.test(clean)) {
    const bad = clean.match(/[^0-9a-fA-F]/)?.[0] ?? '?';
    throw new CodecError('BAD_HEX', `not hexadecimal: unexpected character '${bad}' in "${preview(text)}"`);
  }
  if (clean.length % 2 !== 0) {
    throw new CodecError('BAD_HEX', `odd number of hex digits (${clean.length}) in "${preview(text)}"`);
  }
  return Uint8Array.from(Buffer.from(clean, 'hex'));
}

/** Upper-case hex without separators. */
export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex').toUpperCase();
}

export function hexByte(b: number): string {
  return (b & 0xff).toString(16).toUpperCase().padStart(2, '0');
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function preview(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
