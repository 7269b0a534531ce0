import { SscardError } from './sscard-error.js';

export type CodecErrorCode = 'BAD_HEX' | 'BAD_BCD' | 'BAD_TEXT' | 'BAD_TLV' | 'TRUNCATED' | 'VALUE_TOO_LONG';

/** Errors of the core codecs (hex, BCD, GBK, TLV). */
export class CodecError extends SscardError {
  readonly layer = 'core';
  constructor(readonly code: CodecErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
