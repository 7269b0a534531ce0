import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { WebSocketServer, type WebSocket } from 'ws';
import type { NationalOptions } from '../../service/national/national-options.js';
import type { CardOperations } from '../../service/operations/card-operations.js';
import type { AllowedOrigin } from '../daemon-config.js';
import type { DaemonTokens } from '../daemon-tokens.js';
import { admit, isRefusal } from '../request-guard.js';
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
}

/** Functions this dialect answers (docs/bridges.md); every other name is "not supported". */
export const DECARD_FUNCTIONS = ['dc_init', 'dc_exit', 'iReadCardBas'] as const;
/** The reply code of an unsupported function or a malformed request: the national "bad parameter". */
const BAD_REQUEST = '-14';
const MAX_MESSAGE_BYTES = 4096;

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
    this.#wss.handleUpgrade(req, socket, head, (ws) => this.#serve(ws));
  }

  #serve(ws: WebSocket): void {
    const ac = new AbortController();
    ws.on('close', () => ac.abort());
    let queue = Promise.resolve();
    ws.on('message', (raw, isBinary) => {
      // one call at a time per connection, in order (the vendor API is synchronous)
      queue = queue.then(async () => {
        const reply = isBinary ? notUnderstood() : await this.#call(raw.toString(), ac.signal);
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(reply));
      });
    });
  }

  async #call(text: string, signal: AbortSignal): Promise<{ result: string; out: string[] }> {
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
      case 'iReadCardBas': {
        const iType = args[0] === undefined ? 3 : /^[0-9]{1,2}$/.test(args[0]) ? Number(args[0]) : NaN;
        const r = await this.#o.operations.readCardBas({ signal }, { iType, options: this.#o.national });
        return r.kind === 'bas' ? { result: '0', out: [r.text] } : { result: String(r.code), out: [r.message] };
      }
      default:
        return { result: BAD_REQUEST, out: [`not supported: ${m.func.slice(0, 64)} (sscard answers ${DECARD_FUNCTIONS.join(', ')})`] };
    }
  }
}

function notUnderstood(): { result: string; out: string[] } {
  return { result: BAD_REQUEST, out: ['bad request: expected {"func": "<name>", "in": ["<string>", ...]}'] };
}
