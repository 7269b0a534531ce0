import { SscardError } from '../core/sscard-error.js';

export type CliErrorCode = 'BAD_ARGUMENT' | 'NO_TARGET' | 'AMBIGUOUS_READER' | 'TIMEOUT' | 'BAD_CONFIG' | 'SERVICE_MANAGER';

/** Usage problems of the command line (exit code 2). */
export class CliError extends SscardError {
  readonly layer = 'cli';
  constructor(readonly code: CliErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
