import type { CardNumberVerdict } from './card-number-check.js';
import type { SsnVerdict } from './ssn-check.js';

/** A finding on real-world card data that is reported, never a reason to reject the card. */
export interface CardWarning {
  /** Stable code, e.g. CARD_NUMBER_CHECK, ETHNIC_GROUP_NOT_RECORDED. */
  readonly code: string;
  /** Model field it concerns, e.g. `card.cardNumber`. */
  readonly field: string;
  readonly message: string;
}

/** EF05: issuer / card data (docs/reference/card-spec.md §2). Dates are ISO YYYY-MM-DD, null when not a valid date. */
export interface CardData {
  readonly cardIdentificationCode: string;
  /** First 6 digits of the card identification code (administrative division code). */
  readonly regionCode: string;
  readonly cardClass: string;
  /** Normalised generation: '1.0' | '2.0' | '3.0', or 'unknown'. */
  readonly specVersion: string;
  /** The version text as written on the card (trailing 00 removed). */
  readonly specVersionText: string;
  readonly initializingInstitution: string;
  readonly issueDate: string | null;
  readonly expiryDate: string | null;
  readonly cardNumber: string;
  readonly cardNumberCheck: CardNumberVerdict;
}

/** EF06: holder (docs/reference/card-spec.md §2). */
export interface HolderData {
  readonly ssn: string;
  readonly ssnCheck: SsnVerdict;
  /** Tag 09 and 4E joined, padding stripped. */
  readonly name: string;
  readonly sex: { readonly code: string; readonly label: string | null };
  /** GB 3304 two-digit code, or 'FF' when not recorded. */
  readonly ethnicGroup: { readonly code: string; readonly name: string | null };
  readonly birthplace: string;
  readonly birthDate: string | null;
}

export interface ApplicationInfo {
  readonly dfName: string;
  readonly algorithm: { readonly id: string | null; readonly name: string | null; readonly supported: boolean };
}

export type HolderOutcome =
  | { readonly status: 'read'; readonly data: HolderData }
  /** 3.0 cards: EF06 needs RKSSSE external authentication first (docs/reference/card-spec.md §1). */
  | { readonly status: 'needs-authentication'; readonly sw: string };

export interface SocialSecurityRead {
  readonly application: ApplicationInfo;
  readonly card: CardData;
  readonly holder: HolderOutcome;
  readonly warnings: readonly CardWarning[];
  /** true when EXTERNAL AUTHENTICATE (RKSSSE) was done before EF06 (docs/reference/security-profile.md step 6). */
  readonly authenticated?: boolean;
  /** INTERNAL AUTHENTICATE outcome when asked for (`read({ checkGenuine: true })`, step 5). */
  readonly genuine?: 'genuine' | 'not-genuine';
}
