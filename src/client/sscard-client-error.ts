import { isWireErrorCode, type WireErrorCode } from '../daemon/protocol/error-codes.js';

/** Codes the client itself produces (no answer from the daemon). */
export type ClientSideCode = 'CONNECTION_FAILED' | 'CONNECTION_CLOSED' | 'REQUEST_TIMEOUT' | 'PROTOCOL_ERROR' | ReachCode;

/**
 * Why a browser page cannot reach the daemon (reachDaemon, docs/browsers.md): each names the case
 * and `details.hint` says what to do.
 */
export type ReachCode =
  | 'BLOCKED_BY_BROWSER' // Local Network Access forbids this page (e.g. public http://) to reach loopback
  | 'PERMISSION_REQUIRED' // the browser asks the user first: connect again from a click
  | 'PERMISSION_DENIED' // the user (or policy) refused the local-network permission for this site
  | 'DAEMON_NOT_RUNNING' // nothing answers on the daemon's address
  | 'ORIGIN_NOT_ALLOWED' // the daemon runs but this page's origin is not on its allow-list
  | 'BRIDGE_BLOCKED'; // the bridge window could not be opened (popup blocked: open it from a click)

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
