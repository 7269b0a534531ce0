import { StatusError } from './status-error.js';

/**
 * SQLSTATE classes that mean "the database cannot be reached or is going away" (PostgreSQL
 * Appendix A: 08 connection exception, 57P operator intervention, 53 insufficient resources).
 */
const UNAVAILABLE_STATES = /^(08|57P|53)/;

/** Node socket errors of a server that is not there. */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOENT', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN']);

/** True when `e` says the connection is lost or cannot be made (the store is then `down`). */
export function isConnectionError(e: unknown): boolean {
  if (e instanceof StatusError) return e.code === 'STORE_UNAVAILABLE';
  const code = (e as { code?: unknown })?.code;
  if (typeof code === 'string' && (UNAVAILABLE_STATES.test(code) || SOCKET_CODES.has(code))) return true;
  const msg = (e as Error)?.message ?? '';
  return /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|Query read timeout|not queryable/i.test(msg);
}

/**
 * pg / socket errors -> StatusError; StatusErrors (rule refusals) pass through. Messages name the
 * SQLSTATE and the location, never the URL (it may hold a password) or a parameter value.
 */
export function translatePgError(e: unknown, where: string): unknown {
  if (e instanceof StatusError) return e;
  const code = (e as { code?: unknown })?.code;
  const msg = ((e as Error)?.message ?? String(e)).slice(0, 200);
  if (isConnectionError(e)) {
    return new StatusError('STORE_UNAVAILABLE', `card-status database ${where} unreachable (${typeof code === 'string' ? `${code}: ` : ''}${msg}): lock status unknown`, undefined, { cause: e });
  }
  if (code === '40001' || code === '40P01' || code === '55P03' || code === '57014') {
    return new StatusError('STORE_BUSY', `card-status database ${where} busy (${code}: ${msg}); nothing was changed, try again`, undefined, { cause: e });
  }
  if (code === '42P01' || code === '42703') {
    return new StatusError('STORE_SCHEMA_OUTDATED', `card-status database ${where} lacks the sscard tables (${code}): an administrator runs \`sscard registry migrate\``, undefined, { cause: e });
  }
  if (code === '42501') {
    return new StatusError('STORE_UNAVAILABLE', `card-status database ${where} refused: insufficient privilege (${msg}); see docs/status.md "Roles and grants"`, undefined, { cause: e });
  }
  return new StatusError('STORE_UNAVAILABLE', `card-status database ${where} failed (${typeof code === 'string' ? `${code}: ` : ''}${msg})`, undefined, { cause: e });
}
