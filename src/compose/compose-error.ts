import { SscardError } from '../core/sscard-error.js';

export type ComposeErrorCode = 'BAD_ARGUMENT';

/** A composition the config or flags ask for that cannot be built (a usage problem: CLI exit 2). */
export class ComposeError extends SscardError {
  readonly layer = 'compose';
  constructor(
    readonly code: ComposeErrorCode,
    message: string,
  ) {
    super(message);
  }
}
