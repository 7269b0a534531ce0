import { SscardError } from '../core/sscard-error.js';

export type CollectErrorCode =
  | 'FILE_UNREADABLE' // the roster or photo file cannot be opened / read (missing, permissions)
  | 'FILE_TOO_LARGE' // over the configured byte limit: not decoded at all
  | 'NOT_AN_IMAGE' // the photo file is not an image the image library can decode
  | 'ROSTER_CORRUPT' // the XLSX is not a readable workbook (bad zip, bad XML)
  | 'ROSTER_NOT_TEXT' // a CSV that is neither UTF-8 nor GBK text (binary data)
  | 'ROSTER_FORMAT' // the file is neither .csv nor .xlsx
  | 'ROSTER_COLUMNS' // a required column is missing from the header row
  | 'BAD_CONFIG' // the column map or the photo rules given are invalid
  | 'REPORT_UNWRITABLE'; // the annotated report cannot be written where asked

/**
 * Errors of the collection checks (rosters and photos before cards are made). Each names the file
 * and, where there is one, the row (1-based, as a spreadsheet shows it).
 */
export class CollectError extends SscardError {
  readonly layer = 'collect';
  constructor(
    readonly code: CollectErrorCode,
    message: string,
    readonly file?: string,
    readonly row?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
