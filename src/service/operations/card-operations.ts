import type { OperationDeps } from './operation-deps.js';
import { readCard } from './read-card.js';
import { readApplications } from './read-applications.js';
import { readFinancial } from './read-financial.js';
import { readPhoto } from './read-photo.js';
import { cardStatusInReader } from './card-status-in-reader.js';
import { pinStatus } from './pin-status.js';
import { pinVerify } from './pin-verify.js';
import { pinChange } from './pin-change.js';
import { pinReset } from './pin-reset.js';
import { pinUnblock } from './pin-unblock.js';
import { blockCard } from './block-card.js';
import { cancelCard, lockCard, releaseCard, requestReplacement } from './status-changes.js';
import { auditTrail, cardsOfHolder, statusOfCard, statusStoreState } from './status-lookups.js';
import { exchangeApdus } from './exchange-apdus.js';
import { cardNumberIn } from './card-number-in-reader.js';
import { readCardBas } from './read-card-bas.js';
import { nationalPin } from './national-pin.js';
import { readCardBasHsmStep1, readCardBasHsmStep2 } from './read-card-bas-hsm.js';

/** Binds every operation to the process's dependencies: what the faces (CLI, daemon, bridges) call. */
const OPERATIONS = {
  readCard,
  readFinancial,
  readApplications,
  readPhoto,
  cardStatusInReader,
  pinStatus,
  pinVerify,
  pinChange,
  pinReset,
  pinUnblock,
  blockCard,
  lockCard,
  releaseCard,
  requestReplacement,
  cancelCard,
  statusOfCard,
  cardsOfHolder,
  auditTrail,
  statusStoreState,
  exchangeApdus,
  cardNumberIn,
  readCardBas,
  nationalPin,
  readCardBasHsmStep1,
  readCardBasHsmStep2,
};

type Bound<F> = F extends (deps: OperationDeps, ...args: infer A) => infer R ? (...args: A) => R : never;
export type CardOperations = { readonly [K in keyof typeof OPERATIONS]: Bound<(typeof OPERATIONS)[K]> } & { readonly deps: OperationDeps };

export function bindOperations(deps: OperationDeps): CardOperations {
  const bound = Object.fromEntries(Object.entries(OPERATIONS).map(([name, fn]) => [name, (...args: unknown[]) => (fn as (d: OperationDeps, ...a: unknown[]) => unknown)(deps, ...args)]));
  return { ...bound, deps } as CardOperations;
}
