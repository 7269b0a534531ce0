/**
 * The card and registry data as the protocol sends them, declared here on their own (not the
 * internal models): renaming a field of the card model or the registry cannot change the wire
 * unnoticed (src/daemon/wire-map.ts copies field by field; test/unit/daemon/wire-shape.test.ts
 * pins every result). No imports: the browser client loads this file as is.
 */

export type WireCheck = 'valid' | 'bad-check-character' | 'malformed';

/** EF05 (docs/reference/card-data.md). Dates ISO YYYY-MM-DD, null when not a valid date. */
export interface WireCardData {
  readonly cardIdentificationCode: string;
  readonly regionCode: string;
  readonly cardClass: string;
  readonly specVersion: string;
  readonly specVersionText: string;
  readonly initializingInstitution: string;
  readonly issueDate: string | null;
  readonly expiryDate: string | null;
  readonly cardNumber: string;
  readonly cardNumberCheck: WireCheck;
}

/** EF06. */
export interface WireHolderData {
  readonly ssn: string;
  readonly ssnCheck: WireCheck;
  readonly name: string;
  readonly sex: { readonly code: string; readonly label: string | null };
  readonly ethnicGroup: { readonly code: string; readonly name: string | null };
  readonly birthplace: string;
  readonly birthDate: string | null;
}

export type WireHolderOutcome =
  | { readonly status: 'read'; readonly data: WireHolderData }
  | { readonly status: 'needs-authentication'; readonly sw: string };

export interface WireCardWarning {
  readonly code: string;
  readonly field: string;
  readonly message: string;
}

export interface WireSocialSecurityRead {
  readonly application: {
    readonly dfName: string;
    readonly algorithm: { readonly id: string | null; readonly name: string | null; readonly supported: boolean };
  };
  readonly card: WireCardData;
  readonly holder: WireHolderOutcome;
  readonly warnings: readonly WireCardWarning[];
  readonly authenticated?: boolean;
  readonly genuine?: 'genuine' | 'not-genuine';
}

export interface WireLock {
  readonly kind: 'temporary' | 'formal';
  readonly since: string;
  readonly until: string | null;
  readonly site: string;
  readonly operator: string;
  readonly reason: string | null;
}

export interface WireChipBlock {
  readonly block: 'application' | 'card';
  readonly sw: string;
  readonly at: string;
  readonly site: string;
  readonly operator: string;
}

/** The card-status registry's verdict (docs/status.md). */
export interface WireCardStatus {
  readonly kind: 'normal' | 'temporarily-locked' | 'formally-locked' | 'replacement-requested' | 'cancelled' | 'blocked-on-chip';
  readonly cardIdentificationCode: string;
  readonly cardNumber: string;
  readonly ssn: string | null;
  readonly since: string | null;
  readonly until: string | null;
  readonly site: string | null;
  readonly operator: string | null;
  readonly reason: string | null;
  readonly lock: WireLock | null;
  readonly expiredLock: WireLock | null;
  readonly chipBlocks: readonly WireChipBlock[];
  readonly evaluatedAt: string;
}

/** One row of the audit trail. */
export interface WireAuditEntry {
  readonly id: number;
  readonly at: string;
  readonly action: string;
  readonly cardIdentificationCode: string;
  readonly cardNumber: string;
  readonly ssn: string | null;
  readonly site: string;
  readonly operator: string;
  readonly until: string | null;
  readonly sw: string | null;
  readonly reason: string | null;
}
