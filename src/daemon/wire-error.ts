import { isSscardError, type SscardError } from '../core/sscard-error.js';
import { WIRE_ERRORS, type WireErrorCode, type WireErrorData } from './protocol/error-codes.js';

/** An error on its way to the wire: a stable code and secret-free details. */
export class WireError extends Error {
  constructor(
    readonly code: WireErrorCode,
    readonly details: Record<string, unknown> = {},
  ) {
    super(WIRE_ERRORS[code].message);
  }

  toRpc(): { code: number; message: string; data: WireErrorData } {
    return { code: WIRE_ERRORS[this.code].rpc, message: WIRE_ERRORS[this.code].message, data: { ...this.details, code: this.code } };
  }
}

const TRANSPORT: Record<string, WireErrorCode> = {
  NO_SERVICE: 'SERVICE_DOWN',
  NO_READERS: 'NO_READER',
  READER_NOT_FOUND: 'READER_NOT_FOUND',
  NO_CARD: 'NO_CARD',
  CARD_REMOVED: 'CARD_REMOVED',
  CARD_RESET: 'CARD_REMOVED',
  SHARING_VIOLATION: 'READER_BUSY',
  UNRESPONSIVE_CARD: 'CARD_UNRESPONSIVE',
  TIMEOUT: 'TIMEOUT',
  CANCELLED: 'CANCELLED',
};

const SERVICE: Record<string, WireErrorCode> = {
  NO_READER: 'NO_READER',
  READER_NOT_FOUND: 'READER_NOT_FOUND',
  AMBIGUOUS_READER: 'AMBIGUOUS_READER',
  NO_CARD: 'NO_CARD',
  TIMEOUT: 'TIMEOUT',
  BUSY_TIMEOUT: 'BUSY_TIMEOUT',
  CANCELLED: 'CANCELLED',
  SHUTTING_DOWN: 'SHUTTING_DOWN',
  STATUS_UNAVAILABLE: 'STATUS_UNAVAILABLE',
  BAD_REQUEST: 'INVALID_PARAMS',
  BAD_NONCE: 'INVALID_PARAMS',
};

const STATUS_STORE = new Set(['STORE_UNAVAILABLE', 'STORE_CORRUPT', 'STORE_NOT_SSCARD', 'STORE_VERSION_UNSUPPORTED', 'STORE_SCHEMA_OUTDATED', 'STORE_BUSY', 'BAD_CONFIG', 'MISSING_CONTEXT']);
const STATUS_INPUT = new Set(['BAD_CARD_IDENTITY', 'BAD_SITE', 'BAD_OPERATOR', 'BAD_REASON', 'BAD_TIME', 'BAD_REQUEST']);

/**
 * Maps any error to the wire (docs/architecture.md "Conventions"-7): SscardError codes of each layer to the stable wire
 * codes with their machine-readable fields only (tries left, lock kind and end, rule). Internal
 * messages, stacks and causes never cross; anything unknown is INTERNAL.
 */
export function toWireError(e: unknown): WireError {
  if (e instanceof WireError) return e;
  if (!isSscardError(e)) return new WireError('INTERNAL');
  const x = e as SscardError & Record<string, unknown>;
  const sw = typeof x.sw === 'string' ? { sw: x.sw } : {};
  switch (e.layer) {
    case 'transport':
      return new WireError(TRANSPORT[e.code] ?? 'CARD_ERROR', TRANSPORT[e.code] ? {} : { reason: e.code });
    case 'service': {
      const readers = Array.isArray(x.readers) ? { readers: x.readers } : {};
      return new WireError(SERVICE[e.code] ?? 'INTERNAL', e.code === 'AMBIGUOUS_READER' ? readers : {});
    }
    case 'card':
      if (e.code === 'OPERATION_INTERRUPTED') return new WireError('CARD_REMOVED', { outcome: x.outcome ?? 'unknown' });
      if (e.code === 'NOT_SOCIAL_SECURITY_CARD' || e.code === 'APPLICATION_BLOCKED' || e.code === 'CARD_BLOCKED') return new WireError(e.code);
      return new WireError('CARD_ERROR', { reason: e.code, ...sw });
    case 'status':
      if (e.code === 'CARD_LOCKED') return new WireError('CARD_LOCKED', { kind: x.kind ?? null, until: x.until ?? null });
      // The daemon's own site / default operator missing or bad: its administrator's fault.
      if (e.code === 'MISSING_CONTEXT' || e.code === 'BAD_SITE') return new WireError('STATUS_UNAVAILABLE', { reason: 'DAEMON_NOT_CONFIGURED' });
      if (STATUS_STORE.has(e.code)) return new WireError('STATUS_UNAVAILABLE');
      if (STATUS_INPUT.has(e.code)) return new WireError('INVALID_PARAMS', { issues: [{ path: [], message: e.code }] });
      return new WireError('STATUS_REFUSED', { reason: e.code, ...(typeof x.rule === 'string' ? { rule: x.rule } : {}) });
    case 'pin': {
      const d = (x.details ?? {}) as Record<string, unknown>;
      const pick = (...keys: string[]) => Object.fromEntries(keys.filter((k) => d[k] !== undefined).map((k) => [k, d[k]]));
      switch (e.code) {
        case 'WRONG_PIN':
          return new WireError('WRONG_PIN', pick('triesLeft', 'which'));
        case 'PIN_BLOCKED':
          return new WireError('PIN_BLOCKED', pick('which'));
        case 'LAST_TRY_NOT_CONFIRMED':
          return new WireError('LAST_TRY_NOT_CONFIRMED', { triesLeft: 1, ...pick('which') });
        case 'PIN_FORMAT':
          return new WireError('PIN_FORMAT', pick('which'));
        case 'PIN_POLICY':
          return new WireError('PIN_POLICY', pick('reason'));
        case 'PIN_PAD_REQUIRED':
          return new WireError('PIN_PAD_REQUIRED');
        case 'PIN_ENTRY_TIMEOUT':
        case 'PIN_ENTRY_CANCELLED':
        case 'PIN_PAD_UNSUPPORTED':
          return new WireError('PIN_ENTRY', { reason: e.code });
        default:
          return new WireError('CARD_ERROR', { reason: e.code });
      }
    }
    case 'core':
      if (e.code === 'PIN_NOT_DIGITS') return new WireError('INVALID_PARAMS', { issues: [{ path: [], message: 'a PIN must be decimal digits' }] });
      return new WireError('INTERNAL');
    case 'keys':
      return new WireError('KEYS_UNAVAILABLE', { reason: e.code });
    case 'block':
      if (e.code === 'BLOCK_CARD_MISMATCH') return new WireError('CONFIRMATION_MISMATCH');
      if (e.code === 'BLOCK_NOT_CONFIRMED') return new WireError('INVALID_PARAMS', { issues: [{ path: ['confirm'], message: e.code }] });
      return new WireError('CARD_ERROR', { reason: e.code, ...sw });
    case 'auth':
    case 'apdu':
      return new WireError('CARD_ERROR', { reason: e.code, ...sw });
    default:
      return new WireError('INTERNAL');
  }
}
