import { WebSocket } from 'ws';
import { isWireErrorCode } from '../../../src/daemon/protocol/error-codes.js';
import { Prng, inputSeed } from './prng.js';

/** Valid requests of every method: the seeds the mutations start from (PINs are wrong ones). */
export const RPC_CORPUS: readonly Record<string, unknown>[] = [
  { jsonrpc: '2.0', id: 1, method: 'hello', params: { minApiLevel: 1, maxApiLevel: 1, client: 'fuzz' } },
  { jsonrpc: '2.0', id: 2, method: 'readers.list', params: {} },
  { jsonrpc: '2.0', id: 3, method: 'card.read', params: {} },
  { jsonrpc: '2.0', id: 4, method: 'card.status', params: { reader: 'sim:0' } },
  { jsonrpc: '2.0', id: 5, method: 'pin.status', params: {} },
  { jsonrpc: '2.0', id: 6, method: 'pin.verify', params: { pin: '000000', confirmLastTry: false } },
  { jsonrpc: '2.0', id: 7, method: 'pin.change', params: { oldPin: '000000', newPin: '135790' } },
  { jsonrpc: '2.0', id: 8, method: 'events.subscribe', params: {} },
  { jsonrpc: '2.0', id: 9, method: 'events.unsubscribe' },
  { jsonrpc: '2.0', id: 'x', method: 'card.lock', params: { cardIdentificationCode: '110100D156000005123456789ABCDEF0', cardNumber: 'A12345674', kind: 'temporary', reason: 'fuzz' } },
  { jsonrpc: '2.0', id: 10, method: 'card.release', params: { cardIdentificationCode: '110100D156000005123456789ABCDEF0', cardNumber: 'A12345674' } },
  { jsonrpc: '2.0', id: 11, method: 'pin.unblock', params: {} },
];

const WEIRD_VALUES: readonly unknown[] = [
  null, true, false, 0, -1, 1e308, -0, 2 ** 53, 1.5, '', ' ', '0'.repeat(300), '\u0000', '\uD800', '𠮷', '王小明', '../../etc/passwd', '__proto__',
  [], [1, 2], {}, { a: { b: { c: {} } } }, '123456', '9'.repeat(17), 'constructor', 'toString',
];
const KEYS: readonly string[] = ['jsonrpc', 'id', 'method', 'params', 'reader', 'pin', 'oldPin', 'newPin', 'confirmLastTry', '__proto__', 'constructor', 'minApiLevel', 'maxApiLevel', '123456', ''];

/** A mutated message: JSON-level changes of a corpus entry, or byte-level damage of its text. */
export function mutateMessage(rng: Prng): string | Buffer {
  const base = structuredClone(rng.pick(RPC_CORPUS)) as Record<string, unknown>;
  const kind = rng.int(10);
  if (kind <= 5) {
    const rounds = 1 + rng.int(3);
    for (let i = 0; i < rounds; i++) mutateJson(base, rng, 0);
    return JSON.stringify(base);
  }
  let text = JSON.stringify(base);
  if (kind === 6) {
    const b = Buffer.from(text);
    for (let i = 0, n = 1 + rng.int(4); i < n; i++) b[rng.int(b.length)] = rng.byte();
    return rng.chance(0.1) ? b : b.toString('latin1');
  }
  if (kind === 7) return text.slice(0, rng.int(text.length));
  if (kind === 8) {
    // deep nesting / big arrays, within the 16 KiB message limit or just over it
    const depth = rng.pick([10, 100, 1000, 5000]);
    return `{"jsonrpc":"2.0","id":1,"method":"hello","params":${'['.repeat(depth)}${']'.repeat(depth)}}`;
  }
  const at = rng.int(text.length);
  text = text.slice(0, at) + rng.pick(['"', '\\', '{', '}', ',', ':', '\u2028', '\ud83d', '1e999', 'NaN']) + text.slice(at);
  return text;
}

/** A copy: the table's objects must never be mutated (or end up inside themselves). */
const weird = (rng: Prng): unknown => structuredClone(rng.pick(WEIRD_VALUES));

function mutateJson(o: Record<string, unknown>, rng: Prng, depth: number): void {
  const keys = Object.keys(o);
  const op = rng.int(5);
  if (op === 0 && keys.length) delete o[rng.pick(keys)];
  else if (op === 1) o[rng.pick(KEYS)] = weird(rng);
  else if (op === 2 && keys.length) o[rng.pick(keys)] = weird(rng);
  else if (op === 3 && depth < 2) {
    const p = (o.params && typeof o.params === 'object' && !Array.isArray(o.params) ? o.params : (o.params = {})) as Record<string, unknown>;
    mutateJson(p, rng, depth + 1);
  } else o.method = rng.pick(['hello', 'card.read', 'pin.verify', 'card.block', 'nope', 'hello ', 'HELLO', 'a'.repeat(70), 'constructor', '__proto__', 'toString']);
}

export interface RpcFuzzFigures {
  inputs: number;
  /** Answered with a result. */
  results: number;
  /** Answered with an error carrying a declared wire code (not INTERNAL), by code. */
  typed: Record<string, number>;
  typedTotal: number;
  /** The daemon closed the connection with a protocol code (1008 rate limit, 1009 too big) instead. */
  closes: Record<string, number>;
  /** INTERNAL errors, undeclared codes, unparseable answers: the seed to replay. */
  untyped: { seed: number; answer: string }[];
  /** No answer and no close within the time limit. */
  hangs: number[];
  maxMs: number;
}

/**
 * Sends `inputs` mutated messages over `connections` parallel WebSocket connections (one
 * message in flight per connection, so every answer -- even one with `id: null` -- is matched to
 * its input). A connection the daemon closes is replaced (and says hello again).
 */
export async function fuzzDaemon(o: { port: number; token: string; inputs: number; seed: number; connections?: number; timeoutMs?: number }): Promise<RpcFuzzFigures> {
  const f: RpcFuzzFigures = { inputs: 0, results: 0, typed: {}, typedTotal: 0, closes: {}, untyped: [], hangs: [], maxMs: 0 };
  let next = 0;
  const worker = async (): Promise<void> => {
    let ws = await open(o.port, o.token);
    for (;;) {
      const i = next++;
      if (i >= o.inputs) break;
      const seed = inputSeed(o.seed, i);
      const msg = mutateMessage(new Prng(seed));
      const started = performance.now();
      const answer = await exchange(ws, msg, o.timeoutMs ?? 10_000);
      f.inputs++;
      f.maxMs = Math.max(f.maxMs, performance.now() - started);
      if (answer.kind === 'close') {
        f.closes[answer.code] = (f.closes[answer.code] ?? 0) + 1;
        if (answer.code !== 1008 && answer.code !== 1009) f.untyped.push({ seed, answer: `close ${answer.code}` });
        ws = await open(o.port, o.token);
        continue;
      }
      if (answer.kind === 'timeout') {
        f.hangs.push(seed);
        ws.terminate();
        ws = await open(o.port, o.token);
        continue;
      }
      let m: { result?: unknown; error?: { data?: { code?: unknown } } } | undefined;
      try {
        m = JSON.parse(answer.text);
      } catch {
        m = undefined;
      }
      const code = m?.error?.data?.code;
      if (m && 'result' in m) f.results++;
      else if (isWireErrorCode(code) && code !== 'INTERNAL') {
        f.typed[code] = (f.typed[code] ?? 0) + 1;
        f.typedTotal++;
      } else f.untyped.push({ seed, answer: answer.text.slice(0, 200) });
    }
    ws.terminate();
  };
  await Promise.all(Array.from({ length: o.connections ?? 8 }, worker));
  return f;
}

async function open(port: number, token: string): Promise<WebSocket> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/`, { headers: { Authorization: `Bearer ${token}` }, perMessageDeflate: false });
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  ws.on('error', () => undefined);
  // hello first, so that the mutations reach the methods (a mutated hello may still undo it)
  await exchange(ws, JSON.stringify(RPC_CORPUS[0]), 10_000);
  return ws;
}

type Answer = { kind: 'message'; text: string } | { kind: 'close'; code: number } | { kind: 'timeout' };

function exchange(ws: WebSocket, msg: string | Buffer, timeoutMs: number): Promise<Answer> {
  return new Promise((resolve) => {
    const done = (a: Answer) => {
      clearTimeout(timer);
      ws.off('message', onMessage);
      ws.off('close', onClose);
      resolve(a);
    };
    const onMessage = (d: Buffer) => {
      const text = String(d);
      if (text.startsWith('{"jsonrpc":"2.0","method":"event"')) return; // an event of a subscription, not the answer
      done({ kind: 'message', text });
    };
    const onClose = (code: number) => done({ kind: 'close', code });
    const timer = setTimeout(() => done({ kind: 'timeout' }), timeoutMs);
    ws.on('message', onMessage);
    ws.once('close', onClose);
    if (ws.readyState !== ws.OPEN) return done({ kind: 'close', code: 1006 });
    ws.send(msg, { binary: Buffer.isBuffer(msg) });
  });
}
