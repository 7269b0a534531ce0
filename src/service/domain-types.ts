/**
 * The domain model the operations return, as the faces see it (types only): faces import these
 * from here, never from src/cards or src/status (scripts/check-layers.mjs).
 */
export type { CardData, CardWarning, HolderData, SocialSecurityRead } from '../cards/social-security/social-security-model.js';
export type { PinStatus } from '../cards/social-security/commands/parse-security.js';
export type { CardStatus, CardStatusKind } from '../status/card-status.js';
export type { StoreState } from '../status/card-status-store.js';
export type { LockRecord, ChipBlockRecord } from '../status/card-record.js';
export type { AuditEntry } from '../status/audit-entry.js';
export type { ReaderInfo } from '../transport/reader-info.js';
export type { ReaderEvent, ReaderState } from '../transport/reader-monitor.js';
export type { FinancialApplication, FinancialRead, FinancialTransaction, FinancialWarning, RawTag } from '../cards/pboc/pboc-model.js';
export type { PhotoRead } from '../cards/social-security/photo/read-photo.js';
export type { ExtendedLeMode } from '../cards/social-security/photo/read-transparent-until.js';
