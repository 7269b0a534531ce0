import { isWireErrorCode, type WireErrorCode } from '../daemon/protocol/error-codes.js';

/** Codes the client itself produces (no answer from the daemon). */
export type ClientSideCode = 'CONNECTION_FAILED' | 'CONNECTION_CLOSED' | 'REQUEST_TIMEOUT' | 'PROTOCOL_ERROR';

/** A failed request: `code` is the daemon's stable wire code, or a client-side one. */
export class SscardClientError extends Error {
  constructor(
    readonly code: WireErrorCode | ClientSideCode,
    message: string,
    /** The machine-readable fields of the error (`triesLeft`, `kind`, `until`, `readers`, ...). */
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
    this.name = 'SscardClientError';
  }

  /** From a JSON-RPC error object as sent by the daemon. */
  static fromRpc(error: unknown): SscardClientError {
    const e = (typeof error === 'object' && error !== null ? error : {}) as { message?: unknown; data?: unknown };
    const data = (typeof e.data === 'object' && e.data !== null ? e.data : {}) as Record<string, unknown>;
    const { code, ...details } = data;
    const message = typeof e.message === 'string' ? e.message : 'error';
    return new SscardClientError(isWireErrorCode(code) ? code : 'PROTOCOL_ERROR', message, details);
  }
}
