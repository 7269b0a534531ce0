import type { SocialSecurityRead } from '../cards/social-security/social-security-model.js';
import { isSscardError } from '../core/sscard-error.js';
import type { CardStatus } from '../status/card-status.js';
import type { CardStatusRegistry } from '../status/card-status-registry.js';
import { identityFromRead } from '../status/card-identity.js';

/** The registry's verdict on a card just read; null with the reason when it cannot be identified. */
export interface StatusLookup {
  readonly status: CardStatus | null;
  readonly statusError?: { code: string; message: string };
}

/**
 * Looks a card already read up in the status registry (callers release the card first).
 * Identification reads always work, locked or not: the lock is shown, not enforced, here
 * (enforcement is `assertUsable` before PIN use and settlement).
 */
export async function lookUpStatus(registry: CardStatusRegistry, read: SocialSecurityRead): Promise<StatusLookup> {
  try {
    return { status: await registry.statusOf(identityFromRead(read)) };
  } catch (e) {
    if (!isSscardError(e)) throw e;
    return { status: null, statusError: { code: e.code, message: e.message } };
  }
}
