/**
 * The national reader interface's HSM flow (docs/reference/card-spec.md §4, `iReadCardBas_HSM_Step1/2`): the
 * middleware hands out the authentication factors, the caller computes the values with its own
 * HSM (加密机), and hands them back. Step 2 yields a KeyService that answers exactly the prepared
 * INTERNAL / EXTERNAL AUTHENTICATE once each and nothing else. Flow: docs/keys.md "HSM two-step".
 */
import { bytesEqual, fromHex, toHex } from '../../core/hex.js';
import type { PinBuffer } from '../../core/pin-buffer.js';
import type { CardAlgorithmId } from '../algorithm.js';
import { cardKeyContext, type CardKeyContext } from '../card-key-context.js';
import { expectLength } from '../crypto/bytes.js';
import { KeyError } from '../key-error.js';
import type { ExternalAuthRole, MacRole, PinRole } from '../key-role.js';
import type { KeyService } from '../key-service.js';

/** One authentication request: the 8-byte factor (r8 / card challenge) and the 8-byte original data d8. */
export interface HsmAuthRequest {
  readonly factor: Uint8Array;
  readonly original: Uint8Array;
}

/** Step 1 output, field by field in the order of the `|` string. */
export interface HsmAuthFactors {
  readonly regionCode: string;
  readonly atrHistorical: Uint8Array;
  readonly algorithmId: CardAlgorithmId;
  /** Card identification code (EF05 tag 01), 32 hex digits on a real card. */
  readonly cardId: string;
  /** INTERNAL AUTHENTICATE `r8 ‖ d8` (IRK). */
  readonly internal: HsmAuthRequest;
  /** EXTERNAL AUTHENTICATE: the card's GET CHALLENGE R8 and d8; absent when the read needs none. */
  readonly external?: HsmAuthRequest | undefined;
}

/** One computed value with the original it was computed over (echoed back for checking). */
export interface HsmAuthValue {
  readonly auth: Uint8Array;
  readonly original: Uint8Array;
}

/** Step 2 input. */
export interface HsmAuthValues {
  /** Expected INTERNAL AUTHENTICATE answer `Auth(SessionKey(CK_IRK, r8), d8)`. */
  readonly internal: HsmAuthValue;
  /** EXTERNAL AUTHENTICATE value `Auth(SessionKey(CK_role, R8), d8)`. */
  readonly external?: HsmAuthValue | undefined;
}

const HEX16 = /^[0-9A-Fa-f]{16}$/;
const bad = (message: string) => new KeyError('HSM_BAD_VALUES', message);

function pair(name: string, p: HsmAuthRequest): HsmAuthRequest {
  expectLength(`${name} factor`, p.factor, 8);
  expectLength(`${name} original`, p.original, 8);
  return { factor: Uint8Array.from(p.factor), original: Uint8Array.from(p.original) };
}

/**
 * Step 1: the factors for a card as a typed object and as the interface string
 * `region|ATR hist|alg id|card id|internal factor|internal original|external factor|external original|`
 * (empty external fields when there is no external authentication).
 */
export function hsmStep1(input: {
  ctx: CardKeyContext;
  cardId: string;
  internal: HsmAuthRequest;
  external?: HsmAuthRequest | undefined;
}): { factors: HsmAuthFactors; text: string } {
  if (!/^[0-9A-Fa-f]*$/.test(input.cardId)) throw new KeyError('BAD_KEY_INPUT', 'card identification code must be hex digits');
  const factors: HsmAuthFactors = {
    regionCode: input.ctx.regionCode,
    atrHistorical: Uint8Array.from(input.ctx.atrHistorical),
    algorithmId: input.ctx.algorithmId,
    cardId: input.cardId.toUpperCase(),
    internal: pair('internal', input.internal),
    external: input.external ? pair('external', input.external) : undefined,
  };
  return { factors, text: formatHsmStep1(factors) };
}

export function formatHsmStep1(f: HsmAuthFactors): string {
  const ext = f.external ? [toHex(f.external.factor), toHex(f.external.original)] : ['', ''];
  return [f.regionCode, toHex(f.atrHistorical), f.algorithmId, f.cardId, toHex(f.internal.factor), toHex(f.internal.original), ...ext, ''].join('|');
}

/** Parses a step-1 string (what the HSM side receives). */
export function parseHsmStep1(text: string): HsmAuthFactors {
  const fields = text.trim().split('|');
  if (fields.at(-1) === '') fields.pop();
  if (fields.length !== 8 && fields.length !== 6) throw bad(`HSM step 1 needs 8 '|'-separated fields, got ${fields.length}`);
  const [region, hist, alg, cardId, intF, intO, extF = '', extO = ''] = fields as [string, string, string, string, string, string, string?, string?];
  for (const [name, v] of [['internal factor', intF], ['internal original', intO]] as const) {
    if (!HEX16.test(v)) throw bad(`HSM step 1: ${name} must be 16 hex digits`);
  }
  const hasExternal = extF !== '' || extO !== '';
  if (hasExternal && (!HEX16.test(extF) || !HEX16.test(extO))) throw bad('HSM step 1: external factor and original must be 16 hex digits');
  if (!/^[0-9A-Fa-f]+$/.test(hist)) throw bad('HSM step 1: ATR historical bytes must be hex');
  if (!/^[0-9]{6}$/.test(region)) throw bad('HSM step 1: region code must be 6 digits');
  const ctx = cardKeyContext({ algorithmId: alg, regionCode: region, atrHistorical: fromHex(hist) });
  return {
    regionCode: ctx.regionCode,
    atrHistorical: ctx.atrHistorical,
    algorithmId: ctx.algorithmId,
    cardId: cardId.toUpperCase(),
    internal: { factor: fromHex(intF), original: fromHex(intO) },
    external: hasExternal ? { factor: fromHex(extF), original: fromHex(extO) } : undefined,
  };
}

/** The card context the factors describe (for the HSM side). */
export function hsmCardContext(f: HsmAuthFactors): CardKeyContext {
  return { algorithmId: f.algorithmId, regionCode: f.regionCode, atrHistorical: f.atrHistorical };
}

/** Step-2 string `int16hex+orig16hex|ext16hex+orig16hex|` (`+` = concatenation; no external: `int+orig|`). */
export function formatHsmStep2(v: HsmAuthValues): string {
  const part = (x: HsmAuthValue) => toHex(x.auth) + toHex(x.original);
  return `${part(v.internal)}|${v.external ? part(v.external) : ''}|`;
}

/**
 * Parses the step-2 string. Each part is 32 hex digits (auth value then original), optionally
 * written with a literal `+` between the halves; surrounding spaces ignored.
 */
export function parseHsmStep2(text: string): HsmAuthValues {
  const fields = text.trim().split('|');
  if (fields.at(-1) === '') fields.pop();
  if (fields.length < 1 || fields.length > 2) throw bad(`HSM step 2 needs 1 or 2 '|'-terminated parts, got ${fields.length}`);
  const part = (name: string, raw: string): HsmAuthValue => {
    const s = raw.trim().replace('+', '');
    if (!/^[0-9A-Fa-f]{32}$/.test(s)) throw bad(`HSM step 2: ${name} part must be 16 hex digits of value and 16 of original`);
    return { auth: fromHex(s.slice(0, 16)), original: fromHex(s.slice(16)) };
  };
  const ext = fields[1]?.trim();
  return { internal: part('internal', fields[0]!), external: ext ? part('external', ext) : undefined };
}

/**
 * What the HSM computes for step 1, using any KeyService as the HSM (a SoftKeyService in tests,
 * or an adapter to a networked HSM). `externalRole` is RKSSSE for the read flow.
 */
export async function computeHsmStep2(f: HsmAuthFactors, hsm: KeyService, externalRole: ExternalAuthRole = 'RKSSSE'): Promise<HsmAuthValues> {
  const ctx = hsmCardContext(f);
  const internal = { auth: await hsm.internalAuth(ctx, f.internal.factor, f.internal.original), original: f.internal.original };
  const external = f.external
    ? { auth: await hsm.externalAuth(ctx, externalRole, f.external.factor, f.external.original), original: f.external.original }
    : undefined;
  return { internal, external };
}

/**
 * Step 2: validates the values against the factors of step 1 and returns the one-shot key source.
 * `values` is the interface string or the typed form.
 */
export function hsmStep2(factors: HsmAuthFactors, values: string | HsmAuthValues, options: { externalRole?: ExternalAuthRole } = {}): HsmStep2KeyService {
  const v = typeof values === 'string' ? parseHsmStep2(values) : values;
  expectLength('internal authentication value', v.internal.auth, 8);
  if (!bytesEqual(v.internal.original, factors.internal.original)) throw bad('HSM step 2: internal original does not match step 1');
  if (factors.external && !v.external) throw bad('HSM step 2: the external authentication value is missing');
  if (!factors.external && v.external) throw bad('HSM step 2: an external value was given but step 1 prepared none');
  if (factors.external && v.external) {
    expectLength('external authentication value', v.external.auth, 8);
    if (!bytesEqual(v.external.original, factors.external.original)) throw bad('HSM step 2: external original does not match step 1');
  }
  return new HsmStep2KeyService(factors, v, options.externalRole ?? 'RKSSSE');
}

/**
 * The key source of one HSM round trip: answers the prepared INTERNAL AUTHENTICATE and EXTERNAL
 * AUTHENTICATE (same card, same factor, same data) once each; anything else is
 * HSM_OPERATION_NOT_PREPARED.
 */
export class HsmStep2KeyService implements KeyService {
  readonly kind = 'hsm' as const;
  #internal: HsmAuthValue | undefined;
  #external: HsmAuthValue | undefined;

  constructor(
    private readonly factors: HsmAuthFactors,
    values: HsmAuthValues,
    private readonly externalRole: ExternalAuthRole,
  ) {
    this.#internal = { auth: Uint8Array.from(values.internal.auth), original: Uint8Array.from(values.internal.original) };
    this.#external = values.external && { auth: Uint8Array.from(values.external.auth), original: Uint8Array.from(values.external.original) };
  }

  async internalAuth(ctx: CardKeyContext, r8: Uint8Array, d8: Uint8Array): Promise<Uint8Array> {
    this.checkCard(ctx);
    const v = this.#internal;
    if (!v || !bytesEqual(r8, this.factors.internal.factor) || !bytesEqual(d8, this.factors.internal.original)) {
      throw notPrepared('INTERNAL AUTHENTICATE with these factors');
    }
    this.#internal = undefined;
    return v.auth;
  }

  async externalAuth(ctx: CardKeyContext, role: ExternalAuthRole, challenge: Uint8Array, d8: Uint8Array): Promise<Uint8Array> {
    this.checkCard(ctx);
    const v = this.#external;
    const f = this.factors.external;
    if (!v || !f || role !== this.externalRole || !bytesEqual(challenge, f.factor) || !bytesEqual(d8, f.original)) {
      throw notPrepared(`EXTERNAL AUTHENTICATE (${role}) with these factors`);
    }
    this.#external = undefined;
    return v.auth;
  }

  async mac(_ctx: CardKeyContext, role: MacRole, _challenge: Uint8Array, _input: Uint8Array): Promise<Uint8Array> {
    throw notPrepared(`MAC (${role})`);
  }

  async encryptPin(_ctx: CardKeyContext, role: PinRole, _challenge: Uint8Array, _pin: PinBuffer): Promise<Uint8Array> {
    throw notPrepared(`PIN encryption (${role})`);
  }

  private checkCard(ctx: CardKeyContext): void {
    const f = this.factors;
    if (ctx.algorithmId !== f.algorithmId || ctx.regionCode !== f.regionCode || !bytesEqual(ctx.atrHistorical, f.atrHistorical)) {
      throw notPrepared('an operation for a different card than step 1');
    }
  }
}

function notPrepared(what: string): KeyError {
  return new KeyError('HSM_OPERATION_NOT_PREPARED', `HSM two-step: ${what} was not prepared by step 1 (or was already used)`);
}
