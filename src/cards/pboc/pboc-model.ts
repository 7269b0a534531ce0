/**
 * What a read of the PBOC / UnionPay financial application returns (docs/financial.md). Money
 * is an integer number of fen (分) with a formatted yuan string beside it; dates are ISO
 * `YYYY-MM-DD`; the PAN is masked to the first 6 and last 4 digits unless the caller asked for
 * it in full.
 */

/** How the application was found (EMV Book 1 §12.3): a directory, or SELECT by the AID list. */
export type SelectionPath = 'pse' | 'ppse' | 'aid-list';

/** One directory entry (tag 61 in a PSE record or the PPSE FCI, EMV Book 1 §12.2.3). */
export interface DirectoryEntry {
  readonly aid: string;
  readonly label: string | null;
  /** Low nibble of tag 87 (1 = highest); null without 87 or with 0 (no priority). */
  readonly priority: number | null;
}

/** The selected application's FCI (EMV Book 1 §11.3.4, table 45). */
export interface FinancialApplication {
  readonly aid: string;
  /** From the spec's AID table: debit, credit, quasi-credit; null for an AID outside it. */
  readonly kind: 'debit' | 'credit' | 'quasi-credit' | null;
  readonly label: string | null;
  /** 9F12 decoded with the code table 9F11 names (ISO/IEC 8859 part), GBK without 9F11. */
  readonly preferredName: string | null;
  /** 9F11, e.g. 1 for ISO/IEC 8859-1; null when absent. */
  readonly codeTableIndex: number | null;
  /** 5F2D as 2-letter codes, e.g. ["zh", "en"]. */
  readonly languages: readonly string[];
  readonly priority: number | null;
  /** 9F38 as upper-case hex (tag/length list), null when the card gives none. */
  readonly pdol: string | null;
  readonly selectedVia: SelectionPath;
}

/** Money in fen with the yuan text, e.g. { fen: 12345, yuan: "123.45" }. */
export interface Money {
  readonly fen: number;
  readonly yuan: string;
}

/** One log record decoded with the card's 9F4F layout (EMV Book 3 Annex D / JR/T 0025). */
export interface FinancialTransaction {
  readonly date: string | null;
  readonly time: string | null;
  readonly amountFen: number | null;
  readonly otherAmountFen: number | null;
  /** ISO 4217 numeric, e.g. "156". */
  readonly currency: string | null;
  /** ISO 3166 numeric, e.g. "156". */
  readonly country: string | null;
  /** Transaction type (ISO 8583 processing code), two digits, e.g. "00" purchase. */
  readonly type: string | null;
  readonly merchantName: string | null;
  readonly atc: number | null;
  /** Tags of the layout this reader does not map, as hex. */
  readonly other: Readonly<Record<string, string>>;
}

/** A data object the reader has no meaning for, kept as read. */
export interface RawTag {
  readonly tag: string;
  readonly value: string;
}

export interface FinancialWarning {
  readonly code: string;
  readonly field: string;
  readonly message: string;
}

/** The financial summary. Fields a card does not carry are null. */
export interface FinancialRead {
  readonly application: FinancialApplication;
  /** records: read without GET PROCESSING OPTIONS (the ATC is untouched); gpo: GPO ran first. */
  readonly path: 'records' | 'gpo';
  /** Why GPO ran: the caller asked, or the card refused the records without it. */
  readonly gpoReason?: 'requested' | 'records-refused' | 'no-pan-in-records';
  /** On the gpo path: the GPO response format, 1 (`80`) or 2 (`77`), EMV Book 3 §6.5.8.4. */
  readonly gpoFormat?: 1 | 2;
  readonly pan: string | null;
  readonly panMasked: boolean;
  readonly panSequenceNumber: string | null;
  readonly expiryDate: string | null;
  readonly effectiveDate: string | null;
  readonly holderName: string | null;
  readonly holderIdNumber: string | null;
  readonly holderIdType: { readonly code: string; readonly label: string | null } | null;
  readonly ecBalanceFen: number | null;
  readonly ecBalance: string | null;
  readonly ecLimitFen: number | null;
  readonly ecSingleLimitFen: number | null;
  /** Newest first as the card keeps them (record 1 = most recent, EMV Book 3 Annex D). */
  readonly transactions: readonly FinancialTransaction[];
  /** The log's 9F4F as hex, null when the card has no log format. */
  readonly logFormat: string | null;
  readonly unknownTags: readonly RawTag[];
  readonly warnings: readonly FinancialWarning[];
}
