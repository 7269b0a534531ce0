import { SscardError } from '../core/sscard-error.js';

export type DaemonErrorCode =
  | 'BAD_CONFIG' // the daemon config file is missing, not JSON, or fails the schema
  | 'UNSAFE_BIND' // a bind address that is not loopback without --unsafe-bind
  | 'LISTEN_FAILED' // the port is taken or the address cannot be bound
  | 'TOKEN_FILE' // the token file cannot be created / read, or has unsafe permissions
  | 'LOG_FILE' // the log directory cannot be created
  | 'DATA_DIR' // the data directory is not ours, is writable by others, or cannot be created
  | 'BAD_INIT_CONFIG'; // a bridge's Init configuration (POST /api/jiangsu/init) fails its checks

/** Errors of the daemon's own setup and bridges (not the JSON-RPC wire errors, which are in protocol/error-codes.ts). */
export class DaemonError extends SscardError {
  readonly layer = 'daemon';
  constructor(
    readonly code: DaemonErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
