import type { OperationDeps } from './operation-deps.js';
import { readCard } from './read-card.js';
import { cardStatusInReader } from './card-status-in-reader.js';
import { cancelCard, lockCard, releaseCard, requestReplacement } from './status-changes.js';
import { auditTrail, cardsOfHolder, statusOfCard, statusStoreState } from './status-lookups.js';
import { cardNumberIn } from './card-number-in-reader.js';
import { onFirstCall } from './on-first-call.js';

/**
 * Binds every operation to the process's dependencies: what the faces (CLI, daemon, bridges) call.
 * The identification read, the card status and the registry are loaded with this module (every
 * face uses them); the PBOC, photo, PIN, block, APDU and national operations on their first call,
 * so a daemon that never serves them does not hold their code (docs/performance.md, "Memory").
 */
const OPERATIONS = {
  readCard,
  readFinancial: onFirstCall(async () => (await import('./read-financial.js')).readFinancial),
  readApplications: onFirstCall(async () => (await import('./read-applications.js')).readApplications),
  readPhoto: onFirstCall(async () => (await import('./read-photo.js')).readPhoto),
  cardStatusInReader,
  pinStatus: onFirstCall(async () => (await import('./pin-status.js')).pinStatus),
  pinVerify: onFirstCall(async () => (await import('./pin-verify.js')).pinVerify),
  pinChange: onFirstCall(async () => (await import('./pin-change.js')).pinChange),
  pinReset: onFirstCall(async () => (await import('./pin-reset.js')).pinReset),
  pinUnblock: onFirstCall(async () => (await import('./pin-unblock.js')).pinUnblock),
  blockCard: onFirstCall(async () => (await import('./block-card.js')).blockCard),
  lockCard,
  releaseCard,
  requestReplacement,
  cancelCard,
  statusOfCard,
  cardsOfHolder,
  auditTrail,
  statusStoreState,
  exchangeApdus: onFirstCall(async () => (await import('./exchange-apdus.js')).exchangeApdus),
  cardNumberIn,
  readCardBas: onFirstCall(async () => (await import('./read-card-bas.js')).readCardBas),
  nationalPin: onFirstCall(async () => (await import('./national-pin.js')).nationalPin),
  readCardBasHsmStep1: onFirstCall(async () => (await import('./read-card-bas-hsm.js')).readCardBasHsmStep1),
  readCardBasHsmStep2: onFirstCall(async () => (await import('./read-card-bas-hsm.js')).readCardBasHsmStep2),
};

type Bound<F> = F extends (deps: OperationDeps, ...args: infer A) => infer R ? (...args: A) => R : never;
export type CardOperations = { readonly [K in keyof typeof OPERATIONS]: Bound<(typeof OPERATIONS)[K]> } & { readonly deps: OperationDeps };

export function bindOperations(deps: OperationDeps): CardOperations {
  const bound = Object.fromEntries(Object.entries(OPERATIONS).map(([name, fn]) => [name, (...args: unknown[]) => (fn as (d: OperationDeps, ...a: unknown[]) => unknown)(deps, ...args)]));
  return { ...bound, deps } as CardOperations;
}
