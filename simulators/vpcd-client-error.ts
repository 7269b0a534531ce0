import { SscardError } from '../src/core/sscard-error.js';

export type VpcdClientErrorCode =
  | 'VPCD_UNREACHABLE' // nothing listens on the vpcd port (pcscd not running, or no vpcd entry)
  | 'VPCD_ALREADY_INSERTED'; // insert() while the card is in

/** Errors of the vpcd client (simulators/vpcd-client.ts). */
export class VpcdClientError extends SscardError {
  readonly layer = 'simulator';
  constructor(
    readonly code: VpcdClientErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
