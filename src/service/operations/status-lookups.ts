import type { AuditEntry } from '../../status/audit-entry.js';
import type { CardIdentityInput } from '../../status/card-status-registry.js';
import type { CardStatus } from '../../status/card-status.js';
import type { StoreState } from '../../status/card-status-store.js';
import { registryOf, type OperationDeps } from './operation-deps.js';

/** `status --card --card-number`: the registry's verdict on a named card (no card needed). */
export function statusOfCard(deps: OperationDeps, card: CardIdentityInput): Promise<CardStatus> {
  return registryOf(deps).statusOf(card);
}

/** `status --ssn`: every card of a holder. */
export function cardsOfHolder(deps: OperationDeps, ssn: string): Promise<CardStatus[]> {
  return registryOf(deps).cardsOfHolder(ssn);
}

export interface AuditQueryInput {
  readonly since?: string | undefined;
  readonly until?: string | undefined;
  readonly card?: string | undefined;
  readonly action?: string | undefined;
  readonly limit?: number | undefined;
}

/** `audit`: the audit trail, oldest first (docs/status.md "Audit trail"). */
export function auditTrail(deps: OperationDeps, query: AuditQueryInput): Promise<AuditEntry[]> {
  const q = Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined)) as { since?: string; until?: string; card?: string; action?: string; limit?: number };
  return registryOf(deps).audit(q);
}

/** `status`, `/health`: which store the registry uses and whether it answers (null: no registry). */
export function statusStoreState(deps: OperationDeps): StoreState | null {
  return deps.registry?.storeState() ?? null;
}
