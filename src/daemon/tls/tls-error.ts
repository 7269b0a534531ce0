import { SscardError } from '../../core/sscard-error.js';

export type TlsErrorCode =
  | 'TLS_FILES' // a certificate or key file cannot be written or read, or is not what it should be
  | 'TLS_KEY_EXPOSED'; // a private key file is readable by group or others (it may have leaked)

/** Errors of the local CA and the daemon's TLS certificate (docs/browsers.md). */
export class TlsError extends SscardError {
  readonly layer = 'tls';
  constructor(
    readonly code: TlsErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
