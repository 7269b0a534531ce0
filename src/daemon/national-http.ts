import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { encodeNational } from '../service/national/bas-fields.js';
import type { NationalOptions } from '../service/national/national-options.js';
import type { CardOperations } from '../service/operations/card-operations.js';
import type { DaemonTokens } from './daemon-tokens.js';
import { admit, isRefusal } from './request-guard.js';

/** Path of the C libraries' call (docs/c-libraries.md). */
export const NATIONAL_HTTP_PATH = '/national/iReadCardBas';

/**
 * `GET /national/iReadCardBas?iType=N` for the C libraries (native-shims/compat/): local programs
 * only (the reader token; a browser Origin is refused), answered as `<code>\n<text>` in the
 * configured national encoding so the library copies bytes without converting anything.
 */
export function nationalHttpRoute(o: { operations: CardOperations; national: NationalOptions; tokens: DaemonTokens; log: Logger }) {
  return (req: IncomingMessage, res: ServerResponse, port: number): void => {
    const who = admit(req, { port, allowedOrigins: [], tokens: o.tokens });
    if (isRefusal(who) || req.headers.origin !== undefined) {
      o.log.warn({ path: NATIONAL_HTTP_PATH, reason: isRefusal(who) ? who.reason : 'ORIGIN_NOT_ALLOWED' }, 'refused');
      res.writeHead(isRefusal(who) ? who.status : 403, { 'content-type': 'text/plain' }).end('refused\n');
      return;
    }
    if (req.method !== 'GET') {
      res.writeHead(405, { 'content-type': 'text/plain' }).end('GET only\n');
      return;
    }
    const raw = new URL(req.url ?? '/', 'http://127.0.0.1').searchParams.get('iType') ?? '3';
    const iType = /^[0-9]{1,2}$/.test(raw) ? Number(raw) : NaN;
    const ac = new AbortController();
    res.on('close', () => ac.abort());
    void o.operations.readCardBas({ signal: ac.signal }, { iType, options: o.national }).then((r) => {
      const body = encodeNational(r.kind === 'bas' ? `0\n${r.text}` : `${r.code}\n${r.message}`, o.national.encoding);
      if (res.destroyed) return;
      res.writeHead(200, { 'content-type': `text/plain; charset=${o.national.encoding}`, 'cache-control': 'no-store', 'content-length': body.length }).end(body);
    });
  };
}
