import { ServiceError } from '../service-error.js';
import { fromHex, toHex } from '../../core/hex.js';
import type { SocialSecurityRead } from '../../cards/social-security/social-security-model.js';
import { CardError } from '../../cards/card-error.js';
import { KeyError } from '../../keys/key-error.js';
import type { KeyService } from '../../keys/key-service.js';
import { NONCE_PATTERN } from '../attestation/attestation.js';
import type { NationalOptions } from '../../specs/national-interface-schema.js';
import { identityFromRead } from '../../status/card-identity.js';
import type { ReaderInfo } from '../../transport/reader-info.js';
import { basFields, formatBas, type BasFields } from '../national/bas-fields.js';
import { NationalError } from '../national/national-error.js';
import { nationalFailure } from '../national/national-failure.js';
import { contactIType } from '../national/national-options.js';
import { onCard, withKeys, type CardContext } from './on-card.js';
import type { CardTarget, OperationDeps } from './operation-deps.js';

/** A national-interface failure as a result: the negative code and the text for the caller's buffer. */
export type BasFailure = { readonly kind: 'bas-failure'; readonly code: number; readonly message: string };

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
  | BasFailure;

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
  return nationalResult(request.options, async (started) => {
    contactIType(request.iType);
    if (request.nonce !== undefined && !NONCE_PATTERN.test(request.nonce)) throw new NationalError('BAD_PARAMETER', 'the nonce must be 32 hex digits');
    const got = await onCard(deps, 'card.readBas', target, async (c) => {
      started();
      const atr = toHex(c.op.transport.atr);
      return withNationalKeys(deps, c, async (keys) => {
        const read = await c.session.read({ keys, checkGenuine: keys !== undefined });
        const terminalNumber = keys?.terminalNumber ? await keys.terminalNumber() : null;
        const cardResponse = request.nonce === undefined ? undefined : await nonceAnswer(c, request.nonce);
        return { read, atr, terminalNumber, reader: c.reader, cardResponse };
      });
    });
    return basOfRead(deps, got, request.options);
  });
}

/**
 * The card's INTERNAL AUTHENTICATE answer over the nonce, or undefined when the card refuses it
 * (a status word): the read stays a read and only its signature is left empty
 * (docs/verifiable-reads.md "NHSA signature buffer"); a pulled card still fails the call.
 */
async function nonceAnswer(c: CardContext, nonce: string): Promise<string | undefined> {
  try {
    return toHex(await c.session.internalAuthenticateAnswer(fromHex(nonce)));
  } catch (e) {
    if (e instanceof CardError) return undefined;
    throw e;
  }
}

/**
 * Runs a national call: every error becomes the national code of the one table; waiting for a
 * card that never came (TIMEOUT before `started` was called, i.e. before the card was reached) is
 * "no card".
 */
export async function nationalResult<T>(options: NationalOptions, fn: (started: () => void) => Promise<T>): Promise<T | BasFailure> {
  let started = false;
  try {
    return await fn(() => {
      started = true;
    });
  } catch (e) {
    if (!started && e instanceof ServiceError && e.code === 'TIMEOUT') return { kind: 'bas-failure', ...nationalFailure(new ServiceError('NO_CARD', 'no card inserted'), options) };
    return { kind: 'bas-failure', ...nationalFailure(e, options) };
  }
}

/**
 * The 11-field result of a finished read: the holder file must have been read, a checked card
 * must be genuine, and the registry's settlement rule applies; then the string. Throws the
 * national refusals (for nationalResult).
 */
export async function basOfRead(
  deps: OperationDeps,
  got: { read: SocialSecurityRead; atr: string; terminalNumber: string | null; reader: ReaderInfo; cardResponse?: string | undefined },
  options: NationalOptions,
): Promise<BasResult> {
  const { read } = got;
  if (read.holder.status !== 'read') throw new NationalError('HOLDER_NEEDS_AUTHENTICATION', 'EF06 needs RKSSSE external authentication', read.holder.sw);
  if (read.genuine === 'not-genuine') throw new NationalError('NOT_GENUINE', 'INTERNAL AUTHENTICATE answer does not match');
  if (options.refuseRegistryLocked && deps.registry) await assertSettlementUse(deps, read);
  const fields = basFields({ card: read.card, holder: read.holder.data, atr: got.atr, terminalNumber: got.terminalNumber }, options);
  return { kind: 'bas', code: 0, text: formatBas(fields, options), fields, reader: got.reader, ...(got.cardResponse === undefined ? {} : { cardResponse: got.cardResponse }) };
}

/**
 * The keys of the national read (docs/national-interface.md "Keys"): the chosen key source, else
 * the configured one when the provider serves the national read (the daemon); a TEST key set
 * refused on this reader means no keys (a 3.0 card then answers the national error of EF06).
 */
async function withNationalKeys<T>(deps: OperationDeps, c: CardContext, fn: (keys: KeyService | undefined) => Promise<T>): Promise<T> {
  if (deps.keys.chosen) return withKeys(deps, c, fn);
  if (!deps.keys.nationalRead) return fn(undefined);
  let lease;
  try {
    lease = await deps.keys.lease(c.reader, c.op.signal);
  } catch (e) {
    if (e instanceof KeyError && e.code === 'TEST_KEYS_REFUSED') return fn(undefined);
    throw e;
  }
  try {
    return await fn(lease.keys);
  } finally {
    await lease.release();
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
