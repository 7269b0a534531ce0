import type { SocialSecurityRead } from '../cards/social-security/social-security-model.js';
import type { SocialSecuritySession } from '../cards/social-security/social-security-session.js';
import { isSscardError } from '../core/sscard-error.js';
import type { CardStatus } from '../status/card-status.js';
import type { CardStatusRegistry } from '../status/card-status-registry.js';
import { identityFromRead } from '../status/card-identity.js';

/** A card read with the registry's verdict on that card (every read shows the status). */
export interface ReadWithStatus {
  readonly read: SocialSecurityRead;
  /** null when the card cannot be identified for the registry (reason in `statusError`). */
  readonly status: CardStatus | null;
  readonly statusError?: { code: string; message: string };
}

/**
 * Reads the social-security data and looks the card up in the status registry. Identification
 * reads always work, locked or not: the lock is shown, not enforced, here (enforcement is
 * `assertUsable` before PIN use and settlement).
 */
export async function readWithStatus(
  session: SocialSecuritySession,
  registry: CardStatusRegistry,
  options?: Parameters<SocialSecuritySession['read']>[0],
): Promise<ReadWithStatus> {
  const read = await session.read(options);
  return { read, ...(await lookUpStatus(registry, read)) };
}

/** The registry's verdict on a card already read (callers may release the card first). */
export async function lookUpStatus(registry: CardStatusRegistry, read: SocialSecurityRead): Promise<Omit<ReadWithStatus, 'read'>> {
  try {
    return { status: await registry.statusOf(identityFromRead(read)) };
  } catch (e) {
    if (!isSscardError(e)) throw e;
    return { status: null, statusError: { code: e.code, message: e.message } };
  }
}
