import type { PinStatus } from '../../cards/social-security/commands/parse-security.js';
import type { ReaderInfo } from '../../transport/reader-info.js';
import { onCard } from './on-card.js';
import type { CardTarget, OperationDeps } from './operation-deps.js';

export interface PinStatusResult {
  readonly reader: ReaderInfo;
  readonly pin: PinStatus;
}

/** `pin.status`: VERIFY without data (spends no try); nothing else is read. */
export async function pinStatus(deps: OperationDeps, target: CardTarget): Promise<PinStatusResult> {
  return onCard(deps, 'pin.status', target, async (c) => ({ reader: c.reader, pin: await c.session.pinStatus() }));
}
