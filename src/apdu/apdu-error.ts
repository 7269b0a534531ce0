import { SscardError } from '../core/sscard-error.js';

/**
 * Errors of the APDU layer. `code` is either a mechanical problem (MALFORMED_COMMAND,
 * MALFORMED_RESPONSE, TOO_MUCH_CHAINING, TRANSCRIPT_*) or, for a card status word that is an
 * error, the stable code from `apdu-specs/status-words.json` (e.g. FILE_NOT_FOUND), with `sw`.
 */
export class ApduError extends SscardError {
  readonly layer = 'apdu';
  /** The status word when the card answered one: 4 hex digits, as every layer's errors carry it. */
  readonly sw?: string;

  constructor(
    readonly code: string,
    message: string,
    sw?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    if (sw !== undefined) this.sw = sw.toString(16).toUpperCase().padStart(4, '0');
  }

  get swHex(): string | undefined {
    return this.sw;
  }
}
