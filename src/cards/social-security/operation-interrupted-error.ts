import { SscardError } from '../../core/sscard-error.js';

/**
 * What is known about a state-changing card operation (CHANGE PIN, VERIFY, PIN RELOAD / UNBLOCK,
 * the blocks) whose connection broke — the card was pulled, reset or went mute:
 * - `not-done`: the failure came before the changing command was handed to the transport; the
 *   card state is as before;
 * - `unknown`: the changing command was handed to the transport and no response came back; the
 *   card may or may not have executed it. Check with a PIN status query (and a VERIFY).
 * A result is never reported `done` unless the card's answer to the changing command was read.
 */
export type InterruptedOutcome = 'not-done' | 'unknown';

export class OperationInterruptedError extends SscardError {
  readonly layer = 'card';
  readonly code = 'OPERATION_INTERRUPTED';
  constructor(
    readonly operation: string,
    readonly outcome: InterruptedOutcome,
    /** The transport error code that ended the connection, e.g. CARD_REMOVED. */
    readonly transportCode: string,
    options?: { cause?: unknown },
  ) {
    super(
      outcome === 'not-done'
        ? `${operation} NOT DONE: the connection to the card ended (${transportCode}) before the command was sent; nothing changed on the card`
        : `${operation} OUTCOME UNKNOWN: the connection to the card ended (${transportCode}) after the command was sent and before its answer; check with a PIN status query`,
      options,
    );
  }
}

/** True for errors of the transport layer (card removed, reset, mute, reader gone, closed). */
export function isTransportFailure(e: unknown): e is SscardError {
  return e instanceof SscardError && e.layer === 'transport';
}
