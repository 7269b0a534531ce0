import { SscardError } from '../core/sscard-error.js';

export type CardErrorCode =
  | 'NOT_SOCIAL_SECURITY_CARD' // SSSE not found on the chip
  | 'APPLICATION_BLOCKED' // SELECT SSSE answered 9303 (permanent application block)
  | 'CARD_BLOCKED' // every command answers 6A81 (permanent card block)
  | 'BAD_CARD_DATA' // a response could not be decoded (truncated, wrong TLV lengths, bad encoding)
  | 'UNEXPECTED_STATUS' // the card answered a status the operation cannot continue from
  | 'NO_FINANCIAL_APPLICATION' // no PBOC / UnionPay application found (directory nor AID list)
  | 'FINANCIAL_APPLICATION_BLOCKED' // every UnionPay application answered SELECT with 6283
  | 'GPO_REFUSED' // GET PROCESSING OPTIONS answered 6985
  | 'NEEDS_AUTHENTICATION'; // the file needs an external authentication and no key source was given (6982)

/** Errors of the card-application layer (social-security and PBOC sessions). */
export class CardError extends SscardError {
  readonly layer = 'card';
  constructor(
    readonly code: CardErrorCode,
    message: string,
    readonly sw?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
