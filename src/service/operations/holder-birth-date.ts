import type { KeyService } from '../../keys/key-service.js';
import type { CardContext } from './on-card.js';

/**
 * The holder's birth date from EF06, for the new-PIN policy (issuers tell holders not to use it).
 * A 3.0 card shows EF06 only after RKSSSE external authentication, so only with `keys`; without
 * them, or when EF06 stays closed, null (the birth-date rule is then skipped).
 */
export async function holderBirthDate(c: CardContext, keys: KeyService | undefined): Promise<string | null> {
  const holder = keys ? (await c.session.read({ keys })).holder : await c.session.readHolder();
  return holder.status === 'read' ? holder.data.birthDate : null;
}
