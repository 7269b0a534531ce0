/**
 * Root of every error sscard throws. Each layer has its own subclass (CodecError, SpecError,
 * ApduError, TransportError, CardError, ...) carrying a stable machine-readable `code`
 * (SCREAMING_SNAKE, never renamed once published: it crosses the CLI and the daemon's wire).
 * Messages never contain a PIN or other secret (docs/architecture.md "Conventions").
 */
export abstract class SscardError extends Error {
  /** Stable string code, e.g. `CARD_REMOVED`. */
  abstract readonly code: string;
  /** Which layer raised it: `core`, `spec`, `apdu`, `transport`, `card`, `simulator`, `cli`, ... */
  abstract readonly layer: string;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }

  /** A plain, secret-free view for logs and JSON output (no stack). */
  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = { name: this.name, layer: this.layer, code: this.code, message: this.message };
    for (const [k, v] of Object.entries(this)) {
      if (k !== 'message' && k !== 'name' && k !== 'stack' && k !== 'cause' && v !== undefined) out[k] = v;
    }
    return out;
  }
}

export function isSscardError(e: unknown): e is SscardError {
  return e instanceof SscardError;
}
