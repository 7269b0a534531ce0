import { SscardError } from '../../../core/sscard-error.js';

export type BlockErrorCode =
  | 'BLOCK_NOT_CONFIRMED' // the confirmation phrase is missing or wrong
  | 'BLOCK_CARD_MISMATCH'; // the second confirmation is not the card number of the card in the reader

/** Refusals of the permanent blocks before anything is sent (exit code 2 in the CLI: usage). */
export class BlockError extends SscardError {
  readonly layer = 'block';
  constructor(
    readonly code: BlockErrorCode,
    message: string,
  ) {
    super(message);
  }
}
