import { ServiceError } from '../service-error.js';
import { fromHex, toHex } from '../../core/hex.js';
import { NONCE_PATTERN } from '../attestation/attestation.js';
import type { NationalOptions } from '../../specs/national-interface-schema.js';
import { identityFromRead } from '../../status/card-identity.js';
import type { ReaderInfo } from '../../transport/reader-info.js';
import { basFields, formatBas, type BasFields } from '../national/bas-fields.js';
import { NationalError } from '../national/national-error.js';
import { nationalFailure } from '../national/national-failure.js';
import type { NationalIType } from '../national/national-options.js';
import { onCard, withOptionalKeys } from './on-card.js';
import type { CardTarget, OperationDeps } from './operation-deps.js';

/** The national `iReadCardBas` result: 0 and the 11-field string, or a national negative code and its text. */
export type BasResult =
  | {
      readonly kind: 'bas';
      readonly code: 0;
      readonly text: string;
      readonly fields: BasFields;
      readonly reader: ReaderInfo;
      /** With a nonce: the card's INTERNAL AUTHENTICATE answer over it, 16 hex (docs/verifiable-reads.md). */
      readonly cardResponse?: string;
    }
  | { readonly kind: 'bas-failure'; readonly code: number; readonly message: string };

export interface BasRequest {
  /** iType (default 3, auto contact-first). Every reader sscard drives is a contact reader. */
  readonly iType?: number | undefined;
  /** Settled settings (nationalOptions()). */
  readonly options: NationalOptions;
  /** 32 hex: also ask the card for its INTERNAL AUTHENTICATE answer over it (a verifiable read). */
  readonly nonce?: string | undefined;
}

/**
 * `iReadCardBas` (docs/national-interface.md): the card read (EF05, EF06; with a key source also
 * RKSSSE on 3.0 cards and INTERNAL AUTHENTICATE), the PSAM terminal number, then the registry's
 * settlement rule. Never throws for card, reader or registry outcomes: every failure is the
 * national code of the one mapping table (nationalFailure).
 */
export async function readCardBas(deps: OperationDeps, target: CardTarget, request: BasRequest): Promise<BasResult> {
  let started = false;
  try {
    const iType = request.iType ?? 3;
    if (!Number.isInteger(iType) || iType < 1 || iType > 4) throw new NationalError('BAD_PARAMETER', 'iType must be 1, 2, 3 or 4');
    if (request.nonce !== undefined && !NONCE_PATTERN.test(request.nonce)) throw new NationalError('BAD_PARAMETER', 'the nonce must be 32 hex digits');
    if ((iType as NationalIType) === 2) throw new NationalError('INTERFACE_UNAVAILABLE', 'contactless (iType 2) is not available on contact readers');
    const got = await onCard(deps, 'card.readBas', target, async (c) => {
      started = true;
      const atr = toHex(c.op.transport.atr);
      return withOptionalKeys(deps, c, async (keys) => {
        const read = await c.session.read({ keys, checkGenuine: keys !== undefined });
        const terminalNumber = keys?.terminalNumber ? await keys.terminalNumber() : null;
        const cardResponse = request.nonce === undefined ? undefined : toHex(await c.session.internalAuthenticateAnswer(fromHex(request.nonce)));
        return { read, atr, terminalNumber, reader: c.reader, cardResponse };
      });
    });
    const { read } = got;
    if (read.holder.status !== 'read') throw new NationalError('HOLDER_NEEDS_AUTHENTICATION', 'EF06 needs RKSSSE external authentication', read.holder.sw);
    if (read.genuine === 'not-genuine') throw new NationalError('NOT_GENUINE', 'INTERNAL AUTHENTICATE answer does not match');
    if (request.options.refuseRegistryLocked && deps.registry) await assertSettlementUse(deps, read);
    const fields = basFields({ card: read.card, holder: read.holder.data, atr: got.atr, terminalNumber: got.terminalNumber }, request.options);
    return { kind: 'bas', code: 0, text: formatBas(fields, request.options), fields, reader: got.reader, ...(got.cardResponse === undefined ? {} : { cardResponse: got.cardResponse }) };
  } catch (e) {
    // Waiting for a card that never came (TIMEOUT before the card was reached) is "no card".
    if (!started && e instanceof ServiceError && e.code === 'TIMEOUT') return { kind: 'bas-failure', ...nationalFailure(new ServiceError('NO_CARD', 'no card inserted'), request.options) };
    return { kind: 'bas-failure', ...nationalFailure(e, request.options) };
  }
}

/** The registry's settlement rule: a locked card is refused; a card it cannot identify is read anyway (reported, never rejected). */
async function assertSettlementUse(deps: OperationDeps, read: Parameters<typeof identityFromRead>[0]): Promise<void> {
  let identity;
  try {
    identity = identityFromRead(read);
  } catch {
    return;
  }
  await deps.registry!.assertUsable(identity, 'settlement');
}
