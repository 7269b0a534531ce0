import { PinBuffer } from '../core/pin-buffer.js';
import type { SocialSecurityRead } from '../cards/social-security/social-security-model.js';
import { SocialSecuritySession } from '../cards/social-security/social-security-session.js';
import type { CardService } from '../service/card-service.js';
import { lookUpStatus } from '../service/read-with-status.js';
import { identityFromCard } from '../status/card-identity.js';
import type { CardStatus } from '../status/card-status.js';
import type { WireErrorCode } from './protocol/error-codes.js';
import type { CardStatusRegistry } from '../status/card-status-registry.js';
import type { Role } from './protocol/api-level.js';
import type { MethodName, ResultOf, ValidParamsOf } from './protocol/methods.js';
import type { PinOperations } from './pin-operations.js';
import { WireError } from './wire-error.js';
import { wireReader, wireReaderState } from './wire-reader.js';

/** What a handler knows about the caller: never more than the role and the abort signal. */
export interface CallContext {
  readonly connectionId: number;
  readonly role: Role;
  readonly principal: string;
  /** Aborts when the connection closes: queued card operations are dropped, a running one stops at the next APDU. */
  readonly signal: AbortSignal;
}

export type Handler<M extends MethodName> = (params: ValidParamsOf<M>, ctx: CallContext) => Promise<ResultOf<M>>;
/** Methods handled by the connection itself (session state), not here. */
export type SessionMethod = 'hello' | 'events.subscribe' | 'events.unsubscribe';
export type Handlers = { [M in Exclude<MethodName, SessionMethod>]: Handler<M> };

export interface HandlerDeps {
  readonly service: CardService;
  /** null when the registry could not be opened (every status answer is then STATUS_UNAVAILABLE). */
  readonly statusRegistry: CardStatusRegistry | null;
  /** Site and default operator for registry changes (status config). */
  readonly site: string | undefined;
  readonly operator: string | undefined;
  readonly pcscUp: () => boolean;
  /** The PIN operations (src/cards/social-security/pin); null when this build has none. */
  readonly pin: PinOperations | null;
}

/** The method implementations over the card service and the status registry. */
export function createHandlers(deps: HandlerDeps): Handlers {
  const { service } = deps;
  const registry = (): CardStatusRegistry => {
    if (!deps.statusRegistry) throw new WireError('STATUS_UNAVAILABLE');
    return deps.statusRegistry;
  };
  const ctxOf = (operator: string | undefined) => ({ site: deps.site, operator: operator ?? deps.operator });
  const readCard = (label: string, reader: string | undefined, ctx: CallContext) =>
    service.run({ label, reader, signal: ctx.signal }, async (op) => ({ read: await new SocialSecuritySession(op.stack).read(), reader: op.info.reader }));
  const pin = (): PinOperations => {
    if (!deps.pin) throw new WireError('METHOD_NOT_FOUND');
    return deps.pin;
  };

  return {
    'readers.list': async () => ({ readers: service.registry.readers().map(wireReaderState), pcscUp: deps.pcscUp() }),

    'card.read': async (params, ctx) => {
      const { read, reader } = await readCard('card.read', params.reader, ctx);
      // The registry lookup runs after the card is released: the reader is held for the APDUs only.
      const { status, statusError } = await statusOf(deps.statusRegistry, read);
      return { reader: wireReader(reader), application: 'social', data: read, status, ...(statusError ? { statusError } : {}) };
    },

    'card.status': async (params, ctx) => {
      // The registry keys on EF05 (card identification code + card number): no holder data read.
      const { card, reader } = await service.run({ label: 'card.status', reader: params.reader, signal: ctx.signal }, async (op) => ({
        card: await new SocialSecuritySession(op.stack).cardData(),
        reader: op.info.reader,
      }));
      return { reader: wireReader(reader), status: await registry().statusOf(identityFromCard(card)) };
    },

    'card.lock': async (p) => ({
      status: await registry().lock({ cardIdentificationCode: p.cardIdentificationCode, cardNumber: p.cardNumber, ssn: p.ssn }, p.kind, ctxOf(p.operator), p.reason),
    }),

    'card.release': async (p) => ({
      status: await registry().release({ cardIdentificationCode: p.cardIdentificationCode, cardNumber: p.cardNumber, ssn: p.ssn }, ctxOf(p.operator), p.reason),
    }),

    'card.block': async (p, ctx) =>
      pin().blockApplication({ reader: p.reader, signal: ctx.signal, confirm: p.confirm, cardNumber: p.cardNumber, operatorContext: ctxOf(p.operator) }),

    'pin.status': async (p, ctx) => pin().status({ reader: p.reader, signal: ctx.signal }),

    'pin.verify': async (p, ctx) =>
      withPins([p.pin], ([pinBuf]) => pin().verify({ reader: p.reader, signal: ctx.signal, pin: pinBuf!, confirmLastTry: p.confirmLastTry === true })),

    'pin.change': async (p, ctx) =>
      withPins([p.oldPin, p.newPin], ([oldPin, newPin]) =>
        pin().change({ reader: p.reader, signal: ctx.signal, oldPin: oldPin!, newPin: newPin!, confirmLastTry: p.confirmLastTry === true }),
      ),

    'pin.reset': async (p, ctx) =>
      withPins([p.newPin], ([newPin]) => pin().reset({ reader: p.reader, signal: ctx.signal, newPin: newPin!, operatorContext: ctxOf(p.operator) })),

    'pin.unblock': async (p, ctx) => pin().unblock({ reader: p.reader, signal: ctx.signal, operatorContext: ctxOf(p.operator) }),
  };
}

/**
 * Converts the validated PIN strings to PinBuffers at once, runs `fn`, and wipes the buffers
 * whatever happens (style.md §12). The strings themselves are dropped with the params object.
 */
async function withPins<T>(pins: string[], fn: (buffers: PinBuffer[]) => Promise<T>): Promise<T> {
  const buffers = pins.map((x) => PinBuffer.fromString(x));
  pins.fill('');
  try {
    return await fn(buffers);
  } finally {
    for (const b of buffers) b.wipe();
  }
}

/** The registry's code mapped to the one wire code a page can act on. */
const NOT_IDENTIFIABLE = new Set(['BAD_CARD_IDENTITY', 'IDENTITY_MISMATCH']);

async function statusOf(registry: CardStatusRegistry | null, read: SocialSecurityRead): Promise<{ status: CardStatus | null; statusError?: { code: WireErrorCode } }> {
  if (!registry) return { status: null, statusError: { code: 'STATUS_UNAVAILABLE' } };
  const { status, statusError } = await lookUpStatus(registry, read);
  if (!statusError) return { status };
  return { status: null, statusError: { code: NOT_IDENTIFIABLE.has(statusError.code) ? 'CARD_NOT_IDENTIFIABLE' : 'STATUS_UNAVAILABLE' } };
}
