import type { CardStatus } from '../../status/card-status.js';
import { identityFromCard } from '../../status/card-identity.js';
import type { ReaderInfo } from '../../transport/reader-info.js';
import { onCard } from './on-card.js';
import { registryOf, type CardTarget, type OperationDeps } from './operation-deps.js';

export interface CardStatusInReader {
  readonly reader: ReaderInfo;
  readonly status: CardStatus;
}

/** The registry's verdict on the card in the reader: EF05 only (what the registry keys on). */
export async function cardStatusInReader(deps: OperationDeps, target: CardTarget): Promise<CardStatusInReader> {
  const registry = registryOf(deps);
  const { card, reader } = await onCard(deps, 'card.status', target, async (c) => ({ card: await c.session.cardData(), reader: c.reader }), { shared: true });
  return { reader, status: await registry.statusOf(identityFromCard(card)) };
}
