import { connect } from 'node:net';
import { WebSocket } from 'ws';
import { Prng, inputSeed } from './prng.js';

/**
 * R1 fuzzing of the daemon's other faces: the Decard-style WebSocket bridge, the ThCardReader-style
 * HTTP bridge and the national HTTP routes of the C libraries (docs/bridges.md, docs/c-libraries.md).
 * HTTP requests are written as raw bytes on a fresh TCP connection (odd methods, duplicated
 * headers, broken percent-encoding, bodies whose length lies), one request per connection.
 */

/** PIN-like values put into the inputs (PIN fields, and anywhere else): no answer and no log line may contain one. None occurs in the simulated cards' data. */
export const PIN_MARKERS: readonly string[] = ['731904', '58209163', '4417', '9051738264019375'];

/**
 * Whether `text` holds one of PIN_MARKERS as a digit run of its own (not inside a longer one: a
 * log line's millisecond timestamp or a port may contain `4417` by chance).
 */
export function holdsPinMarker(text: string): boolean {
  return PIN_MARKERS.some((m) => new RegExp(`(?<![0-9])${m}(?![0-9])`).test(text));
}

/** What a target needs of the daemon under test. */
export interface BridgeFuzzContext {
  readonly port: number;
  readonly thPort: number;
  readonly decardPort: number;
  readonly origin: string;
  readonly readerToken: string;
  readonly counterToken: string;
}

export type HttpAnswer = { kind: 'response'; status: number; head: string; body: Buffer } | { kind: 'closed' } | { kind: 'timeout' };
export type WsAnswer = { kind: 'message'; text: string } | { kind: 'close'; code: number } | { kind: 'timeout' };

/** One fuzz target: makes an input from a seeded PRNG, sends it, and names its outcome (or why it is not a declared one). */
export interface BridgeFuzzTarget {
  readonly name: string;
  /** Sends input `rng` and returns its outcome: `{ ok: label }` for a declared answer, `{ bad: reason }` otherwise. */
  run(ctx: BridgeFuzzContext, rng: Prng, conn: WsConnection): Promise<{ ok: string; answer: string } | { bad: string; answer: string } | { hang: true }>;
  /** A well-formed request after each batch: the face still serves. */
  alive(ctx: BridgeFuzzContext): Promise<boolean>;
}

export interface BridgeFuzzFigures {
  target: string;
  inputs: number;
  /** Declared outcomes by label (HTTP status, Decard result code, close code). */
  outcomes: Record<string, number>;
  untyped: { seed: number; reason: string }[];
  hangs: number[];
  /** Seeds whose answer contained one of PIN_MARKERS. */
  pinEchoes: number[];
  /** Batches after which the liveness request failed. */
  deadAfterBatch: number[];
  maxMs: number;
}

/** Sends raw request bytes on a fresh connection; the answer is read until the server closes it (the request says `Connection: close`). */
export function rawHttp(port: number, request: Buffer, timeoutMs = 5000): Promise<HttpAnswer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const s = connect(port, '127.0.0.1');
    const timer = setTimeout(() => {
      s.destroy();
      resolve({ kind: 'timeout' });
    }, timeoutMs);
    s.on('data', (c: Buffer) => chunks.push(c));
    s.on('error', () => undefined);
    s.on('close', () => {
      clearTimeout(timer);
      let all = Buffer.concat(chunks);
      // an interim 100 Continue (the request said Expect: 100-continue) precedes the answer
      while (/^HTTP\/1\.1 1\d\d /.test(all.subarray(0, 13).toString('latin1')) && all.includes('\r\n\r\n')) all = all.subarray(all.indexOf('\r\n\r\n') + 4);
      const end = all.indexOf('\r\n\r\n');
      const m = /^HTTP\/1\.1 (\d{3}) /.exec(all.subarray(0, 20).toString('latin1'));
      if (end < 0 || !m) return resolve({ kind: 'closed' });
      const head = all.subarray(0, end).toString('latin1');
      let body = all.subarray(end + 4);
      if (/\r\ntransfer-encoding: chunked/i.test(head)) body = dechunk(body);
      resolve({ kind: 'response', status: Number(m[1]), head, body });
    });
    // not end(): a half-closed client aborts its pending request in node:http (httpAllowHalfOpen
    // is false), which would lose the answer of a read still waiting for the reader
    s.write(request);
  });
}

function dechunk(b: Buffer): Buffer {
  const out: Buffer[] = [];
  for (let at = 0; at < b.length; ) {
    const eol = b.indexOf('\r\n', at);
    const n = parseInt(b.subarray(at, eol).toString('latin1'), 16);
    if (!(n > 0)) break;
    out.push(b.subarray(eol + 2, eol + 2 + n));
    at = eol + 4 + n;
  }
  return Buffer.concat(out);
}

// ---- request mutation -------------------------------------------------------------------------

const METHODS = ['GET', 'GET', 'GET', 'POST', 'POST', 'OPTIONS', 'HEAD', 'PUT', 'DELETE', 'PATCH', 'get', 'G\tET', 'X'.repeat(40), 'CONNECT'];
const ODD_QUERY_VALUES = ['', '%', '%zz', '%00', '%C0%AF', '%FF%FE', '%E2%80%A8', '%F0%9F%98', '+', 'sicard%00', 'SICARD', 'sicard ', '1e308', '-1', '3', '99', '100', '\u00e9', 'a'.repeat(3000), ...PIN_MARKERS];
const ODD_PATHS = ['/', '//', '/..', '/%2e%2e/', '/readcard/entry/', '/api/entry/../entry', '/API/ENTRY', '/national/', '/national/iReadCardBas/', '/health', 'http://127.0.0.1/api/entry', 'http://[', '*', '/x'.repeat(2000), `/${PIN_MARKERS[0]}`, `/national/${PIN_MARKERS[1]}`];

interface RequestParts {
  method: string;
  path: string;
  query: [string, string][];
  headers: [string, string][];
  body: Buffer;
  /** The Content-Length to declare: the body's, or a lie (smaller only: a larger one would wait for bytes that never come). */
  lengthLie?: number;
  chunked?: boolean;
}

/** Host, Origin, Authorization: the right ones, wrong ones, duplicated ones, none. */
function mutateHeaders(rng: Prng, port: number, auth: { origin?: string; token?: string }): [string, string][] {
  const h: [string, string][] = [['Host', `127.0.0.1:${port}`]];
  if (auth.origin) h.push(['Origin', auth.origin]);
  if (auth.token) h.push(['Authorization', `Bearer ${auth.token}`]);
  for (let i = 0, n = rng.int(3); i < n; i++) {
    const op = rng.int(12);
    if (op === 0) h.push(['Host', rng.pick([`127.0.0.1:${port}`, 'evil.example', `localhost:${port}`])]);
    else if (op === 1) h.splice(0, 1);
    else if (op === 2) h[0] = ['Host', rng.pick([`evil.example:${port}`, `127.0.0.1:${port + 1}`, '', `[::1]:${port}`, `LOCALHOST:${port}`, `127.0.0.1:${port}\u00ff`])];
    else if (op === 3) h.push(['Origin', rng.pick(['null', 'https://evil.example', 'http://his.example.org:8080', 'http://HIS.example.org:8080/', 'file://', ''])]);
    else if (op === 4) h.push(['Origin', auth.origin ?? 'https://evil.example']);
    else if (op === 5) h.push(['Authorization', rng.pick(['Bearer ', 'Basic eA==', `Bearer ${PIN_MARKERS[2]}`, 'Bearer x'.repeat(500), `bearer ${auth.token ?? ''}`])]);
    else if (op === 6) h.splice(rng.int(h.length), 1);
    else if (op === 7) h.push(['Content-Type', rng.pick(['application/json', 'text/plain', 'application/x-www-form-urlencoded; charset=gbk', 'multipart/form-data; boundary=x'])]);
    else if (op === 8) h.push(['X-Filler', 'y'.repeat(rng.pick([10, 1000, 20_000]))]);
    else if (op === 9) h.push(['Access-Control-Request-Private-Network', 'true']);
    else if (op === 10) h.push([rng.pick(['Expect', 'Upgrade', 'Connection', 'Te']), rng.pick(['100-continue', 'websocket', 'keep-alive', 'trailers'])]);
    else h.push([rng.pick(['Authorization', 'Origin', 'Content-Length']), rng.pick(['', ' ', '\u00e9', '0', '-1'])]);
  }
  return h;
}

function mutateQuery(rng: Prng, q: [string, string][], names: readonly string[]): void {
  for (let i = 0, n = rng.int(4); i < n; i++) {
    const op = rng.int(5);
    if (op === 0 && q.length) q.splice(rng.int(q.length), 1);
    else if (op === 1) q.push([rng.pick(names), rng.pick(ODD_QUERY_VALUES)]);
    else if (op === 2 && q.length) q[rng.int(q.length)]![1] = rng.pick(ODD_QUERY_VALUES);
    else if (op === 3) q.push([rng.pick(['', '%', 'a=b', '__proto__', 'constructor', PIN_MARKERS[3]!]), rng.pick(ODD_QUERY_VALUES)]);
    else if (q.length) q.push(q[rng.int(q.length)]!);
  }
}

/** Bit and byte damage of a body, or a truncation, or an oversize one. */
function damage(rng: Prng, b: Buffer, max: number): Buffer {
  const op = rng.int(6);
  if (op === 0 && b.length) {
    const c = Buffer.from(b);
    for (let i = 0, n = 1 + rng.int(4); i < n; i++) c[rng.int(c.length)] = rng.byte();
    return c;
  }
  if (op === 1) return b.subarray(0, rng.int(b.length + 1));
  if (op === 2) return Buffer.concat([b, Buffer.alloc(rng.pick([Math.max(1, max - b.length + 1), max * 2, 100_000]), rng.pick([0x20, 0x7b, 0x5b, 0x31]))]);
  if (op === 3) return Buffer.from([0xff, 0xfe, 0xc0, 0xaf, 0xed, 0xa0, 0x80, ...b]);
  return b;
}

export function serialize(p: RequestParts): Buffer {
  const qs = p.query.map(([k, v]) => `${k}=${v}`).join('&');
  const target = qs ? `${p.path}?${qs}` : p.path;
  const headers = [...p.headers, ['Connection', 'close']];
  if (p.chunked) headers.push(['Transfer-Encoding', 'chunked']);
  else if (p.body.length || p.method === 'POST') headers.push(['Content-Length', String(p.lengthLie ?? p.body.length)]);
  const head = `${p.method} ${target} HTTP/1.1\r\n${headers.map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`;
  const body = p.chunked ? Buffer.concat([Buffer.from(`${p.body.length.toString(16)}\r\n`), p.body, Buffer.from(`\r\n${rnd01(p.body)}\r\n\r\n`)]) : p.body;
  return Buffer.concat([Buffer.from(head, 'latin1'), body]);
}

/** The last chunk: `0` (well-formed) or a broken size line, picked by the body's length. */
const rnd01 = (b: Buffer) => (b.length % 3 === 0 ? 'zz' : '0');

/** Common final mutations of any request: a lying length, chunked encoding, odd method. */
function finish(rng: Prng, p: RequestParts): RequestParts {
  if (rng.chance(0.1)) p.method = rng.pick(METHODS);
  if (rng.chance(0.05) && p.body.length) p.lengthLie = rng.int(p.body.length);
  if (rng.chance(0.05)) p.chunked = true;
  if (rng.chance(0.05)) p.path = rng.pick(ODD_PATHS);
  return p;
}

// ---- answers ----------------------------------------------------------------------------------

/**
 * The empty-bodied answers Node's HTTP server gives before any route runs: 400 for a request it
 * cannot parse, 431 for headers over its limit, 417 for an `Expect` other than 100-continue.
 */
const isParserAnswer = (a: { status: number; body: Buffer }) => (a.status === 400 || a.status === 431 || a.status === 417) && a.body.length === 0;

/**
 * Why a connection closed without any answer is a declared outcome for this request, or undefined:
 * Node closes a CONNECT request when nobody listens for it (node:http 'connect'); the daemon's own
 * port answers a page whose Origin is not on the allow-list like a closed port (docs/daemon.md "Health").
 */
function declaredClose(p: RequestParts, ctx: BridgeFuzzContext, daemonPort: boolean): string | undefined {
  if (p.method === 'CONNECT') return 'closed (CONNECT)';
  const origins = p.headers.filter(([k]) => k.toLowerCase() === 'origin').map(([, v]) => v);
  if (daemonPort && origins.length > 0 && (origins.length > 1 || origins[0] !== ctx.origin)) return 'closed (foreign page)';
  return undefined;
}

function httpOutcome(a: HttpAnswer, statuses: readonly number[], wellFormed: (status: number, body: Buffer, head: string, path: string) => boolean, p: RequestParts, closed: string | undefined): Awaited<ReturnType<BridgeFuzzTarget['run']>> {
  if (a.kind === 'timeout') return { hang: true };
  if (a.kind === 'closed') return closed ? { ok: closed, answer: '' } : { bad: 'closed without an answer', answer: '' };
  const text = a.body.toString('latin1');
  if (isParserAnswer(a)) return { ok: `${a.status} (parser)`, answer: text };
  if (!statuses.includes(a.status)) return { bad: `status ${a.status}`, answer: text.slice(0, 200) };
  if (p.method !== 'HEAD' && !wellFormed(a.status, a.body, a.head, p.path)) return { bad: `malformed ${a.status} body`, answer: text.slice(0, 200) };
  return { ok: `${a.status}${nationalCodeOf(a.body)}`, answer: a.body.toString('utf8') };
}

/** ` code N` for an answer that carries a national code (`<code>\n...` or a bridge's `nationalCode`), else ''. */
function nationalCodeOf(body: Buffer): string {
  const text = body.toString('utf8');
  const line = /^(0|-\d{1,4})\n/.exec(text);
  if (line) return ` code ${line[1]}`;
  const json = /"nationalCode":(-?\d+)/.exec(text);
  return json ? ` code ${json[1]}` : '';
}

/** `<code>\n<text>` (and `<code>\n<sign>\n<text>` with sign=1) for a national answer; a short text/plain line for a refusal. */
function nationalWellFormed(status: number, body: Buffer, head: string, path: string): boolean {
  // a mutated path reaches another of the daemon's routes (/health, the web pages, 404): its status is checked, not its body
  if (!path.startsWith('/national/')) return true;
  if (status === 200 || status === 428) return /^(0|-\d{1,4})\n/.test(body.toString('latin1'));
  return /content-type: text\/plain/i.test(head) && /^[ -~]{1,80}\n$/.test(body.toString('latin1'));
}

function thWellFormed(status: number, body: Buffer): boolean {
  if (status === 204) return body.length === 0;
  try {
    const r = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
    return (r.code === 200 || r.code === 1001) && typeof r.message === 'string' && typeof r.sign === 'string' && (status === 200 || r.code === 1001);
  } catch {
    return false;
  }
}

// ---- the targets ------------------------------------------------------------------------------

const PIN_FIELDS: Record<string, readonly string[]> = { iVerifyPIN: ['pin'], iChangePIN: ['oldPin', 'newPin'], iReloadPIN: ['newPin'], iUnblockPIN: [] };

const INIT_BODY = { IP: '10.1.2.3', PORT: 8080, TIMEOUT: 30, LOG_PATH: 'C:/HeaSec/log', EC_URL: 'http://10.1.2.3:8080/x', CARD_PASSTYPE: '1', API_NAME: 'hsa', API_VERSION: '1.0', ACCESS_KEY: 'AK-1', SECRETKEY: 'S3cr3t', ORG_ID: 'H32010000001', EXT: '{}' };
const ODD_JSON: readonly unknown[] = [null, true, 0, -1, 1e308, '', '\u0000', '\uD800', '王小明', [], {}, { a: { b: {} } }, 'x'.repeat(5000), ...PIN_MARKERS];

/** The national GET routes on the daemon's port (reader token; some with the counter token, an Origin or none). */
const nationalGet: BridgeFuzzTarget = {
  name: 'national GET routes (iReadCardBas, HSM Step1/Step2)',
  async run(ctx, rng) {
    const path = rng.pick(['/national/iReadCardBas', '/national/iReadCardBas_HSM_Step1', '/national/iReadCardBas_HSM_Step2']);
    const query: [string, string][] = path.endsWith('Step2') ? [['key', rng.pick(['0123456789ABCDEF', 'zz', '%', PIN_MARKERS[1]!, 'A'.repeat(2000), ''])]] : [['iType', rng.pick(['1', '2', '3', '4'])]];
    if (rng.chance(0.3)) query.push(['sign', rng.pick(['1', '0', '', '11'])]);
    mutateQuery(rng, query, ['iType', 'key', 'sign']);
    const auth = rng.chance(0.85) ? { token: rng.chance(0.8) ? ctx.readerToken : ctx.counterToken } : rng.chance(0.5) ? { origin: ctx.origin } : {};
    const p = finish(rng, { method: 'GET', path, query, headers: mutateHeaders(rng, ctx.port, auth), body: rng.chance(0.05) ? Buffer.from(`pin=${PIN_MARKERS[0]}`) : Buffer.alloc(0) });
    const a = await rawHttp(ctx.port, serialize(p));
    if (a.kind === 'response' && a.status === 200 && a.body.toString('latin1').startsWith('0\n') && p.path.endsWith('Step1')) {
      // the Step1 holds the reader until a Step2 (up to 30 s): any Step2 ends it
      const end = await rawHttp(ctx.port, serialize({ method: 'GET', path: '/national/iReadCardBas_HSM_Step2', query: [['key', '0']], headers: [['Host', `127.0.0.1:${ctx.port}`], ['Authorization', `Bearer ${ctx.readerToken}`]], body: Buffer.alloc(0) }));
      if (end.kind !== 'response' || !end.body.toString('latin1').startsWith('-14\n')) return { bad: 'Step2 after a Step1 not answered -14', answer: end.kind };
    }
    return httpOutcome(a, [200, 400, 401, 403, 404, 405, 421], nationalWellFormed, p, declaredClose(p, ctx, true));
  },
  alive: (ctx) => health(ctx),
};

/** The national PIN routes: POST form bodies (PIN fields typed on the PC, iType), mutated. */
const nationalPin: BridgeFuzzTarget = {
  name: 'national PIN routes (POST iVerifyPIN / iChangePIN / iReloadPIN / iUnblockPIN)',
  async run(ctx, rng) {
    const fn = rng.pick(Object.keys(PIN_FIELDS));
    const form: [string, string][] = [];
    if (rng.chance(0.6)) form.push(['iType', rng.pick(['1', '3'])]);
    if (rng.chance(0.7)) for (const f of PIN_FIELDS[fn]!) form.push([f, rng.pick(PIN_MARKERS)]);
    mutateQuery(rng, form, ['iType', 'pin', 'oldPin', 'newPin']);
    let body = Buffer.from(form.map(([k, v]) => `${k}=${v}`).join('&'), 'latin1');
    if (rng.chance(0.3)) body = damage(rng, body, 256);
    const auth = rng.chance(0.9) ? { token: fn === 'iReloadPIN' || fn === 'iUnblockPIN' ? (rng.chance(0.85) ? ctx.counterToken : ctx.readerToken) : rng.pick([ctx.readerToken, ctx.counterToken]) } : { origin: ctx.origin };
    const headers = mutateHeaders(rng, ctx.port, auth);
    headers.push(['Content-Type', 'application/x-www-form-urlencoded']);
    const query: [string, string][] = rng.chance(0.05) ? [['pin', PIN_MARKERS[0]!]] : [];
    const p = finish(rng, { method: 'POST', path: `/national/${fn}`, query, headers, body });
    return httpOutcome(await rawHttp(ctx.port, serialize(p)), [200, 400, 401, 403, 404, 405, 413, 421, 428], nationalWellFormed, p, declaredClose(p, ctx, true));
  },
  alive: (ctx) => health(ctx),
};

/** The ThCardReader-style bridge: GET entry routes, ResetDriver, POST /api/jiangsu/init bodies. */
const thCardReader: BridgeFuzzTarget = {
  name: 'ThCardReader HTTP bridge (entry, ResetDriver, jiangsu init)',
  async run(ctx, rng) {
    const route = rng.int(10);
    let p: RequestParts;
    const auth = rng.chance(0.8) ? { origin: ctx.origin } : rng.chance(0.7) ? { token: ctx.readerToken } : {};
    const headers = mutateHeaders(rng, ctx.thPort, auth);
    if (route < 4) {
      const query: [string, string][] = [['param', rng.pick(['sicard', 'sicard', 'test'])]];
      mutateQuery(rng, query, ['param', 'iType', 'pin']);
      p = { method: 'GET', path: rng.pick(['/readcard/entry', '/api/entry']), query, headers, body: Buffer.alloc(0) };
    } else if (route < 9) {
      const init: Record<string, unknown> = structuredClone(INIT_BODY);
      for (let i = 0, n = rng.int(4); i < n; i++) {
        const keys = Object.keys(init);
        const op = rng.int(4);
        if (op === 0) delete init[rng.pick(keys)];
        else if (op === 1) init[rng.pick(keys)] = structuredClone(rng.pick(ODD_JSON));
        else if (op === 2) init[rng.pick(['__proto__', 'constructor', 'PIN', PIN_MARKERS[0]!, 'x'.repeat(100)])] = structuredClone(rng.pick(ODD_JSON));
        else init.EXT = rng.pick(['{', '[]', JSON.stringify({ pin: PIN_MARKERS[1] }), '{"a":'.repeat(500)]);
      }
      let body = Buffer.from(rng.chance(0.1) ? `${'['.repeat(rng.pick([100, 5000]))}${']'.repeat(50)}` : JSON.stringify(init));
      if (rng.chance(0.3)) body = damage(rng, body, 16_384);
      headers.push(['Content-Type', 'application/json']);
      p = { method: 'POST', path: '/api/jiangsu/init', query: [], headers, body };
    } else p = { method: rng.pick(['GET', 'POST', 'PUT']), path: '/api/resetDriver', query: [], headers, body: Buffer.alloc(0) };
    p = finish(rng, p);
    return httpOutcome(await rawHttp(ctx.thPort, serialize(p)), [200, 204, 400, 401, 403, 404, 405, 413, 421, 429], thWellFormed, p, declaredClose(p, ctx, false));
  },
  async alive(ctx) {
    const a = await rawHttp(ctx.thPort, serialize({ method: 'GET', path: '/api/entry', query: [['param', 'test']], headers: [['Host', `127.0.0.1:${ctx.thPort}`], ['Origin', ctx.origin]], body: Buffer.alloc(0) }));
    return a.kind === 'response' && a.status === 200 && (await health(ctx));
  },
};

const DECARD_CORPUS: readonly { func: string; in?: string[] }[] = [
  { func: 'dc_init', in: ['100', '115200'] },
  { func: 'dc_exit' },
  { func: 'iReadCardBas', in: ['3'] },
  { func: 'iReadCardBas', in: ['1'] },
  { func: 'iReadCardBas_HSM_Step1', in: ['3'] },
  { func: 'iReadCardBas_HSM_Step2', in: ['0123456789ABCDEF0123456789ABCDEF'] },
  { func: 'iVerifyPIN', in: ['3'] },
  { func: 'iChangePIN', in: ['1'] },
  { func: 'iReloadPIN', in: ['3', PIN_MARKERS[0]!] },
  { func: 'iUnblockPIN', in: ['3'] },
];
const FUNCS = ['dc_init', 'iReadCardBas', 'iVerifyPIN', 'iReadCardBas_HSM_Step2', 'IREADCARDBAS', 'iReadCardBas ', '', 'constructor', '__proto__', 'toString', 'x'.repeat(300), ...PIN_MARKERS];

/** A Decard message: JSON-level changes of a corpus entry, huge or deep JSON, binary frames, invalid UTF-8 text. */
export function mutateDecard(rng: Prng): { data: string | Buffer; binary: boolean } {
  const m = structuredClone(rng.pick(DECARD_CORPUS)) as Record<string, unknown>;
  const kind = rng.int(12);
  if (kind <= 5) {
    for (let i = 0, n = 1 + rng.int(3); i < n; i++) {
      const op = rng.int(7);
      if (op === 0) m.func = rng.pick(FUNCS);
      else if (op === 1) m.in = structuredClone(rng.pick(ODD_JSON));
      else if (op === 2) m.in = [...((Array.isArray(m.in) ? m.in : []) as unknown[]), structuredClone(rng.pick([...ODD_JSON, ...PIN_MARKERS]))];
      else if (op === 3) m.func = structuredClone(rng.pick(ODD_JSON));
      else if (op === 4) delete m[rng.pick(['func', 'in'])];
      else if (op === 5) m[rng.pick(['pin', '__proto__', 'out', 'result'])] = rng.pick(PIN_MARKERS);
      else m.in = [rng.pick(PIN_MARKERS), rng.pick(PIN_MARKERS)];
    }
    return { data: JSON.stringify(m), binary: false };
  }
  const text = JSON.stringify(m);
  if (kind === 6) return { data: Buffer.from(text), binary: true };
  if (kind === 7) return { data: Buffer.from([...Buffer.from(text.slice(0, 10)), 0xff, 0xc0, 0xaf, 0xed, 0xa0, 0x80]), binary: false };
  if (kind === 8) return { data: `{"func":"iReadCardBas","in":["${'9'.repeat(rng.pick([4000, 5000, 70_000]))}"]}`, binary: false };
  if (kind === 9) {
    const depth = rng.pick([10, 100, 1000, 2000]);
    return { data: `{"func":"dc_init","in":${'['.repeat(depth)}${']'.repeat(depth)}}`, binary: false };
  }
  if (kind === 10) return { data: text.slice(0, rng.int(text.length)), binary: false };
  const at = rng.int(text.length);
  return { data: text.slice(0, at) + rng.pick(['"', '\\', '{', '}', ',', '\u2028', '\ud83d', '1e999', PIN_MARKERS[0]!]) + text.slice(at), binary: false };
}

/** A Decard connection a worker keeps (and replaces when the bridge closes it). */
export class WsConnection {
  ws: WebSocket | undefined;
  async get(ctx: BridgeFuzzContext): Promise<WebSocket> {
    if (this.ws && this.ws.readyState === WebSocket.OPEN) return this.ws;
    const ws = new WebSocket(`ws://127.0.0.1:${ctx.decardPort}/`, { headers: { origin: ctx.origin }, perMessageDeflate: false });
    ws.on('error', () => undefined);
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('unexpected-response', () => reject(new Error('refused')));
    });
    this.ws = ws;
    return ws;
  }
  close(): void {
    this.ws?.terminate();
  }
}

/** Closes the WebSocket library sends for a frame it will not deliver (RFC 6455 §7.4.1), documented in docs/bridges.md. */
const DECARD_CLOSES = [1007, 1009];

const decard: BridgeFuzzTarget = {
  name: 'Decard WebSocket bridge ({"func", "in"} messages)',
  async run(ctx, rng, conn) {
    const ws = await conn.get(ctx);
    const { data, binary } = mutateDecard(rng);
    const a = await wsExchange(ws, data, binary, 10_000);
    if (a.kind === 'timeout') return { hang: true };
    if (a.kind === 'close') return DECARD_CLOSES.includes(a.code) ? { ok: `close ${a.code}`, answer: '' } : { bad: `close ${a.code}`, answer: '' };
    const r = decardReply(a.text);
    if (!r) return { bad: 'not {result, out}', answer: a.text.slice(0, 200) };
    if (r.result === '0' && funcOf(data) === 'iReadCardBas_HSM_Step1') {
      // a Step1 holds the reader until its Step2 (up to 30 s, docs/national-interface.md): any Step2 ends it
      const end = await wsExchange(ws, JSON.stringify({ func: 'iReadCardBas_HSM_Step2', in: ['0'] }), false, 10_000);
      if (end.kind !== 'message' || decardReply(end.text)?.result !== '-14') return { bad: 'Step2 after a Step1 not answered -14', answer: end.kind === 'message' ? end.text : end.kind };
    }
    return { ok: `result ${r.result}`, answer: a.text };
  },
  async alive(ctx) {
    const conn = new WsConnection();
    try {
      const a = await wsExchange(await conn.get(ctx), JSON.stringify({ func: 'dc_init', in: [] }), false, 5000);
      return a.kind === 'message' && a.text === '{"result":"0","out":[]}' && (await health(ctx));
    } catch {
      return false;
    } finally {
      conn.close();
    }
  },
};

/** A well-formed Decard reply: exactly `result` (a national code) and `out` (strings). */
function decardReply(text: string): { result: string; out: string[] } | undefined {
  try {
    const r = JSON.parse(text) as { result?: unknown; out?: unknown };
    const ok = Object.keys(r).length === 2 && typeof r.result === 'string' && /^(0|-\d{1,4})$/.test(r.result) && Array.isArray(r.out) && r.out.every((x) => typeof x === 'string');
    return ok ? (r as { result: string; out: string[] }) : undefined;
  } catch {
    return undefined;
  }
}

function funcOf(data: string | Buffer): unknown {
  try {
    return (JSON.parse(String(data)) as { func?: unknown }).func;
  } catch {
    return undefined;
  }
}

export const BRIDGE_FUZZ_TARGETS: readonly BridgeFuzzTarget[] = [decard, thCardReader, nationalGet, nationalPin];

function wsExchange(ws: WebSocket, data: string | Buffer, binary: boolean, timeoutMs: number): Promise<WsAnswer> {
  return new Promise((resolve) => {
    const done = (a: WsAnswer) => {
      clearTimeout(timer);
      ws.off('message', onMessage);
      ws.off('close', onClose);
      resolve(a);
    };
    const onMessage = (d: Buffer) => done({ kind: 'message', text: String(d) });
    const onClose = (code: number) => done({ kind: 'close', code });
    const timer = setTimeout(() => done({ kind: 'timeout' }), timeoutMs);
    ws.on('message', onMessage);
    ws.once('close', onClose);
    ws.send(data, { binary });
  });
}

/** `GET /health` with the reader token on the daemon's port: 200. */
async function health(ctx: BridgeFuzzContext): Promise<boolean> {
  const a = await rawHttp(ctx.port, serialize({ method: 'GET', path: '/health', query: [], headers: [['Host', `127.0.0.1:${ctx.port}`], ['Authorization', `Bearer ${ctx.readerToken}`]], body: Buffer.alloc(0) }));
  return a.kind === 'response' && a.status === 200;
}

/**
 * Sends `inputs` mutated inputs to one target over `workers` parallel clients, with a liveness
 * request after every `batch` inputs. Every input's seed is printed for a failure (`seeds` replays).
 */
export async function fuzzBridge(target: BridgeFuzzTarget, ctx: BridgeFuzzContext, o: { inputs: number; seed: number; seeds?: number[]; workers?: number; batch?: number }): Promise<BridgeFuzzFigures> {
  const f: BridgeFuzzFigures = { target: target.name, inputs: 0, outcomes: {}, untyped: [], hangs: [], pinEchoes: [], deadAfterBatch: [], maxMs: 0 };
  const seeds = o.seeds ?? Array.from({ length: o.inputs }, (_, i) => inputSeed(o.seed, i));
  const batch = o.batch ?? 500;
  for (let b = 0; b < seeds.length; b += batch) {
    const part = seeds.slice(b, b + batch);
    let next = 0;
    const worker = async (): Promise<void> => {
      const conn = new WsConnection();
      for (let i = next++; i < part.length; i = next++) {
        const seed = part[i]!;
        const started = performance.now();
        const r = await target.run(ctx, new Prng(seed), conn);
        f.inputs++;
        f.maxMs = Math.max(f.maxMs, performance.now() - started);
        if ('hang' in r) {
          f.hangs.push(seed);
          conn.close();
          continue;
        }
        if (holdsPinMarker(r.answer)) f.pinEchoes.push(seed);
        if ('bad' in r) f.untyped.push({ seed, reason: `${r.bad}: ${r.answer.slice(0, 120)}` });
        else f.outcomes[r.ok] = (f.outcomes[r.ok] ?? 0) + 1;
      }
      conn.close();
    };
    await Promise.all(Array.from({ length: o.workers ?? 4 }, worker));
    if (!(await target.alive(ctx))) f.deadAfterBatch.push(b / batch);
  }
  return f;
}
