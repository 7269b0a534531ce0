import { onCard } from './on-card.js';
import type { OperationDeps } from './operation-deps.js';

/** The card number of the card just inserted into `reader` (EF05 only), for `watch`. */
export async function cardNumberIn(deps: OperationDeps, reader: string): Promise<string> {
  return onCard(deps, 'watch', { reader }, async (c) => (await c.session.cardData()).cardNumber);
}
