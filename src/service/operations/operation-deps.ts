import type { CardStatusRegistry } from '../../status/card-status-registry.js';
import type { CardService } from '../card-service.js';
import type { KeyProvider } from '../key-provider.js';
import { ServiceError } from '../service-error.js';

/** Who performs a change and where, before validation (config defaults, overridden per request). */
export interface OperatorInput {
  readonly site?: string | undefined;
  readonly operator?: string | undefined;
}

/** What every card operation runs on: built once per process by the composition root (src/compose/). */
export interface OperationDeps {
  readonly cards: CardService;
  /** The card-status registry; null when it could not be opened (status answers STATUS_UNAVAILABLE). */
  readonly registry: CardStatusRegistry | null;
  readonly keys: KeyProvider;
  /** Defaults for the audit trail (status config: site, operator). */
  readonly operator: OperatorInput;
}

/** Which card, and the requester's lifetime. */
export interface CardTarget {
  /** Reader id or exact name; without it, the one reader holding a card. */
  readonly reader?: string | undefined;
  /** Aborts a queued operation, or stops a running one at its next APDU. */
  readonly signal?: AbortSignal | undefined;
  /** Wait this long for a card (CLI `--wait`); default: NO_CARD at once. */
  readonly waitForCardMs?: number | undefined;
  readonly onWaiting?: ((what: string) => void) | undefined;
}

/** The registry, or STATUS_UNAVAILABLE when it could not be opened. */
export function registryOf(deps: OperationDeps): CardStatusRegistry {
  if (!deps.registry) throw new ServiceError('STATUS_UNAVAILABLE', 'the card-status registry is not available');
  return deps.registry;
}
