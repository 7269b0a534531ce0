import { z } from 'zod';
import { hasPinLikeDigits } from '../../core/pin-like-digits.js';
import type { Grant, Role } from './api-level.js';
import type { WireErrorCode } from './error-codes.js';
import type {
  AuditListResult,
  CardPhotoResult,
  CardReadApplicationsResult,
  CardReadBasHsmStep1Result,
  CardNationalPinResult,
  CardReadBasResult,
  CardReadResult,
  CardStatusChangeResult,
  CardStatusResult,
  HelloResult,
  PinOperationResult,
  PinStatusResult,
  ReadersListResult,
  SubscribeResult,
} from './wire-results.js';

/**
 * The protocol, declared once (vscode-jsonrpc style): for every method its name, params schema
 * (zod, strict: unknown keys are refused), result type, error codes, required role and the API
 * level it appeared in. The server dispatches from this table, the client SDK takes its types
 * from it, and docs/protocol.md is generated from it (scripts/gen-protocol-docs.ts).
 */
export interface MethodDecl<P extends z.ZodType = z.ZodType, R = unknown, E extends readonly WireErrorCode[] = readonly WireErrorCode[]> {
  readonly params: P;
  /** Method-specific error codes (the COMMON_ERRORS can come from any method). */
  readonly errors: E;
  readonly role: Role;
  /** A connection below `role` may still call the method when it holds this grant (docs/daemon.md). */
  readonly grant?: Grant;
  /** API level the method appeared in. */
  readonly since: number;
  /** Touches a card (queued per reader, one exclusive operation at a time). */
  readonly card: boolean;
  /**
   * The holder's PIN is presented to the card (a wrong one spends a try): rate-limited per
   * origin on top of the last-try guard (docs/daemon.md).
   */
  readonly presentsPin?: true;
  readonly summary: string;
  /** Result shape, for the generated docs (the type is `R`). */
  readonly result: string;
  /** Phantom: the result type. */
  readonly __result?: R;
}

const method =
  <R>() =>
  <P extends z.ZodType, const E extends readonly WireErrorCode[]>(d: Omit<MethodDecl<P, R, E>, '__result'>): MethodDecl<P, R, E> =>
    d;

/** Errors any request can get. */
export const COMMON_ERRORS = [
  'PARSE_ERROR',
  'INVALID_REQUEST',
  'METHOD_NOT_FOUND',
  'INVALID_PARAMS',
  'HELLO_REQUIRED',
  'FORBIDDEN',
  'RATE_LIMITED',
  'SHUTTING_DOWN',
  'INTERNAL',
] as const satisfies readonly WireErrorCode[];

/** Errors of every method that touches a card. */
const CARD_ERRORS = [
  'NO_READER',
  'READER_NOT_FOUND',
  'AMBIGUOUS_READER',
  'NO_CARD',
  'CARD_REMOVED',
  'SERVICE_DOWN',
  'READER_BUSY',
  'CARD_UNRESPONSIVE',
  'BUSY_TIMEOUT',
  'TIMEOUT',
  'CANCELLED',
  'NOT_SOCIAL_SECURITY_CARD',
  'APPLICATION_BLOCKED',
  'CARD_BLOCKED',
  'CARD_ERROR',
] as const satisfies readonly WireErrorCode[];

const readerParam = z.string().min(1).max(200).optional().describe('reader id or exact name; default: the one reader holding a card');
/** A PIN: 4-16 decimal digits (docs/reference/card-spec.md §3). Converted to a PinBuffer at once and never logged. */
const pin = z.string().regex(/^[0-9]{4,16}$/, { message: 'must be 4-16 decimal digits' });
const confirmLastTry = z.boolean().optional().describe('required (true) when only one try is left');
/** PIN-pad readers (docs/readers.md "PIN pads"): the PIN typed on the reader, never sent by the page. */
const onReader = z.literal(true).optional().describe('true: the holder types the PIN(s) on the reader\'s PIN pad (no PIN params; a `pin-entry` event is sent first)');
const forcePcEntry = z.boolean().optional().describe('use the PIN(s) sent although the reader has a PIN pad');
const identity = {
  cardIdentificationCode: z.string().regex(/^[0-9]{6}[0-9A-Fa-f]{26}$/, { message: 'must be 32 hex characters starting with the 6-digit region code' }),
  cardNumber: z.string().regex(/^[0-9A-Z]{8}[0-9X]$/, { message: 'must be 8 digits or capital letters and a check character' }),
  ssn: z.string().regex(/^[0-9]{17}[0-9X]$/, { message: 'must be 17 digits and a check character' }).optional(),
};
const noPinRun = (allowDates: boolean) => (s: string) => !hasPinLikeDigits(s, { allowDates });
const reason = z
  .string()
  .max(200)
  .refine(noPinRun(true), { message: 'must not hold 4 or more digits in a row (could be a PIN); dates as YYYY-MM-DD are fine' })
  .optional()
  .describe('free text for the audit trail (never a PIN: no run of 4+ digits except in a YYYY-MM-DD date)');
const operator = z
  .string()
  .min(1)
  .max(64)
  .refine(noPinRun(false), { message: 'must not hold 4 or more digits in a row (could be a PIN)' })
  .optional()
  .describe("operator id for the audit trail (default: the daemon's configured operator)");

export const METHODS = {
  hello: method<HelloResult>()({
    params: z.strictObject({
      minApiLevel: z.number().int().min(1),
      maxApiLevel: z.number().int().min(1),
      client: z.string().max(64).optional().describe('client name, for the logs'),
    }),
    errors: ['UNSUPPORTED_API_LEVEL'],
    role: 'reader',
    since: 1,
    card: false,
    summary: 'Negotiates the API level (the highest both speak); must be the first call of a connection.',
    result: '{ apiLevel, server: { name, version }, role, simulatedReaders, methods }',
  }),
  'readers.list': method<ReadersListResult>()({
    params: z.strictObject({}),
    errors: [],
    role: 'reader',
    since: 1,
    card: false,
    summary: 'The readers and whether each holds a card (no ATR, no card data).',
    result: '{ readers: [{ id, name, kind, simulated, cardPresent }], pcscUp }',
  }),
  'card.read': method<CardReadResult | CardReadApplicationsResult>()({
    params: z.strictObject({
      reader: readerParam,
      application: z.enum(['social']).default('social').describe('the social application (SSSE), the default without `applications`'),
      applications: z
        .array(z.enum(['social', 'financial']))
        .min(1)
        .max(2)
        .refine((a) => new Set(a).size === a.length, { message: 'must not name an application twice' })
        .optional()
        .describe('read these applications in one card operation (result: { applications, social?, financial?, financialError? }); `financial` = PBOC / UnionPay, read without GPO'),
      gpo: z.boolean().optional().describe('financial: run GET PROCESSING OPTIONS first (spends one step of the card transaction counter)'),
      revealPan: z.boolean().optional().describe('financial: the whole PAN; counter role only (reader role: FORBIDDEN), default masked to first 6 / last 4'),
      nonce: z
        .string()
        .regex(/^[0-9A-Fa-f]{32}$/, { message: 'must be 32 hex digits' })
        .optional()
        .describe("a verifiable read: the HIS server's 16-byte nonce; the result then carries `attestation` (docs/verifiable-reads.md)"),
    }),
    errors: [...CARD_ERRORS, 'ATTESTATION_UNAVAILABLE'],
    role: 'reader',
    since: 1,
    card: true,
    summary:
      "Reads the card (EF05 card data, EF06 holder data) and looks it up in the card-status registry; with `applications`, also or only the financial (PBOC) application, in one card operation. Personal data: sent to the requesting connection only.",
    result: '{ reader, application, data: { application, card, holder, warnings }, status | null, statusError?, attestation? (with nonce) } | with applications: { reader, applications, social?: { data, status, statusError? }, financial?: { pan, panSequenceNumber, expiryDate, effectiveDate, holderName, ecBalanceFen, transactions, path, ... }, financialError? }',
  }),
  'card.photo': method<CardPhotoResult>()({
    params: z.strictObject({ reader: readerParam }),
    errors: [...CARD_ERRORS, 'KEYS_UNAVAILABLE'],
    role: 'counter',
    grant: 'photo',
    since: 2,
    card: true,
    summary:
      "The holder's photo (EF08 JPEG, after RKSSSE external authentication with the daemon's keys), for comparing the person with the card. Counter role, or an allow-listed page with `\"photo\": true`. Sent to the requesting connection only; never in events, logs or the audit trail.",
    result: "{ reader, photo: { mime: 'image/jpeg', dataUrl, bytes } | null (the card holds no photo) }",
  }),
  'card.readBas': method<CardReadBasResult>()({
    params: z.strictObject({
      reader: readerParam,
      iType: z.number().int().min(1).max(4).default(3).describe('1 contact, 2 contactless, 3 auto contact-first, 4 auto contactless-first'),
    }),
    errors: [],
    role: 'reader',
    since: 2,
    card: true,
    summary:
      'The national iReadCardBas result: code 0 and the 11-field "|" string (region, SSN, card number, card identification code, name, ATR historical bytes, version, issue date, expiry, terminal number, device number), or the national negative code and its text (no card -2, wrong card type -1, card status words -(SW decimal), ...). Card and reader outcomes are in `code`, never a JSON-RPC error.',
    result: '{ code, reader | null, text | null, fields | null, message | null }',
  }),
  'card.readBasHsmStep1': method<CardReadBasHsmStep1Result>()({
    params: z.strictObject({
      reader: readerParam,
      iType: z.number().int().min(1).max(4).default(3).describe('1 contact, 2 contactless, 3 auto contact-first, 4 auto contactless-first'),
    }),
    errors: [],
    role: 'reader',
    since: 2,
    card: true,
    summary:
      'The national iReadCardBas_HSM_Step1: code 0 and the factors string "region|ATR hist|alg id|card identification code|internal factor|internal original|external factor|external original|" (external fields empty when the card needs no external authentication) for the caller\'s HSM, or a national negative code. The reader stays held for card.readBasHsmStep2 (at most 30 s; a newer step 1 on the reader ends it).',
    result: '{ code, reader | null, text | null, message | null }',
  }),
  'card.readBasHsmStep2': method<CardReadBasResult>()({
    params: z.strictObject({
      reader: readerParam,
      key: z.string().max(200).describe('pKey: "<internal 16 hex><original 16 hex>|<external 16 hex><original 16 hex>|" from the HSM'),
    }),
    errors: [],
    role: 'reader',
    since: 2,
    card: true,
    summary:
      'The national iReadCardBas_HSM_Step2: finishes the pending step 1 (once, whatever the outcome) with the HSM\'s values; code 0 and the 11-field string as card.readBas, or a national negative code: -14 malformed key, no pending step 1 or the card changed since; -21 the card\'s INTERNAL AUTHENTICATE answer differs; -(SW) a refused EXTERNAL AUTHENTICATE.',
    result: '{ code, reader | null, text | null, fields | null, message | null }',
  }),
  'card.nationalPin': method<CardNationalPinResult>()({
    params: z.strictObject({
      reader: readerParam,
      fn: z.enum(['iVerifyPIN', 'iChangePIN', 'iReloadPIN', 'iUnblockPIN']).describe('the national PIN function (iReloadPIN, iUnblockPIN: counter role)'),
      iType: z.number().int().min(1).max(4).default(3).describe('1 contact, 2 contactless, 3 auto contact-first, 4 auto contactless-first'),
      pin: pin.optional().describe('iVerifyPIN typed on the PC (none: the reader\'s PIN pad)'),
      oldPin: pin.optional().describe('iChangePIN typed on the PC, with newPin'),
      newPin: pin.optional().describe('iChangePIN (with oldPin) or iReloadPIN typed on the PC'),
      forcePcEntry,
      confirmLastTry: confirmLastTry.describe('with PIN params: required (true) to spend the last try, as pin.verify (the pad: always confirmed)'),
    }),
    errors: [],
    role: 'reader',
    since: 2,
    card: true,
    presentsPin: true,
    summary:
      "The national iVerifyPIN / iChangePIN / iReloadPIN / iUnblockPIN (docs/national-interface.md \"PIN functions\"): the PIN(s) typed on the reader's PIN pad (no PIN params; a `pin-entry` event first), or all of the function's PIN params (verify `pin`; change `oldPin` + `newPin`; reload `newPin`, always needed: a pad cannot make the reload's MAC; unblock none). Code 0, or the national code and text: -51 wrong PIN with the tries left, -52 blocked, -51 \"one try left: confirm it\" for PIN params without confirmLastTry, -11 no PIN pad and no PINs given (`pinOnPc`: call again with them) or the PIN budget spent, -2201 no keys (reload, unblock). iReloadPIN and iUnblockPIN need the counter role (FORBIDDEN). Card outcomes are in `code`, never a JSON-RPC error. Shares the PIN rate limit with pin.verify.",
    result: '{ code, message | null, pinOnPc }',
  }),
  'card.status': method<CardStatusResult>()({
    params: z.strictObject({ reader: readerParam }),
    errors: [...CARD_ERRORS, 'STATUS_UNAVAILABLE'],
    role: 'reader',
    since: 1,
    card: true,
    summary: 'The card-status registry verdict (normal, temporarily-locked, ...) on the card in the reader.',
    result: '{ reader, status: { kind, since, until, ... } }',
  }),
  'pin.status': method<PinStatusResult>()({
    params: z.strictObject({ reader: readerParam }),
    errors: [...CARD_ERRORS],
    role: 'reader',
    since: 1,
    card: true,
    summary: 'Tries left on the social PIN, without presenting a PIN.',
    result: '{ reader, triesLeft, blocked }',
  }),
  'pin.verify': method<PinOperationResult>()({
    params: z.strictObject({ reader: readerParam, pin: pin.optional(), onReader, forcePcEntry, confirmLastTry }),
    errors: [...CARD_ERRORS, 'CARD_LOCKED', 'WRONG_PIN', 'PIN_BLOCKED', 'LAST_TRY_NOT_CONFIRMED', 'PIN_FORMAT', 'STATUS_UNAVAILABLE', 'PIN_PAD_REQUIRED', 'PIN_ENTRY'],
    role: 'reader',
    since: 1,
    card: true,
    presentsPin: true,
    summary:
      'Verifies the social PIN: `pin`, or `onReader: true` for a PIN-pad reader (a `pin` for a pad reader is PIN_PAD_REQUIRED unless `forcePcEntry`). Refused for locked cards; rate-limited per origin on top of the last-try guard.',
    result: '{ reader, ok: true }',
  }),
  'pin.change': method<PinOperationResult>()({
    params: z.strictObject({ reader: readerParam, oldPin: pin.optional(), newPin: pin.optional(), onReader, forcePcEntry, confirmLastTry }),
    errors: [...CARD_ERRORS, 'CARD_LOCKED', 'WRONG_PIN', 'PIN_BLOCKED', 'LAST_TRY_NOT_CONFIRMED', 'PIN_FORMAT', 'PIN_POLICY', 'STATUS_UNAVAILABLE', 'PIN_PAD_REQUIRED', 'PIN_ENTRY'],
    role: 'reader',
    since: 1,
    card: true,
    presentsPin: true,
    summary:
      'Changes the social PIN (the holder knows the old one): `oldPin` + `newPin`, or `onReader: true` on a PIN-pad reader (old, new, new again typed there; the new-PIN policy cannot see them). The new PIN passes the PIN policy. Shares the per-origin PIN rate limit with pin.verify.',
    result: '{ reader, ok: true }',
  }),
  'pin.reset': method<PinOperationResult>()({
    params: z.strictObject({ reader: readerParam, newPin: pin, operator }),
    errors: [...CARD_ERRORS, 'CARD_LOCKED', 'PIN_FORMAT', 'PIN_POLICY', 'KEYS_UNAVAILABLE', 'STATUS_UNAVAILABLE'],
    role: 'counter',
    since: 1,
    card: true,
    summary: 'Counter: PIN RELOAD (PUK MAC): sets a new PIN without the old one and resets the tries; audited.',
    result: '{ reader, ok: true }',
  }),
  'pin.unblock': method<PinOperationResult>()({
    params: z.strictObject({ reader: readerParam, operator }),
    errors: [...CARD_ERRORS, 'CARD_LOCKED', 'KEYS_UNAVAILABLE', 'STATUS_UNAVAILABLE'],
    role: 'counter',
    since: 1,
    card: true,
    summary: 'Counter: PIN UNBLOCK (PUK MAC): the try counter back to the limit, the PIN unchanged; audited.',
    result: '{ reader, ok: true }',
  }),
  'card.lock': method<CardStatusChangeResult>()({
    params: z.strictObject({ ...identity, kind: z.enum(['temporary', 'formal']), reason, operator }),
    errors: ['STATUS_REFUSED', 'STATUS_UNAVAILABLE'],
    role: 'counter',
    since: 1,
    card: false,
    summary: 'Counter: records a temporary or formal loss lock in the card-status registry (the card need not be present).',
    result: '{ status }',
  }),
  'card.release': method<CardStatusChangeResult>()({
    params: z.strictObject({ ...identity, reason, operator }),
    errors: ['STATUS_REFUSED', 'STATUS_UNAVAILABLE'],
    role: 'counter',
    since: 1,
    card: false,
    summary: 'Counter: releases a loss lock (rules R4/R5 of docs/status.md).',
    result: '{ status }',
  }),
  'card.replace': method<CardStatusChangeResult>()({
    params: z.strictObject({ ...identity, reason, operator }),
    errors: ['STATUS_REFUSED', 'STATUS_UNAVAILABLE'],
    role: 'counter',
    since: 2,
    card: false,
    summary: 'Counter: records that a replacement card was requested (needs a formal lock; the lost card can never be released again).',
    result: '{ status }',
  }),
  'card.cancel': method<CardStatusChangeResult>()({
    params: z.strictObject({ ...identity, reason, operator }),
    errors: ['STATUS_REFUSED', 'STATUS_UNAVAILABLE'],
    role: 'counter',
    since: 2,
    card: false,
    summary: 'Counter: cancels the card (death, emigration, leaving the province): final.',
    result: '{ status }',
  }),
  'audit.list': method<AuditListResult>()({
    params: z.strictObject({
      since: z.string().max(40).optional().describe('from this instant (inclusive, ISO 8601)'),
      until: z.string().max(40).optional().describe('up to this instant (exclusive)'),
      card: z.string().max(40).optional().describe('only this card identification code'),
      action: z.string().max(40).optional().describe('only this action, e.g. lock-temporary'),
      limit: z.number().int().min(1).max(10_000).optional().describe('at most this many entries (default 10,000)'),
    }),
    errors: ['STATUS_UNAVAILABLE'],
    role: 'counter',
    since: 2,
    card: false,
    summary: 'Counter: the audit trail of locks, releases, replacements, cancellations, blocks and PIN resets, oldest first.',
    result: '{ entries: [{ id, at, action, cardIdentificationCode, cardNumber, ssn, site, operator, until, sw, reason }] }',
  }),
  'card.block': method<CardStatusChangeResult>()({
    params: z.strictObject({
      reader: readerParam,
      confirm: z.enum(['BLOCK-APPLICATION', 'BLOCK-CARD']).describe('first confirmation: the literal phrase of the block'),
      cardNumber: z.string().min(1).max(20).describe('second confirmation: the card number of the card in the reader'),
      operator,
    }),
    errors: [...CARD_ERRORS, 'CONFIRMATION_MISMATCH', 'KEYS_UNAVAILABLE', 'STATUS_REFUSED', 'STATUS_UNAVAILABLE'],
    role: 'counter',
    since: 1,
    card: true,
    summary:
      'Counter: APPLICATION BLOCK (BK MAC) of the card in the reader: permanent (SELECT then answers 9303); with BLOCK-CARD a CARD BLOCK (every command then answers 6A81); recorded in the registry.',
    result: '{ status }',
  }),
  'events.subscribe': method<SubscribeResult>()({
    params: z.strictObject({}),
    errors: [],
    role: 'reader',
    since: 1,
    card: false,
    summary: 'Starts the event notifications (method `event`) on this connection.',
    result: '{ subscribed: true }',
  }),
  'events.unsubscribe': method<SubscribeResult>()({
    params: z.strictObject({}),
    errors: [],
    role: 'reader',
    since: 1,
    card: false,
    summary: 'Stops the event notifications.',
    result: '{ subscribed: false }',
  }),
} as const;

export type Methods = typeof METHODS;
export type MethodName = keyof Methods;
/** What a caller passes (defaults applied by the server). */
export type ParamsOf<M extends MethodName> = z.input<Methods[M]['params']>;
/** What the server's handler receives (validated, defaults applied). */
export type ValidParamsOf<M extends MethodName> = z.output<Methods[M]['params']>;
export type ResultOf<M extends MethodName> = Methods[M] extends MethodDecl<z.ZodType, infer R, readonly WireErrorCode[]> ? R : never;
export type ErrorsOf<M extends MethodName> = Methods[M]['errors'][number] | (typeof COMMON_ERRORS)[number];

export const METHOD_NAMES = Object.keys(METHODS) as MethodName[];

export function isMethodName(name: string): name is MethodName {
  return Object.prototype.hasOwnProperty.call(METHODS, name);
}
