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

/**
 * `GET /national/iReadCardBas?iType=N` for the C libraries (native-shims/compat/): local programs
 * only (the reader token; a browser Origin is refused), answered as `<code>\n<text>` in the
 * configured national encoding so the library copies bytes without converting anything. With
 * `&sign=1` (the NHSA SSCard flavour) the answer is `<code>\n<sign>\n<text>`: `<sign>` is the
 * verifiable read in compact form when the installation key exists, else empty (ASCII either way).
 */
export function nationalHttpRoute(o: { operations: CardOperations; national: NationalOptions; tokens: DaemonTokens; log: Logger; installationKey: InstallationKey | null }) {
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
    const query = new URL(req.url ?? '/', 'http://127.0.0.1').searchParams;
    const raw = query.get('iType') ?? '3';
    const iType = /^[0-9]{1,2}$/.test(raw) ? Number(raw) : NaN;
    const withSign = query.get('sign') === '1';
    const ac = new AbortController();
    res.on('close', () => ac.abort());
    void readCardBasSigned(o.operations, { signal: ac.signal }, { iType, options: o.national }, withSign ? o.installationKey : null).then(({ result: r, sign }) => {
      const sent = r.kind === 'bas' ? `0\n${withSign ? `${sign}\n` : ''}${r.text}` : `${r.code}\n${withSign ? '\n' : ''}${r.message}`;
      const body = encodeNational(sent, o.national.encoding);
      if (res.destroyed) return;
      res.writeHead(200, { 'content-type': `text/plain; charset=${o.national.encoding}`, 'cache-control': 'no-store', 'content-length': body.length }).end(body);
    });
  };
}
