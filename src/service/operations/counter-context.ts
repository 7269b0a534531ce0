import { parseOperatorContext, type OperatorContext } from '../../status/status-policy.js';
import type { CardStatusRegistry } from '../../status/card-status-registry.js';
import { registryOf, type OperatorInput, type OperationDeps } from './operation-deps.js';

/**
 * The audit side of a counter operation (PIN reset / unblock, blocks), checked before the card is
 * touched: the registry and a valid site and operator (request value, else the configured default).
 * The audit row is written inside the card operation right after the changing command, so a
 * requester that goes away cannot leave a changed chip without its audit entry.
 */
export function counterContext(deps: OperationDeps, input: OperatorInput): { registry: CardStatusRegistry; ctx: OperatorContext } {
  const registry = registryOf(deps);
  return { registry, ctx: parseOperatorContext(operatorOf(deps, input)) };
}

/** The request's site/operator, else the configured ones. */
export function operatorOf(deps: OperationDeps, input: OperatorInput): OperatorInput {
  return { site: input.site ?? deps.operator.site, operator: input.operator ?? deps.operator.operator };
}
