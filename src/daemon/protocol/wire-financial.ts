/**
 * The financial (PBOC / UnionPay) read as the protocol sends it (docs/financial.md), declared on
 * its own like the other wire types: the daemon copies the model field by field
 * (src/daemon/wire-financial-map.ts). No imports: the browser client loads this file as is.
 */

export interface WireFinancialApplication {
  readonly aid: string;
  readonly kind: 'debit' | 'credit' | 'quasi-credit' | null;
  readonly label: string | null;
  readonly preferredName: string | null;
  readonly codeTableIndex: number | null;
  readonly languages: readonly string[];
  readonly priority: number | null;
  readonly pdol: string | null;
  readonly selectedVia: 'pse' | 'ppse' | 'aid-list';
}

export interface WireFinancialTransaction {
  readonly date: string | null;
  readonly time: string | null;
  readonly amountFen: number | null;
  readonly otherAmountFen: number | null;
  readonly currency: string | null;
  readonly country: string | null;
  readonly type: string | null;
  readonly merchantName: string | null;
  readonly atc: number | null;
  readonly other: Readonly<Record<string, string>>;
}

export interface WireFinancialRead {
  readonly application: WireFinancialApplication;
  /** `records`: read without GPO (the card's ATC untouched); `gpo`: GPO ran first. */
  readonly path: 'records' | 'gpo';
  readonly gpoReason?: 'requested' | 'records-refused' | 'no-pan-in-records';
  readonly gpoFormat?: 1 | 2;
  /** Masked to first 6 / last 4 unless the counter role asked for `revealPan`. */
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
  readonly transactions: readonly WireFinancialTransaction[];
  readonly logFormat: string | null;
  readonly unknownTags: readonly { readonly tag: string; readonly value: string }[];
  readonly warnings: readonly { readonly code: string; readonly field: string; readonly message: string }[];
}
