import type { Role } from './api-level.js';
import type { WireReaderInfo } from './events.js';
import type { WireErrorCode } from './error-codes.js';
import type { WireFinancialRead } from './wire-financial.js';
import type { WireAuditEntry, WireCardStatus, WireSocialSecurityRead } from './wire-card.js';

/** Result types of the methods (type-only: erased from the JavaScript the client loads). */

export interface HelloResult {
  /** The level both sides speak (the highest in common). */
  readonly apiLevel: number;
  readonly server: { readonly name: 'sscard'; readonly version: string };
  /** This connection's role (from the origin allow-list or the token presented). */
  readonly role: Role;
  /** True when the built-in SIMULATED readers are enabled: pages must show it. */
  readonly simulatedReaders: boolean;
  /** Methods this connection may call at `apiLevel`. */
  readonly methods: readonly string[];
}

export interface WireReaderState extends WireReaderInfo {
  readonly cardPresent: boolean;
}

export interface ReadersListResult {
  readonly readers: readonly WireReaderState[];
  /** False while the PC/SC service is down (simulated readers are still listed). */
  readonly pcscUp: boolean;
}

export interface CardReadResult {
  readonly reader: WireReaderInfo;
  readonly application: 'social';
  /** The decoded EF05 / EF06 data. */
  readonly data: WireSocialSecurityRead;
  /** The registry's verdict on this card; null when it could not be looked up (`statusError`). */
  readonly status: WireCardStatus | null;
  readonly statusError?: { readonly code: WireErrorCode };
  /**
   * With `nonce`: the card's INTERNAL AUTHENTICATE answer over it and the installation's Ed25519
   * signature over { data, nonce, cardResponse, reader, time, keyId } (docs/verifiable-reads.md).
   */
  readonly attestation?: {
    readonly version: 1;
    readonly algorithm: 'Ed25519';
    readonly keyId: string;
    readonly nonce: string;
    readonly cardResponse: string;
    readonly reader: { readonly id: string; readonly name: string };
    readonly time: string;
    readonly signature: string;
  };
}

/**
 * `card.read` with `applications` (docs/financial.md): the parts asked for, read in one exclusive
 * card operation. `financialError.reason` is the card-layer code (e.g. NO_FINANCIAL_APPLICATION)
 * when the financial part failed while the social part was read.
 */
export interface CardReadApplicationsResult {
  readonly reader: WireReaderInfo;
  readonly applications: readonly ('social' | 'financial')[];
  readonly social?: {
    readonly data: WireSocialSecurityRead;
    readonly status: WireCardStatus | null;
    readonly statusError?: { readonly code: WireErrorCode };
  };
  readonly financial?: WireFinancialRead;
  readonly financialError?: { readonly code: 'CARD_ERROR'; readonly reason: string };
}

export interface CardPhotoResult {
  readonly reader: WireReaderInfo;
  /** null when the card holds no photo (EF08 does not start with a JPEG). */
  readonly photo: { readonly mime: 'image/jpeg'; readonly dataUrl: string; readonly bytes: number } | null;
}

export interface CardStatusResult {
  readonly reader: WireReaderInfo;
  readonly status: WireCardStatus;
}

export interface CardStatusChangeResult {
  readonly status: WireCardStatus;
}

export interface PinStatusResult {
  readonly reader: WireReaderInfo;
  /** Tries left before the PIN blocks; null when the card does not tell. */
  readonly triesLeft: number | null;
  readonly blocked: boolean;
}

export interface PinOperationResult {
  readonly reader: WireReaderInfo;
  readonly ok: true;
}

export interface SubscribeResult {
  readonly subscribed: boolean;
}

export interface AuditListResult {
  readonly entries: readonly WireAuditEntry[];
}

/**
 * card.readBas: the national `iReadCardBas` result (docs/national-interface.md). `code` 0 with the
 * 11-field `text` and its `fields` named, or a national negative code with its `message`.
 */
export interface CardReadBasResult {
  readonly code: number;
  readonly reader: WireReaderInfo | null;
  readonly text: string | null;
  readonly fields: Readonly<Record<string, string>> | null;
  readonly message: string | null;
}

/**
 * card.nationalPin: a national PIN function (docs/national-interface.md "PIN functions"). `code` 0,
 * or a national negative code with its `message`; `pinOnPc` = the reader has no PIN pad (or the
 * function is iReloadPIN): call again with the PIN params typed on the PC.
 */
export interface CardNationalPinResult {
  readonly code: number;
  readonly message: string | null;
  readonly pinOnPc: boolean;
}

/**
 * card.readBasHsmStep1: `iReadCardBas_HSM_Step1` (docs/national-interface.md "HSM two-step").
 * `code` 0 with the factors `text` (`region|ATR hist|alg id|card id|internal factor|internal
 * original|external factor|external original|`), or a national negative code with its `message`.
 */
export interface CardReadBasHsmStep1Result {
  readonly code: number;
  readonly reader: WireReaderInfo | null;
  readonly text: string | null;
  readonly message: string | null;
}
