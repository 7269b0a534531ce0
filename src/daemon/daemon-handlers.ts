import { PinBuffer } from '../core/pin-buffer.js';
import type { CardOperations } from '../service/operations/card-operations.js';
import type { NationalOptions } from '../service/national/national-options.js';
import { attestRead, type InstallationKey } from '../service/attestation/sign-attestation.js';
import type { ReadCardResult } from '../service/operations/read-card.js';
import type { ReaderRegistry } from '../service/reader-registry.js';
import type { Role } from './protocol/api-level.js';
import type { WireErrorCode } from './protocol/error-codes.js';
import type { MethodName, ResultOf, ValidParamsOf } from './protocol/methods.js';
import type { CardReadResult } from './protocol/wire-results.js';
import type { WireEvent } from './protocol/events.js';
import { WireError } from './wire-error.js';
import { cardReadApplications, checkApplicationsParams } from './card-read-applications.js';
import { wireAudit, wireBas, wireBasHsmStep1, wireNationalPin, wireRead, wireStatus } from './wire-map.js';
import { NATIONAL_PIN_ROLE } from './national-pin-http.js';
import { NationalError } from '../service/national/national-error.js';
import { PC_PIN_FIELDS, type NationalPinFunction } from '../service/national/national-pin-functions.js';
import { roleAllows } from './protocol/api-level.js';
import { wireReader, wireReaderState } from './wire-reader.js';

/** What a handler knows about the caller: never more than the role and the abort signal. */
export interface CallContext {
  readonly connectionId: number;
  readonly role: Role;
  readonly principal: string;
  /** Aborts when the connection closes: queued card operations are dropped, a running one stops at the next APDU. */
  readonly signal: AbortSignal;
  /** Charges the PIN budget of this connection and its origin; throws RATE_LIMITED when spent (docs/daemon.md). */
  readonly chargePin: () => void;
  /** Sends one event to this connection only, subscribed or not (the PIN-pad prompt). */
  readonly notify: (e: WireEvent) => void;
}

export type Handler<M extends MethodName> = (params: ValidParamsOf<M>, ctx: CallContext) => Promise<ResultOf<M>>;
/** Methods handled by the connection itself (session state), not here. */
export type SessionMethod = 'hello' | 'events.subscribe' | 'events.unsubscribe';
export type Handlers = { [M in Exclude<MethodName, SessionMethod>]: Handler<M> };

export interface HandlerDeps {
  readonly operations: CardOperations;
  readonly readers: ReaderRegistry;
  readonly pcscUp: () => boolean;
  /** The installation's signing key (verifiable reads); null before `sscard keys init`. */
  readonly installationKey?: InstallationKey | null | undefined;
  /** Settled national-interface settings (card.readBas). */
  readonly national: NationalOptions;
}

/**
 * The daemon face: each method parses (done by the declaration), calls one card operation of
 * src/service/operations and maps the domain result to its wire type. No card logic here.
 */
export function createHandlers({ operations: ops, readers, pcscUp, national, installationKey }: HandlerDeps): Handlers {
  const target = (p: { reader?: string | undefined }, ctx: CallContext) => ({ reader: p.reader, signal: ctx.signal });
  const card = (p: { cardIdentificationCode: string; cardNumber: string; ssn?: string | undefined }) => ({
    cardIdentificationCode: p.cardIdentificationCode,
    cardNumber: p.cardNumber,
    ssn: p.ssn,
  });
  const ok = (r: { reader: Parameters<typeof wireReader>[0] }) => ({ reader: wireReader(r.reader), ok: true as const });

  return {
    'readers.list': async () => ({ readers: readers.readers().map(wireReaderState), pcscUp: pcscUp() }),
    'card.read': async (p, ctx) => {
      // A verifiable read attests the social read alone (docs/verifiable-reads.md): not with `applications`.
      if (p.applications && p.nonce !== undefined) throw new WireError('INVALID_PARAMS', { issues: [{ path: ['nonce'], message: 'not with applications' }] });
      if (p.applications) return cardReadApplications(ops, { ...p, applications: p.applications }, target(p, ctx), ctx.role);
      checkApplicationsParams(p, ctx.role);
      if (p.nonce === undefined) return wireCardRead(await ops.readCard(target(p, ctx)));
      if (!installationKey) throw new WireError('ATTESTATION_UNAVAILABLE');
      const r = await ops.readCard(target(p, ctx), { nonce: p.nonce });
      const wire = wireCardRead(r);
      if (r.kind !== 'read' || r.cardResponse === undefined) return wire;
      const signed = attestRead(installationKey, { data: wire.data, nonce: p.nonce, cardResponse: r.cardResponse, reader: wire.reader, time: new Date() });
      return { ...wire, attestation: signed.attestation };
    },
    'card.readBas': async (p, ctx) => wireBas(await ops.readCardBas(target(p, ctx), { iType: p.iType, options: national })),
    'card.readBasHsmStep1': async (p, ctx) => wireBasHsmStep1(await ops.readCardBasHsmStep1(target(p, ctx), { iType: p.iType, options: national, holdSignal: ctx.signal })),
    'card.readBasHsmStep2': async (p, ctx) => wireBas(await ops.readCardBasHsmStep2(target(p, ctx), { key: p.key, options: national })),
    // Reload and unblock are counter operations (docs/national-interface.md "PIN functions").
    'card.nationalPin': async (p, ctx) => {
      if (!roleAllows(ctx.role, NATIONAL_PIN_ROLE[p.fn])) throw new WireError('FORBIDDEN', { required: NATIONAL_PIN_ROLE[p.fn] });
      const pins = nationalPinsOf(p.fn, p);
      const run = (buffers: PinBuffer[] | undefined) =>
        ops.nationalPin(target(p, ctx), {
          fn: p.fn,
          iType: p.iType,
          pins: buffers,
          options: national,
          entry: padEntry(p, ctx),
          // PINs typed on the pad are typed now; PINs in params may be stored ones (pin.verify's guard)
          confirmLastTry: buffers === undefined || p.confirmLastTry === true,
          // the national answer to a spent budget (-11 "too many PIN attempts"), as on the C routes
          beforePresent: () => {
            try {
              ctx.chargePin();
            } catch {
              throw new NationalError('PIN_RATE_LIMITED', 'PIN budget spent');
            }
          },
        });
      return wireNationalPin(pins ? await withPins(pins, run) : await run(undefined));
    },
    // The photo goes back on this connection only, as this request's result (docs/collect.md).
    'card.photo': async (p, ctx) => {
      const r = await ops.readPhoto(target(p, ctx), { keys: 'always' });
      const jpeg = r.photo.status === 'read' ? r.photo.jpeg : undefined;
      return {
        reader: wireReader(r.reader),
        photo: jpeg ? { mime: 'image/jpeg' as const, dataUrl: `data:image/jpeg;base64,${Buffer.from(jpeg).toString('base64')}`, bytes: jpeg.length } : null,
      };
    },
    'card.status': async (p, ctx) => {
      const r = await ops.cardStatusInReader(target(p, ctx));
      return { reader: wireReader(r.reader), status: wireStatus(r.status) };
    },
    'card.lock': async (p) => ({ status: wireStatus(await ops.lockCard({ card: card(p), kind: p.kind, operator: p.operator, reason: p.reason })) }),
    'card.release': async (p) => ({ status: wireStatus(await ops.releaseCard({ card: card(p), operator: p.operator, reason: p.reason })) }),
    'card.replace': async (p) => ({ status: wireStatus(await ops.requestReplacement({ card: card(p), operator: p.operator, reason: p.reason })) }),
    'card.cancel': async (p) => ({ status: wireStatus(await ops.cancelCard({ card: card(p), operator: p.operator, reason: p.reason })) }),
    'audit.list': async (p) => ({ entries: (await ops.auditTrail(p)).map(wireAudit) }),
    'card.block': async (p, ctx) => {
      const block = p.confirm === 'BLOCK-CARD' ? 'card' : 'application';
      return { status: wireStatus((await ops.blockCard({ target: target(p, ctx), block, confirm: p.confirm, cardNumber: p.cardNumber, operator: p.operator })).status) };
    },
    'pin.status': async (p, ctx) => {
      const r = await ops.pinStatus(target(p, ctx));
      return { reader: wireReader(r.reader), triesLeft: r.pin.state === 'blocked' ? 0 : r.pin.triesLeft, blocked: r.pin.state === 'blocked' };
    },
    'pin.verify': async (p, ctx) =>
      withPins(pinsOf(p.onReader, { pin: p.pin }), async ([pin]) =>
        ok(await ops.pinVerify({ target: target(p, ctx), pin, ...padEntry(p, ctx), confirmLastTry: p.confirmLastTry === true, beforePresent: ctx.chargePin })),
      ),
    'pin.change': async (p, ctx) =>
      withPins(pinsOf(p.onReader, { oldPin: p.oldPin, newPin: p.newPin }), async ([oldPin, newPin]) =>
        ok(await ops.pinChange({ target: target(p, ctx), oldPin, newPin, ...padEntry(p, ctx), confirmLastTry: p.confirmLastTry === true, beforePresent: ctx.chargePin })),
      ),
    'pin.reset': async (p, ctx) => withPins([p.newPin], async ([newPin]) => ok(await ops.pinReset({ target: target(p, ctx), newPin: newPin!, operator: p.operator }))),
    'pin.unblock': async (p, ctx) => ok(await ops.pinUnblock({ target: target(p, ctx), operator: p.operator })),
  };
}

/** The registry's codes mapped to the one wire code a page can act on. */
const NOT_IDENTIFIABLE = new Set(['BAD_CARD_IDENTITY', 'IDENTITY_MISMATCH']);

/** card.read: a permanently blocked card is a typed refusal on the wire (APPLICATION_BLOCKED / CARD_BLOCKED). */
function wireCardRead(r: ReadCardResult): CardReadResult {
  if (r.kind === 'blocked') throw new WireError(r.block === 'application' ? 'APPLICATION_BLOCKED' : 'CARD_BLOCKED');
  const statusError: { code: WireErrorCode } | undefined = r.statusError
    ? { code: NOT_IDENTIFIABLE.has(r.statusError.code) ? 'CARD_NOT_IDENTIFIABLE' : 'STATUS_UNAVAILABLE' }
    : undefined;
  return { reader: wireReader(r.reader), application: 'social', data: wireRead(r.read), status: r.status && wireStatus(r.status), ...(statusError ? { statusError } : {}) };
}

/**
 * The PIN params of a holder PIN method (docs/readers.md "PIN pads"): all of them, or none with
 * `onReader: true`; anything else is INVALID_PARAMS (naming the fields, never their values).
 */
function pinsOf(onReader: true | undefined, fields: Record<string, string | undefined>): string[] {
  const given = Object.entries(fields).filter(([, v]) => v !== undefined);
  const bad = onReader ? given.map(([k]) => k) : Object.keys(fields).filter((k) => fields[k] === undefined);
  if (bad.length > 0) {
    const message = onReader ? 'no PIN with onReader: the PIN is typed on the reader' : 'required (or onReader: true for a PIN-pad reader)';
    throw new WireError('INVALID_PARAMS', { issues: bad.map((k) => ({ path: [k], message })) });
  }
  return given.map(([, v]) => v!);
}

/**
 * card.nationalPin's PIN params: none (the reader's PIN pad) or all of the function's
 * (PC_PIN_FIELDS); another function's field or a part of them is INVALID_PARAMS (paths, never values).
 */
function nationalPinsOf(fn: NationalPinFunction, p: Partial<Record<'pin' | 'oldPin' | 'newPin', string>>): string[] | undefined {
  const fields = PC_PIN_FIELDS[fn];
  const given = (['pin', 'oldPin', 'newPin'] as const).filter((k) => p[k] !== undefined);
  const foreign = given.filter((k) => !fields.includes(k));
  const missing = given.length === 0 ? [] : fields.filter((k) => p[k as keyof typeof p] === undefined);
  if (foreign.length + missing.length > 0) {
    const issues = [...foreign.map((k) => ({ path: [k], message: `not a PIN of ${fn}` })), ...missing.map((k) => ({ path: [k], message: 'required with the other PIN params (or none: the PIN pad)' }))];
    throw new WireError('INVALID_PARAMS', { issues });
  }
  return given.length === 0 ? undefined : fields.map((k) => p[k as keyof typeof p]!);
}

/** The PIN-pad part of a holder PIN request: the prompt goes to the requesting connection only. */
function padEntry(p: { forcePcEntry?: boolean | undefined }, ctx: CallContext) {
  return {
    forcePcEntry: p.forcePcEntry === true,
    onPinPad: (message: string, reader: Parameters<typeof wireReader>[0]) =>
      ctx.notify({ type: 'pin-entry', reader: wireReader(reader), message: message as 'enter the PIN on the reader' }),
  };
}

/**
 * Converts the validated PIN strings to PinBuffers at once, runs `fn`, and wipes the buffers
 * whatever happens (docs/pin.md "PIN handling"). The strings are dropped with the params object.
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
