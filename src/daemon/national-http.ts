import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { encodeNational } from '../service/national/bas-fields.js';
import type { NationalOptions } from '../service/national/national-options.js';
import { readCardBasSigned } from '../service/attestation/signed-bas-read.js';
import type { InstallationKey } from '../service/attestation/sign-attestation.js';
import type { CardOperations } from '../service/operations/card-operations.js';
import type { DaemonTokens } from './daemon-tokens.js';
import { admit, isRefusal } from './request-guard.js';

/** Path of the C libraries' call (docs/c-libraries.md). */
export const NATIONAL_HTTP_PATH = '/national/iReadCardBas';

interface NationalRouteDeps {
  operations: CardOperations;
  national: NationalOptions;
  tokens: DaemonTokens;
  log: Logger;
}

/** The iReadCardBas route also needs the installation key (the SSCard flavour's signature buffer). */
interface BasRouteDeps extends NationalRouteDeps {
  installationKey: InstallationKey | null;
}

/** A national call's outcome: 0 and the string, or the national code and its text. */
type NationalAnswer = { readonly code: number; readonly text?: string; readonly message?: string; readonly sign?: string };

/**
 * `GET /national/iReadCardBas?iType=N` for the C libraries (native-shims/compat/): local programs
 * only (the reader token; a browser Origin is refused), answered as `<code>\n<text>` in the
 * configured national encoding so the library copies bytes without converting anything. With
 * `&sign=1` (the NHSA SSCard flavour) the answer is `<code>\n<sign>\n<text>`: `<sign>` is the
 * verifiable read in compact form when the installation key exists, else empty (ASCII either way).
 */
export function nationalHttpRoute(o: BasRouteDeps) {
  return nationalGetRoute(o, NATIONAL_HTTP_PATH, async (q, signal) => {
    const withSign = q.get('sign') === '1';
    const { result, sign } = await readCardBasSigned(o.operations, { signal }, { iType: iTypeOf(q), options: o.national }, withSign ? o.installationKey : null);
    return withSign ? { ...result, sign } : result;
  });
}

/** `iType` from the query (default 3); anything but 1-2 digits is NaN (the operation answers -14). */
function iTypeOf(q: URLSearchParams): number {
  const raw = q.get('iType') ?? '3';
  return /^[0-9]{1,2}$/.test(raw) ? Number(raw) : NaN;
}

/**
 * The guard and the `<code>\n<text>` answer every national route shares; an answer carrying a
 * `sign` (asked with `&sign=1`) is `<code>\n<sign>\n<text>`, the sign line empty on failures.
 */
function nationalGetRoute(o: NationalRouteDeps, path: string, call: (query: URLSearchParams, signal: AbortSignal) => Promise<NationalAnswer>) {
  return (req: IncomingMessage, res: ServerResponse, port: number): void => {
    const who = admit(req, { port, allowedOrigins: [], tokens: o.tokens });
    if (isRefusal(who) || req.headers.origin !== undefined) {
      o.log.warn({ path, reason: isRefusal(who) ? who.reason : 'ORIGIN_NOT_ALLOWED' }, 'refused');
      res.writeHead(isRefusal(who) ? who.status : 403, { 'content-type': 'text/plain' }).end('refused\n');
      return;
    }
    if (req.method !== 'GET') {
      res.writeHead(405, { 'content-type': 'text/plain' }).end('GET only\n');
      return;
    }
    const query = new URL(req.url ?? '/', 'http://127.0.0.1').searchParams;
    const ac = new AbortController();
    res.on('close', () => ac.abort());
    void call(query, ac.signal).then((r) => {
      const signLine = r.sign === undefined ? '' : `${r.code === 0 ? r.sign : ''}\n`;
      const body = encodeNational(`${r.code}\n${signLine}${r.code === 0 ? (r.text ?? '') : (r.message ?? '')}`, o.national.encoding);
      if (res.destroyed) return;
      res.writeHead(200, { 'content-type': `text/plain; charset=${o.national.encoding}`, 'cache-control': 'no-store', 'content-length': body.length }).end(body);
    });
  };
}

/** Paths of the HSM two-step for the C libraries (docs/c-libraries.md). */
export const NATIONAL_HSM_STEP1_PATH = '/national/iReadCardBas_HSM_Step1';
export const NATIONAL_HSM_STEP2_PATH = '/national/iReadCardBas_HSM_Step2';

/** `GET /national/iReadCardBas_HSM_Step1?iType=N`: `0\n<factors string>` or `<code>\n<text>`. */
export function nationalHsmStep1Route(o: NationalRouteDeps) {
  return nationalGetRoute(o, NATIONAL_HSM_STEP1_PATH, (q, signal) => o.operations.readCardBasHsmStep1({ signal }, { iType: iTypeOf(q), options: o.national }));
}

/** `GET /national/iReadCardBas_HSM_Step2?key=<pKey, URL-encoded>`: `0\n<11-field string>` or `<code>\n<text>`. */
export function nationalHsmStep2Route(o: NationalRouteDeps) {
  return nationalGetRoute(o, NATIONAL_HSM_STEP2_PATH, (q, signal) => o.operations.readCardBasHsmStep2({ signal }, { key: q.get('key') ?? '', options: o.national }));
}
