import type { CardIdentityInput } from '../../status/card-status-registry.js';
import type { CardStatus } from '../../status/card-status.js';
import { operatorOf } from './counter-context.js';
import { registryOf, type OperationDeps, type OperatorInput } from './operation-deps.js';

/**
 * Loss locks and the card's life cycle in the card-status registry (docs/status.md): the card
 * need not be present. Each change is audited by the registry with the site and operator
 * (request value, else the configured default); the registry's rules refuse with their name.
 */
export interface StatusChangeInput extends OperatorInput {
  readonly card: CardIdentityInput;
  /** Free text for the audit trail (never a PIN). */
  readonly reason?: string | undefined;
}

/** `lock --temporary|--formal` / `card.lock`. */
export function lockCard(deps: OperationDeps, input: StatusChangeInput & { readonly kind: 'temporary' | 'formal' }): Promise<CardStatus> {
  return registryOf(deps).lock(input.card, input.kind, operatorOf(deps, input), input.reason);
}

/** `release` / `card.release` (rules R4/R5). */
export function releaseCard(deps: OperationDeps, input: StatusChangeInput): Promise<CardStatus> {
  return registryOf(deps).release(input.card, operatorOf(deps, input), input.reason);
}

/** `replace-requested` / `card.replace`: needs a formal lock; the lost card is never released. */
export function requestReplacement(deps: OperationDeps, input: StatusChangeInput): Promise<CardStatus> {
  return registryOf(deps).requestReplacement(input.card, operatorOf(deps, input), input.reason);
}

/** `cancel` / `card.cancel`: final. */
export function cancelCard(deps: OperationDeps, input: StatusChangeInput): Promise<CardStatus> {
  return registryOf(deps).cancel(input.card, operatorOf(deps, input), input.reason);
}
