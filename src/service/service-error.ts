import { SscardError } from '../core/sscard-error.js';

export type ServiceErrorCode =
  | 'NO_READER' // no reader attached at all
  | 'AMBIGUOUS_READER' // several readers hold a card and none was named
  | 'NO_CARD' // the reader (or every reader) is empty
  | 'TIMEOUT' // waiting for a card, or the operation itself, took too long
  | 'BUSY_TIMEOUT' // the operation waited in the reader's queue longer than allowed
  | 'CANCELLED' // the requester went away (or aborted) before / during the operation
  | 'READER_NOT_FOUND' // the named reader does not exist
  | 'WRONG_CARD_TYPE' // the card is on the other interface than asked (national interface -1)
  | 'SHUTTING_DOWN' // the service is stopping and accepts no more operations
  | 'STATUS_UNAVAILABLE' // the card-status registry could not be opened
  | 'BAD_REQUEST' // the operation's parameters are not valid (e.g. an unknown application name)
  | 'BAD_NONCE'; // a verifiable read's nonce is not 16 bytes of hex

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
