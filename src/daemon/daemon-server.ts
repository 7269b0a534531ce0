import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { WebSocketServer } from 'ws';
import type { ReaderRegistry } from '../service/reader-registry.js';
import { MAX_MESSAGE_BYTES } from './protocol/api-level.js';
import type { DaemonConfig } from './daemon-config.js';
import type { Handlers } from './daemon-handlers.js';
import { DaemonError } from './daemon-error.js';
import type { DaemonTokens } from './daemon-tokens.js';
import { healthInfo, serveHealth } from './health.js';
import { PinBudget } from './pin-budget.js';
import { admit, hostAllowed, isRefusal } from './request-guard.js';
import { RpcConnection } from './rpc-connection.js';
import { wireEvent } from './wire-reader.js';

/** The only addresses bound without --unsafe-bind. */
export const LOOPBACK_ADDRESSES = ['127.0.0.1', '::1'] as const;

export interface DaemonServerOptions {
  readonly config: DaemonConfig;
  readonly registry: ReaderRegistry;
  readonly handlers: Handlers;
  readonly tokens: DaemonTokens;
  readonly log: Logger;
  readonly version: string;
  readonly simulatedReaders: boolean;
  readonly pcscUp: () => boolean;
  /** Extra, non-loopback addresses (`--unsafe-bind`): bound with a warning. */
  readonly unsafeBind?: readonly string[];
  /** Plain HTTP routes by path (after the Host check), e.g. the C libraries' `/national/iReadCardBas`. */
  readonly httpRoutes?: Readonly<Record<string, (req: IncomingMessage, res: ServerResponse, port: number) => void>>;
}

/**
 * HTTP + WebSocket server on 127.0.0.1 and ::1 (same port): admission checks on every upgrade
 * (Host, Origin allow-list, token), `/health`, JSON-RPC connections, event fan-out.
 */
export class DaemonServer {
  private readonly servers: Server[] = [];
  private readonly wss: WebSocketServer;
  private readonly connections = new Set<RpcConnection>();
  private readonly pinBudget: PinBudget;
  private unsubscribe: (() => void) | undefined;
  private nextId = 1;
  private stopping = false;
  private boundPort = 0;
  private readonly addresses: string[] = [];

  constructor(private readonly o: DaemonServerOptions) {
    // No compression: a small compressed frame could inflate to a lot (and costs CPU per message).
    this.wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES, perMessageDeflate: false, clientTracking: false });
    const { pinVerifyPerMinute, pinPerConnectionPerMinute } = o.config.limits;
    this.pinBudget = new PinBudget(pinVerifyPerMinute, pinPerConnectionPerMinute ?? Math.ceil(pinVerifyPerMinute / 2));
  }

  get port(): number {
    return this.boundPort;
  }

  get listening(): readonly string[] {
    return this.addresses;
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  async start(): Promise<void> {
    this.unsubscribe = this.o.registry.on((e) => {
      const w = wireEvent(e);
      for (const c of this.connections) c.event(w);
    });
    const unsafe = this.o.unsafeBind ?? [];
    for (const addr of unsafe) {
      this.o.log.warn({ address: addr }, 'UNSAFE: --unsafe-bind exposes the daemon beyond this machine; the Host, Origin and token checks still apply');
    }
    let port = this.o.config.port;
    for (const addr of [...LOOPBACK_ADDRESSES, ...unsafe]) {
      try {
        port = await this.listen(addr, port);
        this.addresses.push(addr.includes(':') ? `[${addr}]:${port}` : `${addr}:${port}`);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        // A machine without IPv6 loopback still serves 127.0.0.1.
        if (addr === '::1' && (code === 'EADDRNOTAVAIL' || code === 'EAFNOSUPPORT')) {
          this.o.log.warn({ address: addr, code }, 'IPv6 loopback not available');
          continue;
        }
        await this.closeServers();
        throw new DaemonError('LISTEN_FAILED', `cannot listen on ${addr} port ${port}: ${code ?? (e as Error).message}`, { cause: e });
      }
    }
    this.boundPort = port;
  }

  /**
   * Graceful stop: no new connections or requests (SHUTTING_DOWN), then `drain` (the card
   * service finishing or cancelling its operations), then every connection is closed (1001).
   */
  async stop(drain: () => Promise<void> = async () => undefined): Promise<void> {
    this.stopping = true;
    this.unsubscribe?.();
    const closing = this.closeServers();
    await drain();
    for (const c of this.connections) c.close(1001, 'daemon shutting down');
    this.connections.clear();
    await closing;
    this.wss.close();
  }

  private listen(addr: string, port: number): Promise<number> {
    const server = createServer((req, res) => this.onRequest(req, res));
    server.on('upgrade', (req, socket, head) => this.onUpgrade(req, socket, head));
    server.headersTimeout = 10_000;
    server.requestTimeout = 10_000;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host: addr, port, ipv6Only: addr.includes(':') }, () => {
        server.off('error', reject);
        this.servers.push(server);
        const a = server.address();
        resolve(typeof a === 'object' && a ? a.port : port);
      });
    });
  }

  private closeServers(): Promise<void> {
    return Promise.all(
      this.servers.splice(0).map(
        (s) =>
          new Promise<void>((resolve) => {
            s.close(() => resolve());
            s.closeIdleConnections();
          }),
      ),
    ).then(() => undefined);
  }

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    if (!hostAllowed(req.headers.host, this.boundPort, this.o.unsafeBind)) {
      this.o.log.warn({ reason: 'BAD_HOST', path: 'http' }, 'refused');
      res.writeHead(421, { 'Content-Type': 'text/plain', Connection: 'close' }).end('misdirected request\n');
      return;
    }
    const path = (req.url ?? '').split('?')[0];
    if (path === '/health') {
      serveHealth(req, res, this.o.config.allowedOrigins, () =>
        healthInfo({ version: this.o.version, readers: this.o.registry.readers().length, pcscUp: this.o.pcscUp(), simulated: this.o.simulatedReaders }),
      );
      return;
    }
    const route = path ? this.o.httpRoutes?.[path] : undefined;
    if (route) return route(req, res, this.boundPort);
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n');
  }

  private onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    const refuse = (status: number, reason: string) => {
      const origin = typeof req.headers.origin === 'string' ? req.headers.origin.slice(0, 200) : undefined;
      this.o.log.warn({ reason, origin }, 'connection refused');
      socket.end(`HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Refused'}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      socket.destroy();
    };
    if (this.stopping) return refuse(503, 'SHUTTING_DOWN');
    if ((req.url ?? '').split('?')[0] !== '/') return refuse(404, 'BAD_PATH');
    const a = admit(req, { port: this.boundPort, allowedOrigins: this.o.config.allowedOrigins, tokens: this.o.tokens, extraHosts: this.o.unsafeBind });
    if (isRefusal(a)) return refuse(a.status, a.reason);
    if (this.connections.size >= this.o.config.limits.maxConnections) return refuse(503, 'TOO_MANY_CONNECTIONS');
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      const id = this.nextId++;
      const conn = new RpcConnection(id, ws, a, {
        handlers: this.o.handlers,
        limits: this.o.config.limits,
        pinBudget: this.pinBudget,
        readerIdOf: (r: string) => this.o.registry.find(r)?.state.reader.id,
        log: this.o.log,
        serverVersion: this.o.version,
        simulatedReaders: this.o.simulatedReaders,
        isStopping: () => this.stopping,
      });
      this.connections.add(conn);
      this.o.log.info({ conn: id, principal: a.principal, role: a.role }, 'connected');
      ws.on('close', (code) => {
        this.connections.delete(conn);
        this.o.log.info({ conn: id, code }, 'disconnected');
      });
    });
  }
}

const STATUS_TEXT: Record<number, string> = { 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 421: 'Misdirected Request', 503: 'Service Unavailable' };
