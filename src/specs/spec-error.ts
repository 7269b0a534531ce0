import { SscardError } from '../core/sscard-error.js';

export type SpecErrorCode = 'SPEC_MISSING' | 'SPEC_NOT_JSON' | 'SPEC_INVALID';

/** A spec or profile file that cannot be used. The message names the file and the entry. */
export class SpecError extends SscardError {
  readonly layer = 'spec';
  constructor(
    readonly code: SpecErrorCode,
    readonly file: string,
    message: string,
    /** Path of the offending entry, e.g. `files[1].records[2].length`. */
    readonly entry?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
