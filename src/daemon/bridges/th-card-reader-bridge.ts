import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { NationalOptions } from '../../service/national/national-options.js';
import { readCardBasSigned } from '../../service/attestation/signed-bas-read.js';
import type { InstallationKey } from '../../service/attestation/sign-attestation.js';
import type { CardOperations } from '../../service/operations/card-operations.js';
import type { AllowedOrigin } from '../daemon-config.js';
import { DaemonError } from '../daemon-error.js';
import type { DaemonTokens } from '../daemon-tokens.js';
import { admit, isRefusal } from '../request-guard.js';
import { checkJiangsuInit } from './jiangsu-init-config.js';
import { echoWithoutPins } from './echo-without-pins.js';
import { listenLoopback } from './listen-loopback.js';

export interface ThCardReaderBridgeOptions {
  readonly host: string;
  readonly port: number;
  /** Path of the ResetDriver action (configurable: the original's is not known). */
  readonly resetDriverRoute: string;
  readonly allowedOrigins: readonly AllowedOrigin[];
  readonly tokens: DaemonTokens;
  readonly operations: CardOperations;
  readonly national: NationalOptions;
  readonly log: Logger;
  /** With it, `sign` carries the verifiable read in compact form (docs/verifiable-reads.md); without, `sign` is empty. */
  readonly installationKey: InstallationKey | null;
  /** Card reads in flight at once; more are answered 429 at once (default 32). */
  readonly maxInFlight?: number;
}

/** The reply every route gives (docs/bridges.md): `code` 200 success, 1001 failure. */
export interface ThCardReaderReply {
  readonly code: 200 | 1001;
  readonly message: string;
  readonly data: string | null;
  readonly sign: string;
  readonly readCardResult: string | null;
  /** sscard's addition: the national return code (0 on success). */
  readonly nationalCode?: number;
}

const ROUTES = new Set(['/readcard/entry', '/api/entry']);
const INIT_ROUTE = '/api/jiangsu/init';
/** An Init body is a small JSON object; a larger one is answered 413 (drained, not kept). */
const MAX_INIT_BYTES = 16_384;

/**
 * A ThCardReader-style HTTP dialect (docs/bridges.md): `GET /readcard/entry?param=sicard` and
 * `GET /api/entry?param=sicard` answer the national basic-information string; `POST
 * /api/jiangsu/init` and the ResetDriver action are accepted. Off by default.
 * Unlike the original, every request passes the daemon's admission rules first (Host against DNS
 * rebinding, browser Origin on the allow-list, a local program's bearer token).
 */
export class ThCardReaderBridge {
  readonly #o: ThCardReaderBridgeOptions;
  readonly #server: Server;
  #port = 0;
  #inFlight = 0;

  constructor(options: ThCardReaderBridgeOptions) {
    this.#o = options;
    this.#server = createServer((req, res) => void this.#handle(req, res));
    this.#server.headersTimeout = 10_000;
    this.#server.requestTimeout = 60_000;
  }

  get port(): number {
    return this.#port;
  }

  async start(): Promise<void> {
    this.#port = await listenLoopback(this.#server, this.#o.host, this.#o.port, 'ThCardReader');
  }

  async stop(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const who = admit(req, { port: this.#port, allowedOrigins: this.#o.allowedOrigins, tokens: this.#o.tokens });
    if (isRefusal(who)) {
      this.#o.log.warn({ bridge: 'thCardReader', reason: who.reason }, 'bridge request refused');
      return send(res, who.status, { code: 1001, message: `refused: ${who.reason}`, data: null, sign: '', readCardResult: null });
    }
    const cors: Record<string, string> = who.origin ? { 'access-control-allow-origin': who.origin, vary: 'Origin' } : {};
    if (req.method === 'OPTIONS') {
      res.writeHead(204, {
        ...cors,
        'access-control-allow-methods': 'GET, POST',
        'access-control-allow-headers': 'Authorization, Content-Type',
        ...(req.headers['access-control-request-private-network'] === 'true' ? { 'access-control-allow-private-network': 'true' } : {}),
        'access-control-max-age': '600',
      });
      return void res.end();
    }
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://127.0.0.1');
    } catch {
      return send(res, 400, failure('bad request'), cors);
    }
    if (url.pathname === INIT_ROUTE) return this.#init(req, res, cors);
    if (url.pathname === this.#o.resetDriverRoute) {
      if (req.method !== 'GET' && req.method !== 'POST') return send(res, 405, failure('only GET or POST'), cors);
      // The original deletes its SSCardDriver resource cache. sscard has no such cache and keeps no
      // reader connection between reads (each read connects and releases the card): nothing to reset.
      return send(res, 200, { code: 200, message: 'success: sscard keeps no driver cache, nothing to reset', data: null, sign: '', readCardResult: null }, cors);
    }
    if (!ROUTES.has(url.pathname)) return send(res, 404, failure(`no route ${echoWithoutPins(url.pathname, 100)}`), cors);
    if (req.method !== 'GET') return send(res, 405, failure('only GET'), cors);
    const param = url.searchParams.get('param') ?? '';
    if (param === 'test' && url.pathname === '/api/entry') return send(res, 200, { code: 200, message: 'sscard ThCardReader-style bridge', data: null, sign: '', readCardResult: null }, cors);
    if (param !== 'sicard') return send(res, 200, failure(`not supported: param=${echoWithoutPins(param, 64)} (sscard answers sicard and test)`), cors);
    if (this.#inFlight >= (this.#o.maxInFlight ?? 32)) return send(res, 429, failure('busy: too many reads in flight'), cors);
    const ac = new AbortController();
    res.on('close', () => ac.abort());
    this.#inFlight++;
    const { result: r, sign } = await readCardBasSigned(this.#o.operations, { signal: ac.signal }, { iType: 3, options: this.#o.national }, this.#o.installationKey).finally(() => this.#inFlight--);
    if (r.kind === 'bas') return send(res, 200, { code: 200, message: 'success', data: r.text, sign, readCardResult: r.text, nationalCode: 0 }, cors);
    return send(res, 200, { ...failure(r.message), nationalCode: r.code }, cors);
  }

  /**
   * `POST /api/jiangsu/init` (his-integration §9): the body is a subset of the HeaSecReadInfo Init
   * JSON, credentials included. It is checked (BAD_INIT_CONFIG names the key, never a value) and
   * then dropped: reading the card needs none of it. Only the key names are logged.
   */
  async #init(req: IncomingMessage, res: ServerResponse, cors: Record<string, string>): Promise<void> {
    if (req.method !== 'POST') return send(res, 405, failure('only POST'), cors);
    const text = await readBody(req, MAX_INIT_BYTES);
    if (text === undefined) return send(res, 413, failure(`the Init body is larger than ${MAX_INIT_BYTES} bytes`), cors);
    try {
      const keys = checkJiangsuInit(text);
      this.#o.log.info({ bridge: 'thCardReader', keys }, 'jiangsu init accepted (values checked, not kept)');
      return send(res, 200, { code: 200, message: 'success', data: null, sign: '', readCardResult: null }, cors);
    } catch (e) {
      const message = e instanceof DaemonError ? `${e.code}: ${e.message}` : 'BAD_INIT_CONFIG';
      this.#o.log.warn({ bridge: 'thCardReader', code: 'BAD_INIT_CONFIG' }, 'jiangsu init refused');
      return send(res, 400, failure(message), cors);
    }
  }
}

/** The request body as UTF-8, or undefined once it exceeds `max` bytes (the rest is drained, not kept). */
function readBody(req: IncomingMessage, max: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > max) return resolve(undefined);
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', () => resolve(undefined));
  });
}

function failure(message: string): ThCardReaderReply {
  return { code: 1001, message, data: null, sign: '', readCardResult: null };
}

function send(res: ServerResponse, status: number, body: ThCardReaderReply, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { ...headers, 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
