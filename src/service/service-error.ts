import { SscardError } from '../core/sscard-error.js';

export type ServiceErrorCode = 'NO_READER' | 'AMBIGUOUS_READER' | 'NO_CARD' | 'TIMEOUT' | 'CANCELLED' | 'READER_NOT_FOUND';

/** Errors of the card service (reader choice, waiting, queues). */
export class ServiceError extends SscardError {
  readonly layer = 'service';
  constructor(
    readonly code: ServiceErrorCode,
    message: string,
    /** Reader names involved (e.g. the candidates of AMBIGUOUS_READER). */
    readonly readers?: string[],
  ) {
    super(message);
  }
}
