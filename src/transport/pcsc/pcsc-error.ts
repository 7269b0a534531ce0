import { TransportError, type TransportErrorCode } from '../transport-error.js';

/**
 * PC/SC status codes we name (values from /usr/include/PCSC/pcsclite.h, pcsc-lite 1.9.9).
 * The binding reports them only inside the message text: `SCardTransmit error: Card was
 * removed.(0x80100069)` (node_modules/pcsclite/src/common.h, error_msg()).
 */
export const PcscStatus = {
  SCARD_E_CANCELLED: 0x80100002,
  SCARD_E_INVALID_HANDLE: 0x80100003,
  SCARD_E_INSUFFICIENT_BUFFER: 0x80100008,
  SCARD_E_UNKNOWN_READER: 0x80100009,
  SCARD_E_TIMEOUT: 0x8010000a,
  SCARD_E_SHARING_VIOLATION: 0x8010000b,
  SCARD_E_NO_SMARTCARD: 0x8010000c,
  SCARD_E_PROTO_MISMATCH: 0x8010000f,
  SCARD_E_SYSTEM_CANCELLED: 0x80100012,
  /** "Transaction failed": vpcd after its socket closed, until pcscd notices the removal. */
  SCARD_E_NOT_TRANSACTED: 0x80100016,
  /** "RPC transport error": what every open object reports when pcscd dies (measured). */
  SCARD_F_COMM_ERROR: 0x80100013,
  SCARD_E_READER_UNAVAILABLE: 0x80100017,
  SCARD_P_SHUTDOWN: 0x80100018,
  /** "Service not available": establishing a context or calling pcscd while it is down. */
  SCARD_E_NO_SERVICE: 0x8010001d,
  SCARD_E_SERVICE_STOPPED: 0x8010001e,
  SCARD_E_NO_READERS_AVAILABLE: 0x8010002e,
  SCARD_W_UNRESPONSIVE_CARD: 0x80100066,
  SCARD_W_RESET_CARD: 0x80100068,
  SCARD_W_REMOVED_CARD: 0x80100069,
} as const;

const S = PcscStatus;

/** The mapping table PC/SC status -> stable transport code; anything else is IO_ERROR. */
export const PCSC_TO_TRANSPORT_CODE: ReadonlyMap<number, TransportErrorCode> = new Map<number, TransportErrorCode>([
  [S.SCARD_E_NO_SERVICE, 'NO_SERVICE'],
  [S.SCARD_F_COMM_ERROR, 'NO_SERVICE'],
  [S.SCARD_E_SERVICE_STOPPED, 'NO_SERVICE'],
  [S.SCARD_P_SHUTDOWN, 'NO_SERVICE'],
  [S.SCARD_E_SYSTEM_CANCELLED, 'NO_SERVICE'],
  [S.SCARD_E_NO_READERS_AVAILABLE, 'NO_READERS'],
  [S.SCARD_E_UNKNOWN_READER, 'READER_NOT_FOUND'],
  [S.SCARD_E_READER_UNAVAILABLE, 'READER_NOT_FOUND'],
  [S.SCARD_E_NO_SMARTCARD, 'NO_CARD'],
  [S.SCARD_W_REMOVED_CARD, 'CARD_REMOVED'],
  [S.SCARD_W_RESET_CARD, 'CARD_RESET'],
  [S.SCARD_E_SHARING_VIOLATION, 'SHARING_VIOLATION'],
  [S.SCARD_W_UNRESPONSIVE_CARD, 'UNRESPONSIVE_CARD'],
  [S.SCARD_E_TIMEOUT, 'TIMEOUT'],
  [S.SCARD_E_CANCELLED, 'CANCELLED'],
]);

const HEX_CODE = /\(?0x([0-9a-f]{8})\)?\s*$/i;

/** The PC/SC status carried by a binding error (`...(0x80100069)`), or undefined. */
export function pcscStatusOf(error: unknown): number | undefined {
  if (typeof error === 'number') return error >>> 0;
  if (!(error instanceof Error)) return undefined;
  const match = HEX_CODE.exec(error.message);
  return match?.[1] ? Number.parseInt(match[1], 16) >>> 0 : undefined;
}

export function transportCodeOf(status: number | undefined): TransportErrorCode {
  return (status !== undefined && PCSC_TO_TRANSPORT_CODE.get(status)) || 'IO_ERROR';
}

/** True for statuses that mean pcscd itself is gone (the context must be re-established). */
export function isServiceLoss(status: number | undefined): boolean {
  return transportCodeOf(status) === 'NO_SERVICE';
}

/**
 * Translates anything the binding throws or reports into a TransportError (docs/architecture.md "Conventions"),
 * keeping the PC/SC status as `platformCode`. `operation` names what we were doing, e.g.
 * `transmit on "Virtual PCD 00 00"`. TransportErrors pass through unchanged.
 */
export function toTransportError(error: unknown, operation: string): TransportError {
  if (error instanceof TransportError) return error;
  const status = pcscStatusOf(error);
  const detail = error instanceof Error ? error.message : String(error);
  return new TransportError(transportCodeOf(status), `${operation}: ${detail}`, status, { cause: error });
}
