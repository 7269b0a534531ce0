import type { Transmitter } from '../apdu/transmitter.js';
import { ServiceError } from './service-error.js';

/**
 * Checks the operation's signal before every APDU: an aborted operation (requester gone, timeout,
 * shutdown) stops at the next APDU boundary, never in the middle of an exchange. The abort reason
 * is a ServiceError (CANCELLED / TIMEOUT / SHUTTING_DOWN) and is thrown as is.
 */
export function abortableTransmitter(inner: Transmitter, signal: AbortSignal): Transmitter {
  return {
    transmit: (command) => {
      if (signal.aborted) return Promise.reject(abortError(signal));
      return inner.transmit(command);
    },
  };
}

export function abortError(signal: AbortSignal): ServiceError {
  const reason: unknown = signal.reason;
  return reason instanceof ServiceError ? reason : new ServiceError('CANCELLED', 'operation cancelled');
}
