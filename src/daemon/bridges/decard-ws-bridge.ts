import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { WebSocketServer, type WebSocket } from 'ws';
import { NationalError } from '../../service/national/national-error.js';
import { nationalFailure } from '../../service/national/national-failure.js';
import type { NationalOptions } from '../../service/national/national-options.js';
import type { CardOperations } from '../../service/operations/card-operations.js';
import type { NationalPinFunction } from '../../service/national/national-pin-functions.js';
import type { PinBudget } from '../pin-budget.js';
import type { AllowedOrigin } from '../daemon-config.js';
import type { DaemonTokens } from '../daemon-tokens.js';
import { admit, isRefusal } from '../request-guard.js';
import { echoWithoutPins } from './echo-without-pins.js';
import { listenLoopback } from './listen-loopback.js';

export interface DecardBridgeOptions {
  readonly host: string;
  readonly port: number;
  readonly allowedOrigins: readonly AllowedOrigin[];
  readonly tokens: DaemonTokens;
  readonly operations: CardOperations;
  readonly national: NationalOptions;
  readonly log: Logger;
  /** Simultaneous connections; more are refused (503) at the handshake (default 256). */
  readonly maxConnections?: number;
  /** The daemon's PIN budget (docs/daemon.md "Limits"), shared with its JSON-RPC connections: charged per origin and bridge connection. */
  readonly pinBudget: PinBudget;
}

/** Functions this dialect answers (docs/bridges.md); every other name is "not supported". */
export const DECARD_FUNCTIONS = ['dc_init', 'dc_exit', 'iReadCardBas', 'iReadCardBas_HSM_Step1', 'iReadCardBas_HSM_Step2', 'iVerifyPIN', 'iChangePIN', 'iReloadPIN', 'iUnblockPIN'] as const;
/** The reply code of an unsupported function or a malformed request: the national "bad parameter". */
const BAD_REQUEST = '-14';
const MAX_MESSAGE_BYTES = 4096;
/** Bridge connections count their PIN share under negative ids, apart from the daemon's JSON-RPC connection ids (1, 2, ...). */
let nextConnectionId = -1;

/**
 * A Decard-style WebSocket dialect (docs/bridges.md): `{"func": "...", "in": ["..."]}` ->
 * `{"result": "0", "out": ["..."]}`, all values strings. Off by default; the upgrade passes the
 * daemon's admission rules (Host, Origin allow-list, token) first.
 */
export class DecardWsBridge {
  readonly #o: DecardBridgeOptions;
  readonly #server: Server;
  readonly #wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES, perMessageDeflate: false });
  #port = 0;

  constructor(options: DecardBridgeOptions) {
    this.#o = options;
    this.#server = createServer((_req, res) => res.writeHead(426, { 'content-type': 'text/plain' }).end('WebSocket only\n'));
    this.#server.on('upgrade', (req, socket, head) => this.#upgrade(req, socket, head));
  }

  get port(): number {
    return this.#port;
  }

  async start(): Promise<void> {
    this.#port = await listenLoopback(this.#server, this.#o.host, this.#o.port, 'Decard');
  }

  async stop(): Promise<void> {
    for (const ws of this.#wss.clients) ws.terminate();
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    const who = admit(req, { port: this.#port, allowedOrigins: this.#o.allowedOrigins, tokens: this.#o.tokens });
    if (isRefusal(who)) {
      this.#o.log.warn({ bridge: 'decard', reason: who.reason }, 'bridge connection refused');
      socket.end(`HTTP/1.1 ${who.status} Refused\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      socket.destroy();
      return;
    }
    if (this.#wss.clients.size >= (this.#o.maxConnections ?? 256)) {
      socket.end('HTTP/1.1 503 Busy\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      socket.destroy();
      return;
    }
    this.#wss.handleUpgrade(req, socket, head, (ws) => this.#serve(ws, who.principal));
  }

  #serve(ws: WebSocket, principal: string): void {
    const ac = new AbortController();
    const caller = { signal: ac.signal, principal, connectionId: nextConnectionId-- };
    // A frame the library refuses (invalid UTF-8, over maxPayload) is an 'error' event before its
    // 1007 / 1009 close (RFC 6455 §7.4.1): without a listener it would be an uncaught exception.
    ws.on('error', (e: Error & { code?: string }) => this.#o.log.warn({ bridge: 'decard', code: e.code ?? 'WS_ERROR' }, 'bridge frame refused'));
    ws.on('close', () => {
      ac.abort();
      this.#o.pinBudget.forget(caller.connectionId);
    });
    let queue = Promise.resolve();
    ws.on('message', (raw, isBinary) => {
      // one call at a time per connection, in order (the vendor API is synchronous)
      queue = queue.then(async () => {
        const reply = isBinary ? notUnderstood() : await this.#call(raw.toString(), caller);
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(reply));
      });
    });
  }

  async #call(text: string, caller: { signal: AbortSignal; principal: string; connectionId: number }): Promise<{ result: string; out: string[] }> {
    const { signal } = caller;
    let msg: unknown;
    try {
      msg = JSON.parse(text);
    } catch {
      return notUnderstood();
    }
    const m = msg as { func?: unknown; in?: unknown };
    if (typeof msg !== 'object' || msg === null || typeof m.func !== 'string' || (m.in !== undefined && !(Array.isArray(m.in) && m.in.every((x) => typeof x === 'string')))) return notUnderstood();
    const args = (m.in as string[] | undefined) ?? [];
    switch (m.func) {
      case 'dc_init':
      case 'dc_exit':
        return { result: '0', out: [] };
      case 'iReadCardBas':
        return answer(await this.#o.operations.readCardBas({ signal }, { iType: iTypeOf(args[0]), options: this.#o.national }));
      // the HSM two-step (docs/national-interface.md): Step2 finds the pending Step1 of the only held reader
      case 'iReadCardBas_HSM_Step1':
        return answer(await this.#o.operations.readCardBasHsmStep1({ signal }, { iType: iTypeOf(args[0]), options: this.#o.national, holdSignal: signal }));
      case 'iReadCardBas_HSM_Step2':
        return answer(await this.#o.operations.readCardBasHsmStep2({ signal }, { key: args[0] ?? '', options: this.#o.national }));
      case 'iVerifyPIN':
      case 'iChangePIN':
        return this.#holderPin(m.func, args[0], caller);
      case 'iReloadPIN':
      case 'iUnblockPIN':
        // counter operations (audited, keys): a page on this bridge has the reader role
        return answer(nationalFailure(new NationalError('COUNTER_ROLE_REQUIRED', `${m.func} needs the counter role`), this.#o.national));
      default:
        return { result: BAD_REQUEST, out: [`not supported: ${echoWithoutPins(m.func, 64)} (sscard answers ${DECARD_FUNCTIONS.join(', ')})`] };
    }
  }

  /**
   * iVerifyPIN / iChangePIN: the PIN(s) only from the reader's PIN pad (a page never sends a PIN
   * here); without a pad the national "no PIN pad" answer (-11). Each presentation is charged to
   * the daemon's PIN budget; a spent budget is -11 "too many PIN attempts".
   */
  async #holderPin(fn: Extract<NationalPinFunction, 'iVerifyPIN' | 'iChangePIN'>, iType: string | undefined, caller: { signal: AbortSignal; principal: string; connectionId: number }) {
    const r = await this.#o.operations.nationalPin(
      { signal: caller.signal },
      {
        fn,
        iType: iTypeOf(iType),
        options: this.#o.national,
        beforePresent: () => {
          if (this.#o.pinBudget.charge(caller.principal, caller.connectionId) > 0) throw new NationalError('PIN_RATE_LIMITED', 'PIN budget spent');
        },
      },
    );
    this.#o.log.info({ bridge: 'decard', func: fn, code: r.code }, 'national PIN function');
    return answer(r);
  }
}

function iTypeOf(arg: string | undefined): number {
  return arg === undefined ? 3 : /^[0-9]{1,2}$/.test(arg) ? Number(arg) : NaN;
}

/** A national result as a reply: 0 and the string, or the code and its text. */
function answer(r: { code: number; text?: string; message?: string }): { result: string; out: string[] } {
  return { result: String(r.code), out: [r.code === 0 ? (r.text ?? '') : (r.message ?? '')] };
}

function notUnderstood(): { result: string; out: string[] } {
  return { result: BAD_REQUEST, out: ['bad request: expected {"func": "<name>", "in": ["<string>", ...]}'] };
}
