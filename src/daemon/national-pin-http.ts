import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { PinBuffer } from '../core/pin-buffer.js';
import { encodeNational } from '../service/national/bas-fields.js';
import { NationalError } from '../service/national/national-error.js';
import { nationalFailure } from '../service/national/national-failure.js';
import type { NationalOptions } from '../service/national/national-options.js';
import type { CardOperations } from '../service/operations/card-operations.js';
import { NATIONAL_PIN_FUNCTIONS, PC_PIN_FIELDS, type NationalPinFunction } from '../service/national/national-pin-functions.js';
import type { DaemonTokens } from './daemon-tokens.js';
import { PinBudget } from './pin-budget.js';
import type { Role } from './protocol/api-level.js';
import { roleAllows } from './protocol/api-level.js';
import { admit, isRefusal } from './request-guard.js';

/** Role each PIN route needs (docs/c-libraries.md "PIN functions"): the holder's functions with the reader token, reload/unblock with the counter token. */
export const NATIONAL_PIN_ROLE: Readonly<Record<NationalPinFunction, Role>> = { iVerifyPIN: 'reader', iChangePIN: 'reader', iReloadPIN: 'counter', iUnblockPIN: 'counter' };

/** Largest request body: a few 16-digit PINs in form encoding. */
const MAX_BODY_BYTES = 256;

/** HTTP status of an answer that asks the caller to type the PIN(s) on the PC and call again (RFC 6585 §3). */
export const PIN_ON_PC_STATUS = 428;

/**
 * `POST /national/<fn>` for the C libraries' PIN functions (docs/c-libraries.md): local programs
 * only (token; any browser Origin refused; no query string, so a PIN can never travel in a URL).
 * The body is `application/x-www-form-urlencoded`: `iType` and, when typed on the PC, the PIN
 * fields (`pin`; `oldPin`, `newPin`; `newPin`); without them the reader's PIN pad takes the PIN(s). The answer is `<code>\n<text>` in the national encoding, with status 428 when the PIN
 * must be typed on the PC (no pad; iReloadPIN). The body is never logged. PIN presentations share a
 * budget of `pinPerMinute` per token role and minute.
 */
export function nationalPinHttpRoutes(o: { operations: CardOperations; national: NationalOptions; tokens: DaemonTokens; log: Logger; pinPerMinute: number }) {
  // per token role only: each call is its own HTTP request, so there is no per-connection share
  const budget = new PinBudget(o.pinPerMinute, Number.POSITIVE_INFINITY);
  const route = (fn: NationalPinFunction) => (req: IncomingMessage, res: ServerResponse, port: number): void => {
    const who = admit(req, { port, allowedOrigins: [], tokens: o.tokens });
    if (isRefusal(who) || req.headers.origin !== undefined || !roleAllows(who.role, NATIONAL_PIN_ROLE[fn])) {
      const reason = isRefusal(who) ? who.reason : req.headers.origin !== undefined ? 'ORIGIN_NOT_ALLOWED' : 'ROLE';
      o.log.warn({ path: `/national/${fn}`, reason }, 'refused');
      res.writeHead(isRefusal(who) ? who.status : 403, { 'content-type': 'text/plain' }).end('refused\n');
      return;
    }
    if (req.method !== 'POST') return void res.writeHead(405, { 'content-type': 'text/plain' }).end('POST only\n');
    if ((req.url ?? '').includes('?')) return void res.writeHead(400, { 'content-type': 'text/plain' }).end('no query string: PINs go in the body\n');
    const principal = who.principal;
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY_BYTES) chunks.push(c);
    });
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      chunks.forEach((c) => c.fill(0));
      if (size > MAX_BODY_BYTES) return void res.writeHead(413, { 'content-type': 'text/plain' }).end('body too large\n');
      void answer(fn, body, principal, res);
    });
  };

  const answer = async (fn: NationalPinFunction, body: Buffer, principal: string, res: ServerResponse): Promise<void> => {
    const ac = new AbortController();
    res.on('close', () => ac.abort());
    let pins: PinBuffer[] | undefined;
    let r: { code: number; message: string; pcEntry?: boolean };
    try {
      const form = formOf(fn, body);
      pins = form.pins;
      r = await o.operations.nationalPin(
        { signal: ac.signal },
        {
          fn,
          iType: form.iType,
          pins,
          options: o.national,
          beforePresent: () => {
            if (budget.charge(principal, 0) > 0) throw new NationalError('PIN_RATE_LIMITED', 'PIN budget spent');
          },
        },
      );
    } catch {
      // a malformed body (not the fields of this function, not digits): the text never quotes it
      r = nationalFailure(new NationalError('BAD_PARAMETER', `${fn}: bad PIN fields`), o.national);
    } finally {
      body.fill(0);
      for (const p of pins ?? []) p.wipe();
    }
    o.log.info({ path: `/national/${fn}`, code: r.code, pinsFromPc: pins !== undefined }, 'national PIN function');
    const text = encodeNational(`${r.code}\n${r.message}`, o.national.encoding);
    if (res.destroyed) return;
    res.writeHead(r.pcEntry ? PIN_ON_PC_STATUS : 200, { 'content-type': `text/plain; charset=${o.national.encoding}`, 'cache-control': 'no-store', 'content-length': text.length }).end(text);
  };

  return Object.fromEntries(NATIONAL_PIN_FUNCTIONS.map((fn) => [`/national/${fn}`, route(fn)]));
}

/**
 * The urlencoded body: `iType` (optional) and either none of the function's PIN fields (the pad)
 * or all of them, nothing else. Throws on anything else (the error never quotes the body).
 */
function formOf(fn: NationalPinFunction, body: Buffer): { iType: number | undefined; pins: PinBuffer[] | undefined } {
  const form = new URLSearchParams(body.toString('latin1'));
  const fields = PC_PIN_FIELDS[fn];
  const names = [...form.keys()];
  if (names.some((n) => n !== 'iType' && !fields.includes(n)) || names.some((n) => form.getAll(n).length !== 1)) throw new TypeError('bad fields');
  const rawIType = form.get('iType');
  if (rawIType !== null && !/^[0-9]{1,2}$/.test(rawIType)) throw new TypeError('bad iType');
  const iType = rawIType === null ? undefined : Number(rawIType);
  const given = fields.filter((f) => form.has(f));
  if (given.length === 0) return { iType, pins: undefined };
  if (given.length !== fields.length) throw new TypeError('some PIN fields missing');
  const pins: PinBuffer[] = [];
  try {
    for (const f of fields) pins.push(PinBuffer.fromString(form.get(f)!));
  } catch (e) {
    for (const p of pins) p.wipe();
    throw e;
  }
  return { iType, pins };
}
