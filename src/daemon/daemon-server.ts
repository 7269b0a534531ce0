import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { WebSocketServer } from 'ws';
import type { ReaderRegistry } from '../service/reader-registry.js';
import { MAX_MESSAGE_BYTES } from './protocol/api-level.js';
import type { DaemonConfig } from './daemon-config.js';
import type { Handlers } from './daemon-handlers.js';
import { DaemonError } from './daemon-error.js';
import type { DaemonTokens } from './daemon-tokens.js';
import { healthInfo, serveHealth, type HealthInfo } from './health.js';
import type { WireEvent } from './protocol/events.js';
import { PinBudget } from './pin-budget.js';
import { admit, hostAllowed, hostHeaderCount, isRefusal } from './request-guard.js';
import { KeyedCounter } from './connection-caps.js';
import { answerAsClosedPort, isForeignPageRequest } from './foreign-probe.js';
import { RefusalLog } from './refusal-log.js';
import { SocketGuard } from './socket-guard.js';
import { RpcConnection } from './rpc-connection.js';
import { wireEvent } from './wire-reader.js';
import { createDaemonListener, type DaemonListener, rawSocketOf } from './tls/daemon-listener.js';
import { admitUpgrade, isUpgradeRefusal } from './web/browser-admission.js';
import { serveWebRoute } from './web/web-routes.js';

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
  /** State of the card-status store for /health. */
  readonly statusStore?: () => HealthInfo['statusStore'];
  /** `--tls`: the same port also serves https:// and wss:// with this certificate (docs/browsers.md). */
  readonly tls?: { readonly certPem: string; readonly keyPem: string };
  /** `--demo`: serve the demo HIS page at /demo/ (its own origin may connect). */
  readonly demo?: boolean;
  /** Plain HTTP routes by path (after the Host check), e.g. the C libraries' `/national/iReadCardBas`. */
  readonly httpRoutes?: Readonly<Record<string, (req: IncomingMessage, res: ServerResponse, port: number) => void>>;
  /** The PIN budget, when shared with other faces (the Decard bridge); default: one from `config.limits`. */
  readonly pinBudget?: PinBudget;
}

/** The daemon's PIN budget from its limits (docs/daemon.md "Limits"). */
export function daemonPinBudget(config: DaemonConfig): PinBudget {
  const { pinVerifyPerMinute, pinPerConnectionPerMinute } = config.limits;
  return new PinBudget(pinVerifyPerMinute, pinPerConnectionPerMinute ?? Math.ceil(pinVerifyPerMinute / 2));
}

/**
 * HTTP + WebSocket server on 127.0.0.1 and ::1 (same port): admission checks on every upgrade
 * (Host, Origin allow-list, token), `/health`, JSON-RPC connections, event fan-out.
 */
export class DaemonServer {
  private readonly servers: DaemonListener[] = [];
  private readonly wss: WebSocketServer;
  private readonly connections = new Set<RpcConnection>();
  private readonly pinBudget: PinBudget;
  private readonly refusals: RefusalLog;
  private readonly socketGuard: SocketGuard;
  private readonly perOrigin: KeyedCounter;
  private readonly perPeer: KeyedCounter;
  private readonly originPending: KeyedCounter;
  private unsubscribe: (() => void) | undefined;
  private nextId = 1;
  private stopping = false;
  private boundPort = 0;
  private readonly addresses: string[] = [];

  constructor(private readonly o: DaemonServerOptions) {
    // No compression: a small compressed frame could inflate to a lot (and costs CPU per message).
    this.wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES, perMessageDeflate: false, clientTracking: false });
    this.pinBudget = o.pinBudget ?? daemonPinBudget(o.config);
    const l = o.config.limits;
    this.refusals = new RefusalLog(o.log);
    this.socketGuard = new SocketGuard({ handshakeTimeoutMs: l.handshakeTimeoutMs, maxPendingSockets: l.maxPendingSockets }, this.refusals);
    this.perOrigin = new KeyedCounter(l.maxConnectionsPerOrigin);
    this.perPeer = new KeyedCounter(l.maxConnectionsPerPeer);
    this.originPending = new KeyedCounter(l.maxPendingPerOrigin);
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

  /** Sends an event to every subscribed connection (events that do not come from the readers). */
  broadcast(e: WireEvent): void {
    if (this.stopping) return;
    for (const c of this.connections) c.event(e);
  }

  /**
   * Graceful stop: no new connections or requests (SHUTTING_DOWN), then `drain` (the card
   * service finishing or cancelling its operations), then every connection is closed (1001).
   */
  async stop(drain: () => Promise<void> = async () => undefined): Promise<void> {
    this.stopping = true;
    this.unsubscribe?.();
    const closing = this.closeServers();
    this.socketGuard.closeAll();
    await drain();
    for (const c of this.connections) c.close(1001, 'daemon shutting down');
    this.connections.clear();
    await closing;
    this.wss.close();
  }

  /** `--tls`: serve a renewed certificate to new connections (open ones keep theirs). */
  setCertificate(tls: { readonly certPem: string; readonly keyPem: string }): void {
    for (const s of this.servers) s.setCertificate?.(tls);
  }

  private listen(addr: string, port: number): Promise<number> {
    const server = createDaemonListener({ onRequest: (req, res) => this.onRequest(req, res), onUpgrade: (req, socket, head) => this.onUpgrade(req, socket, head) }, this.o.tls);
    // The guard sees the raw TCP socket (with --tls: before the TLS handshake; docs/daemon.md "Limits").
    server.on('connection', (socket: Socket) => this.socketGuard.onConnection(socket));
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
    if (isForeignPageRequest(req, this.o.config.allowedOrigins)) {
      this.refusals.refused('FOREIGN_PAGE_HTTP');
      answerAsClosedPort(req.socket);
      return;
    }
    if (hostHeaderCount(req) > 1) {
      this.refusals.refused('DUPLICATE_HOST', { path: 'http' });
      res.writeHead(400, { 'Content-Type': 'text/plain', Connection: 'close' }).end('bad request\n');
      return;
    }
    if (!hostAllowed(req.headers.host, this.boundPort, this.o.unsafeBind)) {
      this.o.log.warn({ reason: 'BAD_HOST', path: 'http' }, 'refused');
      res.writeHead(421, { 'Content-Type': 'text/plain', Connection: 'close' }).end('misdirected request\n');
      return;
    }
    const path = (req.url ?? '').split('?')[0];
    if (path === '/health') {
      serveHealth(req, res, this.o.config.allowedOrigins, () =>
        healthInfo({
          version: this.o.version,
          readers: this.o.registry.readers().length,
          pcscUp: this.o.pcscUp(),
          simulated: this.o.simulatedReaders,
          ...(this.o.statusStore ? { statusStore: this.o.statusStore() } : {}),
        }),
      );
      return;
    }
    const route = path ? this.o.httpRoutes?.[path] : undefined;
    if (route) return route(req, res, this.boundPort);
    if (serveWebRoute(req, res, { allowedOrigins: this.o.config.allowedOrigins, demo: this.o.demo === true })) return;
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n');
  }

  private onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    const refuse = (status: number, reason: string) => {
      const origin = typeof req.headers.origin === 'string' ? req.headers.origin.slice(0, 200) : undefined;
      this.refusals.refused(reason, { origin });
      socket.end(`HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Refused'}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      socket.destroy();
    };
    if (this.stopping) return refuse(503, 'SHUTTING_DOWN');
    const a = admitUpgrade(req, {
      port: this.boundPort,
      allowedOrigins: this.o.config.allowedOrigins,
      tokens: this.o.tokens,
      ...(this.o.unsafeBind ? { extraHosts: this.o.unsafeBind } : {}),
      demo: this.o.demo === true,
      tls: this.o.tls !== undefined,
    });
    if (isUpgradeRefusal(a)) return refuse(a.status, a.reason);
    if (this.connections.size >= this.o.config.limits.maxConnections) return refuse(503, 'TOO_MANY_CONNECTIONS');
    const peer = (socket as Socket).remoteAddress ?? 'unknown';
    if (!this.perPeer.take(peer)) return refuse(503, 'TOO_MANY_CONNECTIONS_FROM_PEER');
    if (!this.perOrigin.take(a.principal)) {
      this.perPeer.give(peer);
      return refuse(503, 'TOO_MANY_CONNECTIONS_FROM_ORIGIN');
    }
    let counted = true;
    const uncount = (): void => {
      if (!counted) return;
      counted = false;
      this.perPeer.give(peer);
      this.perOrigin.give(a.principal);
    };
    socket.once('close', uncount);
    this.socketGuard.upgraded(rawSocketOf(socket) as Socket);
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
        originPending: this.originPending,
        refusals: this.refusals,
      });
      this.connections.add(conn);
      this.o.log.info({ conn: id, principal: a.principal, role: a.role }, 'connected');
      ws.on('close', (code) => {
        uncount();
        this.connections.delete(conn);
        this.o.log.info({ conn: id, code }, 'disconnected');
      });
    });
  }
}

const STATUS_TEXT: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 421: 'Misdirected Request', 503: 'Service Unavailable' };
